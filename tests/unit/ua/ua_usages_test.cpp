// Messaging, subscriptions and publications through the UA's bytes-in /
// bytes-out surface in virtual time (core/event/, core/ua/ua_usages.cpp):
// what goes on the wire, what the app hears, and how each ends.
#include "unit/ua/ua_harness.hpp"

namespace wwp::call {
namespace {

class UsagesTest : public UaHarness {
 protected:
  UsagesTest() : UaHarness(ua::ua_test_config(21)) {}

  template <class T>
  std::vector<T> events_of() {
    std::vector<T> out;
    for (const auto& e : all_events_)
      if (auto* x = std::get_if<T>(&e)) out.push_back(*x);
    return out;
  }
  int count_sent(const std::string& method) {
    int n = 0;
    for (const auto& m : sent_) n += m.is_request() && m.method() == method;
    return n;
  }
  static msg::Message challenge(const msg::Message& req) {
    auto r = msg::make_reply(req, 407, "px");
    r.add("Proxy-Authenticate", "Digest realm=\"localhost\", nonce=\"n1\", qop=\"auth\", algorithm=MD5");
    return r;
  }
  /// A registered UA with an active presence subscription to 102 for
  /// 600 s (its NOTIFY first, then the 2xx); returns the SUBSCRIBE.
  msg::Message subscribed() {
    register_ua();
    EXPECT_TRUE(ua_.subscribe({"102", "presence", "", 600}, now_).ok());
    drain();
    auto sub = last_sent("SUBSCRIBE");
    feed(notify(sub, "active;expires=600"));
    feed(msg::make_reply(sub, 200, "notifier"));
    return sub;
  }
  /// A registered UA whose presence subscription to 102 a NOTIFY made
  /// active and then terminated with retry-after=30; returns the SUBSCRIBE.
  msg::Message terminated_to_retry_in_30s() {
    register_ua();
    EXPECT_TRUE(ua_.subscribe({"102", "presence", "", 600}, now_).ok());
    drain();
    auto sub = last_sent("SUBSCRIBE");
    feed(notify(sub, "active;expires=600"));
    feed(notify(sub, "terminated;reason=probation;retry-after=30", {}, "notifier", 2));
    return sub;
  }
  /// A NOTIFY from the notifier in `sub`'s dialog.
  static msg::Message notify(const msg::Message& sub, const std::string& state, const std::string& body = {},
                             const std::string& from_tag = "notifier", int cseq = 1) {
    msg::Message n = msg::Message::request("NOTIFY", "sip:101@me.invalid;transport=ws");
    n.add("Via", "SIP/2.0/WS 127.0.0.1:25080;branch=z9hG4bKn" + std::to_string(cseq) + from_tag);
    n.add("Max-Forwards", "70");
    n.add("From", std::string(*sub.get("To")) + ";tag=" + from_tag);
    n.add("To", std::string(*sub.get("From")));
    n.add("Call-ID", std::string(*sub.get("Call-ID")));
    n.add("CSeq", std::to_string(cseq) + " NOTIFY");
    n.add("Contact", "<sip:102@127.0.0.1:25080;transport=ws>");
    n.add("Record-Route", "<sip:127.0.0.1:25080;transport=ws;lr>");
    n.add("Event", "presence");
    n.add("Subscription-State", state);
    if (!body.empty()) n.set_body(body, "application/pidf+xml");
    return n;
  }
};

// --- MESSAGE (RFC 3428) ---------------------------------------------------------

TEST_F(UsagesTest, a_message_is_sent_alone_answers_its_challenge_and_reports_delivery) {
  register_ua();
  auto id = ua_.send_message({"102", "", "hello"}, now_);
  ASSERT_TRUE(id.ok());
  drain();
  auto m = last_sent("MESSAGE");
  EXPECT_EQ(m.request_uri(), "sip:102@example.test");
  EXPECT_EQ(m.get("Content-Type"), "text/plain");
  EXPECT_EQ(m.body(), "hello");
  EXPECT_FALSE(m.has("Contact"));  // RFC 3428 §10
  feed(challenge(m));
  auto again = last_sent("MESSAGE");
  EXPECT_TRUE(again.has("Proxy-Authorization"));
  EXPECT_EQ(again.get("Call-ID"), m.get("Call-ID"));
  EXPECT_EQ(msg::parse_cseq(*again.get("CSeq"))->seq, msg::parse_cseq(*m.get("CSeq"))->seq + 1);
  EXPECT_TRUE(events_of<event::MessageOutcome>().empty());
  feed(msg::make_reply(again, 202, "x"));
  auto done = events_of<event::MessageOutcome>();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].id, *id);
  EXPECT_EQ(done[0].status, 202);
}

