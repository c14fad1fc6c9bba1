// RFC 4475 torture messages (tests/vectors/rfc4475/*.sip + *.expect).
//
// Layering: `parse()` is the message layer (framing, start line, header
// lines, Content-Length). RFC 4475 marks some messages invalid for reasons
// that live higher up; for those the `.expect` says `parse=ok` and a `layer=`
// naming where the rejection happens, and a dedicated test below asserts the
// helper that catches it (header: header_fields.hpp / uri.hpp; message-
// semantics: check_mandatory_headers; ua/txn/transport: data the UA, the
// transaction layer or the transport must act on, which these tests expose).
#include <gtest/gtest.h>

#include "core/msg/header_fields.hpp"
#include "core/msg/parser.hpp"
#include "core/msg/stream_framer.hpp"
#include "core/msg/uri.hpp"
#include "tests/unit/msg/vector_io.hpp"

using namespace wwp::msg;
using namespace wwp::msg::testing;

namespace {

std::string vec(const std::string& name) { return read_file(vectors_dir() + "/rfc4475/" + name + ".sip"); }
std::map<std::string, std::string> expect_of(const std::string& name) {
  return read_expect(vectors_dir() + "/rfc4475/" + name + ".expect");
}
Message must_parse(const std::string& name) {
  auto r = parse(vec(name));
  EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : to_string(r.error()));
  return r.ok() ? std::move(r.value()) : Message{};
}

}  // namespace

TEST(MsgRfc4475, all_vectors_present) {
  const auto names = list_vectors("rfc4475", ".sip");
  EXPECT_GE(names.size(), 45u);
  for (const char* n : {"wsinv", "intmeth", "esc01", "escnull", "esc02", "lwsdisp", "longreq", "dblreq",
                        "semiuri", "transports", "mpart01", "unreason", "noreason", "badinv01", "clerr",
                        "ncl", "scalar02", "scalarlg", "quotbal", "ltgtruri", "lwsruri", "lwsstart", "trws",
                        "escruri", "baddate", "regbadct", "badaspec", "baddn", "badvers", "mismatch01",
                        "mismatch02", "bigcode", "badbranch", "insuf", "unkscm", "novelsc", "unksm2",
                        "bext01", "invut", "regaut01", "multi01", "mcl01", "bcast", "zeromf", "cparam01",
                        "cparam02", "regescrt", "sdp01", "inv2543"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
}

// Data-driven: every vector parses, or fails, exactly as its .expect says.
TEST(MsgRfc4475, every_vector_matches_its_expectation_rfc4475_3) {
  for (const std::string& name : list_vectors("rfc4475", ".sip")) {
    SCOPED_TRACE(name);
    const std::string bytes = vec(name);
    const auto ex = expect_of(name);
    ASSERT_TRUE(ex.count("parse")) << "missing parse= in .expect";
    auto r = parse(bytes);
    if (ex.at("parse") != "ok") {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(to_string(r.error().code), ex.at("parse"));
      continue;
    }
    ASSERT_TRUE(r.ok()) << to_string(r.error());
    const Message& m = *r;
    if (ex.count("method")) EXPECT_EQ(m.method(), ex.at("method"));
    if (ex.count("request_uri")) EXPECT_EQ(m.request_uri(), ex.at("request_uri"));
    if (ex.count("status")) EXPECT_EQ(std::to_string(m.status()), ex.at("status"));
    if (ex.count("reason")) EXPECT_EQ(m.reason(), ex.at("reason"));
    if (ex.count("call_id")) EXPECT_EQ(m.get("Call-ID").value_or("<none>"), ex.at("call_id"));
    if (ex.count("body_bytes")) EXPECT_EQ(std::to_string(m.body().size()), ex.at("body_bytes"));
    if (ex.count("via_count")) EXPECT_EQ(std::to_string(m.get_all("Via").size()), ex.at("via_count"));
    if (ex.count("cseq")) {
      auto c = parse_cseq(m.get("CSeq").value_or(""));
      ASSERT_TRUE(c.ok());
      EXPECT_EQ(c->to_string(), ex.at("cseq"));
    }
    if (ex.count("consumed")) EXPECT_EQ(std::to_string(parse_view(bytes)->size), ex.at("consumed"));
  }
}

// House style §19: every prefix of a valid message is Incomplete or a
// ParseError, never a crash. Parsed with stream rules (Content-Length
// required), a prefix can only succeed once it holds the whole message.
TEST(MsgRfc4475, every_prefix_of_valid_vectors_is_incomplete_or_error) {
  ParseLimits stream;
  stream.require_content_length = true;
  for (const std::string& name : list_vectors("rfc4475", ".sip")) {
    if (expect_of(name).at("parse") != "ok") continue;
    SCOPED_TRACE(name);
    const std::string bytes = vec(name);
    auto full = parse_view(bytes);
    ASSERT_TRUE(full.ok());
    MessageView v;
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      auto r = parse_view_into(std::string_view(bytes).substr(0, n), v, stream);
      if (r.ok()) EXPECT_GE(n, full->size) << "prefix " << n;
    }
  }
}

TEST(MsgRfc4475, valid_vectors_round_trip_through_to_string_rfc3261_7) {
  for (const std::string& name : list_vectors("rfc4475", ".sip")) {
    if (expect_of(name).at("parse") != "ok") continue;
    SCOPED_TRACE(name);
    auto m = parse(vec(name));
    ASSERT_TRUE(m.ok());
    auto again = parse(m->to_string());
    ASSERT_TRUE(again.ok()) << to_string(again.error());
    EXPECT_EQ(*again, *m);
  }
}

TEST(MsgRfc4475, valid_vectors_through_stream_framer_byte_by_byte_rfc3261_18_3) {
  std::string stream;
  std::vector<Message> want;
  for (const std::string& name : list_vectors("rfc4475", ".sip")) {
    if (expect_of(name).at("parse") != "ok") continue;
    auto v = parse_view(vec(name));
    if (!v->content_length) continue;  // streams need Content-Length (inv2543 has none)
    const std::string one = vec(name).substr(0, v->size);
    stream += one + "\r\n";  // keep-alive CRLF between messages
    want.push_back(parse(one).value());
  }
  StreamFramer f;
  std::vector<Message> got;
  for (char c : stream) {
    f.feed(std::string_view(&c, 1));
    while (auto r = f.next()) {
      ASSERT_TRUE(r->ok()) << to_string(r->error());
      got.push_back(std::move(r->value()));
    }
  }
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], want[i]) << i;
}

