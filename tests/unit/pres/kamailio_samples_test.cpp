// NOTIFY bodies exactly as Kamailio 5.6's presence_xml and
// presence_dialoginfo sent them in the e2e suite (copied from
// e2e/kamailio/samples/): what the readers make of real server output,
// including its quirks (a capitalised "Trying", tags only while early).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/pres/dialog_info.hpp"
#include "core/pres/pidf.hpp"

namespace wwp::pres {
namespace {

std::string sample(const std::string& name) {
  std::ifstream in(std::string(WWP_VECTORS_DIR) + "/pres-kamailio/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_FALSE(ss.str().empty()) << name;
  return ss.str();
}

TEST(KamailioSamples, presence_notify_reads_as_published) {
  auto doc = parse_pidf(sample("presence-notify.xml"));
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_EQ(doc->entity, "sip:102@localhost");
  EXPECT_TRUE(doc->open());
  ASSERT_EQ(doc->tuples.size(), 1u);
  EXPECT_EQ(doc->tuples[0].note, "in a meeting");
}

TEST(KamailioSamples, the_callers_dialog_goes_trying_early_confirmed_terminated) {
  const char* files[] = {"dialog-info-caller-trying.xml", "dialog-info-caller-early.xml",
                         "dialog-info-caller-confirmed.xml", "dialog-info-caller-terminated.xml"};
  const DialogState want[] = {DialogState::Trying, DialogState::Early, DialogState::Confirmed, DialogState::Terminated};
  for (int i = 0; i < 4; ++i) {
    auto info = parse_dialog_info(sample(files[i]));
    ASSERT_TRUE(info.ok()) << files[i] << ": " << info.error().message;
    EXPECT_EQ(info->entity, "sip:102@localhost");
    EXPECT_TRUE(info->full);
    ASSERT_EQ(info->dialogs.size(), 1u) << files[i];
    const auto& d = info->dialogs[0];
    EXPECT_EQ(d.state, want[i]) << files[i];
    EXPECT_EQ(d.direction, DialogDirection::Initiator);
    EXPECT_FALSE(d.call_id.empty());
    EXPECT_EQ(d.remote_identity, "sip:103@localhost");
    // Kamailio names the tags only while the dialog is early.
    EXPECT_EQ(d.remote_tag.empty(), want[i] != DialogState::Early) << files[i];
  }
}

TEST(KamailioSamples, the_callees_dialog_is_a_recipient) {
  for (const char* f : {"dialog-info-callee-early.xml", "dialog-info-callee-confirmed.xml"}) {
    auto info = parse_dialog_info(sample(f));
    ASSERT_TRUE(info.ok()) << f << ": " << info.error().message;
    ASSERT_EQ(info->dialogs.size(), 1u);
    EXPECT_EQ(info->dialogs[0].direction, DialogDirection::Recipient) << f;
    EXPECT_EQ(info->entity, "sip:103@localhost");
  }
}

}  // namespace
}  // namespace wwp::pres
