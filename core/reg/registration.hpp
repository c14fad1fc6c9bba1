// Registration client (RFC 3261 §10.2) for one AOR and one Contact, with
// digest authentication (RFC 3261 §22) and the transport watchdog of
// ringcentral-web-phone (a REGISTER with no response at all in 5 s means the
// WebSocket is dead).
//
// States and legal transitions (`transition()` enforces them):
//
//            start()                 2xx (expires>0)
//   Idle ──────────────► Registering ───────────────► Registered
//    ▲                    │  ▲  │ 401/407 → resend        │  │
//    │                    │  │  └─ with credentials ──────┘  │ Refresh timer
//    │      final error / │  └─────────────────────────────────┘
//    │      timeout       ▼
//    │                  Failed ◄──── (any state) transport closed
//    │ stop() from Registered/Registering
//    │                    ▼
//    └──── 2xx/error ─ Unregistering
//
//  - A cycle sends REGISTER; a 401/407 challenge is answered once per cycle
//    (again only when the server says `stale=true`, RFC 7616 §3.3). A second
//    challenge means the credentials are wrong: the cycle fails with
//    "Registration failed: SIP/2.0 401 Unauthorized" and nothing is retried.
//  - 423 Interval Too Brief is retried once with the server's Min-Expires
//    (RFC 3261 §10.2.8).
//  - Every failure is classified (`RegFailure`, house style §6/§12) and
//    carries the server's Retry-After (RFC 3261 §20.33) so the app knows
//    what to do and when; the 2xx's bindings (§10.3 step 8: the registrar
//    lists every current binding of the AOR) ride on `Registered`.
//  - Call-ID and From tag stay the same for every refresh, CSeq increases by
//    one per request (RFC 3261 §10.2.4); ringcentral-web-phone changes them
//    per cycle, which its server accepts either way.
//  - The refresh is sent before the granted expiry: at the later of half the
//    interval and 5 s before expiry (e.g. 55 s for 60 s).
//
// Calling contract: hand every REGISTER from `poll_transmit()` to the
// transaction layer (`txn::TransactionLayer::start_client`, a NICT) and feed
// every `ClientResponse` it reports back to `handle_response()` (it matches
// by branch, so responses for abandoned requests return false). The NICT owns
// Timer F (RFC 3261 §17.1.2.2): a registrar silent after a 1xx reaches us as
// its synthetic "408 Request Timeout". Our own timers are the refresh and the
// 5 s no-answer watchdog; call `handle_timeout()` when `next_timeout()` is
// due, then drain `poll_transmit()` and `poll_event()`.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/config/config.hpp"
#include "core/msg/message.hpp"
#include "core/txn/transaction_layer.hpp"
#include "core/util/rng.hpp"
#include "core/util/status.hpp"
#include "core/util/timer_table.hpp"

namespace wwp::reg {

enum class State { Idle, Registering, Registered, Unregistering, Failed };
const char* to_string(State s);

/// Why a registration failed, and what the app must do (house style §12;
/// README "Registration errors" says the same to app authors). `to_string`
/// gives the name the JS error's `code` carries.
enum class RegFailure {
  /// 401/407 again after our credentials: they are wrong. Ask the user or
  /// re-provision; retrying with the same ones fails the same way.
  Unauthorized,
  /// 403: the server refuses this AOR or instance (RingCentral also says so
  /// when the instance id is taken over). Do not retry blindly.
  Forbidden,
  /// 603 (RingCentral "Too Many Contacts": a sixth `+sip.instance` for the
  /// extension). Dispose phones no longer in use, or wait ~1 min (or
  /// `retry_after_ms`) for stale bindings to expire.
  TooManyContacts,
  /// 423 even after the retry with Min-Expires (RFC 3261 §10.2.8).
  IntervalTooBrief,
  /// 408, Timer F, or nothing at all within `register_no_answer`.
  /// Reconnect (`start()`) with back-off.
  Timeout,
  /// The transport closed (or a synthetic 503 for that, RFC 3261 §17.1.4).
  /// Reconnect with back-off.
  Transport,
  /// Any other 5xx, including a real 503: retry after `retry_after_ms`, or
  /// with back-off; try the backup proxy.
  ServerError,
  /// Anything else 3xx-6xx (and a 2xx that does not bind us).
  Rejected,
};
const char* to_string(RegFailure f);

/// One binding of our AOR as a REGISTER 2xx lists it (RFC 3261 §10.3 step 8).
struct Binding {
  std::string uri;           ///< Contact URI, without <>
  std::uint32_t expires;     ///< its `expires` param, else the Expires header, else 0
  std::string instance;      ///< `+sip.instance` without quotes and <> ("urn:uuid:…"), "" if absent
  bool ours;                 ///< our instance id, or our Contact URI
};

/// Registration outcomes reported to the UA.
struct Registered {
  std::uint32_t expires;          ///< seconds granted by the registrar
  std::vector<Binding> bindings;  ///< every binding the 2xx lists (garbled Contacts skipped)
};
struct RegistrationFailed {
  int status;                   ///< SIP status; 408 for no answer, 503 for transport loss
  std::string message;          ///< "Registration failed: SIP/2.0 403 Forbidden" (2.x text, unchanged)
  RegFailure code = RegFailure::Rejected;
  std::string reason;           ///< reason phrase ("Too Many Contacts"); the standard one when synthetic
  std::uint32_t retry_after_ms = 0;  ///< Retry-After (RFC 3261 §20.33), 0 when absent or malformed
};

/// Retry-After (RFC 3261 §20.33: `delta-seconds [ comment ] *( SEMI
/// retry-param )`) in ms; 0 when absent or malformed, saturated at INT32_MAX
/// ms (it crosses to JS as an int32).
std::uint32_t retry_after_ms(const msg::Message& response);
struct Unregistered {};
/// No response at all within `register_no_answer`: the driver must close the
/// transport (and may reconnect and call `start()` again).
struct TransportDead {
  std::string reason;
};
using RegEvent = std::variant<Registered, RegistrationFailed, Unregistered, TransportDead>;

/// The identity of our registration that another UA continues (issue #13,
/// core/ua/snapshot.hpp): with the same Call-ID and From tag, and a CSeq
/// above the last one sent, its REGISTER replaces our binding instead of
/// adding one (RFC 3261 §10.2.4, §10.3 step 7).
struct RegistrationSnapshot {
  std::string call_id;
  std::string from_tag;
  std::uint32_t cseq = 0;  ///< the last CSeq sent (or the starting point if none was)
  bool bound = false;      ///< the registrar had granted the binding (`has_binding()`)
};

class Registration {
 public:
  Registration(const Config& config, Rng& rng);

