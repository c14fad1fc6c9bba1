// The SDP inside a SIP body (core/sdp/sdp_body.hpp): the body itself, or the
// application/sdp part of a multipart body (RFC 2046 §5.1, RFC 5621), as a
// SIP-I/SIP-T gateway sends it beside ISUP (RFC 3204).
#include "core/sdp/sdp_body.hpp"

#include <gtest/gtest.h>

#include <string>

using wwp::sdp::sdp_body;

namespace {

const std::string kSdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\n";

// RFC 3204 §5-shaped: SDP, then ISUP marked optional; preamble and epilogue.
std::string sip_t(std::string_view boundary, std::string_view nl = "\r\n") {
  std::string b = "This is a preamble." + std::string(nl);
  b += "--" + std::string(boundary) + std::string(nl);
  b += "Content-Type: application/sdp" + std::string(nl) + std::string(nl);
  b += kSdp;  // ends in CRLF: that line break is the SDP's own
  b += std::string(nl) + "--" + std::string(boundary) + std::string(nl);
  b += "Content-Type: application/ISUP; version=itu-t92+" + std::string(nl);
  b += "Content-Disposition: signal; handling=optional" + std::string(nl) + std::string(nl);
  b += std::string("\x01\x00\x49\x00\x00\x03\x02\x00\x07", 9);
  b += std::string(nl) + "--" + std::string(boundary) + "--" + std::string(nl) + "epilogue";
  return b;
}

}  // namespace

TEST(SdpBody, application_sdp_or_no_type_is_the_whole_body_and_no_body_is_empty) {
  EXPECT_EQ(sdp_body("application/sdp", kSdp), kSdp);
  EXPECT_EQ(sdp_body("Application/SDP; charset=utf-8", kSdp), kSdp);  // §7.3.1: case-insensitive
  EXPECT_EQ(sdp_body("", kSdp), kSdp);
  EXPECT_EQ(sdp_body("application/sdp", ""), "");
  EXPECT_EQ(sdp_body("text/plain", ""), "");  // no body: nothing to refuse
}

TEST(SdpBody, another_type_is_unreadable_rfc3261_8_2_3) {
  EXPECT_EQ(sdp_body("text/plain", "hello"), std::nullopt);
  EXPECT_EQ(sdp_body("application/isup", "\x01\x02"), std::nullopt);
  EXPECT_EQ(sdp_body("not a media type", kSdp), std::nullopt);
}

TEST(SdpBody, the_sdp_part_of_multipart_mixed_rfc2046_5_1_rfc3204) {
  EXPECT_EQ(sdp_body("multipart/mixed; boundary=unique-boundary-1", sip_t("unique-boundary-1")), kSdp);
  // Quoted boundary with characters a token cannot hold (RFC 2046 §5.1.1).
  EXPECT_EQ(sdp_body("multipart/mixed;boundary=\"a b:c\"", sip_t("a b:c")), kSdp);
  // Bare LF line breaks are tolerated.
  EXPECT_EQ(sdp_body("multipart/mixed; boundary=xyz", sip_t("xyz", "\n")), kSdp);
  // multipart/alternative and /related carry it the same way.
  EXPECT_EQ(sdp_body("Multipart/Alternative; boundary=xyz", sip_t("xyz")), kSdp);
}

TEST(SdpBody, the_sdp_part_may_come_second_and_boundary_text_inside_a_part_is_not_a_delimiter) {
  const std::string b =
      "--B\r\nContent-Type: text/plain\r\n\r\nsee --B in the middle, and\r\n --B not at the start\r\n"
      "--B\r\ncontent-type: application/sdp\r\n\r\n" + kSdp + "\r\n--B--\r\n";
  EXPECT_EQ(sdp_body("multipart/mixed; boundary=B", b), kSdp);
  // Transport padding after a delimiter (RFC 2046 §5.1.1).
  const std::string padded = "--B \t\r\nContent-Type: application/sdp\r\n\r\n" + kSdp + "\r\n--B-- \r\n";
  EXPECT_EQ(sdp_body("multipart/mixed; boundary=B", padded), kSdp);
}

TEST(SdpBody, a_required_part_we_do_not_read_makes_the_body_unreadable_rfc5621_3_2) {
  std::string b = sip_t("B");
  b.replace(b.find("handling=optional"), 17, "handling=required");
  EXPECT_EQ(sdp_body("multipart/mixed; boundary=B", b), std::nullopt);
  // Without a handling parameter the part is taken as optional.
  std::string plain = sip_t("B");
  plain.replace(plain.find("; handling=optional"), 19, "");
  EXPECT_EQ(sdp_body("multipart/mixed; boundary=B", plain), kSdp);
}

TEST(SdpBody, malformed_multiparts_are_unreadable_never_a_guess) {
  const std::string b = sip_t("B");
  EXPECT_EQ(sdp_body("multipart/mixed", b), std::nullopt);                          // no boundary
  EXPECT_EQ(sdp_body("multipart/mixed; boundary=\"\"", b), std::nullopt);           // empty boundary
  EXPECT_EQ(sdp_body("multipart/mixed; boundary=" + std::string(71, 'x'), b), std::nullopt);  // > 70
  EXPECT_EQ(sdp_body("multipart/mixed; boundary=other", b), std::nullopt);          // no delimiter at all
  EXPECT_EQ(sdp_body("multipart/mixed; boundary=B", b.substr(0, b.find("--B--"))), std::nullopt);  // truncated
  EXPECT_EQ(sdp_body("multipart/mixed; boundary=B", "--B--\r\n"), std::nullopt);   // only a closing delimiter
  // No application/sdp part.
  EXPECT_EQ(sdp_body("multipart/mixed; boundary=B", "--B\r\nContent-Type: text/plain\r\n\r\nhi\r\n--B--"), std::nullopt);
  // An empty application/sdp part is no SDP (the body is there: not "no body").
  EXPECT_EQ(sdp_body("multipart/mixed; boundary=B", "--B\r\nContent-Type: application/sdp\r\n\r\n\r\n--B--"), std::nullopt);
  EXPECT_EQ(sdp_body("multipart/mixed; boundary=B", "--B\r\nContent-Type: application/sdp\r\n--B--"), std::nullopt);
  // A part without headers is text/plain (RFC 2046 §5.1), not SDP.
  EXPECT_EQ(sdp_body("multipart/mixed; boundary=B", "--B\r\n\r\n" + kSdp + "\r\n--B--"), std::nullopt);
}
