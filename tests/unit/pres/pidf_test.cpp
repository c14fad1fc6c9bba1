// PIDF (RFC 3863) + RPID activities (RFC 4480): parse_pidf on documents shaped
// like what Kamailio, Asterisk and FreeSWITCH send, the refusals and limits
// of core/pres/pres_error.hpp, hostile input (house style §19), and
// build_pidf -> parse_pidf round trips with escaping.
#include <gtest/gtest.h>

#include <string>

#include "core/pres/pidf.hpp"

namespace wwp::pres {
namespace {

std::string with_note(const std::string& note) {
  return R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"><note>)" + note + "</note></presence>";
}

// Kamailio presence_xml, aggregating a PUBLISH from a SIP.js-style client:
// PIDF in the default namespace, RFC 4479 person with an RPID activity.
constexpr const char* kKamailio = R"(<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" xmlns:c="urn:ietf:params:xml:ns:pidf:cipid" entity="sip:101@example.com">
  <tuple id="0x7f3a1c0">
    <status>
      <basic>open</basic>
    </status>
    <contact priority="0.8">sip:101@192.0.2.10:5060;transport=ws</contact>
    <note>Online</note>
  </tuple>
  <tuple id="a8098c1a">
    <status><basic>closed</basic></status>
  </tuple>
  <dm:person id="p1">
    <rpid:activities>
      <rpid:note>busy since 10:00</rpid:note>
      <rpid:on-the-phone/>
    </rpid:activities>
    <dm:note>In a call</dm:note>
  </dm:person>
</presence>
)";

// Asterisk chan_sip's PIDF (RPID-draft layout): activities under
// pp:person/status, the note directly under presence, an ISO-8859-1
// declaration over ASCII text.
constexpr const char* kAsterisk = R"(<?xml version="1.0" encoding="ISO-8859-1"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf"
xmlns:pp="urn:ietf:params:xml:ns:pidf:person"
xmlns:es="urn:ietf:params:xml:ns:pidf:rpid:status:rpid-status"
xmlns:ep="urn:ietf:params:xml:ns:pidf:rpid:rpid-person"
entity="sip:102@localhost">
<pp:person><status>
<ep:activities><ep:away/></ep:activities>
</status></pp:person>
<note>Not online</note>
<tuple id="102">
<contact priority="1">sip:102@localhost</contact>
<status><basic>Closed</basic></status>
</tuple>
</presence>
)";

// FreeSWITCH: single-quoted attributes, dm/rpid prefixes.
constexpr const char* kFreeSwitch =
    "<presence xmlns='urn:ietf:params:xml:ns:pidf' xmlns:dm='urn:ietf:params:xml:ns:pidf:data-model' "
    "xmlns:rpid='urn:ietf:params:xml:ns:pidf:rpid' entity='pres:1000@10.0.0.1'>\n"
    "<tuple id='t6a5ed77e'>\n<status>\n<basic>OPEN</basic>\n</status>\n</tuple>\n"
    "<dm:person id='p06360c4a'>\n<rpid:activities>\n<rpid:busy/>\n</rpid:activities>\n"
    "<dm:note>On The Phone</dm:note>\n</dm:person>\n</presence>";

TEST(Pidf, kamailio_document_gives_tuples_person_note_and_activity) {
  auto d = parse_pidf(kKamailio);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->entity, "sip:101@example.com");
  ASSERT_EQ(d->tuples.size(), 2u);
  EXPECT_EQ(d->tuples[0].id, "0x7f3a1c0");
  EXPECT_TRUE(d->tuples[0].open);
  EXPECT_EQ(d->tuples[0].contact, "sip:101@192.0.2.10:5060;transport=ws");
  EXPECT_EQ(d->tuples[0].note, "Online");
  EXPECT_EQ(d->tuples[1].id, "a8098c1a");
  EXPECT_FALSE(d->tuples[1].open);
  EXPECT_EQ(d->tuples[1].contact, "");
  EXPECT_EQ(d->tuples[1].note, "");
  EXPECT_TRUE(d->open());
  EXPECT_EQ(d->note, "In a call") << "the person's note, not the activities' note";
  EXPECT_EQ(d->activity, "on-the-phone") << "RFC 4480 §3.2: notes inside activities are skipped";
}

TEST(Pidf, asterisk_document_gives_activity_under_person_status_and_presence_note) {
  auto d = parse_pidf(kAsterisk);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->entity, "sip:102@localhost");
  ASSERT_EQ(d->tuples.size(), 1u);
  EXPECT_FALSE(d->tuples[0].open) << "Closed";
  EXPECT_EQ(d->tuples[0].contact, "sip:102@localhost");
  EXPECT_FALSE(d->open());
  EXPECT_EQ(d->note, "Not online");
  EXPECT_EQ(d->activity, "away");
}

