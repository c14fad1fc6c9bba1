// Offer/answer machine (core/sdp/offer_answer.hpp): RFC 3264 §4 (one offer
// outstanding), §6 (answer mirrors the offer's m-lines), §8 (origin version,
// m-lines never removed), RFC 3261 §14.2 (crossing offers → 491), house style
// §7 (typed PendingOffer).
#include "core/sdp/offer_answer.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/sdp/media_direction.hpp"

using namespace wwp::sdp;

namespace {

std::string read_vector(const std::string& name) {
  std::ifstream f(std::string(WWP_VECTORS_DIR) + "/sdp/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

SessionDescription load(const std::string& name) {
  auto s = parse(read_vector(name));
  EXPECT_TRUE(s.ok()) << name;
  return s.value();
}

std::string version_of(const SessionDescription& s) { return s.origin()->session_version; }

}  // namespace

TEST(SdpOfferAnswer, offer_then_answer_completes_exchange_rfc3264_4) {
  OfferAnswer oa;
  auto offer = oa.create_offer(load("chrome_offer.sdp"));
  ASSERT_TRUE(offer.ok());
  EXPECT_EQ(oa.state(), OfferAnswer::State::HaveLocalOffer);
  EXPECT_EQ(version_of(offer->sdp), "2");  // first SDP keeps its own origin
  auto answer = oa.accept_answer(std::move(offer->pending), read_vector("rc_answer.sdp"));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(oa.state(), OfferAnswer::State::Stable);
  EXPECT_EQ(*oa.remote(), load("rc_answer.sdp"));
  EXPECT_EQ(*oa.local(), load("chrome_offer.sdp"));
}

TEST(SdpOfferAnswer, crossing_offer_is_glare_mapped_to_491_rfc3261_14_2) {
  OfferAnswer oa;
  auto offer = oa.create_offer(load("chrome_offer.sdp"));
  ASSERT_TRUE(offer.ok());
  auto glare = oa.receive_offer(read_vector("chrome_answer.sdp"));
  ASSERT_FALSE(glare.ok());
  EXPECT_EQ(glare.error().code, SdpErrorCode::OfferAnswerGlare);
  EXPECT_EQ(glare.error().sip_status_hint, 491);
  EXPECT_EQ(oa.state(), OfferAnswer::State::HaveLocalOffer);  // unchanged
  EXPECT_TRUE(oa.reject_offer(std::move(offer->pending)));     // our re-INVITE got 491 too
  EXPECT_EQ(oa.state(), OfferAnswer::State::Stable);
  EXPECT_TRUE(oa.receive_offer(read_vector("chrome_answer.sdp")).ok());
}

TEST(SdpOfferAnswer, only_one_offer_outstanding_rfc3264_4) {
  OfferAnswer oa;
  auto first = oa.create_offer(load("chrome_offer.sdp"));
  ASSERT_TRUE(first.ok());
  auto second = oa.create_offer(load("chrome_offer.sdp"));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, SdpErrorCode::OfferPending);
  ASSERT_TRUE(oa.reject_offer(std::move(first->pending)));

  ASSERT_TRUE(oa.receive_offer(read_vector("chrome_offer.sdp")).ok());
  auto again = oa.receive_offer(read_vector("chrome_offer.sdp"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, SdpErrorCode::OfferPending);
  EXPECT_EQ(again.error().sip_status_hint, 500);
  EXPECT_EQ(oa.create_offer(load("chrome_offer.sdp")).error().code, SdpErrorCode::OfferPending);
}

TEST(SdpOfferAnswer, stale_token_cannot_complete_a_newer_offer) {
  OfferAnswer oa;
  auto first = oa.create_offer(load("chrome_offer.sdp"));
  ASSERT_TRUE(first.ok());
  const auto stale_id = first->pending.id();
  ASSERT_TRUE(oa.reject_offer(std::move(first->pending)));
  auto second = oa.create_offer(load("chrome_offer.sdp"));
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->pending.id(), stale_id);
  // A token that is no longer pending: build one by rejecting and re-offering.
  EXPECT_FALSE(oa.reject_offer(std::move(first->pending)));  // moved-from keeps the old id
  auto r = oa.accept_answer(std::move(first->pending), read_vector("rc_answer.sdp"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, SdpErrorCode::StaleOffer);
  EXPECT_EQ(oa.state(), OfferAnswer::State::HaveLocalOffer);
  EXPECT_TRUE(oa.accept_answer(std::move(second->pending), read_vector("rc_answer.sdp")).ok());
}

TEST(SdpOfferAnswer, hold_offer_increments_version_by_one_and_keeps_origin_rfc3264_8) {
  OfferAnswer oa;
  auto first = oa.create_offer(load("chrome_offer.sdp"));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(oa.accept_answer(std::move(first->pending), read_vector("rc_answer.sdp")).ok());

  // Hold: same SDP with a=sendonly → version 3.
  SessionDescription held = load("chrome_offer.sdp");
  auto before = hold(held);
  auto hold_offer = oa.create_offer(held);
  ASSERT_TRUE(hold_offer.ok());
  EXPECT_EQ(version_of(hold_offer->sdp), "3");
  ASSERT_TRUE(oa.accept_answer(std::move(hold_offer->pending), read_vector("rc_answer.sdp")).ok());

  // Unhold from the browser's description, whose own version is still 2
  // (rc-web-phone-spec §6.3 gives 7→8 then 7→9): we send 4.
  auto unhold_offer = oa.create_offer(load("chrome_offer.sdp"));
  ASSERT_TRUE(unhold_offer.ok());
  EXPECT_EQ(version_of(unhold_offer->sdp), "4");
  ASSERT_TRUE(oa.accept_answer(std::move(unhold_offer->pending), read_vector("rc_answer.sdp")).ok());

  // Unchanged SDP (session refresh): version MUST stay.
  auto same = oa.create_offer(load("chrome_offer.sdp"));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(version_of(same->sdp), "4");
  ASSERT_TRUE(oa.reject_offer(std::move(same->pending)));
}

TEST(SdpOfferAnswer, new_peer_connection_origin_is_rewritten_to_ours_rfc3264_8) {
  OfferAnswer oa;
  auto first = oa.create_offer(load("chrome_offer.sdp"));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(oa.accept_answer(std::move(first->pending), read_vector("rc_answer.sdp")).ok());
  SessionDescription other = load("chrome_offer.sdp");
  other.set_origin(Origin{"-", "999", "1", "IN", "IP4", "127.0.0.1"});
  auto offer = oa.create_offer(other);
  ASSERT_TRUE(offer.ok());
  EXPECT_EQ(offer->sdp.origin()->session_id, "4611731400430051336");
  EXPECT_EQ(version_of(offer->sdp), "2");  // nothing but o= changed → same version
}

TEST(SdpOfferAnswer, rejected_offer_version_is_not_reused_rfc3264_8) {
  OfferAnswer oa;
  auto first = oa.create_offer(load("chrome_offer.sdp"));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(oa.accept_answer(std::move(first->pending), read_vector("rc_answer.sdp")).ok());
  SessionDescription held = load("chrome_offer.sdp");
  hold(held);
  auto h = oa.create_offer(held);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(version_of(h->sdp), "3");
  ASSERT_TRUE(oa.reject_offer(std::move(h->pending)));  // 491
  auto back = oa.create_offer(load("chrome_offer.sdp"));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(version_of(back->sdp), "4");  // differs from what the peer last saw (3)
  ASSERT_TRUE(oa.reject_offer(std::move(back->pending)));
}

TEST(SdpOfferAnswer, answer_to_remote_offer_gets_versioned_rfc3264_8) {
  OfferAnswer oa;
  auto offer = oa.receive_offer(read_vector("chrome_offer.sdp"));
  ASSERT_TRUE(offer.ok());
  EXPECT_EQ(oa.state(), OfferAnswer::State::HaveRemoteOffer);
  EXPECT_EQ(*oa.pending_remote_offer(), load("chrome_offer.sdp"));
  auto answer = oa.create_answer(load("chrome_answer.sdp"));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(version_of(*answer), "2");
  EXPECT_EQ(oa.state(), OfferAnswer::State::Stable);

  // Server re-INVITE (rc-web-phone-spec §7.9): answer again; changed → 3.
  ASSERT_TRUE(oa.receive_offer(read_vector("chrome_offer.sdp")).ok());
  SessionDescription changed = load("chrome_answer.sdp");
  set_direction(changed, Direction::RecvOnly);
  auto a2 = oa.create_answer(changed);
  ASSERT_TRUE(a2.ok());
  EXPECT_EQ(version_of(*a2), "3");
  EXPECT_EQ(*oa.local(), *a2);
}

TEST(SdpOfferAnswer, answer_MUST_have_same_m_line_count_as_offer_rfc3264_6) {
  OfferAnswer oa;
  auto offer = oa.create_offer(load("chrome_offer.sdp"));
  ASSERT_TRUE(offer.ok());
  auto bad = oa.accept_answer(std::move(offer->pending), read_vector("session_level_recvonly.sdp"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, SdpErrorCode::MediaCountMismatch);
  EXPECT_EQ(bad.error().sip_status_hint, 488);
  EXPECT_EQ(oa.state(), OfferAnswer::State::Stable);
  EXPECT_FALSE(oa.local().has_value());

  ASSERT_TRUE(oa.receive_offer(read_vector("session_level_recvonly.sdp")).ok());
  auto mine = oa.create_answer(load("chrome_answer.sdp"));
  ASSERT_FALSE(mine.ok());
  EXPECT_EQ(mine.error().code, SdpErrorCode::MediaCountMismatch);
  EXPECT_EQ(oa.state(), OfferAnswer::State::HaveRemoteOffer);
  oa.reject_remote_offer();
  EXPECT_EQ(oa.state(), OfferAnswer::State::Stable);
}

TEST(SdpOfferAnswer, new_offer_MUST_NOT_have_fewer_m_lines_than_previous_rfc3264_8) {
  OfferAnswer oa;
  ASSERT_TRUE(oa.receive_offer(read_vector("session_level_recvonly.sdp")).ok());
  SessionDescription two = load("chrome_answer.sdp");
  two.media.push_back(two.media[0]);
  two.media[1].set_port(0);
  ASSERT_TRUE(oa.create_answer(two).ok());
  auto fewer = oa.receive_offer(read_vector("chrome_offer.sdp"));
  ASSERT_FALSE(fewer.ok());
  EXPECT_EQ(fewer.error().code, SdpErrorCode::MediaCountMismatch);
  EXPECT_EQ(oa.state(), OfferAnswer::State::Stable);
}

TEST(SdpOfferAnswer, malformed_remote_sdp_is_an_error_value_with_488) {
  OfferAnswer oa;
  auto r = oa.receive_offer("v=0\r\ns=-\r\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Invalid SDP origin");
  EXPECT_EQ(r.error().sip_status_hint, 488);
  EXPECT_EQ(oa.state(), OfferAnswer::State::Stable);

  auto offer = oa.create_offer(load("chrome_offer.sdp"));
  ASSERT_TRUE(offer.ok());
  auto a = oa.accept_answer(std::move(offer->pending), "garbage");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(oa.state(), OfferAnswer::State::Stable);
}

TEST(SdpOfferAnswer, local_misuse_errors) {
  OfferAnswer oa;
  EXPECT_EQ(oa.create_answer(load("chrome_answer.sdp")).error().code, SdpErrorCode::NoRemoteOffer);
  SessionDescription no_origin;
  no_origin.session = {{'v', "0"}, {'s', "-"}};
  auto r = oa.create_offer(no_origin);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Invalid SDP origin");
  EXPECT_EQ(oa.state(), OfferAnswer::State::Stable);
  oa.reject_remote_offer();  // harmless in Stable
  EXPECT_STREQ(to_string(OfferAnswer::State::HaveRemoteOffer), "HaveRemoteOffer");
}