// --- 3.1.1 valid messages: key details ----------------------------------------

TEST(MsgRfc4475, wsinv_folding_hcolon_compact_and_odd_whitespace_3_1_1_1) {
  Message m = must_parse("wsinv");
  EXPECT_EQ(m.get("To").value(), "sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n");
  EXPECT_EQ(tag_of(*m.get("t")).value(), "1918181833n");
  auto from = parse_name_addr(*m.get("From"));
  ASSERT_TRUE(from.ok());
  EXPECT_EQ(from->display_name.value(), "J Rosenberg \\\"");
  EXPECT_EQ(from->tag().value(), "98asjd8");
  EXPECT_EQ(m.get("Max-Forwards").value(), "0068");
  EXPECT_EQ(m.get("Subject").value(), "");
  EXPECT_EQ(m.get("NewFangledHeader").value(), "newfangled value continued newfangled value");
  EXPECT_EQ(m.get("UnknownHeaderWithUnusualValue").value(), ";;,,;;,;");
  auto vias = m.get_all("Via");
  ASSERT_EQ(vias.size(), 3u);
  auto v0 = parse_via(vias[0]);
  ASSERT_TRUE(v0.ok());
  EXPECT_EQ(v0->transport, "UDP");
  EXPECT_EQ(v0->host, "192.0.2.2");
  EXPECT_EQ(v0->branch(), "390skdjuw");
  auto v1 = parse_via(vias[1]);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->host, "spindle.example.com");
  EXPECT_EQ(v1->branch(), "z9hG4bK9ikj8");
  auto v2 = parse_via(vias[2]);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->host, "192.168.255.111");
  EXPECT_EQ(v2->branch(), "z9hG4bK30239");
  auto contact = parse_name_addr(*m.get("Contact"));
  ASSERT_TRUE(contact.ok());
  EXPECT_EQ(contact->display_name.value(), "Quoted string \"\"");
  EXPECT_EQ(contact->param("newparam").value(), "newvalue");
  EXPECT_TRUE(contact->param("secondparam"));
  EXPECT_EQ(contact->param("q").value(), "0.33");
  auto route = parse_name_addr(*m.get("Route"));
  ASSERT_TRUE(route.ok());
  auto ru = parse_uri(route->uri);
  ASSERT_TRUE(ru.ok());
  EXPECT_TRUE(ru->has_param("lr"));
  EXPECT_EQ(ru->param("unknownwith").value(), "value");
}

