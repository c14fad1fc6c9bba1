// dialog-info (RFC 4235): parse_dialog_info on documents shaped like what
// Asterisk, FreeSWITCH and Kamailio (pua_dialoginfo) send for busy-lamp
// fields, every refusal of the contract in core/pres/dialog_info.hpp, and
// hostile input (house style §19).
#include <gtest/gtest.h>

#include <string>

#include "core/pres/dialog_info.hpp"

namespace wwp::pres {
namespace {

// Asterisk (res_pjsip_dialog_info_body_generator): a confirmed call of 102.
constexpr const char* kAsterisk = R"(<?xml version="1.0" encoding="UTF-8"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="3" state="full" entity="sip:102@localhost">
 <dialog id="b6a57c0e-3b29" call-id="b6a57c0e-3b29-4d1a@192.0.2.5" local-tag="as5c2b" remote-tag="8dd3f1" direction="initiator">
  <state>confirmed</state>
  <local>
   <identity display="Bob">sip:102@localhost</identity>
   <target uri="sip:102@1.2.3.4"/>
  </local>
  <remote>
   <identity display="Alice &amp; Co">sip:101@localhost</identity>
   <target uri="sip:101@localhost"/>
  </remote>
 </dialog>
</dialog-info>
)";

// FreeSWITCH: a ringing inbound call (early, recipient), target params.
constexpr const char* kFreeSwitch =
    "<?xml version=\"1.0\"?>\n"
    "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"17\" state=\"partial\" "
    "entity=\"sip:1000@10.0.0.1\">\n"
    "<dialog id=\"4f6c1b7e\" direction=\"recipient\">\n<state>early</state>\n"
    "<local>\n<identity display=\"1000\">sip:1000@10.0.0.1</identity>\n"
    "<target uri=\"sip:1000@10.0.0.1\">\n<param pname=\"+sip.rendering\" pvalue=\"no\"/>\n</target>\n</local>\n"
    "<remote>\n<identity display=\"Outside\">sip:5551234@10.0.0.1</identity>\n"
    "<target uri=\"sip:**1000@10.0.0.1\"/>\n</remote>\n</dialog>\n</dialog-info>";

// Kamailio pua_dialoginfo with a prefixed namespace, a terminated dialog
// with event and code, and an idle line (no dialog) as the second document.
constexpr const char* kKamailioTerminated =
    R"(<d:dialog-info xmlns:d="urn:ietf:params:xml:ns:dialog-info" version="5" state="full" entity="sip:103@example.com">)"
    R"(<d:dialog id="abc" call-id="x@y" direction="Initiator"><d:state event="rejected" code="486">Terminated</d:state>)"
    R"(<d:duration>3</d:duration><d:remote><d:identity>sip:104@example.com</d:identity></d:remote></d:dialog>)"
    R"(</d:dialog-info>)";
constexpr const char* kIdle =
    R"(<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="full" entity="sip:103@example.com"/>)";

std::string doc(const std::string& dialogs, const std::string& attrs = R"(version="1" state="full" entity="sip:e@x")") {
  return "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" " + attrs + ">" + dialogs + "</dialog-info>";
}

TEST(DialogInfo, asterisk_confirmed_call) {
  auto i = parse_dialog_info(kAsterisk);
  ASSERT_TRUE(i.ok()) << i.error().message;
  EXPECT_EQ(i->entity, "sip:102@localhost");
  EXPECT_EQ(i->version, 3u);
  EXPECT_TRUE(i->full);
  ASSERT_EQ(i->dialogs.size(), 1u);
  const auto& d = i->dialogs[0];
  EXPECT_EQ(d.id, "b6a57c0e-3b29");
  EXPECT_EQ(d.call_id, "b6a57c0e-3b29-4d1a@192.0.2.5");
  EXPECT_EQ(d.local_tag, "as5c2b");
  EXPECT_EQ(d.remote_tag, "8dd3f1");
  EXPECT_EQ(d.direction, DialogDirection::Initiator);
  EXPECT_EQ(d.state, DialogState::Confirmed);
  EXPECT_EQ(d.state_event, "");
  EXPECT_EQ(d.state_code, 0);
  EXPECT_EQ(d.local_identity, "sip:102@localhost");
  EXPECT_EQ(d.local_display, "Bob");
  EXPECT_EQ(d.local_target, "sip:102@1.2.3.4");
  EXPECT_EQ(d.remote_identity, "sip:101@localhost");
  EXPECT_EQ(d.remote_display, "Alice & Co");
  EXPECT_EQ(d.remote_target, "sip:101@localhost");
}

TEST(DialogInfo, freeswitch_partial_early_inbound_call) {
  auto i = parse_dialog_info(kFreeSwitch);
  ASSERT_TRUE(i.ok()) << i.error().message;
  EXPECT_EQ(i->version, 17u);
  EXPECT_FALSE(i->full);
  ASSERT_EQ(i->dialogs.size(), 1u);
  const auto& d = i->dialogs[0];
  EXPECT_EQ(d.direction, DialogDirection::Recipient);
  EXPECT_EQ(d.state, DialogState::Early);
  EXPECT_EQ(d.call_id, "") << "no call-id before the dialog exists";
  EXPECT_EQ(d.local_target, "sip:1000@10.0.0.1");
  EXPECT_EQ(d.remote_display, "Outside");
  EXPECT_EQ(d.remote_target, "sip:**1000@10.0.0.1");
}

TEST(DialogInfo, kamailio_prefixed_terminated_with_event_and_code) {
  auto i = parse_dialog_info(kKamailioTerminated);
  ASSERT_TRUE(i.ok()) << i.error().message;
  ASSERT_EQ(i->dialogs.size(), 1u);
  const auto& d = i->dialogs[0];
  EXPECT_EQ(d.state, DialogState::Terminated) << "compared in any case";
  EXPECT_EQ(d.direction, DialogDirection::Initiator);
  EXPECT_EQ(d.state_event, "rejected");
  EXPECT_EQ(d.state_code, 486);
  EXPECT_EQ(d.local_identity, "") << "no <local>";
  EXPECT_EQ(d.remote_identity, "sip:104@example.com");
  EXPECT_EQ(d.remote_display, "");
}

TEST(DialogInfo, idle_line_has_no_dialogs) {
  auto i = parse_dialog_info(kIdle);
  ASSERT_TRUE(i.ok()) << i.error().message;
  EXPECT_EQ(i->version, 0u);
  EXPECT_TRUE(i->dialogs.empty());
}

TEST(DialogInfo, every_state_and_direction_reads_and_names) {
  for (auto st : {DialogState::Trying, DialogState::Proceeding, DialogState::Early, DialogState::Confirmed,
                  DialogState::Terminated}) {
    auto i = parse_dialog_info(doc(std::string("<dialog id='d'><state> ") + to_string(st) + " </state></dialog>"));
    ASSERT_TRUE(i.ok()) << i.error().message;
    EXPECT_EQ(i->dialogs.at(0).state, st);
  }
  EXPECT_STREQ(to_string(DialogState::Trying), "trying");
  EXPECT_STREQ(to_string(DialogState::Proceeding), "proceeding");
  EXPECT_STREQ(to_string(DialogState::Early), "early");
  EXPECT_STREQ(to_string(DialogState::Confirmed), "confirmed");
  EXPECT_STREQ(to_string(DialogState::Terminated), "terminated");
  EXPECT_STREQ(to_string(DialogDirection::Unknown), "unknown");
  EXPECT_STREQ(to_string(DialogDirection::Initiator), "initiator");
  EXPECT_STREQ(to_string(DialogDirection::Recipient), "recipient");
  for (const char* dir : {"", "sideways", "initiator2"}) {
    auto i = parse_dialog_info(doc(std::string("<dialog id='d' direction='") + dir + "'><state>trying</state></dialog>"));
    ASSERT_TRUE(i.ok());
    EXPECT_EQ(i->dialogs.at(0).direction, DialogDirection::Unknown) << dir;
  }
}

TEST(DialogInfo, version_limits) {
  EXPECT_EQ(parse_dialog_info(doc("", R"(version=" 4294967295 " state="full" entity="e")"))->version, 4294967295u);
  EXPECT_EQ(parse_dialog_info(doc("", R"(version="007" state="Partial" entity="e")"))->version, 7u);
  for (const char* bad : {"", "abc", "-1", "+1", "1.5", "4294967296", "99999999999999999999999"}) {
    SCOPED_TRACE(bad);
    auto i = parse_dialog_info(doc("", std::string("version=\"") + bad + "\" state=\"full\" entity=\"e\""));
    ASSERT_FALSE(i.ok());
    EXPECT_NE(i.error().message.find("is not a number"), std::string::npos) << i.error().message;
  }
}

TEST(DialogInfo, refusals_name_what_is_wrong) {
  const struct {
    std::string xml;
    std::string says;
  } cases[] = {
      {"", "empty document, expected <dialog-info>"},
      {"not xml", "no root element"},
      {"<presence entity='e'/>", "root element is <presence>, not <dialog-info>"},
      {"<dialog-info state='full' entity='e'/>", "without version"},
      {"<dialog-info version='1' entity='e'/>", "without state"},
      {"<dialog-info version='1' state='full'/>", "without entity"},
      {doc("", R"(version="1" state="fully" entity="e")"), R"(state "fully" is neither full nor partial)"},
      {doc("<dialog><state>trying</state></dialog>"), "<dialog> without id"},
      {doc("<dialog id='d'/>"), R"(<dialog id="d"> without <state>)"},
      {doc("<dialog id='d'><state>ringing</state></dialog>"), R"(unknown dialog state "ringing")"},
      {doc("<dialog id='d'><state/></dialog>"), R"(unknown dialog state "")"},
      {doc("<dialog id='d'><state code='abc'>terminated</state></dialog>"), R"(state code "abc" is not a status code)"},
      {doc("<dialog id='d'><state code='99'>terminated</state></dialog>"), "is not a status code 100-699"},
      {doc("<dialog id='d'><state code='700'>terminated</state></dialog>"), "is not a status code 100-699"},
      {doc("<dialog id='d'><state>trying</state></dialog><dialog id='e'><state>x</state></dialog>"),
       R"(unknown dialog state "x")"},
      {doc("<dialog id='d'><state>trying</state>") , "not well-formed"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.xml);
    auto i = parse_dialog_info(c.xml);
    ASSERT_FALSE(i.ok());
    EXPECT_NE(i.error().message.find(c.says), std::string::npos) << i.error().message;
  }
}

TEST(DialogInfo, dialog_limit_is_64) {
  std::string dialogs;
  for (int i = 0; i < 64; ++i) dialogs += "<dialog id='d" + std::to_string(i) + "'><state>trying</state></dialog>";
  auto ok = parse_dialog_info(doc(dialogs));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->dialogs.size(), 64u);
  auto i = parse_dialog_info(doc(dialogs + "<dialog id='d64'><state>trying</state></dialog>"));
  ASSERT_FALSE(i.ok());
  EXPECT_EQ(i.error().message, "more than 64 dialogs");
}