  /// Begin (or restart) registering. Legal from every state except
  /// Unregistering; restarting from Registering abandons the old request.
  /// `expires` > 0: the interval to ask for from now on (this and every
  /// later start, refresh and recovery); 0 keeps the one asked before (at
  /// first Config::register_expires).
  Status start(TimePoint now, std::uint32_t expires = 0);
  /// Unregister (Contact expires=0). Legal from Registered and Registering;
  /// from Idle/Failed it completes at once with `Unregistered`.
  Status stop(TimePoint now);
  /// The transport went away: pending requests can never be answered.
  /// `replaced`: the app's own start() replaced the socket and registers
  /// again at once, so a registration it cut short is not a failure to report.
  void handle_transport_closed(TimePoint now, bool replaced = false);

  /// Returns true when the response belonged to our current request.
  /// `source` tells a synthetic 408/503 (core/txn) from one on the wire.
  bool handle_response(const msg::Message& response, TimePoint now,
                       txn::ResponseSource source = txn::ResponseSource::Wire);
  void handle_timeout(TimePoint now);

  std::optional<msg::Message> poll_transmit();
  std::optional<RegEvent> poll_event();
  TimePoint next_timeout() const { return timers_.next(); }

  State state() const { return state_; }
  /// The cycle under way (or that just ended) is a refresh the core started
  /// itself, not the app's start(): nobody awaits its outcome.
  bool refreshing() const { return refreshing_; }
  /// The registrar granted a binding that has not been given up: true from
  /// Registered until a failure, unregister or transport loss — including
  /// while a refresh is in flight (Registering again), so calls and app
  /// requests are not refused every `expires` seconds.
  bool has_binding() const { return bound_; }
  const std::string& call_id() const { return call_id_; }
  RegistrationSnapshot snapshot() const { return {call_id_, from_tag_, cseq_, bound_}; }
  /// Continue another UA's registration: the next REGISTER has its Call-ID
  /// and From tag and CSeq `s.cseq + 1`. Only before the first `start()`
  /// (InvalidState otherwise); `s.bound` is information, not state: this UA
  /// holds no binding until its own REGISTER succeeds.
  Status restore(const RegistrationSnapshot& s);
  /// The Contact URI we register (`<sip:user@host;transport=wss>` without <>).
  std::string contact_uri() const;
  /// Our `+sip.instance` id (the configured one, else the authorization id).
  const std::string& instance_id() const;

 private:
  enum class TimerKind : std::size_t { Refresh, NoAnswer, Count };

  void transition(State next);
  void send_register(TimePoint now, std::uint32_t expires, const std::string& authorization_header,
                     const std::string& authorization_value);
  void on_success(const msg::Message& response, TimePoint now);
  void fail(RegFailure code, int status, std::string reason, std::string message,
            std::uint32_t retry_after = 0);
  void fail_response(RegFailure code, const msg::Message& response, std::string message);
  std::vector<Binding> bindings(const msg::Message& response) const;

  const Config& config_;
  Rng& rng_;
  State state_ = State::Idle;
  bool bound_ = false;
  bool refreshing_ = false;        ///< see refreshing()
  TimerTable<TimerKind, static_cast<std::size_t>(TimerKind::Count)> timers_;

  std::string call_id_;
  std::string from_tag_;
  std::uint32_t cseq_ = 0;
  std::string branch_;             ///< branch of the request in flight
  std::uint32_t expires_ = 0;      ///< what the request in flight asks for
  std::uint32_t asked_ = 0;        ///< the app's own interval (start's `expires`), 0 for the config's
  std::uint32_t requested_ = 0;    ///< what the user asked for (may rise by 423)
  bool challenged_ = false;        ///< answered a challenge in this cycle
  bool stale_retried_ = false;     ///< answered a stale=true re-challenge in this cycle
  bool interval_retried_ = false;  ///< retried after 423 in this cycle
  std::string nonce_;              ///< the nonce last answered, and how often (nc)
  std::uint32_t nonce_count_ = 0;

  std::deque<msg::Message> transmits_;
  std::deque<RegEvent> events_;
};

}  // namespace wwp::reg