TEST(MsgRfc4475, intmeth_token_chars_in_method_and_odd_uri_3_1_1_2) {
  Message m = must_parse("intmeth");
  auto u = parse_uri(m.request_uri());
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_EQ(u->password.value(), "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  EXPECT_EQ(u->host, "example.com");
  auto to = parse_name_addr(*m.get("To"));
  ASSERT_TRUE(to.ok());
  EXPECT_EQ(to->display_name.value(), std::string("BEL:\x07 NUL:\0 DEL:\x7f", 17));
  auto from = parse_name_addr(*m.get("From"));
  ASSERT_TRUE(from.ok());
  EXPECT_EQ(from->display_name.value(), "token1~` token2'+_ token3*%!.-");
  EXPECT_EQ(from->tag().value(), "_token~1'+`*%!-.");
  EXPECT_TRUE(m.get("extensionHeader-!.%*+_`'~").has_value());
}

TEST(MsgRfc4475, esc01_escapes_decode_in_uri_accessors_3_1_1_3) {
  Message m = must_parse("esc01");
  EXPECT_EQ(parse_uri(m.request_uri())->user_decoded(), "sips:user@example.com");
  auto to = parse_name_addr(*m.get("To"));
  EXPECT_EQ(parse_uri(to->uri)->user_decoded(), "user");
  auto from = parse_name_addr(*m.get("From"));
  EXPECT_EQ(parse_uri(from->uri)->user_decoded(), "I have spaces");
  auto contact = parse_uri(parse_name_addr(*m.get("Contact"))->uri);
  ASSERT_TRUE(contact.ok());
  EXPECT_EQ(contact->user_decoded(), "caller");
  EXPECT_TRUE(uri_equals(*contact, *parse_uri("sip:caller@host5.example.net;lr;name=value%2541")));
  EXPECT_EQ(m.get("Content-Type").value(), "application/sdp");  // compact `C`
}

TEST(MsgRfc4475, escnull_nul_in_user_part_survives_decoding_3_1_1_4) {
  Message m = must_parse("escnull");
  auto contacts = m.get_all("Contact");
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(parse_uri(parse_name_addr(contacts[0])->uri)->user_decoded(), std::string(1, '\0'));
  EXPECT_EQ(parse_uri(parse_name_addr(contacts[1])->uri)->user_decoded(), std::string(2, '\0'));
  EXPECT_EQ(m.get("Content-Length").value(), "0");
}

TEST(MsgRfc4475, esc02_percent_in_tokens_is_not_an_escape_3_1_1_5) {
  Message m = must_parse("esc02");
  EXPECT_EQ(m.method(), "RE%47IST%45R");  // not "REGISTER"
  EXPECT_EQ(parse_name_addr(*m.get("To"))->display_name.value(), "%Z%45");
  EXPECT_EQ(parse_via(*m.get("Via"))->branch(), "z9hG4bK209%fzsnel234");
  // `C%6Fntact` is a different (extension) header, not Contact.
  EXPECT_EQ(m.get_all("Contact").size(), 2u);
  EXPECT_TRUE(m.get("C%6Fntact").has_value());
}

TEST(MsgRfc4475, lwsdisp_no_space_before_laquot_3_1_1_6) {
  auto from = parse_name_addr(*must_parse("lwsdisp").get("From"));
  ASSERT_TRUE(from.ok());
  EXPECT_EQ(from->display_name.value(), "caller");
  EXPECT_EQ(from->tag().value(), "323");
}

TEST(MsgRfc4475, longreq_long_values_and_34_vias_in_mixed_case_3_1_1_7) {
  Message m = must_parse("longreq");
  auto vias = m.get_all("VIA");
  ASSERT_EQ(vias.size(), 34u);
  EXPECT_EQ(parse_via(vias[0])->host, "sip33.example.com");
  EXPECT_EQ(parse_via(vias[33])->received().value(), "192.0.2.5");
  auto to = parse_name_addr(*m.get("To"));
  ASSERT_TRUE(to.ok());
  EXPECT_EQ(parse_uri(to->uri)->port.value(), 6000);
  EXPECT_EQ(tag_of(*m.get("From")).value().size(), 2u + 90u + 3u);
}

TEST(MsgRfc4475, dblreq_extra_datagram_octets_are_not_part_of_the_message_3_1_1_8) {
  const std::string bytes = vec("dblreq");
  auto v = parse_view(bytes);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->method, "REGISTER");
  EXPECT_EQ(v->body, "");
  EXPECT_LT(v->size, bytes.size());
  // A datagram transport discards the rest; a stream would frame it next.
  auto second = parse_view(std::string_view(bytes).substr(v->size));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->method, "INVITE");
}

