// Non-INVITE client transaction, RFC 3261 §17.1.2 (Figure 6), reliable
// transport (RFC 7118): state × input matrix. Every row quotes the duty.
#include "core/txn/nict.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "tests/unit/txn/txn_test_util.hpp"

namespace wwp::txn {
namespace {

using S = Nict::State;
enum class In { P1xx, S2xx, Non2xx, Timer, TransportError };

struct Row {
  std::string name;
  S from;
  In input;
  S to;
  bool deliver;
  Failure failure;
  int status = 0;  ///< filled in for response inputs
};

std::vector<Row> rows() {
  const std::vector<Row> base = {
      {"trying_1xx_MUST_pass_to_TU_and_enter_proceeding", S::Trying, In::P1xx, S::Proceeding, true, Failure::None},
      {"trying_2xx_MUST_pass_to_TU_and_enter_completed", S::Trying, In::S2xx, S::Completed, true, Failure::None},
      {"trying_final_MUST_pass_to_TU_and_enter_completed", S::Trying, In::Non2xx, S::Completed, true, Failure::None},
      {"trying_timer_F_SHOULD_inform_TU_and_terminate", S::Trying, In::Timer, S::Terminated, false, Failure::Timeout},
      {"trying_transport_error_SHOULD_inform_TU_and_terminate", S::Trying, In::TransportError, S::Terminated, false,
       Failure::TransportError},
      {"proceeding_1xx_MUST_pass_to_TU_and_stay", S::Proceeding, In::P1xx, S::Proceeding, true, Failure::None},
      {"proceeding_2xx_MUST_pass_to_TU_and_enter_completed", S::Proceeding, In::S2xx, S::Completed, true,
       Failure::None},
      {"proceeding_final_MUST_pass_to_TU_and_enter_completed", S::Proceeding, In::Non2xx, S::Completed, true,
       Failure::None},
      {"proceeding_timer_F_SHOULD_inform_TU_and_terminate", S::Proceeding, In::Timer, S::Terminated, false,
       Failure::Timeout},
      {"proceeding_transport_error_SHOULD_inform_TU_and_terminate", S::Proceeding, In::TransportError, S::Terminated,
       false, Failure::TransportError},
      {"completed_1xx_MUST_be_absorbed", S::Completed, In::P1xx, S::Completed, false, Failure::None},
      {"completed_2xx_retransmission_MUST_be_absorbed", S::Completed, In::S2xx, S::Completed, false, Failure::None},
      {"completed_final_retransmission_MUST_be_absorbed", S::Completed, In::Non2xx, S::Completed, false,
       Failure::None},
      {"completed_timer_K_MUST_terminate", S::Completed, In::Timer, S::Terminated, false, Failure::None},
      {"completed_transport_error_terminates_without_informing_TU", S::Completed, In::TransportError, S::Terminated,
       false, Failure::None},
  };
  return test::expand_statuses(base, In::P1xx, In::S2xx, In::Non2xx);
}

class NictMatrix : public ::testing::TestWithParam<Row> {};

TEST_P(NictMatrix, rfc3261_17_1_2_2) {
  const Row& row = GetParam();
  const msg::Message req = test::request("REGISTER");
  Nict nict(req, test::config());
  TimePoint now = test::kStart;
  const Step first = nict.start(now);
  ASSERT_TRUE(first.transmit.has_value());
  EXPECT_EQ(*first.transmit, req);
  if (row.from == S::Proceeding) nict.handle_response(test::response(req, 100), now);
  if (row.from == S::Completed) nict.handle_response(test::response(req, 200), now);
  ASSERT_EQ(nict.state(), row.from);

  Step s;
  switch (row.input) {
    case In::P1xx:
    case In::S2xx:
    case In::Non2xx:
      s = nict.handle_response(test::response(req, row.status), now + 10);
      break;
    case In::Timer:
      now = nict.next_timeout();
      ASSERT_NE(now, kNever);
      s = nict.handle_timeout(now);
      break;
    case In::TransportError:
      s = nict.handle_transport_error();
      break;
  }
  EXPECT_EQ(nict.state(), row.to) << to_string(nict.state());
  EXPECT_EQ(s.deliver, row.deliver);
  EXPECT_EQ(s.failure, row.failure);
  // Reliable transport: a NICT never (re)transmits after start (no Timer E).
  EXPECT_FALSE(s.transmit.has_value());
  if (row.to == S::Terminated) EXPECT_EQ(nict.next_timeout(), kNever);
}

INSTANTIATE_TEST_SUITE_P(Nict, NictMatrix, ::testing::ValuesIn(rows()),
                         [](const ::testing::TestParamInfo<Row>& info) { return info.param.name; });

TEST(Nict, timer_F_MUST_be_64_T1_from_start_and_span_proceeding_rfc3261_17_1_2_2) {
  const msg::Message req = test::request("OPTIONS");
  Nict nict(req, test::config());
  nict.start(test::kStart);
  EXPECT_EQ(nict.next_timeout(), test::kStart + 64 * 500);
  nict.handle_response(test::response(req, 100), test::kStart + 1000);
  EXPECT_EQ(nict.next_timeout(), test::kStart + 64 * 500);  // a 1xx does not restart F
  EXPECT_FALSE(nict.handle_timeout(test::kStart + 64 * 500 - 1).failure != Failure::None);
  EXPECT_EQ(nict.state(), S::Proceeding);
}

TEST(Nict, timer_E_MUST_NOT_be_armed_on_reliable_and_timer_K_is_zero_rfc3261_17_1_2_2) {
  const msg::Message req = test::request("OPTIONS");
  Nict nict(req, test::config());
  nict.start(test::kStart);
  // Nothing fires before F: no retransmission timer E.
  EXPECT_FALSE(nict.handle_timeout(test::kStart + 600).transmit.has_value());
  nict.handle_response(test::response(req, 200), test::kStart + 700);
  EXPECT_EQ(nict.next_timeout(), test::kStart + 700);  // Timer K = 0
}

}  // namespace
}  // namespace wwp::txn
