// Which octets the message layer accepts where, one table per grammar rule
// of RFC 3261 §25.1 (with RFC 5234's core rules: CTL = %x00-1F / %x7F,
// VCHAR = %x21-7E, HTAB, SP), and each resource limit at limit-1, limit and
// limit+1 (core/msg/parser.hpp ParseLimits).
//
// Every table walks all 256 octets through one position of an otherwise
// valid message and states, from the RFC's rule, whether that octet is legal
// there. An illegal CTL must be refused with `BadChar` naming its offset:
// a NUL or a bare CR must never reach a header value (header injection and
// request smuggling: a peer that ends lines at CR reads a second header).
#include <gtest/gtest.h>

#include <string>

#include "core/msg/header_fields.hpp"
#include "core/msg/parser.hpp"
#include "core/msg/uri.hpp"

using namespace wwp::msg;

namespace {

// RFC 5234 B.1.
bool is_ctl(int o) { return o <= 0x1f || o == 0x7f; }
bool is_alnum(int o) { return (o >= '0' && o <= '9') || (o >= 'a' && o <= 'z') || (o >= 'A' && o <= 'Z'); }
bool in(int o, std::string_view set) { return o < 0x80 && set.find(static_cast<char>(o)) != std::string_view::npos; }
// §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
bool is_token_char(int o) { return is_alnum(o) || in(o, "-.!%*_+`'~"); }
// §25.1 header values are built from TEXT-UTF8char (%x21-7E / UTF8-NONASCII),
// LWS (SP, HTAB, folds), token, separators and quoted-string: every octet
// that is not a CTL, plus HTAB.
bool is_value_octet(int o) { return o == '\t' || !is_ctl(o); }

std::string with_octet(std::string s, std::size_t at, int o) {
  s[at] = static_cast<char>(o);
  return s;
}

std::string octet_name(int o) {
  static const char* hex = "0123456789abcdef";
  return std::string("octet 0x") + hex[o >> 4] + hex[o & 15];
}

}  // namespace

// --- header-value (§7.3, §25.1 message-header) --------------------------------

TEST(MsgGrammar, header_value_octets_rfc3261_25_1) {
  // "Subject: a?b": the octet at '?' (offset of '?' in the frame).
  const std::string tmpl = "MESSAGE sip:a@b SIP/2.0\r\nSubject: a?b\r\nl: 0\r\n\r\n";
  const std::size_t at = tmpl.find('?');
  for (int o = 0; o < 256; ++o) {
    if (o == '\n') continue;  // ends the line: the next table
    SCOPED_TRACE(octet_name(o));
    const std::string s = with_octet(tmpl, at, o);
    auto r = parse_view(s);
    if (is_value_octet(o)) {
      ASSERT_TRUE(r.ok()) << to_string(r.error());
      EXPECT_EQ(r->headers[0].value, s.substr(at - 1, 3));
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().code, ParseErrorCode::BadChar);
      EXPECT_EQ(r.error().offset, at);
      EXPECT_EQ(status_hint(r.error().code), 400);
    }
  }
}

TEST(MsgGrammar, nul_and_bare_cr_refused_wherever_they_sit_in_a_value_rfc3261_25_1) {
  // First, middle and last octet of a value, in a long value (the word-at-a-
  // time scan takes eight and sixteen bytes per step; its tail is bytewise),
  // in a folded continuation line, and a CR right before the CRLF.
  const std::string head = "MESSAGE sip:a@b SIP/2.0\r\nSubject: ";
  for (const char bad : {'\0', '\r', '\x7f', '\x1b'}) {
    for (std::size_t len : {1u, 7u, 8u, 9u, 15u, 16u, 17u, 40u}) {
      for (std::size_t k = 0; k < len; ++k) {
        std::string value(len, 'v');
        value[k] = bad;
        if (bad == '\r' && k + 1 == len) continue;  // that CR is the line's own CRLF
        const std::string s = head + value + "\r\nl: 0\r\n\r\n";
        auto r = parse_view(s);
        ASSERT_FALSE(r.ok()) << int(bad) << " at " << k << " of " << len;
        EXPECT_EQ(r.error().code, ParseErrorCode::BadChar);
        EXPECT_EQ(r.error().offset, head.size() + k);
      }
    }
    const std::string folded = head + "one\r\n two" + std::string(1, bad) + "x\r\nl: 0\r\n\r\n";
    auto r = parse_view(folded);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ParseErrorCode::BadChar);
    EXPECT_EQ(r.error().offset, folded.find("two") + 3);
  }
  // CR CR LF: the first CR is bare.
  const std::string crcrlf = head + "x\r\r\nl: 0\r\n\r\n";
  auto r = parse_view(crcrlf);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ParseErrorCode::BadChar);
  EXPECT_EQ(r.error().offset, head.size() + 1);
  // The classic smuggling shape: a bare CR hiding a second header.
  const std::string smuggle = head + "hi\rVia: SIP/2.0/WSS evil;branch=z9hG4bKx\r\nl: 0\r\n\r\n";
  r = parse_view(smuggle);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ParseErrorCode::BadChar);
  EXPECT_EQ(r.error().offset, head.size() + 2);
}

