// Header-field helpers (core/msg/header_fields.hpp, params.hpp): RFC 3261
// §20.10 (name-addr rules), §20.16 / §8.1.1.5 (CSeq), §20.42 / RFC 3581
// (Via, rport), §20.15 (Content-Type), §25.1 (generic-param, quoted-string).
#include "core/msg/header_fields.hpp"

#include <gtest/gtest.h>

using namespace wwp::msg;

TEST(MsgParams, generic_params_with_quoted_values_rfc3261_25_1) {
  auto p = parse_params(" ; a=b ;flag; Q = 0.5;text=\"x; \\\"y\\\", z\";received=2001:db8::1");
  ASSERT_TRUE(p.ok()) << to_string(p.error());
  ASSERT_EQ(p->size(), 5u);
  EXPECT_EQ(find_param(*p, "A").value(), "b");
  EXPECT_EQ(find_param(*p, "flag").value(), "");
  EXPECT_EQ(find_param(*p, "q").value(), "0.5");
  EXPECT_EQ(find_param(*p, "text").value(), "x; \"y\", z");
  EXPECT_TRUE((*p)[3].quoted);
  EXPECT_EQ(find_param(*p, "received").value(), "2001:db8::1");
  EXPECT_FALSE(find_param(*p, "nope"));
  EXPECT_EQ(params_to_string(*p), ";a=b;flag;Q=0.5;text=\"x; \\\"y\\\", z\";received=2001:db8::1");
}

TEST(MsgParams, malformed_params_are_errors_rfc3261_25_1) {
  for (std::string_view s : {";;tag=1", ";=1", ";a=", ";a=\"open", "x", ";a b", ";a=<b>"})
    EXPECT_FALSE(parse_params(s).ok()) << s;
  EXPECT_TRUE(parse_params("").ok());
}

TEST(MsgNameAddr, quoted_display_name_and_tag_rfc3261_20_10) {
  auto na = parse_name_addr("\"Bell, Alexander\" <sip:a.g.bell@example.com>;tag=43");
  ASSERT_TRUE(na.ok());
  EXPECT_EQ(na->display_name.value(), "Bell, Alexander");
  EXPECT_TRUE(na->display_quoted);
  EXPECT_EQ(na->uri_text(), "sip:a.g.bell@example.com");
  EXPECT_EQ(na->tag().value(), "43");
  EXPECT_EQ(na->to_string(), "\"Bell, Alexander\" <sip:a.g.bell@example.com>;tag=43");
}

TEST(MsgNameAddr, token_display_name_and_no_lws_before_laquot_rfc4475_lwsdisp) {
  auto na = parse_name_addr("caller<sip:caller@example.com>;tag=323");
  ASSERT_TRUE(na.ok());
  EXPECT_EQ(na->display_name.value(), "caller");
  EXPECT_FALSE(na->display_quoted);
  auto two = parse_name_addr("Alice  Smith <sip:a@b>");
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->display_name.value(), "Alice Smith");  // §7.3.1: an LWS run is one SP
  // A tab, or a fold left in by a caller that did not unfold, is LWS too;
  // the name is written back as the same words (fuzz_uri found the LF case).
  auto folded = parse_name_addr("Alice\t\r\n  Smith\n <sip:a@b>");
  ASSERT_TRUE(folded.ok());
  EXPECT_EQ(folded->display_name.value(), "Alice Smith");
  EXPECT_EQ(folded->to_string(), "Alice Smith <sip:a@b>");
  // Inside a quoted-string a fold is one SP too (what unfold() makes of it);
  // plain tabs stay. A line break that is not a fold is refused.
  auto quoted = parse_name_addr("\"Alice \t\r\n\t Smith\tJr\" <sip:a@b>");
  ASSERT_TRUE(quoted.ok());
  EXPECT_EQ(quoted->display_name.value(), "Alice Smith\tJr");
  EXPECT_EQ(quoted->to_string(), "\"Alice Smith\tJr\" <sip:a@b>");
  EXPECT_FALSE(parse_name_addr("\"Alice\nSmith\" <sip:a@b>").ok());
  auto none = parse_name_addr("<sip:a@b;transport=ws>;expires=30");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->display_name);
  EXPECT_EQ(none->uri_text(), "sip:a@b;transport=ws");
  EXPECT_EQ(none->param("expires").value(), "30");
  auto esc = parse_name_addr("\"\\\"quoted\\\\\" <sip:a@b>");
  ASSERT_TRUE(esc.ok());
  EXPECT_EQ(esc->display_name.value(), "\"quoted\\");
}

