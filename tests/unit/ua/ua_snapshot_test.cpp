// Ua::export_state / Ua::import_state (issue #13 "multi-tab"): a second UA
// that imports the first one's state continues its registration (same
// Call-ID, From tag and Contact, higher CSeq: RFC 3261 §10.2.4, RFC 5626
// §4.2) and its answered calls (same dialogs, RFC 3261 §12), restarts their
// media after registering, and refuses anything that is not such a state
// without importing half of it.
#include <algorithm>

#include "core/rc/json.hpp"
#include "core/ua/snapshot.hpp"
#include "unit/ua/ua_harness.hpp"

namespace wwp::call {
namespace {

/// The tab that takes over: same account and instance, no contact host of
/// its own (the import supplies the old one), another random seed.
Config second_config() {
  Config c = ua::ua_test_config(77);
  c.contact_host.clear();
  return c;
}

/// The UA in the second tab, driven like UaHarness drives the first.
struct SecondUa {
  ua::Ua ua{second_config()};
  std::vector<msg::Message> sent;
  std::vector<ua::Event> events;

  void drain() {
    for (;;) {
      auto o = ua.poll_output();
      if (auto* t = std::get_if<ua::Transmit>(&o)) {
        auto m = msg::parse(t->bytes);
        ASSERT_TRUE(m.ok()) << t->bytes;
        sent.push_back(*m);
      } else if (auto* e = std::get_if<ua::Event>(&o)) {
        events.push_back(*e);
      } else {
        return;
      }
    }
  }
  void feed(const msg::Message& m, TimePoint now) {
    ua.handle_input(ua::Received{m.to_string(), now});
    drain();
  }
  msg::Message last_sent(const std::string& what) {
    for (auto it = sent.rbegin(); it != sent.rend(); ++it)
      if (it->is_request() ? it->method() == what : std::to_string(it->status()) == what) return *it;
    ADD_FAILURE() << "nothing sent: " << what;
    return {};
  }
  template <class T>
  std::vector<T> call_events() {
    std::vector<T> out;
    for (const auto& e : events)
      if (auto* ce = std::get_if<CallEvent>(&e))
        if (auto* x = std::get_if<T>(ce)) out.push_back(*x);
    return out;
  }
  /// REGISTER and its 200; returns the REGISTER.
  msg::Message register_ua(TimePoint now) {
    EXPECT_TRUE(ua.start_register(now).ok());
    drain();
    auto reg = last_sent("REGISTER");
    auto ok = msg::make_reply(reg, 200, "r");
    ok.add("Contact", std::string(*reg.get("Contact")));
    feed(ok, now);
    return reg;
  }
};

std::uint32_t cseq_of(const msg::Message& m) { return msg::parse_cseq(*m.get("CSeq"))->seq; }

class SnapshotTest : public UaHarness {
 protected:
  SnapshotTest() : UaHarness(ua::ua_test_config(5)) {}

  SecondUa b_;

