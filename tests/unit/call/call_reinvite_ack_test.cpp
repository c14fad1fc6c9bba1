// Our 2xx to a re-INVITE that never gets its ACK (issue #18): retransmitted
// with T1 doubling up to T2, and after 64*T1 the session ends with BYE
// (RFC 3261 §13.3.1.4), through the UA's surface in virtual time.
#include "core/sdp/sdp_body.hpp"
#include "unit/ua/ua_harness.hpp"

namespace wwp::call {
namespace {

constexpr Duration kT1 = 500;  // ua_test_config: the defaults, T1 500 ms, T2 4 s

class UnackedReinviteTest : public UaHarness {
 protected:
  UnackedReinviteTest() : UaHarness(ua::ua_test_config(19)) {}

  /// An inbound call (the INVITE carrying `offer`) answered with `sdp`, not yet ACKed.
  void answered(const std::string& offer = kOffer, const std::string& sdp = kAnswer) {
    register_ua();
    feed(inbound_invite(offer));
    handle_ = last_event<IncomingCall>()->call;
    ASSERT_TRUE(ua_.answer(handle_, sdp, now_).ok());
    drain();
    tag_ = *msg::tag_of(*last_sent("200").get("To"));
  }
  /// An answered and ACKed inbound call; then the peer's re-INVITE, answered.
  void answered_reinvite() {
    answered();
    feed(peer_request("ACK", 10, "ack1"));
    ASSERT_NE(last_event<CallConfirmed>(), nullptr);
    feed(peer_request("INVITE", 11, "re1", kOffer));
    ASSERT_NE(last_event<ReinviteOffer>(), nullptr);
    sent_.clear();
    ASSERT_TRUE(ua_.answer_reinvite(handle_, kAnswer, now_).ok());
    drain();
    ASSERT_EQ(sent_.size(), 1u);
    ASSERT_EQ(sent_[0].status(), 200);
    ok_ = sent_[0];
    sent_.clear();
  }
  msg::Message peer_request(const std::string& method, int cseq, const std::string& branch,
                            const std::string& body = {}) {
    msg::Message m = msg::Message::request(method, "sip:101@me.invalid;transport=ws");
    m.add("Via", "SIP/2.0/WSS proxy.test;branch=z9hG4bK" + branch);
    m.add("Max-Forwards", "70");
    m.add("From", "<sip:102@example.test>;tag=caller");
    m.add("To", "<sip:101@example.test>;tag=" + tag_);
    m.add("Call-ID", "in-call-1");
    m.add("CSeq", std::to_string(cseq) + " " + method);
    if (method == "INVITE") m.add("Contact", "<sip:102@10.0.0.2;transport=ws>");
    m.set_body(body, body.empty() ? "" : "application/sdp");
    return m;
  }
  int count_sent(const std::string& what) const { return count_of(what); }

