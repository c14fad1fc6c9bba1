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
}  // namespace
}  // namespace wwp::call
