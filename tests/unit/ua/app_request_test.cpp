// Requests and responses written by the application (sipClient.request /
// reply / send, spec §2.8): checked and completed per RFC 3261 §8.1.1, sent
// on their own non-INVITE client transaction (§17.1.2), refused with a clear
// error when another machine owns the method or nothing waits for a reply.
#include "core/ua/app_request.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/msg/header_fields.hpp"
#include "core/msg/parser.hpp"
#include "core/msg/reply.hpp"
#include "core/ua/ua.hpp"
#include "unit/ua/ua_test_config.hpp"

namespace wwp::ua {
namespace {

Config config() { return ua_test_config(9); }

std::string message_text(const std::string& first_lines, const std::string& body = "") {
  return first_lines + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

const std::string kMessageNoVia = message_text(
    "MESSAGE sip:102@example.test SIP/2.0\r\n"
    "From: <sip:101@example.test>;tag=a1\r\n"
    "To: <sip:102@example.test>\r\n"
    "Call-ID: app-1\r\n"
    "CSeq: 5 MESSAGE\r\n"
    "Content-Type: text/plain\r\n",
    "hi");

TEST(AppRequest, a_request_without_via_gets_ours_with_an_rfc3261_branch_and_max_forwards) {
  Rng rng(1);
  auto m = prepare_app_request(*parse_app_message(kMessageNoVia, "request()"), config(), rng);
  ASSERT_TRUE(m.ok()) << m.error().message;
  auto via = msg::parse_via(*m->get("Via"));
  ASSERT_TRUE(via.ok());
  EXPECT_EQ(via->host, "me.invalid");
  EXPECT_EQ(via->branch().substr(0, 7), "z9hG4bK");
  EXPECT_EQ(m->get("Max-Forwards").value_or(""), "70");
  EXPECT_EQ(m->body(), "hi");
}

TEST(AppRequest, the_apps_own_via_and_max_forwards_are_kept) {
  Rng rng(1);
  const std::string text = message_text(
      "OPTIONS sip:102@example.test SIP/2.0\r\n"
      "Via: SIP/2.0/WSS app.invalid;branch=z9hG4bK-app1\r\n"
      "Max-Forwards: 5\r\n"
      "From: <sip:101@example.test>;tag=a1\r\nTo: <sip:102@example.test>\r\n"
      "Call-ID: app-2\r\nCSeq: 1 OPTIONS\r\n");
  auto m = prepare_app_request(*parse_app_message(text, "request()"), config(), rng);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->get_all("Via").size(), 1u);
  EXPECT_EQ(m->get("Via").value_or(""), "SIP/2.0/WSS app.invalid;branch=z9hG4bK-app1");
  EXPECT_EQ(m->get("Max-Forwards").value_or(""), "5");
}

struct Refusal {
  const char* text;
  UaErrorCode code;
  const char* says;
};

TEST(AppRequest, bad_or_foreign_requests_are_refused_with_a_clear_error) {
  const std::string head = "From: <sip:101@example.test>;tag=a1\r\nTo: <sip:102@example.test>\r\nCall-ID: x\r\n";
  const std::vector<std::pair<std::string, Refusal>> cases = {
      {"garbage\r\n\r\n", {"", UaErrorCode::InvalidArgument, "malformed SIP message"}},
      {message_text("SIP/2.0 200 OK\r\n" + head + "CSeq: 1 MESSAGE\r\nVia: SIP/2.0/WSS a;branch=z9hG4bK1\r\n"),
       {"", UaErrorCode::InvalidArgument, "use reply()"}},
      {message_text("INVITE sip:102@example.test SIP/2.0\r\n" + head + "CSeq: 1 INVITE\r\n"),
       {"", UaErrorCode::Unsupported, "webPhone.call()"}},
      {message_text("CANCEL sip:102@example.test SIP/2.0\r\n" + head + "CSeq: 1 CANCEL\r\n"),
       {"", UaErrorCode::Unsupported, "belongs to a call"}},
      {message_text("REGISTER sip:example.test SIP/2.0\r\n" + head + "CSeq: 1 REGISTER\r\n"),
       {"", UaErrorCode::Unsupported, "sipClient.register()"}},
      {message_text("MESSAGE sip:102@example.test SIP/2.0\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCSeq: 1 MESSAGE\r\n"),
       {"", UaErrorCode::InvalidArgument, "no Call-ID header"}},
      {message_text("MESSAGE sip:102@example.test SIP/2.0\r\n" + head + "CSeq: 1 INFO\r\n"),
       {"", UaErrorCode::InvalidArgument, "CSeq must be"}},
      {message_text("MESSAGE sip:102@example.test SIP/2.0\r\n" + head +
                    "CSeq: 1 MESSAGE\r\nVia: SIP/2.0/WSS a;branch=old2543\r\n"),
       {"", UaErrorCode::InvalidArgument, "z9hG4bK"}},
  };
  for (const auto& [text, want] : cases) {
    Rng rng(1);
    auto parsed = parse_app_message(text, "request()");
    auto m = parsed ? prepare_app_request(std::move(parsed.value()), config(), rng)
                    : Result<msg::Message, UaError>(Err<UaError>{parsed.error()});
    ASSERT_FALSE(m.ok()) << text;
    EXPECT_EQ(m.error().code, want.code) << text;
    EXPECT_NE(m.error().message.find(want.says), std::string::npos) << m.error().message;
    EXPECT_EQ(m.error().message.rfind("request(): ", 0), 0u) << m.error().message;
  }
}

TEST(AppRequest, a_response_needs_its_via_and_dialog_identifiers) {
  EXPECT_EQ(check_app_response(*parse_app_message(kMessageNoVia, "reply()")).error().code, UaErrorCode::InvalidArgument);
  auto no_via = check_app_response(*parse_app_message(message_text("SIP/2.0 200 OK\r\nCall-ID: x\r\nCSeq: 1 MESSAGE\r\n"), "reply()"));
  ASSERT_FALSE(no_via.ok());
  EXPECT_NE(no_via.error().message.find("no Via"), std::string::npos);
}

// --- through the UA ----------------------------------------------------------

class AppRequestUa : public ::testing::Test {
 protected:
  Ua ua_{config()};
  TimePoint now_ = 1000;
  std::vector<msg::Message> sent_;
  std::vector<AppResponse> responses_;

