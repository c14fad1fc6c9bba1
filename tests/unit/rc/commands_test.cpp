// RC call-control commands (spec §7.5, §3.8, §8.3): builders against golden
// vectors, the MESSAGE request-URI, Cln filtering, SessionClose matching, and
// injection safety for user-supplied targets and text.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/rc/commands.hpp"
#include "tests/unit/rc/rc_vectors.hpp"

namespace wwp::rc {
namespace {

using testing::read_vector;

constexpr std::string_view kAuthId = "802398808016";

RcMessage incoming_prc() { return parse_rc_xml(read_vector("xml/valid/cmd06_incoming_call.prc")).value(); }

TEST(RcCommands, confirm_receive_is_byte_identical_to_the_captured_sdk_message) {
  auto m = build_confirm_receive(incoming_prc(), kAuthId);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->to_xml(), read_vector("xml/valid/cmd17_receive_confirm.xml"));
}

TEST(RcCommands, every_builder_matches_its_golden_vector) {
  const auto prc = incoming_prc();
  ReplyOptions text = ReplyText{R"(I'll call you "soon" & <later>)"};
  const std::vector<std::pair<Result<RcMessage, RcError>, std::string>> cases = {
      {build_forward(prc, kAuthId, "16505550199*101"), "cmd10_forward.xml"},
      {build_to_voicemail(prc, kAuthId), "cmd11_voicemail.xml"},
      {build_decline(prc, kAuthId), "cmd12_reject.xml"},
      {build_start_reply(prc, kAuthId), "cmd13_start_reply.xml"},
      {build_reply(prc, kAuthId, text), "cmd14_reply.xml"},
      {build_command(prc, kAuthId, RcCmd::ClientNotProcessed), "cmd15_not_processed.xml"},
      {build_command(prc, kAuthId, RcCmd::ClientClosed), "cmd16_closed.xml"},
      {build_confirm_receive(prc, kAuthId), "cmd17_receive_confirm.xml"},
  };
  for (const auto& [built, file] : cases) {
    SCOPED_TRACE(file);
    ASSERT_TRUE(built.ok()) << built.error().to_string();
    EXPECT_EQ(built->to_xml(), read_vector("xml/valid/" + file));
  }
}

TEST(RcCommands, new_hdr_swaps_from_and_to_and_bdy_starts_with_cln) {
  auto m = build_decline(incoming_prc(), kAuthId);
  ASSERT_TRUE(m.ok());
  const RcAttributes hdr = {{"SID", "35464233129848"},
                            {"Req", "{EEB7D831-D9D9-4815-9631-EEC476D21BD4}"},
                            {"From", "17206666666*115"},
                            {"To", "#996016@sip.ringcentral.com:5060"},
                            {"Cmd", "12"}};
  EXPECT_EQ(m->hdr, hdr);
  EXPECT_EQ(m->bdy, (RcAttributes{{"Cln", "802398808016"}}));
}

TEST(RcCommands, message_request_uri_keeps_the_hash_raw) {
  auto uri = message_request_uri(incoming_prc());
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(*uri, "sip:#996016@sip.ringcentral.com:5060");
}

TEST(RcCommands, message_request_uri_refuses_addresses_that_would_break_the_request_line) {
  for (const char* bad : {"", "a b@x", "a\r\nVia: evil", "a<b", "a>b", "a\"b", "a\tb"}) {
    RcMessage prc;
    prc.hdr = {{"From", bad}};
    auto uri = message_request_uri(prc);
    ASSERT_FALSE(uri.ok()) << bad;
    EXPECT_EQ(uri.error().code, RcErrorCode::UnsafeAddress);
  }
  auto none = message_request_uri(RcMessage{});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, RcErrorCode::MissingAttribute);
}

TEST(RcCommands, prc_without_sid_from_or_to_builds_nothing) {
  for (const char* drop : {"SID", "From", "To"}) {
    RcMessage prc = incoming_prc();
    prc.hdr.erase(std::remove_if(prc.hdr.begin(), prc.hdr.end(), [&](auto& a) { return a.first == drop; }),
                  prc.hdr.end());
    auto m = build_confirm_receive(prc, kAuthId);
    ASSERT_FALSE(m.ok()) << drop;
    EXPECT_EQ(m.error().code, RcErrorCode::MissingAttribute);
    EXPECT_EQ(m.error().detail, std::string("Hdr.") + drop);
  }
}

TEST(RcCommands, prc_without_req_sends_an_empty_req) {
  RcMessage prc;
  prc.hdr = {{"SID", "sid"}, {"From", "101"}, {"To", "100"}};
  auto m = build_start_reply(prc, "id");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->to_xml(), R"(<Msg><Hdr SID="sid" Req="" From="100" To="101" Cmd="13"/><Bdy Cln="id"/></Msg>)");
}

