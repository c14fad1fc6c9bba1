// The INVITE session (RFC 3261 §13–15, RFC 3264, RFC 3515) through the UA's
// bytes-in/bytes-out surface, in virtual time, against a scripted peer.
#include "unit/ua/ua_harness.hpp"

namespace wwp::call {
namespace {

class CallTest : public UaHarness {
 protected:
  CallTest() : UaHarness(config()) {}
  static Config config() { return ua::ua_test_config(3); }

  /// The transferee's NOTIFY for our REFER saying its new call was answered
  /// (RFC 3515 §2.4.5: a 2xx sipfrag), on `branch` with CSeq `cseq`.
  static msg::Message refer_notify(const msg::Message& refer, const std::string& branch, int cseq) {
    msg::Message notify = msg::Message::request("NOTIFY", "sip:101@me.invalid;transport=ws");
    notify.add("Via", "SIP/2.0/WSS 10.0.0.2;branch=z9hG4bK" + branch);
    notify.add("From", std::string(*refer.get("To")));
    notify.add("To", std::string(*refer.get("From")));
    notify.add("Call-ID", std::string(*refer.get("Call-ID")));
    notify.add("CSeq", std::to_string(cseq) + " NOTIFY");
    notify.add("Event", "refer");
    notify.set_body("SIP/2.0 200 OK\r\n", "message/sipfrag;version=2.0");
    return notify;
  }
};

TEST_F(CallTest, invite_needs_a_registration_first) {
  auto h = ua_.invite({"102", "", {}, kOffer}, now_);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().code, UaErrorCode::InvalidState);
}

TEST_F(CallTest, uac_answers_407_once_with_proxy_authorization_rfc3261_22_3) {
  register_ua();
  auto h = ua_.invite({"102", "16505550100", {{"X-Custom-Header", "test"}}, kOffer}, now_);
  ASSERT_TRUE(h.ok());
  drain();
  auto first = last_sent("INVITE");
  EXPECT_EQ(first.request_uri(), "sip:102@example.test");
  EXPECT_EQ(*first.get("X-Custom-Header"), "test");
  EXPECT_EQ(*first.get("P-Asserted-Identity"), "sip:16505550100@example.test");
  EXPECT_TRUE(first.has("Contact"));
  auto challenge = msg::make_reply(first, 407, "px");
  challenge.add("Proxy-Authenticate", "Digest realm=\"example.test\", nonce=\"abc\"");
  feed(challenge);
  // The ICT ACKs the 407 itself (§17.1.1.3), then the TU re-sends with credentials.
  EXPECT_EQ(last_sent("ACK").get("CSeq")->substr(0, 2), first.get("CSeq")->substr(0, 2));
  auto second = last_sent("INVITE");
  EXPECT_TRUE(second.has("Proxy-Authorization"));
  EXPECT_EQ(*second.get("Call-ID"), *first.get("Call-ID"));
  EXPECT_EQ(*second.get("X-Custom-Header"), "test");
  EXPECT_EQ(msg::parse_cseq(*second.get("CSeq"))->seq, msg::parse_cseq(*first.get("CSeq"))->seq + 1);
  // A second challenge means the credentials were refused: the call fails.
  auto again = msg::make_reply(second, 407, "px");
  again.add("Proxy-Authenticate", "Digest realm=\"example.test\", nonce=\"def\"");
  feed(again);
  auto* failed = last_event<CallFailed>();
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->status, 407);
}

TEST_F(CallTest, uac_2xx_confirms_and_the_tu_acks_with_the_dialog_route_rfc3261_13_2_2_4) {
  const CallHandle h = connected_outbound();
  ASSERT_NE(last_event<CallProgress>(), nullptr);
  auto* answered = last_event<CallAnswered>();
  ASSERT_NE(answered, nullptr);
  EXPECT_EQ(answered->call, h);
  EXPECT_EQ(answered->peer.remote_tag, "callee");
  EXPECT_EQ(answered->peer.remote_user, "102");
  auto ack = last_sent("ACK");
  EXPECT_EQ(ack.request_uri(), "sip:102@10.0.0.2;transport=ws");  // remote target from Contact
  EXPECT_NE(ack.get("To")->find("tag=callee"), std::string_view::npos);
}

TEST_F(CallTest, uac_non_2xx_final_fails_the_call) {
  register_ua();
  auto h = ua_.invite({"78654", "", {}, kOffer}, now_);
  drain();
  auto invite = last_sent("INVITE");
  feed(msg::make_reply(invite, 183, "x"));
  feed(msg::make_reply(invite, 486, "x"));
  auto* failed = last_event<CallFailed>();
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->status_line, "SIP/2.0 486 Busy Here");
  EXPECT_FALSE(ua_.hangup(*h, now_).ok());  // the call is gone
}

TEST_F(CallTest, uac_cancel_waits_for_a_provisional_rfc3261_9_1) {
  register_ua();
  auto h = ua_.invite({"102", "", {}, kOffer}, now_);
  drain();
  auto invite = last_sent("INVITE");
  ASSERT_TRUE(ua_.hangup(*h, now_).ok());
  drain();
  for (const auto& m : sent_) EXPECT_NE(m.method(), "CANCEL");
  feed(msg::make_reply(invite, 180, "callee"));
  auto cancel = last_sent("CANCEL");
  EXPECT_EQ(msg::parse_via(*cancel.get("Via"))->branch(), msg::parse_via(*invite.get("Via"))->branch());
  feed(msg::make_reply(cancel, 200, "callee"));
  feed(msg::make_reply(invite, 487, "callee"));
  auto* failed = last_event<CallFailed>();
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->status, 487);
}

