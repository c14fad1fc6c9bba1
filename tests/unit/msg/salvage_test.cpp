// salvage_reply_headers (core/msg/salvage.hpp): what a reply to a refused
// request may be built from (RFC 3261 §8.2.6.2: Via, From, To, Call-ID, CSeq).
#include "core/msg/salvage.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace wwp::msg;

namespace {

const std::string kHeaders =
    "Via: SIP/2.0/WSS a.invalid;branch=z9hG4bK1\r\n"
    "Via: SIP/2.0/WSS b.invalid;branch=z9hG4bK2\r\n"
    "From: <sip:a@b>;tag=f\r\n"
    "To: <sip:c@d>\r\n"
    "Call-ID: salvage-1\r\n"
    "CSeq: 3 INVITE\r\n";

std::optional<Message> salvage(const std::string& s) { return salvage_reply_headers(s, 1 << 20); }

}  // namespace

TEST(MsgSalvage, the_five_reply_headers_are_kept_in_order_rfc3261_8_2_6_2) {
  auto m = salvage("INVITE sip:a@b SIP/3.0\r\n" + kHeaders + std::string("Subject: x\0y\r\n\r\n", 16));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->method(), "INVITE");
  EXPECT_EQ(m->get_all("Via").size(), 2u);
  EXPECT_EQ(*m->get("Call-ID"), "salvage-1");
  EXPECT_EQ(*m->get("CSeq"), "3 INVITE");
  EXPECT_FALSE(m->has("Subject"));
}

TEST(MsgSalvage, other_lines_are_skipped_whatever_they_hold) {
  const std::string junk("X-Junk: a\0b\rVia: evil\r\n", 23);
  auto m = salvage("OPTIONS sip:a@b SIP/2.0\r\n" + junk + kHeaders + "\r\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->get_all("Via").size(), 2u);  // not the smuggled one
}

TEST(MsgSalvage, nothing_to_reply_to) {
  struct Case {
    const char* why;
    std::string frame;
  };
  std::string nul_call_id = kHeaders;
  nul_call_id.replace(nul_call_id.find("salvage-1"), 9, std::string("salv\0ge-1", 9));
  std::string cr_from = kHeaders;
  cr_from.replace(cr_from.find(";tag=f"), 6, ";tag=f\rX");
  std::string no_to = kHeaders;
  no_to.erase(no_to.find("To: "), 15);
  std::string bad_cseq = kHeaders;
  bad_cseq.replace(bad_cseq.find("3 INVITE"), 8, "x INVITE");
  std::string ack_cseq = kHeaders;
  ack_cseq.replace(ack_cseq.find("3 INVITE"), 8, "3 ACK");
  std::string folded_via = kHeaders;
  folded_via.replace(folded_via.find(";branch=z9hG4bK1"), 0, "\r\n ");
  const Case cases[] = {
      {"a response is never answered", "SIP/2.0 200 OK\r\n" + kHeaders + "\r\n"},
      {"an ACK is never answered", "ACK sip:a@b SIP/2.0\r\n" + kHeaders + "\r\n"},
      {"CSeq method ACK", "INVITE sip:a@b SIP/2.0\r\n" + ack_cseq + "\r\n"},
      {"NUL in Call-ID: never echoed", "INVITE sip:a@b SIP/2.0\r\n" + nul_call_id + "\r\n"},
      {"bare CR in From: never echoed", "INVITE sip:a@b SIP/2.0\r\n" + cr_from + "\r\n"},
      {"no To", "INVITE sip:a@b SIP/2.0\r\n" + no_to + "\r\n"},
      {"CSeq does not parse", "INVITE sip:a@b SIP/2.0\r\n" + bad_cseq + "\r\n"},
      {"a folded Via", "INVITE sip:a@b SIP/2.0\r\n" + folded_via + "\r\n"},
      {"no request line", "INVITE\r\n" + kHeaders + "\r\n"},
      {"method not a token", "INV(ITE sip:a@b SIP/2.0\r\n" + kHeaders + "\r\n"},
      {"only CRLFs", "\r\n\r\n"},
  };
  for (const Case& c : cases) EXPECT_FALSE(salvage(c.frame)) << c.why;
}

TEST(MsgSalvage, reads_at_most_max_bytes) {
  const std::string frame = "INVITE sip:a@b SIP/2.0\r\n" + kHeaders + "\r\n";
  EXPECT_TRUE(salvage_reply_headers(frame, frame.size()));
  EXPECT_FALSE(salvage_reply_headers(frame, frame.size() - 20));  // CSeq cut off
}
