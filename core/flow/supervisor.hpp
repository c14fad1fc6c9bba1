// The flow supervisor: keeps a started phone connected (issue "self-healing").
// A flow is RFC 5626's name for the one connection a UA registers over; this
// machine decides when that connection is dead and when to open a new one.
// It never touches a socket: it asks the driver to open or close one
// (`poll_request`) and hears back what happened (`handle_transport_*`).
//
// Off (`RecoveryConfig::enabled == false`) it asks for nothing and the phone
// behaves as ringcentral-web-phone 2.x: a lost socket stays lost.
//
// States and legal transitions (`transition()` enforces them):
//
//            transport open                  transport closed / pong timeout
//   Idle ─────────────────► Connected ──────────────────────────────────────┐
//    ▲  ▲                    ▲    │ (armed: a registration succeeded on it)  │
//    │  │  stop()            │    └─ not armed: back to Idle, nothing asked  │
//    │  └──── (any) ─────────┼───────────────────────────────────────────────┤
//    │                       │ transport open                                 ▼
//    │                  Connecting ◄──── backoff timer / `online` ───────── Waiting
//    │                       │ transport closed (attempts left)               ▲
//    │                       └─────────────────────────────────────────────────┘
//    │                       │ attempts exhausted / final registration error
//    └──── stop() ───────  Failed ──── `online` or start() ─► Connecting
//
//  - Recovery is armed by the first registration on a connection (a phone
//    that never worked is the app's to fix: start() rejects as before).
//  - Backoff: base × multiplier^(attempt-1), capped, ± jitter (from the
//    UA's injected RNG, house style §10), at least the server's Retry-After.
//  - Failover: after `failover_after` failed attempts on the primary the next
//    attempt goes to the backup; the next outage starts at the primary again,
//    and a phone idle on the backup for `primary_return` moves back. Moving
//    back is a departure, not a loss: it first removes its binding on the
//    backup (`LeaveFlow`, an unREGISTER, RFC 3261 §10.2.2) so no server
//    keeps routing calls to a connection we are about to close.
//  - Keep-alive (RFC 5626 §4.4.1): a CRLFCRLF ping every `keepalive_interval`;
//    a server that has answered a ping with CRLF (so we know it does) and
//    then stays silent `keepalive_timeout` after the next one is dead. A
//    server that never pongs is judged by its REGISTER refreshes instead.
//  - An attempt that neither opens nor fails within `connect_timeout` (a
//    stopped server still accepts TCP connections) is closed and counted
//    as failed; so is one that opens and closes before it registered.
//  - `offline` (a browser hint) changes nothing by itself: the socket usually
//    dies on its own; `online` ends a wait at once.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/util/rng.hpp"
#include "core/util/time.hpp"
#include "core/util/timer_table.hpp"

namespace wwp::flow {

struct RecoveryConfig {
  bool enabled = false;
  Duration base_delay = 1000;         ///< first retry after about this long
  std::uint32_t multiplier_pct = 200;  ///< each later delay × this / 100
  Duration max_delay = 10000;         ///< delays stop growing here
  std::uint32_t max_attempts = 0;     ///< per outage; 0 = unlimited
  std::uint32_t jitter_pct = 20;      ///< each delay ± this % (0-100)
  Duration keepalive_interval = 25000;  ///< CRLFCRLF ping period; 0 = none
  Duration keepalive_timeout = 10000;   ///< RFC 5626 §4.4.1: pong within 10 s
  /// An attempt not open by then is given up (a server that accepts the TCP
  /// connection but never completes the WebSocket handshake).
  Duration connect_timeout = 10000;
  std::uint32_t failover_after = 2;   ///< failed primary attempts before the backup
  bool has_backup = false;            ///< the driver knows a backup server
  Duration primary_return = 300000;   ///< idle on the backup this long → primary; 0 = stay
  Duration call_grace = 60000;        ///< calls not recovered by then end
};

enum class State { Idle, Connected, Waiting, Connecting, Failed };
const char* to_string(State s);

enum class Server : std::uint8_t { Primary = 0, Backup = 1 };

/// Requests to the driver (the UA turns them into outputs).
struct OpenTransport {
  Server server;
};
struct CloseTransport {
  std::string reason;
};
/// Send the RFC 5626 keep-alive ping (CRLFCRLF) on the open transport.
struct SendPing {};
/// Remove our binding on this flow's server, then call `handle_left()`.
struct LeaveFlow {};
using FlowRequest = std::variant<OpenTransport, CloseTransport, SendPing, LeaveFlow>;

/// What the app hears: every state change, with why.
struct StateChanged {
  State state;
  Server server;
  std::uint32_t attempt;  ///< Waiting/Connecting: attempt number in this outage
  Duration delay;         ///< Waiting: ms until the attempt
  std::string reason;     ///< what caused the change ("" when nothing to say)
};

/// How a registration on a recovered flow failed (the UA classifies).
enum class RegisterOutcome { Retry, Final };

class Supervisor {
 public:
  Supervisor(const RecoveryConfig& config, Rng& rng) : config_(config), rng_(rng) {}

