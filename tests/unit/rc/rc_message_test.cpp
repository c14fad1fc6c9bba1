// RcMessage parse/serialise (spec §2.11, §8.1-8.3; house style §19-20):
// captured and synthetic vectors for every Cmd code, hostile inputs, byte-exact
// round trips, escaping and a truncation loop.
#include <gtest/gtest.h>

#include <string>

#include "core/rc/rc_message.hpp"
#include "tests/unit/rc/rc_vectors.hpp"

namespace wwp::rc {
namespace {

using testing::expected_code;
using testing::list;
using testing::read_bytes;
using testing::read_vector;

TEST(RcMessage, every_valid_vector_parses_with_its_cmd_and_round_trips_byte_exact) {
  const auto files = list("xml/valid", {".xml", ".prc"});
  ASSERT_EQ(files.size(), 17u) << "one vector per Cmd code 1..17";
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    std::string text = read_bytes(f);
    auto m = parse_rc_xml(text);
    ASSERT_TRUE(m.ok()) << m.error().to_string();
    const int want = std::stoi(f.filename().string().substr(3, 2));
    ASSERT_TRUE(m->cmd().has_value());
    EXPECT_EQ(static_cast<int>(*m->cmd()), want);
    if (f.extension() == ".prc") text = text.substr(6);  // "P-rc: "
    EXPECT_EQ(m->to_xml(), text);
    EXPECT_EQ(parse_rc_xml(m->to_xml()).value(), *m);
  }
}

TEST(RcMessage, every_invalid_vector_is_refused_with_its_code) {
  const auto files = list("xml/invalid", {".xml"});
  ASSERT_GE(files.size(), 20u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    auto m = parse_rc_xml(read_bytes(f));
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(to_string(m.error().code), expected_code(f)) << m.error().to_string();
    EXPECT_TRUE(m.error().is_remote());
  }
}

TEST(RcMessage, incoming_call_prc_exposes_hdr_and_bdy_in_wire_order) {
  auto m = parse_rc_xml(read_vector("xml/valid/cmd06_incoming_call.prc"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->cmd(), RcCmd::IncomingCall);
  EXPECT_EQ(m->sid(), "35464233129848");
  EXPECT_EQ(m->hdr_attr("Req"), "{EEB7D831-D9D9-4815-9631-EEC476D21BD4}");
  EXPECT_EQ(m->hdr_attr("From"), "#996016@sip.ringcentral.com:5060");
  EXPECT_EQ(m->hdr_attr("To"), "17206666666*115");
  EXPECT_EQ(m->bdy_attr("Phn"), "+16506666666");
  EXPECT_EQ(m->bdy_attr("ToPhn"), "+16504223279");
  EXPECT_EQ(m->bdy_attr("Nm"), "WIRELESS CALLER");
  EXPECT_EQ(m->bdy_attr("RecUrl"), "");  // present but empty
  EXPECT_EQ(m->bdy_attr("Missing"), std::nullopt);
  EXPECT_EQ(m->hdr_attr("sid"), std::nullopt) << "names are case-sensitive";
  const std::vector<std::string> order = {"SrvLvl", "SrvLvlExt", "Phn", "Nm", "ToPhn", "ToNm", "RecUrl"};
  ASSERT_EQ(m->bdy.size(), order.size());
  for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(m->bdy[i].first, order[i]);
}

TEST(RcMessage, prefix_stripped_only_when_literal_and_leading) {
  const std::string xml = R"(<Msg><Hdr Cmd="7"/><Bdy/></Msg>)";
  EXPECT_TRUE(parse_rc_xml("P-rc: " + xml).ok());
  EXPECT_FALSE(parse_rc_xml("p-rc: " + xml).ok());
  EXPECT_FALSE(parse_rc_xml("P-rc:" + xml).ok());
  EXPECT_FALSE(parse_rc_xml("P-rc: P-rc: " + xml).ok());
}

TEST(RcMessage, empty_bdy_parses_and_serialises_as_self_closed) {
  auto m = parse_rc_xml(R"(<Msg><Hdr SID="sid" Cmd="9"/><Bdy></Bdy></Msg>)");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->bdy.empty());
  EXPECT_EQ(m->to_xml(), R"(<Msg><Hdr SID="sid" Cmd="9"/><Bdy/></Msg>)");
  EXPECT_EQ(RcMessage{}.to_xml(), "<Msg><Hdr/><Bdy/></Msg>");
}

TEST(RcMessage, tolerates_declaration_whitespace_and_bdy_before_hdr) {
  auto m = parse_rc_xml("<?xml version=\"1.0\"?>\n<Msg>\n  <Bdy Cln=\"1\"/>\n  <Hdr Cmd=\"7\"/>\n</Msg>\n");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->cmd(), RcCmd::AlreadyProcessed);
  EXPECT_EQ(m->to_xml(), R"(<Msg><Hdr Cmd="7"/><Bdy Cln="1"/></Msg>)");
}

