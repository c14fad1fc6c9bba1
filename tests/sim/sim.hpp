// The deterministic simulator (house style §21): one phone (Endpoint) and a
// scripted registrar joined by two in-memory links; call_sim.hpp joins two
// phones. `step()` jumps virtual time to the earliest deadline — the UA's
// Timeout or the next frame arrival — and handles everything due then. No
// sleeps, no global clock.
#pragma once
#include <algorithm>
#include <string>
#include <vector>

#include "tests/sim/endpoint.hpp"
#include "tests/sim/scripted_registrar.hpp"
#include "tests/sim/sim_link.hpp"

namespace wwp::sim {

class Sim {
 public:
  Sim(Config config, ScriptedRegistrar::Script script, LinkParams up, LinkParams down, std::uint64_t seed)
      : phone_(std::move(config)), registrar_(std::move(script)), to_server_(up, seed * 2 + 1),
        to_client_(down, seed * 2 + 2) {
    drain();
  }

  ua::Ua& ua() { return phone_.ua(); }
  ScriptedRegistrar& registrar() { return registrar_; }
  Link& to_server() { return to_server_; }
  Link& to_client() { return to_client_; }
  TimePoint now() const { return now_; }
  const std::vector<TimedEvent>& events() const { return phone_.events(); }
  TimePoint ua_deadline() const { return phone_.deadline(); }

  /// Call after a command given to `ua()` directly.
  void drain() {
    if (phone_.drain(now_, [&](std::string bytes) { to_server_.send(std::move(bytes), now_); }))
      transport_dead_ = true;
    // The driver's duty on TransportDead (reg::TransportDead): close the socket.
    if (transport_dead_ && close_on_dead_) {
      transport_dead_ = false;
      to_server_.set_up(false);
      to_client_.set_up(false);
      ua().handle_transport_closed(now_);
      drain();
    }
  }

  /// Advance to the earliest deadline and handle it. False when nothing is
  /// pending anywhere (the system is quiescent).
  bool step() {
    const TimePoint t = std::min({ua_deadline(), to_server_.next_delivery(), to_client_.next_delivery()});
    if (t == kNever) return false;
    now_ = std::max(now_, t);
    ++steps_;
    for (auto& frame : to_server_.take_due(now_))
      for (auto& reply : registrar_.handle(frame)) to_client_.send(std::move(reply), now_);
    for (auto& frame : to_client_.take_due(now_)) {
      ua().handle_input(ua::Received{std::move(frame), now_});
      drain();
    }
    if (ua_deadline() <= now_) {
      ua().handle_input(ua::Tick{now_});
      drain();
    }
    return true;
  }

  /// Step until `limit` (virtual ms) or quiescence; a step budget guards
  /// against a livelock (a deadline that never moves forward).
  void run_until(TimePoint limit, int max_steps = 100000) {
    while (steps_ < max_steps) {
      const TimePoint t = std::min({ua_deadline(), to_server_.next_delivery(), to_client_.next_delivery()});
      if (t == kNever || t > limit) break;
      step();
    }
    if (now_ < limit && steps_ < max_steps) now_ = limit;
  }

  int steps() const { return steps_; }
  void set_close_on_dead(bool v) { close_on_dead_ = v; }

  template <class T>
  std::vector<TimedEvent> events_of() const {
    return phone_.events_of<T>();
  }

 private:
  Endpoint phone_;
  ScriptedRegistrar registrar_;
  Link to_server_;
  Link to_client_;
  TimePoint now_ = 0;
  bool transport_dead_ = false;
  bool close_on_dead_ = true;
  int steps_ = 0;
};

}  // namespace wwp::sim