TEST(MsgNameAddr, bare_addr_spec_params_belong_to_header_rfc3261_20_10) {
  auto na = parse_name_addr("sip:+12125551212@server.phone2net.com;tag=887s");
  ASSERT_TRUE(na.ok());
  EXPECT_FALSE(na->angle_brackets);
  EXPECT_EQ(na->uri_text(), "sip:+12125551212@server.phone2net.com");
  EXPECT_EQ(na->tag().value(), "887s");
  EXPECT_EQ(na->to_string(), "<sip:+12125551212@server.phone2net.com>;tag=887s");
}

TEST(MsgNameAddr, bare_addr_spec_with_question_mark_must_be_enclosed_rfc4475_regbadct) {
  EXPECT_FALSE(parse_name_addr("sip:user@example.com?Route=%3Csip:sip.example.com%3E").ok());
  EXPECT_TRUE(parse_name_addr("<sip:user@example.com?Route=%3Csip:sip.example.com%3E>").ok());
}

TEST(MsgNameAddr, malformed_values_rfc4475) {
  EXPECT_FALSE(parse_name_addr("\"Mr. J. User <sip:j.user@example.com>").ok());  // quotbal
  EXPECT_FALSE(parse_name_addr("\"Watson, Thomas\" < sip:t.watson@example.org >").ok());  // badaspec
  EXPECT_FALSE(parse_name_addr("Bell, Alexander <sip:a.g.bell@example.com>;tag=43").ok());  // baddn
  EXPECT_FALSE(parse_name_addr("\"Bell\" <sip:a@b>;;;tag=1").ok());  // badinv01
  EXPECT_FALSE(parse_name_addr("<sip:a@b").ok());
  EXPECT_FALSE(parse_name_addr("").ok());
  EXPECT_FALSE(parse_name_addr("<>").ok());
  EXPECT_FALSE(parse_name_addr("\"x\" sip:a@b").ok());
}

TEST(MsgNameAddr, tag_of_rfc3261_19_3) {
  EXPECT_EQ(tag_of("<sip:a@b>;tag=abc").value(), "abc");
  EXPECT_EQ(tag_of("sip:a@b;TAG=abc").value(), "abc");
  EXPECT_FALSE(tag_of("<sip:a@b;tag=inside-uri>"));
  EXPECT_FALSE(tag_of("<sip:a@b>"));
  EXPECT_FALSE(tag_of("garbage"));
}

// tag_view: the same acceptance as parse_name_addr, the first tag in place.
TEST(MsgNameAddr, tag_view_reads_in_place_with_parse_name_addr_checks) {
  const std::string_view v = "\"Bob\" <sip:b@x>;foo=1;TAG=t1;tag=t2";
  const TagView t = tag_view(v);
  EXPECT_TRUE(t.parsed);
  EXPECT_FALSE(t.quoted);
  EXPECT_EQ(t.tag(), "t1");  // the first, case-insensitive, as NameAddr::tag()
  EXPECT_EQ(t.tag().data(), v.data() + v.find("t1"));  // a view, no copy
  EXPECT_TRUE(tag_view("sip:a@b").parsed);
  EXPECT_EQ(tag_view("sip:a@b").tag(), "");
  EXPECT_FALSE(tag_view("<sip:a@b>;tag=").parsed);          // no value after '=': BadParam
  EXPECT_FALSE(tag_view("<sip:a@b;tag=x").parsed);          // no '>'
  EXPECT_FALSE(tag_view("Bell, Alexander <sip:a@b>").parsed);  // RFC 4475 baddn
  EXPECT_FALSE(tag_view("< sip:a@b >;tag=x").parsed);       // RFC 4475 badaspec
  EXPECT_FALSE(tag_view("<sip:a@b>;;tag=x").parsed);
  const TagView q = tag_view("<sip:a@b>;tag=\"a\\\"b\"");
  EXPECT_TRUE(q.parsed);
  EXPECT_TRUE(q.quoted);
  EXPECT_EQ(q.tag(), "a\"b");  // quoted: unescaped, as parse_name_addr reads it
  EXPECT_EQ(tag_of("<sip:a@b>;tag=\"a\\\"b\"").value(), "a\"b");
}

