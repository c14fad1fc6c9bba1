// The flow supervisor in virtual time: what it asks the driver to do after a
// lost socket, a silent server, a failed re-registration and a network change.
#include "core/flow/supervisor.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace wwp::flow {
namespace {

RecoveryConfig config() {
  RecoveryConfig c;
  c.enabled = true;
  c.base_delay = 1000;
  c.multiplier_pct = 200;
  c.max_delay = 8000;
  c.jitter_pct = 0;  // exact delays; jitter has its own test
  c.keepalive_interval = 25000;
  c.keepalive_timeout = 10000;
  c.failover_after = 2;
  c.has_backup = true;
  c.primary_return = 300000;
  c.call_grace = 60000;
  return c;
}

class SupervisorTest : public ::testing::Test {
 protected:
  RecoveryConfig config_ = config();
  Rng rng_{42};
  Supervisor sup_{config_, rng_};
  TimePoint now_ = 1000;

  std::vector<FlowRequest> requests() {
    std::vector<FlowRequest> out;
    while (auto r = sup_.poll_request()) out.push_back(std::move(*r));
    return out;
  }
  std::vector<StateChanged> events() {
    std::vector<StateChanged> out;
    while (auto e = sup_.poll_event()) out.push_back(std::move(*e));
    return out;
  }
  /// Advance virtual time to the next deadline (no further than `limit`).
  void run_until(TimePoint limit) {
    while (sup_.next_timeout() <= limit) {
      now_ = sup_.next_timeout();
      sup_.handle_timeout(now_);
    }
    now_ = limit;
  }
  /// Open on `server` and register: recovery armed.
  void connect_and_register(Server server = Server::Primary) {
    sup_.handle_transport_open(server, now_);
    sup_.handle_registered(now_);
    requests();
    events();
  }
  /// The one OpenTransport asked for (fails the test otherwise).
  Server expect_open() {
    auto r = requests();
    EXPECT_EQ(r.size(), 1u);
    const auto* o = r.empty() ? nullptr : std::get_if<OpenTransport>(&r[0]);
    EXPECT_NE(o, nullptr) << "expected OpenTransport";
    return o ? o->server : Server::Primary;
  }
};

TEST_F(SupervisorTest, DisabledAsksForNothingAndSaysNothing) {
  RecoveryConfig off = config();
  off.enabled = false;
  Supervisor s{off, rng_};
  s.handle_transport_open(Server::Primary, now_);
  s.handle_registered(now_);
  s.handle_transport_closed("gone", now_);
  s.handle_network(true, now_);
  s.handle_timeout(now_ + 1000000);
  EXPECT_FALSE(s.poll_request());
  EXPECT_FALSE(s.poll_event());
  EXPECT_EQ(s.next_timeout(), kNever);
}

TEST_F(SupervisorTest, ASocketThatNeverRegisteredIsNotRecovered) {
  sup_.handle_transport_open(Server::Primary, now_);
  sup_.handle_transport_closed("closed (code 1006)", now_);
  EXPECT_TRUE(requests().empty());
  auto e = events();
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].state, State::Connected);
  EXPECT_EQ(e[1].state, State::Idle);
  EXPECT_EQ(e[1].reason, "closed (code 1006)");
  EXPECT_FALSE(sup_.recovering());
}

