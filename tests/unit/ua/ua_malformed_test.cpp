// Requests the UA must refuse before any transaction starts (RFC 3261 §8.2,
// §8.1.1.5, §18.3, §20.22, §21.4, §21.5) and malformed frames it answers
// from the parse error's status hint (core/msg/parse_error.hpp,
// core/msg/salvage.hpp, core/ua/request_checks.hpp). Each case is fed as
// bytes to a registered UA; the duty is: exactly one response with the right
// status, echoing the request's Call-ID and CSeq with a To tag, a Dropped
// event saying why, no server transaction, no call, no 100 Trying.
#include <gtest/gtest.h>

#include <string>

#include "core/sdp/sdp_body.hpp"
#include "unit/ua/ua_harness.hpp"

namespace wwp::call {
namespace {

const std::string kInvite =
    "INVITE sip:101@me.invalid;transport=ws SIP/2.0\r\n"
    "Via: SIP/2.0/WSS proxy.test;branch=z9hG4bKbad1\r\n"
    "Max-Forwards: 70\r\n"
    "From: <sip:102@example.test>;tag=caller\r\n"
    "To: <sip:101@example.test>\r\n"
    "Call-ID: bad-1\r\n"
    "CSeq: 10 INVITE\r\n"
    "Contact: <sip:102@10.0.0.2;transport=ws>\r\n"
    "Subject: hello\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";

std::string edit(std::string s, std::string_view from, std::string_view to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

class UaMalformed : public UaHarness {
 protected:
  UaMalformed() : UaHarness(ua::ua_test_config(18)) {}

  void SetUp() override { register_ua(); }

  void receive(const std::string& bytes) {
    sent_.clear();
    all_events_.clear();
    events_.clear();
    ua_.handle_input(ua::Received{bytes, now_});
    drain();
  }
  int dropped() const {
    int n = 0;
    for (const auto& e : all_events_) n += std::holds_alternative<ua::Dropped>(e);
    return n;
  }
  std::string dropped_reason() const {
    for (const auto& e : all_events_)
      if (auto* d = std::get_if<ua::Dropped>(&e)) return d->reason;
    return {};
  }
  /// The one duty every refusal shares.
  void expect_refused_with(int status) {
    ASSERT_EQ(sent_.size(), 1u) << dropped_reason();
    const msg::Message& r = sent_[0];
    EXPECT_EQ(r.status(), status) << dropped_reason();
    EXPECT_EQ(*r.get("Call-ID"), "bad-1");
    EXPECT_EQ(*r.get("CSeq"), "10 INVITE");
    EXPECT_EQ(*r.get("Via"), "SIP/2.0/WSS proxy.test;branch=z9hG4bKbad1");
    EXPECT_TRUE(msg::tag_of(*r.get("To")));  // §8.2.6.2
    EXPECT_EQ(dropped(), 1);
    EXPECT_TRUE(events_.empty()) << "a call heard of it";
    EXPECT_EQ(ua_.live_counts().transactions, 0u);
    EXPECT_EQ(ua_.live_counts().calls, 0u);
  }
  void expect_silently_dropped() {
    EXPECT_TRUE(sent_.empty()) << sent_[0].to_string();
    EXPECT_EQ(dropped(), 1);
    EXPECT_TRUE(events_.empty());
    EXPECT_EQ(ua_.live_counts().transactions, 0u);
  }
};

TEST_F(UaMalformed, the_well_formed_invite_rings) {
  receive(kInvite);
  ASSERT_FALSE(sent_.empty());
  EXPECT_EQ(sent_[0].status(), 100);
  EXPECT_NE(last_event<IncomingCall>(), nullptr);
}

// --- §8.2 semantic MUSTs on a request that parsed -----------------------------

struct Semantic {
  const char* name;
  std::string_view from, to;
  int status;
};

class UaSemantic : public UaMalformed, public ::testing::WithParamInterface<Semantic> {};

TEST_P(UaSemantic, refused_statelessly_before_any_transaction_rfc3261_8_2) {
  receive(edit(kInvite, GetParam().from, GetParam().to));
  expect_refused_with(GetParam().status);
}

// For the CSeq cases the reply echoes the request's CSeq; the fixture's
// expectation of "10 INVITE" is met by changing the method on the start line.
INSTANTIATE_TEST_SUITE_P(
    Rfc3261, UaSemantic,
    ::testing::Values(
        // §8.1.1.5 "The method MUST match that of the request."
        Semantic{"cseq_method_differs_8_1_1_5", "INVITE sip:101", "OPTIONS sip:101", 400},
        Semantic{"cseq_method_case_differs_7_1", "INVITE sip:101", "invite sip:101", 400},
        // §20.22 Max-Forwards = 1*DIGIT in 0-255.
        Semantic{"max_forwards_256_20_22", "Max-Forwards: 70", "Max-Forwards: 256", 400},
        Semantic{"max_forwards_negative_20_22", "Max-Forwards: 70", "Max-Forwards: -1", 400},
        Semantic{"max_forwards_not_digits_20_22", "Max-Forwards: 70", "Max-Forwards: seventy", 400},
        Semantic{"max_forwards_huge_20_22", "Max-Forwards: 70", "Max-Forwards: 99999999999", 400},
        // §8.2.2.1 unsupported Request-URI scheme → 416.
        Semantic{"unknown_uri_scheme_8_2_2_1", "INVITE sip:101@me.invalid;transport=ws", "INVITE mailto:101@me.invalid",
                 416}),
    [](const auto& i) { return std::string(i.param.name); });

// --- §8.2.2.3 Require: an extension we do not implement is refused -----------

TEST_F(UaMalformed, an_invite_requiring_100rel_is_420_with_unsupported_rfc3261_8_2_2_3) {
  // RFC 3262: a caller that requires reliable provisionals; we do not do them,
  // so ringing unreliably would break its contract. It may retry without
  // (§8.1.3.5).
  receive(edit(kInvite, "Subject: hello", "Require: 100rel"));
  expect_refused_with(420);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].reason(), "Bad Extension");
  EXPECT_EQ(sent_[0].get("Unsupported").value_or("(none)"), "100rel");
  EXPECT_EQ(last_event<IncomingCall>(), nullptr);
}

TEST_F(UaMalformed, every_unknown_tag_is_listed_and_only_those_rfc4475_bext01) {
  // RFC 4475 §3.3.5 (bext01): two unknown tags in one Require; here also a
  // second Require line with a tag we do support, in another case.
  receive(edit(kInvite, "Subject: hello",
               "Require: nothingSupportsThis, nothingSupportsThisEither\r\nRequire: Timer"));
  expect_refused_with(420);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].get("Unsupported").value_or("(none)"), "nothingSupportsThis, nothingSupportsThisEither");
  EXPECT_NE(dropped_reason().find("Bad Extension"), std::string::npos) << dropped_reason();
}

