// The UA with recovery on (core/flow/supervisor.hpp), in virtual time: a
// lost connection is reopened, the phone registers again with the same
// binding, calls survive and are asked to restart their media, what was in
// flight fails cleanly, and a phone that cannot recover says so once.
#include <algorithm>

#include "unit/ua/ua_harness.hpp"

namespace wwp::call {
namespace {

Config recovery_config() {
  Config c = ua::ua_test_config(11);
  c.recovery.enabled = true;
  c.recovery.jitter_pct = 0;
  c.recovery.base_delay = 1000;
  c.recovery.max_delay = 4000;
  c.recovery.call_grace = 30000;
  return c;
}

class RecoveryTest : public UaHarness {
 protected:
  explicit RecoveryTest(Config config = recovery_config()) : UaHarness(std::move(config)) {}

  template <class T>
  std::vector<T> events_of() {
    std::vector<T> out;
    for (const auto& e : all_events_)
      if (auto* x = std::get_if<T>(&e)) out.push_back(*x);
    return out;
  }
  /// Open the first socket as the shim does (not asked for), register.
  void connect_and_register() {
    ua_.handle_transport_open(flow::Server::Primary, now_);
    drain();
    register_ua();
  }
  /// Answer the REGISTER just sent with 200 and our Contact.
  void answer_register(int status = 200) {
    auto reg = last_sent("REGISTER");
    auto r = msg::make_reply(reg, status, "r");
    if (status == 200) r.add("Contact", std::string(*reg.get("Contact")));
    feed(r);
  }
  /// Run virtual time until the core asks for a transport; open it.
  flow::Server reopen() {
    const auto before = events_of<flow::OpenTransport>().size();
    for (int i = 0; i < 50 && events_of<flow::OpenTransport>().size() == before; ++i) advance(500);
    auto opens = events_of<flow::OpenTransport>();
    EXPECT_GT(opens.size(), before) << "the core never asked for a transport";
    const flow::Server s = opens.empty() ? flow::Server::Primary : opens.back().server;
    ua_.handle_transport_open(s, now_);
    drain();
    return s;
  }
};

TEST_F(RecoveryTest, a_lost_socket_is_reopened_and_registered_again_with_the_same_binding) {
  connect_and_register();
  all_events_.clear();
  const msg::Message first_register = registered_with_;
  ua_.handle_transport_closed(now_, "closed (code 1006)");
  drain();
  // No registrationFailed for the app: the connection state says it all.
  EXPECT_TRUE(events_of<reg::RegistrationFailed>().empty());
  auto states = events_of<flow::StateChanged>();
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].state, flow::State::Waiting);
  EXPECT_EQ(states[0].delay, 1000);
  EXPECT_EQ(states[0].reason, "closed (code 1006)");
  sent_.clear();
  reopen();
  // Registered again at once on the new flow: same Call-ID, same Contact
  // (with +sip.instance), a higher CSeq — the registrar replaces the binding.
  auto again = last_sent("REGISTER");
  EXPECT_EQ(again.get("Call-ID"), first_register.get("Call-ID"));
  EXPECT_EQ(again.get("Contact"), first_register.get("Contact"));
  EXPECT_GT(msg::parse_cseq(*again.get("CSeq"))->seq, msg::parse_cseq(*first_register.get("CSeq"))->seq);
  answer_register();
  EXPECT_EQ(events_of<ua::Recovered>().size(), 1u);
  EXPECT_EQ(events_of<reg::Registered>().size(), 1u);
}

TEST_F(RecoveryTest, an_answered_call_survives_and_is_asked_to_restart_its_media) {
  connect_and_register();
  const CallHandle h = connected_outbound();
  sent_.clear();
  ua_.handle_transport_closed(now_, "closed (code 1006)");
  drain();
  // Not BYE'd, not ended.
  EXPECT_TRUE(std::none_of(sent_.begin(), sent_.end(), [](const msg::Message& m) { return m.is_request() && m.method() == "BYE"; }));
  EXPECT_EQ(last_event<CallEnded>(), nullptr);
  reopen();
  answer_register();
  auto* recover = last_event<RecoverMedia>();
  ASSERT_NE(recover, nullptr);
  EXPECT_EQ(recover->call, h);
  // The driver's ICE-restart offer goes out as a re-INVITE in the same dialog.
  sent_.clear();
  ASSERT_TRUE(ua_.reinvite(h, kOffer, true, now_).ok());
  drain();
  auto reinvite = last_sent("INVITE");
  EXPECT_EQ(reinvite.request_uri(), "sip:102@10.0.0.2;transport=ws");
  EXPECT_NE(reinvite.get("To")->find("tag=callee"), std::string_view::npos);
}

