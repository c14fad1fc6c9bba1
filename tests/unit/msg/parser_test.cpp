// Message parser (core/msg/parser.hpp): RFC 3261 §7 (message format),
// §7.3.1 (folding, HCOLON), §7.3.3 (compact forms), §7.5 (keep-alive CRLF),
// §18.3 (Content-Length framing), §20.14 (Content-Length), §25.1 (ABNF).
#include "core/msg/parser.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

using namespace wwp::msg;

namespace {

const std::string kInvite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/WSS client.invalid;branch=z9hG4bK74bf9\r\n"
    "Max-Forwards: 70\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 1 INVITE\r\n"
    "Contact: <sip:alice@client.invalid;transport=ws>\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";

ParseErrorCode code_of(std::string_view s, const ParseLimits& l = {}) {
  auto r = parse_view(s, l);
  EXPECT_FALSE(r.ok()) << s;
  return r.ok() ? ParseErrorCode::BadHeader : r.error().code;
}

}  // namespace

TEST(MsgParser, request_line_parts_rfc3261_7_1) {
  auto r = parse_view(kInvite);
  ASSERT_TRUE(r.ok()) << to_string(r.error());
  EXPECT_TRUE(r->is_request());
  EXPECT_EQ(r->method, "INVITE");
  EXPECT_EQ(r->request_uri, "sip:bob@biloxi.example.com");
  EXPECT_EQ(r->version, "SIP/2.0");
  EXPECT_EQ(r->headers.size(), 9u);
  EXPECT_EQ(r->body, "v=0\n");
  EXPECT_EQ(r->size, kInvite.size());
  ASSERT_NE(r->find(HeaderId::CallId), nullptr);
  EXPECT_EQ(r->find(HeaderId::CallId)->value, "3848276298220188511@atlanta.example.com");
  EXPECT_EQ(r->find("max-forwards")->value, "70");
}