TEST_F(SupervisorTest, LostSocketReconnectsWithExponentialBackoffThenRecovers) {
  connect_and_register();
  sup_.handle_transport_closed("closed (code 1006)", now_);
  EXPECT_TRUE(sup_.recovering());
  auto e = events();
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].state, State::Waiting);
  EXPECT_EQ(e[0].attempt, 1u);
  EXPECT_EQ(e[0].delay, 1000);
  EXPECT_EQ(e[0].reason, "closed (code 1006)");
  // Attempts 1, 2, 3, 4 fail: waits of 1, 2, 4, 8 s (capped at 8), and the
  // primary is tried twice before the backup, then the primary again.
  std::vector<Duration> waits;
  std::vector<Server> servers;
  for (int i = 0; i < 5; ++i) {
    const TimePoint before = now_;
    run_until(sup_.next_timeout());
    waits.push_back(now_ - before);
    servers.push_back(expect_open());
    EXPECT_EQ(sup_.state(), State::Connecting);
    sup_.handle_transport_closed("failed", now_);
    events();
  }
  EXPECT_EQ(waits, (std::vector<Duration>{1000, 2000, 4000, 8000, 8000}));
  EXPECT_EQ(servers, (std::vector<Server>{Server::Primary, Server::Primary, Server::Backup, Server::Primary,
                                          Server::Primary}));
  // The sixth attempt connects; the outage ends with the registration.
  run_until(sup_.next_timeout());
  EXPECT_EQ(expect_open(), Server::Backup);
  sup_.handle_transport_open(Server::Backup, now_);
  EXPECT_EQ(sup_.state(), State::Connected);
  EXPECT_TRUE(sup_.recovering());  // until registered again
  EXPECT_TRUE(sup_.handle_registered(now_));
  EXPECT_FALSE(sup_.recovering());
  // The next outage starts over: 1 s, the primary.
  sup_.handle_transport_closed("closed", now_);
  events();
  const TimePoint before = now_;
  run_until(sup_.next_timeout());
  EXPECT_EQ(now_ - before, 1000);
  EXPECT_EQ(expect_open(), Server::Primary);
}

// A primary that completes the WebSocket handshake and then closes (a proxy
// with its SIP service down) went back to the primary for ever.
TEST_F(SupervisorTest, AnAttemptThatOpensAndClosesBeforeRegisteringCountsTowardFailover) {
  connect_and_register();
  sup_.handle_transport_closed("closed", now_);
  events();
  std::vector<Server> servers;
  std::vector<Duration> waits;
  for (int i = 0; i < 3; ++i) {
    const TimePoint before = now_;
    run_until(sup_.next_timeout());
    waits.push_back(now_ - before);
    servers.push_back(expect_open());
    events();  // connecting
    sup_.handle_transport_open(servers.back(), now_);
    sup_.handle_transport_closed("closed (code 1000)", now_);
    auto e = events();
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].state, State::Connected);
    EXPECT_EQ(e[1].state, State::Waiting);
    EXPECT_EQ(e[1].attempt, static_cast<std::uint32_t>(i + 2));
  }
  EXPECT_EQ(servers, (std::vector<Server>{Server::Primary, Server::Primary, Server::Backup}));
  EXPECT_EQ(waits, (std::vector<Duration>{1000, 2000, 4000}));  // the backoff goes on growing
  EXPECT_TRUE(sup_.recovering());
  // And the attempt limit counts them.
  config_.max_attempts = 4;
  run_until(sup_.next_timeout());
  sup_.handle_transport_open(expect_open(), now_);
  sup_.handle_transport_closed("closed (code 1000)", now_);
  EXPECT_EQ(sup_.state(), State::Failed);
}

TEST_F(SupervisorTest, WithoutABackupEveryAttemptGoesToThePrimary) {
  config_.has_backup = false;
  connect_and_register();
  sup_.handle_transport_closed("closed", now_);
  for (int i = 0; i < 6; ++i) {
    run_until(sup_.next_timeout());
    EXPECT_EQ(expect_open(), Server::Primary);
    sup_.handle_transport_closed("failed", now_);
  }
}

TEST_F(SupervisorTest, AttemptLimitFailsOnceAndTheGraceWindowEndsTheCalls) {
  config_.max_attempts = 3;
  connect_and_register();
  sup_.handle_transport_closed("closed", now_);
  for (int i = 0; i < 3; ++i) {
    run_until(sup_.next_timeout());
    expect_open();
    sup_.handle_transport_closed("refused", now_);
  }
  EXPECT_EQ(sup_.state(), State::Failed);
  auto e = events();
  ASSERT_FALSE(e.empty());
  EXPECT_EQ(e.back().state, State::Failed);
  EXPECT_EQ(e.back().reason, "gave up after 3 attempts: refused");
  EXPECT_TRUE(sup_.take_grace_expired());
  EXPECT_FALSE(sup_.take_grace_expired());  // said once
  EXPECT_EQ(sup_.next_timeout(), kNever);   // nothing left to do by itself
  // The browser says the network is back: one fresh try.
  sup_.handle_network(true, now_);
  EXPECT_EQ(expect_open(), Server::Primary);
}

