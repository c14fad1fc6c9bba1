// The flow supervisor (see supervisor.hpp for the state diagram).
#include "core/flow/supervisor.hpp"

#include <algorithm>
#include <cstdlib>

namespace wwp::flow {

const char* to_string(State s) {
  switch (s) {
    case State::Idle: return "idle";
    case State::Connected: return "connected";
    case State::Waiting: return "waiting";
    case State::Connecting: return "connecting";
    case State::Failed: return "failed";
  }
  return "?";
}

namespace {
bool legal(State from, State to) {
  switch (to) {
    case State::Idle: return true;  // stop() from anywhere; an unarmed flow that closed
    case State::Connected: return from == State::Idle || from == State::Connecting;
    case State::Waiting: return from == State::Connected || from == State::Connecting || from == State::Waiting;
    case State::Connecting: return from == State::Waiting || from == State::Failed || from == State::Connected;
    case State::Failed: return from == State::Waiting || from == State::Connecting || from == State::Connected;
  }
  return false;
}
}  // namespace

void Supervisor::transition(State next, std::string reason) {
  if (!legal(state_, next)) std::abort();  // a broken invariant (house style §11c)
  state_ = next;
  // Waiting reports the attempt it leads to; Connecting the one under way.
  const bool waiting = next == State::Waiting;
  events_.push_back(StateChanged{next, server_, waiting ? attempt_ + 1 : attempt_, waiting ? last_delay_ : 0,
                                 std::move(reason)});
}

void Supervisor::arm_keepalive(TimePoint now) {
  timers_.stop(TimerKind::PongWait);
  if (config_.keepalive_interval > 0) timers_.set(TimerKind::Ping, now + keepalive_delay());
}

Duration Supervisor::keepalive_delay() {
  // RFC 5626 §4.4.1: each keep-alive goes at a random time between 80 % and
  // 100 % of the interval, so that phones a server restart reconnected all
  // at once do not ping it in step for ever after.
  const Duration spread = config_.keepalive_interval / 5;
  return config_.keepalive_interval - static_cast<Duration>(rng_.next_u64() % static_cast<std::uint64_t>(spread + 1));
}

void Supervisor::handle_transport_open(Server server, TimePoint now) {
  if (!config_.enabled) return;
  server_ = server;
  pong_seen_ = false;  // learnt per connection: primary and backup may differ
  timers_.stop(TimerKind::Retry);
  timers_.stop(TimerKind::ConnectWait);
  if (state_ == State::Connected) {
    // The driver replaced the socket itself (a second start()): same flow state.
    arm_keepalive(now);
    return;
  }
  if (state_ != State::Idle && state_ != State::Connecting) return;  // not ours to take
  transition(State::Connected);
  arm_keepalive(now);
  if (server == Server::Backup && config_.primary_return > 0)
    timers_.set(TimerKind::PrimaryReturn, now + config_.primary_return);
  else
    timers_.stop(TimerKind::PrimaryReturn);
}

void Supervisor::handle_transport_closed(std::string reason, TimePoint now) {
  if (!config_.enabled) return;
  switch (state_) {
    case State::Connected:
      timers_.stop(TimerKind::Ping);
      timers_.stop(TimerKind::PongWait);
      timers_.stop(TimerKind::PrimaryReturn);
      timers_.stop(TimerKind::LeaveWait);
      leaving_ = false;
      if (armed_ && outage_) {
        // An attempt of this outage that opened and closed before it
        // registered (a server that accepts the handshake and then drops
        // it) failed like one that never opened: it counts toward the
        // failover and the attempt limit. As a fresh loss it sent every
        // attempt back to the primary, and a phone never reached the backup.
        primary_failures_ = server_ == Server::Primary ? primary_failures_ + 1 : 0;
        return schedule_attempt(0, std::move(reason), now);
      }
      if (armed_) return lost(std::move(reason), 0, now);
      return transition(State::Idle, std::move(reason));
    case State::Connecting:
      // This attempt failed; the next one may go elsewhere.
      timers_.stop(TimerKind::ConnectWait);
      primary_failures_ = server_ == Server::Primary ? primary_failures_ + 1 : 0;
      return schedule_attempt(0, std::move(reason), now);
    case State::Idle:
    case State::Waiting:
    case State::Failed:
      return;  // a socket we had already given up
  }
}

void Supervisor::lost(std::string reason, Duration at_least, TimePoint now) {
  if (!outage_) {
    outage_ = true;
    attempt_ = 0;
    primary_failures_ = 0;
    if (config_.call_grace > 0) timers_.set(TimerKind::Grace, now + config_.call_grace);
  }
  // An outage on the backup starts over at the primary.
  server_ = Server::Primary;
  schedule_attempt(at_least, std::move(reason), now);
}

Duration Supervisor::backoff(std::uint32_t attempt) {
  // base × multiplier^(attempt-1), capped; integer steps so every platform
  // (and the tests) computes the same delays.
  Duration d = std::max<Duration>(config_.base_delay, 0);
  for (std::uint32_t i = 1; i < attempt && d < config_.max_delay; ++i)
    d = d * static_cast<Duration>(config_.multiplier_pct) / 100;
  d = std::min(d, std::max<Duration>(config_.max_delay, 0));
  const std::uint32_t pct = std::min<std::uint32_t>(config_.jitter_pct, 100);
  if (pct == 0 || d == 0) return d;
  // Spread clients that lost the same server so they do not return at once.
  const Duration span = d * pct / 100;
  const Duration offset = static_cast<Duration>(rng_.next_u64() % static_cast<std::uint64_t>(2 * span + 1)) - span;
  return std::max<Duration>(d + offset, 0);
}

void Supervisor::schedule_attempt(Duration at_least, std::string reason, TimePoint now) {
  if (config_.max_attempts != 0 && attempt_ >= config_.max_attempts) {
    timers_.stop(TimerKind::Retry);
    grace_expired_ = true;  // nothing will bring the calls back
    timers_.stop(TimerKind::Grace);
    return transition(State::Failed, "gave up after " + std::to_string(attempt_) + " attempts: " + reason);
  }
  last_delay_ = std::max(backoff(attempt_ + 1), at_least);
  timers_.set(TimerKind::Retry, now + last_delay_);
  transition(State::Waiting, std::move(reason));
}

void Supervisor::attempt(TimePoint now) {
  timers_.stop(TimerKind::Retry);
  ++attempt_;
  server_ = config_.has_backup && primary_failures_ >= std::max<std::uint32_t>(config_.failover_after, 1)
                ? Server::Backup
                : Server::Primary;
  if (server_ == Server::Backup) primary_failures_ = 0;  // after the backup, the primary again
  requests_.push_back(OpenTransport{server_});
  if (config_.connect_timeout > 0) timers_.set(TimerKind::ConnectWait, now + config_.connect_timeout);
  transition(State::Connecting);
}

void Supervisor::handle_received(bool pong, TimePoint now) {
  if (!config_.enabled || state_ != State::Connected) return;
  if (pong) pong_seen_ = true;
  timers_.stop(TimerKind::PongWait);  // anything from the server proves the flow
}

void Supervisor::handle_network(bool online, TimePoint now) {
  if (!config_.enabled || !online) return;
  switch (state_) {
    case State::Waiting:
      return attempt(now);  // the network is back: do not sit out the backoff
    case State::Failed:
      if (!armed_) return;
      attempt_ = 0;
      primary_failures_ = 0;
      return attempt(now);
    case State::Connected:
      // A new network may have left this socket bound to a dead interface:
      // ask at once, and if the server is one that answers, expect it to.
      requests_.push_back(SendPing{});
      if (pong_seen_) timers_.set(TimerKind::PongWait, now + config_.keepalive_timeout);
      return;
    case State::Idle:
    case State::Connecting:
      return;
  }
}

bool Supervisor::handle_registered(TimePoint now) {
  if (!config_.enabled) return false;
  armed_ = true;
  const bool ended_outage = outage_;
  outage_ = false;
  attempt_ = 0;
  primary_failures_ = 0;
  timers_.stop(TimerKind::Grace);
  return ended_outage;
}

void Supervisor::handle_register_failed(RegisterOutcome outcome, Duration retry_after, std::string reason,
                                        TimePoint now) {
  if (!config_.enabled || !(outage_ || armed_) || state_ != State::Connected) return;
  timers_.stop(TimerKind::Ping);
  timers_.stop(TimerKind::PongWait);
  timers_.stop(TimerKind::PrimaryReturn);
  requests_.push_back(CloseTransport{reason});
  if (outcome == RegisterOutcome::Final) {
    grace_expired_ = true;
    timers_.stop(TimerKind::Grace);
    armed_ = false;  // only the app can fix this (new credentials, start())
    return transition(State::Failed, std::move(reason));
  }
  // A refresh that failed on a flow that was fine: the outage starts here
  // (as for a lost socket: calls kept, a fresh flow, REGISTER again).
  if (!outage_) return lost(std::move(reason), retry_after, now);
  primary_failures_ = server_ == Server::Primary ? primary_failures_ + 1 : 0;
  schedule_attempt(retry_after, std::move(reason), now);
}

void Supervisor::handle_left(TimePoint now) {
  if (!leaving_) return;
  leaving_ = false;
  timers_.stop(TimerKind::LeaveWait);
  if (state_ != State::Connected) return;
  timers_.stop(TimerKind::Ping);
  timers_.stop(TimerKind::PongWait);
  requests_.push_back(CloseTransport{"returning to the primary server"});
  outage_ = true;  // register again on the new flow
  attempt_ = 0;
  primary_failures_ = 0;
  attempt(now);
}

void Supervisor::stop(TimePoint now) {
  if (!config_.enabled) return;
  armed_ = false;
  outage_ = false;
  leaving_ = false;
  timers_.stop(TimerKind::LeaveWait);
  timers_.stop(TimerKind::Retry);
  timers_.stop(TimerKind::ConnectWait);
  timers_.stop(TimerKind::Grace);
  timers_.stop(TimerKind::PrimaryReturn);
  if (state_ == State::Waiting || state_ == State::Failed || state_ == State::Connecting)
    transition(State::Idle, "stopped");
}

void Supervisor::handle_timeout(TimePoint now) {
  if (!config_.enabled) return;
  if (timers_.take_expired(TimerKind::Grace, now)) grace_expired_ = true;
  if (timers_.take_expired(TimerKind::Retry, now) && state_ == State::Waiting) attempt(now);
  if (timers_.take_expired(TimerKind::ConnectWait, now) && state_ == State::Connecting) {
    std::string why = "not connected within " + std::to_string(config_.connect_timeout / 1000) + " s";
    requests_.push_back(CloseTransport{why});
    primary_failures_ = server_ == Server::Primary ? primary_failures_ + 1 : 0;
    schedule_attempt(0, std::move(why), now);
  }
  if (timers_.take_expired(TimerKind::PongWait, now) && state_ == State::Connected) {
    timers_.stop(TimerKind::Ping);
    timers_.stop(TimerKind::PrimaryReturn);
    std::string why = "no answer to the keep-alive in " + std::to_string(config_.keepalive_timeout / 1000) +
                      " s (RFC 5626 §4.4.1)";
    requests_.push_back(CloseTransport{why});
    if (armed_) lost(std::move(why), 0, now);
    else transition(State::Idle, std::move(why));
  }
  if (timers_.take_expired(TimerKind::Ping, now) && state_ == State::Connected) {
    requests_.push_back(SendPing{});
    timers_.set(TimerKind::Ping, now + keepalive_delay());
    if (pong_seen_ && !timers_.armed(TimerKind::PongWait))
      timers_.set(TimerKind::PongWait, now + config_.keepalive_timeout);
  }
  if (timers_.take_expired(TimerKind::PrimaryReturn, now) && state_ == State::Connected &&
      server_ == Server::Backup) {
    if (has_calls_ || !armed_) {
      timers_.set(TimerKind::PrimaryReturn, now + config_.primary_return);  // not while calls depend on it
    } else {
      leaving_ = true;
      requests_.push_back(LeaveFlow{});
      // A backup that does not answer the unREGISTER does not hold us.
      timers_.set(TimerKind::LeaveWait, now + std::max<Duration>(config_.keepalive_timeout, 1000));
    }
  }
  if (timers_.take_expired(TimerKind::LeaveWait, now)) handle_left(now);
}

std::optional<FlowRequest> Supervisor::poll_request() {
  if (requests_.empty()) return std::nullopt;
  FlowRequest r = std::move(requests_.front());
  requests_.erase(requests_.begin());
  return r;
}

std::optional<StateChanged> Supervisor::poll_event() {
  if (events_.empty()) return std::nullopt;
  StateChanged e = std::move(events_.front());
  events_.erase(events_.begin());
  return e;
}

}  // namespace wwp::flow