TEST_F(CallTest, a_2xx_after_the_cancels_own_200_is_acked_and_ended_with_bye_rfc3261_9_1) {
  // Found by the two-phone simulator: the CANCEL's 200 overtook the INVITE's 2xx.
  register_ua();
  auto h = ua_.invite({"102", "", {}, kOffer}, now_);
  drain();
  auto invite = last_sent("INVITE");
  feed(msg::make_reply(invite, 180, "callee"));
  ASSERT_TRUE(ua_.hangup(*h, now_).ok());
  drain();
  feed(msg::make_reply(last_sent("CANCEL"), 200, "callee"));
  sent_.clear();
  auto ok = msg::make_reply(invite, 200, "callee");
  ok.add("Contact", "<sip:102@10.0.0.2;transport=ws>");
  ok.set_body(kAnswer, "application/sdp");
  feed(ok);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[0].method(), "ACK");
  EXPECT_EQ(sent_[1].method(), "BYE");
  EXPECT_EQ(sent_[1].request_uri(), "sip:102@10.0.0.2;transport=ws");
  feed(msg::make_reply(sent_[1], 200));
  auto* ended = last_event<CallEnded>();
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ(ended->reason, "local hangup");
  EXPECT_EQ(ua_.call_id(*h), "");
}

TEST_F(CallTest, a_rejected_invites_timer_h_runs_from_the_answer_not_from_time_zero_rfc3261_17_2_1) {
  // Found by fuzz_ua: Call::respond started server timers at t=0, so in a
  // page open longer than 64*T1 Timer H was due at once and the IST died
  // at the next tick (one created during a Tick even stayed due, making the
  // driver spin).
  now_ = 100'000;
  register_ua();
  const auto invite = inbound_invite();
  feed(invite);
  auto* in = last_event<IncomingCall>();
  ASSERT_NE(in, nullptr);
  ASSERT_TRUE(ua_.reject(in->call, 486, now_).ok());
  drain();
  advance(1000);
  // §17.2.1: the IST, Completed until Timer H, absorbs a retransmitted
  // INVITE and repeats its 486; it must not become a second call.
  sent_.clear();
  feed(invite);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].status(), 486);
  int incoming = 0;
  for (const auto& e : events_) incoming += std::holds_alternative<IncomingCall>(e);
  EXPECT_EQ(incoming, 1);
}

TEST_F(CallTest, invite_timeout_gives_a_synthetic_408_timer_b) {
  register_ua();
  ASSERT_TRUE(ua_.invite({"102", "", {}, kOffer}, now_).ok());
  drain();
  advance(64 * 500);
  auto* failed = last_event<CallFailed>();
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->status, 408);
}

TEST_F(CallTest, header_injection_is_refused_before_sending) {
  register_ua();
  auto h = ua_.invite({"102", "", {{"X-Evil", "a\r\nBYE sip:x SIP/2.0"}}, kOffer}, now_);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().code, UaErrorCode::InvalidArgument);
  drain();
  EXPECT_TRUE(sent_.empty());
  EXPECT_FALSE(ua_.invite({"102", "", {{"Bad Name", "x"}}, kOffer}, now_).ok());
}

TEST_F(CallTest, uas_rings_then_answers_with_contact_and_confirms_on_ack) {
  register_ua();
  const auto invite = inbound_invite();
  feed(invite);
  ASSERT_GE(sent_.size(), 2u);
  EXPECT_EQ(sent_[0].status(), 100);
  EXPECT_EQ(sent_[1].status(), 180);
  auto* incoming = last_event<IncomingCall>();
  ASSERT_NE(incoming, nullptr);
  EXPECT_EQ(incoming->auto_answer_after, -1);
  EXPECT_EQ(incoming->peer.remote_user, "102");
  const CallHandle h = incoming->call;
  ASSERT_TRUE(ua_.answer(h, kAnswer, now_).ok());
  drain();
  auto ok = last_sent("200");
  EXPECT_TRUE(ok.has("Contact"));
  EXPECT_EQ(ok.body(), kAnswer);
  const std::string tag = *msg::tag_of(*ok.get("To"));
  feed(inbound_ack(tag));
  ASSERT_NE(last_event<CallConfirmed>(), nullptr);
  // The caller hangs up: 200 and CallEnded.
  feed(from_caller("BYE", tag, 11, "z9hG4bKbye1"));
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "11 BYE");
  auto* ended = last_event<CallEnded>();
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ(ended->reason, "remote hangup");
}

TEST_F(CallTest, uas_copies_record_route_into_180_and_200_in_order_rfc3261_12_1_1) {
  register_ua();
  auto invite = inbound_invite();
  invite.add("Record-Route", "<sip:127.0.0.1:25080;transport=ws;r2=on;lr>");
  invite.add("Record-Route", "<sip:127.0.0.1:25060;r2=on;lr>");
  feed(invite);
  auto ringing = last_sent("180");
  ASSERT_EQ(ringing.get_all("Record-Route").size(), 2u);
  EXPECT_EQ(ringing.get_all("Record-Route")[0], "<sip:127.0.0.1:25080;transport=ws;r2=on;lr>");
  ASSERT_TRUE(ua_.answer(last_event<IncomingCall>()->call, kAnswer, now_).ok());
  drain();
  EXPECT_EQ(last_sent("200").get_all("Record-Route").size(), 2u);
  EXPECT_TRUE(last_sent("100").get_all("Record-Route").empty());
}