  CallHandle handle_ = 0;
  std::string tag_;
  msg::Message ok_;
};

TEST_F(UnackedReinviteTest, uas_retransmits_its_reinvite_2xx_t1_doubling_to_t2_then_byes_after_64_t1_rfc3261_13_3_1_4) {
  answered_reinvite();
  const TimePoint answered_at = now_;
  // Retransmissions at T1, 3*T1, 7*T1, then every T2 (4 s) until 64*T1.
  std::vector<Duration> due;
  for (Duration at = kT1, gap = kT1; at < 64 * kT1; gap = std::min<Duration>(2 * gap, 4000), at += gap)
    due.push_back(at);
  ASSERT_EQ(due.size(), 10u);  // 0.5 1.5 3.5 7.5 11.5 … 31.5 s
  for (std::size_t i = 0; i < due.size(); ++i) {
    advance(answered_at + due[i] - 1 - now_);
    EXPECT_EQ(count_sent("200"), static_cast<int>(i)) << "early at " << due[i];
    advance(1);
    ASSERT_EQ(count_sent("200"), static_cast<int>(i + 1)) << "missing at " << due[i];
    EXPECT_EQ(sent_.back().to_string(), ok_.to_string()) << "the same 2xx, byte for byte";
  }
  EXPECT_EQ(count_sent("BYE"), 0);
  // 64*T1 without an ACK: the session ends with BYE, as for the INVITE's 2xx.
  advance(answered_at + 64 * kT1 - now_);
  EXPECT_EQ(count_sent("BYE"), 1);
  const auto bye = last_sent("BYE");
  EXPECT_EQ(msg::tag_of(*bye.get("From")).value_or(""), tag_);
  feed(msg::make_reply(bye, 200));
  auto* ended = last_event<CallEnded>();
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ(ended->call, handle_);
  EXPECT_EQ(ua_.live_counts().calls, 0u);
  EXPECT_EQ(ua_.live_counts().dialogs, 0u);
  EXPECT_EQ(ua_.live_counts().transactions, 0u);
  advance(4 * 4000);
  EXPECT_EQ(count_sent("200"), 10) << "no retransmission after the BYE";
}

TEST_F(UnackedReinviteTest, the_ack_ends_the_retransmissions_and_the_call_stays_rfc3261_13_3_1_4) {
  answered_reinvite();
  advance(kT1);
  ASSERT_EQ(count_sent("200"), 1);
  feed(peer_request("ACK", 11, "ack2"));
  advance(64 * kT1);
  EXPECT_EQ(count_sent("200"), 1);
  EXPECT_EQ(count_sent("BYE"), 0);
  EXPECT_EQ(last_event<CallEnded>(), nullptr);
  EXPECT_EQ(ua_.live_counts().calls, 1u);
}

TEST_F(UnackedReinviteTest, an_ack_for_another_cseq_does_not_stop_them) {
  answered_reinvite();
  feed(peer_request("ACK", 10, "ack3"));  // a late retransmission of the first ACK
  advance(kT1);
  EXPECT_EQ(count_sent("200"), 1);
}

TEST_F(UnackedReinviteTest, an_offerless_reinvites_2xx_is_retransmitted_too) {
  answered();
  feed(peer_request("ACK", 10, "ack1"));
  sent_.clear();
  feed(peer_request("INVITE", 11, "re2"));  // no SDP: the app's offer goes in the 2xx
  ASSERT_TRUE(ua_.answer_reinvite(handle_, kOffer, now_).ok());
  drain();
  ASSERT_EQ(count_sent("200"), 1);
  advance(kT1);
  EXPECT_EQ(count_sent("200"), 2);
  feed(peer_request("ACK", 11, "ack4", kOffer));
  advance(64 * kT1);
  EXPECT_EQ(count_sent("200"), 2);
  EXPECT_EQ(count_sent("BYE"), 0);
}

// RFC 3311 §5.2 / RFC 3264 §4: an offer of ours in a 2xx is unanswered until
// the ACK; a new offer from the peer meanwhile crosses it and gets 491 (not
// 500, which says *we* owe an answer). Once the ACK is in, the same offer is
// the app's to answer.
TEST_F(UnackedReinviteTest, an_offer_crossing_ours_in_the_invites_2xx_gets_491_until_the_ack_rfc3311_5_2) {
  answered("", kOffer);  // offerless: our SDP in the 200 is the offer
  sent_.clear();
  feed(peer_request("UPDATE", 11, "up1", kAnswer));
  EXPECT_EQ(count_sent("491"), 1);
  EXPECT_EQ(count_sent("500"), 0);
  feed(peer_request("INVITE", 12, "re3", kAnswer));
  EXPECT_EQ(count_sent("491"), 2);
  EXPECT_EQ(last_event<ReinviteOffer>(), nullptr);
  feed(peer_request("ACK", 10, "ack5", kAnswer));
  ASSERT_NE(last_event<CallConfirmed>(), nullptr);
  feed(peer_request("UPDATE", 13, "up2", kAnswer));
  EXPECT_NE(last_event<ReinviteOffer>(), nullptr) << "after the ACK the offer goes to the app";
}

TEST_F(UnackedReinviteTest, an_offer_crossing_ours_in_a_reinvites_2xx_gets_491_and_the_ack_answers_it) {
  answered();
  feed(peer_request("ACK", 10, "ack1"));
  feed(peer_request("INVITE", 11, "re4"));  // offerless: the app's offer goes in the 2xx
  ASSERT_TRUE(ua_.answer_reinvite(handle_, kOffer, now_).ok());
  drain();
  ASSERT_EQ(count_sent("200"), 2);
  sent_.clear();
  events_.clear();
  feed(peer_request("UPDATE", 12, "up3", kOffer));
  EXPECT_EQ(count_sent("491"), 1);
  EXPECT_EQ(last_event<ReinviteOffer>(), nullptr);
  feed(peer_request("ACK", 11, "ack6", kOffer));
  // The ACK's answer is the session now: the same SDP offered again is a
  // refresh the core answers itself (RFC 4028 §10), not news for the app.
  auto refresh = peer_request("UPDATE", 13, "up4", kOffer);
  refresh.add("Supported", "timer");
  refresh.add("Session-Expires", "1800;refresher=uac");
  feed(refresh);
  EXPECT_EQ(last_event<ReinviteOffer>(), nullptr);
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "13 UPDATE");
}

// RFC 3261 §14.2 / RFC 3264 §4: a re-INVITE without SDP asks for a new
// offer (a server moving the media, RFC 3725). The app's media makes it, not
// the core from our last SDP (which the browser once made as an answer and
// would never see answered): the app hears of the re-INVITE, its offer goes
// in the 2xx, and the ACK's answer comes back to it in a CallConfirmed.
TEST_F(UnackedReinviteTest, an_offerless_reinvite_asks_the_app_for_an_offer_and_the_ack_brings_the_answer_rfc3264_4) {
  answered();
  feed(peer_request("ACK", 10, "ack1"));
  sent_.clear();
  events_.clear();
  feed(peer_request("INVITE", 11, "re5"));
  const auto* asked = last_event<ReinviteOffer>();
  ASSERT_NE(asked, nullptr) << "the app makes the offer";
  EXPECT_TRUE(sdp::sdp_body(asked->request).value_or("x").empty());
  EXPECT_EQ(count_sent("200"), 0) << "nothing answered before the app's offer";
  const std::string fresh = std::string(kOffer) + "a=ice-ufrag:fresh\r\n";
  ASSERT_TRUE(ua_.answer_reinvite(handle_, fresh, now_).ok());
  drain();
  ASSERT_EQ(count_sent("200"), 1);
  EXPECT_EQ(without_origin(last_sent("200").body()), without_origin(fresh)) << "the app's offer, not our last SDP";
  EXPECT_EQ(origin_line(last_sent("200").body()), "- 99 2 IN IP4 127.0.0.1") << "our answer's o=, one version on";
  EXPECT_EQ(last_event<CallConfirmed>(), nullptr);
  // Our offer is unanswered until the ACK: no new offer of ours meanwhile (§4).
  EXPECT_EQ(ua_.hold(handle_, true, now_).error().code, UaErrorCode::InvalidState);
  feed(peer_request("ACK", 11, "ack8", kAnswer));
  const auto* confirmed = last_event<CallConfirmed>();
  ASSERT_NE(confirmed, nullptr) << "the answer goes to the app";
  EXPECT_EQ(confirmed->call, handle_);
  EXPECT_EQ(std::string(confirmed->ack.body()), kAnswer);
  EXPECT_TRUE(ua_.hold(handle_, true, now_).ok()) << "a new offer once the ACK answered";
}

TEST_F(UnackedReinviteTest, an_offerless_reinvite_while_we_hold_keeps_the_hold_in_the_apps_offer_rfc3264_8_4) {
  answered();
  feed(peer_request("ACK", 10, "ack1"));
  ASSERT_TRUE(ua_.hold(handle_, true, now_).ok());
  drain();
  auto hold_ok = msg::make_reply(last_sent("INVITE"), 200, {});
  hold_ok.set_body(kAnswer, "application/sdp");
  feed(hold_ok);
  ASSERT_NE(last_event<ReinviteDone>(), nullptr);
  sent_.clear();
  feed(peer_request("INVITE", 11, "re6"));
  ASSERT_NE(last_event<ReinviteOffer>(), nullptr);
  ASSERT_TRUE(ua_.answer_reinvite(handle_, kOffer, now_, true).ok());  // the browser's offer: sendrecv
  drain();
  const std::string body(last_sent("200").body());
  EXPECT_NE(body.find("a=sendonly"), std::string::npos) << body;
  EXPECT_EQ(body.find("a=sendrecv"), std::string::npos) << body;
}

// The same for the answer to a peer's re-INVITE offer while we hold (its
// recovery, a PBX's media move): the browser's answer is sendrecv, and sent
// as it was it took the call off hold on the wire, the held party hearing
// the microphone while the app still showed "on hold".
TEST_F(UnackedReinviteTest, the_answer_to_a_peer_offer_while_we_hold_keeps_the_hold_rfc3264_8_4) {
  answered();
  feed(peer_request("ACK", 10, "ack1"));
  feed(peer_request("INVITE", 11, "re9", kOffer));
  ASSERT_NE(last_event<ReinviteOffer>(), nullptr);
  ASSERT_TRUE(ua_.answer_reinvite(handle_, kAnswer, now_, true).ok());
  drain();
  const std::string held(last_sent("200").body());
  EXPECT_NE(held.find("a=sendonly"), std::string::npos) << held;
  EXPECT_EQ(held.find("a=sendrecv"), std::string::npos) << held;
  // Not held: the answer goes as the app made it.
  feed(peer_request("ACK", 11, "ack9"));
  feed(peer_request("INVITE", 12, "re10", kOffer));
  ASSERT_TRUE(ua_.answer_reinvite(handle_, kAnswer, now_).ok());
  drain();
  EXPECT_EQ(without_origin(last_sent("200").body()), without_origin(kAnswer));
  EXPECT_EQ(origin_line(last_sent("200").body()), "- 99 3 IN IP4 127.0.0.1") << "after the held answer's 2";
}

TEST_F(UnackedReinviteTest, no_offer_from_the_app_for_an_offerless_reinvite_is_488_and_the_call_stays) {
  answered();
  feed(peer_request("ACK", 10, "ack1"));
  sent_.clear();
  feed(peer_request("INVITE", 11, "re7"));
  ASSERT_TRUE(ua_.answer_reinvite(handle_, "", now_).ok());
  drain();
  EXPECT_EQ(count_sent("488"), 1);
  EXPECT_EQ(ua_.live_counts().calls, 1u);
  EXPECT_TRUE(ua_.hold(handle_, true, now_).ok());
}

// §9.2: "as long as the CANCEL matched an existing transaction, the UAS
// answers the CANCEL request itself with a 200" (it was 481: only the
// INVITE's own transaction was looked for). The re-INVITE then gets the app's
// answer, which the canceller takes as the re-INVITE's success (§9.1).
TEST_F(UnackedReinviteTest, a_cancel_of_a_reinvite_waiting_for_the_app_gets_200_rfc3261_9_2) {
  answered();
  feed(peer_request("ACK", 10, "ack1"));
  feed(peer_request("INVITE", 11, "re8", kOffer));
  ASSERT_NE(last_event<ReinviteOffer>(), nullptr);
  sent_.clear();
  feed(peer_request("CANCEL", 11, "re8"));
  EXPECT_EQ(count_sent("481"), 0);
  ASSERT_EQ(count_sent("200"), 1);
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "11 CANCEL");
  ASSERT_TRUE(ua_.answer_reinvite(handle_, kAnswer, now_).ok());
  drain();
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "11 INVITE");
  EXPECT_EQ(ua_.live_counts().calls, 1u);
}