  void import_into_b() {
    const std::string state = ua_.export_state();
    auto s = b_.ua.import_state(state, now_);
    ASSERT_TRUE(s.ok()) << s.error().message << "\n" << state;
    b_.drain();
  }
  /// An outbound call answered through a proxy that record-routes.
  CallHandle answered_outbound_via_proxy() {
    register_ua();
    auto h = ua_.invite({"102", "", {}, kOffer}, now_);
    EXPECT_TRUE(h.ok());
    drain();
    auto invite = last_sent("INVITE");
    auto ok = msg::make_reply(invite, 200, "callee");
    ok.add("Record-Route", "<sip:p2.example.test;lr>");
    ok.add("Record-Route", "<sip:p1.example.test;lr>");
    ok.add("Contact", "\"Bob\" <sip:102@10.0.0.2;transport=ws>");
    ok.set_body(kAnswer, "application/sdp");
    feed(ok);
    return *h;
  }
  /// An inbound call answered and ACKed; returns the handle, `tag` our To tag.
  CallHandle answered_inbound(std::string* tag) {
    register_ua();
    auto invite = inbound_invite();
    invite.add("Record-Route", "<sip:p1.example.test;lr>");
    feed(invite);
    const CallHandle h = last_event<IncomingCall>()->call;
    EXPECT_TRUE(ua_.answer(h, kAnswer, now_).ok());
    drain();
    *tag = *msg::tag_of(*last_sent("200").get("To"));
    feed(inbound_ack(*tag));
    EXPECT_NE(last_event<CallConfirmed>(), nullptr);
    return h;
  }
};

TEST_F(SnapshotTest, the_next_REGISTER_continues_the_binding_RFC3261_10_2_4) {
  register_ua();
  import_into_b();
  const msg::Message reg = b_.register_ua(now_);
  // Same Call-ID, From tag and Contact (host and +sip.instance), a higher
  // CSeq: the registrar replaces the binding instead of adding one.
  EXPECT_EQ(reg.get("Call-ID"), registered_with_.get("Call-ID"));
  EXPECT_EQ(msg::tag_of(*reg.get("From")), msg::tag_of(*registered_with_.get("From")));
  EXPECT_EQ(reg.get("Contact"), registered_with_.get("Contact"));
  EXPECT_EQ(cseq_of(reg), cseq_of(registered_with_) + 1);
  EXPECT_NE(reg.get("Via")->find("me.invalid"), std::string_view::npos);
  EXPECT_EQ(b_.ua.registration_state(), reg::State::Registered);
}

TEST_F(SnapshotTest, an_unregistered_UA_exports_a_registration_to_continue_too) {
  import_into_b();
  EXPECT_TRUE(b_.ua.start_register(now_).ok());
  b_.drain();
  EXPECT_TRUE(ua_.start_register(now_).ok());
  drain();
  // Kept in locals: get() views into the message.
  const auto from_b = b_.last_sent("REGISTER");
  const auto from_a = last_sent("REGISTER");
  EXPECT_EQ(from_b.get("Contact"), from_a.get("Contact"));
}

TEST_F(SnapshotTest, an_answered_outbound_call_is_adopted_and_its_media_recovered_after_registering) {
  const CallHandle h = answered_outbound_via_proxy();
  const msg::Message invite = last_sent("INVITE");
  import_into_b();
  auto adopted = b_.call_events<CallAdopted>();
  ASSERT_EQ(adopted.size(), 1u);
  EXPECT_EQ(adopted[0].call, h);
  EXPECT_TRUE(adopted[0].outbound);
  EXPECT_FALSE(adopted[0].held);
  EXPECT_EQ(adopted[0].call_id, ua_.call_id(h));
  EXPECT_EQ(adopted[0].peer.remote_user, "102");
  EXPECT_EQ(adopted[0].peer.remote_tag, "callee");
  EXPECT_EQ(b_.ua.call_id(h), ua_.call_id(h));
  // No media restart before the phone is registered again.
  EXPECT_TRUE(b_.call_events<RecoverMedia>().empty());
  b_.register_ua(now_);
  auto recover = b_.call_events<RecoverMedia>();
  ASSERT_EQ(recover.size(), 1u);
  EXPECT_EQ(recover[0].call, h);

  // The ICE-restart re-INVITE continues the dialog (RFC 3261 §12.2.1.1).
  b_.sent.clear();
  ASSERT_TRUE(b_.ua.reinvite(h, kOffer, true, now_).ok());
  b_.drain();
  auto re = b_.last_sent("INVITE");
  EXPECT_EQ(re.request_uri(), "sip:102@10.0.0.2;transport=ws");  // the remote target
  EXPECT_EQ(re.get("Call-ID"), invite.get("Call-ID"));
  EXPECT_EQ(msg::tag_of(*re.get("From")), msg::tag_of(*invite.get("From")));
  EXPECT_EQ(msg::tag_of(*re.get("To")), std::optional<std::string>("callee"));
  // UAC route set: the 2xx's Record-Route reversed (§12.1.2).
  const auto routes = re.get_all("Route");
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0], "<sip:p1.example.test;lr>");
  EXPECT_EQ(routes[1], "<sip:p2.example.test;lr>");
  EXPECT_EQ(cseq_of(re), cseq_of(invite) + 1);
  EXPECT_NE(re.get("Contact")->find("me.invalid"), std::string_view::npos);