TEST_F(UsagesTest, a_refused_or_unanswered_message_reports_its_status) {
  register_ua();
  auto a = ua_.send_message({"103", "text/plain", "one"}, now_);
  drain();
  feed(msg::make_reply(last_sent("MESSAGE"), 404, "x"));
  auto b = ua_.send_message({"104", "text/plain", "two"}, now_);
  drain();
  advance(64 * 500 + 10);  // Timer F
  auto done = events_of<event::MessageOutcome>();
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].id, *a);
  EXPECT_EQ(done[0].status, 404);
  EXPECT_EQ(done[1].id, *b);
  EXPECT_EQ(done[1].status, 408);
  EXPECT_FALSE(done[1].detail.empty());
}

TEST_F(UsagesTest, a_second_challenge_is_final) {
  register_ua();
  ASSERT_TRUE(ua_.send_message({"102", "", "x"}, now_).ok());
  drain();
  feed(challenge(last_sent("MESSAGE")));
  feed(challenge(last_sent("MESSAGE")));
  auto done = events_of<event::MessageOutcome>();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].status, 407);
  EXPECT_EQ(count_sent("MESSAGE"), 2);
}

// RFC 7616 §3.3: stale=true lets the client answer again with the new nonce,
// once; a server that calls every nonce stale was asked again and again at
// round-trip speed.
TEST_F(UsagesTest, a_stale_nonce_is_answered_once_and_a_second_one_in_a_row_is_final_rfc7616_3_3) {
  register_ua();
  ASSERT_TRUE(ua_.send_message({"102", "", "x"}, now_).ok());
  drain();
  auto stale = [](const msg::Message& req, const char* nonce) {
    auto r = msg::make_reply(req, 407, "px");
    r.add("Proxy-Authenticate", std::string("Digest realm=\"localhost\", nonce=\"") + nonce +
                                    "\", qop=\"auth\", algorithm=MD5, stale=true");
    return r;
  };
  feed(challenge(last_sent("MESSAGE")));
  feed(stale(last_sent("MESSAGE"), "n2"));
  EXPECT_EQ(count_sent("MESSAGE"), 3) << "the stale nonce is answered";
  EXPECT_TRUE(events_of<event::MessageOutcome>().empty());
  feed(stale(last_sent("MESSAGE"), "n3"));
  EXPECT_EQ(count_sent("MESSAGE"), 3) << "not a second time";
  auto done = events_of<event::MessageOutcome>();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].status, 407);
}

TEST_F(UsagesTest, bad_messages_are_refused_before_anything_is_sent) {
  EXPECT_EQ(ua_.send_message({"102", "", "x"}, now_).error().code, UaErrorCode::InvalidState);
  register_ua();
  EXPECT_EQ(ua_.send_message({"", "", "x"}, now_).error().code, UaErrorCode::InvalidArgument);
  EXPECT_EQ(ua_.send_message({"10 2", "", "x"}, now_).error().code, UaErrorCode::InvalidArgument);
  EXPECT_EQ(ua_.send_message({"102", "", ""}, now_).error().code, UaErrorCode::InvalidArgument);
  EXPECT_EQ(ua_.send_message({"102", "text/plain\r\nX: y", "x"}, now_).error().code, UaErrorCode::InvalidArgument);
  EXPECT_EQ(ua_.send_message({"102", "nonsense", "x"}, now_).error().code, UaErrorCode::InvalidArgument);
  auto big = ua_.send_message({"102", "", std::string(event::Pager::kMaxBody + 1, 'a')}, now_);
  EXPECT_EQ(big.error().code, UaErrorCode::InvalidArgument);
  EXPECT_NE(big.error().message.find("limit"), std::string::npos);
  drain();
  EXPECT_EQ(count_sent("MESSAGE"), 0);
}