TEST(MsgParser, status_line_parts_rfc3261_7_2) {
  auto r = parse_view("SIP/2.0 180 Ringing\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->is_response());
  EXPECT_EQ(r->status, 180);
  EXPECT_EQ(r->reason, "Ringing");
  EXPECT_EQ(r->body, "");
}

TEST(MsgParser, sip_version_is_case_insensitive_rfc3261_7_1) {
  EXPECT_TRUE(parse_view("OPTIONS sip:a@b sip/2.0\r\nContent-Length: 0\r\n\r\n").ok());
  EXPECT_TRUE(parse_view("sip/2.0 200 OK\r\nContent-Length: 0\r\n\r\n").ok());
  EXPECT_EQ(code_of("OPTIONS sip:a@b SIP/3.0\r\n\r\n"), ParseErrorCode::BadVersion);
  EXPECT_EQ(code_of("SIP/1.0 200 OK\r\n\r\n"), ParseErrorCode::BadVersion);
}

TEST(MsgParser, status_code_must_be_3_digits_100_to_699_rfc3261_7_2) {
  EXPECT_EQ(code_of("SIP/2.0 99 Hmm\r\n\r\n"), ParseErrorCode::BadStatus);
  EXPECT_EQ(code_of("SIP/2.0 700 Hmm\r\n\r\n"), ParseErrorCode::BadStatus);
  EXPECT_EQ(code_of("SIP/2.0 099 Hmm\r\n\r\n"), ParseErrorCode::BadStatus);
  EXPECT_EQ(code_of("SIP/2.0 2000 OK\r\n\r\n"), ParseErrorCode::BadStatus);
  EXPECT_EQ(code_of("SIP/2.0 2x0 OK\r\n\r\n"), ParseErrorCode::BadStatus);
  EXPECT_TRUE(parse_view("SIP/2.0 699 Whatever\r\n\r\n").ok());
}

TEST(MsgParser, empty_reason_phrase_is_valid_rfc3261_25_1) {
  auto r = parse_view("SIP/2.0 100 \r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->reason, "");
}

TEST(MsgParser, method_must_be_token_rfc3261_25_1) {
  EXPECT_EQ(code_of("INV(ITE sip:a@b SIP/2.0\r\n\r\n"), ParseErrorCode::BadMethod);
  EXPECT_TRUE(parse_view("NEWMETHOD sip:a@b SIP/2.0\r\nl: 0\r\n\r\n").ok());
}

TEST(MsgParser, request_uri_must_have_scheme_and_no_lws_rfc3261_7_1) {
  EXPECT_EQ(code_of("INVITE <sip:a@b> SIP/2.0\r\n\r\n"), ParseErrorCode::BadRequestUri);
  EXPECT_EQ(code_of("INVITE sip:a@b; lr SIP/2.0\r\n\r\n"), ParseErrorCode::BadStartLine);
  EXPECT_EQ(code_of("INVITE  sip:a@b SIP/2.0\r\n\r\n"), ParseErrorCode::BadStartLine);
  EXPECT_EQ(code_of("INVITE sip:a@b SIP/2.0 \r\n\r\n"), ParseErrorCode::BadStartLine);
  EXPECT_EQ(code_of("INVITE SIP/2.0\r\n\r\n"), ParseErrorCode::BadStartLine);
  EXPECT_EQ(code_of("INVITE nocolon SIP/2.0\r\n\r\n"), ParseErrorCode::BadRequestUri);
}

TEST(MsgParser, hcolon_allows_whitespace_before_colon_rfc3261_7_3_1) {
  auto r = parse_view("OPTIONS sip:a@b SIP/2.0\r\nVia  :  x\r\nTo\t:y\r\nCSeq:1 OPTIONS\r\n\r\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->headers.size(), 3u);
  EXPECT_EQ(r->headers[0].name, "Via");
  EXPECT_EQ(r->headers[0].value, "x");
  EXPECT_EQ(r->headers[1].name, "To");
  EXPECT_EQ(r->headers[1].value, "y");
  EXPECT_EQ(r->headers[2].value, "1 OPTIONS");
}

TEST(MsgParser, folded_value_becomes_one_SP_rfc3261_7_3_1) {
  const std::string s =
      "BYE sip:a@b SIP/2.0\r\nSubject: call ended by  \r\n   the remote\r\n\tparty\r\nl: 0\r\n\r\n";
  auto v = parse_view(s);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->headers[0].folded);
  auto m = parse(s);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->get("Subject").value(), "call ended by the remote party");
}

TEST(MsgParser, lf_only_line_endings_tolerated_rfc3261_7) {
  auto m = parse("MESSAGE sip:a@b SIP/2.0\nCall-ID: x\nContent-Length: 2\n\nhi");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->get("call-id").value(), "x");
  EXPECT_EQ(m->body(), "hi");
}

TEST(MsgParser, leading_crlf_keepalives_skipped_rfc3261_7_5) {
  auto r = parse_view("\r\n\r\nOPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->offset, 4u);
  EXPECT_EQ(r->method, "OPTIONS");
  EXPECT_EQ(code_of("\r\n\r\n"), ParseErrorCode::Empty);
}

TEST(MsgParser, compact_form_i_is_Call_ID_rfc3261_7_3_3) {
  auto m = parse("OPTIONS sip:a@b SIP/2.0\r\ni: abc\r\nl: 0\r\n\r\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->get("Call-ID").value(), "abc");
  EXPECT_EQ(m->get("CALL-id").value(), "abc");
  EXPECT_EQ(m->headers()[0].name, "i");  // wire spelling kept
}

TEST(MsgParser, all_compact_forms_map_to_long_names_rfc3261_7_3_3) {
  const std::pair<const char*, const char*> pairs[] = {
      {"i", "Call-ID"}, {"m", "Contact"}, {"e", "Content-Encoding"}, {"l", "Content-Length"},
      {"c", "Content-Type"}, {"f", "From"}, {"s", "Subject"}, {"k", "Supported"},
      {"t", "To"}, {"v", "Via"}, {"o", "Event"}, {"u", "Allow-Events"},
      {"r", "Refer-To"}, {"b", "Referred-By"}, {"x", "Session-Expires"}, {"y", "Identity"},
      {"a", "Accept-Contact"}};
  for (auto [c, l] : pairs) {
    EXPECT_TRUE(header_name_equals(c, l)) << c;
    EXPECT_TRUE(header_name_equals(std::string(1, static_cast<char>(c[0] - 32)), l)) << c;
    EXPECT_EQ(expand_compact_name(c), l);
  }
  EXPECT_FALSE(header_name_equals("q", "Call-ID"));
}

TEST(MsgParser, content_length_counts_bytes_not_chars_rfc3261_20_14) {
  const std::string body = "Gr\xC3\xBC\xC3\x9F" "e \xF0\x9F\x91\x8B";  // "Grüße 👋" = 12 bytes (8 chars)
  const std::string s = "MESSAGE sip:a@b SIP/2.0\r\nl: 12\r\n\r\n" + body + "EXTRA";
  auto r = parse_view(s);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, body);
  EXPECT_EQ(r->size, s.size() - 5);
}

TEST(MsgParser, body_shorter_than_content_length_is_incomplete_rfc3261_18_3) {
  auto r = parse_view("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 10\r\n\r\nshort");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ParseErrorCode::Incomplete);
  EXPECT_EQ(r.error().needed, 57u);  // 47 header bytes + 10
}