  // Its 2xx completes it as on the first UA.
  auto ok = msg::make_reply(re, 200);
  ok.add("Contact", "<sip:102@10.0.0.3;transport=ws>");
  ok.set_body(kAnswer, "application/sdp");
  b_.feed(ok, now_);
  ASSERT_EQ(b_.call_events<ReinviteDone>().size(), 1u);
  EXPECT_EQ(b_.call_events<ReinviteDone>()[0].status, 200);
  EXPECT_EQ(b_.last_sent("ACK").request_uri(), "sip:102@10.0.0.3;transport=ws");
}

TEST_F(SnapshotTest, an_answered_inbound_call_is_adopted_and_the_peers_BYE_matches_it) {
  std::string tag;
  const CallHandle h = answered_inbound(&tag);
  import_into_b();
  auto adopted = b_.call_events<CallAdopted>();
  ASSERT_EQ(adopted.size(), 1u);
  EXPECT_EQ(adopted[0].call, h);
  EXPECT_FALSE(adopted[0].outbound);
  EXPECT_EQ(adopted[0].call_id, "in-call-1");
  EXPECT_EQ(adopted[0].peer.remote_user, "102");
  EXPECT_EQ(adopted[0].peer.local_tag, tag);
  b_.register_ua(now_);
  ASSERT_EQ(b_.call_events<RecoverMedia>().size(), 1u);

  // A re-INVITE of ours: UAS route set in order, CSeq from 1 (§12.1.1: the
  // UAS's local sequence number starts empty).
  ASSERT_TRUE(b_.ua.reinvite(h, kOffer, true, now_).ok());
  b_.drain();
  auto re = b_.last_sent("INVITE");
  EXPECT_EQ(re.request_uri(), "sip:102@10.0.0.2;transport=ws");
  EXPECT_EQ(re.get_all("Route").size(), 1u);
  EXPECT_EQ(msg::tag_of(*re.get("From")), std::optional<std::string>(tag));
  EXPECT_EQ(msg::tag_of(*re.get("To")), std::optional<std::string>("caller"));
  b_.feed(msg::make_reply(re, 200), now_);

  // The caller hangs up at the new UA: matched to the adopted dialog, 200.
  b_.feed(from_caller("BYE", tag, 11, "z9hG4bKbye2"), now_);
  EXPECT_EQ(b_.last_sent("200").get("CSeq").value_or(""), "11 BYE");
  auto ended = b_.call_events<CallEnded>();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].call, h);
  EXPECT_EQ(b_.ua.live_counts().calls, 0u);
}

TEST_F(SnapshotTest, a_BYE_with_an_old_CSeq_is_refused_as_on_the_first_UA) {
  std::string tag;
  answered_inbound(&tag);
  import_into_b();
  msg::Message bye = msg::Message::request("BYE", "sip:101@me.invalid;transport=ws");
  bye.add("Via", "SIP/2.0/WSS proxy.test;branch=z9hG4bKbye3");
  bye.add("From", "<sip:102@example.test>;tag=caller");
  bye.add("To", "<sip:101@example.test>;tag=" + tag);
  bye.add("Call-ID", "in-call-1");
  bye.add("CSeq", "10 BYE");  // not above the INVITE's 10 (§12.2.2)
  bye.set_body({});
  b_.feed(bye, now_);
  EXPECT_EQ(b_.last_sent("500").get("CSeq").value_or(""), "10 BYE");
}