TEST_F(CallTest, uas_cancel_gets_200_and_the_invite_487_rfc3261_9_2) {
  register_ua();
  const auto invite = inbound_invite();
  feed(invite);
  const msg::Message cancel = from_caller("CANCEL", "", 10, "z9hG4bKin1");  // inbound_invite()'s branch
  feed(cancel);
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "10 CANCEL");
  EXPECT_EQ(last_sent("487").get("CSeq").value_or(""), "10 INVITE");
  // "The To tag of the response to the CANCEL and the To tag in the response
  // to the original request SHOULD be the same."
  const auto ringing_tag = msg::tag_of(last_sent("180").get("To").value_or(""));
  ASSERT_TRUE(ringing_tag);
  EXPECT_EQ(msg::tag_of(last_sent("200").get("To").value_or("")), ringing_tag);
  EXPECT_EQ(msg::tag_of(last_sent("487").get("To").value_or("")), ringing_tag);
  auto* ended = last_event<CallEnded>();
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ(ended->reason, "cancelled");
}

// §9.2: "as long as the CANCEL matched an existing transaction, the UAS
// answers the CANCEL request itself with a 200" — also when the INVITE was
// answered (rejected) already and the call is gone; with no transaction at
// all, 481 carrying a To tag (§8.2.6.2).
TEST_F(CallTest, a_cancel_crossing_our_reject_gets_200_and_one_matching_nothing_481_with_a_tag_rfc3261_9_2) {
  register_ua();
  const auto invite = inbound_invite();
  feed(invite);
  ASSERT_TRUE(ua_.reject(last_event<IncomingCall>()->call, 486, now_).ok());
  drain();
  ASSERT_EQ(ua_.live_counts().calls, 0u);
  const msg::Message cancel = from_caller("CANCEL", "", 10, "z9hG4bKin1");  // inbound_invite()'s branch
  sent_.clear();
  feed(cancel);
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "10 CANCEL");
  EXPECT_EQ(count_of("481"), 0);
  msg::Message stray = cancel;
  stray.set("Via", "SIP/2.0/WSS proxy.test;branch=z9hG4bKnone");
  feed(stray);
  const auto r481 = last_sent("481");
  EXPECT_EQ(r481.get("CSeq").value_or(""), "10 CANCEL");
  EXPECT_TRUE(msg::tag_of(r481.get("To").value_or("")).has_value()) << r481.to_string();
}

// §15.1.2: "If the BYE does not match an existing dialog, the UAS core
// SHOULD generate a 481"; one without a To tag is no less dialog-less (it
// got 501, as if we did not know the BYE our Allow lists).
TEST_F(CallTest, a_bye_or_update_outside_any_dialog_gets_481_not_501_rfc3261_15_1_2) {
  register_ua();
  for (const char* method : {"BYE", "UPDATE"}) {
    msg::Message m = msg::Message::request(method, "sip:101@me.invalid;transport=ws");
    m.add("Via", std::string("SIP/2.0/WSS proxy.test;branch=z9hG4bKood") + method);
    m.add("Max-Forwards", "70");
    m.add("From", "<sip:102@example.test>;tag=caller");
    m.add("To", "<sip:101@example.test>");
    m.add("Call-ID", std::string("ood-") + method);
    m.add("CSeq", std::string("1 ") + method);
    m.set_body({});
    sent_.clear();
    feed(m);
    EXPECT_EQ(last_sent("481").get("CSeq").value_or(""), std::string("1 ") + method);
    EXPECT_EQ(count_of("501"), 0) << method;
  }
}

TEST_F(CallTest, decline_on_a_standard_server_is_603_rfc3261_21_6_2) {
  register_ua();
  feed(inbound_invite());
  auto r = ua_.decline(last_event<IncomingCall>()->call, now_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, 0u);  // no request to wait for
  drain();
  EXPECT_EQ(last_sent("603").get("CSeq").value_or(""), "10 INVITE");
}

TEST_F(CallTest, decline_on_ringcentral_is_cmd_12_and_leaves_the_invite_to_the_server) {
  register_ua();
  auto invite = inbound_invite();
  invite.add("P-rc", "<Msg><Hdr SID=\"s1\" Req=\"r1\" From=\"#9@example.test:5060\" To=\"101\" Cmd=\"6\"/>"
                     "<Bdy Phn=\"+1555\" Nm=\"C\"/></Msg>");
  feed(invite);
  sent_.clear();
  auto r = ua_.decline(last_event<IncomingCall>()->call, now_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_GT(*r, 0u);
  drain();
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].method(), "MESSAGE");
  EXPECT_NE(sent_[0].body().find("Cmd=\"12\""), std::string::npos) << sent_[0].body();
  // the server, not us, ends the INVITE (it CANCELs it): no final response from us yet
  for (const auto& m : sent_) EXPECT_TRUE(m.is_request());
}