TEST(MsgRfc4475, semiuri_semicolon_in_user_part_3_1_1_9) {
  auto u = parse_uri(must_parse("semiuri").request_uri());
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->user, "user;par=u%40example.net");
  EXPECT_EQ(u->host, "example.com");
  EXPECT_TRUE(u->params.empty());
}

TEST(MsgRfc4475, transports_unknown_transport_tokens_3_1_1_10) {
  const Message m = must_parse("transports");  // get_all views point into m
  auto vias = m.get_all("Via");
  std::vector<std::string> t;
  for (auto v : vias) t.push_back(parse_via(v)->transport);
  EXPECT_EQ(t, (std::vector<std::string>{"UDP", "SCTP", "TLS", "UNKNOWN", "TCP"}));
}

TEST(MsgRfc4475, mpart01_binary_body_framed_by_content_length_3_1_1_11) {
  Message m = must_parse("mpart01");
  auto ct = parse_media_type(*m.get("Content-Type"));
  ASSERT_TRUE(ct.ok());
  EXPECT_TRUE(ct->is("multipart", "mixed"));
  EXPECT_EQ(ct->param("boundary").value(), "7a9cbec02ceef655");
  EXPECT_NE(m.body().find(std::string("\0\0\r\n\r\n", 6)), std::string::npos);
  EXPECT_EQ(m.body().substr(m.body().size() - 24), "\r\n--7a9cbec02ceef655--\r\n");
}

TEST(MsgRfc4475, unreason_utf8_reason_phrase_3_1_1_12) {
  Message m = must_parse("unreason");
  EXPECT_EQ(m.status(), 200);
  EXPECT_EQ(m.reason().substr(0, 14), "= 2**3 * 5**2 ");
}

TEST(MsgRfc4475, noreason_empty_reason_phrase_3_1_1_13) {
  Message m = must_parse("noreason");
  EXPECT_EQ(m.status(), 100);
  EXPECT_EQ(m.reason(), "");
}

// --- 3.1.2 invalid: caught by the header helpers (framing is fine) ----------------

TEST(MsgRfc4475, badinv01_empty_params_rejected_by_via_and_name_addr_3_1_2_1) {
  Message m = must_parse("badinv01");
  EXPECT_EQ(parse_via(*m.get("Via")).error().code, ParseErrorCode::BadVia);
  EXPECT_FALSE(parse_name_addr(*m.get("Contact")).ok());
}