TEST(Pidf, freeswitch_document_single_quotes_and_upper_case_basic) {
  auto d = parse_pidf(kFreeSwitch);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->entity, "pres:1000@10.0.0.1");
  ASSERT_EQ(d->tuples.size(), 1u);
  EXPECT_TRUE(d->tuples[0].open);
  EXPECT_EQ(d->note, "On The Phone");
  EXPECT_EQ(d->activity, "busy");
}

TEST(Pidf, any_prefix_and_default_namespace_read_the_same) {
  auto d = parse_pidf(R"(<p:presence xmlns:p="urn:ietf:params:xml:ns:pidf" entity=" sip:x@y ">)"
                      R"(<p:tuple id="t"><p:status><p:basic> open </p:basic></p:status></p:tuple>)"
                      R"(<person><activities><unknown/></activities><note> </note><note>Hi</note></person>)"
                      R"(</p:presence>)");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->entity, "sip:x@y") << "trimmed";
  EXPECT_TRUE(d->open());
  EXPECT_EQ(d->activity, "unknown");
  EXPECT_EQ(d->note, "Hi") << "first non-empty note";
}

TEST(Pidf, tuple_without_status_or_with_unknown_basic_is_closed) {
  auto d = parse_pidf(R"(<presence entity="e"><tuple id="a"/><tuple id="b"><status><basic>busy</basic></status></tuple>)"
                      R"(<tuple id="c"><status/></tuple></presence>)");
  ASSERT_TRUE(d.ok()) << d.error().message;
  ASSERT_EQ(d->tuples.size(), 3u);
  for (const auto& t : d->tuples) EXPECT_FALSE(t.open) << t.id;
  EXPECT_FALSE(d->open());
}

TEST(Pidf, no_tuple_no_note_no_activity_is_an_empty_document) {
  auto d = parse_pidf(R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"/>)");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_TRUE(d->tuples.empty());
  EXPECT_FALSE(d->open());
  EXPECT_EQ(d->note, "");
  EXPECT_EQ(d->activity, "");
}

TEST(Pidf, person_note_wins_over_presence_note) {
  auto d = parse_pidf(R"(<presence entity="e"><note>presence</note><person><note>person</note></person></presence>)");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->note, "person");
}

TEST(Pidf, texts_read_cdata_character_references_and_skip_comments_and_pis) {
  auto d = parse_pidf(with_note("a<!-- c --><?pi x?>b<![CDATA[ <&> ]]>&#x263A;&amp;"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->note, "ab <&> \xE2\x98\xBA&");
}

TEST(Pidf, refusals_name_what_is_wrong) {
  const struct {
    std::string xml;
    std::string says;
  } cases[] = {
      {"", "empty document"},
      {" \r\n\t", "empty document"},
      {"hello", "no root element"},
      {R"({"presence": true})", "no root element"},
      {"<dialog-info/>", "root element is <dialog-info>, not <presence>"},
      {"<presence>", "not well-formed"},
      {"<presence entity='e'></presenc>", "not well-formed"},
      {"<presence/>", "without entity"},
      {"<presence entity='e'><tuple/></presence>", "<tuple> without id"},
      {"<presence entity='e'/><presence entity='e'/>", "more than one root element"},
      {"<presence entity='e'/>junk", "text outside the root element"},
      {"<presence entity='e'/><![CDATA[x]]>", "text outside the root element"},
      {"<!DOCTYPE presence><presence entity='e'/>", "DOCTYPE"},
      {std::string("<presence entity='e'>\x01</presence>"), "control character at offset 21"},
      {std::string("<presence entity='e'>\0</presence>", 33), "control character at offset 21"},
      {"<presence entity='\xC3\x28'/>", "not UTF-8"},
      {"<presence entity='\xC0\xAF'/>", "not UTF-8"},          // overlong '/'
      {"<presence entity='\xED\xA0\x80'/>", "not UTF-8"},      // UTF-16 surrogate
      {"<presence entity='\xF4\x90\x80\x80'/>", "not UTF-8"},  // above U+10FFFF
      {"<presence entity='e'>\xE2\x98", "not UTF-8"},          // cut inside a character
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.xml);
    auto d = parse_pidf(c.xml);
    ASSERT_FALSE(d.ok());
    EXPECT_NE(d.error().message.find(c.says), std::string::npos) << d.error().message;
  }
}