TEST(MsgParser, no_content_length_on_a_frame_takes_rest_as_body_rfc3261_18_3) {
  auto r = parse_view("MESSAGE sip:a@b SIP/2.0\r\nTo: x\r\n\r\nall of it");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "all of it");
  ParseLimits l;
  l.require_content_length = true;
  EXPECT_EQ(code_of("MESSAGE sip:a@b SIP/2.0\r\nTo: x\r\n\r\nall", l),
            ParseErrorCode::MissingContentLength);
}

TEST(MsgParser, bad_content_length_values_rfc3261_20_14) {
  EXPECT_EQ(code_of("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: -1\r\n\r\n"), ParseErrorCode::BadContentLength);
  EXPECT_EQ(code_of("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 1x\r\n\r\n"), ParseErrorCode::BadContentLength);
  EXPECT_EQ(code_of("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: \r\n\r\n"), ParseErrorCode::BadContentLength);
  EXPECT_EQ(code_of("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
            ParseErrorCode::BadContentLength);
  EXPECT_EQ(code_of("MESSAGE sip:a@b SIP/2.0\r\nl: 0\r\nContent-Length: 3\r\n\r\nabc"),
            ParseErrorCode::BadContentLength);
  EXPECT_TRUE(parse_view("MESSAGE sip:a@b SIP/2.0\r\nl: 3\r\nContent-Length: 3\r\n\r\nabc").ok());
}

TEST(MsgParser, header_without_colon_or_token_name_is_bad_header_rfc3261_7_3) {
  EXPECT_EQ(code_of("OPTIONS sip:a@b SIP/2.0\r\nNoColon\r\n\r\n"), ParseErrorCode::BadHeader);
  EXPECT_EQ(code_of("OPTIONS sip:a@b SIP/2.0\r\n: novalue\r\n\r\n"), ParseErrorCode::BadHeader);
  EXPECT_EQ(code_of("OPTIONS sip:a@b SIP/2.0\r\nBad Name: v\r\n\r\n"), ParseErrorCode::BadHeader);
  EXPECT_EQ(code_of("OPTIONS sip:a@b SIP/2.0\r\n continuation: first\r\n\r\n"), ParseErrorCode::BadHeader);
}

TEST(MsgParser, limits_each_have_their_own_code) {
  ParseLimits l;
  l.max_message_size = 100;
  std::string big = "MESSAGE sip:a@b SIP/2.0\r\nl: 200\r\n\r\n" + std::string(200, 'x');
  EXPECT_EQ(code_of(big, l), ParseErrorCode::TooLarge);
  std::string nocl = "MESSAGE sip:a@b SIP/2.0\r\nTo: a\r\n\r\n" + std::string(200, 'x');
  EXPECT_EQ(code_of(nocl, l), ParseErrorCode::TooLarge);
  std::string longhdrs = "MESSAGE sip:a@b SIP/2.0\r\n";
  for (int i = 0; i < 20; ++i) longhdrs += "X-H: 1234567890\r\n";
  EXPECT_EQ(code_of(longhdrs, l), ParseErrorCode::TooLarge);

  ParseLimits h;
  h.max_headers = 3;
  EXPECT_EQ(code_of("OPTIONS sip:a@b SIP/2.0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", h),
            ParseErrorCode::TooManyHeaders);
  EXPECT_TRUE(parse_view("OPTIONS sip:a@b SIP/2.0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", h).ok());

  ParseLimits ll;
  ll.max_line_length = 40;
  EXPECT_EQ(code_of("OPTIONS sip:a@b SIP/2.0\r\nSubject: " + std::string(50, 'y') + "\r\n\r\n", ll),
            ParseErrorCode::LineTooLong);
  EXPECT_EQ(code_of("OPTIONS sip:a@b SIP/2.0\r\nSubject: " + std::string(50, 'y'), ll),
            ParseErrorCode::LineTooLong);
  EXPECT_EQ(code_of("OPTIONS sip:" + std::string(50, 'u') + "@b SIP/2.0\r\n\r\n", ll),
            ParseErrorCode::LineTooLong);
}

TEST(MsgParser, default_limits_are_128k_128_headers_64k_lines) {
  ParseLimits l;
  EXPECT_EQ(l.max_message_size, 131072u);
  EXPECT_EQ(l.max_headers, 128u);
  EXPECT_EQ(l.max_line_length, 65536u);
  std::string s = "OPTIONS sip:a@b SIP/2.0\r\n";
  for (int i = 0; i < 129; ++i) s += "X: 1\r\n";
  s += "\r\n";
  EXPECT_EQ(code_of(s), ParseErrorCode::TooManyHeaders);
}

// Issue #18: each default limit at its boundary: limit - 1 and limit parse,
// limit + 1 gets the limit's own code.
TEST(MsgParser, default_limits_hold_at_their_boundaries) {
  const ParseLimits d;
  auto with_line = [](std::size_t n) {  // one header line of exactly n octets, CRLF excluded
    return "OPTIONS sip:a@b SIP/2.0\r\nSubject: " + std::string(n - 9, 'y') + "\r\nContent-Length: 0\r\n\r\n";
  };
  auto with_size = [](std::size_t n) {  // start line to end of body: exactly n octets
    const std::string head = "MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 000000\r\n\r\n";
    std::string cl = std::to_string(n - head.size());
    cl.insert(0, 6 - cl.size(), '0');
    return "MESSAGE sip:a@b SIP/2.0\r\nContent-Length: " + cl + "\r\n\r\n" + std::string(n - head.size(), 'x');
  };
  auto with_headers = [](std::size_t n) {  // n header fields
    std::string s = "OPTIONS sip:a@b SIP/2.0\r\n";
    for (std::size_t i = 1; i < n; ++i) s += "X: 1\r\n";
    return s + "Content-Length: 0\r\n\r\n";
  };
  struct Case {
    const char* limit;
    std::function<std::string(std::size_t)> make;
    std::size_t at;
    ParseErrorCode over;
  };
  const Case cases[] = {
      {"max_line_length", with_line, d.max_line_length, ParseErrorCode::LineTooLong},
      {"max_message_size", with_size, d.max_message_size, ParseErrorCode::TooLarge},
      {"max_headers", with_headers, d.max_headers, ParseErrorCode::TooManyHeaders},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.limit);
    for (std::size_t n : {c.at - 1, c.at}) {
      const std::string m = c.make(n);
      auto r = parse_view(m);
      ASSERT_TRUE(r.ok()) << n << ": " << to_string(r.error());
      EXPECT_EQ(r->size, m.size());
    }
    EXPECT_EQ(code_of(c.make(c.at + 1)), c.over);
  }
  EXPECT_EQ(with_size(1000).size(), 1000u);  // the builders make what they say
  EXPECT_EQ(with_line(100).find("\r\n", 25) - 25, 100u);
}