// The 2.x habit: the app calls start() again (a new socket, perhaps to the
// backup) while a call is up, after a drop or not. The server routes the
// call by the old connection; the call restarts its media through the new
// one once registered there. It had stopped recovery and stayed stranded.
TEST_F(RecoveryTest, a_socket_the_app_replaces_with_a_call_up_restarts_the_calls_media_once_registered) {
  connect_and_register();
  const CallHandle h = connected_outbound();
  ua_.handle_transport_closed(now_, "closed (code 1006)");  // lost; recovery waits to reconnect
  drain();
  all_events_.clear();
  // start(): the socket it retires, the one it opens, its REGISTER.
  ua_.handle_transport_closed(now_, "replaced by start()", true);
  ua_.handle_transport_open(flow::Server::Backup, now_);
  drain();
  register_ua();
  auto* recover = last_event<RecoverMedia>();
  ASSERT_NE(recover, nullptr);
  EXPECT_EQ(recover->call, h);
  EXPECT_EQ(last_event<CallEnded>(), nullptr);
  // Once: a later registration refresh asks nothing more.
  all_events_.clear();
  events_.clear();
  register_ua();
  EXPECT_EQ(last_event<RecoverMedia>(), nullptr);
}

TEST_F(RecoveryTest, a_call_still_ringing_is_not_asked_to_restart_media) {
  connect_and_register();
  auto h = ua_.invite({"102", "", {}, kOffer}, now_);
  ASSERT_TRUE(h.ok());
  drain();
  feed(msg::make_reply(last_sent("INVITE"), 180, "callee"));
  ua_.handle_transport_closed(now_, "closed");
  drain();
  reopen();
  answer_register();
  EXPECT_EQ(last_event<RecoverMedia>(), nullptr);
}

TEST_F(RecoveryTest, calls_end_once_with_a_reason_when_the_outage_outlasts_the_grace_window) {
  connect_and_register();
  const CallHandle h = connected_outbound();
  ua_.handle_transport_closed(now_, "closed");
  drain();
  // Every attempt fails for 40 s.
  for (int i = 0; i < 80; ++i) {
    advance(500);
    if (!events_of<flow::OpenTransport>().empty()) {
      all_events_.erase(std::remove_if(all_events_.begin(), all_events_.end(),
                                       [](const ua::Event& e) { return std::holds_alternative<flow::OpenTransport>(e); }),
                        all_events_.end());
      ua_.handle_transport_closed(now_, "refused");
      drain();
    }
  }
  int ended = 0;
  for (const auto& e : events_)
    if (auto* x = std::get_if<CallEnded>(&e)) {
      ++ended;
      EXPECT_EQ(x->call, h);
      EXPECT_EQ(x->reason, "connection lost and not recovered in time");
    }
  EXPECT_EQ(ended, 1);
  EXPECT_EQ(ua_.live_counts().calls, 0u);
}

TEST_F(RecoveryTest, an_app_request_in_flight_fails_cleanly) {
  connect_and_register();
  auto id = ua_.send_app_message(
      "MESSAGE sip:102@example.test SIP/2.0\r\nFrom: <sip:101@example.test>;tag=a1\r\nTo: <sip:102@example.test>\r\n"
      "Call-ID: app-1\r\nCSeq: 5 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi",
      now_);
  ASSERT_TRUE(id.ok()) << id.error().message;
  drain();
  ua_.handle_transport_closed(now_, "closed");
  drain();
  auto responses = events_of<ua::AppResponse>();
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].id, *id);
  EXPECT_EQ(responses[0].response.status(), 503);
}