TEST(Pidf, utf8_byte_order_mark_and_declaration_are_accepted) {
  auto d = parse_pidf("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<presence entity=\"e\"/>\n");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->entity, "e");
}

TEST(Pidf, document_size_limit_is_64_KiB) {
  const std::string head = "<presence entity='e'><note>", tail = "</note></presence>";
  std::string at_limit = head + std::string(kMaxPresXmlSize - head.size() - tail.size(), 'x') + tail;
  ASSERT_EQ(at_limit.size(), kMaxPresXmlSize);
  EXPECT_TRUE(parse_pidf(at_limit).ok());
  at_limit.insert(head.size(), "x");
  auto d = parse_pidf(at_limit);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message, "document of 65537 bytes, the limit is 65536");
}

TEST(Pidf, tuple_limit_is_64) {
  std::string xml = "<presence entity='e'>";
  for (int i = 0; i < 64; ++i) xml += "<tuple id='t" + std::to_string(i) + "'/>";
  EXPECT_TRUE(parse_pidf(xml + "</presence>").ok());
  auto d = parse_pidf(xml + "<tuple id='t64'/></presence>");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message, "more than 64 tuples");
}

TEST(Pidf, identifiers_over_1_KiB_are_refused) {
  const std::string ok(kMaxPresText, 'e');
  EXPECT_EQ(parse_pidf("<presence entity='" + ok + "'/>")->entity, ok);
  auto d = parse_pidf("<presence entity='" + ok + "e'/>");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message, "presence entity is longer than 1024 bytes");
  d = parse_pidf("<presence entity='e'><tuple id='" + ok + "x'/></presence>");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message, "tuple id is longer than 1024 bytes");
  d = parse_pidf("<presence entity='e'><tuple id='t'><contact>" + ok + "x</contact></tuple></presence>");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message, "tuple contact is longer than 1024 bytes");
  d = parse_pidf("<presence entity='e'><person><activities><" + ok + "x/></activities></person></presence>");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message, "activity name is longer than 1024 bytes");
}

TEST(Pidf, notes_over_1_KiB_are_cut_on_a_character_boundary) {
  const std::string ok(kMaxPresText, 'n');
  EXPECT_EQ(parse_pidf(with_note(ok))->note, ok);
  EXPECT_EQ(parse_pidf(with_note(ok + "more"))->note, ok);
  // 1023 ASCII bytes then a 3-byte character straddling the limit.
  const std::string straddle = std::string(kMaxPresText - 1, 'n') + "\xE2\x98\xBA" + "tail";
  EXPECT_EQ(parse_pidf(with_note(straddle))->note, std::string(kMaxPresText - 1, 'n'));
}

TEST(Pidf, a_huge_attribute_we_do_not_read_is_ignored_one_we_read_is_refused) {
  const std::string big(60000, 'a');
  auto d = parse_pidf("<presence entity='e' x='" + big + "'><tuple id='t' y='" + big.substr(0, 4000) + "'/></presence>");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->tuples.size(), 1u);
  EXPECT_FALSE(parse_pidf("<presence entity='" + big + "'/>").ok());
}

// Billion laughs: nine levels of ten references, 10^9 "lol"s if expanded.
std::string billion_laughs(const std::string& root) {
  std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE " + root + " [\n<!ENTITY lol0 \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    xml += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) xml += "&lol" + std::to_string(i - 1) + ";";
    xml += "\">\n";
  }
  return xml + "]>\n";
}

TEST(Pidf, billion_laughs_is_refused_at_the_doctype_without_expanding) {
  auto d = parse_pidf(billion_laughs("presence") + "<presence entity='e'><note>&lol9;</note></presence>");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("DOCTYPE"), std::string::npos) << d.error().message;
  // External entity (XXE) likewise.
  EXPECT_FALSE(parse_pidf("<!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><presence entity='&x;'/>").ok());
}

TEST(Pidf, undeclared_entity_reference_stays_literal_text) {
  auto d = parse_pidf(with_note("&lol9;"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->note, "&lol9;");
}

TEST(Pidf, deep_nesting_neither_crashes_nor_recurses) {
  // 10,000 unclosed levels: not well-formed.
  std::string open_only = "<presence entity='e'>";
  for (int i = 0; i < 10000; ++i) open_only += "<a>";
  EXPECT_FALSE(parse_pidf(open_only).ok());
  // 9,000 closed levels (what fits in 64 KiB) inside a person: well-formed,
  // read, and the deep part ignored.
  std::string deep = "<presence entity='e'><person><note>n</note>";
  for (int i = 0; i < 9000; ++i) deep += "<a>";
  for (int i = 0; i < 9000; ++i) deep += "</a>";
  deep += "</person></presence>";
  ASSERT_LE(deep.size(), kMaxPresXmlSize);
  auto d = parse_pidf(deep);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->note, "n");
}