TEST_F(UaMalformed, a_require_of_what_we_support_rings_rfc3261_8_2_2_3) {
  // replaces (RFC 3891) and timer (RFC 4028) are ours, in any case.
  receive(edit(kInvite, "Subject: hello", "Require: replaces\r\nk: timer\r\nRequire: TIMER"));
  ASSERT_FALSE(sent_.empty());
  EXPECT_EQ(sent_[0].status(), 100) << dropped_reason();
  EXPECT_EQ(dropped(), 0);
  EXPECT_NE(last_event<IncomingCall>(), nullptr);
}

TEST_F(UaMalformed, ack_and_cancel_ignore_require_rfc3261_8_2_2_3) {
  // "Require and Proxy-Require MUST NOT be used in a SIP CANCEL request, or in
  // an ACK request sent for a non-2xx response. These header fields MUST be
  // ignored if they are present in these requests."
  const std::string require = edit(kInvite, "Subject: hello", "Require: 100rel");
  receive(edit(edit(require, "INVITE sip:101", "CANCEL sip:101"), "CSeq: 10 INVITE", "CSeq: 10 CANCEL"));
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].status(), 481);  // no INVITE to cancel: §9.2, not a 420
  receive(edit(edit(require, "INVITE sip:101", "ACK sip:101"), "CSeq: 10 INVITE", "CSeq: 10 ACK"));
  EXPECT_TRUE(sent_.empty()) << sent_[0].to_string();
  EXPECT_EQ(dropped(), 0) << dropped_reason();  // an ACK without a dialog is simply not ours
}

TEST_F(UaMalformed, max_forwards_with_leading_zeros_is_a_hop_count_rfc3261_20_22) {
  // 1*DIGIT: "0070" is 70 hops, and "00000" is 0 (it was refused as not in 0-255).
  int n = 0;
  for (const char* value : {"Max-Forwards: 0070", "Max-Forwards: 000000000070", "Max-Forwards: 00000"}) {
    // A call of its own each time (another Call-ID and branch), not a retransmission.
    const std::string id = std::to_string(++n);
    sent_.clear();
    receive(edit(edit(edit(kInvite, "Max-Forwards: 70", value), "Call-ID: bad-1", "Call-ID: zeros-" + id),
                 "branch=z9hG4bKbad1", "branch=z9hG4bKzeros" + id));
    ASSERT_FALSE(sent_.empty()) << value;
    EXPECT_EQ(sent_[0].status(), 100) << value << ": " << dropped_reason();
    EXPECT_NE(last_event<IncomingCall>(), nullptr) << value;
  }
}

