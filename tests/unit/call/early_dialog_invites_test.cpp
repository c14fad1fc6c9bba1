// RFC 3261 §14.2 in the early dialog of a ringing inbound call: every INVITE
// that arrives before our final response to the first gets 500 (from a
// review of core/call: the 500 to the second cleared the first's flag).
#include "unit/ua/ua_harness.hpp"

namespace wwp::call {
namespace {
class EarlyDialogInvites : public UaHarness {
 protected:
  EarlyDialogInvites() : UaHarness(ua::ua_test_config(3)) {}
};

// §14.2: "A UAS that receives a second INVITE before it sends the final
// response to a first INVITE with a lower CSeq ... MUST return a 500".
// The 500 to the second clears Dialog::incoming_invite_pending_ (it is the
// flag of the first), so a third is taken as a re-INVITE of a ringing call.
TEST_F(EarlyDialogInvites, every_invite_in_the_early_dialog_of_a_ringing_call_gets_500_rfc3261_14_2) {
  register_ua();
  feed(inbound_invite());
  const std::string tag = *msg::tag_of(*last_sent("180").get("To"));
  auto second = from_caller("INVITE", tag, 11, "z9hG4bKre2");
  second.set_body(kOffer, "application/sdp");
  feed(second);
  EXPECT_EQ(last_sent("500").get("CSeq").value_or(""), "11 INVITE");
  auto third = from_caller("INVITE", tag, 12, "z9hG4bKre3");
  third.set_body(kOffer, "application/sdp");
  events_.clear();
  feed(third);
  EXPECT_EQ(last_event<ReinviteOffer>(), nullptr) << "a ringing call got a ReinviteOffer";
  EXPECT_EQ(count_of("500"), 2);
}

// §12.2.2: an out-of-order request gets 500 and nothing else; §12.1.1/§12.3:
// only our final response *to the INVITE* decides the early dialog's fate.
// An INFO carrying the INVITE's CSeq number was answered 500, and that 500
// ended the ringing call's dialog: the answer's ACK found none and the BYE
// got 481 (from a review of core/dialog).
TEST_F(EarlyDialogInvites, a_500_to_an_out_of_order_request_leaves_the_ringing_calls_dialog_rfc3261_12_2_2) {
  register_ua();
  feed(inbound_invite());
  const std::string tag = *msg::tag_of(*last_sent("180").get("To"));
  const CallHandle h = last_event<IncomingCall>()->call;
  feed(from_caller("INFO", tag, 10, "z9hG4bKinfo1"));  // CSeq = the INVITE's
  EXPECT_EQ(last_sent("500").get("CSeq").value_or(""), "10 INFO");
  ASSERT_TRUE(ua_.answer(h, kAnswer, now_).ok());
  drain();
  feed(inbound_ack(tag));
  EXPECT_NE(last_event<CallConfirmed>(), nullptr) << "the ACK found no dialog";
  sent_.clear();
  feed(from_caller("BYE", tag, 11, "z9hG4bKbye1"));
  EXPECT_EQ(count_of("481"), 0) << "the BYE of the answered call got 481";
  EXPECT_EQ(last_sent("200").get("CSeq").value_or(""), "11 BYE");
}
}  // namespace
}  // namespace wwp::call