// RFC 5057 §5.1 / RFC 3261 §12.2.1.2: a 481 or 408 speaks for the dialog
// only when the request went in it. RingCentral's Cmd 17 MESSAGE (sent on
// every P-rc INVITE) goes outside it with its own From tag: its timeout (or
// a 481) must leave the answered call alone; a request in the dialog that
// gets 481 still ends it.
TEST_F(CallTest, a_408_or_481_to_an_rc_message_outside_the_dialog_leaves_the_answered_call_rfc5057_5_1) {
  register_ua();
  auto invite = inbound_invite();
  invite.add("P-rc", "<Msg><Hdr SID=\"s1\" Req=\"r1\" From=\"#9@example.test:5060\" To=\"101\" Cmd=\"6\"/>"
                     "<Bdy Phn=\"+1555\" Nm=\"C\"/></Msg>");
  feed(invite);
  const msg::Message confirm = last_sent("MESSAGE");
  ASSERT_NE(confirm.body().find("Cmd=\"17\""), std::string::npos);
  const CallHandle h = last_event<IncomingCall>()->call;
  ASSERT_TRUE(ua_.answer(h, kAnswer, now_).ok());
  drain();
  const std::string tag = *msg::tag_of(*last_sent("200").get("To"));
  feed(inbound_ack(tag));
  ASSERT_NE(last_event<CallConfirmed>(), nullptr);
  feed(msg::make_reply(confirm, 481, "srv"));
  EXPECT_EQ(last_event<CallEnded>(), nullptr) << "the call's dialog is not the MESSAGE's";
  EXPECT_EQ(ua_.live_counts().calls, 1u);
  // An INFO in the dialog that gets 481: now the dialog is gone.
  auto id = ua_.send_request(h, "INFO", "application/json", "{}", now_);
  ASSERT_TRUE(id.ok());
  drain();
  feed(msg::make_reply(last_sent("INFO"), 481, "caller"));
  ASSERT_NE(last_event<CallEnded>(), nullptr);
}

TEST_F(CallTest, auto_answer_headers_give_the_delay_in_ms_as_ringcentral_does) {
  register_ua();
  auto invite = inbound_invite();
  invite.add("Alert-Info", "Auto Answer");
  invite.add("Call-Info", "<224981555_132089748@10.13.116.50>;purpose=info;Answer-After=250");
  feed(invite);
  auto* incoming = last_event<IncomingCall>();
  ASSERT_NE(incoming, nullptr);
  EXPECT_EQ(incoming->auto_answer_after, 250);
}

TEST_F(CallTest, hold_sends_sendonly_with_a_bumped_origin_and_reports_the_answer) {
  const CallHandle h = connected_outbound();
  ASSERT_TRUE(ua_.hold(h, true, now_).ok());
  drain();
  auto reinvite = last_sent("INVITE");
  EXPECT_NE(reinvite.body().find("a=sendonly"), std::string::npos);
  EXPECT_NE(reinvite.body().find("o=- 4611731400430051336 3 IN IP4"), std::string::npos);
  EXPECT_NE(reinvite.get("To")->find("tag=callee"), std::string_view::npos);
  EXPECT_EQ(reinvite.request_uri(), "sip:102@10.0.0.2;transport=ws");
  // A second re-INVITE while one is pending is refused clearly (§14.1).
  EXPECT_FALSE(ua_.hold(h, false, now_).ok());
  auto ok = msg::make_reply(reinvite, 200, "callee");
  ok.set_body(kAnswer, "application/sdp");
  feed(ok);
  auto* done = last_event<ReinviteDone>();
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->status, 200);
  EXPECT_EQ(last_sent("ACK").get("CSeq")->substr(last_sent("ACK").get("CSeq")->find(' ') + 1), "ACK");
  ASSERT_TRUE(ua_.hold(h, false, now_).ok());
  drain();
  EXPECT_NE(last_sent("INVITE").body().find("a=sendrecv"), std::string::npos);
}

TEST_F(CallTest, crossing_reinvite_gets_491_and_ours_is_retried_after_a_delay_rfc3261_14_1) {
  const CallHandle h = connected_outbound();
  ASSERT_TRUE(ua_.hold(h, true, now_).ok());
  drain();
  auto ours = last_sent("INVITE");
  // The peer's re-INVITE crosses ours.
  msg::Message theirs = msg::Message::request("INVITE", "sip:101@me.invalid;transport=ws");
  theirs.add("Via", "SIP/2.0/WSS 10.0.0.2;branch=z9hG4bKx1");
  theirs.add("From", std::string(*ours.get("To")));
  theirs.add("To", std::string(*ours.get("From")));
  theirs.add("Call-ID", std::string(*ours.get("Call-ID")));
  theirs.add("CSeq", "500 INVITE");
  theirs.set_body(kAnswer, "application/sdp");
  feed(theirs);
  EXPECT_EQ(last_sent("491").get("CSeq").value_or(""), "500 INVITE");
  // Our re-INVITE is answered 491 too: it is retried after 2.1–4 s (we own the Call-ID).
  feed(msg::make_reply(ours, 491, "callee"));
  sent_.clear();
  advance(2000);
  for (const auto& m : sent_) EXPECT_NE(m.method(), "INVITE");
  advance(2100);
  EXPECT_NE(last_sent("INVITE").body().find("a=sendonly"), std::string::npos);
}

