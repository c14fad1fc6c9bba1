// Direction attributes and hold/resume (core/sdp/media_direction.hpp):
// RFC 4566 §6 (sendrecv/sendonly/recvonly/inactive, session vs media level),
// RFC 3264 §5.1 (default sendrecv), §8.4 (hold/resume).
#include "core/sdp/media_direction.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <tuple>

using namespace wwp::sdp;

namespace {

std::string read_vector(const std::string& name) {
  std::ifstream f(std::string(WWP_VECTORS_DIR) + "/sdp/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

SessionDescription sdp_with(std::string_view session_attr, std::string_view media_attr) {
  std::string t = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";
  if (!session_attr.empty()) t += "a=" + std::string(session_attr) + "\r\n";
  t += "m=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
  if (!media_attr.empty()) t += "a=" + std::string(media_attr) + "\r\n";
  auto s = parse(t);
  EXPECT_TRUE(s.ok());
  return s.value();
}

}  // namespace

// --- the §8.4 matrix -------------------------------------------------------------------

struct HoldRow {
  Direction before;
  Direction held;
};

class SdpHoldMatrix : public ::testing::TestWithParam<std::tuple<HoldRow, int>> {};

// Where the direction is written: 0 = media level, 1 = session level
// (absent = sendrecv is covered by hold_without_attribute_appends_sendonly).
TEST_P(SdpHoldMatrix, hold_maps_sendrecv_to_sendonly_and_recvonly_to_inactive_and_unhold_restores_rfc3264_8_4) {
  const auto [row, where] = GetParam();
  const std::string name = to_string(row.before);
  SessionDescription sdp = where == 0 ? sdp_with("", name) : sdp_with(name, "");
  const SessionDescription original = sdp;
  ASSERT_EQ(direction_of(sdp, 0), row.before);

  auto before = hold(sdp);
  ASSERT_EQ(before.media.size(), 1u);
  EXPECT_EQ(before.media[0], row.before);
  EXPECT_EQ(direction_of(sdp, 0), row.held);
  EXPECT_EQ(hold_direction(row.before), row.held);

  unhold(sdp, before);
  EXPECT_EQ(direction_of(sdp, 0), row.before);
  EXPECT_EQ(sdp, original);  // attribute rewritten in place, nothing added

  // Snapshot-less resume is exact for streams that were sendrecv/recvonly.
  SessionDescription again = original;
  hold(again);
  unhold(again);
  const bool invertible = row.before == Direction::SendRecv || row.before == Direction::RecvOnly;
  if (invertible) EXPECT_EQ(direction_of(again, 0), row.before);
}

INSTANTIATE_TEST_SUITE_P(
    SdpRfc3264, SdpHoldMatrix,
    ::testing::Combine(::testing::Values(HoldRow{Direction::SendRecv, Direction::SendOnly},
                                         HoldRow{Direction::RecvOnly, Direction::Inactive},
                                         HoldRow{Direction::SendOnly, Direction::SendOnly},
                                         HoldRow{Direction::Inactive, Direction::Inactive}),
                       ::testing::Values(0, 1)));

TEST(SdpDirection, hold_without_attribute_appends_sendonly_and_unhold_restores_sendrecv_rfc3264_8_4) {
  auto sdp = sdp_with("", "");
  auto before = hold(sdp);
  EXPECT_EQ(before.media, std::vector<Direction>{Direction::SendRecv});
  EXPECT_FALSE(before.session.has_value());
  EXPECT_EQ(sdp.media[0].lines.back().value, "sendonly");
  EXPECT_FALSE(direction_attribute(sdp.session).has_value());
  unhold(sdp, before);
  EXPECT_EQ(direction_of(sdp, 0), Direction::SendRecv);
  EXPECT_EQ(sdp.media[0].lines.back().value, "sendrecv");
}

TEST(SdpDirection, absent_attribute_means_sendrecv_rfc3264_5_1) {
  EXPECT_EQ(direction_of(sdp_with("", ""), 0), Direction::SendRecv);
}

TEST(SdpDirection, media_level_overrides_session_level_rfc4566_6) {
  auto sdp = sdp_with("recvonly", "sendonly");
  EXPECT_EQ(direction_of(sdp, 0), Direction::SendOnly);
  EXPECT_EQ(direction_of(sdp, sdp.media[0]), Direction::SendOnly);
  EXPECT_EQ(direction_of(sdp, 5), Direction::RecvOnly);  // out of range: session default
}

TEST(SdpDirection, chrome_hold_matches_rc_web_phone_regex_edit) {
  // rc-web-phone-spec §6.3: hold = every a=sendrecv → a=sendonly.
  const std::string text = read_vector("chrome_offer.sdp");
  auto sdp = parse(text);
  ASSERT_TRUE(sdp.ok());
  hold(*sdp);
  std::string expected = text;
  expected.replace(expected.find("a=sendrecv"), 10, "a=sendonly");
  EXPECT_EQ(sdp->to_string(), expected);
}

TEST(SdpDirection, hold_skips_rejected_media_and_rewrites_session_level_rfc3264_8_4) {
  auto sdp = parse(read_vector("session_level_recvonly.sdp"));
  ASSERT_TRUE(sdp.ok());
  auto before = hold(*sdp);
  EXPECT_EQ(before.media, (std::vector<Direction>{Direction::RecvOnly, Direction::RecvOnly}));
  EXPECT_EQ(before.session, Direction::RecvOnly);
  EXPECT_EQ(direction_attribute(sdp->session), Direction::Inactive);
  EXPECT_EQ(direction_of(*sdp, 0), Direction::Inactive);
  EXPECT_FALSE(direction_attribute(sdp->media[0].lines).has_value());  // inherits; no line added
  EXPECT_FALSE(direction_attribute(sdp->media[1].lines).has_value());  // port 0: untouched
  unhold(*sdp, before);
  EXPECT_EQ(sdp->to_string(), read_vector("session_level_recvonly.sdp"));
}

TEST(SdpDirection, set_direction_everywhere_and_per_media_rfc4566_6) {
  auto sdp = sdp_with("sendrecv", "");
  set_direction(sdp, Direction::Inactive);
  EXPECT_EQ(direction_of(sdp, 0), Direction::Inactive);
  EXPECT_EQ(direction_attribute(sdp.session), Direction::Inactive);

  auto two = sdp_with("", "sendrecv");
  two.session.push_back({'a', "ignored-flag"});
  set_direction(two, 0, Direction::RecvOnly);
  EXPECT_EQ(direction_of(two, 0), Direction::RecvOnly);
  set_direction(two, 9, Direction::Inactive);  // out of range: no-op
  EXPECT_EQ(direction_of(two, 0), Direction::RecvOnly);
}

TEST(SdpDirection, duplicate_direction_attributes_collapse_to_one) {
  auto sdp = parse(
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=sendrecv\r\na=recvonly\r\n");
  ASSERT_TRUE(sdp.ok());
  EXPECT_EQ(direction_of(*sdp, 0), Direction::SendRecv);  // first wins
  set_direction(*sdp, 0, Direction::SendOnly);
  EXPECT_EQ(sdp->media[0].lines.size(), 1u);
  EXPECT_EQ(sdp->media[0].lines[0].value, "sendonly");
}

TEST(SdpDirection, names_round_trip) {
  for (auto d : {Direction::SendRecv, Direction::SendOnly, Direction::RecvOnly, Direction::Inactive}) {
    EXPECT_EQ(direction_from_string(to_string(d)), d);
    EXPECT_EQ(unhold_direction(hold_direction(d)),
              d == Direction::SendOnly ? Direction::SendRecv
              : d == Direction::Inactive ? Direction::RecvOnly
                                         : d);
  }
  EXPECT_FALSE(direction_from_string("SENDRECV").has_value());
}

// --- live video (what the call events tell the shim) --------------------------

TEST(SdpDirection, live_direction_is_the_first_m_line_of_that_kind_with_a_port_rfc3264_6) {
  const std::string head = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";
  const std::string audio = "m=audio 9 RTP/AVP 0\r\na=sendrecv\r\n";
  // None offered, one rejected/removed (port 0), then one live after it.
  EXPECT_EQ(video_direction(head + audio), std::nullopt);
  EXPECT_EQ(video_direction(head + audio + "m=video 0 RTP/AVP 96\r\n"), std::nullopt);
  EXPECT_EQ(video_direction(head + audio + "m=video 0 RTP/AVP 96\r\nm=video 9 RTP/AVP 97\r\na=recvonly\r\n"),
            Direction::RecvOnly);
  // No attribute: the session level's, else sendrecv (RFC 3264 §5.1).
  EXPECT_EQ(video_direction(head + audio + "m=video 9 RTP/AVP 96\r\n"), Direction::SendRecv);
  EXPECT_EQ(video_direction(head + "a=inactive\r\n" + audio + "m=video 9 RTP/AVP 96\r\n"), Direction::Inactive);
  // Not SDP, or no body: no video.
  EXPECT_EQ(video_direction(""), std::nullopt);
  EXPECT_EQ(video_direction("m=video 9 RTP/AVP 96\r\n"), std::nullopt);
  // An SDP without a video m-line is answered without parsing it (the common
  // audio call): "m=video" inside a value is no media line, and an SDP with
  // bare LF line ends still finds its video line.
  EXPECT_EQ(video_direction(head + audio + "a=x-note:m=video 9 RTP/AVP 96\r\n"), std::nullopt);
  EXPECT_EQ(video_direction("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\nm=video 9 RTP/AVP 96\na=recvonly\n"),
            Direction::RecvOnly);
  auto s = parse(head + audio + "m=video 9 RTP/AVP 96\r\na=sendonly\r\n");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(live_direction(*s, "audio"), Direction::SendRecv);
  EXPECT_EQ(live_direction(*s, "video"), Direction::SendOnly);
  EXPECT_EQ(live_direction(*s, "application"), std::nullopt);
}

TEST(SdpDirection, hold_of_an_audio_video_call_holds_every_live_m_line_and_skips_port_0_rfc3264_8_4) {
  auto s = parse(
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
      "m=audio 9 RTP/AVP 0\r\na=sendrecv\r\nm=video 9 RTP/AVP 96\r\na=sendrecv\r\n"
      "m=video 0 RTP/AVP 97\r\nm=video 9 RTP/AVP 98\r\na=recvonly\r\n");
  ASSERT_TRUE(s.ok());
  const auto original = *s;
  const auto before = hold(*s);
  EXPECT_EQ(direction_of(*s, 0), Direction::SendOnly);
  EXPECT_EQ(direction_of(*s, 1), Direction::SendOnly);
  EXPECT_EQ(s->media[2], original.media[2]);  // removed stays removed, untouched
  EXPECT_EQ(direction_of(*s, 3), Direction::Inactive);
  unhold(*s, before);
  EXPECT_EQ(*s, original);
}

// An sdpHandler's "a=recvonly " (or a lenient peer's) is still the direction:
// hold made it a second, contradictory "a=sendonly" line, and the peer's
// "a=sendonly " video read as sendrecv.
TEST(SdpDirection, a_direction_with_trailing_blanks_is_that_direction_rfc4566_6) {
  auto sdp = sdp_with("", "recvonly ");
  EXPECT_EQ(direction_of(sdp, 0), Direction::RecvOnly);
  hold(sdp);
  int directions = 0;
  for (const auto& l : sdp.media[0].lines) directions += l.type == 'a' && direction_from_string(l.value).has_value();
  EXPECT_EQ(directions, 1);
  EXPECT_EQ(direction_of(sdp, 0), Direction::Inactive);  // §8.4: recvonly held is inactive
  EXPECT_EQ(video_direction("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 RTP/AVP 96\r\n"
                            "a=rtpmap:96 VP8/90000\r\na=sendonly \t\r\n"),
            Direction::SendOnly);
}