TEST_F(RecoveryTest, wrong_credentials_after_recovery_are_final_and_reported) {
  connect_and_register();
  ua_.handle_transport_closed(now_, "closed");
  drain();
  reopen();
  answer_register(403);
  auto failed = events_of<reg::RegistrationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].status, 403);
  auto states = events_of<flow::StateChanged>();
  ASSERT_FALSE(states.empty());
  EXPECT_EQ(states.back().state, flow::State::Failed);
  EXPECT_EQ(events_of<flow::CloseTransport>().size(), 1u);
  advance(120000);  // and nothing more is tried
  EXPECT_EQ(events_of<flow::OpenTransport>().size(), 1u);
}

// A refusal that is not about time or load (404: the registrar does not know
// the AOR) gets the same answer on every retry: recovery stopped there, the
// phone said "waiting" and tried again every few seconds for ever, and the
// app never heard why.
TEST_F(RecoveryTest, a_404_after_reconnecting_is_final_and_reported_not_retried_for_ever) {
  connect_and_register();
  ua_.handle_transport_closed(now_, "closed");
  drain();
  reopen();
  answer_register(404);
  auto failed = events_of<reg::RegistrationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].status, 404);
  EXPECT_EQ(failed[0].code, reg::RegFailure::Rejected);
  EXPECT_EQ(events_of<flow::StateChanged>().back().state, flow::State::Failed);
  advance(120000);
  EXPECT_EQ(events_of<flow::OpenTransport>().size(), 1u) << "nothing more is tried";
}

TEST_F(RecoveryTest, a_503_after_reconnecting_is_retried_not_reported) {
  connect_and_register();
  ua_.handle_transport_closed(now_, "closed");
  drain();
  reopen();
  answer_register(503);
  EXPECT_TRUE(events_of<reg::RegistrationFailed>().empty());
  EXPECT_EQ(events_of<flow::CloseTransport>().size(), 1u);
  sent_.clear();
  reopen();
  answer_register();
  EXPECT_EQ(events_of<ua::Recovered>().size(), 1u);
}

// A refresh that fails on a connection that seemed fine (the registrar's
// 503, Timer F's 408) left the phone unregistered, with nobody awaiting that
// REGISTER, until the app reacted to registrationFailed: it is an outage the
// supervisor recovers from (README "Self-healing": 503 on re-REGISTER →
// waiting). A 403 to a refresh is final and the app hears of it; a failure
// of the app's own register() is the app's (its promise rejects).
TEST_F(RecoveryTest, a_refresh_that_fails_on_a_live_connection_is_recovered_not_left_unregistered) {
  connect_and_register();
  all_events_.clear();
  sent_.clear();
  advance(55'000);  // granted 60 s: refreshed at 55 s
  auto refresh = last_sent("REGISTER");
  auto busy = msg::make_reply(refresh, 503, "r");
  busy.add("Retry-After", "5");
  feed(busy);
  EXPECT_TRUE(events_of<reg::RegistrationFailed>().empty()) << "the supervisor's, not the app's";
  EXPECT_EQ(events_of<flow::CloseTransport>().size(), 1u);
  auto states = events_of<flow::StateChanged>();
  ASSERT_FALSE(states.empty());
  EXPECT_EQ(states.back().state, flow::State::Waiting);
  EXPECT_GE(states.back().delay, 5000) << "no sooner than Retry-After";
  sent_.clear();
  reopen();
  answer_register();
  EXPECT_EQ(events_of<ua::Recovered>().size(), 1u);

  // The next refresh is refused for good: final, and the app hears of it.
  all_events_.clear();
  sent_.clear();
  advance(55'000);
  feed(msg::make_reply(last_sent("REGISTER"), 403, "r"));
  auto failed = events_of<reg::RegistrationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].code, reg::RegFailure::Forbidden);
  EXPECT_EQ(events_of<flow::StateChanged>().back().state, flow::State::Failed);
}