TEST(MsgParser, view_reuse_keeps_header_capacity) {
  MessageView v;
  ASSERT_TRUE(parse_view_into(kInvite, v).ok());
  const auto cap = v.headers.capacity();
  const auto* data = v.headers.data();
  ASSERT_TRUE(parse_view_into(kInvite, v).ok());
  EXPECT_EQ(v.headers.capacity(), cap);
  EXPECT_EQ(v.headers.data(), data);
}

TEST(MsgParser, every_prefix_is_incomplete_or_error_never_crash_rfc3261_18_3) {
  for (std::size_t n = 0; n < kInvite.size(); ++n) {
    auto r = parse_view(std::string_view(kInvite).substr(0, n));
    ASSERT_FALSE(r.ok()) << n;
  }
  EXPECT_TRUE(parse_view(kInvite).ok());
}

TEST(MsgParser, error_codes_have_names_and_status_hints_house_style_12) {
  EXPECT_EQ(to_string(ParseErrorCode::Incomplete), "incomplete");
  EXPECT_EQ(to_string(ParseError{ParseErrorCode::BadStatus, 8, 0}), "bad-status at byte 8");
  EXPECT_EQ(status_hint(ParseErrorCode::BadHeader), 400);
  EXPECT_EQ(status_hint(ParseErrorCode::TooLarge), 513);
  EXPECT_EQ(status_hint(ParseErrorCode::Incomplete), 0);
}