// RFC 3264 §8: the adopting tab's peer connection has a session id and
// version of its own; the peer must see the call's one o= sequence go on.
TEST_F(SnapshotTest, the_adopting_tabs_sdp_continues_the_calls_origin_rfc3264_8) {
  const CallHandle h = answered_outbound_via_proxy();  // our INVITE: o=- 4611731400430051336 2
  import_into_b();
  b_.register_ua(now_);
  b_.sent.clear();
  const std::string new_tab = "v=0\r\no=- 555 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                              "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:newtab\r\na=sendrecv\r\n";
  ASSERT_TRUE(b_.ua.reinvite(h, new_tab, true, now_).ok());
  b_.drain();
  const auto body = std::string(b_.last_sent("INVITE").body());
  EXPECT_EQ(origin_line(body), "- 4611731400430051336 3 IN IP4 127.0.0.1");
  EXPECT_EQ(without_origin(body), without_origin(new_tab));
  // Handed on again before an SDP of its own was answered: the origin goes along.
  rc::Json j;
  ASSERT_TRUE(rc::json_parse(b_.ua.export_state(), j));
  EXPECT_EQ(j["calls"][0]["origin"], "- 4611731400430051336 2 IN IP4 127.0.0.1");
}

TEST_F(SnapshotTest, a_held_call_says_so) {
  const CallHandle h = connected_outbound();
  ASSERT_TRUE(ua_.hold(h, true, now_).ok());
  drain();
  auto ok = msg::make_reply(last_sent("INVITE"), 200);
  ok.set_body(kAnswer, "application/sdp");
  feed(ok);
  import_into_b();
  auto adopted = b_.call_events<CallAdopted>();
  ASSERT_EQ(adopted.size(), 1u);
  EXPECT_TRUE(adopted[0].held);
  // Handed over again before its media was restarted: still held.
  rc::Json j;
  ASSERT_TRUE(rc::json_parse(b_.ua.export_state(), j));
  EXPECT_EQ(j["calls"][0]["held"], true);
}

// The peer holds with a=inactive (RFC 3264 §8.4) and we answer inactive, as
// §6.1 requires: that is the peer's hold, not ours. Read from our SDP, the
// adopting tab took it for ours: its media restart offered sendonly and its
// answer to the peer's resume kept us sendonly (one-way audio, "held" shown).
TEST_F(SnapshotTest, a_call_the_peer_holds_with_inactive_is_not_held_by_us_after_adoption) {
  const CallHandle h = connected_outbound();
  auto ack = last_sent("ACK");
  std::string inactive = kAnswer;
  for (const char* d : {"a=sendrecv", "a=sendonly", "a=recvonly"})
    if (auto at = inactive.find(d); at != std::string::npos) inactive.replace(at, std::string(d).size(), "a=inactive");
  ASSERT_NE(inactive.find("a=inactive"), std::string::npos);
  msg::Message reinvite = msg::Message::request("INVITE", "sip:101@me.invalid;transport=ws");
  reinvite.add("Via", "SIP/2.0/WSS 10.0.0.2;branch=z9hG4bKpeerhold");
  reinvite.add("From", std::string(*ack.get("To")));
  reinvite.add("To", std::string(*ack.get("From")));
  reinvite.add("Call-ID", std::string(*ack.get("Call-ID")));
  reinvite.add("CSeq", "700 INVITE");
  reinvite.add("Contact", "<sip:102@10.0.0.2;transport=ws>");
  reinvite.set_body(inactive, "application/sdp");
  feed(reinvite);
  ASSERT_TRUE(ua_.answer_reinvite(h, inactive, now_, false).ok());
  drain();
  ASSERT_EQ(count_of("200"), 1);
  import_into_b();
  auto adopted = b_.call_events<CallAdopted>();
  ASSERT_EQ(adopted.size(), 1u);
  EXPECT_FALSE(adopted[0].held);
}

