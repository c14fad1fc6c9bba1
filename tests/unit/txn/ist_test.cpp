// INVITE server transaction, RFC 3261 §17.2.1 (Figure 7) with RFC 6026
// §7.1/§8.7 (Accepted, Timer L), reliable transport (RFC 7118): state × input
// matrix, 100 Trying timing and retransmission absorption.
#include "core/txn/ist.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "core/msg/header_fields.hpp"
#include "tests/unit/txn/txn_test_util.hpp"

namespace wwp::txn {
namespace {

using S = Ist::State;
enum class In { InviteRetransmission, Ack, Tu1xx, Tu2xx, TuNon2xx, Timer, TransportError };
enum class Tx { None, TuResponse, LastFinal, Trying100 };

struct Row {
  std::string name;
  S from;
  In input;
  S to;
  Tx tx;
  bool deliver;
  bool refused;  ///< respond() returns InvalidState
  Failure failure;
  int status = 0;
};

std::vector<Row> rows() {
  const Failure N = Failure::None;
  const std::vector<Row> base = {
      {"proceeding_invite_retransmission_before_any_1xx_is_absorbed", S::Proceeding, In::InviteRetransmission,
       S::Proceeding, Tx::None, false, false, N},
      {"proceeding_ack_is_absorbed", S::Proceeding, In::Ack, S::Proceeding, Tx::None, false, false, N},
      {"proceeding_tu_1xx_MUST_be_sent", S::Proceeding, In::Tu1xx, S::Proceeding, Tx::TuResponse, false, false, N},
      {"proceeding_tu_2xx_MUST_be_sent_and_enter_accepted", S::Proceeding, In::Tu2xx, S::Accepted, Tx::TuResponse,
       false, false, N},
      {"proceeding_tu_final_MUST_be_sent_and_enter_completed", S::Proceeding, In::TuNon2xx, S::Completed,
       Tx::TuResponse, false, false, N},
      {"proceeding_silent_TU_for_200ms_MUST_get_100_trying", S::Proceeding, In::Timer, S::Proceeding, Tx::Trying100,
       false, false, N},
      {"proceeding_transport_error_MUST_inform_TU", S::Proceeding, In::TransportError, S::Terminated, Tx::None, false,
       false, Failure::TransportError},
      {"completed_invite_retransmission_SHOULD_resend_final", S::Completed, In::InviteRetransmission, S::Completed,
       Tx::LastFinal, false, false, N},
      {"completed_ack_MUST_enter_confirmed_and_not_reach_TU", S::Completed, In::Ack, S::Confirmed, Tx::None, false,
       false, N},
      {"completed_tu_1xx_is_refused", S::Completed, In::Tu1xx, S::Completed, Tx::None, false, true, N},
      {"completed_tu_2xx_is_refused", S::Completed, In::Tu2xx, S::Completed, Tx::None, false, true, N},
      {"completed_tu_final_is_refused", S::Completed, In::TuNon2xx, S::Completed, Tx::None, false, true, N},
      {"completed_timer_H_MUST_inform_TU_and_terminate", S::Completed, In::Timer, S::Terminated, Tx::None, false,
       false, Failure::Timeout},
      {"completed_transport_error_terminates", S::Completed, In::TransportError, S::Terminated, Tx::None, false,
       false, N},
      {"confirmed_invite_retransmission_is_absorbed", S::Confirmed, In::InviteRetransmission, S::Confirmed, Tx::None,
       false, false, N},
      {"confirmed_ack_MUST_be_absorbed", S::Confirmed, In::Ack, S::Confirmed, Tx::None, false, false, N},
      {"confirmed_tu_1xx_is_refused", S::Confirmed, In::Tu1xx, S::Confirmed, Tx::None, false, true, N},
      {"confirmed_tu_2xx_is_refused", S::Confirmed, In::Tu2xx, S::Confirmed, Tx::None, false, true, N},
      {"confirmed_tu_final_is_refused", S::Confirmed, In::TuNon2xx, S::Confirmed, Tx::None, false, true, N},
      {"confirmed_timer_I_MUST_terminate", S::Confirmed, In::Timer, S::Terminated, Tx::None, false, false, N},
      {"confirmed_transport_error_terminates", S::Confirmed, In::TransportError, S::Terminated, Tx::None, false,
       false, N},
      {"accepted_invite_retransmission_MUST_be_absorbed", S::Accepted, In::InviteRetransmission, S::Accepted,
       Tx::None, false, false, N},
      {"accepted_ack_MUST_pass_to_TU", S::Accepted, In::Ack, S::Accepted, Tx::None, true, false, N},
      {"accepted_tu_1xx_is_refused", S::Accepted, In::Tu1xx, S::Accepted, Tx::None, false, true, N},
      {"accepted_tu_2xx_MUST_be_sent", S::Accepted, In::Tu2xx, S::Accepted, Tx::TuResponse, false, false, N},
      {"accepted_tu_final_is_refused", S::Accepted, In::TuNon2xx, S::Accepted, Tx::None, false, true, N},
      {"accepted_timer_L_MUST_terminate", S::Accepted, In::Timer, S::Terminated, Tx::None, false, false, N},
      {"accepted_transport_error_terminates", S::Accepted, In::TransportError, S::Terminated, Tx::None, false, false,
       N},
  };
  return test::expand_statuses(base, In::Tu1xx, In::Tu2xx, In::TuNon2xx);
}

class IstMatrix : public ::testing::TestWithParam<Row> {};

TEST_P(IstMatrix, rfc3261_17_2_1) {
  const Row& row = GetParam();
  const msg::Message invite = test::request("INVITE");
  const msg::Message ack = test::request("ACK");
  Ist ist(invite, test::config());
  TimePoint now = test::kStart;
  EXPECT_FALSE(ist.start(now).transmit.has_value());  // 100 Trying waits 200 ms
  const msg::Message final_486 = test::response(invite, 486);
  if (row.from == S::Completed || row.from == S::Confirmed) ASSERT_TRUE(ist.respond(final_486, now).ok());
  if (row.from == S::Confirmed) ist.handle_request(ack, now);
  if (row.from == S::Accepted) ASSERT_TRUE(ist.respond(test::response(invite, 200), now).ok());
  ASSERT_EQ(ist.state(), row.from);

  const msg::Message tu_response = test::response(invite, row.status);
  Step s;
  switch (row.input) {
    case In::InviteRetransmission: s = ist.handle_request(invite, now + 10); break;
    case In::Ack: s = ist.handle_request(ack, now + 10); break;
    case In::Tu1xx:
    case In::Tu2xx:
    case In::TuNon2xx: {
      auto r = ist.respond(tu_response, now + 10);
      ASSERT_EQ(!r.ok(), row.refused);
      if (r.ok()) s = r.value();
      else EXPECT_EQ(r.error().code, UaErrorCode::InvalidState);
      break;
    }
    case In::Timer:
      now = ist.next_timeout();
      ASSERT_NE(now, kNever);
      s = ist.handle_timeout(now);
      break;
    case In::TransportError: s = ist.handle_transport_error(); break;
  }
  EXPECT_EQ(ist.state(), row.to) << to_string(ist.state());
  EXPECT_EQ(s.deliver, row.deliver);
  EXPECT_EQ(s.failure, row.failure);
  switch (row.tx) {
    case Tx::None: EXPECT_FALSE(s.transmit.has_value()); break;
    case Tx::TuResponse: ASSERT_TRUE(s.transmit); EXPECT_EQ(*s.transmit, tu_response); break;
    case Tx::LastFinal: ASSERT_TRUE(s.transmit); EXPECT_EQ(*s.transmit, final_486); break;
    case Tx::Trying100:
      ASSERT_TRUE(s.transmit);
      EXPECT_EQ(s.transmit->status(), 100);
      EXPECT_FALSE(msg::tag_of(*s.transmit->get("To")));  // §8.2.6.1: no To tag on 100
      break;
  }
  if (row.to == S::Terminated) EXPECT_EQ(ist.next_timeout(), kNever);
}

INSTANTIATE_TEST_SUITE_P(Ist, IstMatrix, ::testing::ValuesIn(rows()),
                         [](const ::testing::TestParamInfo<Row>& info) { return info.param.name; });

TEST(Ist, trying_MUST_be_sent_200ms_after_the_invite_unless_TU_responded_rfc3261_17_2_1) {
  const msg::Message invite = test::request("INVITE");
  Ist ist(invite, test::config());
  ist.start(test::kStart);
  EXPECT_EQ(ist.next_timeout(), test::kStart + 200);
  // A TU that answers within 200 ms saves the 100.
  Ist quick(invite, test::config());
  quick.start(test::kStart);
  ASSERT_TRUE(quick.respond(test::response(invite, 180), test::kStart + 50).ok());
  EXPECT_EQ(quick.next_timeout(), kNever);
}

TEST(Ist, trying_delay_0_MUST_send_100_at_once) {
  TxnConfig c = test::config();
  c.trying_delay = 0;
  Ist ist(test::request("INVITE"), c);
  const Step s = ist.start(test::kStart);
  ASSERT_TRUE(s.transmit);
  EXPECT_EQ(s.transmit->status(), 100);
}

TEST(Ist, proceeding_retransmission_MUST_resend_most_recent_provisional_rfc3261_17_2_1) {
  const msg::Message invite = test::request("INVITE");
  Ist ist(invite, test::config());
  ist.start(test::kStart);
  ASSERT_TRUE(ist.respond(test::response(invite, 180), test::kStart).ok());
  const msg::Message p183 = test::response(invite, 183);
  ASSERT_TRUE(ist.respond(p183, test::kStart).ok());
  const Step s = ist.handle_request(invite, test::kStart + 1);
  ASSERT_TRUE(s.transmit);
  EXPECT_EQ(*s.transmit, p183);
}

TEST(Ist, timer_H_MUST_be_64_T1_timer_I_zero_timer_L_64_T1_on_reliable) {
  const msg::Message invite = test::request("INVITE");
  Ist a(invite, test::config());
  a.start(test::kStart);
  ASSERT_TRUE(a.respond(test::response(invite, 480), test::kStart).ok());
  EXPECT_EQ(a.next_timeout(), test::kStart + 32000);  // H (no G on reliable)
  a.handle_request(test::request("ACK"), test::kStart + 7);
  EXPECT_EQ(a.next_timeout(), test::kStart + 7);  // I = 0
  Ist b(invite, test::config());
  b.start(test::kStart);
  ASSERT_TRUE(b.respond(test::response(invite, 200), test::kStart).ok());
  EXPECT_EQ(b.next_timeout(), test::kStart + 32000);  // L
}

TEST(Ist, respond_with_a_request_is_invalid_argument) {
  Ist ist(test::request("INVITE"), test::config());
  ist.start(test::kStart);
  auto r = ist.respond(test::request("INVITE"), test::kStart);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, UaErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace wwp::txn
