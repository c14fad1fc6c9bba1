// Early media and forked early dialogs (core/call/call_early.cpp), through the
// UA's bytes-in/bytes-out surface: a 18x with SDP is a fork's early answer
// (RFC 3261 §13.2.1), each To tag its own early dialog (§12.1.2, §13.2.2.1),
// the 2xx's To tag picks the winner (§13.2.2.4) and its SDP is the answer in
// force (RFC 6337 §3.1); and the callee's 183 with our early answer.
#include "unit/ua/ua_harness.hpp"

namespace wwp::call {
namespace {

const char* kEarlyA =
    "v=0\r\no=- 7 1 IN IP4 10.0.0.7\r\ns=-\r\nt=0 0\r\n"
    "m=audio 4000 RTP/AVP 0\r\nc=IN IP4 10.0.0.7\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
const char* kEarlyB =
    "v=0\r\no=- 8 1 IN IP4 10.0.0.8\r\ns=-\r\nt=0 0\r\n"
    "m=audio 5000 RTP/AVP 0\r\nc=IN IP4 10.0.0.8\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";

class CallEarlyTest : public UaHarness {
 protected:
  CallEarlyTest() : UaHarness(ua::ua_test_config(15)) {}

  msg::Message place_call() {
    register_ua();
    handle_ = *ua_.invite({"102", "", {}, kOffer}, now_);
    drain();
    return last_sent("INVITE");
  }
  /// A response of fork `tag` with its own Contact, and `sdp` as its body.
  static msg::Message from_fork(const msg::Message& invite, int status, const std::string& tag,
                                const std::string& sdp = {}) {
    auto r = msg::make_reply(invite, status, tag);
    r.add("Contact", "<sip:" + tag + "@10.0.0.3;transport=ws>");
    if (!sdp.empty()) r.set_body(sdp, "application/sdp");
    return r;
  }
  const CallProgress& progress() {
    auto* e = last_event<CallProgress>();
    EXPECT_NE(e, nullptr);
    static CallProgress none{};
    return e ? *e : none;
  }
  std::string to_tag(const msg::Message& m) { return msg::tag_of(*m.get("To")).value_or(""); }