TEST_F(UaMalformed, an_unknown_method_is_501_before_its_require_rfc3261_8_2_1) {
  // Method inspection comes first: the method is what we do not implement.
  receive(edit(edit(edit(kInvite, "Subject: hello", "Require: 100rel"), "INVITE sip:101", "PUBLISH sip:101"),
               "CSeq: 10 INVITE", "CSeq: 10 PUBLISH"));
  ASSERT_FALSE(sent_.empty());
  EXPECT_EQ(sent_.back().status(), 501);
  EXPECT_FALSE(sent_.back().has("Unsupported"));
}

TEST_F(UaMalformed, options_answers_what_we_allow_and_support_rfc3261_11_2) {
  receive(edit(edit(kInvite, "INVITE sip:101", "OPTIONS sip:101"), "CSeq: 10 INVITE", "CSeq: 10 OPTIONS"));
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].status(), 200);
  EXPECT_EQ(sent_[0].get("Supported").value_or("(none)"), "replaces, timer");
  EXPECT_NE(sent_[0].get("Allow").value_or("").find("REFER"), std::string_view::npos);
}

// --- §8.2.3 bodies: the SDP is found in a multipart one, or the INVITE is 415 --

TEST_F(UaMalformed, an_invite_whose_body_has_no_sdp_is_415_with_accept_rfc3261_8_2_3) {
  receive(edit(kInvite, "Content-Type: application/sdp", "Content-Type: text/plain"));
  ASSERT_EQ(sent_.size(), 1u) << dropped_reason();
  EXPECT_EQ(sent_[0].status(), 415);
  EXPECT_EQ(sent_[0].get("Accept").value_or("(none)"), "application/sdp, multipart/mixed");
  EXPECT_TRUE(events_.empty()) << "a call rang that could not be answered";
  EXPECT_EQ(ua_.live_counts().calls, 0u);
  EXPECT_EQ(dropped(), 1);
}

TEST_F(UaMalformed, a_multipart_invite_rings_with_its_sdp_part_rfc3204_rfc5621) {
  const std::string sdp = "v=0\r\n";
  const std::string body = "--b1\r\nContent-Type: application/sdp\r\n\r\n" + sdp +
                           "\r\n--b1\r\nContent-Type: application/ISUP;version=itu-t92+\r\n"
                           "Content-Disposition: signal;handling=optional\r\n\r\nISUP\r\n--b1--\r\n";
  std::string in = edit(kInvite, "Content-Type: application/sdp", "Content-Type: multipart/mixed;boundary=b1");
  in = edit(in, "Content-Length: 4\r\n\r\nv=0\n", "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  receive(in);
  ASSERT_FALSE(sent_.empty());
  EXPECT_EQ(sent_[0].status(), 100) << dropped_reason();
  const auto* call = last_event<IncomingCall>();
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(sdp::sdp_body(call->invite), sdp);  // what the wasm ABI hands the shim as `sdp`
  // Marked required, the ISUP part is one we cannot accept (RFC 5621 §3.2).
  receive(edit(edit(edit(in, "handling=optional", "handling=required"), "Call-ID: bad-1", "Call-ID: bad-2"),
               "branch=z9hG4bKbad1", "branch=z9hG4bKbad2"));
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].status(), 415);
}

// --- §8.2.2.2 merged requests: one request by two paths rings once ------------