TEST(MsgGrammar, line_ends_are_crlf_or_a_tolerated_lf_rfc3261_7) {
  EXPECT_TRUE(parse_view("MESSAGE sip:a@b SIP/2.0\r\nSubject: x\r\nl: 0\r\n\r\n").ok());
  EXPECT_TRUE(parse_view("MESSAGE sip:a@b SIP/2.0\nSubject: x\nl: 0\n\n").ok());
  // An empty line that starts with a bare CR.
  auto r = parse_view("MESSAGE sip:a@b SIP/2.0\r\nl: 0\r\n\rX\r\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ParseErrorCode::BadChar);
  EXPECT_EQ(r.error().offset, 31u);
  // A CR as the very last byte may still be followed by its LF, after a
  // value and right after a name alike; the byte after it decides (the same
  // answer whole or in pieces, fuzz_message invariant 3).
  EXPECT_EQ(parse_view("MESSAGE sip:a@b SIP/2.0\r\nSubject: x\r").error().code, ParseErrorCode::Incomplete);
  EXPECT_EQ(parse_view("MESSAGE sip:a@b SIP/2.0\r\nF\r").error().code, ParseErrorCode::Incomplete);
  EXPECT_EQ(parse_view("MESSAGE sip:a@b SIP/2.0\r\nF\rrom: x\r\n\r\n").error().code, ParseErrorCode::BadChar);
  EXPECT_EQ(parse_view("MESSAGE sip:a@b SIP/2.0\r\nF\r\n\r\n").error().code, ParseErrorCode::BadHeader);
}

TEST(MsgGrammar, the_body_is_octets_and_never_checked_rfc3261_7_4) {
  const std::string body("\0\r\x01\x7f\xff", 5);
  const std::string text = "MESSAGE sip:a@b SIP/2.0\r\nl: 5\r\n\r\n" + body;  // the views point into it
  auto r = parse_view(text);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, body);
}

// --- field-name = token; HCOLON (§7.3.1, §25.1) -------------------------------

TEST(MsgGrammar, header_name_octets_are_token_rfc3261_25_1) {
  const std::string tmpl = "MESSAGE sip:a@b SIP/2.0\r\nX?Y: v\r\nl: 0\r\n\r\n";
  const std::size_t at = tmpl.find('?');
  for (int o = 0; o < 256; ++o) {
    if (o == '\n' || o == ':') continue;  // a line end; the HCOLON itself
    SCOPED_TRACE(octet_name(o));
    auto r = parse_view(with_octet(tmpl, at, o));
    if (is_token_char(o)) {
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->headers[0].name.size(), 3u);
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().code, is_ctl(o) && o != '\t' ? ParseErrorCode::BadChar : ParseErrorCode::BadHeader);
    }
    if (!r.ok() && r.error().code == ParseErrorCode::BadChar) EXPECT_EQ(r.error().offset, at);
  }
}

// --- Method = token; Request-URI (§7.1, §25.1) --------------------------------

TEST(MsgGrammar, method_octets_are_token_rfc3261_7_1) {
  const std::string tmpl = "ME?SAGE sip:a@b SIP/2.0\r\nl: 0\r\n\r\n";
  for (int o = 0; o < 256; ++o) {
    if (o == '\n' || o == ' ') continue;
    SCOPED_TRACE(octet_name(o));
    auto r = parse_view(with_octet(tmpl, 2, o));
    if (is_token_char(o)) {
      EXPECT_TRUE(r.ok());
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().code, is_ctl(o) && o != '\t' ? ParseErrorCode::BadChar : ParseErrorCode::BadMethod);
    }
  }
}