  CallHandle handle_ = 0;
};

TEST_F(CallEarlyTest, a_183_with_sdp_is_the_early_answer_rfc3261_13_2_1) {
  const auto invite = place_call();
  feed(from_fork(invite, 183, "a", kEarlyA));
  EXPECT_TRUE(progress().has_sdp);
  EXPECT_TRUE(progress().early_answer);
  EXPECT_EQ(progress().response.body(), kEarlyA);
  EXPECT_EQ(progress().response.status(), 183);
  // The same answer again (unreliable 18x are repeated): nothing new to apply.
  feed(from_fork(invite, 183, "a", kEarlyA));
  EXPECT_TRUE(progress().has_sdp);
  EXPECT_FALSE(progress().early_answer);
  // The 2xx repeats it (RFC 6337 §3.1): it is the answer in force.
  feed(from_fork(invite, 200, "a", kEarlyA));
  auto* answered = last_event<CallAnswered>();
  ASSERT_NE(answered, nullptr);
  EXPECT_EQ(answered->response.body(), kEarlyA);
  EXPECT_EQ(to_tag(last_sent("ACK")), "a");
  EXPECT_EQ(ua_.live_counts().dialogs, 1u);
}

TEST_F(CallEarlyTest, a_180_without_sdp_is_no_early_answer) {
  const auto invite = place_call();
  feed(from_fork(invite, 180, "a"));
  EXPECT_FALSE(progress().has_sdp);
  EXPECT_FALSE(progress().early_answer);
  // A body that is not SDP is no answer either.
  auto r = from_fork(invite, 183, "a");
  r.set_body("<isup/>", "application/isup");
  feed(r);
  EXPECT_FALSE(progress().has_sdp);
  EXPECT_FALSE(progress().early_answer);
}

TEST_F(CallEarlyTest, a_2xx_with_another_sdp_than_the_early_one_is_the_answer_rfc6337) {
  const auto invite = place_call();
  feed(from_fork(invite, 183, "a", kEarlyA));
  feed(from_fork(invite, 200, "a", kAnswer));
  auto* answered = last_event<CallAnswered>();
  ASSERT_NE(answered, nullptr);
  EXPECT_EQ(answered->response.body(), kAnswer);
}

TEST_F(CallEarlyTest, each_fork_has_its_early_dialog_and_the_2xx_picks_the_winner_rfc3261_13_2_2_4) {
  const auto invite = place_call();
  feed(from_fork(invite, 183, "a", kEarlyA));
  EXPECT_TRUE(progress().early_answer);
  feed(from_fork(invite, 183, "b", kEarlyB));
  EXPECT_TRUE(progress().early_answer) << "another fork's answer is new";
  EXPECT_EQ(progress().response.body(), kEarlyB);
  EXPECT_EQ(progress().peer.remote_tag, "b");
  EXPECT_EQ(ua_.live_counts().dialogs, 2u) << "one early dialog per To tag (§12.1.2)";
  sent_.clear();
  auto ok = from_fork(invite, 200, "b", kAnswer);
  feed(ok);
  auto* answered = last_event<CallAnswered>();
  ASSERT_NE(answered, nullptr);
  EXPECT_EQ(answered->response.body(), kAnswer);
  EXPECT_EQ(answered->peer.remote_tag, "b");
  // The ACK goes in b's dialog, to b's Contact; a's early dialog is gone.
  const auto ack = last_sent("ACK");
  EXPECT_EQ(to_tag(ack), "b");
  EXPECT_EQ(ack.request_uri(), "sip:b@10.0.0.3;transport=ws");
  EXPECT_EQ(ua_.live_counts().dialogs, 1u);
  // The losing fork answers too: ACK and BYE in its own dialog (§13.2.2.4).
  sent_.clear();
  feed(from_fork(invite, 200, "a", kEarlyA));
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[0].method(), "ACK");
  EXPECT_EQ(sent_[1].method(), "BYE");
  for (const auto& m : sent_) {
    EXPECT_EQ(to_tag(m), "a");
    EXPECT_EQ(m.request_uri(), "sip:a@10.0.0.3;transport=ws");
  }
  EXPECT_EQ(ua_.live_counts().calls, 1u);
  // The call goes on with b: its BYE is in b's dialog.
  ASSERT_TRUE(ua_.hangup(handle_, now_).ok());
  drain();
  EXPECT_EQ(to_tag(last_sent("BYE")), "b");
}

TEST_F(CallEarlyTest, the_fork_without_early_media_can_win_and_its_2xx_answer_applies) {
  const auto invite = place_call();
  feed(from_fork(invite, 180, "a"));
  feed(from_fork(invite, 183, "b", kEarlyB));
  feed(from_fork(invite, 200, "a", kAnswer));
  auto* answered = last_event<CallAnswered>();
  ASSERT_NE(answered, nullptr);
  EXPECT_EQ(answered->response.body(), kAnswer) << "the winner's 2xx, not b's early media";
  EXPECT_EQ(to_tag(last_sent("ACK")), "a");
  EXPECT_EQ(ua_.live_counts().dialogs, 1u);
}

TEST_F(CallEarlyTest, info_in_early_dialogs_goes_to_the_fork_whose_media_plays) {
  const auto invite = place_call();
  feed(from_fork(invite, 183, "a", kEarlyA));
  feed(from_fork(invite, 180, "b"));  // b rings without media: a's still plays
  ASSERT_TRUE(ua_.send_dtmf_info(handle_, "1", 100, now_).ok());
  drain();
  EXPECT_EQ(to_tag(last_sent("INFO")), "a");
  EXPECT_EQ(last_sent("INFO").request_uri(), "sip:a@10.0.0.3;transport=ws");
  feed(msg::make_reply(last_sent("INFO"), 200));
  feed(from_fork(invite, 183, "b", kEarlyB));  // now b's media plays
  ASSERT_TRUE(ua_.send_request(handle_, "INFO", "text/plain", "x", now_).ok());
  drain();
  EXPECT_EQ(to_tag(last_sent("INFO")), "b");
}

TEST_F(CallEarlyTest, a_failure_ends_every_early_dialog_rfc3261_12_3) {
  const auto invite = place_call();
  feed(from_fork(invite, 180, "a"));
  feed(from_fork(invite, 183, "b", kEarlyB));
  ASSERT_EQ(ua_.live_counts().dialogs, 2u);
  feed(from_fork(invite, 486, "b"));
  ASSERT_NE(last_event<CallFailed>(), nullptr);
  EXPECT_EQ(ua_.live_counts().dialogs, 0u);
  EXPECT_EQ(ua_.live_counts().calls, 0u);
}

TEST_F(CallEarlyTest, a_bye_in_a_losing_forks_early_dialog_ends_only_that_fork) {
  const auto invite = place_call();
  feed(from_fork(invite, 183, "a", kEarlyA));
  feed(from_fork(invite, 180, "b"));
  msg::Message bye = msg::Message::request("BYE", "sip:101@me.invalid;transport=ws");
  bye.add("Via", "SIP/2.0/WSS 10.0.0.3;branch=z9hG4bKbyeb");
  bye.add("From", std::string(*from_fork(invite, 180, "b").get("To")));
  bye.add("To", std::string(*invite.get("From")));
  bye.add("Call-ID", std::string(*invite.get("Call-ID")));
  bye.add("CSeq", "1 BYE");
  feed(bye);
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "1 BYE");
  EXPECT_EQ(last_event<CallEnded>(), nullptr);
  EXPECT_EQ(ua_.live_counts().dialogs, 1u);
  feed(from_fork(invite, 200, "a", kEarlyA));
  ASSERT_NE(last_event<CallAnswered>(), nullptr);
  EXPECT_EQ(to_tag(last_sent("ACK")), "a");
}