msg::Message inbound_message(const std::string& type, const std::string& body) {
  msg::Message m = msg::Message::request("MESSAGE", "sip:101@me.invalid;transport=ws");
  m.add("Via", "SIP/2.0/WS 127.0.0.1:25080;branch=z9hG4bKmsg" + type.substr(0, 4));
  m.add("Max-Forwards", "70");
  m.add("From", "\"Bob\" <sip:102@example.test>;tag=b1");
  m.add("To", "<sip:101@example.test>");
  m.add("Call-ID", "im-" + type.substr(0, 4));
  m.add("CSeq", "1 MESSAGE");
  m.set_body(body, type);
  return m;
}

TEST_F(UsagesTest, an_inbound_message_reaches_the_app_and_gets_200) {
  register_ua();
  feed(inbound_message("text/plain;charset=UTF-8", "hi there"));
  auto got = events_of<event::MessageReceived>();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].from, "sip:102@example.test");
  EXPECT_EQ(got[0].display_name, "Bob");
  EXPECT_EQ(got[0].body, "hi there");
  EXPECT_EQ(got[0].content_type, "text/plain;charset=UTF-8");
  EXPECT_EQ(last_sent("200").get("CSeq"), "1 MESSAGE");
}

TEST_F(UsagesTest, a_type_the_app_did_not_register_gets_415_with_accept) {
  register_ua();
  feed(inbound_message("application/json", "{}"));
  EXPECT_TRUE(events_of<event::MessageReceived>().empty());
  auto r = last_sent("415");
  EXPECT_EQ(r.get("Accept"), "text/plain");
  ua_.set_message_types({"text/plain", "application/json"});
  feed(inbound_message("application/json", "{\"a\":1}"));
  EXPECT_EQ(events_of<event::MessageReceived>().size(), 1u);
}

TEST_F(UsagesTest, an_oversized_inbound_message_gets_413) {
  register_ua();
  feed(inbound_message("text/plain", std::string(event::Pager::kMaxBody + 1, 'x')));
  EXPECT_TRUE(events_of<event::MessageReceived>().empty());
  last_sent("413");
}

// --- SUBSCRIBE / NOTIFY (RFC 6665) ---------------------------------------------

TEST_F(UsagesTest, a_subscription_is_made_notified_refreshed_in_its_dialog_and_ended) {
  register_ua();
  auto id = ua_.subscribe({"102", "presence", "application/pidf+xml", 600}, now_);
  ASSERT_TRUE(id.ok());
  drain();
  auto sub = last_sent("SUBSCRIBE");
  EXPECT_EQ(sub.request_uri(), "sip:102@example.test");
  EXPECT_EQ(sub.get("Event"), "presence");
  EXPECT_EQ(sub.get("Accept"), "application/pidf+xml");
  EXPECT_EQ(sub.get("Expires"), "600");
  EXPECT_TRUE(sub.has("Contact"));
  // The NOTIFY overtakes the 2xx (§4.1.2.4): it makes the dialog.
  feed(notify(sub, "active;expires=600", "<presence/>"));
  EXPECT_EQ(last_sent("200").get("CSeq"), "1 NOTIFY");
  auto ok = msg::make_reply(sub, 200, "notifier");
  ok.add("Expires", "600");
  feed(ok);
  auto notes = events_of<event::NotifyReceived>();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].id, *id);
  EXPECT_EQ(notes[0].body, "<presence/>");
  auto changes = events_of<event::SubscriptionChanged>();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].state, event::SubState::Active);
  // Refreshed 60 s before it runs out, in the dialog: the notifier's
  // Contact as Request-URI, its Record-Route as Route, the To tag.
  sent_.clear();
  advance(539'000);
  EXPECT_EQ(count_sent("SUBSCRIBE"), 0);
  advance(2'000);
  auto refresh = last_sent("SUBSCRIBE");
  EXPECT_EQ(refresh.request_uri(), "sip:102@127.0.0.1:25080;transport=ws");
  EXPECT_EQ(refresh.get("Route"), "<sip:127.0.0.1:25080;transport=ws;lr>");
  EXPECT_EQ(msg::tag_of(*refresh.get("To")), "notifier");
  EXPECT_EQ(refresh.get("Call-ID"), sub.get("Call-ID"));
  auto rok = msg::make_reply(refresh, 200);
  rok.add("Expires", "600");
  feed(rok);
  // Unsubscribe: Expires 0, then the final NOTIFY ends it.
  ASSERT_TRUE(ua_.unsubscribe(*id, now_).ok());
  drain();
  auto un = last_sent("SUBSCRIBE");
  EXPECT_EQ(un.get("Expires"), "0");
  feed(msg::make_reply(un, 200));
  feed(notify(sub, "terminated;reason=timeout", {}, "notifier", 2));
  changes = events_of<event::SubscriptionChanged>();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].state, event::SubState::Terminated);
  EXPECT_EQ(ua_.live_counts().subscriptions, 0u);
  EXPECT_EQ(ua_.unsubscribe(*id, now_).error().code, UaErrorCode::NotFound);
  // A NOTIFY for it now: no such subscription.
  feed(notify(sub, "active", {}, "notifier", 3));
  last_sent("481");
}