TEST(Pidf, every_truncation_of_a_real_document_is_refused_never_crashes) {
  const std::string full = kKamailio;
  const std::size_t end = full.rfind('>') + 1;  // after "</presence>"
  for (std::size_t n = 0; n < end; ++n) {
    SCOPED_TRACE(n);
    EXPECT_FALSE(parse_pidf(full.substr(0, n)).ok());
  }
  EXPECT_TRUE(parse_pidf(full.substr(0, end)).ok());
}

// --- build_pidf ---

TEST(Pidf, build_writes_tuple_person_activity_and_note) {
  EXPECT_EQ(build_pidf("sip:101@example.com", true, "Lunch", "t1", "away"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" "
            "xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\"sip:101@example.com\">\n"
            "<tuple id=\"t1\"><status><basic>open</basic></status><note>Lunch</note></tuple>\n"
            "<dm:person id=\"p-t1\"><rpid:activities><rpid:away/></rpid:activities><dm:note>Lunch</dm:note></dm:person>\n"
            "</presence>\n");
}

TEST(Pidf, build_without_note_or_activity_writes_no_person) {
  const std::string xml = build_pidf("sip:101@example.com", false, "  ", "t1");
  EXPECT_EQ(xml.find("person"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("note"), std::string::npos) << xml;
  auto d = parse_pidf(xml);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_FALSE(d->open());
  EXPECT_EQ(d->tuples.at(0).id, "t1");
}

TEST(Pidf, build_round_trips_through_parse) {
  for (bool open : {true, false}) {
    for (const char* activity : {"", "away", "on-the-phone", "busy"}) {
      auto d = parse_pidf(build_pidf("sip:101@example.com", open, "Back at 3", "t1", activity));
      ASSERT_TRUE(d.ok()) << d.error().message;
      EXPECT_EQ(d->entity, "sip:101@example.com");
      ASSERT_EQ(d->tuples.size(), 1u);
      EXPECT_EQ(d->tuples[0].open, open);
      EXPECT_EQ(d->tuples[0].note, "Back at 3");
      EXPECT_EQ(d->open(), open);
      EXPECT_EQ(d->note, "Back at 3");
      EXPECT_EQ(d->activity, activity);
    }
  }
}

TEST(Pidf, build_escapes_every_markup_character) {
  const std::string note = R"(<b>Tom & "Jerry"'s</b> ]]> &amp;)";
  const std::string xml = build_pidf(R"(sip:"a"&'b'<c>@x)", true, note, "t\"1");
  EXPECT_NE(xml.find("&lt;b&gt;Tom &amp; &quot;Jerry&quot;&apos;s&lt;/b&gt; ]]&gt; &amp;amp;"), std::string::npos) << xml;
  auto d = parse_pidf(xml);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->note, note);
  EXPECT_EQ(d->tuples.at(0).note, note);
  EXPECT_EQ(d->entity, R"(sip:"a"&'b'<c>@x)");
  EXPECT_EQ(d->tuples.at(0).id, "t\"1");
}

TEST(Pidf, build_keeps_line_breaks_and_replaces_what_xml_cannot_carry) {
  auto d = parse_pidf(build_pidf("e", true, "a\r\nb\tc\nd", "t1"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->note, "a\r\nb\tc\nd") << "CR written as &#13; survives line-end normalisation";
  d = parse_pidf(build_pidf("e\x01", true, std::string("x\0y\x1F\xC3(z", 7), "t\xFF"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->note, "x\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBD(z");
  EXPECT_EQ(d->entity, "e\xEF\xBF\xBD");
  EXPECT_EQ(d->tuples.at(0).id, "t\xEF\xBF\xBD");
}

TEST(Pidf, build_omits_an_activity_that_is_not_a_lower_case_token) {
  for (const char* bad : {"Away", "on the phone", "away/><x", "note", "caf\xC3\xA9", "-1", "-"}) {
    SCOPED_TRACE(bad);
    const std::string xml = build_pidf("e", true, "", "t1", bad);
    EXPECT_EQ(xml.find("activities"), std::string::npos) << xml;
    auto d = parse_pidf(xml);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->activity, "");
  }
}

}  // namespace
}  // namespace wwp::pres