TEST(MsgGrammar, request_uri_holds_no_ctl_and_no_sp_rfc3261_7_1) {
  // The message layer checks `scheme ":" 1*(not CTL, not SP)`; the URI
  // grammar proper is parse_uri's (below).
  const std::string tmpl = "MESSAGE sip:a?b SIP/2.0\r\nl: 0\r\n\r\n";
  const std::size_t at = tmpl.find('?');
  for (int o = 0; o < 256; ++o) {
    if (o == '\n') continue;
    SCOPED_TRACE(octet_name(o));
    auto r = parse_view(with_octet(tmpl, at, o));
    if (o == ' ') {
      EXPECT_EQ(r.error().code, ParseErrorCode::BadStartLine);
    } else if (o == '\t') {
      EXPECT_EQ(r.error().code, ParseErrorCode::BadRequestUri);
    } else if (is_ctl(o)) {
      EXPECT_EQ(r.error().code, ParseErrorCode::BadChar);
      EXPECT_EQ(r.error().offset, at);
    } else {
      EXPECT_TRUE(r.ok());
    }
  }
}

TEST(MsgGrammar, reason_phrase_octets_rfc3261_25_1) {
  // Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII /
  // UTF8-CONT / SP / HTAB): no CTL but HTAB.
  const std::string tmpl = "SIP/2.0 200 O?\r\nl: 0\r\n\r\n";
  for (int o = 0; o < 256; ++o) {
    if (o == '\n') continue;
    SCOPED_TRACE(octet_name(o));
    auto r = parse_view(with_octet(tmpl, 13, o));
    if (is_value_octet(o)) {
      EXPECT_TRUE(r.ok());
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().code, ParseErrorCode::BadChar);
      EXPECT_EQ(r.error().offset, 13u);
    }
  }
}

// --- URI (§19.1.1, §25.1 SIP-URI) ---------------------------------------------

TEST(MsgGrammar, sip_uri_user_octets_rfc3261_25_1) {
  // user = 1*( unreserved / escaped / user-unreserved ); "?" and ";" are
  // user-unreserved; ":" starts the password, "@" ends the userinfo early.
  for (int o = 0; o < 256; ++o) {
    if (o == ':' || o == '@' || o == '%') continue;  // structure, not user text
    SCOPED_TRACE(octet_name(o));
    std::string s = "sip:a?b@host";
    s[5] = static_cast<char>(o);
    const bool legal = is_alnum(o) || in(o, "-_.!~*'()") || in(o, "&=+$,;?/");
    EXPECT_EQ(parse_uri(s).ok(), legal);
  }
  EXPECT_TRUE(parse_uri("sip:a%00b@host").ok());   // escaped NUL is legal (RFC 4475 escnull)
  EXPECT_FALSE(parse_uri("sip:a%0gb@host").ok());  // escaped = "%" HEXDIG HEXDIG
}

TEST(MsgGrammar, sip_uri_param_value_octets_rfc3261_25_1) {
  // pvalue = 1*paramchar; paramchar = param-unreserved / unreserved / escaped
  for (int o = 0; o < 256; ++o) {
    if (o == ';' || o == '%' || o == '@') continue;  // next parameter; escape; userinfo
    SCOPED_TRACE(octet_name(o));
    std::string s = "sip:host;p=a?b";
    s[12] = static_cast<char>(o);
    const bool legal = is_alnum(o) || in(o, "-_.!~*'()") || in(o, "[]/:&+$");
    EXPECT_EQ(parse_uri(s).ok(), legal);
  }
}

// --- quoted-string (§25.1) ----------------------------------------------------

TEST(MsgGrammar, quoted_string_qdtext_octets_rfc3261_25_1) {
  // qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
  for (int o = 0; o < 256; ++o) {
    if (o == '"' || o == '\\') continue;  // the closing quote; a quoted-pair
    SCOPED_TRACE(octet_name(o));
    std::string s = "\"a?b\" <sip:x@y>";
    s[2] = static_cast<char>(o);
    const bool legal = o == ' ' || o == '\t' || o == 0x21 || (o >= 0x23 && o <= 0x5b) || (o >= 0x5d && o <= 0x7e) ||
                       o >= 0x80;
    auto r = parse_name_addr(s);
    EXPECT_EQ(r.ok(), legal);
    if (legal && r.ok()) EXPECT_EQ(r->display_name->size(), 3u);
  }
}

