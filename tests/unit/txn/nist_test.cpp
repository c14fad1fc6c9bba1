// Non-INVITE server transaction, RFC 3261 §17.2.2 (Figure 8), reliable
// transport (RFC 7118): state × input matrix.
#include "core/txn/nist.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "tests/unit/txn/txn_test_util.hpp"

namespace wwp::txn {
namespace {

using S = Nist::State;
enum class In { Retransmission, Tu1xx, Tu2xx, TuNon2xx, Timer, TransportError };
enum class Tx { None, TuResponse, LastProvisional, LastFinal };

struct Row {
  std::string name;
  S from;
  In input;
  S to;
  Tx tx;
  bool refused;
  Failure failure;
  int status = 0;
};

std::vector<Row> rows() {
  const Failure N = Failure::None;
  const std::vector<Row> base = {
      {"trying_retransmission_MUST_be_discarded", S::Trying, In::Retransmission, S::Trying, Tx::None, false, N},
      {"trying_tu_1xx_MUST_be_sent_and_enter_proceeding", S::Trying, In::Tu1xx, S::Proceeding, Tx::TuResponse, false,
       N},
      {"trying_tu_2xx_MUST_be_sent_and_enter_completed", S::Trying, In::Tu2xx, S::Completed, Tx::TuResponse, false,
       N},
      {"trying_tu_final_MUST_be_sent_and_enter_completed", S::Trying, In::TuNon2xx, S::Completed, Tx::TuResponse,
       false, N},
      {"trying_has_no_timer", S::Trying, In::Timer, S::Trying, Tx::None, false, N},
      {"trying_transport_error_MUST_inform_TU", S::Trying, In::TransportError, S::Terminated, Tx::None, false,
       Failure::TransportError},
      {"proceeding_retransmission_MUST_resend_last_provisional", S::Proceeding, In::Retransmission, S::Proceeding,
       Tx::LastProvisional, false, N},
      {"proceeding_tu_1xx_MUST_be_sent", S::Proceeding, In::Tu1xx, S::Proceeding, Tx::TuResponse, false, N},
      {"proceeding_tu_2xx_MUST_be_sent_and_enter_completed", S::Proceeding, In::Tu2xx, S::Completed, Tx::TuResponse,
       false, N},
      {"proceeding_tu_final_MUST_be_sent_and_enter_completed", S::Proceeding, In::TuNon2xx, S::Completed,
       Tx::TuResponse, false, N},
      {"proceeding_has_no_timer", S::Proceeding, In::Timer, S::Proceeding, Tx::None, false, N},
      {"proceeding_transport_error_MUST_inform_TU", S::Proceeding, In::TransportError, S::Terminated, Tx::None, false,
       Failure::TransportError},
      {"completed_retransmission_MUST_resend_final", S::Completed, In::Retransmission, S::Completed, Tx::LastFinal,
       false, N},
      {"completed_tu_1xx_MUST_be_discarded", S::Completed, In::Tu1xx, S::Completed, Tx::None, true, N},
      {"completed_tu_2xx_MUST_be_discarded", S::Completed, In::Tu2xx, S::Completed, Tx::None, true, N},
      {"completed_tu_final_MUST_be_discarded", S::Completed, In::TuNon2xx, S::Completed, Tx::None, true, N},
      {"completed_timer_J_MUST_terminate", S::Completed, In::Timer, S::Terminated, Tx::None, false, N},
      {"completed_transport_error_terminates", S::Completed, In::TransportError, S::Terminated, Tx::None, false, N},
  };
  return test::expand_statuses(base, In::Tu1xx, In::Tu2xx, In::TuNon2xx);
}

class NistMatrix : public ::testing::TestWithParam<Row> {};

TEST_P(NistMatrix, rfc3261_17_2_2) {
  const Row& row = GetParam();
  const msg::Message req = test::request("MESSAGE");
  Nist nist(req, test::config());
  TimePoint now = test::kStart;
  EXPECT_FALSE(nist.start(now).transmit.has_value());
  const msg::Message p183 = test::response(req, 183);
  const msg::Message f404 = test::response(req, 404);
  if (row.from == S::Proceeding) ASSERT_TRUE(nist.respond(p183, now).ok());
  if (row.from == S::Completed) ASSERT_TRUE(nist.respond(f404, now).ok());
  ASSERT_EQ(nist.state(), row.from);

  const msg::Message tu_response = test::response(req, row.status);
  Step s;
  switch (row.input) {
    case In::Retransmission: s = nist.handle_request(req, now + 10); break;
    case In::Tu1xx:
    case In::Tu2xx:
    case In::TuNon2xx: {
      auto r = nist.respond(tu_response, now + 10);
      ASSERT_EQ(!r.ok(), row.refused);
      if (r.ok()) s = r.value();
      else EXPECT_EQ(r.error().code, UaErrorCode::InvalidState);
      break;
    }
    case In::Timer:
      if (row.from == row.to) {
        EXPECT_EQ(nist.next_timeout(), kNever);
        s = nist.handle_timeout(now + 1'000'000);
      } else {
        now = nist.next_timeout();
        EXPECT_EQ(now, test::kStart);  // Timer J = 0 on reliable
        s = nist.handle_timeout(now);
      }
      break;
    case In::TransportError: s = nist.handle_transport_error(); break;
  }
  EXPECT_EQ(nist.state(), row.to) << to_string(nist.state());
  EXPECT_FALSE(s.deliver);
  EXPECT_EQ(s.failure, row.failure);
  switch (row.tx) {
    case Tx::None: EXPECT_FALSE(s.transmit.has_value()); break;
    case Tx::TuResponse: ASSERT_TRUE(s.transmit); EXPECT_EQ(*s.transmit, tu_response); break;
    case Tx::LastProvisional: ASSERT_TRUE(s.transmit); EXPECT_EQ(*s.transmit, p183); break;
    case Tx::LastFinal: ASSERT_TRUE(s.transmit); EXPECT_EQ(*s.transmit, f404); break;
  }
}

INSTANTIATE_TEST_SUITE_P(Nist, NistMatrix, ::testing::ValuesIn(rows()),
                         [](const ::testing::TestParamInfo<Row>& info) { return info.param.name; });

}  // namespace
}  // namespace wwp::txn
