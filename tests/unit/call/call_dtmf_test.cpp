// DTMF by SIP INFO through the UA (core/call/call_dtmf.cpp): received INFOs
// become DtmfReceived (or a 400 and Dropped), and send_dtmf_info sends one
// INFO per digit, the next after the one before is answered (RFC 6086 §4.2.1).
#include "unit/ua/ua_harness.hpp"

namespace wwp::call {
namespace {

class CallDtmfTest : public UaHarness {
 protected:
  CallDtmfTest() : UaHarness(ua::ua_test_config(3)) {}

  /// An in-dialog INFO from the callee of connected_outbound().
  msg::Message peer_info(const std::string& content_type, const std::string& body, int cseq) {
    auto ack = last_sent("ACK");
    msg::Message info = msg::Message::request("INFO", "sip:101@me.invalid;transport=ws");
    info.add("Via", "SIP/2.0/WSS 10.0.0.2;branch=z9hG4bKinfo" + std::to_string(cseq));
    info.add("From", std::string(*ack.get("To")));
    info.add("To", std::string(*ack.get("From")));
    info.add("Call-ID", std::string(*ack.get("Call-ID")));
    info.add("CSeq", std::to_string(cseq) + " INFO");
    info.set_body(body, content_type);
    return info;
  }
  std::vector<msg::Message> sent_infos() {
    std::vector<msg::Message> out;
    for (const auto& m : sent_)
      if (m.is_request() && m.method() == "INFO") out.push_back(m);
    return out;
  }
  std::vector<std::string> dropped() {
    std::vector<std::string> out;
    for (const auto& e : all_events_)
      if (auto* d = std::get_if<ua::Dropped>(&e)) out.push_back(d->reason);
    return out;
  }
};

TEST_F(CallDtmfTest, dtmf_relay_info_gets_200_and_a_digit_event) {
  const CallHandle h = connected_outbound();
  feed(peer_info("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n", 700));
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "700 INFO");
  auto* e = last_event<DtmfReceived>();
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->call, h);
  EXPECT_EQ(e->digit, '5');
  EXPECT_EQ(e->duration_ms, 160u);
  feed(peer_info("application/dtmf", "#", 701));
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "701 INFO");
  EXPECT_EQ(last_event<DtmfReceived>()->digit, '#');
  EXPECT_TRUE(dropped().empty());
}

TEST_F(CallDtmfTest, malformed_dtmf_info_gets_400_and_a_dropped_reason_and_the_call_goes_on) {
  connected_outbound();
  feed(peer_info("application/dtmf-relay", "Signal=Z\r\nDuration=100\r\n", 700));
  EXPECT_EQ(last_sent("400").get("CSeq").value_or(""), "700 INFO");
  EXPECT_EQ(last_event<DtmfReceived>(), nullptr);
  ASSERT_EQ(dropped().size(), 1u);
  EXPECT_EQ(dropped()[0], "DTMF INFO refused (400): dtmf-relay Signal is not a DTMF digit");
  EXPECT_EQ(last_event<CallEnded>(), nullptr);
  feed(peer_info("application/dtmf-relay", "Signal=1\r\n", 701));  // the next one is fine
  EXPECT_EQ(last_event<DtmfReceived>()->digit, '1');
}

TEST_F(CallDtmfTest, other_info_keeps_its_200_and_no_dtmf_event) {
  connected_outbound();
  feed(peer_info("application/json;charset=utf-8", "{\"response\":{}}", 700));
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "700 INFO");
  EXPECT_EQ(last_event<DtmfReceived>(), nullptr);
  feed(peer_info("text/plain", "Signal=1", 701));
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "701 INFO");
  EXPECT_EQ(last_event<DtmfReceived>(), nullptr);
}