TEST(RcMessage, to_xml_escapes_the_five_specials_like_the_sdk) {
  RcMessage m;
  m.hdr = {{"SID", "1"}};
  m.bdy = {{"Bdy", R"(a&b<c>d"e'f)"}};
  EXPECT_EQ(m.to_xml(), R"(<Msg><Hdr SID="1"/><Bdy Bdy="a&amp;b&lt;c&gt;d&quot;e&apos;f"/></Msg>)");
}

TEST(RcMessage, escaping_round_trips_every_special_and_unicode) {
  const std::vector<std::string> values = {"",          "&",          "&amp;",        "<<>>",    "\"'\"'",
                                           "a\tb\nc\rd", "Jos\xC3\xA9", "\xF0\x9F\x93\x9E", "]]>",     "&#x41;",
                                           "x=\"1\" y", "</Msg>"};
  for (const auto& v : values) {
    SCOPED_TRACE(v);
    RcMessage m;
    m.hdr = {{"SID", v}, {"Cmd", "14"}};
    m.bdy = {{"Cln", "id"}, {"Bdy", v}};
    auto back = parse_rc_xml(m.to_xml());
    ASSERT_TRUE(back.ok()) << back.error().to_string() << " for " << m.to_xml();
    EXPECT_EQ(*back, m);
  }
}

TEST(RcMessage, predefined_and_char_references_are_decoded) {
  auto m = parse_rc_xml(R"(<Msg><Hdr SID="&lt;&#65;&#x42;&amp;&gt;&quot;&apos;&#xe9;"/><Bdy/></Msg>)");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->sid(), "<AB&>\"'\xC3\xA9");
}

TEST(RcMessage, raw_whitespace_in_attributes_is_normalised_per_xml) {
  auto m = parse_rc_xml("<Msg><Hdr SID=\"a\tb\nc\"/><Bdy/></Msg>");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->sid(), "a b c");
}

TEST(RcMessage, cmd_is_strict_decimal_1_to_17) {
  auto cmd_of = [](const std::string& v) {
    RcMessage m;
    m.hdr = {{"Cmd", v}};
    return m.cmd();
  };
  for (int i = 1; i <= 17; ++i) EXPECT_EQ(cmd_of(std::to_string(i)), static_cast<RcCmd>(i));
  for (const char* bad : {"", "0", "18", "06", "+6", " 6", "6 ", "x", "-1", "170"}) {
    EXPECT_EQ(cmd_of(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(RcMessage{}.cmd(), std::nullopt);
  EXPECT_EQ(to_string(RcCmd::SessionClose), "SessionClose");
  EXPECT_EQ(to_string(RcCmd::ClientReceiveConfirm), "ClientReceiveConfirm");
}

TEST(RcMessage, input_over_16_KiB_is_refused_before_parsing) {
  std::string big = R"(<Msg><Hdr SID=")" + std::string(kMaxRcXmlSize, 'x') + R"("/><Bdy/></Msg>)";
  auto m = parse_rc_xml(big);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, RcErrorCode::TooLarge);
}

TEST(RcMessage, huge_attribute_within_limit_is_kept_whole) {
  const std::string v(kMaxRcXmlSize - 64, 'y');
  auto m = parse_rc_xml(R"(<Msg><Hdr SID=")" + v + R"("/><Bdy/></Msg>)");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->sid(), v);
}

TEST(RcMessage, more_than_64_attributes_on_one_element_are_refused) {
  auto make = [](std::size_t n) {
    std::string s = "<Msg><Hdr Cmd=\"7\"/><Bdy";
    for (std::size_t i = 0; i < n; ++i) s += " a" + std::to_string(i) + "=\"v\"";
    return s + "/></Msg>";
  };
  EXPECT_TRUE(parse_rc_xml(make(kMaxRcAttributes)).ok());
  auto m = parse_rc_xml(make(kMaxRcAttributes + 1));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, RcErrorCode::TooManyAttributes);
}

TEST(RcMessage, doctype_is_refused_even_without_entities) {
  auto m = parse_rc_xml("<!DOCTYPE Msg><Msg><Hdr/><Bdy/></Msg>");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, RcErrorCode::DoctypeForbidden);
}

TEST(RcMessage, every_prefix_of_a_valid_message_is_refused_without_crashing) {
  const std::string text = read_vector("xml/valid/cmd06_incoming_call.prc");
  for (std::size_t n = 0; n < text.size(); ++n) {
    auto m = parse_rc_xml(std::string_view(text).substr(0, n));
    EXPECT_FALSE(m.ok()) << "prefix of length " << n << " was accepted";
  }
}

TEST(RcMessage, error_to_string_is_descriptive) {
  auto m = parse_rc_xml("<Msg><Bdy/></Msg>");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().to_string(), "RC XML has no Hdr element");
  EXPECT_EQ(to_string(RcErrorCode::MissingHdr), "MissingHdr");
}

}  // namespace
}  // namespace wwp::rc

namespace wwp::rc {
namespace {

TEST(RcMessage, text_outside_the_root_element_is_refused) {
  for (const char* bad : {"junk<Msg><Hdr/><Bdy/></Msg>", "<Msg><Hdr/><Bdy/></Msg>junk",
                          "<?xml version=\"1.0\"?>junk<Msg><Hdr/><Bdy/></Msg>", "<Msg><Hdr/><Bdy/></Msg><Msg/>"}) {
    auto m = parse_rc_xml(bad);
    ASSERT_FALSE(m.ok()) << bad;
    EXPECT_EQ(m.error().code, RcErrorCode::UnexpectedContent) << bad;
  }
}

}  // namespace
}  // namespace wwp::rc