TEST_F(SupervisorTest, OnlineEndsTheWaitAtOnce) {
  connect_and_register();
  sup_.handle_transport_closed("closed", now_);
  sup_.handle_network(false, now_);
  EXPECT_TRUE(requests().empty());
  now_ += 10;
  sup_.handle_network(true, now_);
  EXPECT_EQ(expect_open(), Server::Primary);
  EXPECT_EQ(sup_.state(), State::Connecting);
}

TEST_F(SupervisorTest, GraceWindowExpiresDuringALongOutage) {
  config_.max_delay = 30000;
  connect_and_register();
  sup_.handle_transport_closed("closed", now_);
  const TimePoint lost_at = now_;
  bool expired = false;
  while (!expired && now_ < lost_at + 120000) {
    run_until(sup_.next_timeout());
    expired = sup_.take_grace_expired();
    for (auto& r : requests())
      if (std::holds_alternative<OpenTransport>(r)) sup_.handle_transport_closed("refused", now_);
  }
  EXPECT_TRUE(expired);
  EXPECT_EQ(now_, lost_at + 60000);
}

TEST_F(SupervisorTest, RecoveringBeforeTheGraceWindowKeepsTheCalls) {
  connect_and_register();
  sup_.handle_transport_closed("closed", now_);
  run_until(sup_.next_timeout());
  expect_open();
  sup_.handle_transport_open(Server::Primary, now_);
  sup_.handle_registered(now_);
  run_until(now_ + 120000);
  EXPECT_FALSE(sup_.take_grace_expired());
}

TEST_F(SupervisorTest, KeepAlivePingsAndASilentServerThatUsedToAnswerIsDead) {
  connect_and_register();
  // First ping within 20-25 s (RFC 5626 §4.4.1); the server answers with CRLF (a pong).
  TimePoint before = now_;
  run_until(sup_.next_timeout());
  EXPECT_GE(now_ - before, 20000);
  EXPECT_LE(now_ - before, 25000);
  auto r = requests();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<SendPing>(r[0]));
  sup_.handle_received(true, now_);
  // The next ping; no answer within 10 s: the flow is closed and recovery starts.
  run_until(sup_.next_timeout());
  ASSERT_EQ(requests().size(), 1u);
  const TimePoint pinged = now_;
  run_until(pinged + 9999);
  EXPECT_TRUE(requests().empty());
  run_until(pinged + 10000);
  r = requests();
  ASSERT_EQ(r.size(), 1u);
  const auto* close = std::get_if<CloseTransport>(&r[0]);
  ASSERT_NE(close, nullptr);
  EXPECT_EQ(close->reason, "no answer to the keep-alive in 10 s (RFC 5626 §4.4.1)");
  EXPECT_EQ(sup_.state(), State::Waiting);
  EXPECT_TRUE(sup_.recovering());
  // The driver's close of that socket arrives late: it changes nothing.
  events();
  sup_.handle_transport_closed("closed (code 1000)", now_);
  EXPECT_TRUE(events().empty());
}

// RFC 5626 §4.4.1: keep-alives at random times between 80 % and 100 % of the
// interval. At a fixed 25 s, the phones a server restart had reconnected in
// the same second pinged it in step from then on.
TEST_F(SupervisorTest, KeepAlivesGoAtRandomTimesBetween80And100PercentOfTheInterval) {
  connect_and_register();
  Duration lo = 25000, hi = 0;
  for (int i = 0; i < 50; ++i) {
    const TimePoint before = now_;
    run_until(sup_.next_timeout());
    ASSERT_EQ(requests().size(), 1u);
    lo = std::min(lo, now_ - before);
    hi = std::max(hi, now_ - before);
  }
  EXPECT_GE(lo, 20000);
  EXPECT_LE(hi, 25000);
  EXPECT_GT(hi - lo, 2000);  // spread, not one value
}