namespace {
/// The peer's `method` request with `body` on the dialog of our `ours` request.
msg::Message peer_request(const char* method, const msg::Message& ours, const char* branch, const char* cseq,
                          const std::string& body, const char* type = "application/sdp") {
  msg::Message theirs = msg::Message::request(method, "sip:101@me.invalid;transport=ws");
  theirs.add("Via", std::string("SIP/2.0/WSS 10.0.0.2;branch=") + branch);
  theirs.add("From", std::string(*ours.get("To")));
  theirs.add("To", std::string(*ours.get("From")));
  theirs.add("Call-ID", std::string(*ours.get("Call-ID")));
  theirs.add("CSeq", cseq);
  theirs.set_body(body, type);
  return theirs;
}
/// The peer's re-INVITE (with `sdp`) on the dialog of our `ours` request.
msg::Message peer_reinvite(const msg::Message& ours, const char* branch, const char* cseq, const std::string& sdp) {
  return peer_request("INVITE", ours, branch, cseq, sdp);
}
// RFC 3264 §8: the browser numbers its descriptions, the core bumps the
// version for hold and unhold: the peer must see one sequence, or a peer that
// honours the version (Asterisk's default) ignores an ICE restart whose
// version it has seen, and the audio stays where the old network was.
TEST_F(CallTest, every_sdp_we_send_continues_our_origin_sequence_rfc3264_8) {
  const CallHandle h = connected_outbound();  // our INVITE: o=- 4611731400430051336 2
  auto answer_last_invite = [&] {
    auto ok = msg::make_reply(last_sent("INVITE"), 200, "callee");
    ok.set_body(kAnswer, "application/sdp");
    feed(ok);
  };
  ASSERT_TRUE(ua_.hold(h, true, now_).ok());
  drain();
  EXPECT_EQ(origin_line(last_sent("INVITE").body()), "- 4611731400430051336 3 IN IP4 127.0.0.1");
  answer_last_invite();
  ASSERT_TRUE(ua_.hold(h, false, now_).ok());
  drain();
  EXPECT_EQ(origin_line(last_sent("INVITE").body()), "- 4611731400430051336 4 IN IP4 127.0.0.1");
  answer_last_invite();
  // The browser's next offer (an ICE restart) says version 3 of its own.
  const std::string restart = "v=0\r\no=- 4611731400430051336 3 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                              "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:new1\r\na=sendrecv\r\n";
  ASSERT_TRUE(ua_.reinvite(h, restart, true, now_).ok());
  drain();
  EXPECT_EQ(origin_line(last_sent("INVITE").body()), "- 4611731400430051336 5 IN IP4 127.0.0.1");
  EXPECT_EQ(without_origin(last_sent("INVITE").body()), without_origin(restart));
  answer_last_invite();
  // The same description offered again: the same version (§8: "MUST NOT change").
  ASSERT_TRUE(ua_.reinvite(h, restart, true, now_).ok());
  drain();
  EXPECT_EQ(origin_line(last_sent("INVITE").body()), "- 4611731400430051336 5 IN IP4 127.0.0.1");
}

const std::string kRestartOffer =
    "v=0\r\no=- 7 5 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:ours1\r\na=sendrecv\r\n";
}  // namespace

/// The peer's UPDATE (RFC 3311) on the dialog of our `ours` request.
msg::Message peer_update(const msg::Message& ours, const char* branch, const char* cseq, const std::string& body,
                         const char* type = "application/sdp") {
  return peer_request("UPDATE", ours, branch, cseq, body, type);
}

TEST_F(CallTest, an_update_with_a_new_offer_is_answered_by_the_app_in_its_200_rfc3311_5_2) {
  const CallHandle h = connected_outbound();
  // The dialog as the peer sees it: our From, its tagged To.
  const auto invite = msg::make_reply(last_sent("INVITE"), 200, "callee");
  sent_.clear();
  feed(peer_update(invite, "z9hG4bKu1", "700 UPDATE", kRestartOffer));
  auto* offer = last_event<ReinviteOffer>();
  ASSERT_NE(offer, nullptr);  // the app answers it as a re-INVITE's
  EXPECT_EQ(offer->request.method(), "UPDATE");
  EXPECT_TRUE(sent_.empty()) << sent_[0].to_string();  // nothing until the app answers
  ASSERT_TRUE(ua_.answer_reinvite(h, kOffer, now_).ok());
  drain();
  const auto ok = last_sent("200");
  EXPECT_EQ(ok.get("CSeq").value_or(""), "700 UPDATE");
  EXPECT_EQ(ok.body(), kOffer);
  EXPECT_EQ(ok.get("Content-Type").value_or(""), "application/sdp");
  // No ACK follows a 200 to UPDATE: nothing is retransmitted for it.
  sent_.clear();
  advance(10000);
  for (const auto& m : sent_) EXPECT_NE(m.status(), 200) << m.to_string();
}

TEST_F(CallTest, a_refresh_update_offering_the_session_as_it_is_gets_our_sdp_at_once_rfc4028_10) {
  const CallHandle h = connected_outbound();
  (void)h;
  // The dialog as the peer sees it: our From, its tagged To.
  const auto invite = msg::make_reply(last_sent("INVITE"), 200, "callee");
  events_.clear();
  // A session refresh (RFC 4028 §10) that carries the SDP the peer answered before.
  auto refresh = peer_update(invite, "z9hG4bKu2", "700 UPDATE", kAnswer);
  refresh.add("Supported", "timer");
  refresh.add("Session-Expires", "1800;refresher=uac");
  feed(refresh);
  EXPECT_EQ(last_event<ReinviteOffer>(), nullptr);
  const auto ok = last_sent("200");
  EXPECT_EQ(ok.get("CSeq").value_or(""), "700 UPDATE");
  EXPECT_EQ(ok.body(), kOffer);  // our SDP as it was
}

