// Shared builders for the RFC 3261 §17 transaction tests.
#pragma once
#include <string>

#include "core/msg/message.hpp"
#include "core/txn/txn_common.hpp"
#include "core/ua/reply.hpp"

namespace wwp::txn::test {

inline constexpr TimePoint kStart = 10'000;

inline TxnConfig config() {
  TxnConfig c;
  c.t1 = 500;
  c.trying_delay = 200;
  return c;
}

/// A request as a WebSocket UA would send it (RFC 7118 §5 Via transport WSS).
inline msg::Message request(const std::string& method, const std::string& branch = "z9hG4bKabc123",
                            unsigned cseq = 1, const std::string& sent_by = "df7jal23ls0d.invalid") {
  msg::Message m = msg::Message::request(method, "sip:bob@example.test");
  m.add("Via", "SIP/2.0/WSS " + sent_by + ";branch=" + branch);
  m.add("Max-Forwards", "70");
  m.add("Route", "<sip:edge.example.test;transport=wss;lr>");
  m.add("To", "<sip:bob@example.test>");
  m.add("From", "<sip:alice@example.test>;tag=fromtag1");
  m.add("Call-ID", "callid-1@example.test");
  m.add("CSeq", std::to_string(cseq) + " " + (method == "ACK" ? std::string("INVITE") : method));
  if (method == "ACK") m.set("CSeq", std::to_string(cseq) + " ACK");
  m.set_body({});
  return m;
}

inline msg::Message response(const msg::Message& req, int status, const std::string& to_tag = "totag9") {
  return ua::make_reply(req, status, status == 100 ? "" : to_tag);
}

/// A representative status for a class index 1..6.
inline int status_of_class(int cls) {
  switch (cls) {
    case 1: return 180;
    case 2: return 200;
    case 3: return 302;
    case 4: return 486;
    case 5: return 503;
    default: return 603;
  }
}

}  // namespace wwp::txn::test