TEST_F(SupervisorTest, AnAttemptThatHangsIsClosedAndCountedAsFailed) {
  config_.connect_timeout = 5000;
  connect_and_register();
  sup_.handle_transport_closed("closed", now_);
  run_until(sup_.next_timeout());
  EXPECT_EQ(expect_open(), Server::Primary);
  const TimePoint opened_at = now_;
  events();
  // The socket neither opens nor fails (a stopped server accepts TCP).
  run_until(opened_at + 4999);
  EXPECT_TRUE(requests().empty());
  run_until(opened_at + 5000);
  auto r = requests();
  ASSERT_EQ(r.size(), 1u);
  const auto* close = std::get_if<CloseTransport>(&r[0]);
  ASSERT_NE(close, nullptr);
  EXPECT_EQ(close->reason, "not connected within 5 s");
  EXPECT_EQ(sup_.state(), State::Waiting);
  // It counts towards failover: the next failure on the primary goes to the backup.
  run_until(sup_.next_timeout());
  EXPECT_EQ(expect_open(), Server::Primary);
  sup_.handle_transport_closed("refused", now_);
  run_until(sup_.next_timeout());
  EXPECT_EQ(expect_open(), Server::Backup);
  // The backup opens: connected.
  sup_.handle_transport_open(Server::Backup, now_);
  EXPECT_EQ(sup_.state(), State::Connected);
}

TEST_F(SupervisorTest, AServerThatNeverPongsIsNotDeclaredDead) {
  connect_and_register();
  for (int i = 0; i < 10; ++i) {
    run_until(sup_.next_timeout());
    auto r = requests();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<SendPing>(r[0]));
  }
  EXPECT_EQ(sup_.state(), State::Connected);
}

TEST_F(SupervisorTest, AnyFrameCountsAsAnAnswer) {
  connect_and_register();
  run_until(sup_.next_timeout());
  requests();
  sup_.handle_received(true, now_);  // pong: this server answers
  run_until(sup_.next_timeout());
  ASSERT_EQ(requests().size(), 1u);
  sup_.handle_received(false, now_ + 5000);  // a SIP message, not a pong
  run_until(now_ + 15000);
  EXPECT_EQ(sup_.state(), State::Connected);
}

TEST_F(SupervisorTest, OnlineWhileConnectedChecksTheSocket) {
  connect_and_register();
  run_until(now_ + 25000);
  sup_.handle_received(true, now_);
  requests();
  sup_.handle_network(true, now_);
  auto r = requests();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<SendPing>(r[0]));
  run_until(now_ + 10000);
  EXPECT_EQ(sup_.state(), State::Waiting);  // no answer: it was dead
}

TEST_F(SupervisorTest, RetryAfterIsHonoured) {
  connect_and_register();
  sup_.handle_transport_closed("closed", now_);
  run_until(sup_.next_timeout());
  expect_open();
  sup_.handle_transport_open(Server::Primary, now_);
  // The registrar says 503 with Retry-After: 30.
  sup_.handle_register_failed(RegisterOutcome::Retry, 30000, "SIP/2.0 503 Service Unavailable", now_);
  auto r = requests();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<CloseTransport>(r[0]));
  auto e = events();
  ASSERT_FALSE(e.empty());
  EXPECT_EQ(e.back().state, State::Waiting);
  EXPECT_EQ(e.back().delay, 30000);
  const TimePoint before = now_;
  run_until(sup_.next_timeout());
  EXPECT_EQ(now_ - before, 30000);
  expect_open();
}

TEST_F(SupervisorTest, AFinalRegistrationErrorStopsRecovery) {
  connect_and_register();
  sup_.handle_transport_closed("closed", now_);
  run_until(sup_.next_timeout());
  expect_open();
  sup_.handle_transport_open(Server::Primary, now_);
  sup_.handle_register_failed(RegisterOutcome::Final, 0, "SIP/2.0 403 Forbidden", now_);
  EXPECT_EQ(sup_.state(), State::Failed);
  EXPECT_TRUE(sup_.take_grace_expired());
  EXPECT_EQ(sup_.next_timeout(), kNever);
  sup_.handle_network(true, now_);  // not armed any more: only the app can fix it
  auto r = requests();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<CloseTransport>(r[0]));
}

