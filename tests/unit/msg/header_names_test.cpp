// Header-name classification (core/msg/header_names.hpp, header_classify.hpp):
// RFC 3261 §7.3.1 (names are case-insensitive), §7.3.3 (compact forms). The
// word-at-a-time classifier is checked against `header_name_equals` (byte-wise
// case-insensitive compare after compact-form expansion) as the oracle, both
// through `classify_header` and through the view parser's in-place path.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/msg/header_names.hpp"
#include "core/msg/message.hpp"
#include "core/msg/parser.hpp"

using namespace wwp::msg;

namespace {

const std::vector<std::pair<HeaderId, std::string>> kIds = {
    {HeaderId::Via, "Via"},
    {HeaderId::From, "From"},
    {HeaderId::To, "To"},
    {HeaderId::CallId, "Call-ID"},
    {HeaderId::CSeq, "CSeq"},
    {HeaderId::ContentLength, "Content-Length"},
    {HeaderId::ContentType, "Content-Type"},
    {HeaderId::Contact, "Contact"},
    {HeaderId::MaxForwards, "Max-Forwards"},
    {HeaderId::Route, "Route"},
    {HeaderId::RecordRoute, "Record-Route"},
};

// The oracle: the first id whose canonical name matches, else Other.
HeaderId reference_id(std::string_view name) {
  for (const auto& [id, canonical] : kIds)
    if (header_name_equals(name, canonical)) return id;
  return HeaderId::Other;
}

// Names that must classify exactly like the oracle: every id in several
// casings, compact forms, and near misses of each (one byte changed, one
// byte more or less, bytes that `| 0x20` would fold onto a letter or "-").
std::vector<std::string> names_to_check() {
  std::vector<std::string> out;
  for (const auto& [id, n] : kIds) {
    std::string lower, upper;
    for (char c : n) {
      lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
      upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    }
    for (const std::string& v : {n, lower, upper}) {
      out.push_back(v);
      out.push_back(v + "x");
      out.push_back(v.substr(0, v.size() - 1));
      out.push_back("x" + v);
      for (std::size_t i = 0; i < v.size(); ++i)
        for (char r : {'_', '.', '!', '~', 'x', '\r', '\x0d', '@', '[', '`', '{', '\x7f', '\xc3', '\0'}) {
          std::string m = v;
          m[i] = r;
          out.push_back(m);
          m[i] = static_cast<char>(v[i] ^ 0x80);
          out.push_back(m);
        }
    }
  }
  for (int c = 0; c < 256; ++c) out.push_back(std::string(1, static_cast<char>(c)));
  out.push_back("");
  out.push_back("Content-Lengthxx");
  out.push_back("Content-Length-Extra");
  out.push_back("Max-Forwards-Max-Forwards");
  return out;
}

}  // namespace

TEST(MsgHeaderNames, long_and_compact_names_in_any_case_rfc3261_7_3_1_and_7_3_3) {
  for (const auto& [id, n] : kIds) EXPECT_EQ(classify_header(n), id) << n;
  EXPECT_EQ(classify_header("CALL-ID"), HeaderId::CallId);
  EXPECT_EQ(classify_header("call-id"), HeaderId::CallId);
  EXPECT_EQ(classify_header("content-LENGTH"), HeaderId::ContentLength);
  EXPECT_EQ(classify_header("max-FORWARDS"), HeaderId::MaxForwards);
  const std::pair<char, HeaderId> compact[] = {
      {'i', HeaderId::CallId}, {'m', HeaderId::Contact}, {'l', HeaderId::ContentLength},
      {'c', HeaderId::ContentType}, {'f', HeaderId::From}, {'t', HeaderId::To}, {'v', HeaderId::Via}};
  for (const auto& [c, id] : compact) {
    EXPECT_EQ(classify_header(std::string(1, c)), id) << c;
    EXPECT_EQ(classify_header(std::string(1, static_cast<char>(c - 32))), id) << c;
  }
  // Compact forms of headers without an id stay Other (§7.3.3 "e", "s", "k").
  EXPECT_EQ(classify_header("e"), HeaderId::Other);
  EXPECT_EQ(classify_header("k"), HeaderId::Other);
  EXPECT_EQ(classify_header("User-Agent"), HeaderId::Other);
}

TEST(MsgHeaderNames, classify_matches_bytewise_case_insensitive_oracle) {
  for (const std::string& n : names_to_check())
    EXPECT_EQ(classify_header(n), reference_id(n)) << "name bytes: " << ::testing::PrintToString(n);
}

// The parser classifies names in place (16-byte loads) when enough input
// follows, and through classify_header near the end of the input: every
// token name must get the oracle's id on both paths.
TEST(MsgHeaderNames, parser_assigns_oracle_id_near_and_far_from_input_end_rfc3261_7_3_1) {
  int checked = 0;
  for (const std::string& n : names_to_check()) {
    bool token = !n.empty();
    for (char c : n) {
      const auto u = static_cast<unsigned char>(c);
      const bool alnum = (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z');
      if (!alnum && std::string_view("-.!%*_+`'~").find(c) == std::string_view::npos) token = false;
    }
    if (!token) continue;
    for (const std::string& tail : {std::string("\r\n\r\n"), std::string("\r\n") + std::string(40, 'X') + ": y\r\n\r\n"}) {
      const std::string msg = "OPTIONS sip:a@b SIP/2.0\r\n" + n + ":0\r\n" + tail.substr(2);
      auto r = parse_view(msg);
      ASSERT_TRUE(r.ok()) << msg;
      ASSERT_GE(r->headers.size(), 1u);
      EXPECT_EQ(r->headers[0].name, n);
      EXPECT_EQ(r->headers[0].id, reference_id(n)) << msg;
      ++checked;
    }
  }
  EXPECT_GT(checked, 500);
}
