// The two-phone simulator: phones A and B, each on its own pair of in-memory
// links (latency, jitter, loss, duplication) to a relay that stands in for a
// SIP-over-WebSocket server. The relay registers whoever sends REGISTER (no
// challenge: the registration path has its own simulator tests) and passes
// every other frame, untouched, to the other phone — the wire as a
// record-route-free proxy would leave it, so the phones' transaction and
// dialog layers meet each other directly (RFC 3261 §12, §13–§17).
//
// The test plays the JS shim: it gives commands to `ua(side)` (then
// `drain()`), schedules commands at virtual times with `at()`, and reacts to
// call events with `react`. By default the shim's media part answers every
// re-INVITE offer with an SDP mirroring the offered direction (RFC 3264 §6.1).
#pragma once
#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/msg/parser.hpp"
#include "core/ua/reply.hpp"
#include "tests/sim/endpoint.hpp"
#include "tests/sim/sim_link.hpp"

namespace wwp::sim {

enum Side { A = 0, B = 1 };
inline Side other(Side s) { return s == A ? B : A; }

/// An SDP as a browser would give it, with `direction` for the audio line.
inline std::string sim_sdp(const std::string& direction, int version = 1) {
  return "v=0\r\no=- 7 " + std::to_string(version) +
         " IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
         "c=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\na=" +
         direction + "\r\n";
}

/// The direction an answerer takes for an offered one (RFC 3264 §6.1).
inline std::string answer_direction(const std::string& offer) {
  if (offer.find("a=sendonly") != std::string::npos) return "recvonly";
  if (offer.find("a=recvonly") != std::string::npos) return "sendonly";
  if (offer.find("a=inactive") != std::string::npos) return "inactive";
  return "sendrecv";
}

class CallSim {
 public:
  using Reaction = std::function<void(CallSim&, Side, const call::CallEvent&)>;

  CallSim(ua::Config a, ua::Config b, LinkParams link, std::uint64_t seed)
      : phones_{Endpoint(std::move(a)), Endpoint(std::move(b))},
        up_{Link(link, seed * 4 + 1), Link(link, seed * 4 + 2)},
        down_{Link(link, seed * 4 + 3), Link(link, seed * 4 + 4)} {}

  ua::Ua& ua(Side s) { return phones_[s].ua(); }
  const Endpoint& phone(Side s) const { return phones_[s]; }
  Link& up(Side s) { return up_[s]; }      ///< phone → relay
  Link& down(Side s) { return down_[s]; }  ///< relay → phone
  TimePoint now() const { return now_; }
  int steps() const { return steps_; }

  /// Extra reactions to call events, after the default re-INVITE answer.
  Reaction react;

  /// Run `action` when virtual time reaches `when`.
  void at(TimePoint when, std::function<void(CallSim&)> action) {
    scheduled_.emplace(std::make_pair(when, next_action_++), std::move(action));
  }

  /// Drain both phones (call after giving a command), letting the shim react
  /// to each call event that comes out, until neither has anything left.
  void drain() {
    for (bool more = true; more;) {
      more = false;
      for (Side s : {A, B}) {
        phones_[s].drain(now_, [&](std::string bytes) { up_[s].send(std::move(bytes), now_); });
        while (reacted_[s] < phones_[s].events().size()) {
          const auto* ce = std::get_if<call::CallEvent>(&phones_[s].events()[reacted_[s]++].event);
          if (!ce) continue;
          const call::CallEvent event = *ce;  // reacting may grow events()
          on_call_event(s, event);
          more = true;
        }
      }
    }
  }

