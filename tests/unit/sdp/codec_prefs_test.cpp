// Codec preferences and bandwidth on our SDP (core/sdp/codec_prefs.hpp):
// RFC 3264 §5.1 (m-line order is preference), §6.1 (an answer lists only
// what the offer did), RFC 4733 (telephone-event kept), RFC 4566 §5.8 and
// RFC 3890 §6.2 (b=AS, b=TIAS).
#include "core/sdp/codec_prefs.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/sdp/session_description.hpp"

using namespace wwp::sdp;

namespace {

std::string read_vector(const std::string& name) {
  std::ifstream f(std::string(WWP_VECTORS_DIR) + "/sdp/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

MediaPrefs audio(std::vector<std::string> list, std::uint32_t kbps = 0) {
  MediaPrefs p;
  p.audio = std::move(list);
  p.audio_kbps = kbps;
  return p;
}

SessionDescription rewritten(const std::string& sdp, const MediaPrefs& p, const std::string& offer = "") {
  auto r = rewrite_local(sdp, p, offer);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  auto s = parse(r.ok() ? *r : sdp);
  EXPECT_TRUE(s.ok());
  return s.value();
}

SessionDescription rewritten_rejecting(const std::string& sdp) {
  auto r = rewrite_local(sdp, MediaPrefs{}, {}, true);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  auto s = parse(r.ok() ? *r : sdp);
  EXPECT_TRUE(s.ok());
  return s.value();
}

std::string formats(const MediaDescription& m) {
  std::string f;
  for (const auto& x : m.formats) f += (f.empty() ? "" : " ") + x;
  return f;
}

bool has_line(const MediaDescription& m, char type, const std::string& value) {
  for (const auto& l : m.lines)
    if (l.type == type && l.value == value) return true;
  return false;
}

bool has_prefix(const MediaDescription& m, const std::string& prefix) {
  for (const auto& l : m.lines)
    if (l.type == 'a' && l.value.rfind(prefix, 0) == 0) return true;
  return false;
}

// Chrome's offer: 111 opus, 63 red (111/111), 9 G722, 0 PCMU, 8 PCMA, 13 CN,
// 110 and 126 telephone-event.
const std::string kChrome = read_vector("chrome_offer.sdp");

const std::string kAudioVideo =
    "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 101\r\nc=IN IP4 0.0.0.0\r\n"
    "a=rtpmap:111 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99\r\nc=IN IP4 0.0.0.0\r\n"
    "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n"
    "a=rtpmap:98 H264/90000\r\na=fmtp:98 profile-level-id=42e01f\r\na=rtpmap:99 rtx/90000\r\na=fmtp:99 apt=98\r\n"
    "a=rtcp-fb:* transport-cc\r\n";

}  // namespace

TEST(SdpCodecPrefs, no_preferences_returns_the_text_unchanged_even_if_malformed) {
  EXPECT_EQ(*rewrite_local(kChrome, MediaPrefs{}), kChrome);
  EXPECT_EQ(*rewrite_local("not sdp", MediaPrefs{}), "not sdp");
}

TEST(SdpCodecPrefs, named_codecs_come_first_in_list_order_rfc3264_5_1) {
  const auto s = rewritten(kChrome, audio({"PCMU", "opus"}));
  // Unnamed G722 and PCMA go; red follows opus, CN the 8 kHz PCMU, and both
  // telephone-events stay, in the browser's order after the codecs.
  EXPECT_EQ(formats(s.media[0]), "0 111 63 13 110 126");
  EXPECT_FALSE(has_prefix(s.media[0], "rtpmap:9 "));
  EXPECT_FALSE(has_prefix(s.media[0], "rtpmap:8 "));
  EXPECT_TRUE(has_line(s.media[0], 'a', "fmtp:111 minptime=10;useinbandfec=1"));
  EXPECT_EQ(s.media[0].m_value, "audio 54321 UDP/TLS/RTP/SAVPF 0 111 63 13 110 126");
}

TEST(SdpCodecPrefs, names_are_case_insensitive_rfc4855_3) {
  EXPECT_EQ(formats(rewritten(kChrome, audio({"pcmu", "OPUS"})).media[0]), "0 111 63 13 110 126");
}

TEST(SdpCodecPrefs, restriction_keeps_telephone_event_and_drops_rtpmap_fmtp_rtcp_fb_rfc4733) {
  const auto s = rewritten(kChrome, audio({"PCMU"}));
  EXPECT_EQ(formats(s.media[0]), "0 13 110 126");
  for (const char* gone : {"rtpmap:111 ", "fmtp:111 ", "rtcp-fb:111 ", "rtpmap:63 ", "fmtp:63 ", "rtpmap:9 ", "rtpmap:8 "})
    EXPECT_FALSE(has_prefix(s.media[0], gone)) << gone;
  EXPECT_TRUE(has_line(s.media[0], 'a', "rtpmap:110 telephone-event/48000"));
  EXPECT_TRUE(has_line(s.media[0], 'a', "rtpmap:126 telephone-event/8000"));
  // Everything else is verbatim.
  EXPECT_TRUE(has_line(s.media[0], 'a', "ice-ufrag:x9cp"));
  EXPECT_TRUE(has_line(s.media[0], 'a', "sendrecv"));
}

TEST(SdpCodecPrefs, opus_alone_drops_cn_whose_clock_rate_no_codec_has) {
  EXPECT_EQ(formats(rewritten(kChrome, audio({"opus"})).media[0]), "111 63 110 126");
}

TEST(SdpCodecPrefs, star_keeps_unnamed_codecs_after_the_named_ones) {
  EXPECT_EQ(formats(rewritten(kChrome, audio({"PCMA", "*"})).media[0]), "8 111 9 0 63 13 110 126");
}

TEST(SdpCodecPrefs, a_named_helper_is_placed_like_a_codec) {
  EXPECT_EQ(formats(rewritten(kChrome, audio({"red", "opus"})).media[0]), "63 111 110 126");
}

TEST(SdpCodecPrefs, static_type_without_rtpmap_is_named_rfc3551_6) {
  const std::string t = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0 8 101\r\n"
                        "a=rtpmap:101 telephone-event/8000\r\n";
  EXPECT_EQ(formats(rewritten(t, audio({"PCMA"})).media[0]), "8 101");
}

TEST(SdpCodecPrefs, no_codec_left_is_an_error_naming_what_there_was) {
  auto r = rewrite_local(kChrome, audio({"G729"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, SdpErrorCode::NoCommonCodec);
  EXPECT_EQ(r.error().message,
            "codecPreferences.audio [G729] leaves no codec in m=audio (it has opus, G722, PCMU, PCMA)");
}

TEST(SdpCodecPrefs, answer_keeps_only_what_the_offer_listed_rfc3264_6_1) {
  // The offer (rc_answer.sdp's media: OPUS, PCMU, telephone-event/8000) has
  // no G722, PCMA, red, CN or 48 kHz telephone-event; an answer that lists
  // them (as a careless media stack might) loses them, and the order is ours.
  const auto s = rewritten(kChrome, audio({"PCMU", "*"}), read_vector("rc_answer.sdp"));
  EXPECT_EQ(formats(s.media[0]), "0 111 126");
  const auto only = rewrite_local(kChrome, audio({"G722"}), read_vector("rc_answer.sdp"));
  ASSERT_FALSE(only.ok());  // G722 is ours but the offer did not allow it
  EXPECT_EQ(only.error().code, SdpErrorCode::NoCommonCodec);
}

TEST(SdpCodecPrefs, bandwidth_adds_b_as_and_b_tias_after_c_rfc3890) {
  const auto s = rewritten(kChrome, audio({}, 32));
  EXPECT_EQ(formats(s.media[0]), "111 63 9 0 8 13 110 126");  // no codec list: untouched
  ASSERT_GE(s.media[0].lines.size(), 3u);
  EXPECT_EQ(s.media[0].lines[0].type, 'c');
  EXPECT_EQ(s.media[0].lines[1], (SdpLine{'b', "AS:32"}));
  EXPECT_EQ(s.media[0].lines[2], (SdpLine{'b', "TIAS:32000"}));
}

TEST(SdpCodecPrefs, bandwidth_replaces_existing_b_lines_and_keeps_others) {
  const std::string t = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n"
                        "c=IN IP4 0.0.0.0\r\nb=AS:64\r\nb=RR:800\r\nb=TIAS:64000\r\na=rtpmap:0 PCMU/8000\r\n";
  const auto s = rewritten(t, audio({}, 20));
  ASSERT_EQ(s.media[0].lines.size(), 5u);
  EXPECT_EQ(s.media[0].lines[1], (SdpLine{'b', "AS:20"}));
  EXPECT_EQ(s.media[0].lines[2], (SdpLine{'b', "TIAS:20000"}));
  EXPECT_EQ(s.media[0].lines[3], (SdpLine{'b', "RR:800"}));
}

TEST(SdpCodecPrefs, video_m_line_untouched_without_video_prefs) {
  const auto before = parse(kAudioVideo).value();
  const auto s = rewritten(kAudioVideo, audio({"PCMU"}, 24));
  EXPECT_EQ(formats(s.media[0]), "0 101");
  EXPECT_EQ(s.media[1], before.media[1]);
}

TEST(SdpCodecPrefs, video_prefs_keep_rtx_of_kept_codecs_only) {
  MediaPrefs p;
  p.video = {"VP8"};
  const auto s = rewritten(kAudioVideo, p);
  EXPECT_EQ(formats(s.media[0]), "111 0 101");  // no audio list: audio untouched
  EXPECT_EQ(formats(s.media[1]), "96 97");
  EXPECT_FALSE(has_prefix(s.media[1], "fmtp:98 "));
  EXPECT_FALSE(has_prefix(s.media[1], "fmtp:99 "));
  EXPECT_TRUE(has_line(s.media[1], 'a', "rtcp-fb:96 nack"));
  EXPECT_TRUE(has_line(s.media[1], 'a', "rtcp-fb:* transport-cc"));
}

TEST(SdpCodecPrefs, audio_and_video_lists_each_shape_their_own_kind_in_an_answer_rfc3264_6_1) {
  // The peer offered VP8 only on video and PCMU/opus on audio; our answer (a
  // browser's, listing more) keeps each m-line within its own offered line.
  const std::string offer =
      "v=0\r\no=- 2 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 0 111 126\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:111 opus/48000/2\r\n"
      "a=rtpmap:126 telephone-event/8000\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 100 101\r\na=rtpmap:100 VP8/90000\r\na=rtpmap:101 rtx/90000\r\n"
      "a=fmtp:101 apt=100\r\n";
  MediaPrefs p;
  p.audio = {"opus", "*"};
  p.video = {"H264", "*"};
  const auto s = rewritten(kAudioVideo, p, offer);
  EXPECT_EQ(formats(s.media[0]), "111 0 101");  // opus first, PCMU kept by '*', telephone-event stays
  EXPECT_EQ(formats(s.media[1]), "96 97");       // H264 (and its rtx) was not offered: VP8 and its rtx only
  // Where a list leaves a kind nothing, only that kind fails, naming it.
  p.video = {"AV1"};
  auto r = rewrite_local(kAudioVideo, p);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("codecPreferences.video [AV1] leaves no codec in m=video"), std::string::npos);
}

TEST(SdpCodecPrefs, video_prefs_skip_a_rejected_video_stream_rfc3264_6) {
  const std::string t = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n"
                        "a=rtpmap:0 PCMU/8000\r\nm=video 0 RTP/AVP 96\r\n";
  MediaPrefs p;
  p.video = {"VP8"};
  EXPECT_EQ(*rewrite_local(t, p), t);
}

TEST(SdpCodecPrefs, reject_video_gives_our_answers_video_port_0_and_takes_it_out_of_bundle_rfc3264_6) {
  // Chromium's answer after its video transceiver was stopped: live, inactive.
  const std::string answer =
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\na=msid-semantic: WMS\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendrecv\r\na=rtpmap:111 opus/48000/2\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\na=mid:1\r\na=inactive\r\na=rtpmap:96 VP8/90000\r\n";
  const auto s = rewritten_rejecting(answer);
  ASSERT_EQ(s.media.size(), 2u);  // the m-line stays (§6: as many as the offer)
  EXPECT_EQ(s.media[0].port, 9);
  EXPECT_EQ(s.media[1].port, 0);
  EXPECT_EQ(s.media[1].m_value, "video 0 UDP/TLS/RTP/SAVPF 96 97");
  EXPECT_EQ(s.session[4], (SdpLine{'a', "group:BUNDLE 0"}));
  EXPECT_EQ(s.session[5], (SdpLine{'a', "msid-semantic: WMS"}));
  // Without it (and without preferences) the text is untouched.
  EXPECT_EQ(*rewrite_local(answer, MediaPrefs{}), answer);
  // An answer without video, or with it already rejected, is unchanged.
  EXPECT_EQ(*rewrite_local(kChrome, MediaPrefs{}, {}, true), parse(kChrome)->to_string());
}

TEST(SdpCodecPrefs, rejected_stream_is_left_alone_rfc3264_6) {
  const std::string t = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n";
  EXPECT_EQ(*rewrite_local(t, audio({"opus"}, 32)), t);
}

TEST(SdpCodecPrefs, malformed_sdp_or_offer_is_an_error) {
  auto r = rewrite_local("v=0\r\nbogus\r\n", audio({"PCMU"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, SdpErrorCode::BadLine);
  auto o = rewrite_local(kChrome, audio({"PCMU"}), "v=1\r\n");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().code, SdpErrorCode::BadVersion);
}

TEST(SdpCodecPrefs, rewrite_is_idempotent) {
  const auto once = *rewrite_local(kChrome, audio({"PCMU", "opus"}, 32));
  EXPECT_EQ(*rewrite_local(once, audio({"PCMU", "opus"}, 32)), once);
}

TEST(SdpCodecPrefs, codec_list_check) {
  EXPECT_EQ(check_codec_list({"opus", "PCMU", "telephone-event", "*"}), "");
  EXPECT_EQ(check_codec_list({}), "must name at least one codec");
  EXPECT_EQ(check_codec_list({"*", "opus"}), "'*' may only be the last entry");
  EXPECT_EQ(check_codec_list({"opus/48000"}), "'opus/48000' is not a codec name (an rtpmap encoding name such as opus or PCMU)");
  EXPECT_EQ(check_codec_list({""}), "'' is not a codec name (an rtpmap encoding name such as opus or PCMU)");
}