TEST_F(RecoveryTest, the_apps_own_register_failing_on_an_armed_phone_is_reported_to_it) {
  connect_and_register();
  all_events_.clear();
  ASSERT_TRUE(ua_.start_register(now_).ok());
  drain();
  feed(msg::make_reply(last_sent("REGISTER"), 503, "r"));
  EXPECT_EQ(events_of<reg::RegistrationFailed>().size(), 1u) << "its register() awaits this";
  EXPECT_TRUE(events_of<flow::CloseTransport>().empty());
}

TEST_F(RecoveryTest, retry_after_on_a_503_is_honoured_while_recovering_rfc3261_20_33) {
  connect_and_register();
  ua_.handle_transport_closed(now_, "closed");
  drain();
  reopen();
  auto reg = last_sent("REGISTER");
  auto busy = msg::make_reply(reg, 503, "r");
  busy.add("Retry-After", "30");
  feed(busy);
  const TimePoint refused_at = now_;
  const auto opens = events_of<flow::OpenTransport>().size();
  advance(29900);
  EXPECT_EQ(events_of<flow::OpenTransport>().size(), opens) << "tried again before Retry-After";
  advance(200);
  EXPECT_EQ(events_of<flow::OpenTransport>().size(), opens + 1);
  EXPECT_GE(now_ - refused_at, 30000);
}

TEST_F(RecoveryTest, keep_alive_pings_go_out_and_a_pong_is_not_a_message) {
  connect_and_register();
  raw_sent_.clear();
  advance(25000);
  ASSERT_FALSE(raw_sent_.empty());
  EXPECT_EQ(raw_sent_[0], "\r\n\r\n");
  const auto before = all_events_.size();
  ua_.handle_input(ua::Received{"\r\n", now_});
  drain();
  EXPECT_EQ(all_events_.size(), before);  // no message, no dropped
}

TEST_F(RecoveryTest, unregister_turns_recovery_off) {
  connect_and_register();
  ASSERT_TRUE(ua_.unregister(now_).ok());
  drain();
  answer_register();
  ua_.handle_transport_closed(now_, "closed");
  drain();
  advance(60000);
  EXPECT_TRUE(events_of<flow::OpenTransport>().empty());
}

TEST_F(RecoveryTest, a_socket_replaced_by_the_app_is_no_outage) {
  connect_and_register();
  ua_.handle_transport_closed(now_, "replaced", /*replaced=*/true);
  drain();
  advance(60000);
  EXPECT_TRUE(events_of<flow::OpenTransport>().empty());
}

TEST_F(RecoveryTest, a_thousand_drops_with_a_call_up_leave_no_state_behind) {
  connect_and_register();
  const CallHandle h = connected_outbound();
  for (int i = 0; i < 1000; ++i) {
    ua_.handle_transport_closed(now_, "closed");
    drain();
    reopen();
    answer_register();
    ASSERT_TRUE(ua_.reinvite(h, kOffer, true, now_).ok());
    drain();
    auto ok = msg::make_reply(last_sent("INVITE"), 200, "callee");
    ok.set_body(kAnswer, "application/sdp");
    feed(ok);
    advance(1000);  // Timer K etc.
    sent_.clear();
    raw_sent_.clear();
    events_.clear();
    all_events_.clear();
  }
  const auto live = ua_.live_counts();
  EXPECT_EQ(live.calls, 1u);
  EXPECT_EQ(live.dialogs, 1u);
  EXPECT_LE(live.transactions, 1u);  // at most the last REGISTER's, ending on its timer
}

Config backup_config() {
  Config c = recovery_config();
  c.recovery.has_backup = true;
  c.recovery.primary_return = 20000;  // before the first refresh (55 s)
  return c;
}
class BackupReturnTest : public RecoveryTest {
 protected:
  BackupReturnTest() : RecoveryTest(backup_config()) {}
};