// §13.3.1.4 for the INVITE's own 2xx too: the UAS core retransmits it until
// the ACK, whatever the transport (a UDP hop past the proxy may lose it).
TEST_F(UnackedReinviteTest, the_invites_2xx_is_retransmitted_until_its_ack_rfc3261_13_3_1_4) {
  answered();
  const msg::Message ok = last_sent("200");
  sent_.clear();
  advance(kT1 - 1);
  EXPECT_EQ(count_sent("200"), 0);
  advance(1);
  ASSERT_EQ(count_sent("200"), 1);
  EXPECT_EQ(sent_.back().to_string(), ok.to_string()) << "the same 2xx, byte for byte";
  advance(2 * kT1);
  EXPECT_EQ(count_sent("200"), 2);
  feed(peer_request("ACK", 10, "ack7"));
  ASSERT_NE(last_event<CallConfirmed>(), nullptr);
  advance(64 * kT1);
  EXPECT_EQ(count_sent("200"), 2) << "none after the ACK";
  EXPECT_EQ(count_sent("BYE"), 0);
}

// An ACK whose CSeq is not the INVITE's is not the 2xx's ACK: it confirmed
// the call and left the 2xx resent with no end (no BYE after 64*T1).
TEST_F(UnackedReinviteTest, an_ack_with_another_cseq_does_not_confirm_the_call_and_64_t1_still_ends_it_rfc3261_13_3_1_4) {
  answered();
  sent_.clear();
  events_.clear();
  feed(peer_request("ACK", 9, "ack9"));
  EXPECT_EQ(last_event<CallConfirmed>(), nullptr);
  advance(64 * kT1);
  EXPECT_EQ(count_sent("BYE"), 1) << "no ACK came for the 2xx: the session ends (§13.3.1.4)";
  const int resent = count_sent("200");
  advance(60000);
  EXPECT_EQ(count_sent("200"), resent) << "no 2xx resent after the session ended";
}

// §15 lets the caller BYE an early dialog; §15.1.2: the INVITE "MUST still"
// get its final response (487), so no transaction waits for Timer C.
TEST_F(UnackedReinviteTest, a_bye_on_the_early_dialog_of_a_ringing_call_gets_200_and_the_invite_487_rfc3261_15_1_2) {
  register_ua();
  feed(inbound_invite());
  handle_ = last_event<IncomingCall>()->call;
  tag_ = *msg::tag_of(*last_sent("180").get("To"));
  sent_.clear();
  feed(peer_request("BYE", 11, "bye1"));
  EXPECT_EQ(last_sent("487").get("CSeq").value_or(""), "10 INVITE");
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "11 BYE");
  ASSERT_NE(last_event<CallEnded>(), nullptr);
  feed(peer_request("ACK", 10, "in1"));  // the caller's ACK for the 487 (same branch as its INVITE)
  advance(64 * kT1);
  EXPECT_EQ(ua_.live_counts().calls, 0u);
  EXPECT_EQ(ua_.live_counts().transactions, 0u) << "the INVITE's server transaction has ended";
}

}  // namespace
}  // namespace wwp::call