TEST_F(UaMalformed, the_same_invite_by_a_second_path_is_482_and_rings_once_rfc3261_8_2_2_2) {
  receive(kInvite);
  ASSERT_FALSE(sent_.empty());
  EXPECT_EQ(sent_[0].status(), 100);
  ASSERT_NE(last_event<IncomingCall>(), nullptr);
  // A forking proxy's second copy: same From tag, Call-ID and CSeq, another
  // top Via (so another transaction, §17.2.3).
  const std::string copy = edit(kInvite, "Via: SIP/2.0/WSS proxy.test;branch=z9hG4bKbad1",
                                "Via: SIP/2.0/WSS proxy2.test;branch=z9hG4bKpath2");
  receive(copy);
  ASSERT_EQ(sent_.size(), 1u) << dropped_reason();
  EXPECT_EQ(sent_[0].status(), 482);
  EXPECT_EQ(sent_[0].reason(), "Loop Detected");
  EXPECT_EQ(*sent_[0].get("Via"), "SIP/2.0/WSS proxy2.test;branch=z9hG4bKpath2");
  EXPECT_TRUE(msg::tag_of(*sent_[0].get("To")));
  EXPECT_TRUE(events_.empty()) << "a second call rang";
  EXPECT_EQ(ua_.live_counts().calls, 1u);
  EXPECT_NE(dropped_reason().find("482"), std::string::npos) << dropped_reason();
  // Its ACK ends at its own transaction; the first copy's retransmission is
  // still the first call's (no 482 for it).
  receive(edit(edit(copy, "INVITE sip:101", "ACK sip:101"), "CSeq: 10 INVITE", "CSeq: 10 ACK"));
  EXPECT_TRUE(sent_.empty()) << sent_[0].to_string();
  receive(kInvite);
  for (const auto& m : sent_) EXPECT_NE(m.status(), 482);
  EXPECT_TRUE(events_.empty());
  EXPECT_EQ(ua_.live_counts().calls, 1u);
}

TEST_F(UaMalformed, a_new_cseq_or_another_from_tag_is_no_copy_rfc3261_8_2_2_2) {
  receive(kInvite);
  ASSERT_NE(last_event<IncomingCall>(), nullptr);
  int n = 0;
  for (const auto& [from, to] : {std::pair<std::string_view, std::string_view>{"CSeq: 10 INVITE", "CSeq: 11 INVITE"},
                                 {"tag=caller", "tag=caller2"}}) {
    SCOPED_TRACE(std::string(to));
    receive(edit(edit(kInvite, "branch=z9hG4bKbad1", "branch=z9hG4bKother" + std::to_string(++n)), from, to));
    ASSERT_FALSE(sent_.empty());
    EXPECT_EQ(sent_[0].status(), 100) << dropped_reason();
    EXPECT_EQ(dropped(), 0);
  }
}

TEST_F(UaMalformed, max_forwards_0_and_255_and_absent_are_accepted_rfc3261_20_22) {
  int n = 0;
  for (std::string_view mf : {"Max-Forwards: 0\r\n", "Max-Forwards: 255\r\n", ""}) {
    SCOPED_TRACE(std::string(mf));
    std::string in = edit(kInvite, "Max-Forwards: 70\r\n", mf);
    in = edit(in, "Call-ID: bad-1", "Call-ID: ok-" + std::to_string(++n));
    receive(in);
    ASSERT_FALSE(sent_.empty());
    EXPECT_LT(sent_[0].status(), 200);  // the call went ahead
    EXPECT_EQ(dropped(), 0);
  }
}

TEST_F(UaMalformed, an_ack_that_fails_the_checks_is_dropped_never_answered_rfc3261_17_1_1_3) {
  std::string ack = edit(kInvite, "INVITE sip:101", "ACK sip:101");  // CSeq says INVITE
  receive(ack);
  expect_silently_dropped();
  receive(edit(edit(ack, "CSeq: 10 INVITE", "CSeq: 10 ACK"), "Max-Forwards: 70", "Max-Forwards: 300"));
  expect_silently_dropped();
}

// A Via no transaction can be keyed on still has the WebSocket back: the
// request is answered 400 (it got nothing, and the sender retransmitted it
// for 32 s); an ACK so broken is still never answered.
TEST_F(UaMalformed, a_request_whose_via_keys_no_transaction_is_400_rfc3261_8_2) {
  for (const std::string via : {"SIP/2.0/WSS proxy.test:70000;branch=z9hG4bKbad1", "SIP/2.0/WSS proxy.test;branch=",
                                "garbage"}) {
    SCOPED_TRACE(via);
    receive(edit(kInvite, "SIP/2.0/WSS proxy.test;branch=z9hG4bKbad1", via));
    ASSERT_EQ(sent_.size(), 1u) << dropped_reason();
    EXPECT_EQ(sent_[0].status(), 400);
    EXPECT_EQ(*sent_[0].get("Via"), via);
    EXPECT_EQ(*sent_[0].get("Call-ID"), "bad-1");
    EXPECT_TRUE(msg::tag_of(*sent_[0].get("To")));
    EXPECT_EQ(dropped_reason(), "request without a usable Via branch or CSeq");
    EXPECT_TRUE(events_.empty());
    EXPECT_EQ(ua_.live_counts().calls, 0u);
    receive(edit(edit(edit(kInvite, "SIP/2.0/WSS proxy.test;branch=z9hG4bKbad1", via), "INVITE sip:101", "ACK sip:101"),
                 "CSeq: 10 INVITE", "CSeq: 10 ACK"));
    expect_silently_dropped();
  }
}

