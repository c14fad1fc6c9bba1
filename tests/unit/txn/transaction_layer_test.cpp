// TransactionLayer (RFC 3261 §17.1.3, §17.2.3, §9.2): matching, synthetic
// 408/503, retransmission absorption, ACK handling, CANCEL, 100 Trying.
#include "core/txn/transaction_layer.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "core/msg/header_fields.hpp"
#include "tests/unit/txn/txn_test_util.hpp"

namespace wwp::txn {
namespace {

using test::kStart;

class LayerTest : public ::testing::Test {
 protected:
  TransactionLayer layer_{test::config()};

  std::vector<msg::Message> transmits() {
    std::vector<msg::Message> out;
    while (auto m = layer_.poll_transmit()) out.push_back(std::move(*m));
    return out;
  }
  std::vector<TxnEvent> events() {
    std::vector<TxnEvent> out;
    while (auto e = layer_.poll_event()) out.push_back(std::move(*e));
    return out;
  }
  TxnId start(const msg::Message& req) {
    auto id = layer_.start_client(req, kStart);
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : TxnId{};
  }
  void tick_until(TimePoint t) {
    while (layer_.next_timeout() <= t) layer_.handle_timeout(layer_.next_timeout());
  }
};

TEST_F(LayerTest, start_client_MUST_queue_the_request_and_deliver_matched_responses) {
  const auto req = test::request("REGISTER");
  const TxnId id = start(req);
  auto tx = transmits();
  ASSERT_EQ(tx.size(), 1u);
  EXPECT_EQ(tx[0], req);
  EXPECT_EQ(layer_.handle_response(test::response(req, 200), kStart + 5), ResponseDisposition::Delivered);
  auto ev = events();
  ASSERT_EQ(ev.size(), 1u);
  const auto& cr = std::get<ClientResponse>(ev[0]);
  EXPECT_EQ(cr.id, id);
  EXPECT_EQ(cr.response.status(), 200);
  EXPECT_EQ(cr.source, ResponseSource::Wire);
  // Completed absorbs a duplicate until Timer K (= 0) is run.
  EXPECT_EQ(layer_.handle_response(test::response(req, 200), kStart + 5), ResponseDisposition::Absorbed);
  EXPECT_TRUE(events().empty());
  EXPECT_EQ(layer_.next_timeout(), kStart + 5);
  layer_.handle_timeout(kStart + 5);
  EXPECT_EQ(layer_.size(), 0u);
  EXPECT_STREQ(layer_.state_name(id), "Terminated");
}

TEST_F(LayerTest, response_matching_MUST_use_branch_and_cseq_method_rfc3261_17_1_3) {
  const auto invite = test::request("INVITE", "z9hG4bKsame");
  const auto cancel = test::request("CANCEL", "z9hG4bKsame");  // §9.1: same branch
  const TxnId inv = start(invite);
  const TxnId can = start(cancel);
  ASSERT_NE(inv, can);
  transmits();
  layer_.handle_response(test::response(cancel, 200), kStart + 1);
  layer_.handle_response(test::response(invite, 487), kStart + 2);
  auto ev = events();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(std::get<ClientResponse>(ev[0]).id, can);
  EXPECT_EQ(std::get<ClientResponse>(ev[1]).id, inv);
  auto tx = transmits();
  ASSERT_EQ(tx.size(), 1u);  // the ICT's own ACK for the 487 (§17.1.1.3)
  EXPECT_EQ(tx[0].method(), "ACK");
  EXPECT_EQ(*tx[0].get("CSeq"), "1 ACK");
  // Another branch matches nothing: a stray response for the core (§18.1.2).
  const auto other = test::request("INVITE", "z9hG4bKother");
  EXPECT_EQ(layer_.handle_response(test::response(other, 200), kStart + 3), ResponseDisposition::Unmatched);
  EXPECT_TRUE(events().empty());  // the caller holds it: nothing is copied into an event
}

TEST_F(LayerTest, timer_F_MUST_yield_a_synthetic_408_to_the_TU) {
  const auto req = test::request("REGISTER");
  const TxnId id = start(req);
  tick_until(kStart + 32000 - 1);
  EXPECT_TRUE(events().empty());
  tick_until(kStart + 32000);
  auto ev = events();
  ASSERT_EQ(ev.size(), 1u);
  const auto& cr = std::get<ClientResponse>(ev[0]);
  EXPECT_EQ(cr.id, id);
  EXPECT_EQ(cr.response.start_line(), "SIP/2.0 408 Request Timeout");
  EXPECT_EQ(cr.source, ResponseSource::TimerF);
  EXPECT_EQ(cr.detail, "Timer F fired: no final response in 32000 ms");
  EXPECT_EQ(*cr.response.get("CSeq"), *req.get("CSeq"));
  EXPECT_EQ(layer_.size(), 0u);
  EXPECT_EQ(layer_.next_timeout(), kNever);
}

TEST_F(LayerTest, timers_of_many_transactions_MUST_fire_earliest_first_and_only_when_due) {
  // Three NICTs started 1 s apart (Timer F at start + 32 s each); the middle
  // one completes early. next_timeout() is always the earliest live deadline
  // and handle_timeout() fires exactly the due ones, in deadline order.
  std::vector<msg::Message> reqs;
  std::vector<TxnId> ids;
  for (int i = 0; i < 3; ++i) {
    reqs.push_back(test::request("OPTIONS", "z9hG4bKmany" + std::to_string(i)));
    auto id = layer_.start_client(reqs.back(), kStart + 1000 * i);
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
  }
  (void)transmits();
  EXPECT_EQ(layer_.next_timeout(), kStart + 32000);
  EXPECT_EQ(layer_.handle_response(test::response(reqs[1], 200), kStart + 1500), ResponseDisposition::Delivered);
  (void)events();
  EXPECT_EQ(layer_.next_timeout(), kStart + 1500);  // Timer K = 0 for the completed one
  layer_.handle_timeout(kStart + 1500);
  EXPECT_EQ(layer_.size(), 2u);
  EXPECT_FALSE(layer_.contains(ids[1]));
  EXPECT_TRUE(events().empty());
  EXPECT_EQ(layer_.next_timeout(), kStart + 32000);
  layer_.handle_timeout(kStart + 33000);  // the first is due, the third (kStart + 34000) is not
  auto ev = events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(std::get<ClientResponse>(ev[0]).id, ids[0]);
  EXPECT_EQ(layer_.next_timeout(), kStart + 34000);
  layer_.abandon_client(ids[2]);
  EXPECT_EQ(layer_.next_timeout(), kNever);
  EXPECT_EQ(layer_.size(), 0u);
}

TEST_F(LayerTest, timer_B_MUST_yield_a_synthetic_408_without_ACK) {
  const TxnId id = start(test::request("INVITE"));
  transmits();
  tick_until(kStart + 32000);
  auto ev = events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(std::get<ClientResponse>(ev[0]).id, id);
  EXPECT_EQ(std::get<ClientResponse>(ev[0]).source, ResponseSource::TimerB);
  EXPECT_TRUE(transmits().empty());
}

TEST_F(LayerTest, an_abandoned_ict_MUST_be_destroyed_silently_and_a_late_final_MUST_be_stray_rfc3261_9_1) {
  const auto req = test::request("INVITE");
  const TxnId id = start(req);
  transmits();
  EXPECT_EQ(layer_.handle_response(test::response(req, 180), kStart + 5), ResponseDisposition::Delivered);
  events();
  layer_.abandon_client(id);
  layer_.abandon_client(id);  // twice, or an unknown id: ignored
  EXPECT_EQ(layer_.size(), 0u);
  EXPECT_EQ(layer_.next_timeout(), kNever);
  EXPECT_TRUE(events().empty());
  EXPECT_TRUE(transmits().empty());
  EXPECT_EQ(layer_.handle_response(test::response(req, 200), kStart + 40000), ResponseDisposition::Unmatched);
  EXPECT_TRUE(events().empty());
}

TEST_F(LayerTest, transport_closed_MUST_complete_clients_with_503_and_destroy_servers) {
  const TxnId reg = start(test::request("REGISTER", "z9hG4bKr1"));
  const TxnId inv = start(test::request("INVITE", "z9hG4bKi1"));
  const auto done = test::request("OPTIONS", "z9hG4bKo1");
  const TxnId opt = start(done);
  layer_.handle_response(test::response(done, 200), kStart);  // has its final already
  ASSERT_EQ(layer_.handle_request(test::request("INVITE", "z9hG4bKsrv", 1, "proxy.example.test"), kStart),
            RequestDisposition::NewTransaction);
  events();
  layer_.handle_transport_closed(kStart + 1);
  auto ev = events();
  std::vector<TxnId> failed_clients;
  int server_failures = 0;
  for (const auto& e : ev) {
    if (const auto* cr = std::get_if<ClientResponse>(&e)) {
      EXPECT_EQ(cr->response.status(), 503);
      EXPECT_EQ(cr->source, ResponseSource::TransportClosed);
      EXPECT_EQ(cr->detail, "transport closed before a final response");
      failed_clients.push_back(cr->id);
    } else if (const auto* sf = std::get_if<ServerFailed>(&e)) {
      EXPECT_EQ(sf->cause, ServerFailure::TransportClosed);
      ++server_failures;
    }
  }
  EXPECT_EQ(failed_clients, (std::vector<TxnId>{reg, inv}));
  (void)opt;
  EXPECT_EQ(server_failures, 1);
  EXPECT_EQ(layer_.size(), 0u);
  EXPECT_EQ(layer_.next_timeout(), kNever);
}

TEST_F(LayerTest, a_request_started_while_the_transport_is_closed_fails_at_once_with_503_until_it_opens) {
  layer_.handle_transport_closed(kStart);
  events();
  // Nothing can carry it: not queued, answered now (not by Timer B/F 32 s later).
  auto r = layer_.start_client(test::request("INVITE", "z9hG4bKdown1"), kStart + 1);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(transmits().empty());
  auto ev = events();
  ASSERT_EQ(ev.size(), 1u);
  const auto& cr = std::get<ClientResponse>(ev[0]);
  EXPECT_EQ(cr.id, r.value());
  EXPECT_EQ(cr.response.status(), 503);
  EXPECT_EQ(cr.source, ResponseSource::TransportClosed);
  EXPECT_EQ(layer_.size(), 0u);
  EXPECT_EQ(layer_.next_timeout(), kNever);
  // Open again: requests go out as usual.
  layer_.handle_transport_open();
  const TxnId up = start(test::request("OPTIONS", "z9hG4bKup1"));
  EXPECT_TRUE(layer_.contains(up));
  EXPECT_TRUE(events().empty());
}

TEST_F(LayerTest, new_request_MUST_create_server_txn_and_retransmission_MUST_be_absorbed_rfc3261_17_2_3) {
  const auto msg_req = test::request("MESSAGE", "z9hG4bKm1", 3, "proxy.example.test");
  EXPECT_EQ(layer_.handle_request(msg_req, kStart), RequestDisposition::NewTransaction);
  auto ev = events();
  ASSERT_EQ(ev.size(), 1u);
  const auto sr = std::get<ServerRequest>(ev[0]);
  EXPECT_EQ(sr.request, msg_req);
  EXPECT_EQ(layer_.handle_request(msg_req, kStart + 1), RequestDisposition::Retransmission);
  EXPECT_TRUE(events().empty());
  EXPECT_TRUE(transmits().empty());  // Trying: discarded
  const auto ok = test::response(msg_req, 200);
  ASSERT_TRUE(layer_.respond(sr.id, ok, kStart + 2).ok());
  EXPECT_EQ(transmits(), std::vector<msg::Message>{ok});
  EXPECT_EQ(layer_.handle_request(msg_req, kStart + 2), RequestDisposition::Retransmission);
  EXPECT_EQ(transmits(), std::vector<msg::Message>{ok});  // Completed: final re-sent
  // Same branch, different sent-by: a different transaction (§17.2.3).
  const auto other = test::request("MESSAGE", "z9hG4bKm1", 3, "other.example.test");
  EXPECT_EQ(layer_.handle_request(other, kStart + 2), RequestDisposition::NewTransaction);
}

TEST_F(LayerTest, ack_for_non2xx_MUST_be_absorbed_and_ack_for_2xx_MUST_reach_TU) {
  const auto invite = test::request("INVITE", "z9hG4bKinv", 1, "proxy.example.test");
  layer_.handle_request(invite, kStart);
  const TxnId id = std::get<ServerRequest>(events().at(0)).id;
  ASSERT_TRUE(layer_.respond(id, test::response(invite, 486), kStart).ok());
  transmits();
  auto ack = test::request("ACK", "z9hG4bKinv", 1, "proxy.example.test");
  EXPECT_EQ(layer_.handle_request(ack, kStart + 1), RequestDisposition::AckAbsorbed);
  EXPECT_STREQ(layer_.state_name(id), "Confirmed");
  EXPECT_EQ(layer_.handle_request(ack, kStart + 1), RequestDisposition::AckAbsorbed);
  EXPECT_TRUE(events().empty());
  // §17.2.1: the ACK for a 2xx carries a new branch and matches no IST.
  const auto ack2xx = test::request("ACK", "z9hG4bKnewbranch", 1, "proxy.example.test");
  EXPECT_EQ(layer_.handle_request(ack2xx, kStart + 2), RequestDisposition::PassedToTu);
  auto ev = events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(std::get<ReceivedAck>(ev[0]).ack, ack2xx);
}

TEST_F(LayerTest, timer_H_MUST_report_a_server_failure) {
  const auto invite = test::request("INVITE", "z9hG4bKh", 1, "proxy.example.test");
  layer_.handle_request(invite, kStart);
  const TxnId id = std::get<ServerRequest>(events().at(0)).id;
  ASSERT_TRUE(layer_.respond(id, test::response(invite, 603), kStart).ok());
  tick_until(kStart + 32000);
  auto ev = events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(std::get<ServerFailed>(ev[0]).cause, ServerFailure::NoAck);
  EXPECT_EQ(std::get<ServerFailed>(ev[0]).id, id);
}

TEST_F(LayerTest, cancel_MUST_match_the_invite_server_txn_by_branch_and_sent_by_rfc3261_9_2) {
  const auto invite = test::request("INVITE", "z9hG4bKc", 1, "proxy.example.test");
  layer_.handle_request(invite, kStart);
  const TxnId inv = std::get<ServerRequest>(events().at(0)).id;
  const auto cancel = test::request("CANCEL", "z9hG4bKc", 1, "proxy.example.test");
  EXPECT_EQ(layer_.find_invite_server_txn(cancel), std::optional<TxnId>(inv));
  // The CANCEL gets its own NIST (§9.2: "responded to" by the UAS itself).
  EXPECT_EQ(layer_.handle_request(cancel, kStart), RequestDisposition::NewTransaction);
  const TxnId can = std::get<ServerRequest>(events().at(0)).id;
  EXPECT_NE(can, inv);
  EXPECT_FALSE(layer_.find_invite_server_txn(test::request("CANCEL", "z9hG4bKx", 1, "proxy.example.test")));
  EXPECT_FALSE(layer_.find_invite_server_txn(test::request("CANCEL", "z9hG4bKc", 1, "elsewhere.test")));
}

TEST_F(LayerTest, ist_MUST_send_100_trying_when_TU_is_silent_for_200ms_rfc3261_17_2_1) {
  const auto invite = test::request("INVITE", "z9hG4bKt", 1, "proxy.example.test");
  layer_.handle_request(invite, kStart);
  events();
  EXPECT_TRUE(transmits().empty());
  EXPECT_EQ(layer_.next_timeout(), kStart + 200);
  tick_until(kStart + 200);
  auto tx = transmits();
  ASSERT_EQ(tx.size(), 1u);
  EXPECT_EQ(tx[0].status(), 100);
  // A retransmitted INVITE now gets the 100 again.
  EXPECT_EQ(layer_.handle_request(invite, kStart + 300), RequestDisposition::Retransmission);
  EXPECT_EQ(transmits().size(), 1u);
}

TEST_F(LayerTest, ict_accepted_MUST_pass_forked_2xx_to_TU_rfc6026_8_4) {
  const auto invite = test::request("INVITE");
  const TxnId id = start(invite);
  layer_.handle_response(test::response(invite, 200, "fork1"), kStart + 1);
  layer_.handle_response(test::response(invite, 200, "fork2"), kStart + 2);
  auto ev = events();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(std::get<ClientResponse>(ev[1]).id, id);
  EXPECT_TRUE(transmits().size() == 1u);  // only the INVITE: 2xx ACKs are the TU's
}

TEST_F(LayerTest, misuse_MUST_return_errors_not_crash) {
  auto no_cookie = test::request("OPTIONS", "oldbranch");
  EXPECT_EQ(layer_.start_client(no_cookie, kStart).error().code, UaErrorCode::InvalidArgument);
  EXPECT_EQ(layer_.start_client(test::request("ACK"), kStart).error().code, UaErrorCode::InvalidArgument);
  auto bad_cseq = test::request("OPTIONS");
  bad_cseq.set("CSeq", "1 INVITE");
  EXPECT_EQ(layer_.start_client(bad_cseq, kStart).error().code, UaErrorCode::InvalidArgument);
  start(test::request("OPTIONS"));
  EXPECT_EQ(layer_.start_client(test::request("OPTIONS"), kStart).error().code, UaErrorCode::InvalidState);
  EXPECT_EQ(layer_.respond(TxnId{999}, test::response(test::request("OPTIONS"), 200), kStart).error().code,
            UaErrorCode::NotFound);
  const TxnId client = start(test::request("INFO", "z9hG4bKinfo"));
  EXPECT_EQ(layer_.respond(client, test::response(test::request("INFO"), 200), kStart).error().code,
            UaErrorCode::InvalidArgument);
}

TEST_F(LayerTest, rfc2543_request_without_magic_cookie_still_matches_its_ack) {
  const auto invite = test::request("INVITE", "oldstyle1", 5, "old.example.test");
  EXPECT_EQ(layer_.handle_request(invite, kStart), RequestDisposition::NewTransaction);
  const TxnId id = std::get<ServerRequest>(events().at(0)).id;
  const auto resp = test::response(invite, 404);
  ASSERT_TRUE(layer_.respond(id, resp, kStart).ok());
  auto ack = test::request("ACK", "oldstyle1", 5, "old.example.test");
  ack.set("To", std::string(*resp.get("To")));
  EXPECT_EQ(layer_.handle_request(ack, kStart + 1), RequestDisposition::AckAbsorbed);
}

}  // namespace
}  // namespace wwp::txn
