// Requests a call starts while the socket is down (the app's hold() or DTMF,
// the JS's ICE-failed recoverMedia, a session refresh falling due) and our
// 2xx to a re-INVITE still unacknowledged when it went: none of them may end
// the call that autoRecover brings back (from a review of core/call).
#include <algorithm>

#include "unit/ua/ua_harness.hpp"

namespace wwp::call {
namespace {
Config outage_config() {
  Config c = ua::ua_test_config(11);
  c.recovery.enabled = true;
  c.recovery.jitter_pct = 0;
  c.recovery.base_delay = 1000;
  c.recovery.max_delay = 4000;
  c.recovery.call_grace = 30000;
  c.recovery.keepalive_interval = 0;
  return c;
}
class OutageRequests : public UaHarness {
 protected:
  OutageRequests() : UaHarness(outage_config()) {}
  template <class T> std::vector<T> events_of() {
    std::vector<T> out;
    for (const auto& e : all_events_) if (auto* x = std::get_if<T>(&e)) out.push_back(*x);
    return out;
  }
  std::size_t opens_before_ = 0;
  void close() {
    opens_before_ = events_of<flow::OpenTransport>().size();
    ua_.handle_transport_closed(now_, "closed (code 1006)");
    drain();
  }
  void reopen() {
    const auto before = opens_before_;
    for (int i = 0; i < 50 && events_of<flow::OpenTransport>().size() == before; ++i) advance(500);
    auto opens = events_of<flow::OpenTransport>();
    ua_.handle_transport_open(opens.back().server, now_);
    drain();
    auto reg = last_sent("REGISTER");
    auto r = msg::make_reply(reg, 200, "r");
    r.add("Contact", std::string(*reg.get("Contact")));
    feed(r);
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