  void drain() {
    for (;;) {
      auto o = ua_.poll_output();
      if (auto* t = std::get_if<Transmit>(&o)) {
        auto m = msg::parse(t->bytes);
        ASSERT_TRUE(m.ok()) << t->bytes;
        sent_.push_back(*m);
      } else if (auto* e = std::get_if<Event>(&o)) {
        if (auto* r = std::get_if<AppResponse>(e)) responses_.push_back(*r);
      } else {
        return;
      }
    }
  }
  void feed(const msg::Message& m) {
    ua_.handle_input(Received{m.to_string(), now_});
    drain();
  }
  void register_ua() {
    ASSERT_TRUE(ua_.start_register(now_).ok());
    drain();
    auto reg = sent_.back();
    auto ok = make_reply(reg, 200, "r");
    ok.add("Contact", std::string(*reg.get("Contact")));
    feed(ok);
    sent_.clear();
  }
  void advance_to(TimePoint end) {
    for (;;) {
      auto o = ua_.poll_output();
      ASSERT_TRUE(std::holds_alternative<Timeout>(o));
      const TimePoint at = std::get<Timeout>(o).at;
      if (at > end) break;
      now_ = at;
      ua_.handle_input(Tick{now_});
      drain();
    }
    now_ = end;
  }
};

TEST_F(AppRequestUa, refused_before_registration) {
  auto r = ua_.send_app_message(kMessageNoVia, now_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, UaErrorCode::InvalidState);
}

TEST_F(AppRequestUa, the_final_response_completes_the_request_provisionals_do_not) {
  register_ua();
  auto id = ua_.send_app_message(kMessageNoVia, now_);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_GT(*id, 0u);
  drain();
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].method(), "MESSAGE");
  feed(make_reply(sent_[0], 100));
  EXPECT_TRUE(responses_.empty());
  feed(make_reply(sent_[0], 202, "t2"));
  ASSERT_EQ(responses_.size(), 1u);
  EXPECT_EQ(responses_[0].id, *id);
  EXPECT_EQ(responses_[0].response.status(), 202);
  EXPECT_TRUE(responses_[0].detail.empty());
  // a retransmitted final is absorbed by the transaction (§17.1.2.2)
  feed(make_reply(sent_[0], 202, "t2"));
  EXPECT_EQ(responses_.size(), 1u);
}

TEST_F(AppRequestUa, no_answer_completes_with_a_synthetic_408_after_timer_f_rfc3261_17_1_2_2) {
  register_ua();
  auto id = ua_.send_app_message(kMessageNoVia, now_);
  ASSERT_TRUE(id.ok());
  drain();
  const TimePoint sent_at = now_;
  // keep the registration answered meanwhile so only Timer F can end it
  advance_to(sent_at + 64 * config().t1 + 1);
  ASSERT_EQ(responses_.size(), 1u);
  EXPECT_EQ(responses_[0].response.status(), 408);
  EXPECT_NE(responses_[0].detail.find("Timer F"), std::string::npos) << responses_[0].detail;
}

