// A 2xx to an INVITE of ours that no call wants any more (issue #18): the
// UAC ACKs it and ends its dialog with BYE (RFC 3261 §13.2.2.4), through the
// UA's bytes-in/bytes-out surface in virtual time.
#include <cctype>

#include "unit/ua/ua_harness.hpp"

namespace wwp::call {
namespace {

constexpr Duration kT1 = 500;  // ua_test_config: the defaults, T1 500 ms, T2 4 s

class UnwantedTwoHundredTest : public UaHarness {
 protected:
  UnwantedTwoHundredTest() : UaHarness(ua::ua_test_config(18)) {}

  msg::Message place_call() {
    register_ua();
    handle_ = *ua_.invite({"102", "", {}, kOffer}, now_);
    drain();
    return last_sent("INVITE");
  }
  /// A 2xx to `invite` from the fork tagged `tag`, with its own Contact and
  /// two Record-Routes.
  static msg::Message fork_2xx(const msg::Message& invite, const std::string& tag) {
    auto ok = msg::make_reply(invite, 200, tag);
    ok.add("Record-Route", "<sip:p1.test;lr>");
    ok.add("Record-Route", "<sip:p2.test;lr>");
    ok.add("Contact", "<sip:" + tag + "@10.0.0.3;transport=ws>");
    ok.set_body(kAnswer, "application/sdp");
    return ok;
  }
  /// Feeds `ok` and expects exactly an ACK then a BYE in its dialog, and no
  /// call event; answers the BYE.
  void expect_ack_and_bye(const msg::Message& ok, const std::string& tag) {
    sent_.clear();
    const std::size_t events_before = events_.size();
    feed(ok);
    ASSERT_EQ(sent_.size(), 2u);
    const auto invite_cseq = msg::parse_cseq(*ok.get("CSeq"))->seq;
    const char* methods[] = {"ACK", "BYE"};
    for (int i = 0; i < 2; ++i) {
      const msg::Message& m = sent_[i];
      SCOPED_TRACE(m.to_string());
      EXPECT_EQ(m.method(), methods[i]);
      // §12.1.2 via §13.2.2.4: the 2xx's Contact is the remote target, its
      // Record-Route reversed the route set, its To tag the remote tag.
      EXPECT_EQ(m.request_uri(), "sip:" + tag + "@10.0.0.3;transport=ws");
      const auto routes = m.get_all("Route");
      ASSERT_EQ(routes.size(), 2u);
      EXPECT_EQ(routes[0], "<sip:p2.test;lr>");
      EXPECT_EQ(routes[1], "<sip:p1.test;lr>");
      EXPECT_EQ(msg::tag_of(*m.get("To")).value_or(""), tag);
      EXPECT_EQ(*m.get("From"), *ok.get("From"));
      EXPECT_EQ(*m.get("Call-ID"), *ok.get("Call-ID"));
      const auto cseq = msg::parse_cseq(*m.get("CSeq"));
      ASSERT_TRUE(cseq.ok());
      EXPECT_EQ(cseq->seq, i == 0 ? invite_cseq : invite_cseq + 1);  // §13.2.2.4, §12.2.1.1
      EXPECT_EQ(cseq->method, methods[i]);
    }
    EXPECT_NE(msg::parse_via(*sent_[0].get("Via"))->branch(), msg::parse_via(*sent_[1].get("Via"))->branch());
    feed(msg::make_reply(sent_[1], 200));
    EXPECT_EQ(events_.size(), events_before) << "the app hears nothing of it";
  }
  void expect_no_state() {
    const auto live = ua_.live_counts();
    EXPECT_EQ(live.calls, 0u);
    EXPECT_EQ(live.dialogs, 0u);
    EXPECT_EQ(live.transactions, 0u);
  }

  CallHandle handle_ = 0;
};

TEST_F(UnwantedTwoHundredTest, a_2xx_after_the_cancelled_call_ended_is_acked_and_ended_with_bye_rfc3261_13_2_2_4) {
  const auto invite = place_call();
  feed(msg::make_reply(invite, 180, "callee"));
  ASSERT_TRUE(ua_.hangup(handle_, now_).ok());
  drain();
  feed(msg::make_reply(last_sent("CANCEL"), 200, "callee"));
  feed(msg::make_reply(invite, 487, "callee"));
  ASSERT_NE(last_event<CallFailed>(), nullptr);
  expect_no_state();
  // Another fork had answered before it heard the CANCEL.
  expect_ack_and_bye(fork_2xx(invite, "fork2"), "fork2");
  expect_no_state();
}

TEST_F(UnwantedTwoHundredTest, a_2xx_after_the_cancel_went_unanswered_for_64_t1_is_acked_and_ended_with_bye) {
  const auto invite = place_call();
  feed(msg::make_reply(invite, 180, "callee"));
  ASSERT_TRUE(ua_.hangup(handle_, now_).ok());
  drain();
  feed(msg::make_reply(last_sent("CANCEL"), 200, "callee"));
  advance(64 * kT1 + 1);  // §9.1: no final within 64*T1 of the CANCEL
  auto* failed = last_event<CallFailed>();
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->status, 487);
  expect_no_state();
  expect_ack_and_bye(fork_2xx(invite, "callee"), "callee");
  expect_no_state();
}

TEST_F(UnwantedTwoHundredTest, a_2xx_after_timer_b_is_acked_and_ended_with_bye) {
  const auto invite = place_call();
  advance(64 * kT1);
  auto* failed = last_event<CallFailed>();
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->status, 408);
  expect_no_state();
  expect_ack_and_bye(fork_2xx(invite, "late"), "late");
  expect_no_state();
}