TEST_F(CallTest, an_update_offer_crossing_an_offer_is_491_or_500_and_a_body_without_sdp_is_415_rfc3311_5_2) {
  const CallHandle h = connected_outbound();
  // The dialog as the peer sees it: our From, its tagged To.
  const auto invite = msg::make_reply(last_sent("INVITE"), 200, "callee");
  // Our re-INVITE's offer is out: theirs is refused 491.
  ASSERT_TRUE(ua_.reinvite(h, kRestartOffer, true, now_).ok());
  drain();
  const auto ours = last_sent("INVITE");
  feed(peer_update(invite, "z9hG4bKu3", "700 UPDATE", kRestartOffer));
  EXPECT_EQ(last_sent("491").get("CSeq").value_or(""), "700 UPDATE");
  auto ours_ok = msg::make_reply(ours, 200, "callee");
  ours_ok.set_body(kAnswer, "application/sdp");
  feed(ours_ok);
  // The peer's re-INVITE waits for the app's answer: an UPDATE offer now is 500 with Retry-After.
  feed(peer_reinvite(invite, "z9hG4bKu4", "701 INVITE", kRestartOffer));
  ASSERT_NE(last_event<ReinviteOffer>(), nullptr);
  feed(peer_update(invite, "z9hG4bKu5", "702 UPDATE", kOffer));
  const auto busy = last_sent("500");
  EXPECT_EQ(busy.get("CSeq").value_or(""), "702 UPDATE");
  EXPECT_TRUE(busy.has("Retry-After"));
  ASSERT_TRUE(ua_.answer_reinvite(h, kOffer, now_).ok());
  drain();
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "701 INVITE");
  // A body with no SDP in it (§8.2.3).
  feed(peer_update(invite, "z9hG4bKu6", "703 UPDATE", "hello", "text/plain"));
  const auto refused = last_sent("415");
  EXPECT_EQ(refused.get("CSeq").value_or(""), "703 UPDATE");
  EXPECT_EQ(refused.get("Accept").value_or(""), "application/sdp, multipart/mixed");
}

TEST_F(CallTest, while_an_update_offer_waits_no_other_offer_starts_rfc3311_5_1) {
  const CallHandle h = connected_outbound();
  const auto invite = msg::make_reply(last_sent("INVITE"), 200, "callee");
  feed(peer_update(invite, "z9hG4bKw1", "700 UPDATE", kRestartOffer));
  ASSERT_NE(last_event<ReinviteOffer>(), nullptr);
  // The peer's re-INVITE meanwhile: 500 with Retry-After (§14.2, RFC 3311 §5.2).
  feed(peer_reinvite(invite, "z9hG4bKw2", "701 INVITE", kOffer));
  EXPECT_EQ(last_sent("500").get("CSeq").value_or(""), "701 INVITE");
  EXPECT_TRUE(last_sent("500").has("Retry-After"));
  // Our hold waits: no INVITE of ours while their offer is open.
  sent_.clear();
  ASSERT_TRUE(ua_.hold(h, true, now_).ok());
  drain();
  for (const auto& m : sent_) EXPECT_NE(m.method(), "INVITE") << m.to_string();
  ASSERT_TRUE(ua_.answer_reinvite(h, kOffer, now_).ok());
  drain();
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "700 UPDATE");
  advance(4100);  // the hold goes once the UPDATE is answered (glare retry, we own the Call-ID)
  const auto held = last_sent("INVITE");
  EXPECT_NE(held.body().find("a=sendonly"), std::string::npos) << held.body();
}

TEST_F(CallTest, an_update_offer_refused_488_leaves_the_session_as_it_was_rfc3311_5_2) {
  const CallHandle h = connected_outbound();
  const auto invite = msg::make_reply(last_sent("INVITE"), 200, "callee");
  auto update = [&](const char* branch, const char* cseq) {
    auto m = peer_update(invite, branch, cseq, kRestartOffer);
    m.add("Supported", "timer");
    m.add("Session-Expires", "1800;refresher=uac");
    return m;
  };
  feed(update("z9hG4bKr1", "700 UPDATE"));
  ASSERT_NE(last_event<ReinviteOffer>(), nullptr);
  ASSERT_TRUE(ua_.answer_reinvite(h, "", now_).ok());  // the app's media refused it
  drain();
  EXPECT_EQ(last_sent("488").get("CSeq").value_or(""), "700 UPDATE");
  // The same offer again is new to the session: the app is asked, the core
  // does not answer it with the SDP made for the old one.
  events_.clear();
  sent_.clear();
  feed(update("z9hG4bKr2", "701 UPDATE"));
  EXPECT_NE(last_event<ReinviteOffer>(), nullptr);
  for (const auto& m : sent_) EXPECT_NE(m.status(), 200) << m.to_string();
}

