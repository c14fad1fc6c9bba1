// A UA driven through its bytes-in/bytes-out surface in virtual time, with
// a scripted peer: the fixture of the call and recovery tests.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/msg/header_fields.hpp"
#include "core/msg/parser.hpp"
#include "core/msg/reply.hpp"
#include "core/ua/ua.hpp"
#include "unit/ua/ua_test_config.hpp"

namespace wwp::call {

inline const char* kOffer =
    "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\na=sendrecv\r\n";
inline const char* kAnswer =
    "v=0\r\no=- 99 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\na=sendrecv\r\n";

/// `sdp` without its o= line: what the app made, whichever version the core
/// gave it to continue our sequence (RFC 3264 §8, continue_session).
inline std::string without_origin(std::string_view sdp) {
  const auto at = sdp.find("\r\no=");
  if (at == std::string_view::npos) return std::string(sdp);
  const auto end = sdp.find("\r\n", at + 2);
  return std::string(sdp.substr(0, at)) + std::string(sdp.substr(end));
}
/// The o= value of `sdp` ("" if none).
inline std::string origin_line(std::string_view sdp) {
  const auto at = sdp.find("\r\no=");
  if (at == std::string_view::npos) return {};
  return std::string(sdp.substr(at + 4, sdp.find("\r\n", at + 2) - at - 4));
}

class UaHarness : public ::testing::Test {
 protected:
  explicit UaHarness(Config config) : ua_(std::move(config)) {}

  ua::Ua ua_;
  TimePoint now_ = 1000;
  std::vector<msg::Message> sent_;
  std::vector<std::string> raw_sent_;  ///< every Transmit as it went out (keep-alives too)
  std::vector<CallEvent> events_;
  std::vector<ua::Event> all_events_;
  msg::Message registered_with_;  ///< the REGISTER register_ua() answered

  void drain() {
    for (;;) {
      auto o = ua_.poll_output();
      if (auto* t = std::get_if<ua::Transmit>(&o)) {
        raw_sent_.push_back(t->bytes);
        if (t->bytes.find_first_not_of("\r\n") == std::string::npos) continue;  // keep-alive ping
        auto m = msg::parse(t->bytes);
        ASSERT_TRUE(m.ok()) << t->bytes;
        sent_.push_back(*m);
      } else if (auto* e = std::get_if<ua::Event>(&o)) {
        all_events_.push_back(*e);
        if (auto* ce = std::get_if<CallEvent>(e)) events_.push_back(*ce);
      } else {
        return;
      }
    }
  }
  void feed(const msg::Message& m) {
    ua_.handle_input(ua::Received{m.to_string(), now_});
    drain();
  }
  void advance(Duration d) {
    const TimePoint end = now_ + d;
    for (;;) {
      auto o = ua_.poll_output();
      ASSERT_TRUE(std::holds_alternative<ua::Timeout>(o));
      const TimePoint at = std::get<ua::Timeout>(o).at;
      if (at > end) break;
      now_ = at;
      ua_.handle_input(ua::Tick{now_});
      drain();
    }
    now_ = end;
  }
  msg::Message last_sent(const std::string& what) {
    for (auto it = sent_.rbegin(); it != sent_.rend(); ++it)
      if (it->is_request() ? it->method() == what : std::to_string(it->status()) == what) return *it;
    ADD_FAILURE() << "nothing sent: " << what;
    return {};
  }
  /// How many of sent_ are `what` (a method, or a status as digits).
  int count_of(const std::string& what) const {
    int n = 0;
    for (const auto& m : sent_) n += m.is_request() ? m.method() == what : std::to_string(m.status()) == what;
    return n;
  }
  template <class T>
  const T* last_event() {
    for (auto it = events_.rbegin(); it != events_.rend(); ++it)
      if (auto* e = std::get_if<T>(&*it)) return e;
    return nullptr;
  }
  void register_ua() {
    ASSERT_TRUE(ua_.start_register(now_).ok());
    drain();
    auto reg = last_sent("REGISTER");
    registered_with_ = reg;
    auto ok = msg::make_reply(reg, 200, "r");
    ok.add("Contact", std::string(*reg.get("Contact")));
    feed(ok);
    sent_.clear();
  }
  /// Place a call and answer it with 180 then 200; returns the handle.
  CallHandle connected_outbound() {
    register_ua();
    auto h = ua_.invite({"102", "", {}, kOffer}, now_);
    EXPECT_TRUE(h.ok());
    drain();
    auto invite = last_sent("INVITE");
    feed(msg::make_reply(invite, 180, "callee"));
    auto ok = msg::make_reply(invite, 200, "callee");
    ok.add("Contact", "<sip:102@10.0.0.2;transport=ws>");
    ok.set_body(kAnswer, "application/sdp");
    feed(ok);
    return *h;
  }
  /// A request of the caller of inbound_invite() in its dialog (`tag`: our
  /// To tag; an empty `tag` leaves the To without one), no body.
  static msg::Message from_caller(const std::string& method, const std::string& tag, int cseq,
                                  const std::string& branch) {
    msg::Message m = msg::Message::request(method, "sip:101@me.invalid;transport=ws");
    m.add("Via", "SIP/2.0/WSS proxy.test;branch=" + branch);
    m.add("From", "<sip:102@example.test>;tag=caller");
    m.add("To", "<sip:101@example.test>" + (tag.empty() ? std::string() : ";tag=" + tag));
    m.add("Call-ID", "in-call-1");
    m.add("CSeq", std::to_string(cseq) + " " + method);
    m.set_body({});
    return m;
  }
  /// The caller's ACK for our 2xx to inbound_invite(); `tag`: our To tag.
  static msg::Message inbound_ack(const std::string& tag) { return from_caller("ACK", tag, 10, "z9hG4bKack1"); }
  msg::Message inbound_invite(const std::string& body = kOffer) {
    msg::Message m = msg::Message::request("INVITE", "sip:101@me.invalid;transport=ws");
    m.add("Via", "SIP/2.0/WSS proxy.test;branch=z9hG4bKin1");
    m.add("Max-Forwards", "70");
    m.add("From", "<sip:102@example.test>;tag=caller");
    m.add("To", "<sip:101@example.test>");
    m.add("Call-ID", "in-call-1");
    m.add("CSeq", "10 INVITE");
    m.add("Contact", "<sip:102@10.0.0.2;transport=ws>");
    m.set_body(body, body.empty() ? "" : "application/sdp");
    return m;
  }
};

}  // namespace wwp::call