TEST(RcCommands, forward_target_with_cr_lf_or_nul_is_refused) {
  const auto prc = incoming_prc();
  for (std::string bad : {std::string("1650\r\nVia: x"), std::string("1650\n"), std::string("16\0" "50", 4),
                          std::string(""), std::string("a\tb"), std::string("\x7f"), std::string("\xC3")}) {
    auto m = build_forward(prc, kAuthId, bad);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, RcErrorCode::InvalidTarget);
    EXPECT_FALSE(m.error().is_remote());
  }
}

TEST(RcCommands, forward_target_with_xml_specials_is_escaped_not_interpreted) {
  auto m = build_forward(incoming_prc(), kAuthId, R"(1"/><Evil a="&)");
  ASSERT_TRUE(m.ok());
  const std::string xml = m->to_xml();
  EXPECT_NE(xml.find(R"(Phn="1&quot;/&gt;&lt;Evil a=&quot;&amp;")"), std::string::npos) << xml;
  auto back = parse_rc_xml(xml);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->bdy_attr("Phn"), R"(1"/><Evil a="&)");
  EXPECT_EQ(back->bdy.size(), 4u);
}

TEST(RcCommands, reply_text_with_cr_lf_or_nul_is_refused) {
  for (std::string bad : {std::string("hi\r\nthere"), std::string("a\0b", 3), std::string("\x1b[31m")}) {
    auto m = build_reply(incoming_prc(), kAuthId, ReplyText{bad});
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, RcErrorCode::InvalidText);
  }
}

TEST(RcCommands, authorization_id_with_control_characters_is_refused) {
  auto m = build_confirm_receive(incoming_prc(), "80\r\n2");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, RcErrorCode::InvalidText);
}

TEST(RcCommands, cmd7_for_another_instance_is_not_ours) {
  auto m = parse_rc_xml(read_vector("xml/valid/cmd07_already_processed.xml")).value();
  EXPECT_TRUE(is_for_instance(m, "802398808016"));
  EXPECT_FALSE(is_for_instance(m, "802398808017"));
  EXPECT_FALSE(is_for_instance(m, ""));
  RcMessage no_cln;
  no_cln.hdr = {{"Cmd", "7"}};
  EXPECT_TRUE(is_for_instance(no_cln, "802398808016"));
}

TEST(RcCommands, session_close_exposes_sts_resp_extnfo_phn_nm) {
  auto m = parse_rc_xml(read_vector("xml/valid/cmd09_session_close.xml")).value();
  auto sc = parse_session_close(m);
  ASSERT_TRUE(sc.ok()) << sc.error().to_string();
  EXPECT_EQ(sc->sid, "35464243582848");
  EXPECT_EQ(sc->sts, "0");
  EXPECT_TRUE(sc->caller_replied());
  EXPECT_EQ(sc->resp, "3");
  EXPECT_EQ(sc->response(), CallerResponse::Urgent);
  EXPECT_EQ(sc->ext_nfo, "16505550123");
  EXPECT_EQ(sc->phn, "+16506666666");
  EXPECT_EQ(sc->nm, "WIRELESS CALLER");
}

TEST(RcCommands, session_close_with_absent_fields_leaves_them_empty) {
  RcMessage m;
  m.hdr = {{"SID", "sid"}, {"Cmd", "9"}};
  m.bdy = {{"Sts", "complete"}};
  auto sc = parse_session_close(m);
  ASSERT_TRUE(sc.ok());
  EXPECT_FALSE(sc->caller_replied());
  EXPECT_EQ(sc->resp, std::nullopt);
  EXPECT_EQ(sc->response(), std::nullopt);
  EXPECT_EQ(sc->nm, std::nullopt);
}

TEST(RcCommands, session_close_parser_refuses_other_commands_and_missing_sid) {
  auto c7 = parse_session_close(parse_rc_xml(read_vector("xml/valid/cmd07_already_processed.xml")).value());
  ASSERT_FALSE(c7.ok());
  EXPECT_EQ(c7.error().code, RcErrorCode::WrongCommand);
  EXPECT_EQ(c7.error().detail, "7");
  RcMessage no_sid;
  no_sid.hdr = {{"Cmd", "9"}};
  auto e = parse_session_close(no_sid);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, RcErrorCode::MissingAttribute);
}

TEST(RcCommands, reply_waits_for_session_close_with_same_sid_only) {
  // spec §11.3: the SessionClose whose SID matches resolves reply() even on
  // another Call-ID; one with another SID is ignored.
  auto close = [](const char* sid, const char* cmd) {
    RcMessage m;
    m.hdr = {{"SID", sid}, {"Cmd", cmd}};
    m.bdy = {{"Sts", "complete"}};
    return parse_rc_xml(m.to_xml()).value();
  };
  EXPECT_TRUE(is_session_close_for(close("sid", "9"), "sid"));
  EXPECT_FALSE(is_session_close_for(close("other-sid", "9"), "sid"));
  EXPECT_FALSE(is_session_close_for(close("sid", "7"), "sid"));
  EXPECT_FALSE(is_session_close_for(RcMessage{}, ""));
}

}  // namespace
}  // namespace wwp::rc