  // --- facts from the driver ----------------------------------------------
  void handle_transport_open(Server server, TimePoint now);
  /// Closed, or failed to open. `reason` is the driver's words.
  void handle_transport_closed(std::string reason, TimePoint now);
  /// Any frame arrived; `pong` when it was only CRLFs (RFC 5626 §4.4.1).
  void handle_received(bool pong, TimePoint now);
  void handle_network(bool online, TimePoint now);

  // --- facts from the UA ------------------------------------------------------
  /// A registration succeeded on the current flow: recovery is armed, and an
  /// outage (if any) is over. Returns true when this ended an outage.
  bool handle_registered(TimePoint now);
  /// A registration on a recovered flow, or a refresh on the armed one,
  /// failed. `Retry`: drop this flow and try again no sooner than
  /// `retry_after` (503/603 Retry-After, timeouts; a refresh failure starts
  /// an outage); `Final`: give up (wrong credentials, forbidden).
  void handle_register_failed(RegisterOutcome outcome, Duration retry_after, std::string reason,
                              TimePoint now);
  /// The unREGISTER asked for by `LeaveFlow` completed (or failed: either
  /// way we go); the flow is closed and the primary tried.
  void handle_left(TimePoint now);
  /// The app unregistered or disposed: no more recovery until armed again.
  void stop(TimePoint now);
  /// Whether calls exist decides if an idle backup flow may move back.
  void set_has_calls(bool has_calls) { has_calls_ = has_calls; }

  void handle_timeout(TimePoint now);
  TimePoint next_timeout() const { return timers_.next(); }
  std::optional<FlowRequest> poll_request();
  std::optional<StateChanged> poll_event();

  State state() const { return state_; }
  Server server() const { return server_; }
  /// The armed phone lost its flow and has not registered again yet.
  bool recovering() const { return outage_; }
  /// A registration succeeded since start (and no stop since): a failed
  /// refresh is the supervisor's to recover from.
  bool armed() const { return config_.enabled && armed_; }
  /// An outage has lasted longer than `call_grace` (checked by the UA after
  /// each timeout): the calls it kept cannot be recovered any more.
  bool take_grace_expired() {
    const bool e = grace_expired_;
    grace_expired_ = false;
    return e;
  }
  bool enabled() const { return config_.enabled; }

 private:
  enum class TimerKind : std::size_t { Ping, PongWait, Retry, ConnectWait, Grace, PrimaryReturn, LeaveWait, Count };

  void transition(State next, std::string reason = {});
  void lost(std::string reason, Duration at_least, TimePoint now);
  void schedule_attempt(Duration at_least, std::string reason, TimePoint now);
  void attempt(TimePoint now);
  Duration backoff(std::uint32_t attempt);
  void arm_keepalive(TimePoint now);
  Duration keepalive_delay();

  const RecoveryConfig& config_;
  Rng& rng_;
  State state_ = State::Idle;
  Server server_ = Server::Primary;
  bool armed_ = false;      ///< a registration succeeded since start/stop
  bool outage_ = false;     ///< lost after being armed, not registered again
  bool pong_seen_ = false;  ///< the server answers pings (so silence means dead)
  bool has_calls_ = false;
  bool grace_expired_ = false;
  bool leaving_ = false;    ///< a LeaveFlow (unREGISTER) is under way
  std::uint32_t attempt_ = 0;          ///< attempts in this outage
  std::uint32_t primary_failures_ = 0;  ///< consecutive, in this outage
  Duration last_delay_ = 0;
  TimerTable<TimerKind, static_cast<std::size_t>(TimerKind::Count)> timers_;
  // A few entries at most between drains; vectors, because every std::deque
  // instantiation costs the wasm module about a kilobyte.
  std::vector<FlowRequest> requests_;
  std::vector<StateChanged> events_;
};

}  // namespace wwp::flow
