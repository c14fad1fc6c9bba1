// Hold/unhold offers from our last SDP (RFC 3264 §8.4; origin version §8).
#include "core/call/call_sdp.hpp"

#include <gtest/gtest.h>

namespace wwp::call {
namespace {

const std::string kSdp =
    "v=0\r\no=- 100 7 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendrecv\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=recvonly\r\n";

TEST(CallSdp, hold_turns_sendrecv_into_sendonly_and_recvonly_into_inactive_rfc3264_8_4) {
  auto held = hold_offer(kSdp, true);
  ASSERT_TRUE(held.ok());
  EXPECT_NE(held->find("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendonly\r\n"), std::string::npos);
  EXPECT_NE(held->find("m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=inactive\r\n"), std::string::npos);
}

TEST(CallSdp, every_new_offer_bumps_the_origin_version_rfc3264_8) {
  auto held = hold_offer(kSdp, true);
  ASSERT_TRUE(held.ok());
  EXPECT_NE(held->find("o=- 100 8 IN IP4 127.0.0.1\r\n"), std::string::npos);
  auto unheld = hold_offer(*held, false);
  ASSERT_TRUE(unheld.ok());
  EXPECT_NE(unheld->find("o=- 100 9 IN IP4"), std::string::npos);
  EXPECT_NE(unheld->find("a=sendrecv"), std::string::npos);
  EXPECT_NE(unheld->find("a=recvonly"), std::string::npos);
}

TEST(CallSdp, media_without_direction_is_sendrecv_and_gets_an_explicit_attribute_rfc3264_5_1) {
  auto held = hold_offer("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\n", true);
  ASSERT_TRUE(held.ok());
  EXPECT_NE(held->find("m=audio 9 RTP/AVP 0\r\na=sendonly\r\n"), std::string::npos);
}

TEST(CallSdp, missing_or_malformed_origin_is_the_originals_error) {
  // Otherwise valid SDP (s=, t=, m=) whose origin is missing or malformed.
  for (const char* origin : {"", "o=- x y IN IP4 1.2.3.4\r\n", "o=-\r\n", "o=- 1 v2 IN IP4 a\r\n"}) {
    const std::string bad = std::string("v=0\r\n") + origin + "s=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n";
    auto r = hold_offer(bad, true);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error(), "Invalid SDP origin");
  }
  EXPECT_FALSE(hold_offer("", true).ok());
}

TEST(CallSdp, a_removed_video_stream_stays_in_hold_and_unhold_offers_with_port_0_rfc3264_8_2) {
  const std::string removed =
      "v=0\r\no=- 100 7 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendrecv\r\n"
      "m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n";
  auto held = hold_offer(removed, true);
  ASSERT_TRUE(held.ok());
  EXPECT_NE(held->find("a=sendonly\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n"), std::string::npos) << *held;
  auto unheld = hold_offer(*held, false);
  ASSERT_TRUE(unheld.ok());
  EXPECT_NE(unheld->find("a=sendrecv\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n"), std::string::npos);
}

}  // namespace
}  // namespace wwp::call