TEST_F(UsagesTest, notifies_that_are_not_ours_to_take_are_refused) {
  register_ua();
  ASSERT_TRUE(ua_.subscribe({"102", "presence", "", 600}, now_).ok());
  drain();
  auto sub = last_sent("SUBSCRIBE");
  feed(notify(sub, "active;expires=600"));
  auto other_fork = notify(sub, "active;expires=600", {}, "fork2", 1);
  feed(other_fork);
  last_sent("481");  // §4.1.3: ends that fork's subscription
  auto bad_event = notify(sub, "active", {}, "notifier", 2);
  bad_event.set("Event", "dialog");
  feed(bad_event);
  last_sent("489");
  auto no_state = notify(sub, "active", {}, "notifier", 3);
  no_state.remove("Subscription-State");
  feed(no_state);
  last_sent("400");
  EXPECT_EQ(events_of<event::SubscriptionChanged>().size(), 1u);
}

TEST_F(UsagesTest, a_2xx_without_notify_ends_at_timer_n) {
  register_ua();
  ASSERT_TRUE(ua_.subscribe({"102", "dialog", "application/dialog-info+xml", 600}, now_).ok());
  drain();
  feed(msg::make_reply(last_sent("SUBSCRIBE"), 200, "n"));
  EXPECT_TRUE(events_of<event::SubscriptionChanged>().empty()) << "the app was told of a change";
  advance(64 * 500 + 1);
  auto changes = events_of<event::SubscriptionChanged>();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].state, event::SubState::Terminated);
  EXPECT_EQ(changes[0].reason, "timeout");
  EXPECT_EQ(changes[0].status, 408);
}