TEST_F(SupervisorTest, IdleOnTheBackupLeavesItCleanlyAndReturnsToThePrimaryButNotDuringACall) {
  connect_and_register(Server::Backup);
  sup_.set_has_calls(true);
  run_until(now_ + 300000);
  for (auto& r : requests()) EXPECT_TRUE(std::holds_alternative<SendPing>(r));
  EXPECT_EQ(sup_.state(), State::Connected);
  sup_.set_has_calls(false);
  run_until(now_ + 300000);
  auto non_ping = [this] {
    std::vector<FlowRequest> r;
    for (auto& x : requests())
      if (!std::holds_alternative<SendPing>(x)) r.push_back(std::move(x));
    return r;
  };
  // First the binding on the backup goes (an unREGISTER), the socket stays.
  auto r = non_ping();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<LeaveFlow>(r[0]));
  EXPECT_EQ(sup_.state(), State::Connected);
  sup_.handle_left(now_);
  r = non_ping();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<CloseTransport>(r[0]));
  ASSERT_TRUE(std::holds_alternative<OpenTransport>(r[1]));
  EXPECT_EQ(std::get<OpenTransport>(r[1]).server, Server::Primary);
  EXPECT_TRUE(sup_.recovering());  // so the UA registers on the new flow
  sup_.handle_left(now_);          // a late second answer changes nothing
  EXPECT_TRUE(non_ping().empty());
}

TEST_F(SupervisorTest, ABackupThatDoesNotAnswerTheUnregisterDoesNotHoldThePhone) {
  connect_and_register(Server::Backup);
  run_until(now_ + 300000);
  requests();
  run_until(now_ + config_.keepalive_timeout);  // no handle_left(): the wait runs out
  std::vector<FlowRequest> r;
  for (auto& x : requests())
    if (!std::holds_alternative<SendPing>(x)) r.push_back(std::move(x));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<CloseTransport>(r[0]));
  EXPECT_TRUE(std::holds_alternative<OpenTransport>(r[1]));
}

TEST_F(SupervisorTest, ASocketLostWhileLeavingTheBackupIsAnOrdinaryOutage) {
  connect_and_register(Server::Backup);
  run_until(now_ + 300000);
  requests();
  sup_.handle_transport_closed("gone", now_);
  EXPECT_EQ(sup_.state(), State::Waiting);
  sup_.handle_left(now_);  // the unREGISTER's end, reported after the loss
  EXPECT_EQ(sup_.state(), State::Waiting);
  for (auto& x : requests()) EXPECT_FALSE(std::holds_alternative<CloseTransport>(x));
}

TEST_F(SupervisorTest, StopDisarms) {
  connect_and_register();
  sup_.stop(now_);
  sup_.handle_transport_closed("closed", now_);
  EXPECT_TRUE(requests().empty());
  EXPECT_EQ(sup_.state(), State::Idle);
  EXPECT_FALSE(sup_.recovering());
}

TEST_F(SupervisorTest, JitterStaysWithinItsBoundsAndSpreadsClients) {
  config_.jitter_pct = 20;
  config_.max_delay = 1000;
  std::vector<Duration> seen;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    Rng rng{seed};
    Supervisor s{config_, rng};
    s.handle_transport_open(Server::Primary, 0);
    s.handle_registered(0);
    s.handle_transport_closed("closed", 0);
    seen.push_back(s.next_timeout());
  }
  Duration lo = seen[0], hi = seen[0];
  for (Duration d : seen) {
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  EXPECT_GE(lo, 800);
  EXPECT_LE(hi, 1200);
  EXPECT_GT(hi - lo, 200);  // really spread, not one value
}

TEST_F(SupervisorTest, ThousandDropCyclesLeaveNothingBehind) {
  for (int i = 0; i < 1000; ++i) {
    connect_and_register();
    sup_.handle_transport_closed("closed", now_);
    run_until(sup_.next_timeout());
    expect_open();
    events();
  }
  sup_.handle_transport_open(Server::Primary, now_);
  sup_.handle_registered(now_);
  requests();
  events();
  EXPECT_EQ(sup_.state(), State::Connected);
  EXPECT_FALSE(sup_.recovering());
  EXPECT_GE(sup_.next_timeout(), now_ + 20000);  // only the keep-alive
  EXPECT_LE(sup_.next_timeout(), now_ + 25000);
}

}  // namespace
}  // namespace wwp::flow
