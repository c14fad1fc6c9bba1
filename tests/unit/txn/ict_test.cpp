// INVITE client transaction, RFC 3261 §17.1.1 (Figure 5) with the RFC 6026
// §8.4 Accepted state, reliable transport (RFC 7118): state × input matrix
// and the §17.1.1.3 ACK construction.
#include "core/txn/ict.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "core/msg/header_fields.hpp"
#include "tests/unit/txn/txn_test_util.hpp"

namespace wwp::txn {
namespace {

using S = Ict::State;
enum class In { P1xx, S2xx, Non2xx, Timer, TransportError };

struct Row {
  std::string name;
  S from;
  In input;
  S to;
  bool deliver;
  bool sends_ack;
  Failure failure;
  int status = 0;
};

std::vector<Row> rows() {
  const Failure N = Failure::None;
  const std::vector<Row> base = {
      {"calling_1xx_MUST_pass_to_TU_and_enter_proceeding", S::Calling, In::P1xx, S::Proceeding, true, false, N},
      {"calling_2xx_MUST_pass_to_TU_and_enter_accepted", S::Calling, In::S2xx, S::Accepted, true, false, N},
      {"calling_final_MUST_pass_to_TU_and_generate_ACK", S::Calling, In::Non2xx, S::Completed, true, true, N},
      {"calling_timer_B_SHOULD_inform_TU_and_MUST_NOT_generate_ACK", S::Calling, In::Timer, S::Terminated, false,
       false, Failure::Timeout},
      {"calling_transport_error_SHOULD_inform_TU_and_terminate", S::Calling, In::TransportError, S::Terminated, false,
       false, Failure::TransportError},
      {"proceeding_1xx_MUST_pass_to_TU_and_stay", S::Proceeding, In::P1xx, S::Proceeding, true, false, N},
      {"proceeding_2xx_MUST_pass_to_TU_and_enter_accepted", S::Proceeding, In::S2xx, S::Accepted, true, false, N},
      {"proceeding_final_MUST_pass_to_TU_and_generate_ACK", S::Proceeding, In::Non2xx, S::Completed, true, true, N},
      {"proceeding_MUST_NOT_time_out_timer_B_is_calling_only", S::Proceeding, In::Timer, S::Proceeding, false, false,
       N},
      {"proceeding_transport_error_SHOULD_inform_TU_and_terminate", S::Proceeding, In::TransportError, S::Terminated,
       false, false, Failure::TransportError},
      {"completed_1xx_MUST_NOT_pass_to_TU", S::Completed, In::P1xx, S::Completed, false, false, N},
      {"completed_2xx_MUST_NOT_pass_to_TU", S::Completed, In::S2xx, S::Completed, false, false, N},
      {"completed_MUST_ack_retransmitted_final_and_not_pass_to_TU", S::Completed, In::Non2xx, S::Completed, false,
       true, N},
      {"completed_timer_D_MUST_terminate", S::Completed, In::Timer, S::Terminated, false, false, N},
      {"completed_transport_error_terminates_without_informing_TU", S::Completed, In::TransportError, S::Terminated,
       false, false, N},
      {"accepted_1xx_MUST_be_absorbed", S::Accepted, In::P1xx, S::Accepted, false, false, N},
      {"accepted_2xx_MUST_pass_to_TU", S::Accepted, In::S2xx, S::Accepted, true, false, N},
      {"accepted_final_MUST_be_absorbed", S::Accepted, In::Non2xx, S::Accepted, false, false, N},
      {"accepted_timer_M_MUST_terminate", S::Accepted, In::Timer, S::Terminated, false, false, N},
      {"accepted_transport_error_terminates_without_informing_TU", S::Accepted, In::TransportError, S::Terminated,
       false, false, N},
  };
  return test::expand_statuses(base, In::P1xx, In::S2xx, In::Non2xx);
}

class IctMatrix : public ::testing::TestWithParam<Row> {};

TEST_P(IctMatrix, rfc3261_17_1_1_2) {
  const Row& row = GetParam();
  const msg::Message invite = test::request("INVITE");
  Ict ict(invite, test::config());
  TimePoint now = test::kStart;
  const Step first = ict.start(now);
  ASSERT_TRUE(first.transmit.has_value());
  EXPECT_EQ(*first.transmit, invite);
  if (row.from == S::Proceeding) ict.handle_response(test::response(invite, 100), now);
  if (row.from == S::Completed) ict.handle_response(test::response(invite, row.status >= 300 ? row.status : 486), now);
  if (row.from == S::Accepted) ict.handle_response(test::response(invite, 200), now);
  ASSERT_EQ(ict.state(), row.from);

  const msg::Message resp = test::response(invite, row.status);
  Step s;
  switch (row.input) {
    case In::P1xx:
    case In::S2xx:
    case In::Non2xx:
      s = ict.handle_response(resp, now + 10);
      break;
    case In::Timer:
      if (row.to == row.from) {
        EXPECT_EQ(ict.next_timeout(), kNever);
        s = ict.handle_timeout(now + 10 * 64 * 500);
      } else {
        now = ict.next_timeout();
        ASSERT_NE(now, kNever);
        s = ict.handle_timeout(now);
      }
      break;
    case In::TransportError:
      s = ict.handle_transport_error();
      break;
  }
  EXPECT_EQ(ict.state(), row.to) << to_string(ict.state());
  EXPECT_EQ(s.deliver, row.deliver);
  EXPECT_EQ(s.failure, row.failure);
  ASSERT_EQ(s.transmit.has_value(), row.sends_ack);
  if (row.sends_ack) EXPECT_EQ(*s.transmit, make_non2xx_ack(invite, resp));
  if (row.to == S::Terminated) EXPECT_EQ(ict.next_timeout(), kNever);
}

INSTANTIATE_TEST_SUITE_P(Ict, IctMatrix, ::testing::ValuesIn(rows()),
                         [](const ::testing::TestParamInfo<Row>& info) { return info.param.name; });

TEST(Ict, ack_for_non2xx_MUST_copy_request_fields_and_response_to_rfc3261_17_1_1_3) {
  msg::Message invite = test::request("INVITE", "z9hG4bKack1", 7);
  invite.add_first("Via", "SIP/2.0/WSS top.invalid;branch=z9hG4bKack1");  // two Vias: keep the top only
  invite.add("Route", "<sip:second.example.test;lr>");
  invite.set_body("v=0\r\n", "application/sdp");
  const msg::Message resp = test::response(invite, 486, "busytag");
  const msg::Message ack = make_non2xx_ack(invite, resp);
  EXPECT_EQ(ack.start_line(), "ACK sip:bob@example.test SIP/2.0");
  ASSERT_EQ(ack.get_all("Via").size(), 1u);
  EXPECT_EQ(*ack.get("Via"), "SIP/2.0/WSS top.invalid;branch=z9hG4bKack1");
  EXPECT_EQ(*ack.get("From"), *invite.get("From"));
  EXPECT_EQ(*ack.get("Call-ID"), *invite.get("Call-ID"));
  EXPECT_EQ(*ack.get("To"), "<sip:bob@example.test>;tag=busytag");
  EXPECT_EQ(*ack.get("CSeq"), "7 ACK");
  const auto routes = ack.get_all("Route");
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[1], "<sip:second.example.test;lr>");
  EXPECT_EQ(*ack.get("Max-Forwards"), "70");
  EXPECT_TRUE(ack.body().empty());
}

TEST(Ict, timer_B_MUST_be_64_T1_and_timer_D_zero_on_reliable_rfc3261_17_1_1_2) {
  const msg::Message invite = test::request("INVITE");
  Ict ict(invite, test::config());
  ict.start(test::kStart);
  EXPECT_EQ(ict.next_timeout(), test::kStart + 32000);
  ict.handle_response(test::response(invite, 404), test::kStart + 5);
  EXPECT_EQ(ict.next_timeout(), test::kStart + 5);  // Timer D = 0
}

TEST(Ict, accepted_timer_M_MUST_be_64_T1_rfc6026_8_4) {
  const msg::Message invite = test::request("INVITE");
  Ict ict(invite, test::config());
  ict.start(test::kStart);
  ict.handle_response(test::response(invite, 200), test::kStart + 5);
  EXPECT_EQ(ict.next_timeout(), test::kStart + 5 + 32000);
}

}  // namespace
}  // namespace wwp::txn