TEST_F(BackupReturnTest, idle_on_the_backup_it_unregisters_there_then_registers_on_the_primary_unnoticed) {
  ua_.handle_transport_open(flow::Server::Backup, now_);  // as after a failover
  drain();
  register_ua();
  all_events_.clear();
  sent_.clear();
  advance(20000);
  // An unREGISTER (Contact expires=0, RFC 3261 §10.2.2) on the backup first.
  auto leave = last_sent("REGISTER");
  EXPECT_NE(std::string(*leave.get("Contact")).find("expires=0"), std::string::npos) << leave.to_string();
  EXPECT_TRUE(events_of<flow::OpenTransport>().empty());
  answer_register();
  // Then the primary; the app heard neither an unregistration nor a failure.
  auto opens = events_of<flow::OpenTransport>();
  ASSERT_EQ(opens.size(), 1u);
  EXPECT_EQ(opens[0].server, flow::Server::Primary);
  EXPECT_EQ(events_of<flow::CloseTransport>().size(), 1u);
  EXPECT_TRUE(events_of<reg::Unregistered>().empty());
  EXPECT_TRUE(events_of<reg::RegistrationFailed>().empty());
  ua_.handle_transport_open(flow::Server::Primary, now_);
  drain();
  answer_register();
  EXPECT_EQ(events_of<reg::Registered>().size(), 1u);
  EXPECT_EQ(events_of<ua::Recovered>().size(), 1u);
}

TEST_F(BackupReturnTest, the_apps_unregister_during_that_unregister_takes_it_over_and_stays_off) {
  ua_.handle_transport_open(flow::Server::Backup, now_);
  drain();
  register_ua();
  advance(20000);  // the unREGISTER on the backup is out
  auto leave = last_sent("REGISTER");
  ASSERT_NE(std::string(*leave.get("Contact")).find("expires=0"), std::string::npos) << leave.to_string();
  all_events_.clear();
  sent_.clear();
  // It was refused ("already unregistering") and the phone moved to the primary.
  ASSERT_TRUE(ua_.unregister(now_).ok());
  drain();
  EXPECT_TRUE(sent_.empty()) << "no second unREGISTER: the one out is the app's now";
  auto ok = msg::make_reply(leave, 200, "r");
  ok.add("Contact", std::string(*leave.get("Contact")));
  feed(ok);
  EXPECT_EQ(events_of<reg::Unregistered>().size(), 1u);
  advance(120000);
  EXPECT_TRUE(events_of<flow::OpenTransport>().empty()) << "no return to the primary";
  EXPECT_TRUE(events_of<flow::CloseTransport>().empty());
  EXPECT_TRUE(events_of<reg::Registered>().empty());
}


// Requests a call starts while the socket is down (the app's hold() or DTMF,
// the JS's ICE-failed recoverMedia, a session refresh falling due) and our
// 2xx to a re-INVITE still unacknowledged when it went: none of them may end
// the call that autoRecover brings back (from a review of core/call).
Config outage_config() {
  Config c = recovery_config();
  c.recovery.keepalive_interval = 0;  // else the core's own pong timeout closes the flow first
  return c;
}
class OutageRequests : public RecoveryTest {
 protected:
  OutageRequests() : RecoveryTest(outage_config()) {}
  std::size_t opens_before_ = 0;
  void close() {
    opens_before_ = events_of<flow::OpenTransport>().size();
    ua_.handle_transport_closed(now_, "closed (code 1006)");
    drain();
  }
  /// Reopened when the core asks (perhaps already, while the test ran time on), and registered again.
  void reopen() {
    const auto opens = events_of<flow::OpenTransport>();
    if (opens.size() > opens_before_) {
      ua_.handle_transport_open(opens.back().server, now_);
      drain();
    } else {
      RecoveryTest::reopen();
    }
    answer_register();
  }
};