// §15.1.1: once our BYE is out the session is ending; a 481 (or Timer B's
// 408) to a re-INVITE of ours sent before it sends no second BYE.
TEST_F(CallTest, a_481_to_our_reinvite_after_our_bye_sends_no_second_bye_rfc3261_15_1_1) {
  const CallHandle h = connected_outbound();
  ASSERT_TRUE(ua_.hold(h, true, now_).ok());
  drain();
  const auto hold = last_sent("INVITE");
  ASSERT_TRUE(ua_.hangup(h, now_).ok());
  drain();
  const auto bye = last_sent("BYE");
  sent_.clear();
  feed(msg::make_reply(hold, 481, "callee"));
  for (const auto& m : sent_) EXPECT_NE(m.method(), "BYE") << m.to_string();
  feed(msg::make_reply(bye, 200, "callee"));
  ASSERT_NE(last_event<CallEnded>(), nullptr);
  EXPECT_EQ(last_event<CallEnded>()->reason, "local hangup") << "the first BYE's answer ends the call";
}

TEST_F(CallTest, an_update_after_our_bye_is_481_rfc3261_15_1_1) {
  const CallHandle h = connected_outbound();
  const auto invite = msg::make_reply(last_sent("INVITE"), 200, "callee");
  ASSERT_TRUE(ua_.hangup(h, now_).ok());
  drain();
  feed(peer_update(invite, "z9hG4bKt1", "700 UPDATE", kRestartOffer));
  EXPECT_EQ(last_sent("481").get("CSeq").value_or(""), "700 UPDATE");
}

TEST_F(CallTest, app_offer_waiting_after_491_is_superseded_by_the_peers_reinvite_rfc3261_14_1) {
  const CallHandle h = connected_outbound();
  ASSERT_TRUE(ua_.reinvite(h, kRestartOffer, true, now_).ok());
  drain();
  auto ours = last_sent("INVITE");
  feed(msg::make_reply(ours, 491, "callee"));
  EXPECT_EQ(last_event<ReinviteDone>(), nullptr);  // waiting to retry, not done
  // Before our retry is due, the peer's re-INVITE arrives: not glare (ours is
  // not in progress, §14.2), so it is taken, and the offer we kept (whose
  // ICE credentials the browser dropped when it took the peer's) ends as 491.
  feed(peer_reinvite(ours, "z9hG4bKs1", "600 INVITE", kAnswer));
  auto* done = last_event<ReinviteDone>();
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->status, 491);
  auto* offer = last_event<ReinviteOffer>();
  ASSERT_NE(offer, nullptr);
  EXPECT_EQ(offer->request.body(), kAnswer);
  ASSERT_TRUE(ua_.answer_reinvite(h, kOffer, now_).ok());
  drain();
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "600 INVITE");
  // The stale offer is never sent again; the app may make a fresh one now.
  sent_.clear();
  advance(5000);
  for (const auto& m : sent_) EXPECT_NE(m.method(), "INVITE");
  ASSERT_TRUE(ua_.reinvite(h, kRestartOffer, true, now_).ok());
  drain();
  EXPECT_EQ(without_origin(last_sent("INVITE").body()), without_origin(kRestartOffer));
  EXPECT_EQ(origin_line(last_sent("INVITE").body()), "- 4611731400430051336 3 IN IP4 127.0.0.1");
}

TEST_F(CallTest, hold_waiting_after_491_is_rebuilt_from_the_answer_given_meanwhile_rfc3261_14_1) {
  const CallHandle h = connected_outbound();
  ASSERT_TRUE(ua_.hold(h, true, now_).ok());
  drain();
  auto ours = last_sent("INVITE");
  feed(msg::make_reply(ours, 491, "callee"));
  feed(peer_reinvite(ours, "z9hG4bKs2", "600 INVITE", kAnswer));
  EXPECT_EQ(last_event<ReinviteDone>(), nullptr);  // hold still wants to happen
  ASSERT_TRUE(ua_.answer_reinvite(h, kRestartOffer, now_).ok());
  drain();
  sent_.clear();
  advance(4100);  // we own the Call-ID: retried within 2.1–4 s
  const auto retried = last_sent("INVITE");
  EXPECT_NE(retried.body().find("a=ice-ufrag:ours1"), std::string::npos) << retried.body();
  EXPECT_NE(retried.body().find("a=sendonly"), std::string::npos);
}

TEST_F(CallTest, request_for_an_unknown_dialog_gets_481_rfc3261_12_2_2) {
  register_ua();
  msg::Message bye = msg::Message::request("BYE", "sip:101@me.invalid");
  bye.add("Via", "SIP/2.0/WSS 10.0.0.2;branch=z9hG4bKgone");
  bye.add("From", "<sip:102@example.test>;tag=a");
  bye.add("To", "<sip:101@example.test>;tag=b");
  bye.add("Call-ID", "nope");
  bye.add("CSeq", "2 BYE");
  bye.set_body({});
  feed(bye);
  EXPECT_EQ(last_sent("481").get("CSeq").value_or(""), "2 BYE");
}

namespace {
/// The peer's REFER to `refer_to` on the dialog of our `ack` (RFC 3515).
msg::Message peer_refer(const msg::Message& ack, const char* branch, const char* cseq, const char* refer_to) {
  msg::Message refer = msg::Message::request("REFER", "sip:101@me.invalid;transport=ws");
  refer.add("Via", std::string("SIP/2.0/WSS 10.0.0.2;branch=") + branch);
  refer.add("From", std::string(*ack.get("To")));
  refer.add("To", std::string(*ack.get("From")));
  refer.add("Call-ID", std::string(*ack.get("Call-ID")));
  refer.add("CSeq", cseq);
  refer.add("Refer-To", refer_to);
  refer.set_body({});
  return refer;
}
}  // namespace