TEST_F(SnapshotTest, a_video_call_names_its_m_lines_so_the_adopting_tab_offers_as_many_RFC3264_8) {
  register_ua();
  const std::string video =
      std::string(kOffer) + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:96 VP8/90000\r\na=sendrecv\r\n";
  auto h = ua_.invite({"102", "", {}, video}, now_);
  ASSERT_TRUE(h.ok());
  drain();
  auto ok = msg::make_reply(last_sent("INVITE"), 200, "callee");
  ok.add("Contact", "<sip:102@10.0.0.2;transport=ws>");
  ok.set_body(std::string(kAnswer) + "m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n", "application/sdp");
  feed(ok);
  import_into_b();
  auto adopted = b_.call_events<CallAdopted>();
  ASSERT_EQ(adopted.size(), 1u);
  EXPECT_EQ(adopted[0].media, "audio video");
  // Handed over again before the new tab made an SDP: the same m-lines.
  rc::Json j;
  ASSERT_TRUE(rc::json_parse(b_.ua.export_state(), j));
  EXPECT_EQ(j["calls"][0]["media"], "audio video");
  // A state without the member (from before video) is still read, with the
  // media unknown.
  rc::Json a;
  ASSERT_TRUE(rc::json_parse(ua_.export_state(), a));
  EXPECT_EQ(a["calls"][0]["media"], "audio video");
  a["calls"][0].erase("media");
  SecondUa c;
  ASSERT_TRUE(c.ua.import_state(rc::json_dump(a), now_).ok());
  c.drain();
  ASSERT_EQ(c.call_events<CallAdopted>().size(), 1u);
  EXPECT_EQ(c.call_events<CallAdopted>()[0].media, "");
}

TEST_F(SnapshotTest, a_ringing_call_is_not_exported) {
  register_ua();
  feed(inbound_invite());
  ASSERT_NE(last_event<IncomingCall>(), nullptr);
  rc::Json j;
  ASSERT_TRUE(rc::json_parse(ua_.export_state(), j));
  EXPECT_TRUE(j["calls"].empty());
  import_into_b();
  EXPECT_TRUE(b_.call_events<CallAdopted>().empty());
  EXPECT_EQ(b_.ua.live_counts().calls, 0u);
}

TEST_F(SnapshotTest, adopted_calls_keep_their_handles_and_new_calls_get_new_ones) {
  const CallHandle h = answered_outbound_via_proxy();
  import_into_b();
  b_.register_ua(now_);
  auto next = b_.ua.invite({"103", "", {}, kOffer}, now_);
  ASSERT_TRUE(next.ok());
  EXPECT_GT(*next, h);
}

// --- refusals -----------------------------------------------------------------

/// `state` with one member replaced (`path` as JSON pointer).
std::string with(const std::string& state, const char* pointer, rc::Json value) {
  rc::Json j;
  EXPECT_TRUE(rc::json_parse(state, j));
  j[rc::Json::json_pointer(pointer)] = std::move(value);
  return rc::json_dump(j);
}

TEST_F(SnapshotTest, every_truncation_of_a_state_is_refused_and_the_UA_stays_fresh) {
  answered_outbound_via_proxy();
  const std::string state = ua_.export_state();
  for (std::size_t n = 0; n < state.size(); ++n) {
    auto s = b_.ua.import_state(std::string_view(state).substr(0, n), now_);
    ASSERT_FALSE(s.ok()) << n;
    EXPECT_EQ(s.error().code, UaErrorCode::InvalidArgument);
  }
  b_.drain();
  EXPECT_TRUE(b_.events.empty());
  EXPECT_EQ(b_.ua.live_counts().calls, 0u);
  // Nothing was half-imported: the whole state still goes in.
  ASSERT_TRUE(b_.ua.import_state(state, now_).ok());
  b_.drain();
  EXPECT_EQ(b_.call_events<CallAdopted>().size(), 1u);
}