// The Request-URI is checked eight bytes at a time: a CTL (or DEL) at any
// offset must give the same error and offset as a byte-by-byte scan, an SP
// inside it must still be BadStartLine (RFC 4475 §3.1.2.7 lwsruri), and
// bytes >= 0x80 are left to the URI parser (§25.1 defines no CTL above 0x7f).
TEST(MsgParser, request_uri_ctl_at_every_offset_rfc3261_25_1) {
  const std::string head = "INVITE ";
  const std::string uri = "sip:" + std::string(37, 'a') + "@biloxi.example.com;transport=ws";
  const std::string tail = " SIP/2.0\r\nContent-Length: 0\r\n\r\n";
  for (std::size_t i = 4; i < uri.size(); ++i) {
    for (char bad : {'\x01', '\t', '\x1f', '\x7f', '\0'}) {
      std::string u = uri;
      u[i] = bad;
      auto r = parse_view(head + u + tail);
      ASSERT_FALSE(r.ok()) << i;
      // A CTL other than HTAB is refused wherever it stands in a line
      // (BadChar, parser_grammar_test.cpp); HTAB is only not URI text.
      EXPECT_EQ(r.error().code, bad == '\t' ? ParseErrorCode::BadRequestUri : ParseErrorCode::BadChar) << i;
      EXPECT_EQ(r.error().offset, head.size() + i) << i;
    }
    std::string sp = uri;
    sp[i] = ' ';
    auto r = parse_view(head + sp + tail);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ParseErrorCode::BadStartLine) << i;
    EXPECT_EQ(r.error().offset, head.size()) << i;
    std::string high = uri;
    high[i] = '\xc3';
    const std::string msg = head + high + tail;  // views point into it
    auto ok = parse_view(msg);
    ASSERT_TRUE(ok.ok()) << i;
    EXPECT_EQ(ok->request_uri, high);
  }
  // A CTL before an SP in the same URI: the CTL (BadChar at its offset);
  // an HTAB before an SP: the SP (BadStartLine).
  auto r = parse_view(head + "sip:a\x01" "b c" + tail);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ParseErrorCode::BadChar);
  EXPECT_EQ(r.error().offset, head.size() + 5);
  r = parse_view(head + "sip:a\tb c" + tail);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ParseErrorCode::BadStartLine);
}

// Line ends are found sixteen bytes at a time: every value length and
// every alignment of the LF must give the same header value.
TEST(MsgParser, header_value_of_every_length_rfc3261_7_3) {
  for (std::size_t pad = 0; pad < 16; ++pad)
    for (std::size_t len = 0; len < 70; ++len) {
      const std::string value(len, 'v');
      const std::string msg = "OPTIONS sip:" + std::string(pad + 1, 'p') + "@b SIP/2.0\r\nSubject: " +
                              value + "\r\nX: " + value + "\nContent-Length: 0\r\n\r\n";
      auto r = parse_view(msg);
      ASSERT_TRUE(r.ok()) << msg;
      ASSERT_EQ(r->headers.size(), 3u);
      EXPECT_EQ(r->headers[0].value, value);
      EXPECT_EQ(r->headers[1].value, value);
    }
}
