// Shared builders for the RFC 3261 §17 transaction tests.
#pragma once
#include <vector>
#include <string>

#include "core/msg/message.hpp"
#include "core/msg/reply.hpp"
#include "core/txn/txn_common.hpp"

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
  return msg::make_reply(req, status, status == 100 ? "" : to_tag);
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

/// Expands a state x input matrix: a row whose input is `non2xx` becomes one
/// row per final class 3-6 (named `<name>_<status>`); `p1xx` rows get 180
/// and `s2xx` rows 200. Row needs `name`, `input` and `status`.
template <class Row, class In>
std::vector<Row> expand_statuses(const std::vector<Row>& base, In p1xx, In s2xx, In non2xx) {
  std::vector<Row> out;
  for (const auto& r : base) {
    if (r.input == non2xx) {
      for (int cls = 3; cls <= 6; ++cls) {
        Row x = r;
        x.status = status_of_class(cls);
        x.name += "_" + std::to_string(x.status);
        out.push_back(x);
      }
    } else {
      Row x = r;
      if (r.input == p1xx) x.status = 180;
      if (r.input == s2xx) x.status = 200;
      out.push_back(x);
    }
  }
  return out;
}

}  // namespace wwp::txn::test
