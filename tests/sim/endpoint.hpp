// One simulated phone for the simulator (house style §21): a wwp::ua::Ua and
// what its driver has seen so far — every event with the virtual time it came
// out at, and the UA's next deadline. `drain()` is the driver's loop from
// core/ua/ua.hpp: poll until a Timeout, handing each Transmit to the link.
#pragma once
#include <utility>
#include <vector>

#include "core/ua/ua.hpp"

namespace wwp::sim {

struct TimedEvent {
  TimePoint at;
  ua::Event event;
};

class Endpoint {
 public:
  explicit Endpoint(Config config) : ua_(std::move(config)) {}

  ua::Ua& ua() { return ua_; }
  const ua::Ua& ua() const { return ua_; }
  TimePoint deadline() const { return deadline_; }
  const std::vector<TimedEvent>& events() const { return events_; }

  /// Drain every output produced at `now`; `send(bytes)` takes each Transmit.
  /// Returns true when the UA asked for its transport to be closed
  /// (reg::TransportDead), which is the driver's duty to do.
  template <class Send>
  bool drain(TimePoint now, Send&& send) {
    bool dead = false;
    for (;;) {
      auto o = ua_.poll_output();
      if (auto* t = std::get_if<ua::Transmit>(&o)) {
        send(std::move(t->bytes));
      } else if (auto* e = std::get_if<ua::Event>(&o)) {
        if (std::holds_alternative<reg::TransportDead>(*e)) dead = true;
        events_.push_back({now, std::move(*e)});
      } else {
        deadline_ = std::get<ua::Timeout>(o).at;
        return dead;
      }
    }
  }

  /// Events of one ua::Event alternative, in order.
  template <class T>
  std::vector<TimedEvent> events_of() const {
    std::vector<TimedEvent> out;
    for (const auto& e : events_)
      if (std::holds_alternative<T>(e.event)) out.push_back(e);
    return out;
  }

  /// Call events of one call::CallEvent alternative, in order.
  template <class T>
  std::vector<T> call_events() const {
    std::vector<T> out;
    for (const auto& e : events_)
      if (const auto* ce = std::get_if<call::CallEvent>(&e.event))
        if (const auto* t = std::get_if<T>(ce)) out.push_back(*t);
    return out;
  }

 private:
  ua::Ua ua_;
  TimePoint deadline_ = kNever;
  std::vector<TimedEvent> events_;
};

}  // namespace wwp::sim
