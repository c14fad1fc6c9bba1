// The deterministic simulator (house style §21): a wwp::ua::Ua and a scripted
// registrar joined by two in-memory links. `step()` jumps virtual time to the
// earliest deadline — the UA's Timeout or the next frame arrival — and
// handles everything due then. No sleeps, no global clock.
#pragma once
#include <algorithm>
#include <string>
#include <vector>

#include "core/ua/ua.hpp"
#include "tests/sim/scripted_registrar.hpp"
#include "tests/sim/sim_link.hpp"

namespace wwp::sim {

struct TimedEvent {
  TimePoint at;
  ua::Event event;
};

class Sim {
 public:
  Sim(ua::Config config, ScriptedRegistrar::Script script, LinkParams up, LinkParams down, std::uint64_t seed)
      : ua_(std::move(config)), registrar_(std::move(script)), to_server_(up, seed * 2 + 1),
        to_client_(down, seed * 2 + 2) {
    drain();
  }

  ua::Ua& ua() { return ua_; }
  ScriptedRegistrar& registrar() { return registrar_; }
  Link& to_server() { return to_server_; }
  Link& to_client() { return to_client_; }
  TimePoint now() const { return now_; }
  const std::vector<TimedEvent>& events() const { return events_; }
  TimePoint ua_deadline() const { return ua_deadline_; }

  /// Call after a command given to `ua()` directly.
  void drain() {
    for (;;) {
      auto o = ua_.poll_output();
      if (auto* t = std::get_if<ua::Transmit>(&o)) {
        to_server_.send(t->bytes, now_);
      } else if (auto* e = std::get_if<ua::Event>(&o)) {
        if (std::holds_alternative<reg::TransportDead>(*e)) transport_dead_ = true;
        events_.push_back({now_, *e});
      } else {
        ua_deadline_ = std::get<ua::Timeout>(o).at;
        break;
      }
    }
    // The driver's duty on TransportDead (reg::TransportDead): close the socket.
    if (transport_dead_ && close_on_dead_) {
      transport_dead_ = false;
      to_server_.set_up(false);
      to_client_.set_up(false);
      ua_.handle_transport_closed(now_);
      drain();
    }
  }

  /// Advance to the earliest deadline and handle it. False when nothing is
  /// pending anywhere (the system is quiescent).
  bool step() {
    const TimePoint t = std::min({ua_deadline_, to_server_.next_delivery(), to_client_.next_delivery()});
    if (t == kNever) return false;
    now_ = std::max(now_, t);
    ++steps_;
    for (auto& frame : to_server_.take_due(now_))
      for (auto& reply : registrar_.handle(frame)) to_client_.send(std::move(reply), now_);
    for (auto& frame : to_client_.take_due(now_)) {
      ua_.handle_input(ua::Received{std::move(frame), now_});
      drain();
    }
    if (ua_deadline_ <= now_) {
      ua_.handle_input(ua::Tick{now_});
      drain();
    }
    return true;
  }

  /// Step until `limit` (virtual ms) or quiescence; a step budget guards
  /// against a livelock (a deadline that never moves forward).
  void run_until(TimePoint limit, int max_steps = 100000) {
    while (steps_ < max_steps) {
      const TimePoint t = std::min({ua_deadline_, to_server_.next_delivery(), to_client_.next_delivery()});
      if (t == kNever || t > limit) break;
      step();
    }
    if (now_ < limit && steps_ < max_steps) now_ = limit;
  }

  int steps() const { return steps_; }
  void set_close_on_dead(bool v) { close_on_dead_ = v; }

  template <class T>
  std::vector<TimedEvent> events_of() const {
    std::vector<TimedEvent> out;
    for (const auto& e : events_)
      if (std::holds_alternative<T>(e.event)) out.push_back(e);
    return out;
  }

 private:
  ua::Ua ua_;
  ScriptedRegistrar registrar_;
  Link to_server_;
  Link to_client_;
  TimePoint now_ = 0;
  TimePoint ua_deadline_ = kNever;
  std::vector<TimedEvent> events_;
  bool transport_dead_ = false;
  bool close_on_dead_ = true;
  int steps_ = 0;
};

}  // namespace wwp::sim