TEST_F(CallTest, incoming_refer_gets_202_a_notify_and_an_event_rfc3515) {
  const CallHandle h = connected_outbound();
  feed(peer_refer(last_sent("ACK"), "z9hG4bKr1", "600 REFER", "<sip:103@example.test>"));
  EXPECT_EQ(last_sent("202").get("CSeq").value_or(""), "600 REFER");
  auto notify = last_sent("NOTIFY");
  EXPECT_EQ(*notify.get("Event"), "refer");
  auto* e = last_event<ReferReceived>();
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->call, h);
  EXPECT_EQ(e->target, "sip:103@example.test");
}

TEST_F(CallTest, transferee_reports_progress_by_notify_and_a_final_ends_the_subscription_rfc3515_2_4_4) {
  const CallHandle h = connected_outbound();
  feed(peer_refer(last_sent("ACK"), "z9hG4bKr2", "601 REFER", "<sip:103@example.test?Replaces=abc%40x%3Bto-tag%3D1%3Bfrom-tag%3D2>"));
  auto* e = last_event<ReferReceived>();
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->target, "sip:103@example.test");
  EXPECT_EQ(e->replaces, "abc@x;to-tag=1;from-tag=2");
  ASSERT_TRUE(ua_.refer_progress(h, 200, now_).ok());
  drain();
  auto notify = last_sent("NOTIFY");
  EXPECT_EQ(notify.body(), "SIP/2.0 200 OK\r\n");
  EXPECT_EQ(notify.get("Subscription-State")->substr(0, 10), "terminated");
  EXPECT_FALSE(ua_.refer_progress(h, 200, now_).ok());  // the subscription is over
}

// RFC 5057 §5.1: a 481 to our NOTIFY ends the refer subscription only (the
// transferor let it expire while the target rang); the call goes on.
TEST_F(CallTest, a_481_to_our_refer_notify_ends_the_subscription_not_the_call_rfc5057_5_1) {
  const CallHandle h = connected_outbound();
  feed(peer_refer(last_sent("ACK"), "z9hG4bKr3", "602 REFER", "<sip:103@example.test>"));
  ASSERT_NE(last_event<ReferReceived>(), nullptr);
  feed(msg::make_reply(last_sent("NOTIFY"), 481, "callee"));
  EXPECT_EQ(last_event<CallEnded>(), nullptr) << "the INVITE usage is not gone";
  EXPECT_EQ(ua_.live_counts().calls, 1u);
  sent_.clear();
  EXPECT_FALSE(ua_.refer_progress(h, 200, now_).ok()) << "the subscription is over";
  drain();
  for (const auto& m : sent_) EXPECT_NE(m.method(), "BYE") << m.to_string();
}

TEST_F(CallTest, transferor_ends_its_leg_after_a_2xx_notify_unless_the_peer_does_rfc5589_6_1) {
  const CallHandle h = connected_outbound();
  ASSERT_TRUE(ua_.refer(h, "103", now_).ok());
  drain();
  auto refer = last_sent("REFER");
  EXPECT_EQ(*refer.get("Refer-To"), "<sip:103@example.test>");
  feed(msg::make_reply(refer, 202, "callee"));
  ASSERT_NE(last_event<ReferDone>(), nullptr);
  feed(refer_notify(refer, "n1", 700));
  sent_.clear();
  advance(1900);
  for (const auto& m : sent_) EXPECT_NE(m.method(), "BYE");  // give the peer time to BYE us
  advance(200);
  EXPECT_EQ(last_sent("BYE").method(), "BYE");
}

TEST_F(CallTest, a_2xx_notify_overtaking_the_202_still_ends_the_transferors_leg_rfc6665_4_1_2_4) {
  // RFC 6665 §4.1.2.4: a NOTIFY may arrive before the 2xx to the request
  // that created the subscription.
  const CallHandle h = connected_outbound();
  ASSERT_TRUE(ua_.refer(h, "103", now_).ok());
  drain();
  auto refer = last_sent("REFER");
  feed(refer_notify(refer, "n2", 700));
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "700 NOTIFY");
  feed(msg::make_reply(refer, 202, "callee"));
  sent_.clear();
  advance(2100);
  EXPECT_EQ(last_sent("BYE").method(), "BYE");
}

TEST_F(CallTest, a_2xx_notify_after_the_refer_was_refused_ends_nothing_rfc3515_2_4_2) {
  const CallHandle h = connected_outbound();
  ASSERT_TRUE(ua_.refer(h, "103", now_).ok());
  drain();
  auto refer = last_sent("REFER");
  feed(msg::make_reply(refer, 403, "callee"));
  feed(refer_notify(refer, "n3", 701));
  sent_.clear();
  advance(5000);
  for (const auto& m : sent_) EXPECT_NE(m.method(), "BYE");
  EXPECT_NE(ua_.call_id(h), "");
}

TEST_F(CallTest, bye_after_answer_and_its_response_end_the_call) {
  const CallHandle h = connected_outbound();
  ASSERT_TRUE(ua_.hangup(h, now_).ok());
  drain();
  auto bye = last_sent("BYE");
  feed(msg::make_reply(bye, 200, "callee"));
  auto* ended = last_event<CallEnded>();
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ(ended->reason, "local hangup");
}

}  // namespace
}  // namespace wwp::call