  /// Register both phones and run until both are registered.
  void register_both() {
    for (Side s : {A, B}) (void)ua(s).start_register(now_);
    drain();
    run_until(now_ + 10'000);
  }

  /// Advance to the earliest pending thing (a deadline, an arrival, a
  /// scheduled action) and handle everything due then. False when quiescent.
  bool step() {
    const TimePoint t = next_time();
    if (t == kNever) return false;
    now_ = std::max(now_, t);
    ++steps_;
    for (Side s : {A, B})
      for (auto& frame : up_[s].take_due(now_)) relay(s, std::move(frame));
    for (Side s : {A, B})
      for (auto& frame : down_[s].take_due(now_)) {
        ua(s).handle_input(ua::Received{std::move(frame), now_});
        drain();
      }
    while (!scheduled_.empty() && scheduled_.begin()->first.first <= now_) {
      auto action = std::move(scheduled_.begin()->second);
      scheduled_.erase(scheduled_.begin());
      action(*this);
      drain();
    }
    for (Side s : {A, B})
      if (phones_[s].deadline() <= now_) {
        ua(s).handle_input(ua::Tick{now_});
        drain();
      }
    return true;
  }

  /// Step until `limit` or quiescence, with a step budget against livelock.
  void run_until(TimePoint limit, int max_steps = 100000) {
    while (steps_ < max_steps) {
      const TimePoint t = next_time();
      if (t == kNever || t > limit) break;
      step();
    }
    if (now_ < limit && steps_ < max_steps) now_ = limit;
  }

  /// The handle of the first call B was offered (0 before one arrives).
  call::CallHandle incoming(Side s) const {
    const auto calls = phones_[s].call_events<call::IncomingCall>();
    return calls.empty() ? 0 : calls.front().call;
  }

  /// SIP messages the relay passed from `from` to the other phone, by method
  /// or status code ("INVITE", "491").
  int relayed(Side from, const std::string& what) const {
    const auto it = relayed_[from].find(what);
    return it == relayed_[from].end() ? 0 : it->second;
  }

  /// What the relay passed, one line per frame ("1234 A>B INVITE … (1 INVITE)"),
  /// for failure messages.
  const std::string& trace() const { return trace_; }

 private:
  TimePoint next_time() const {
    TimePoint t = scheduled_.empty() ? kNever : scheduled_.begin()->first.first;
    for (Side s : {A, B})
      t = std::min({t, phones_[s].deadline(), up_[s].next_delivery(), down_[s].next_delivery()});
    return t;
  }

  void relay(Side from, std::string frame) {
    auto m = msg::parse(frame);
    if (!m.ok()) return;  // the phones never send what they cannot parse back
    if (m->is_request() && m->method() == "REGISTER") {
      msg::Message ok = ua::make_reply(*m, 200, "relay");
      if (const auto contact = m->get("Contact")) ok.add("Contact", std::string(*contact));
      down_[from].send(ok.to_string(), now_);
      return;
    }
    ++relayed_[from][m->is_request() ? m->method() : std::to_string(m->status())];
    trace_ += std::to_string(now_) + (from == A ? " A>B " : " B>A ") + frame.substr(0, frame.find('\r')) +
              " (" + std::string(m->get("CSeq").value_or("")) + ")\n";
    down_[other(from)].send(std::move(frame), now_);
  }

  void on_call_event(Side s, const call::CallEvent& event) {
    if (const auto* offer = std::get_if<call::ReinviteOffer>(&event)) {
      (void)ua(s).answer_reinvite(offer->call, sim_sdp(answer_direction(offer->request.body()), ++sdp_version_),
                                  now_);
    }
    if (react) react(*this, s, event);
  }

  std::array<Endpoint, 2> phones_;
  std::array<Link, 2> up_, down_;
  std::array<std::map<std::string, int>, 2> relayed_;
  std::array<std::size_t, 2> reacted_{0, 0};
  std::string trace_;  ///< events already given to on_call_event
  std::map<std::pair<TimePoint, int>, std::function<void(CallSim&)>> scheduled_;
  int next_action_ = 0;
  int sdp_version_ = 1;
  TimePoint now_ = 0;
  int steps_ = 0;
};

}  // namespace wwp::sim
