// SDP model (core/sdp/session_description.hpp): RFC 4566 §5 syntax, exact
// round trips on golden vectors (tests/vectors/sdp/), origin version bump
// (RFC 3264 §8), malformed input, every-prefix truncation, ICE restart
// detection (RFC 8839 §4.4.1.1.1).
#include "core/sdp/session_description.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

using namespace wwp::sdp;

namespace {

std::string read_vector(const std::string& name) {
  std::ifstream f(std::string(WWP_VECTORS_DIR) + "/sdp/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string crlf(std::string_view lf) {
  std::string out;
  for (char c : lf) {
    if (c == '\n') out += "\r\n";
    else out += c;
  }
  return out;
}

const char* const kGolden[] = {"chrome_offer.sdp", "chrome_answer.sdp", "rc_answer.sdp",
                               "session_level_recvonly.sdp"};

}  // namespace

// --- round trip ----------------------------------------------------------------------

class SdpGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(SdpGolden, parse_then_serialise_is_byte_exact_rfc4566_5) {
  const std::string text = read_vector(GetParam());
  ASSERT_FALSE(text.empty()) << GetParam();
  auto sdp = parse(text);
  ASSERT_TRUE(sdp.ok()) << sdp.error().message << " line " << sdp.error().line;
  EXPECT_EQ(sdp->to_string(), text);
  auto again = parse(sdp->to_string());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *sdp);
}

TEST_P(SdpGolden, lf_only_input_is_accepted_and_serialised_with_crlf_rfc4566_5) {
  const std::string text = read_vector(GetParam());
  std::string lf;
  for (char c : text)
    if (c != '\r') lf += c;
  auto sdp = parse(lf);
  ASSERT_TRUE(sdp.ok());
  EXPECT_EQ(sdp->to_string(), text);
}