TEST(MsgVia, via_parts_branch_received_rport_rfc3261_20_42_rfc3581) {
  auto v = parse_via("SIP/2.0/WSS 104.245.57.165:8083;rport;branch=z9hG4bK5Lp0;received=1.2.3.4");
  ASSERT_TRUE(v.ok()) << to_string(v.error());
  EXPECT_EQ(v->protocol_name, "SIP");
  EXPECT_EQ(v->protocol_version, "2.0");
  EXPECT_EQ(v->transport, "WSS");
  EXPECT_EQ(v->host, "104.245.57.165");
  EXPECT_EQ(v->port.value(), 8083);
  EXPECT_EQ(v->branch(), "z9hG4bK5Lp0");
  EXPECT_EQ(v->received().value(), "1.2.3.4");
  EXPECT_TRUE(v->has_rport());
  EXPECT_FALSE(v->rport());
  EXPECT_EQ(v->to_string(), "SIP/2.0/WSS 104.245.57.165:8083;rport;branch=z9hG4bK5Lp0;received=1.2.3.4");
  auto r = parse_via("SIP / 2.0 / UDP [2001:db8::9:1] : 5060 ; rport=5061 ; branch=z9hG4bKx");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->host, "[2001:db8::9:1]");
  EXPECT_EQ(r->port.value(), 5060);
  EXPECT_EQ(r->rport().value(), 5061);
  EXPECT_EQ(parse_via("SIP/2.0/UDP h").value().branch(), "");
}

TEST(MsgVia, combined_via_values_rfc3261_7_3_1) {
  const std::string_view v = "SIP/2.0/WSS a.example:8083;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK2;rport=5060";
  EXPECT_EQ(parse_via(v).value().host, "a.example");
  auto all = parse_vias(v);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].branch(), "z9hG4bK2");
}

TEST(MsgVia, malformed_vias_rfc4475_badinv01) {
  for (std::string_view s : {"SIP/2.0/UDP 192.0.2.15;;,;,,", "SIP/2.0 h", "SIP/2.0/UDP",
                             "SIP/2.0/UDPh", "SIP/2.0/UDP h:99999", "SIP/2.0/UDP h;branch=",
                             "", "SIP/2.0/UDP h:"})
    EXPECT_FALSE(parse_via(s).ok()) << s;
  // via-branch is a token (§20.42): quoted, it is refused by the parser and
  // not read by the transaction layer's fast reader either (fuzz_fields).
  constexpr std::string_view quoted = "SIP/2.0/UDP h;branch=\"z9hG4bK a\"";
  EXPECT_FALSE(parse_via(quoted).ok());
  EXPECT_FALSE(top_via_branch(quoted));
  EXPECT_EQ(top_via_branch("SIP/2.0/UDP h;rport;branch=z9hG4bKx").value_or(""), "z9hG4bKx");
}

TEST(MsgVia, view_reads_what_parse_via_reads_without_copies) {
  // parse_via_view is what matching reads (§17.1.3, §17.2.3, §18.1.2): the
  // same fields and the same verdicts as the building parser.
  const std::string text = "SIP / 2.0 / WSS [2001:db8::9:1] : 5060 ;rport; BRANCH=z9hG4bKx;branch=z9hG4bKy, SIP/2.0/UDP b";
  auto v = parse_via_view(text);
  ASSERT_TRUE(v.ok()) << to_string(v.error());
  EXPECT_EQ(v->protocol_name, "SIP");
  EXPECT_EQ(v->transport, "WSS");
  EXPECT_EQ(v->host, "[2001:db8::9:1]");
  EXPECT_EQ(v->port.value(), 5060);
  EXPECT_EQ(v->branch, "z9hG4bKx");  // the first, as Via::branch() finds it
  EXPECT_EQ(v->branch, parse_via(text)->branch());
  EXPECT_EQ(v->params, " ;rport; BRANCH=z9hG4bKx;branch=z9hG4bKy");  // LWS before it kept
  // Views into the value, not copies.
  EXPECT_GE(v->host.data(), text.data());
  EXPECT_LT(v->branch.data(), text.data() + text.size());
  EXPECT_EQ(parse_via_view("SIP/2.0/UDP h").value().branch, "");
  EXPECT_FALSE(parse_via_view("SIP/2.0/UDP h").value().port);
  for (std::string_view s : {"SIP/2.0/UDP 192.0.2.15;;,;,,", "SIP/2.0 h", "SIP/2.0/UDP", "SIP/2.0/UDPh",
                             "SIP/2.0/UDP h:99999", "SIP/2.0/UDP h;branch=", "", "SIP/2.0/UDP h:",
                             "SIP/2.0/UDP h;branch=\"z9hG4bK a\"", "SIP/2.0/UDP h;a=\"open"}) {
    const auto view = parse_via_view(s);
    const auto full = parse_via(s);
    ASSERT_FALSE(view.ok()) << s;
    ASSERT_FALSE(full.ok()) << s;
    EXPECT_EQ(view.error().offset, full.error().offset) << s;
  }
}