TEST(MsgGrammar, quoted_pair_octets_rfc3261_25_1) {
  // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F): every ASCII octet but
  // CR and LF, control characters included (RFC 4475 §3.1.1.3 "intmeth"
  // escapes BEL, NUL and DEL in a display name).
  for (int o = 0; o < 256; ++o) {
    SCOPED_TRACE(octet_name(o));
    std::string s = "\"a\\?b\" <sip:x@y>";
    s[3] = static_cast<char>(o);
    const bool legal = o <= 0x7f && o != '\r' && o != '\n';
    auto r = parse_name_addr(s);
    EXPECT_EQ(r.ok(), legal);
    if (legal && r.ok()) EXPECT_EQ(*r->display_name, std::string("a") + static_cast<char>(o) + "b");
  }
}

TEST(MsgGrammar, a_ctl_in_a_header_value_is_legal_only_as_a_quoted_pair_rfc3261_25_1) {
  // The message layer's side of the same rule: a CTL other than HTAB may
  // stand in a header line only right after the backslash of a quoted-pair,
  // inside a quoted-string or a comment. Never CR or LF (not in quoted-pair).
  const std::string head = "MESSAGE sip:a@b SIP/2.0\r\n";
  for (int o = 0; o < 0x20; ++o) {
    if (o == '\t' || o == '\n') continue;
    SCOPED_TRACE(octet_name(o));
    const std::string c(1, static_cast<char>(o));
    const bool pair_ok = o != '\r';
    // In a quoted-string (a display name) and in a comment (§25.1 comment = LPAREN *(ctext / quoted-pair / comment) RPAREN).
    EXPECT_EQ(parse_view(head + "To: \"a\\" + c + "b\" <sip:x@y>\r\nl: 0\r\n\r\n").ok(), pair_ok);
    EXPECT_EQ(parse_view(head + "Server: x (a (b\\" + c + ") c)\r\nl: 0\r\n\r\n").ok(), pair_ok);
    // Everywhere else it is refused: outside quotes, after an escaped
    // backslash, after the closing quote.
    for (const std::string& v : {"a\\" + c, "\"a\\\\" + c + "\"", "\"a\"\\" + c, "a" + c}) {
      auto r = parse_view(head + "To: " + v + "\r\nl: 0\r\n\r\n");
      ASSERT_FALSE(r.ok()) << v;
      EXPECT_EQ(r.error().code, ParseErrorCode::BadChar);
      EXPECT_EQ(r.error().offset, head.size() + 4 + v.find(c));
    }
  }
  // DEL (%x7F) likewise.
  EXPECT_TRUE(parse_view(head + "To: \"\\\x7f\" <sip:x@y>\r\nl: 0\r\n\r\n").ok());
  EXPECT_EQ(parse_view(head + "To: \"\x7f\" <sip:x@y>\r\nl: 0\r\n\r\n").error().code, ParseErrorCode::BadChar);
}

TEST(MsgGrammar, a_folded_quoted_string_still_parses_from_a_view_rfc3261_7_3_1) {
  auto r = parse_name_addr("\"Alice\r\n Smith\" <sip:a@b>");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(parse_name_addr("\"Alice\r\nSmith\" <sip:a@b>").ok());
}

// --- limits (parser.hpp ParseLimits): limit-1, limit, limit+1 ------------------

namespace {

// A request whose one Subject line is exactly `line` bytes (CRLF excluded).
std::string with_line_of(std::size_t line) {
  const std::string prefix = "Subject: ";
  return "MESSAGE sip:a@b SIP/2.0\r\n" + prefix + std::string(line - prefix.size(), 'x') + "\r\nl: 0\r\n\r\n";
}

// A request of exactly `size` bytes: its body pads it.
std::string of_size(std::size_t size) {
  const std::string head = "MESSAGE sip:a@b SIP/2.0\r\nContent-Length: ";
  const std::size_t base = head.size() + 4;  // + CRLF CRLF
  for (std::size_t digits = 1; digits < 10; ++digits) {
    const std::size_t body = size - base - digits;
    if (std::to_string(body).size() == digits)
      return head + std::to_string(body) + "\r\n\r\n" + std::string(body, 'b');
  }
  return {};
}

}  // namespace