// --- malformed frames answered from status_hint (§21.4, §21.5, §18.3) ----------

struct Malformed {
  const char* name;
  std::string_view from, to;
  int status;
};

class UaParseHint : public UaMalformed, public ::testing::WithParamInterface<Malformed> {};

TEST_P(UaParseHint, answered_with_the_parse_error_s_status_hint) {
  receive(edit(kInvite, GetParam().from, GetParam().to));
  expect_refused_with(GetParam().status);
  EXPECT_NE(dropped_reason().find("malformed SIP message: "), std::string::npos);
  EXPECT_NE(dropped_reason().find("answered " + std::to_string(GetParam().status)), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc3261, UaParseHint,
    ::testing::Values(
        // §21.5.6 505 Version Not Supported.
        Malformed{"sip_version_3_0_is_505_21_5_6", "SIP/2.0\r\nVia", "SIP/3.0\r\nVia", 505},
        // §18.3: the frame ends before the body Content-Length announced.
        Malformed{"content_length_past_the_frame_is_400_18_3", "Content-Length: 4", "Content-Length: 40", 400},
        // §20.14 two Content-Lengths that disagree (RFC 4475 mcl01).
        Malformed{"conflicting_content_lengths_is_400_20_14", "Content-Length: 4", "Content-Length: 4\r\nl: 5", 400},
        Malformed{"negative_content_length_is_400_20_14", "Content-Length: 4", "Content-Length: -4", 400},
        // §25.1: a NUL or a bare CR in a header value.
        Malformed{"nul_in_a_header_value_is_400_25_1", "Subject: hello", std::string_view("Subject: hel\0lo", 15),
                  400},
        Malformed{"bare_cr_in_a_header_value_is_400_25_1", "Subject: hello",
                  "Subject: hel\rVia: SIP/2.0/WSS evil;branch=z9hG4bKevil", 400},
        Malformed{"header_without_colon_is_400_7_3", "Subject: hello", "Subject hello", 400}),
    [](const auto& i) { return std::string(i.param.name); });

TEST_F(UaMalformed, a_line_past_the_limit_is_513_rfc3261_21_5_14) {
  const std::size_t lim = msg::ParseLimits{}.max_line_length;
  receive(edit(kInvite, "Subject: hello", "Subject: " + std::string(lim, 'x')));
  expect_refused_with(513);
  // At the limit it is an ordinary call.
  receive(edit(edit(kInvite, "Subject: hello", "Subject: " + std::string(lim - 9, 'x')), "bad-1", "long-ok"));
  ASSERT_FALSE(sent_.empty());
  EXPECT_EQ(sent_[0].status(), 100);
}

TEST_F(UaMalformed, a_frame_past_the_message_limit_is_513_rfc3261_21_5_14) {
  const std::size_t lim = msg::ParseLimits{}.max_message_size;
  std::string big = edit(kInvite, "Content-Length: 4\r\n\r\nv=0\n", "Content-Length: " + std::to_string(lim) + "\r\n\r\n");
  big += std::string(lim, 'v');
  receive(big);
  expect_refused_with(513);
}

TEST_F(UaMalformed, nothing_is_echoed_that_the_parser_refused) {
  // The Call-ID itself holds the NUL: no reply can be built without echoing it.
  receive(edit(kInvite, "Call-ID: bad-1", std::string_view("Call-ID: bad\0-1", 15)));
  expect_silently_dropped();
  EXPECT_NE(dropped_reason().find("bad-char at byte"), std::string::npos);
}

TEST_F(UaMalformed, malformed_frames_without_reply_headers_are_dropped_silently_rfc3261_8_2) {
  for (const std::string& frame : {
           std::string("INVITE sip:a SIP/3.0\r\n\r\n"),                      // no Via to answer to
           edit(kInvite, "Via: SIP/2.0/WSS proxy.test;branch=z9hG4bKbad1\r\n", "") + std::string(1, '\0'),
           edit(edit(kInvite, "INVITE sip:101@me.invalid;transport=ws SIP/2.0", "SIP/2.0 200 OK"), "Subject: hello",
                std::string_view("Subject: \0", 10)),  // a response
           edit(edit(edit(kInvite, "INVITE sip:101", "ACK sip:101"), "10 INVITE", "10 ACK"), "Subject: hello",
                std::string_view("Subject: \0", 10)),  // an ACK
       }) {
    SCOPED_TRACE(frame.substr(0, 30));
    receive(frame);
    expect_silently_dropped();
  }
}

}  // namespace
}  // namespace wwp::call