TEST_P(SdpGolden, every_prefix_parses_or_fails_cleanly) {
  // House style §19: truncation loop; must never crash, and a prefix that
  // parses must round-trip.
  const std::string text = read_vector(GetParam());
  for (std::size_t n = 0; n <= text.size(); ++n) {
    auto sdp = parse(std::string_view(text).substr(0, n));
    if (sdp.ok()) {
      auto again = parse(sdp->to_string());
      ASSERT_TRUE(again.ok()) << n;
      EXPECT_EQ(*again, *sdp) << n;
    } else {
      EXPECT_FALSE(sdp.error().message.empty());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(SdpVectors, SdpGolden, ::testing::ValuesIn(kGolden));

TEST(SdpParse, chrome_offer_structure) {
  auto sdp = parse(read_vector("chrome_offer.sdp"));
  ASSERT_TRUE(sdp.ok());
  auto o = sdp->origin();
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->username, "-");
  EXPECT_EQ(o->session_id, "4611731400430051336");
  EXPECT_EQ(o->session_version, "2");
  EXPECT_EQ(o->address, "127.0.0.1");
  ASSERT_EQ(sdp->media.size(), 1u);
  const auto& m = sdp->media[0];
  EXPECT_EQ(m.media, "audio");
  EXPECT_EQ(m.port, 54321);
  EXPECT_EQ(m.proto, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(m.formats, (std::vector<std::string>{"111", "63", "9", "0", "8", "13", "110", "126"}));
  EXPECT_EQ(find_attribute(m.lines, "rtcp-mux").value(), "");
  EXPECT_EQ(find_attribute(m.lines, "rtpmap").value(), "111 opus/48000/2");
  EXPECT_EQ(find_attribute(m.lines, "setup").value(), "actpass");
  EXPECT_EQ(find_attribute(sdp->session, "group").value(), "BUNDLE 0");
  EXPECT_FALSE(find_attribute(m.lines, "rtcp-m").has_value());  // prefix is not a match
  EXPECT_TRUE(has_audio(*sdp));
}

TEST(SdpParse, unknown_lines_are_kept_verbatim_and_in_order_rfc4566_5) {
  const std::string text = crlf(
      "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\ni=info\nu=http://x\ne=a@b\np=+1\nb=AS:64\n"
      "z=0 0\nk=prompt\nt=0 0\nr=7d 1h 0 25h\nx=unknown-type\n"
      "m=audio 9 RTP/AVP 0\ni=media\nb=TIAS:64000\na=weird: value with spaces\n");
  auto sdp = parse(text);
  ASSERT_TRUE(sdp.ok()) << sdp.error().message;
  EXPECT_EQ(sdp->to_string(), text);
  EXPECT_EQ(sdp->session[12].type, 'x');
}

TEST(SdpParse, port_count_and_rejected_media_rfc4566_5_14) {
  auto sdp = parse(crlf("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=video 49170/2 RTP/AVP 31\nm=audio 0 RTP/AVP 0\n"));
  ASSERT_TRUE(sdp.ok());
  EXPECT_EQ(sdp->media[0].port_count, 2u);
  EXPECT_EQ(sdp->media[1].port, 0);
  EXPECT_FALSE(has_audio(*sdp));  // the audio stream is rejected
  sdp->media[1].set_port(5004);
  EXPECT_EQ(sdp->media[1].m_value, "audio 5004 RTP/AVP 0");
  EXPECT_TRUE(has_audio(*sdp));
  sdp->media[0].set_port(0);
  EXPECT_EQ(sdp->media[0].m_value, "video 0/2 RTP/AVP 31");
}

// --- malformed input ---------------------------------------------------------------------

TEST(SdpMalformed, missing_or_bad_origin_is_invalid_sdp_origin_as_rc_web_phone) {
  for (std::string_view body :
       {"v=0\ns=-\nt=0 0\n", "v=0\no=- x 1 IN IP4 0.0.0.0\ns=-\n", "v=0\no=- 1 y IN IP4 0.0.0.0\ns=-\n",
        "v=0\no=- 1 1 IN IP4\ns=-\n", "v=0\no=-  1 1 IN IP4 0.0.0.0\ns=-\n",
        "v=0\no=- 1 1 IN IP4 0.0.0.0 extra\ns=-\n",
        "v=0\no=- 1 1 IN IP4 0.0.0.0\no=- 1 1 IN IP4 0.0.0.0\ns=-\n"}) {
    auto sdp = parse(crlf(body));
    ASSERT_FALSE(sdp.ok()) << body;
    EXPECT_EQ(sdp.error().code, SdpErrorCode::BadOrigin) << body;
    EXPECT_EQ(sdp.error().message, "Invalid SDP origin") << body;
    EXPECT_EQ(sdp.error().sip_status_hint, 488);
  }
}

TEST(SdpMalformed, syntax_errors_are_values_with_line_numbers_rfc4566_5) {
  struct Case {
    std::string_view body;
    SdpErrorCode code;
    std::size_t line;
  };
  const Case cases[] = {
      {"", SdpErrorCode::Empty, 0},
      {"\n\n", SdpErrorCode::Empty, 0},
      {"v=1\no=- 1 1 IN IP4 0.0.0.0\ns=-\n", SdpErrorCode::BadVersion, 1},
      {"o=- 1 1 IN IP4 0.0.0.0\nv=0\ns=-\n", SdpErrorCode::BadVersion, 1},
      {"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nv=0\n", SdpErrorCode::BadVersion, 4},
      {"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nnot a line\n", SdpErrorCode::BadLine, 4},
      {"v=0\no=- 1 1 IN IP4 0.0.0.0\n\ns=-\n", SdpErrorCode::BadLine, 3},
      {"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\n1=x\n", SdpErrorCode::BadLine, 4},
      {"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\na=x\ry\n", SdpErrorCode::IllegalCharacter, 4},
      {"v=0\no=- 1 1 IN IP4 0.0.0.0\nt=0 0\n", SdpErrorCode::MissingSessionName, 0},
      {"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=audio 9 RTP/AVP\n", SdpErrorCode::BadMedia, 4},
      {"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=audio 70000 RTP/AVP 0\n", SdpErrorCode::BadMedia, 4},
      {"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=audio x RTP/AVP 0\n", SdpErrorCode::BadMedia, 4},
      {"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=audio 9/ RTP/AVP 0\n", SdpErrorCode::BadMedia, 4},
      {"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=audio  9 RTP/AVP 0\n", SdpErrorCode::BadMedia, 4},
      {"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=audio 9 RTP/AVP 0\ns=again\n", SdpErrorCode::BadLine, 5},
  };
  for (const auto& c : cases) {
    auto sdp = parse(crlf(c.body));
    ASSERT_FALSE(sdp.ok()) << c.body;
    EXPECT_EQ(sdp.error().code, c.code) << c.body << " → " << to_string(sdp.error().code);
    EXPECT_EQ(sdp.error().line, c.line) << c.body;
  }
  std::string nul = crlf("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\na=x");
  nul += '\0';
  EXPECT_EQ(parse(nul).error().code, SdpErrorCode::IllegalCharacter);
}

TEST(SdpMalformed, trailing_blank_lines_and_missing_final_newline_are_tolerated_rfc4566_5) {
  auto a = parse("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->to_string(), "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n");
  auto b = parse("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n\r\n\r\n");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->session.size(), 3u);
}

// --- origin version (RFC 3264 §8) ------------------------------------------------------------

TEST(SdpOrigin, bump_increments_version_by_exactly_one_rfc3264_8) {
  auto sdp = parse(read_vector("chrome_offer.sdp"));
  ASSERT_TRUE(sdp.ok());
  ASSERT_TRUE(bump_origin_version(*sdp).ok());
  EXPECT_EQ(sdp->origin()->session_version, "3");
  EXPECT_EQ(sdp->origin()->session_id, "4611731400430051336");
  // Only the o= line changed.
  std::string expected = read_vector("chrome_offer.sdp");
  expected.replace(expected.find("4611731400430051336 2"), 21, "4611731400430051336 3");
  EXPECT_EQ(sdp->to_string(), expected);
}

TEST(SdpOrigin, version_beyond_64_bits_carries_decimally) {
  EXPECT_EQ(increment_decimal("0").value(), "1");
  EXPECT_EQ(increment_decimal("199").value(), "200");
  EXPECT_EQ(increment_decimal("18446744073709551615").value(), "18446744073709551616");
  EXPECT_EQ(increment_decimal("999").value(), "1000");
  EXPECT_FALSE(increment_decimal("").has_value());
  EXPECT_FALSE(increment_decimal("1a").has_value());
}

TEST(SdpOrigin, bump_without_origin_is_invalid_sdp_origin) {
  SessionDescription sdp;
  sdp.session.push_back({'v', "0"});
  auto r = bump_origin_version(sdp);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Invalid SDP origin");
  sdp.session.push_back({'o', "- 1 nonnumeric IN IP4 0.0.0.0"});
  EXPECT_EQ(bump_origin_version(sdp).error().code, SdpErrorCode::BadOrigin);
}

TEST(SdpOrigin, set_origin_inserts_after_version_line) {
  SessionDescription sdp;
  sdp.session = {{'v', "0"}, {'s', "-"}};
  sdp.set_origin(Origin{"u", "1", "2", "IN", "IP4", "192.0.2.1"});
  EXPECT_EQ(sdp.to_string(), "v=0\r\no=u 1 2 IN IP4 192.0.2.1\r\ns=-\r\n");
}

// --- ICE restart ---------------------------------------------------------------------------

TEST(SdpIce, changed_ufrag_or_pwd_signals_ice_restart_rfc8839_4_4_1_1_1) {
  auto a = parse(read_vector("chrome_offer.sdp"));
  ASSERT_TRUE(a.ok());
  auto creds = ice_credentials(*a, 0);
  ASSERT_TRUE(creds.has_value());
  EXPECT_EQ(creds->ufrag, "x9cp");
  EXPECT_EQ(creds->pwd, "y3kzFcwTVMLBeVM4tXeWzqX7");
  auto b = *a;
  EXPECT_FALSE(ice_restarted(*a, b));
  for (auto& l : b.media[0].lines)
    if (l.value.rfind("ice-pwd:", 0) == 0) l.value = "ice-pwd:newpasswordnewpassword00";
  EXPECT_TRUE(ice_restarted(*a, b));
  EXPECT_FALSE(ice_credentials(*a, 7).has_value());
}

TEST(SdpIce, session_level_credentials_apply_to_media_rfc8839_5_4) {
  auto sdp = parse(crlf("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\na=ice-ufrag:abcd\na=ice-pwd:p\nt=0 0\nm=audio 9 RTP/AVP 0\n"));
  ASSERT_TRUE(sdp.ok());
  auto c = ice_credentials(*sdp, 0);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->ufrag, "abcd");
}