TEST(MsgRfc4475, clerr_content_length_past_datagram_end_is_incomplete_3_1_2_2) {
  // On a datagram/WebSocket frame "Incomplete" means the frame lied about its
  // size: the caller drops it (RFC 3261 §18.3: "MUST be discarded").
  auto r = parse(vec("clerr"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ParseErrorCode::Incomplete);
  EXPECT_GT(r.error().needed, vec("clerr").size());
}

TEST(MsgRfc4475, scalar02_and_scalarlg_overlarge_cseq_rejected_3_1_2_4_5) {
  EXPECT_EQ(parse_cseq(*must_parse("scalar02").get("CSeq")).error().code, ParseErrorCode::BadCSeq);
  EXPECT_EQ(parse_cseq(*must_parse("scalarlg").get("CSeq")).error().code, ParseErrorCode::BadCSeq);
  // The folded Contact of scalar02 still parses; its huge expires is the
  // registrar's business.
  auto c = parse_name_addr(*must_parse("scalar02").get("Contact"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->param("expires").value(), "280297596632815");
}

TEST(MsgRfc4475, quotbal_unterminated_quote_rejected_3_1_2_6) {
  EXPECT_EQ(parse_name_addr(*must_parse("quotbal").get("To")).error().code, ParseErrorCode::BadNameAddr);
}

TEST(MsgRfc4475, escruri_request_uri_headers_visible_for_ua_rejection_3_1_2_11) {
  // §19.1.1 table: headers are not allowed in a Request-URI. The URI parses
  // (it is a valid SIP URI); the UA layer must reject because it has headers.
  auto u = parse_uri(must_parse("escruri").request_uri());
  ASSERT_TRUE(u.ok());
  ASSERT_EQ(u->headers.size(), 1u);
  EXPECT_EQ(u->headers[0].name, "Route");
}

TEST(MsgRfc4475, baddate_is_framing_valid_date_kept_as_text_3_1_2_12) {
  EXPECT_EQ(must_parse("baddate").get("Date").value(), "Fri, 01 Jan 2010 16:00:00 EST");
}

TEST(MsgRfc4475, regbadct_unenclosed_uri_with_headers_rejected_3_1_2_13) {
  EXPECT_EQ(parse_name_addr(*must_parse("regbadct").get("Contact")).error().code, ParseErrorCode::BadNameAddr);
}

TEST(MsgRfc4475, badaspec_lws_inside_angle_brackets_rejected_3_1_2_14) {
  Message m = must_parse("badaspec");
  EXPECT_TRUE(parse_name_addr(*m.get("From")).ok());
  EXPECT_FALSE(parse_name_addr(*m.get("To")).ok());
}

TEST(MsgRfc4475, baddn_unquoted_comma_in_display_name_rejected_3_1_2_15) {
  Message m = must_parse("baddn");
  EXPECT_FALSE(parse_name_addr(*m.get("From")).ok());
  EXPECT_FALSE(parse_name_addr(*m.get("To")).ok());
}

TEST(MsgRfc4475, mismatch_cseq_method_differs_from_request_method_3_1_2_17_18) {
  // §8.2 makes this the UAS's 400; the message layer exposes both values.
  for (const char* n : {"mismatch01", "mismatch02"}) {
    Message m = must_parse(n);
    EXPECT_NE(parse_cseq(*m.get("CSeq"))->method, m.method()) << n;
  }
}

TEST(MsgRfc4475, start_line_errors_have_distinct_codes_3_1_2) {
  EXPECT_EQ(parse(vec("badvers")).error().code, ParseErrorCode::BadVersion);
  EXPECT_EQ(status_hint(ParseErrorCode::BadVersion), 505);
  EXPECT_EQ(parse(vec("bigcode")).error().code, ParseErrorCode::BadStatus);
  EXPECT_EQ(parse(vec("ltgtruri")).error().code, ParseErrorCode::BadRequestUri);
  EXPECT_EQ(parse(vec("lwsruri")).error().code, ParseErrorCode::BadStartLine);
  EXPECT_EQ(parse(vec("lwsstart")).error().code, ParseErrorCode::BadStartLine);
  EXPECT_EQ(parse(vec("trws")).error().code, ParseErrorCode::BadStartLine);
  EXPECT_EQ(parse(vec("ncl")).error().code, ParseErrorCode::BadContentLength);
  EXPECT_EQ(parse(vec("mcl01")).error().code, ParseErrorCode::BadContentLength);
}

// --- 3.2 / 3.3 / 3.4: framing-valid, judged above the message layer -------------

TEST(MsgRfc4475, badbranch_bare_magic_cookie_branch_is_visible_3_2_1) {
  EXPECT_EQ(parse_via(*must_parse("badbranch").get("Via"))->branch(), "z9hG4bK");
}

TEST(MsgRfc4475, insuf_missing_mandatory_headers_detected_3_3_1) {
  auto e = check_mandatory_headers(must_parse("insuf"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, ParseErrorCode::MissingHeader);
  EXPECT_FALSE(check_mandatory_headers(must_parse("lwsdisp")));
}

TEST(MsgRfc4475, unknown_and_atypical_request_uri_schemes_are_416_3_3_2_3) {
  for (const char* n : {"unkscm", "novelsc"}) {
    auto u = parse_uri(must_parse(n).request_uri());
    ASSERT_FALSE(u.ok()) << n;
    EXPECT_EQ(u.error().code, ParseErrorCode::UnsupportedScheme) << n;
    EXPECT_EQ(status_hint(u.error().code), 416);
  }
}

TEST(MsgRfc4475, unksm2_unknown_schemes_in_headers_parse_as_name_addr_3_3_4) {
  Message m = must_parse("unksm2");
  auto to = parse_name_addr(*m.get("To"));
  ASSERT_TRUE(to.ok());
  EXPECT_EQ(to->uri, "isbn:2983792873");
  EXPECT_EQ(parse_name_addr(*m.get("From"))->uri, "http://www.example.com");
  EXPECT_EQ(parse_uri(to->uri).error().code, ParseErrorCode::UnsupportedScheme);
}

TEST(MsgRfc4475, bext01_require_lists_visible_for_420_3_3_5) {
  const Message m = must_parse("bext01");
  auto req = m.get_all("Require");
  EXPECT_EQ(req, (std::vector<std::string_view>{"nothingSupportsThis", "nothingSupportsThisEither"}));
}

TEST(MsgRfc4475, bcast_broadcast_via_host_visible_to_transport_3_3_10) {
  const Message m = must_parse("bcast");
  auto vias = m.get_all("Via");
  EXPECT_EQ(parse_via(vias[1])->host, "255.255.255.255");
}

TEST(MsgRfc4475, cparam01_bare_contact_param_is_header_param_3_3_12) {
  auto c = parse_name_addr(*must_parse("cparam01").get("Contact"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->uri, "sip:+19725552222@gw1.example.net");
  EXPECT_TRUE(c->param("unknownparam"));
  auto c2 = parse_name_addr(*must_parse("cparam02").get("Contact"));
  ASSERT_TRUE(c2.ok());
  EXPECT_FALSE(c2->param("unknownparam"));
  EXPECT_TRUE(parse_uri(c2->uri)->has_param("unknownparam"));
}

TEST(MsgRfc4475, regescrt_escaped_header_inside_enclosed_contact_3_3_14) {
  auto c = parse_name_addr(*must_parse("regescrt").get("m"));
  ASSERT_TRUE(c.ok());
  auto u = parse_uri(c->uri);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->headers.at(0).value, "%3Csip:sip.example.com%3E");
}

TEST(MsgRfc4475, multi01_duplicate_singletons_are_kept_in_order_3_3_8) {
  Message m = must_parse("multi01");
  EXPECT_EQ(m.get_all("CSeq").size(), 2u);
  EXPECT_EQ(m.get_all("Call-ID").size(), 2u);
  EXPECT_EQ(m.get_all("To").size(), 2u);
}

TEST(MsgRfc4475, inv2543_no_content_length_body_is_rest_of_datagram_3_4_1) {
  Message m = must_parse("inv2543");
  EXPECT_FALSE(m.has("Content-Length"));
  EXPECT_EQ(m.body().substr(0, 5), "v=0\r\n");
  EXPECT_EQ(parse_via(*m.get("Via"))->branch(), "");
}