TEST_F(UnwantedTwoHundredTest, a_second_forks_2xx_while_the_call_is_up_is_acked_and_ended_with_bye) {
  const auto invite = place_call();
  auto ok = fork_2xx(invite, "callee");
  feed(ok);
  ASSERT_NE(last_event<CallAnswered>(), nullptr);
  // RFC 6026 §8.4: the client transaction (Accepted, Timer M) passes the
  // fork's 2xx up; the call keeps its own dialog.
  expect_ack_and_bye(fork_2xx(invite, "fork2"), "fork2");
  EXPECT_EQ(ua_.live_counts().calls, 1u);
  EXPECT_EQ(ua_.live_counts().dialogs, 1u);
  // A retransmission of the answer it took is only ACKed again.
  sent_.clear();
  feed(ok);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].method(), "ACK");
  EXPECT_EQ(msg::tag_of(*sent_[0].get("To")).value_or(""), "callee");
}

TEST_F(UnwantedTwoHundredTest, a_forks_2xx_after_the_call_was_hung_up_is_acked_and_ended_with_bye) {
  const auto invite = place_call();
  feed(fork_2xx(invite, "callee"));
  ASSERT_TRUE(ua_.hangup(handle_, now_).ok());
  drain();
  feed(msg::make_reply(last_sent("BYE"), 200));
  ASSERT_NE(last_event<CallEnded>(), nullptr);
  advance(64 * kT1);  // Timer M: the INVITE's client transaction is gone too
  expect_no_state();
  expect_ack_and_bye(fork_2xx(invite, "fork2"), "fork2");
  expect_no_state();
}

TEST_F(UnwantedTwoHundredTest, a_retransmitted_unwanted_2xx_is_acked_again_but_ended_only_once) {
  const auto invite = place_call();
  advance(64 * kT1);  // Timer B: the call failed
  const auto ok = fork_2xx(invite, "late");
  sent_.clear();
  feed(ok);
  ASSERT_EQ(sent_.size(), 2u);
  const msg::Message bye = sent_[1];
  ASSERT_EQ(bye.method(), "BYE");
  // §13.2.2.4: each 2xx retransmission gets its ACK; the dialog is already
  // being ended, so no second BYE (and no second transaction).
  for (int i = 0; i < 3; ++i) {
    sent_.clear();
    feed(ok);
    ASSERT_EQ(sent_.size(), 1u);
    EXPECT_EQ(sent_[0].method(), "ACK");
  }
  EXPECT_EQ(ua_.live_counts().transactions, 1u);
  // Another fork's 2xx is another dialog: ACK and its own BYE.
  expect_ack_and_bye(fork_2xx(invite, "other"), "other");
  feed(msg::make_reply(bye, 200));
  expect_no_state();
}

// §18.1.2: a response whose top Via is not ours is not for us (a proxy that
// misroutes another device's 2xx made this phone ACK and BYE that call).
TEST_F(UnwantedTwoHundredTest, a_2xx_whose_top_via_is_not_ours_is_discarded_rfc3261_18_1_2) {
  const auto invite = place_call();
  advance(64 * kT1);  // Timer B: the call failed; a 2xx now would be unwanted
  auto foreign = fork_2xx(invite, "elsewhere");
  foreign.set("Via", "SIP/2.0/WSS other-device.invalid;branch=z9hG4bKnotours");
  sent_.clear();
  feed(foreign);
  EXPECT_TRUE(sent_.empty());
  const ua::Dropped* dropped = nullptr;
  for (const auto& e : all_events_)
    if (auto* d = std::get_if<ua::Dropped>(&e)) dropped = d;
  ASSERT_NE(dropped, nullptr);
  EXPECT_EQ(dropped->reason, "response not sent to us: its top Via is not ours (RFC 3261 §18.1.2)");
  // Ours, in any case, is still ACKed and ended.
  auto ours = fork_2xx(invite, "late");
  std::string via(*ours.get("Via"));
  const auto host = msg::parse_via(via)->host;  // hosts compare without case
  for (auto i = via.find(host), e = i + host.size(); i < e; ++i)
    via[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(via[i])));
  ours.set("Via", via);
  expect_ack_and_bye(ours, "late");
  expect_no_state();
}

}  // namespace
}  // namespace wwp::call