// A re-INVITE started while the socket is down (the app's hold(), or the
// JS's ICE-failed recoverMedia) went into the void; after recovery it
// blocked the RecoverMedia re-INVITE and its Timer B 408 BYE'd the recovered
// call. Now it fails at once with a 503 (the session unchanged).
TEST_F(OutageRequests, a_reinvite_started_during_the_outage_fails_at_once_and_the_recovered_call_lives) {
  ua_.handle_transport_open(flow::Server::Primary, now_);
  drain();
  const CallHandle h = connected_outbound();
  close();
  sent_.clear();
  ASSERT_TRUE(ua_.hold(h, true, now_).ok());
  drain();
  // Nothing can carry it: it fails now (503, the call unchanged), not by Timer B after recovery.
  auto* done = last_event<ReinviteDone>();
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->status, 503);
  EXPECT_EQ(count_of("INVITE"), 0);
  reopen();
  ASSERT_NE(last_event<RecoverMedia>(), nullptr);
  sent_.clear();
  auto s = ua_.reinvite(h, kOffer, true, now_);
  ASSERT_TRUE(s.ok()) << s.error().message;  // was refused: "another re-INVITE is in progress"
  drain();
  auto re = last_sent("INVITE");
  auto ok = msg::make_reply(re, 200, "callee");
  ok.add("Contact", "<sip:102@10.0.0.3;transport=ws>");
  ok.set_body(kAnswer, "application/sdp");
  feed(ok);
  sent_.clear();
  advance(33000);
  EXPECT_EQ(count_of("BYE"), 0) << "the recovered call was BYE'd by the lost re-INVITE's Timer B";
  EXPECT_EQ(last_event<CallEnded>(), nullptr);
}

// Same with the session refresh UPDATE (RFC 4028) that fell due in the outage.
TEST_F(OutageRequests, a_session_refresh_due_during_the_outage_does_not_end_the_recovered_call_rfc4028) {
  ua_.handle_transport_open(flow::Server::Primary, now_);
  drain();
  register_ua();
  auto hh = ua_.invite({"102", "", {}, kOffer}, now_);
  drain();
  auto invite = last_sent("INVITE");
  auto ok = msg::make_reply(invite, 200, "callee");
  ok.add("Contact", "<sip:102@10.0.0.2;transport=ws>");
  ok.add("Allow", "INVITE, ACK, BYE, CANCEL, UPDATE");
  ok.add("Session-Expires", "90;refresher=uac");
  ok.set_body(kAnswer, "application/sdp");
  feed(ok);
  const CallHandle h = *hh;
  advance(44000);
  close();
  sent_.clear();
  advance(1500);  // the refresh (45 s) falls due during the outage
  reopen();
  ASSERT_NE(last_event<RecoverMedia>(), nullptr);
  sent_.clear();
  ASSERT_TRUE(ua_.reinvite(h, kOffer, true, now_).ok());
  drain();
  auto re = last_sent("INVITE");
  auto r200 = msg::make_reply(re, 200, "callee");
  r200.add("Contact", "<sip:102@10.0.0.3;transport=ws>");
  r200.add("Session-Expires", "90;refresher=uac");
  r200.set_body(kAnswer, "application/sdp");
  feed(r200);
  ASSERT_NE(last_event<ReinviteDone>(), nullptr);
  sent_.clear(); events_.clear();
  advance(33000);
  EXPECT_EQ(count_of("BYE"), 0) << "the lost UPDATE's Timer F 408 BYE'd the recovered call";
  EXPECT_EQ(last_event<CallEnded>(), nullptr);
  (void)h;
}