TEST_F(CallDtmfTest, digits_go_one_info_at_a_time_and_complete_on_the_last_2xx_rfc6086_4_2_1) {
  const CallHandle h = connected_outbound();
  sent_.clear();
  auto id = ua_.send_dtmf_info(h, "1b#", 120, now_);
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto second = ua_.send_dtmf_info(h, "9", 100, now_);  // queued behind the first command
  ASSERT_TRUE(second.ok());
  drain();
  auto infos = sent_infos();
  ASSERT_EQ(infos.size(), 1u);  // one outstanding INFO per dialog
  EXPECT_EQ(infos[0].get("Content-Type").value_or(""), "application/dtmf-relay");
  EXPECT_EQ(infos[0].body(), "Signal=1\r\nDuration=120\r\n");
  feed(msg::make_reply(infos[0], 200));
  infos = sent_infos();
  ASSERT_EQ(infos.size(), 2u);
  EXPECT_EQ(infos[1].body(), "Signal=B\r\nDuration=120\r\n");
  EXPECT_GT(msg::parse_cseq(*infos[1].get("CSeq"))->seq, msg::parse_cseq(*infos[0].get("CSeq"))->seq);
  EXPECT_EQ(last_event<RequestDone>(), nullptr);
  feed(msg::make_reply(infos[1], 200));
  feed(msg::make_reply(sent_infos()[2], 200));
  auto* done = last_event<RequestDone>();
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->request, *id);
  EXPECT_EQ(done->status, 200);
  infos = sent_infos();
  ASSERT_EQ(infos.size(), 4u);
  EXPECT_EQ(infos[2].body(), "Signal=#\r\nDuration=120\r\n");
  EXPECT_EQ(infos[3].body(), "Signal=9\r\nDuration=100\r\n");
  feed(msg::make_reply(infos[3], 200));
  EXPECT_EQ(last_event<RequestDone>()->request, *second);
}

TEST_F(CallDtmfTest, a_refused_info_fails_its_command_and_the_next_command_still_goes) {
  const CallHandle h = connected_outbound();
  sent_.clear();
  auto id = ua_.send_dtmf_info(h, "12", 100, now_);
  auto next = ua_.send_dtmf_info(h, "3", 100, now_);
  drain();
  feed(msg::make_reply(sent_infos()[0], 415));
  auto* done = last_event<RequestDone>();
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->request, *id);
  EXPECT_EQ(done->status, 415);
  auto infos = sent_infos();
  ASSERT_EQ(infos.size(), 2u);  // "2" is not sent
  EXPECT_EQ(infos[1].body(), "Signal=3\r\nDuration=100\r\n");
  feed(msg::make_reply(infos[1], 200));
  EXPECT_EQ(last_event<RequestDone>()->request, *next);
}

TEST_F(CallDtmfTest, a_481_fails_the_command_and_ends_the_call_rfc5057) {
  const CallHandle h = connected_outbound();
  sent_.clear();
  auto id = ua_.send_dtmf_info(h, "12", 100, now_);
  drain();
  feed(msg::make_reply(sent_infos()[0], 481));
  auto* done = last_event<RequestDone>();
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->request, *id);
  EXPECT_EQ(done->status, 481);
  ASSERT_NE(last_event<CallEnded>(), nullptr);
  EXPECT_EQ(sent_infos().size(), 1u);
}

TEST_F(CallDtmfTest, bad_digits_durations_and_states_are_refused_before_sending) {
  const CallHandle h = connected_outbound();
  sent_.clear();
  for (const char* bad : {"", "1,2", "E", "!", "12\r\n"})
    EXPECT_EQ(ua_.send_dtmf_info(h, bad, 100, now_).error().code, UaErrorCode::InvalidArgument) << bad;
  EXPECT_EQ(ua_.send_dtmf_info(h, std::string(65, '1'), 100, now_).error().code, UaErrorCode::InvalidArgument);
  EXPECT_EQ(ua_.send_dtmf_info(h, "1", 0, now_).error().code, UaErrorCode::InvalidArgument);
  EXPECT_EQ(ua_.send_dtmf_info(h, "1", 60001, now_).error().code, UaErrorCode::InvalidArgument);
  EXPECT_EQ(ua_.send_dtmf_info(h + 99, "1", 100, now_).error().code, UaErrorCode::NotFound);
  drain();
  EXPECT_TRUE(sent_infos().empty());
  ASSERT_TRUE(ua_.hangup(h, now_).ok());
  EXPECT_EQ(ua_.send_dtmf_info(h, "1", 100, now_).error().code, UaErrorCode::InvalidState);
}

}  // namespace
}  // namespace wwp::call