TEST(MsgGrammar, defaults_are_64k_lines_128k_messages_128_headers) {
  const ParseLimits l;
  EXPECT_EQ(l.max_line_length, 64u * 1024);
  EXPECT_EQ(l.max_message_size, 128u * 1024);
  EXPECT_EQ(l.max_headers, 128u);
}

TEST(MsgGrammar, header_line_limit_at_minus_one_exact_plus_one) {
  const std::size_t lim = ParseLimits{}.max_line_length;
  EXPECT_TRUE(parse_view(with_line_of(lim - 1)).ok());
  EXPECT_TRUE(parse_view(with_line_of(lim)).ok());
  auto r = parse_view(with_line_of(lim + 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ParseErrorCode::LineTooLong);
  EXPECT_EQ(r.error().offset, 25u);  // the line's first byte
  EXPECT_EQ(status_hint(r.error().code), 513);
  // The same through a folded continuation line: the limit is per physical line.
  const std::string folded = "MESSAGE sip:a@b SIP/2.0\r\nSubject: a\r\n " + std::string(lim - 1, 'y') + "\r\nl: 0\r\n\r\n";
  EXPECT_TRUE(parse_view(folded).ok());
  const std::string folded_long =
      "MESSAGE sip:a@b SIP/2.0\r\nSubject: a\r\n " + std::string(lim, 'y') + "\r\nl: 0\r\n\r\n";
  EXPECT_EQ(parse_view(folded_long).error().code, ParseErrorCode::LineTooLong);
}

TEST(MsgGrammar, start_line_limit_at_minus_one_exact_plus_one) {
  const std::size_t lim = ParseLimits{}.max_line_length;
  auto start = [](std::size_t n) {  // "MESSAGE sip:aaaa SIP/2.0" of n bytes
    return "MESSAGE sip:" + std::string(n - 20, 'a') + " SIP/2.0\r\nl: 0\r\n\r\n";
  };
  EXPECT_TRUE(parse_view(start(lim - 1)).ok());
  EXPECT_TRUE(parse_view(start(lim)).ok());
  EXPECT_EQ(parse_view(start(lim + 1)).error().code, ParseErrorCode::LineTooLong);
}

TEST(MsgGrammar, a_bad_octet_past_the_line_limit_is_line_too_long) {
  // As when the same bytes arrive in pieces (StreamFramer): the line was
  // already too long before the bad octet.
  const std::size_t lim = ParseLimits{}.max_line_length;
  std::string s = with_line_of(lim + 10);
  s[25 + lim + 5] = '\0';
  EXPECT_EQ(parse_view(s).error().code, ParseErrorCode::LineTooLong);
  s = with_line_of(lim);
  s[25 + lim - 1] = '\0';
  EXPECT_EQ(parse_view(s).error().code, ParseErrorCode::BadChar);
}

TEST(MsgGrammar, message_size_limit_at_minus_one_exact_plus_one) {
  const std::size_t lim = ParseLimits{}.max_message_size;
  for (std::size_t size : {lim - 1, lim, lim + 1}) {
    const std::string s = of_size(size);
    ASSERT_EQ(s.size(), size);
    auto r = parse_view(s);
    if (size <= lim) {
      EXPECT_TRUE(r.ok()) << size;
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().code, ParseErrorCode::TooLarge);
    }
  }
  // Without Content-Length the frame is the message (§18.3): same limit.
  const std::string head = "MESSAGE sip:a@b SIP/2.0\r\nSubject: x\r\n\r\n";
  EXPECT_TRUE(parse_view(head + std::string(lim - head.size(), 'b')).ok());
  EXPECT_EQ(parse_view(head + std::string(lim + 1 - head.size(), 'b')).error().code, ParseErrorCode::TooLarge);
  // A maximal line fits in a maximal message.
  EXPECT_TRUE(parse_view(with_line_of(ParseLimits{}.max_line_length)).ok());
}

TEST(MsgGrammar, header_count_limit_at_minus_one_exact_plus_one) {
  const std::size_t lim = ParseLimits{}.max_headers;
  for (std::size_t n : {lim - 1, lim, lim + 1}) {
    std::string s = "MESSAGE sip:a@b SIP/2.0\r\n";
    for (std::size_t i = 0; i < n; ++i) s += "X: 1\r\n";
    s += "\r\n";
    auto r = parse_view(s);
    if (n <= lim) {
      EXPECT_TRUE(r.ok()) << n;
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().code, ParseErrorCode::TooManyHeaders);
    }
  }
}