TEST_F(SnapshotTest, malformed_foreign_and_unsupported_states_are_refused_with_a_reason) {
  answered_outbound_via_proxy();
  const std::string state = ua_.export_state();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty"},
      {"{", "not JSON"},
      {"[]", "not a wasm-web-phone state"},
      {"{\"a\":1}", "not a wasm-web-phone state"},
      {with(state, "/type", "other"), "not a wasm-web-phone state"},
      {with(state, "/version", 2), "unsupported state version 2"},
      {with(state, "/version", "1"), "version"},
      {with(state, "/aor", "sip:999@example.test"), "belongs to sip:999@example.test"},
      {with(state, "/registration/cseq", "7"), "registration.cseq"},
      {with(state, "/registration/cseq", -1), "registration.cseq"},
      {with(state, "/registration/callId", 5), "registration.callId"},
      {with(state, "/registration/contact", "sip:101@me.invalid;transport=ws"), "registration.contact"},
      {with(state, "/registration/bound", 1), "registration.bound"},
      {with(state, "/calls", rc::Json::object()), "calls"},
      {with(state, "/calls/0/call", 0), "calls[0].call"},
      {with(state, "/calls/0/direction", "sideways"), "calls[0].direction"},
      {with(state, "/calls/0/peer", "x"), "calls[0].peer"},
      {with(state, "/calls/0/dialog/localTag", "a\r\nX-Injected: 1"), "calls[0].dialog.localTag"},
      {with(state, "/calls/0/dialog/remoteTarget", "not a uri"), "calls[0].dialog.remoteTarget"},
      {with(state, "/calls/0/dialog/routeSet", rc::Json::array({7})), "calls[0].dialog.routeSet[0]"},
      {with(state, "/calls/0/dialog/localCSeq", 4294967296ull), "calls[0].dialog.localCSeq"},
      {with(state, "/calls/0/rcCallInfo", rc::Json::array({"x"})), "calls[0].rcCallInfo"},
      {with(state, "/calls/0/media", 7), "calls[0].media"},
      {with(state, "/calls/0/media", "audio\r\nX: 1"), "calls[0].media"},
      {with(state, "/calls/0/origin", "- x"), "calls[0].origin"},
      {std::string(64, '[') + std::string(64, ']'), "nested too deeply"},
  };
  for (const auto& [text, why] : cases) {
    auto s = b_.ua.import_state(text, now_);
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_EQ(s.error().code, UaErrorCode::InvalidArgument) << text;
    EXPECT_NE(s.error().message.find(why), std::string::npos) << s.error().message;
    EXPECT_EQ(s.error().message.rfind("importState: ", 0), 0u) << s.error().message;
  }
  // Two calls with the same handle.
  rc::Json j;
  ASSERT_TRUE(rc::json_parse(state, j));
  j["calls"].push_back(j["calls"][0]);
  auto dup = b_.ua.import_state(rc::json_dump(j), now_);
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("appears twice"), std::string::npos);
  // Still usable afterwards.
  EXPECT_TRUE(b_.ua.import_state(state, now_).ok());
}

TEST_F(SnapshotTest, only_a_fresh_UA_imports) {
  register_ua();
  const std::string state = ua_.export_state();
  // A UA that has registered has state of its own.
  auto used = ua_.import_state(state, now_);
  ASSERT_FALSE(used.ok());
  EXPECT_EQ(used.error().code, UaErrorCode::InvalidState);
  // A second import is refused as well.
  ASSERT_TRUE(b_.ua.import_state(state, now_).ok());
  auto again = b_.ua.import_state(state, now_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, UaErrorCode::InvalidState);
}

TEST_F(SnapshotTest, export_import_export_round_trips) {
  std::string tag;
  answered_inbound(&tag);
  const std::string state = ua_.export_state();
  ASSERT_TRUE(b_.ua.import_state(state, now_).ok());
  // Only the `bound` flag differs: the new UA holds no binding yet.
  EXPECT_EQ(with(b_.ua.export_state(), "/registration/bound", true), state);
}

}  // namespace
}  // namespace wwp::call