TEST_F(AppRequestUa, transport_loss_completes_with_a_synthetic_503) {
  register_ua();
  ASSERT_TRUE(ua_.send_app_message(kMessageNoVia, now_).ok());
  drain();
  ua_.handle_transport_closed(now_);
  drain();
  ASSERT_EQ(responses_.size(), 1u);
  EXPECT_EQ(responses_[0].response.status(), 503);
  EXPECT_FALSE(responses_[0].detail.empty());
}

TEST_F(AppRequestUa, a_reply_nothing_waits_for_is_refused_not_sent) {
  register_ua();
  const std::string reply = message_text(
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/WSS peer.invalid;branch=z9hG4bKnothing\r\n"
      "From: <sip:102@example.test>;tag=p\r\nTo: <sip:101@example.test>;tag=q\r\n"
      "Call-ID: none\r\nCSeq: 3 MESSAGE\r\n");
  auto r = ua_.send_app_message(reply, now_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, UaErrorCode::NotFound);
  EXPECT_NE(r.error().message.find("reply(): no request is waiting"), std::string::npos);
  drain();
  EXPECT_TRUE(sent_.empty());
}

const std::string kInvite = message_text(
    "INVITE sip:101@me.invalid;transport=ws SIP/2.0\r\n"
    "Via: SIP/2.0/WSS proxy.test;branch=z9hG4bKinv7\r\n"
    "Max-Forwards: 70\r\nFrom: <sip:102@example.test>;tag=caller\r\nTo: <sip:101@example.test>\r\n"
    "Call-ID: in-7\r\nCSeq: 10 INVITE\r\nContact: <sip:102@10.0.0.2;transport=ws>\r\n");

TEST_F(AppRequestUa, a_reply_to_a_calls_invite_is_refused_and_the_call_is_untouched) {
  register_ua();
  ua_.handle_input(Received{kInvite, now_});
  drain();
  sent_.clear();
  auto invite = msg::parse(kInvite);
  auto busy = make_reply(*invite, 486, "app");
  auto r = ua_.send_app_message("\r\n" + busy.to_string(), now_);  // leading CRLF is allowed (§7.5)
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, UaErrorCode::Unsupported);
  EXPECT_NE(r.error().message.find("belongs to a call"), std::string::npos) << r.error().message;
  drain();
  EXPECT_TRUE(sent_.empty());
}

TEST_F(AppRequestUa, an_app_request_inside_a_calls_dialog_is_refused_rfc3261_12_2_1_1) {
  register_ua();
  ua_.handle_input(Received{kInvite, now_});
  drain();
  // the 180 created an early dialog (§12.1.1): an app BYE in it must not go out
  auto ringing = std::find_if(sent_.begin(), sent_.end(), [](const msg::Message& m) { return m.status() == 180; });
  ASSERT_NE(ringing, sent_.end());
  const std::string our_tag = *msg::tag_of(*ringing->get("To"));
  sent_.clear();
  const std::string bye = message_text(
      "BYE sip:102@10.0.0.2;transport=ws SIP/2.0\r\n"
      "From: <sip:101@example.test>;tag=" + our_tag + "\r\nTo: <sip:102@example.test>;tag=caller\r\n"
      "Call-ID: in-7\r\nCSeq: 99 BYE\r\n");
  auto r = ua_.send_app_message(bye, now_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("inside a call's dialog"), std::string::npos) << r.error().message;
  drain();
  EXPECT_TRUE(sent_.empty());
}

TEST_F(AppRequestUa, accepted_while_a_registration_refresh_is_in_flight) {
  register_ua();
  // run until the refresh REGISTER goes out (before expiry), leave it unanswered
  while (std::none_of(sent_.begin(), sent_.end(), [](const msg::Message& m) { return m.method() == "REGISTER"; })) {
    auto o = ua_.poll_output();
    ASSERT_TRUE(std::holds_alternative<Timeout>(o));
    now_ = std::get<Timeout>(o).at;
    ua_.handle_input(Tick{now_});
    drain();
  }
  EXPECT_EQ(ua_.registration_state(), reg::State::Registering);
  auto r = ua_.send_app_message(kMessageNoVia, now_);
  EXPECT_TRUE(r.ok()) << r.error().message;
}

}  // namespace
}  // namespace wwp::ua