// Our 2xx to the peer's re-INVITE went out, the socket died before its ACK:
// its retransmissions (§13.3.1.4) went to the reaped IST and never reached
// the new flow, so no ACK could come and ReinviteAckWait BYE'd the recovered
// call. Now the core sends them itself.
TEST_F(OutageRequests, an_unacked_reinvite_2xx_is_resent_on_the_new_flow_rfc3261_13_3_1_4) {
  ua_.handle_transport_open(flow::Server::Primary, now_);
  drain();
  const CallHandle h = connected_outbound();
  auto invite = last_sent("INVITE");
  msg::Message re = msg::Message::request("INVITE", "sip:101@me.invalid;transport=ws");
  re.add("Via", "SIP/2.0/WSS proxy.test;branch=z9hG4bKre1");
  re.add("From", std::string(*invite.get("To")) + ";tag=callee");
  re.add("To", std::string(*invite.get("From")));
  re.add("Call-ID", std::string(*invite.get("Call-ID")));
  re.add("CSeq", "5 INVITE");
  re.add("Contact", "<sip:102@10.0.0.2;transport=ws>");
  re.set_body(kAnswer, "application/sdp");
  feed(re);
  ASSERT_NE(last_event<ReinviteOffer>(), nullptr);
  ASSERT_TRUE(ua_.answer_reinvite(h, kOffer, now_, false).ok());
  drain();
  close();
  reopen();
  ASSERT_NE(last_event<RecoverMedia>(), nullptr);
  sent_.clear();
  advance(2000);
  ASSERT_GT(count_of("200"), 0) << "no 2xx retransmission on the new flow";
  // The peer ACKs the copy that reached it (§13.2.2.4): the call stays.
  auto resent = last_sent("200");
  EXPECT_EQ(resent.get("CSeq").value_or(""), "5 INVITE");
  msg::Message ack = msg::Message::request("ACK", "sip:101@me.invalid;transport=ws");
  ack.add("Via", "SIP/2.0/WSS proxy.test;branch=z9hG4bKack5");
  ack.add("From", std::string(*re.get("From")));
  ack.add("To", std::string(*resent.get("To")));
  ack.add("Call-ID", std::string(*re.get("Call-ID")));
  ack.add("CSeq", "5 ACK");
  ack.add("Max-Forwards", "70");
  feed(ack);
  sent_.clear();
  advance(31000);
  EXPECT_EQ(count_of("200"), 0) << "resent after its ACK";
  EXPECT_EQ(count_of("BYE"), 0);
  EXPECT_EQ(last_event<CallEnded>(), nullptr);
}

TEST_F(OutageRequests, a_dtmf_info_sent_during_the_outage_does_not_end_the_recovered_call) {
  ua_.handle_transport_open(flow::Server::Primary, now_);
  drain();
  const CallHandle h = connected_outbound();
  close();
  ASSERT_TRUE(ua_.send_dtmf_info(h, "5", 100, now_).ok());
  drain();
  reopen();
  advance(33000);
  auto* ended = last_event<CallEnded>();
  EXPECT_EQ(ended, nullptr) << (ended ? ended->reason : "");
}

}  // namespace
}  // namespace wwp::call

namespace wwp::call {
namespace {

TEST_F(RecoveryTest, subscriptions_and_publications_start_afresh_on_the_new_flow) {
  connect_and_register();
  auto sub_id = ua_.subscribe({"102", "presence", "application/pidf+xml", 600}, now_);
  ASSERT_TRUE(sub_id.ok());
  ASSERT_TRUE(ua_.publish({"presence", "application/pidf+xml", "<p/>", 600}, now_).ok());
  drain();
  auto sub = last_sent("SUBSCRIBE");
  auto ok = msg::make_reply(sub, 200, "n");
  ok.add("Expires", "600");
  feed(ok);
  auto pub = last_sent("PUBLISH");
  auto pok = msg::make_reply(pub, 200, "c");
  pok.add("SIP-ETag", "e1");
  feed(pok);
  ua_.handle_transport_closed(now_, "closed (code 1006)");
  drain();
  sent_.clear();
  reopen();
  answer_register();
  auto again = last_sent("SUBSCRIBE");
  EXPECT_NE(again.get("Call-ID"), sub.get("Call-ID"));
  EXPECT_FALSE(msg::tag_of(*again.get("To")));
  auto republished = last_sent("PUBLISH");
  EXPECT_FALSE(republished.has("SIP-If-Match"));
  EXPECT_EQ(republished.body(), "<p/>");
}

// Without autoRecover too (ringcentral-web-phone's start() again, "do it right
// on the wire"): the call is told where it now is.
class ReplacedSocketTest : public UaHarness {
 protected:
  ReplacedSocketTest() : UaHarness(ua::ua_test_config(12)) {}
};

TEST_F(ReplacedSocketTest, start_again_with_a_call_up_restarts_its_media_on_the_new_socket) {
  const CallHandle h = connected_outbound();
  all_events_.clear();
  ua_.handle_transport_closed(now_, "replaced by start()", true);
  ua_.handle_transport_open(flow::Server::Primary, now_);
  drain();
  register_ua();
  auto* recover = last_event<RecoverMedia>();
  ASSERT_NE(recover, nullptr);
  EXPECT_EQ(recover->call, h);
}

}  // namespace
}  // namespace wwp::call