TEST(MsgCSeq, number_and_method_rfc3261_20_16) {
  auto c = parse_cseq("4711 INVITE");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->seq, 4711u);
  EXPECT_EQ(c->method, "INVITE");
  EXPECT_EQ(c->to_string(), "4711 INVITE");
  auto folded = parse_cseq("0009\r\n  INVITE");  // RFC 4475 wsinv, before unfolding
  ASSERT_TRUE(folded.ok());
  EXPECT_EQ(folded->seq, 9u);
  EXPECT_EQ(parse_cseq("4294967295 ACK").value().seq, 4294967295u);
}

TEST(MsgCSeq, overlarge_or_malformed_is_bad_cseq_rfc3261_8_1_1_5_rfc4475_scalar02) {
  for (std::string_view s : {"36893488147419103232 REGISTER", "4294967296 ACK", "INVITE", "1",
                             "1INVITE", "-1 INVITE", "1 INV ITE", "", "1 IN<VITE"}) {
    auto c = parse_cseq(s);
    EXPECT_FALSE(c.ok()) << s;
    if (!c.ok()) EXPECT_EQ(c.error().code, ParseErrorCode::BadCSeq);
  }
}

TEST(MsgMediaType, content_type_rfc3261_20_15) {
  auto m = parse_media_type("multipart/mixed;boundary=unique-boundary-1");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->is("MULTIPART", "Mixed"));
  EXPECT_EQ(m->param("boundary").value(), "unique-boundary-1");
  auto t = parse_media_type("text/plain ; charset=\"UTF-8\"");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->param("charset").value(), "UTF-8");
  EXPECT_EQ(parse_media_type("application/sdp").value().to_string(), "application/sdp");
  for (std::string_view s : {"", "text", "text/", "/plain", "text/plain;", "te xt/plain"})
    EXPECT_FALSE(parse_media_type(s).ok()) << s;
}

// RFC 3261 §25.1: what quote() writes is a quoted-string. CR and LF have no
// quoted-pair form; left raw they would end the header (header injection
// through an app-supplied display name), so they become spaces.
TEST(MsgParams, quote_escapes_controls_and_never_writes_cr_or_lf_rfc3261_25_1) {
  EXPECT_EQ(wwp::msg::quote("Bob \"B\" \\"), "\"Bob \\\"B\\\" \\\\\"");
  EXPECT_EQ(wwp::msg::quote("Eve\r\nX-Injected: yes"), "\"Eve  X-Injected: yes\"");
  EXPECT_EQ(wwp::msg::quote(std::string("a\0b\x7f\tc", 6)), std::string("\"a\\\0b\\\x7f\tc\"", 10));
  wwp::msg::NameAddr na;
  na.display_name = "Eve\r\nVia: SIP/2.0/UDP evil";
  na.uri = "sip:eve@x";
  const std::string s = na.to_string();
  EXPECT_EQ(s.find('\r'), std::string::npos);
  EXPECT_EQ(s.find('\n'), std::string::npos);
  // And it parses back as one name-addr.
  auto back = wwp::msg::parse_name_addr(s);
  ASSERT_TRUE(back.ok()) << s;
  EXPECT_EQ(back->uri, "sip:eve@x");
}