TEST_F(UsagesTest, terminated_with_a_reason_to_retry_starts_a_new_subscription_after_retry_after) {
  const auto sub = terminated_to_retry_in_30s();
  sent_.clear();
  advance(29'000);
  EXPECT_EQ(count_sent("SUBSCRIBE"), 0);
  advance(1'500);
  auto again = last_sent("SUBSCRIBE");
  EXPECT_NE(again.get("Call-ID"), sub.get("Call-ID"));  // a new dialog
  EXPECT_FALSE(msg::tag_of(*again.get("To")));
  // `rejected` is final (§4.1.3).
  feed(notify(again, "terminated;reason=rejected"));
  auto changes = events_of<event::SubscriptionChanged>();
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.back().state, event::SubState::Terminated);
  EXPECT_EQ(changes.back().reason, "rejected");
}

// RFC 6665 §4.1.3: once a NOTIFY terminated it, the subscription is over
// until the new SUBSCRIBE: a late NOTIFY of the old dialog gets 481. It
// was taken as a NOTIFY creating the dialog anew (the tag was cleared for
// the retry): 200, the app told "active", its Record-Route appended to the
// old route set (from a review of core/dialog).
TEST_F(UsagesTest, a_late_notify_of_a_terminated_subscription_waiting_to_retry_gets_481_rfc6665_4_1_3) {
  const auto sub = terminated_to_retry_in_30s();
  sent_.clear();
  all_events_.clear();
  advance(1'000);
  feed(notify(sub, "active;expires=600", {}, "notifier", 3));
  EXPECT_EQ(last_sent("481").get("CSeq").value_or(""), "3 NOTIFY");
  EXPECT_TRUE(events_of<event::SubscriptionChanged>().empty()) << "the app was told of a change";
  advance(30'000);
  auto again = last_sent("SUBSCRIBE");
  EXPECT_NE(again.get("Call-ID"), sub.get("Call-ID"));
  EXPECT_FALSE(again.get("Route"));  // the old dialog's route set went with it
  sent_.clear();
  feed(notify(again, "active;expires=600"));  // the new dialog's NOTIFY is taken
  EXPECT_EQ(last_sent("200").get("Call-ID"), again.get("Call-ID"));
}

TEST_F(UsagesTest, a_refused_subscribe_is_terminated_with_its_status_and_a_481_refresh_resubscribes) {
  register_ua();
  ASSERT_TRUE(ua_.subscribe({"999", "presence", "", 600}, now_).ok());
  drain();
  feed(challenge(last_sent("SUBSCRIBE")));
  EXPECT_TRUE(last_sent("SUBSCRIBE").has("Proxy-Authorization"));
  feed(msg::make_reply(last_sent("SUBSCRIBE"), 404, "x"));
  auto changes = events_of<event::SubscriptionChanged>();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].status, 404);
  EXPECT_EQ(ua_.live_counts().subscriptions, 0u);

  all_events_.clear();
  ASSERT_TRUE(ua_.subscribe({"102", "presence", "", 120}, now_).ok());
  drain();
  auto sub = last_sent("SUBSCRIBE");
  feed(notify(sub, "active;expires=120"));
  feed(msg::make_reply(sub, 200, "notifier"));
  sent_.clear();
  advance(61'000);
  auto refresh = last_sent("SUBSCRIBE");
  feed(msg::make_reply(refresh, 481));
  auto fresh = last_sent("SUBSCRIBE");
  EXPECT_NE(fresh.get("Call-ID"), sub.get("Call-ID"));
  EXPECT_TRUE(events_of<event::SubscriptionChanged>().size() == 1u);  // still active for the app
}

// RFC 6665 §4.1.2.2: "If a SUBSCRIBE request to refresh a subscription fails
// with any error code other than 481, the original subscription is still
// considered valid for the duration of the most recently known 'Expires'".
// A 503 (a lost connection's, or a busy server's) or a 408 kept nothing: the
// subscription ended and presence went dark until the app noticed.
TEST_F(UsagesTest, a_refresh_that_fails_for_now_keeps_the_subscription_and_is_tried_again_rfc6665_4_1_2_2) {
  const auto sub = subscribed();
  ASSERT_EQ(events_of<event::SubscriptionChanged>().size(), 1u);
  sent_.clear();
  advance(540'000);  // the refresh, 60 s before the expiry
  auto refresh = last_sent("SUBSCRIBE");
  feed(msg::make_reply(refresh, 503));
  EXPECT_EQ(events_of<event::SubscriptionChanged>().size(), 1u) << "still active for the app";
  EXPECT_EQ(ua_.live_counts().subscriptions, 1u);
  sent_.clear();
  advance(29'000);
  EXPECT_EQ(count_sent("SUBSCRIBE"), 0);
  advance(1'000);  // halfway to the expiry
  auto again = last_sent("SUBSCRIBE");
  EXPECT_EQ(again.get("Call-ID"), sub.get("Call-ID")) << "the same subscription, refreshed";
  EXPECT_EQ(msg::tag_of(*again.get("To")), "notifier");
  auto ok = msg::make_reply(again, 200);
  ok.add("Expires", "600");
  feed(ok);
  EXPECT_EQ(events_of<event::SubscriptionChanged>().size(), 1u);
  // A code that ends the usage (RFC 5057 §5.1) still ends it.
  sent_.clear();
  advance(540'000);
  feed(msg::make_reply(last_sent("SUBSCRIBE"), 489));
  ASSERT_EQ(events_of<event::SubscriptionChanged>().size(), 2u);
  EXPECT_EQ(events_of<event::SubscriptionChanged>().back().state, event::SubState::Terminated);
  EXPECT_EQ(events_of<event::SubscriptionChanged>().back().status, 489);
}

// A NOTIFY that ends the subscription with a reason to subscribe again
// (RFC 6665 §4.1.3, `deactivated`) while a refresh is out: the new
// SUBSCRIBE goes at once, and the old refresh's late 481 belongs to the old
// subscription: it must not end the new one.
TEST_F(UsagesTest, a_late_answer_to_the_old_subscriptions_refresh_leaves_the_new_one_alone) {
  const auto sub = subscribed();
  advance(540'000);
  auto refresh = last_sent("SUBSCRIBE");
  feed(notify(sub, "terminated;reason=deactivated", {}, "notifier", 2));
  advance(0);
  auto fresh = last_sent("SUBSCRIBE");
  ASSERT_NE(fresh.get("Call-ID"), sub.get("Call-ID")) << "a new subscription";
  feed(msg::make_reply(refresh, 481));
  EXPECT_EQ(events_of<event::SubscriptionChanged>().back().state, event::SubState::Active) << "not ended by the old 481";
  feed(notify(fresh, "active;expires=600", {}, "notifier2"));
  EXPECT_EQ(last_sent("200").get("CSeq"), "1 NOTIFY") << "the new subscription takes its NOTIFY";
  feed(msg::make_reply(fresh, 200, "notifier2"));
  EXPECT_EQ(ua_.live_counts().subscriptions, 1u);
  EXPECT_EQ(events_of<event::SubscriptionChanged>().back().state, event::SubState::Active);
}

TEST_F(UsagesTest, unsubscribing_before_any_answer_ends_it_and_ends_what_the_late_2xx_made) {
  register_ua();
  auto id = ua_.subscribe({"102", "presence", "", 600}, now_);
  drain();
  auto sub = last_sent("SUBSCRIBE");
  ASSERT_TRUE(ua_.unsubscribe(*id, now_).ok());
  drain();
  ASSERT_EQ(events_of<event::SubscriptionChanged>().back().state, event::SubState::Terminated);
  sent_.clear();
  feed(msg::make_reply(sub, 200, "late"));
  EXPECT_EQ(last_sent("SUBSCRIBE").get("Expires"), "0");
}

// --- PUBLISH (RFC 3903) --------------------------------------------------------

TEST_F(UsagesTest, a_publication_is_made_refreshed_modified_and_removed_with_its_entity_tag) {
  register_ua();
  ASSERT_TRUE(ua_.publish({"presence", "application/pidf+xml", "<p1/>", 120}, now_).ok());
  drain();
  auto first = last_sent("PUBLISH");
  EXPECT_EQ(first.request_uri(), "sip:101@example.test");
  EXPECT_EQ(first.get("Event"), "presence");
  EXPECT_FALSE(first.has("SIP-If-Match"));
  EXPECT_EQ(first.body(), "<p1/>");
  auto ok = msg::make_reply(first, 200, "c");
  ok.add("SIP-ETag", "e1");
  ok.add("Expires", "120");
  feed(ok);
  ASSERT_EQ(events_of<event::PublicationChanged>().back().state, event::PubState::Published);
  // A second publish() while it is out waits for the answer (§4.1).
  ASSERT_TRUE(ua_.publish({"presence", "application/pidf+xml", "<p2/>", 120}, now_).ok());
  ASSERT_TRUE(ua_.publish({"presence", "application/pidf+xml", "<p3/>", 120}, now_).ok());
  drain();
  auto modify = last_sent("PUBLISH");
  EXPECT_EQ(count_sent("PUBLISH"), 2);
  EXPECT_EQ(modify.get("SIP-If-Match"), "e1");
  EXPECT_EQ(modify.body(), "<p2/>");
  auto ok2 = msg::make_reply(modify, 200, "c");
  ok2.add("SIP-ETag", "e2");
  feed(ok2);
  EXPECT_EQ(events_of<event::PublicationChanged>().back().generation, 2u);  // p2 is up, p3 goes next
  auto third = last_sent("PUBLISH");
  EXPECT_EQ(third.body(), "<p3/>");
  EXPECT_EQ(third.get("SIP-If-Match"), "e2");
  // The compositor lost it: 412 → publish afresh, with the body.
  feed(msg::make_reply(third, 412));
  auto fresh = last_sent("PUBLISH");
  EXPECT_FALSE(fresh.has("SIP-If-Match"));
  EXPECT_EQ(fresh.body(), "<p3/>");
  auto ok3 = msg::make_reply(fresh, 200, "c");
  ok3.add("SIP-ETag", "e3");
  ok3.add("Expires", "120");
  feed(ok3);
  EXPECT_EQ(events_of<event::PublicationChanged>().back().generation, 3u);
  // Refresh: If-Match and no body, before it expires.
  sent_.clear();
  advance(61'000);
  auto refresh = last_sent("PUBLISH");
  EXPECT_EQ(refresh.get("SIP-If-Match"), "e3");
  EXPECT_TRUE(refresh.body().empty());
  auto ok4 = msg::make_reply(refresh, 200, "c");
  ok4.add("SIP-ETag", "e4");
  feed(ok4);
  ASSERT_TRUE(ua_.unpublish("presence", now_).ok());
  drain();
  auto removal = last_sent("PUBLISH");
  EXPECT_EQ(removal.get("Expires"), "0");
  EXPECT_EQ(removal.get("SIP-If-Match"), "e4");
  feed(msg::make_reply(removal, 200, "c"));
  EXPECT_EQ(events_of<event::PublicationChanged>().back().state, event::PubState::Removed);
  EXPECT_EQ(ua_.live_counts().publications, 0u);
  EXPECT_EQ(ua_.unpublish("presence", now_).error().code, UaErrorCode::NotFound);
}

// RFC 3903 §4.1: the compositor keeps our state until it expires. A refresh
// lost to a timeout or a dropped connection keeps the publication (it went
// to Failed, and presence vanished with no event an app would expect) and
// is tried again; if no refresh gets through before the expiry, the state
// is published afresh.
TEST_F(UsagesTest, a_refresh_that_fails_for_now_keeps_the_publication_and_past_its_expiry_publishes_afresh_rfc3903_4_1) {
  register_ua();
  ASSERT_TRUE(ua_.publish({"presence", "application/pidf+xml", "<p/>", 120}, now_).ok());
  drain();
  auto ok = msg::make_reply(last_sent("PUBLISH"), 200, "c");
  ok.add("SIP-ETag", "e1");
  ok.add("Expires", "120");
  feed(ok);
  ASSERT_EQ(events_of<event::PublicationChanged>().size(), 1u);
  sent_.clear();
  advance(60'000);  // refresh at half of 120 s
  auto refresh = last_sent("PUBLISH");
  ASSERT_EQ(refresh.get("SIP-If-Match"), "e1");
  feed(msg::make_reply(refresh, 408));
  EXPECT_EQ(events_of<event::PublicationChanged>().size(), 1u) << "no change for the app";
  EXPECT_EQ(ua_.live_counts().publications, 1u);
  sent_.clear();
  advance(30'000);  // halfway to the expiry
  auto again = last_sent("PUBLISH");
  EXPECT_EQ(again.get("SIP-If-Match"), "e1");
  feed(msg::make_reply(again, 503));
  sent_.clear();
  advance(15'000);  // halfway again
  feed(msg::make_reply(last_sent("PUBLISH"), 500));
  sent_.clear();
  advance(7'500);  // and again
  feed(msg::make_reply(last_sent("PUBLISH"), 408));
  sent_.clear();
  advance(7'499);  // too close to the expiry to try again: nothing until it
  EXPECT_EQ(count_sent("PUBLISH"), 0);
  EXPECT_EQ(events_of<event::PublicationChanged>().size(), 1u);
  advance(1);  // the expiry: published afresh, with the body
  auto fresh = last_sent("PUBLISH");
  EXPECT_FALSE(fresh.has("SIP-If-Match"));
  EXPECT_EQ(fresh.body(), "<p/>");
  auto ok2 = msg::make_reply(fresh, 200, "c");
  ok2.add("SIP-ETag", "e2");
  ok2.add("Expires", "120");
  feed(ok2);
  EXPECT_EQ(events_of<event::PublicationChanged>().back().state, event::PubState::Published);
  EXPECT_EQ(ua_.live_counts().publications, 1u);
}

TEST_F(UsagesTest, a_refused_publish_fails_with_its_status) {
  register_ua();
  EXPECT_EQ(ua_.publish({"presence", "application/pidf+xml", "", 60}, now_).error().code,
            UaErrorCode::InvalidArgument);
  ASSERT_TRUE(ua_.publish({"presence", "application/pidf+xml", "<p/>", 60}, now_).ok());
  drain();
  feed(msg::make_reply(last_sent("PUBLISH"), 403));
  auto e = events_of<event::PublicationChanged>();
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].state, event::PubState::Failed);
  EXPECT_EQ(e[0].status, 403);
  EXPECT_EQ(ua_.live_counts().publications, 0u);
}

}  // namespace
}  // namespace wwp::call
