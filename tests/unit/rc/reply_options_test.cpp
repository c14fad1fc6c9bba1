// reply() options (spec §2.6, §7.5.5 table, §11.3 inbound-reply-options):
// every row of the mapping table and every invalid case.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/rc/commands.hpp"
#include "core/rc/reply_options.hpp"

namespace wwp::rc {
namespace {

LooseReplyArgs obj(std::string type) {
  LooseReplyArgs a;
  a.type = std::move(type);
  return a;
}

// The prc of the SDK's own unit test (§11.3): Hdr {SID, Req, From, To}, <Bdy/>.
RcMessage sdk_test_prc() {
  return parse_rc_xml(R"(<Msg><Hdr SID="sid" Req="req" From="101" To="100"/><Bdy/></Msg>)").value();
}

RcAttributes built_bdy(const LooseReplyArgs& args) {
  auto opts = parse_reply_options(args);
  EXPECT_TRUE(opts.ok()) << opts.error().detail;
  if (!opts.ok()) return {};
  auto m = build_reply(sdk_test_prc(), "id", *opts);
  EXPECT_TRUE(m.ok());
  EXPECT_EQ(m->cmd(), RcCmd::ClientReply);
  // Through the wire form, as the SDK test reads it back with fromXml().
  return parse_rc_xml(m->to_xml()).value().bdy;
}

TEST(RcReplyOptions, every_row_of_the_mapping_table_gives_the_sdk_bdy) {
  LooseReplyArgs text;
  text.text = "Custom reply";
  EXPECT_EQ(built_bdy(text), (RcAttributes{{"Cln", "id"}, {"RepTp", "0"}, {"Bdy", "Custom reply"}}));

  auto cyb = obj("callYouBack");
  cyb.direction = "toCaller";
  cyb.delay = 4;
  cyb.unit = "days";
  EXPECT_EQ(built_bdy(cyb),
            (RcAttributes{{"Cln", "id"}, {"RepTp", "1"}, {"Dir", "0"}, {"Vl", "4"}, {"Units", "2"}}));

  EXPECT_EQ(built_bdy(obj("onMyWay")), (RcAttributes{{"Cln", "id"}, {"RepTp", "2"}}));
  EXPECT_EQ(built_bdy(obj("onOtherLine")), (RcAttributes{{"Cln", "id"}, {"RepTp", "3"}}));

  auto later = obj("callYouBackLater");
  later.direction = "fromCaller";
  EXPECT_EQ(built_bdy(later), (RcAttributes{{"Cln", "id"}, {"RepTp", "4"}, {"Dir", "1"}}));

  EXPECT_EQ(built_bdy(obj("inAMeeting")), (RcAttributes{{"Cln", "id"}, {"RepTp", "5"}}));
  EXPECT_EQ(built_bdy(obj("onOtherLineNoCall")), (RcAttributes{{"Cln", "id"}, {"RepTp", "6"}}));
}

TEST(RcReplyOptions, call_you_back_maps_every_direction_and_unit) {
  const std::vector<std::pair<std::string, std::string>> dirs = {{"toCaller", "0"}, {"fromCaller", "1"}};
  const std::vector<std::pair<std::string, std::string>> units = {{"minutes", "0"}, {"hours", "1"}, {"days", "2"}};
  for (const auto& [d, dv] : dirs) {
    for (const auto& [u, uv] : units) {
      auto a = obj("callYouBack");
      a.direction = d;
      a.unit = u;
      a.delay = 0;
      EXPECT_EQ(reply_bdy(parse_reply_options(a).value()),
                (RcAttributes{{"RepTp", "1"}, {"Dir", dv}, {"Vl", "0"}, {"Units", uv}}));
    }
  }
  auto big = obj("callYouBack");
  big.direction = "toCaller";
  big.unit = "minutes";
  big.delay = 4294967295.0;
  EXPECT_EQ(reply_bdy(parse_reply_options(big).value())[2].second, "4294967295");
}

TEST(RcReplyOptions, sdk_invalid_cases_fail_with_invalid_reply_options) {
  // §11.3: `unknown` type, missing fields, direction "sideways".
  auto sideways = obj("callYouBack");
  sideways.direction = "sideways";
  sideways.delay = 4;
  sideways.unit = "days";
  for (const auto& a : {obj("unknown"), obj("callYouBack"), sideways}) {
    auto r = parse_reply_options(a);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, RcErrorCode::InvalidReplyOptions);
    EXPECT_EQ(r.error().to_string(), "Invalid reply options");
    EXPECT_FALSE(r.error().is_remote());
  }
}

TEST(RcReplyOptions, every_missing_or_bad_field_is_invalid) {
  auto base = [] {
    auto a = obj("callYouBack");
    a.direction = "toCaller";
    a.delay = 4;
    a.unit = "days";
    return a;
  };
  std::vector<LooseReplyArgs> bad;
  bad.push_back(LooseReplyArgs{});  // neither text nor type
  { auto a = base(); a.direction.reset(); bad.push_back(a); }
  { auto a = base(); a.delay.reset(); bad.push_back(a); }
  { auto a = base(); a.unit.reset(); bad.push_back(a); }
  { auto a = base(); a.unit = "weeks"; bad.push_back(a); }
  { auto a = base(); a.unit = "Days"; bad.push_back(a); }
  { auto a = base(); a.direction = "ToCaller"; bad.push_back(a); }
  { auto a = base(); a.delay = -1; bad.push_back(a); }
  { auto a = base(); a.delay = 1.5; bad.push_back(a); }
  { auto a = base(); a.delay = std::nan(""); bad.push_back(a); }
  { auto a = base(); a.delay = std::numeric_limits<double>::infinity(); bad.push_back(a); }
  { auto a = base(); a.delay = 4294967296.0; bad.push_back(a); }
  { auto a = obj("callYouBackLater"); bad.push_back(a); }
  { auto a = obj("callYouBackLater"); a.direction = ""; bad.push_back(a); }
  { auto a = obj(""); bad.push_back(a); }
  { auto a = obj("onmyway"); bad.push_back(a); }
  { auto a = obj("onMyWay"); a.text = "both"; bad.push_back(a); }
  for (std::size_t i = 0; i < bad.size(); ++i) {
    auto r = parse_reply_options(bad[i]);
    ASSERT_FALSE(r.ok()) << "case " << i;
    EXPECT_EQ(r.error().code, RcErrorCode::InvalidReplyOptions) << "case " << i;
  }
}

TEST(RcReplyOptions, members_a_type_does_not_use_are_ignored) {
  auto a = obj("onMyWay");
  a.delay = 4;
  a.unit = "weeks";
  a.direction = "sideways";
  auto r = parse_reply_options(a);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::holds_alternative<OnMyWay>(*r));
}

TEST(RcReplyOptions, reply_text_with_control_characters_is_refused_before_building) {
  LooseReplyArgs a;
  a.text = "line1\r\nline2";
  auto r = parse_reply_options(a);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, RcErrorCode::InvalidText);
  a.text = "";  // the SDK sends an empty Bdy="" without complaint
  EXPECT_TRUE(parse_reply_options(a).ok());
  a.text = "tab\there and \xC3\xA9";
  EXPECT_TRUE(parse_reply_options(a).ok());
}

}  // namespace
}  // namespace wwp::rc