TEST(DialogInfo, long_identifiers_are_refused_long_display_names_cut) {
  const std::string k(kMaxPresText, 'k');
  auto i = parse_dialog_info(doc("<dialog id='d' call-id='" + k + "x'><state>trying</state></dialog>"));
  ASSERT_FALSE(i.ok());
  EXPECT_EQ(i.error().message, "dialog call-id is longer than 1024 bytes");
  i = parse_dialog_info(doc("<dialog id='d'><state>trying</state><remote><target uri='" + k + "x'/></remote></dialog>"));
  ASSERT_FALSE(i.ok());
  EXPECT_EQ(i.error().message, "target uri is longer than 1024 bytes");
  i = parse_dialog_info(doc("<dialog id='d'><state>trying</state><local><identity display='" + k +
                            "more'>sip:a@b</identity></local></dialog>"));
  ASSERT_TRUE(i.ok()) << i.error().message;
  EXPECT_EQ(i->dialogs.at(0).local_display, k);
}

TEST(DialogInfo, hostile_documents_are_refused_or_read_never_crash) {
  std::string laughs = "<!DOCTYPE dialog-info [<!ENTITY a \"aaaaaaaaaa\">";
  for (int n = 1; n <= 9; ++n) {
    laughs += "<!ENTITY a" + std::to_string(n) + " \"";
    for (int k = 0; k < 10; ++k) laughs += n == 1 ? "&a;" : "&a" + std::to_string(n - 1) + ";";
    laughs += "\">";
  }
  laughs += "]>" + doc("<dialog id='&a9;'><state>trying</state></dialog>");
  auto i = parse_dialog_info(laughs);
  ASSERT_FALSE(i.ok());
  EXPECT_NE(i.error().message.find("DOCTYPE"), std::string::npos) << i.error().message;

  std::string deep = "<dialog-info version='1' state='full' entity='e'><dialog id='d'><state>trying</state>";
  for (int n = 0; n < 10000; ++n) deep += "<x>";
  EXPECT_FALSE(parse_dialog_info(deep).ok());

  EXPECT_FALSE(parse_dialog_info(doc("<dialog id='\xFF'><state>trying</state></dialog>")).ok());
  EXPECT_FALSE(parse_dialog_info(std::string(kMaxPresXmlSize + 1, ' ')).ok());

  // Comments, PIs and CDATA where the text is.
  i = parse_dialog_info(doc("<dialog id='d'><!-- c --><state><?pi?>con<![CDATA[firm]]>ed<!--x--></state></dialog>"));
  ASSERT_TRUE(i.ok()) << i.error().message;
  EXPECT_EQ(i->dialogs.at(0).state, DialogState::Confirmed);
}

TEST(DialogInfo, every_truncation_of_a_real_document_is_refused_never_crashes) {
  const std::string full = kAsterisk;
  const std::size_t end = full.rfind('>') + 1;
  for (std::size_t n = 0; n < end; ++n) {
    SCOPED_TRACE(n);
    EXPECT_FALSE(parse_dialog_info(full.substr(0, n)).ok());
  }
  EXPECT_TRUE(parse_dialog_info(full.substr(0, end)).ok());
}

}  // namespace
}  // namespace wwp::pres
