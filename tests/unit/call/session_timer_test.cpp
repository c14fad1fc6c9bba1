// RFC 4028 session timers: the header fields and the negotiation of both
// roles (core/call/session_timer.hpp), then the INVITE session's use of them
// through the UA's bytes-in/bytes-out surface against a scripted peer, in
// virtual time. https://www.rfc-editor.org/rfc/rfc4028
#include "core/call/session_timer.hpp"
#include "unit/ua/ua_harness.hpp"

namespace wwp::call {
namespace {

using R = SessionExpires::Refresher;

msg::Message request_with(std::vector<std::pair<std::string, std::string>> headers) {
  msg::Message m = msg::Message::request("INVITE", "sip:101@me.invalid");
  for (auto& [n, v] : headers) m.add(n, v);
  return m;
}

// --- header fields (§4, §5) ----------------------------------------------------

TEST(SessionExpiresHeader, parses_delta_and_refresher_rfc4028_4) {
  auto se = parse_session_expires("1800");
  ASSERT_TRUE(se);
  EXPECT_EQ(se->delta, 1800u);
  EXPECT_EQ(se->refresher, R::Unset);
  se = parse_session_expires(" 90 ;refresher=UAS ");
  ASSERT_TRUE(se);
  EXPECT_EQ(se->delta, 90u);
  EXPECT_EQ(se->refresher, R::Uas);
  se = parse_session_expires("120;x=1;refresher=uac");
  ASSERT_TRUE(se);
  EXPECT_EQ(se->refresher, R::Uac);
  EXPECT_EQ(parse_session_expires("120;refresher=proxy")->refresher, R::Unset);
  for (const char* bad : {"", "abc", "-5", "12a", "1234567890", ";refresher=uac", "90;;"})
    EXPECT_FALSE(parse_session_expires(bad)) << bad;
  EXPECT_EQ(to_string(SessionExpires{90, R::Uac}), "90;refresher=uac");
  EXPECT_EQ(to_string(SessionExpires{1800, R::Unset}), "1800");
}

TEST(SessionExpiresHeader, compact_form_x_and_min_se_rfc4028_4_5) {
  const msg::Message m = request_with({{"x", "600;refresher=uas"}, {"Min-SE", "120"}});
  ASSERT_TRUE(m.get("Session-Expires"));
  EXPECT_EQ(parse_session_expires(*m.get("Session-Expires"))->delta, 600u);
  EXPECT_EQ(parse_min_se("120"), 120u);
  EXPECT_EQ(parse_min_se("300;ext"), 300u);
  EXPECT_FALSE(parse_min_se("soon"));
}

TEST(SessionExpiresHeader, option_tags_are_read_from_every_list_element) {
  const msg::Message m = request_with({{"Supported", "replaces, 100rel"}, {"Supported", " Timer "}});
  EXPECT_TRUE(lists_option(m, "Supported", "timer"));
  EXPECT_FALSE(lists_option(m, "Require", "timer"));
}

TEST(SessionTimerConfig, min_se_never_below_90_rfc4028_4) {
  EXPECT_EQ(clamp(1800, 30).min_se, 90u);
  EXPECT_EQ(clamp(60, 90).session_expires, 90u);  // never ask below our own floor
  EXPECT_EQ(clamp(0, 90).session_expires, 0u);
  EXPECT_EQ(clamp(1800, 300).min_se, 300u);
}

// --- negotiation ----------------------------------------------------------------

TEST(SessionTimerNegotiation, uas_without_session_expires_starts_no_timer) {
  EXPECT_EQ(uas_negotiate(request_with({{"Supported", "timer"}}), {}).kind, UasVerdict::Kind::NoTimer);
}

TEST(SessionTimerNegotiation, uas_rejects_too_small_with_422_only_when_uac_supports_timer_rfc4028_9) {
  auto v = uas_negotiate(request_with({{"Supported", "timer"}, {"Session-Expires", "60"}}), clamp(1800, 120));
  EXPECT_EQ(v.kind, UasVerdict::Kind::Reject422);
  EXPECT_EQ(v.min_se, 120u);
  // Without `timer` a 422 would be useless: the interval stands (MUST NOT increase).
  v = uas_negotiate(request_with({{"Session-Expires", "60"}}), clamp(1800, 120));
  ASSERT_EQ(v.kind, UasVerdict::Kind::Accept);
  EXPECT_EQ(v.terms.interval, 60u);
}

TEST(SessionTimerNegotiation, uas_picks_uac_as_refresher_when_it_supports_timer_and_requires_timer_rfc4028_9) {
  auto v = uas_negotiate(request_with({{"Supported", "replaces, timer"}, {"Session-Expires", "1800"}}), {});
  ASSERT_EQ(v.kind, UasVerdict::Kind::Accept);
  EXPECT_FALSE(v.terms.we_refresh);
  ASSERT_EQ(v.headers.size(), 2u);
  EXPECT_EQ(v.headers[0], (std::pair<std::string, std::string>{"Session-Expires", "1800;refresher=uac"}));
  EXPECT_EQ(v.headers[1], (std::pair<std::string, std::string>{"Require", "timer"}));
}

TEST(SessionTimerNegotiation, uas_refreshes_itself_for_a_uac_without_timer_rfc4028_9) {
  auto v = uas_negotiate(request_with({{"Session-Expires", "1800"}}), {});
  ASSERT_EQ(v.kind, UasVerdict::Kind::Accept);
  EXPECT_TRUE(v.terms.we_refresh);
  ASSERT_EQ(v.headers.size(), 1u);  // no Require: the UAC would not understand it
  EXPECT_EQ(v.headers[0].second, "1800;refresher=uas");
}

TEST(SessionTimerNegotiation, uas_keeps_the_refresher_the_uac_chose_rfc4028_9) {
  auto v = uas_negotiate(request_with({{"Supported", "timer"}, {"Session-Expires", "900;refresher=uas"}}), {});
  ASSERT_EQ(v.kind, UasVerdict::Kind::Accept);
  EXPECT_TRUE(v.terms.we_refresh);
  EXPECT_EQ(v.headers[0].second, "900;refresher=uas");
}

TEST(SessionTimerNegotiation, uac_reads_the_2xx_rfc4028_7_2) {
  msg::Message ok = msg::Message::response(200, "OK");
  EXPECT_FALSE(uac_on_2xx(ok));  // "there is no session expiration"
  ok.set("Session-Expires", "90;refresher=uac");
  EXPECT_TRUE(uac_on_2xx(ok)->we_refresh);
  ok.set("Session-Expires", "90;refresher=uas");
  EXPECT_FALSE(uac_on_2xx(ok)->we_refresh);
  ok.set("Session-Expires", "90");  // a proxy's, for a UAS without timer: we refresh
  EXPECT_TRUE(uac_on_2xx(ok)->we_refresh);
  EXPECT_EQ(uac_on_2xx(ok)->interval, 90u);
}

// --- the machine (§10) -------------------------------------------------------------

TEST(SessionTimerMachine, refresher_refreshes_at_half_the_interval_rfc4028_10) {
  SessionTimer t;
  t.start({1800, true}, 1000);
  EXPECT_EQ(t.state(), SessionTimer::State::Refresher);
  EXPECT_EQ(t.next_timeout(), 1000 + 900'000);
  EXPECT_EQ(t.handle_timeout(1000 + 899'999), SessionTimer::Action::None);
  EXPECT_EQ(t.handle_timeout(1000 + 900'000), SessionTimer::Action::Refresh);
  EXPECT_EQ(t.next_timeout(), kNever);  // until the refresh's 2xx starts it again
}

TEST(SessionTimerMachine, watcher_expires_at_interval_minus_min_32_or_a_third_rfc4028_10) {
  SessionTimer t;
  t.start({90, false}, 0);
  EXPECT_EQ(t.next_timeout(), 60'000);  // 90 - min(32, 30)
  t.start({1800, false}, 0);
  EXPECT_EQ(t.next_timeout(), 1'768'000);  // 1800 - min(32, 600)
  EXPECT_EQ(t.handle_timeout(1'768'000), SessionTimer::Action::Expire);
  EXPECT_EQ(t.state(), SessionTimer::State::Off);
}

TEST(SessionTimerMachine, resume_after_adoption_stays_on_the_safe_side) {
  SessionTimer t;
  t.resume({90, true}, 0);  // the old UA may have refreshed 45 s ago: 60 - 45
  EXPECT_EQ(t.next_timeout(), 15'000);
  t.resume({90, false}, 0);
  EXPECT_EQ(t.next_timeout(), 60'000);
  t.resume({0, false}, 0);
  EXPECT_EQ(t.state(), SessionTimer::State::Off);
}

// --- the INVITE session against a scripted peer --------------------------------------

class SessionTimerCallTest : public UaHarness {
 protected:
  SessionTimerCallTest() : UaHarness(config()) {}
  static Config config() {
    Config c = ua::ua_test_config(16);
    c.session_expires = 90;
    return c;
  }
  msg::Message invite_;

  /// Place a call; the peer answers with `extra` headers in its 2xx.
  CallHandle answered(std::vector<std::pair<std::string, std::string>> extra) {
    register_ua();
    auto h = ua_.invite({"102", "", {}, kOffer}, now_);
    EXPECT_TRUE(h.ok());
    drain();
    invite_ = last_sent("INVITE");
    auto ok = msg::make_reply(invite_, 200, "callee");
    ok.add("Contact", "<sip:102@10.0.0.2;transport=ws>");
    for (auto& [n, v] : extra) ok.add(n, v);
    ok.set_body(kAnswer, "application/sdp");
    feed(ok);
    sent_.clear();
    return *h;
  }
  int count_sent(const std::string& method) const {
    int n = 0;
    for (const auto& m : sent_) n += m.is_request() && m.method() == method;
    return n;
  }
};

TEST_F(SessionTimerCallTest, our_invite_lists_timer_and_asks_for_session_expires_rfc4028_7_1) {
  register_ua();
  ASSERT_TRUE(ua_.invite({"102", "", {}, kOffer}, now_).ok());
  drain();
  const auto invite = last_sent("INVITE");
  EXPECT_EQ(*invite.get("Supported"), "replaces, timer");
  EXPECT_EQ(*invite.get("Session-Expires"), "90");  // no refresher: the UAS picks
  EXPECT_EQ(*invite.get("Min-SE"), "90");
}

TEST_F(SessionTimerCallTest, session_expires_0_asks_for_nothing_but_still_lists_timer) {
  Config c = config();
  c.session_expires = 0;
  ua::Ua ua(c);
  (void)ua.start_register(now_);
  // The harness's own UA has the default; this one only shows the header set.
  for (;;) {
    auto o = ua.poll_output();
    if (std::holds_alternative<ua::Timeout>(o)) break;
    if (auto* t = std::get_if<ua::Transmit>(&o)) {
      auto reg = msg::parse(t->bytes);
      auto ok = msg::make_reply(*reg, 200, "r");
      ok.add("Contact", std::string(*reg->get("Contact")));
      ua.handle_input(ua::Received{ok.to_string(), now_});
    }
  }
  ASSERT_TRUE(ua.invite({"102", "", {}, kOffer}, now_).ok());
  std::optional<msg::Message> invite;
  for (;;) {
    auto o = ua.poll_output();
    if (std::holds_alternative<ua::Timeout>(o)) break;
    if (auto* t = std::get_if<ua::Transmit>(&o))
      if (auto m = msg::parse(t->bytes); m.ok() && m->is_request() && m->method() == "INVITE") invite = *m;
  }
  ASSERT_TRUE(invite);
  EXPECT_EQ(*invite->get("Supported"), "replaces, timer");
  EXPECT_FALSE(invite->has("Session-Expires"));
  EXPECT_FALSE(invite->has("Min-SE"));
}

TEST_F(SessionTimerCallTest, a_422_is_retried_with_the_larger_min_se_then_given_up_rfc4028_7_4) {
  register_ua();
  auto h = ua_.invite({"102", "", {}, kOffer}, now_);
  drain();
  const auto first = last_sent("INVITE");
  auto too_small = msg::make_reply(first, 422, "px");
  too_small.add("Min-SE", "300");
  feed(too_small);
  const auto second = last_sent("INVITE");
  EXPECT_EQ(*second.get("Call-ID"), *first.get("Call-ID"));
  EXPECT_EQ(*second.get("From"), *first.get("From"));
  EXPECT_EQ(msg::parse_cseq(*second.get("CSeq"))->seq, msg::parse_cseq(*first.get("CSeq"))->seq + 1);
  EXPECT_NE(*msg::top_via_branch(*second.get("Via")), *msg::top_via_branch(*first.get("Via")));
  EXPECT_EQ(*second.get("Session-Expires"), "300");
  EXPECT_EQ(*second.get("Min-SE"), "300");
  auto again = msg::make_reply(second, 422, "px");
  again.add("Min-SE", "600");
  feed(again);
  const auto third = last_sent("INVITE");
  EXPECT_EQ(*third.get("Session-Expires"), "600");
  // The cap: a third 422 ends the call with it.
  auto last = msg::make_reply(third, 422, "px");
  last.add("Min-SE", "1200");
  feed(last);
  auto* failed = last_event<CallFailed>();
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->status, 422);
  EXPECT_FALSE(ua_.hangup(*h, now_).ok());
}

TEST_F(SessionTimerCallTest, a_2xx_without_session_expires_starts_no_timer_rfc4028_7_2) {
  answered({});
  advance(3 * 3600 * 1000);
  EXPECT_EQ(count_sent("UPDATE") + count_sent("INVITE") + count_sent("BYE"), 0);
  EXPECT_EQ(last_event<CallEnded>(), nullptr);
}

TEST_F(SessionTimerCallTest, refresher_uac_updates_at_half_the_interval_and_again_after_its_2xx_rfc4028_10) {
  answered({{"Session-Expires", "90;refresher=uac"}, {"Require", "timer"},
            {"Allow", "INVITE, ACK, BYE, CANCEL, UPDATE"}});
  const TimePoint answered_at = now_;
  advance(44'999);
  EXPECT_EQ(count_sent("UPDATE"), 0);
  advance(1);
  ASSERT_EQ(count_sent("UPDATE"), 1);
  const auto update = last_sent("UPDATE");
  EXPECT_EQ(now_, answered_at + 45'000);
  EXPECT_EQ(*update.get("Session-Expires"), "90;refresher=uac");
  EXPECT_EQ(*update.get("Supported"), "replaces, timer");
  EXPECT_TRUE(update.body().empty());
  auto ok = msg::make_reply(update, 200, "callee");
  ok.add("Session-Expires", "90;refresher=uac");
  ok.add("Require", "timer");
  feed(ok);
  const TimePoint refreshed_at = now_;
  advance(45'000);
  EXPECT_EQ(count_sent("UPDATE"), 2);
  EXPECT_EQ(now_, refreshed_at + 45'000);
  EXPECT_EQ(last_event<ReinviteDone>(), nullptr);  // nothing for the app
}

TEST_F(SessionTimerCallTest, without_update_in_allow_the_refresh_is_a_reinvite_with_the_unchanged_sdp_rfc3264_8) {
  answered({{"Session-Expires", "90;refresher=uac"}, {"Allow", "INVITE, ACK, BYE, CANCEL"}});
  advance(45'000);
  ASSERT_EQ(count_sent("INVITE"), 1);
  const auto reinvite = last_sent("INVITE");
  EXPECT_EQ(reinvite.body(), kOffer);  // same o= version: nothing changed
  EXPECT_EQ(*reinvite.get("Session-Expires"), "90;refresher=uac");
  auto ok = msg::make_reply(reinvite, 200, "callee");
  ok.add("Session-Expires", "90;refresher=uac");
  ok.set_body(kAnswer, "application/sdp");
  feed(ok);
  EXPECT_EQ(count_sent("ACK"), 1);
  EXPECT_EQ(last_event<ReinviteDone>(), nullptr);
  advance(45'000);
  EXPECT_EQ(count_sent("INVITE"), 2);
}

// The refresh UPDATE refused 405 while the app's hold re-INVITE is out: that
// re-INVITE refreshes the session too (§7.4); it must not be replaced by an
// unchanged-SDP one, and hold() must still hear its answer.
TEST_F(SessionTimerCallTest, a_405_to_the_refresh_update_leaves_the_apps_reinvite_in_flight_alone_rfc4028_7_4) {
  const CallHandle h = answered({{"Session-Expires", "90;refresher=uac"}, {"Allow", "INVITE, ACK, BYE, CANCEL, UPDATE"}});
  advance(45'000);
  const auto update = last_sent("UPDATE");
  ASSERT_TRUE(ua_.hold(h, true, now_).ok());
  drain();
  ASSERT_EQ(count_sent("INVITE"), 1);
  const auto hold = last_sent("INVITE");
  feed(msg::make_reply(update, 405, "callee"));
  EXPECT_EQ(count_sent("INVITE"), 1) << "no refresh re-INVITE on top of the hold";
  auto ok = msg::make_reply(hold, 200, "callee");
  ok.set_body(kAnswer, "application/sdp");
  feed(ok);
  ASSERT_NE(last_event<ReinviteDone>(), nullptr) << "hold() gets its answer";
  EXPECT_EQ(last_event<ReinviteDone>()->status, 200);
}

TEST_F(SessionTimerCallTest, a_481_to_the_refresh_ends_the_call_rfc4028_10) {
  const CallHandle h = answered({{"Session-Expires", "90;refresher=uac"}, {"Allow", "UPDATE"}});
  advance(45'000);
  feed(msg::make_reply(last_sent("UPDATE"), 481, "callee"));
  const auto bye = last_sent("BYE");
  feed(msg::make_reply(bye, 200, "callee"));
  auto* ended = last_event<CallEnded>();
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ(ended->call, h);
  EXPECT_EQ(ended->reason, "session refresh failed: SIP/2.0 481 Call/Transaction Does Not Exist");
}

TEST_F(SessionTimerCallTest, refresher_uas_that_never_refreshes_gets_bye_at_n_minus_min_32_n_3_rfc4028_10) {
  const CallHandle h = answered({{"Session-Expires", "90;refresher=uas"}, {"Require", "timer"}});
  advance(59'999);
  EXPECT_EQ(count_sent("BYE"), 0);
  advance(1);
  ASSERT_EQ(count_sent("BYE"), 1);
  feed(msg::make_reply(last_sent("BYE"), 200, "callee"));
  auto* ended = last_event<CallEnded>();
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ(ended->call, h);
  EXPECT_EQ(ended->status, 200);
  EXPECT_EQ(ended->reason, "session timer expired");
}

TEST_F(SessionTimerCallTest, inbound_too_small_interval_gets_422_with_our_min_se_rfc4028_9) {
  register_ua();
  auto invite = inbound_invite();
  invite.add("Supported", "timer");
  invite.add("Session-Expires", "60");
  feed(invite);
  const auto r = last_sent("422");
  EXPECT_EQ(*r.get("Min-SE"), "90");
  EXPECT_EQ(last_event<IncomingCall>(), nullptr);
}

TEST_F(SessionTimerCallTest, inbound_2xx_names_the_uac_refresher_and_a_silent_uac_gets_bye_rfc4028_9_10) {
  register_ua();
  auto invite = inbound_invite();
  invite.add("Supported", "replaces, timer");
  invite.add("Session-Expires", "120");
  invite.add("Min-SE", "90");
  feed(invite);
  const CallHandle h = last_event<IncomingCall>()->call;
  ASSERT_TRUE(ua_.answer(h, kAnswer, now_).ok());
  drain();
  const auto ok = last_sent("200");
  EXPECT_EQ(*ok.get("Session-Expires"), "120;refresher=uac");
  EXPECT_EQ(*ok.get("Require"), "timer");
  EXPECT_EQ(*ok.get("Supported"), "replaces, timer");
  const std::string tag = *msg::tag_of(*ok.get("To"));
  feed(inbound_ack(tag));
  // The caller refreshes once by UPDATE at 60 s: the timer restarts.
  advance(60'000);
  msg::Message update = from_caller("UPDATE", tag, 11, "z9hG4bKupd1");
  update.add("Supported", "timer");
  update.add("Session-Expires", "120;refresher=uac");
  feed(update);
  EXPECT_EQ(*last_sent("200").get("Session-Expires"), "120;refresher=uac");
  sent_.clear();
  advance(87'999);  // 120 - min(32, 40) = 88 s after the refresh
  EXPECT_TRUE(sent_.empty());
  advance(1);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].method(), "BYE");
  feed(msg::make_reply(sent_[0], 200, "caller"));
  ASSERT_NE(last_event<CallEnded>(), nullptr);
  EXPECT_EQ(last_event<CallEnded>()->reason, "session timer expired");
}

TEST_F(SessionTimerCallTest, an_unchanged_refresh_reinvite_is_answered_by_the_core_rfc4028_10) {
  answered({{"Session-Expires", "90;refresher=uas"}, {"Require", "timer"}});
  // The callee refreshes by re-INVITE with the SDP it answered with.
  msg::Message reinvite = msg::Message::request("INVITE", "sip:101@me.invalid;transport=ws");
  reinvite.add("Via", "SIP/2.0/WSS 10.0.0.2;branch=z9hG4bKre1");
  reinvite.add("From", std::string(*invite_.get("To")) + ";tag=callee");
  reinvite.add("To", std::string(*invite_.get("From")));
  reinvite.add("Call-ID", std::string(*invite_.get("Call-ID")));
  reinvite.add("CSeq", "5 INVITE");
  reinvite.add("Contact", "<sip:102@10.0.0.2;transport=ws>");
  reinvite.add("Supported", "timer");
  reinvite.add("Session-Expires", "90;refresher=uac");
  reinvite.set_body(kAnswer, "application/sdp");
  advance(40'000);
  feed(reinvite);
  const auto ok = last_sent("200");
  EXPECT_EQ(ok.body(), kOffer);  // our description, unchanged
  EXPECT_EQ(*ok.get("Session-Expires"), "90;refresher=uac");
  EXPECT_EQ(last_event<ReinviteOffer>(), nullptr);
  msg::Message ack = msg::Message::request("ACK", "sip:101@me.invalid;transport=ws");
  ack.add("Via", "SIP/2.0/WSS 10.0.0.2;branch=z9hG4bKre1ack");
  ack.add("From", std::string(*reinvite.get("From")));
  ack.add("To", std::string(*ok.get("To")));
  ack.add("Call-ID", std::string(*invite_.get("Call-ID")));
  ack.add("CSeq", "5 ACK");
  feed(ack);
  // The timer runs from that 2xx: no BYE at the old deadline (60 s).
  advance(59'000);
  EXPECT_EQ(count_sent("BYE"), 0);
  advance(1'000);
  EXPECT_EQ(count_sent("BYE"), 1);
}

}  // namespace
}  // namespace wwp::call
