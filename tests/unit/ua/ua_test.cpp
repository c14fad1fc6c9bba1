// The UA driver surface (house style §3): bytes and time in, transmits,
// events and one deadline out. Bad input yields Dropped or an automatic
// error response, never a crash.
#include "core/ua/ua.hpp"

#include <gtest/gtest.h>

#include "core/msg/parser.hpp"
#include "unit/ua/ua_test_config.hpp"

namespace wwp::ua {
namespace {

Config config() { return ua_test_config(1); }

struct Drained {
  std::vector<std::string> transmits;
  std::vector<Event> events;
  Timeout timeout{kNever, ""};
};

Drained drain(Ua& ua) {
  Drained d;
  for (;;) {
    auto o = ua.poll_output();
    if (auto* t = std::get_if<Transmit>(&o)) d.transmits.push_back(t->bytes);
    else if (auto* e = std::get_if<Event>(&o)) d.events.push_back(*e);
    else { d.timeout = std::get<Timeout>(o); return d; }
  }
}

template <class T>
int count(const Drained& d) {
  int n = 0;
  for (const auto& e : d.events) n += std::holds_alternative<T>(e);
  return n;
}

const std::string kOptions =
    "OPTIONS sip:101@abc.invalid;transport=wss SIP/2.0\r\n"
    "Via: SIP/2.0/WSS 127.0.0.1:25443;branch=z9hG4bKopt1;rport\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKupstream\r\n"
    "Max-Forwards: 69\r\n"
    "From: <sip:monitor@example.test>;tag=m1\r\n"
    "To: <sip:101@example.test>\r\n"
    "Call-ID: opt-1\r\n"
    "CSeq: 7 OPTIONS\r\n"
    "Content-Length: 0\r\n\r\n";

TEST(Ua, idle_ua_has_no_deadline_and_no_output) {
  Ua ua(config());
  auto d = drain(ua);
  EXPECT_TRUE(d.transmits.empty());
  EXPECT_EQ(d.timeout.at, kNever);
}

TEST(Ua, start_register_transmits_and_arms_the_no_answer_deadline) {
  Ua ua(config());
  ASSERT_TRUE(ua.start_register(100).ok());
  auto d = drain(ua);
  ASSERT_EQ(d.transmits.size(), 1u);
  EXPECT_EQ(d.transmits[0].rfind("REGISTER sip:example.test SIP/2.0\r\n", 0), 0u);
  EXPECT_EQ(count<MessageTraced>(d), 1);
  EXPECT_EQ(d.timeout.at, 100 + 5000);
}

TEST(Ua, options_gets_200_echoing_the_whole_via_stack_rfc3261_8_2_6_2) {
  Ua ua(config());
  ua.handle_input(Received{kOptions, 0});
  auto d = drain(ua);
  ASSERT_EQ(d.transmits.size(), 1u);
  auto r = msg::parse(d.transmits[0]);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status(), 200);
  EXPECT_EQ(r->get_all("Via").size(), 2u);
  EXPECT_TRUE(r->has("Allow"));
  EXPECT_NE(r->get("To")->find(";tag="), std::string_view::npos);
}

TEST(Ua, a_reliable_transport_s_zero_timers_end_transactions_within_the_same_input_rfc3261_17_2_2) {
  // Timer J is zero on WebSocket: the OPTIONS server transaction ends as its
  // 200 goes out, with no Tick for the driver to schedule.
  Ua ua(config());
  ua.handle_input(Received{kOptions, 1000});
  auto d = drain(ua);
  ASSERT_EQ(d.transmits.size(), 1u);
  EXPECT_EQ(ua.live_counts().transactions, 0u);
  EXPECT_EQ(d.timeout.at, kNever);
  // A retransmission now starts a new transaction and is answered again.
  ua.handle_input(Received{kOptions, 1001});
  EXPECT_EQ(drain(ua).transmits.size(), 1u);
  EXPECT_EQ(ua.live_counts().transactions, 0u);
}

TEST(Ua, garbage_is_dropped_with_a_reason) {
  Ua ua(config());
  for (const char* junk : {"GARBAGE\r\n\r\n", "\x01\x02\x03", "SIP/2.0 999999 X\r\n\r\n",
                           "INVITE sip:a SIP/3.0\r\n\r\n"}) {
    ua.handle_input(Received{junk, 0});
    auto d = drain(ua);
    EXPECT_TRUE(d.transmits.empty()) << junk;
    ASSERT_EQ(count<Dropped>(d), 1) << junk;
  }
}

TEST(Ua, keepalive_crlf_frames_are_ignored_rfc5626_3_5_1) {
  Ua ua(config());
  ua.handle_input(Received{"\r\n\r\n", 0});
  auto d = drain(ua);
  EXPECT_TRUE(d.events.empty());
}

TEST(Ua, request_missing_call_id_gets_400) {
  std::string bad = kOptions;
  bad.erase(bad.find("Call-ID: opt-1\r\n"), 16);
  Ua ua(config());
  ua.handle_input(Received{bad, 0});
  auto d = drain(ua);
  ASSERT_EQ(d.transmits.size(), 1u);
  EXPECT_EQ(d.transmits[0].rfind("SIP/2.0 400 ", 0), 0u);
  EXPECT_EQ(count<Dropped>(d), 1);
}

TEST(Ua, unknown_method_gets_501_and_unknown_dialog_gets_481_rfc3261_12_2_2) {
  Ua ua(config());
  std::string sub = kOptions;
  sub.replace(0, 7, "SUBSCRIBE");
  sub.replace(sub.find("7 OPTIONS"), 9, "7 SUBSCRIBE");
  ua.handle_input(Received{sub, 0});
  auto d = drain(ua);
  ASSERT_EQ(d.transmits.size(), 1u);
  EXPECT_EQ(d.transmits[0].rfind("SIP/2.0 501 ", 0), 0u);

  std::string bye = kOptions;
  bye.replace(0, 7, "BYE");
  bye.replace(bye.find("7 OPTIONS"), 9, "7 BYE");
  bye.replace(bye.find("To: <sip:101@example.test>"), 26, "To: <sip:101@example.test>;tag=gone");
  ua.handle_input(Received{bye, 0});
  d = drain(ua);
  ASSERT_EQ(d.transmits.size(), 1u);
  EXPECT_EQ(d.transmits[0].rfind("SIP/2.0 481 ", 0), 0u);
}

// RFC 3515 allows REFER outside a dialog; refused as policy, not 501 (our
// Allow lists REFER, and 501 says the method is unknown, §21.5.2).
TEST(Ua, an_out_of_dialog_refer_is_403_not_501_rfc3261_21_4_4) {
  Ua ua(config());
  std::string refer = kOptions;
  refer.replace(0, 7, "REFER");
  refer.replace(refer.find("7 OPTIONS"), 9, "7 REFER");
  refer.insert(refer.find("\r\n\r\n") + 2, "Refer-To: <sip:103@example.test>\r\n");
  ua.handle_input(Received{refer, 0});
  auto d = drain(ua);
  ASSERT_EQ(d.transmits.size(), 1u);
  EXPECT_EQ(d.transmits[0].rfind("SIP/2.0 403 Forbidden - REFER outside a call is not accepted\r\n", 0), 0u) << d.transmits[0];
}

TEST(Ua, stray_response_is_dropped) {
  Ua ua(config());
  ua.handle_input(Received{
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/WSS x.invalid;branch=z9hG4bKnope\r\nFrom: <sip:a@b>;tag=1\r\n"
      "To: <sip:a@b>;tag=2\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n",
      0});
  auto d = drain(ua);
  EXPECT_TRUE(d.transmits.empty());
  EXPECT_EQ(count<Dropped>(d), 1);
}

TEST(Ua, ack_is_never_answered_rfc3261_17_2_1) {
  std::string ack = kOptions;
  ack.replace(0, 7, "ACK");
  ack.replace(ack.find("7 OPTIONS"), 9, "7 ACK");
  Ua ua(config());
  ua.handle_input(Received{ack, 0});
  EXPECT_TRUE(drain(ua).transmits.empty());
}

}  // namespace
}  // namespace wwp::ua
