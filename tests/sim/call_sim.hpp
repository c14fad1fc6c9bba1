// The call simulator: phones A, B (and C), each on its own pair of in-memory
// links (latency, jitter, loss, duplication) to a relay that stands in for a
// SIP-over-WebSocket server. The relay registers whoever sends REGISTER (no
// challenge: the registration path has its own simulator tests) and passes
// every other frame untouched — a request to the phone whose username is the
// Request-URI's user, a response back to the phone that sent the request
// (by the top Via branch) — the wire as a record-route-free proxy would leave
// it, so the phones' transaction and dialog layers meet each other directly
// (RFC 3261 §12, §13–§17).
//
// The test plays the JS shim: it gives commands to `ua(side)` (then
// `drain()`), schedules commands at virtual times with `at()`, and reacts to
// call events with `react`. By default the shim's media part answers every
// re-INVITE offer with an SDP mirroring the offered direction (RFC 3264 §6.1).
#pragma once
#include <algorithm>
#include <deque>
#include <optional>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/msg/header_fields.hpp"
#include "core/msg/parser.hpp"
#include "core/msg/reply.hpp"
#include "core/msg/uri.hpp"
#include "tests/sim/endpoint.hpp"
#include "tests/sim/sim_link.hpp"

namespace wwp::sim {

enum Side { A = 0, B = 1, C = 2 };

/// A simulated phone's configuration: user `user` on the relay's domain.
inline Config sim_phone(const std::string& user, std::uint64_t seed) {
  Config c;
  c.username = user;
  c.authorization_id = user;
  c.password = "pw";
  c.domain = "sim.example.test";
  c.contact_host = user + ".invalid";
  c.rng_seed = seed;
  return c;
}

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

  /// Phone i is Side i; every link gets `link`.
  CallSim(std::vector<Config> phones, LinkParams link, std::uint64_t seed) {
    for (auto& config : phones) {
      const auto i = static_cast<std::uint64_t>(phones_.size());
      by_user_[config.username] = static_cast<Side>(i);
      phones_.emplace_back(std::move(config));
      up_.emplace_back(link, seed * 8 + 2 * i + 1);
      down_.emplace_back(link, seed * 8 + 2 * i + 2);
    }
    relayed_.resize(phones_.size());
    reacted_.resize(phones_.size());
  }
  CallSim(Config a, Config b, LinkParams link, std::uint64_t seed)
      : CallSim(std::vector<Config>{std::move(a), std::move(b)}, link, seed) {}

  ua::Ua& ua(Side s) { return phones_[s].ua(); }
  const Endpoint& phone(Side s) const { return phones_[s]; }
  std::vector<Side> sides() const {
    std::vector<Side> all;
    for (std::size_t i = 0; i < phones_.size(); ++i) all.push_back(static_cast<Side>(i));
    return all;
  }
  Link& up(Side s) { return up_[s]; }      ///< phone → relay
  Link& down(Side s) { return down_[s]; }  ///< relay → phone
  TimePoint now() const { return now_; }
  int steps() const { return steps_; }

  /// Extra reactions to call events, after the default re-INVITE answer.
  Reaction react;
  /// The shim's media part answers re-INVITE offers (false: it never does,
  /// as if the browser were still busy when the call ends).
  bool answer_reinvites = true;

  /// Run `action` when virtual time reaches `when`.
  void at(TimePoint when, std::function<void(CallSim&)> action) {
    scheduled_.emplace(std::make_pair(when, next_action_++), std::move(action));
  }

  /// Drain both phones (call after giving a command), letting the shim react
  /// to each call event that comes out, until neither has anything left.
  void drain() {
    for (bool more = true; more;) {
      more = false;
      for (Side s : sides()) {
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

  /// Register every phone and run until all are registered.
  void register_all() {
    for (Side s : sides()) (void)ua(s).start_register(now_);
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
    for (Side s : sides())
      for (auto& frame : up_[s].take_due(now_)) relay(s, std::move(frame));
    for (Side s : sides())
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
    for (Side s : sides())
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

  /// The handle of the first call phone `s` was offered (0 before one arrives).
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
    for (Side s : sides())
      t = std::min({t, phones_[s].deadline(), up_[s].next_delivery(), down_[s].next_delivery()});
    return t;
  }

  void relay(Side from, std::string frame) {
    auto m = msg::parse(frame);
    if (!m.ok()) return;  // the phones never send what they cannot parse back
    if (m->is_request() && m->method() == "REGISTER") {
      msg::Message ok = msg::make_reply(*m, 200, "relay");
      if (const auto contact = m->get("Contact")) ok.add("Contact", std::string(*contact));
      down_[from].send(ok.to_string(), now_);
      return;
    }
    const auto via = msg::parse_via(m->get("Via").value_or(""));
    const std::string branch = via ? std::string(via->branch()) : std::string();
    std::optional<Side> to;
    if (m->is_request()) {
      senders_[branch] = from;
      if (const auto uri = msg::parse_uri(m->request_uri()))
        if (const auto it = by_user_.find(uri->user); it != by_user_.end()) to = it->second;
    } else if (const auto it = senders_.find(branch); it != senders_.end()) {
      to = it->second;
    }
    if (!to) return;  // nobody by that name: lost (tests only call phones that exist)
    ++relayed_[from][m->is_request() ? std::string(m->method()) : std::to_string(m->status())];
    trace_ += std::to_string(now_) + " " + name(from) + ">" + name(*to) + " " + frame.substr(0, frame.find('\r')) +
              " (" + std::string(m->get("CSeq").value_or("")) + ")\n";
    down_[*to].send(std::move(frame), now_);
  }

  static std::string name(Side s) { return std::string(1, static_cast<char>('A' + s)); }

  void on_call_event(Side s, const call::CallEvent& event) {
    if (const auto* offer = std::get_if<call::ReinviteOffer>(&event); offer && answer_reinvites) {
      (void)ua(s).answer_reinvite(offer->call, sim_sdp(answer_direction(std::string(offer->request.body())), ++sdp_version_),
                                  now_);
    }
    if (react) react(*this, s, event);
  }

  std::deque<Endpoint> phones_;  // a Ua never moves
  std::vector<Link> up_, down_;
  std::map<std::string, Side> by_user_;
  std::map<std::string, Side> senders_;  ///< request branch → the phone that sent it
  std::vector<std::map<std::string, int>> relayed_;
  std::vector<std::size_t> reacted_;  ///< events already given to on_call_event
  std::string trace_;
  std::map<std::pair<TimePoint, int>, std::function<void(CallSim&)>> scheduled_;
  int next_action_ = 0;
  int sdp_version_ = 1;
  TimePoint now_ = 0;
  int steps_ = 0;
};

}  // namespace wwp::sim
