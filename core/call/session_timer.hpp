// SIP session timers (RFC 4028): the header fields Session-Expires and Min-SE,
// the negotiation rules of both roles, and the one small machine a Call owns
// to keep its session alive (as the refresher) or to end it when the peer
// stops refreshing (as the other side).
//
// Negotiation is pure functions over messages (no state):
//  - `uac_request_headers()`: what our initial INVITE asks for (§7.1).
//  - `uas_negotiate()`: what an INVITE/re-INVITE/UPDATE we receive asks
//    for, and our answer to it: a 422 with our Min-SE, or the 2xx's
//    Session-Expires with the refresher chosen (§9), or no timer.
//  - `uac_on_2xx()`: what a 2xx to our INVITE/re-INVITE/UPDATE settled (§7.2).
//
// The machine (`SessionTimer`) only keeps time:
//
//      Off ──start(N, we refresh)──► Refresher   arms Refresh at N/2 (§10)
//      Off ──start(N, peer refreshes)──► Watcher arms Expire at N - min(32, N/3) (§10)
//      Refresher/Watcher ──start(...)──► Refresher/Watcher  (every refresh renegotiates:
//                                         the 2xx of any re-INVITE/UPDATE, either way)
//      Refresher ──Refresh due──► Refresher      (`Action::Refresh`: the Call sends UPDATE
//                                                  or re-INVITE; its 2xx calls start() again)
//      Watcher ──Expire due──► Off               (`Action::Expire`: the Call sends BYE)
//      any ──stop() (no Session-Expires in a 2xx, call ending)──► Off
//
// Calling contract: the Call calls `start()` whenever a 2xx it sent or
// received settled an interval, `stop()` when a 2xx settled none or the
// session ends, and `handle_timeout(now)` when `next_timeout()` is due,
// then acts on the returned Action. Durations in the header fields are
// seconds; TimePoints are ms (core/util/time.hpp).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/msg/message.hpp"
#include "core/util/time.hpp"
#include "core/util/timer_table.hpp"

namespace wwp::call {

/// RFC 4028 §4: "the minimum allowed value for the session timer ... MUST
/// NOT be lower than 90 seconds" (§5: also the Min-SE default).
constexpr std::uint32_t kMinSessionExpires = 90;

/// `Session-Expires: delta-seconds [;refresher=uac|uas]` (§4; compact `x`).
struct SessionExpires {
  enum class Refresher { Unset, Uac, Uas };
  std::uint32_t delta = 0;
  Refresher refresher = Refresher::Unset;
};
/// Nullopt when absent or not `1*DIGIT` followed by parameters; an
/// unknown refresher value reads as Unset (§4: "uac" / "uas" only).
std::optional<SessionExpires> parse_session_expires(std::string_view value);
std::string to_string(const SessionExpires& se);
/// `Min-SE: delta-seconds` (§5); nullopt when absent or malformed.
std::optional<std::uint32_t> parse_min_se(std::string_view value);
/// `option` is one of the option tags of every `header` (Supported, Require).
bool lists_option(const msg::Message& m, std::string_view header, std::string_view option);

/// Our settings (Config::session_expires / min_se, clamped to the RFC's floor).
struct SessionTimerConfig {
  std::uint32_t session_expires = 1800;  ///< 0: never ask, still honour the peer's
  std::uint32_t min_se = kMinSessionExpires;
};
SessionTimerConfig clamp(std::uint32_t session_expires, std::uint32_t min_se);

/// What one end settled: the interval and whether we are the refresher.
struct SessionTerms {
  std::uint32_t interval = 0;  ///< seconds
  bool we_refresh = false;
};

/// Headers for an INVITE we send (§7.1): Session-Expires: `interval` and
/// Min-SE; no refresher parameter ("it is RECOMMENDED that the parameter be
/// omitted so that it can be selected by the negotiation mechanisms").
std::vector<std::pair<std::string, std::string>> uac_request_headers(std::uint32_t interval,
                                                                     std::uint32_t min_se);

/// The UAS side of one INVITE/re-INVITE/UPDATE (§9).
struct UasVerdict {
  enum class Kind { NoTimer, Reject422, Accept };
  Kind kind = Kind::NoTimer;
  std::uint32_t min_se = 0;  ///< Reject422: our Min-SE for the 422
  SessionTerms terms;        ///< Accept: what the 2xx settles
  /// Accept: the 2xx's headers (Session-Expires with the refresher, and
  /// `Require: timer` when the request's sender supports timers).
  std::vector<std::pair<std::string, std::string>> headers;
};
UasVerdict uas_negotiate(const msg::Message& request, const SessionTimerConfig& cfg);

/// The UAC side: what a 2xx to our INVITE/re-INVITE/UPDATE settled (§7.2);
/// nullopt = no session timer.
std::optional<SessionTerms> uac_on_2xx(const msg::Message& response);

class SessionTimer {
 public:
  enum class State { Off, Refresher, Watcher };
  enum class Action { None, Refresh, Expire };

  /// A 2xx settled `terms` at `now`: (re)arm from scratch.
  void start(SessionTerms terms, TimePoint now);
  /// An adopted call (core/call/call_adopt.cpp): the last refresh happened
  /// in another UA at an unknown time, so as the refresher refresh within
  /// the shortest time that is safe whatever that time was, and as the
  /// watcher allow a whole interval from now.
  void resume(SessionTerms terms, TimePoint now);
  void stop();
  /// The Refresh went out but could not be sent or failed without ending
  /// the dialog: try again after `delay`.
  void retry_refresh(TimePoint at);
  Action handle_timeout(TimePoint now);
  TimePoint next_timeout() const { return timers_.next(); }

  State state() const { return state_; }
  std::uint32_t interval() const { return terms_.interval; }
  bool active() const { return state_ != State::Off; }
  const SessionTerms& terms() const { return terms_; }

  /// §10: "the refresher ... SHOULD send a refresh ... [at] one half the
  /// session expiration interval".
  static Duration refresh_after(std::uint32_t interval) { return Duration{interval} * 1000 / 2; }
  /// §10: the other side sends BYE "before the session expires", at
  /// "the session interval minus the minimum of 32 seconds and one third
  /// of the session interval".
  static Duration expire_after(std::uint32_t interval) {
    const Duration n = Duration{interval} * 1000;
    return n - std::min<Duration>(32'000, n / 3);
  }

 private:
  enum class TimerKind : std::size_t { Refresh, Expire, Count };
  void transition(State next);

  State state_ = State::Off;
  SessionTerms terms_;
  TimerTable<TimerKind, static_cast<std::size_t>(TimerKind::Count)> timers_;
};

}  // namespace wwp::call