// The fork whose early dialog is the call's BYEs it (§15 forbids that to a
// callee; taken as a hangup): the call ends and our INVITE is cancelled.
// Without the CANCEL, the other forks rang on and the INVITE transaction
// waited with no owner.
TEST_F(CallEarlyTest, a_bye_in_the_calls_own_early_dialog_ends_the_call_and_cancels_the_invite_rfc3261_9_1) {
  const auto invite = place_call();
  feed(from_fork(invite, 180, "a"));
  msg::Message bye = msg::Message::request("BYE", "sip:101@me.invalid;transport=ws");
  bye.add("Via", "SIP/2.0/WSS 10.0.0.3;branch=z9hG4bKbyea");
  bye.add("From", std::string(*from_fork(invite, 180, "a").get("To")));
  bye.add("To", std::string(*invite.get("From")));
  bye.add("Call-ID", std::string(*invite.get("Call-ID")));
  bye.add("CSeq", "1 BYE");
  sent_.clear();
  feed(bye);
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "1 BYE");
  const msg::Message cancel = last_sent("CANCEL");
  EXPECT_EQ(cancel.get("Call-ID"), invite.get("Call-ID"));
  EXPECT_EQ(msg::parse_via(*cancel.get("Via"))->branch(), msg::parse_via(*invite.get("Via"))->branch());  // §9.1
  auto* ended = last_event<CallEnded>();
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ(ended->reason, "remote hangup");
  // The proxy answers: the CANCEL's 200, the INVITE's 487 (ACKed by its transaction).
  feed(msg::make_reply(cancel, 200));
  feed(from_fork(invite, 487, "a"));
  EXPECT_EQ(msg::parse_cseq(last_sent("ACK").get("CSeq").value_or(""))->seq, msg::parse_cseq(*invite.get("CSeq"))->seq);
  advance(64 * 500);
  EXPECT_EQ(ua_.live_counts().calls, 0u);
  EXPECT_EQ(ua_.live_counts().dialogs, 0u);
  EXPECT_EQ(ua_.live_counts().transactions, 0u);
}

// --- the callee: 183 with our early answer -----------------------------------

class CallEarlyInboundTest : public UaHarness {
 protected:
  CallEarlyInboundTest() : UaHarness(ua::ua_test_config(16)) {}
  CallHandle ringing(const std::string& offer = kOffer) {
    register_ua();
    feed(inbound_invite(offer));
    auto* in = last_event<IncomingCall>();
    EXPECT_NE(in, nullptr);
    sent_.clear();
    return in ? in->call : 0;
  }
};

TEST_F(CallEarlyInboundTest, progress_with_sdp_sends_183_with_it_and_the_2xx_repeats_it_rfc6337_3_1) {
  const CallHandle h = ringing();
  ASSERT_TRUE(ua_.answer(h, kAnswer, now_, true).ok());
  drain();
  const auto p = last_sent("183");
  EXPECT_EQ(p.body(), kAnswer);
  EXPECT_EQ(p.get("Content-Type").value_or(""), "application/sdp");
  EXPECT_TRUE(p.has("Contact")) << "§12.1.1: a dialog-creating 1xx carries Contact";
  EXPECT_TRUE(msg::tag_of(*p.get("To")).has_value());
  // Another 183 (no SDP asked) still repeats the early answer.
  ASSERT_TRUE(ua_.answer(h, "", now_, true).ok());
  drain();
  EXPECT_EQ(last_sent("183").body(), kAnswer);
  // answer() with another SDP (or none) sends the early one: no new offer/answer.
  ASSERT_TRUE(ua_.answer(h, kOffer, now_).ok());
  drain();
  const auto ok = last_sent("200");
  EXPECT_EQ(ok.body(), kAnswer);
  EXPECT_EQ(*ok.get("To"), *p.get("To")) << "same dialog as the 183";
}

TEST_F(CallEarlyInboundTest, progress_without_sdp_sends_183_without_a_body_and_answer_needs_one) {
  const CallHandle h = ringing();
  ASSERT_TRUE(ua_.answer(h, "", now_, true).ok());
  drain();
  EXPECT_EQ(last_sent("183").body(), "");
  EXPECT_FALSE(last_sent("183").has("Content-Type"));
  EXPECT_FALSE(ua_.answer(h, "", now_).ok());
  ASSERT_TRUE(ua_.answer(h, kAnswer, now_).ok());
  drain();
  EXPECT_EQ(last_sent("200").body(), kAnswer);
}

TEST_F(CallEarlyInboundTest, progress_refuses_a_wrong_state_and_sends_no_offer_in_a_183) {
  const CallHandle offerless = ringing("");
  // Our SDP would be an offer, which an unreliable 183 may not carry (§13.2.1).
  ASSERT_TRUE(ua_.answer(offerless, kAnswer, now_, true).ok());
  drain();
  EXPECT_EQ(last_sent("183").body(), "");
  ASSERT_TRUE(ua_.answer(offerless, kOffer, now_).ok());
  drain();
  EXPECT_EQ(last_sent("200").body(), kOffer) << "the offer goes in the 2xx";
  auto late = ua_.answer(offerless, "", now_, true);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, UaErrorCode::InvalidState);
  EXPECT_EQ(late.error().message, "progress: the call is accepted, not ringing");
}

}  // namespace
}  // namespace wwp::call
