// RingCentral JSON INFO commands (spec §7.12, core/call/call_rc.cpp): the
// result comes in an INFO from the server, matched by reqid; a failure answer
// to the command's own INFO ends the command at once, since no result follows.
#include "unit/ua/ua_harness.hpp"

namespace wwp::call {
namespace {

class CallRcInfoTest : public UaHarness {
 protected:
  CallRcInfoTest() : UaHarness(ua::ua_test_config(3)) {}

  /// The last INFO we sent.
  msg::Message our_info() {
    for (auto it = sent_.rbegin(); it != sent_.rend(); ++it)
      if (it->is_request() && it->method() == "INFO") return *it;
    ADD_FAILURE() << "no INFO sent";
    return msg::Message::request("INFO", "sip:x@invalid");
  }
  /// The server's result INFO for `reqid`, in the dialog of `ours`.
  msg::Message result_info(const msg::Message& ours, std::uint64_t reqid, const std::string& command) {
    msg::Message info = msg::Message::request("INFO", "sip:101@me.invalid;transport=ws");
    info.add("Via", "SIP/2.0/WSS 10.0.0.2;branch=z9hG4bKres" + std::to_string(reqid));
    info.add("From", std::string(*ours.get("To")));
    info.add("To", std::string(*ours.get("From")));
    info.add("Call-ID", std::string(*ours.get("Call-ID")));
    info.add("CSeq", std::to_string(800 + reqid) + " INFO");
    info.set_body("{\"response\":{\"reqid\":" + std::to_string(reqid) + ",\"command\":\"" + command +
                      "\",\"result\":{\"code\":0,\"description\":\"Succeeded\"}}}",
                  "application/json;charset=utf-8");
    return info;
  }
  std::vector<const RcInfoResult*> results() {
    std::vector<const RcInfoResult*> out;
    for (const auto& e : events_)
      if (const auto* r = std::get_if<RcInfoResult>(&e)) out.push_back(r);
    return out;
  }
};

TEST_F(CallRcInfoTest, the_result_info_completes_the_command) {
  const CallHandle h = connected_outbound();
  auto reqid = ua_.rc_info(h, "startcallrecord", "", now_);
  ASSERT_TRUE(reqid.ok()) << reqid.error().message;
  drain();
  const msg::Message ours = our_info();
  feed(msg::make_reply(ours, 200));
  EXPECT_TRUE(results().empty());  // the 200 only says the INFO arrived
  feed(result_info(ours, *reqid, "startcallrecord"));
  ASSERT_EQ(results().size(), 1u);
  EXPECT_EQ(results()[0]->reqid, *reqid);
  EXPECT_EQ(results()[0]->status, 0);
  EXPECT_EQ(results()[0]->result_json, "{\"code\":0,\"description\":\"Succeeded\"}");
}

TEST_F(CallRcInfoTest, a_failure_answer_to_the_info_ends_the_command_at_once_rfc6086_4_2_2) {
  const CallHandle h = connected_outbound();
  auto reqid = ua_.rc_info(h, "callpark", "", now_);
  ASSERT_TRUE(reqid.ok()) << reqid.error().message;
  drain();
  const msg::Message ours = our_info();
  feed(msg::make_reply(ours, 403));
  ASSERT_EQ(results().size(), 1u);
  EXPECT_EQ(results()[0]->call, h);
  EXPECT_EQ(results()[0]->reqid, *reqid);
  EXPECT_EQ(results()[0]->command, "callpark");
  EXPECT_EQ(results()[0]->status, 403);
  EXPECT_EQ(results()[0]->status_line, "SIP/2.0 403 Forbidden");
  EXPECT_EQ(results()[0]->result_json, "");
  // The command is over: a late result for it is no longer ours.
  feed(result_info(ours, *reqid, "callpark"));
  EXPECT_EQ(results().size(), 1u);
  // Another command still works.
  auto next = ua_.rc_info(h, "stopcallrecord", "", now_);
  ASSERT_TRUE(next.ok());
  drain();
  feed(msg::make_reply(our_info(), 200));
  feed(result_info(our_info(), *next, "stopcallrecord"));
  ASSERT_EQ(results().size(), 2u);
  EXPECT_EQ(results()[1]->reqid, *next);
  EXPECT_EQ(results()[1]->status, 0);
}

}  // namespace
}  // namespace wwp::call
