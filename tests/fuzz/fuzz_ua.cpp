// Stateful libFuzzer target for the UA driver (house style §23): the input
// is a program of operations — receive bytes, advance time, tick at the UA's
// deadline, start_register, unregister, transport closed, and "answer the
// last request we sent" with a fuzzer-chosen status, app-written messages
// (sipClient.send) of arbitrary text, calls placed and every call command on
// any call the UA reported, and requests from the peer inside the last dialog
// we spoke in, messages, subscriptions and publications with NOTIFYs for the
// last SUBSCRIBE (so the registration, transaction, dialog, call and event
// machines reach their deep states, which random bytes alone rarely do).
//
// Invariants (abort on violation, on top of ASan/UBSan/leak checks):
//  - every output is a Transmit, an Event or a Timeout, and the drain ends
//    with a Timeout within a bounded number of outputs;
//  - every Transmit is a SIP message our own parser accepts;
//  - after a Tick at `now`, the next deadline is later than `now` (no timer
//    left due: otherwise the driver would spin).
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "core/msg/header_fields.hpp"
#include "core/msg/parser.hpp"
#include "core/msg/reply.hpp"
#include "core/ua/ua.hpp"

namespace {

void check(bool cond) {
  if (!cond) std::abort();
}

class Reader {
 public:
  Reader(const std::uint8_t* d, std::size_t n) : d_(d), n_(n) {}
  bool done() const { return i_ >= n_; }
  std::uint8_t byte() { return i_ < n_ ? d_[i_++] : 0; }
  std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }
  std::string bytes(std::size_t len) {
    len = std::min(len, n_ - i_);
    std::string s(reinterpret_cast<const char*>(d_ + i_), len);
    i_ += len;
    return s;
  }

 private:
  const std::uint8_t* d_;
  std::size_t n_;
  std::size_t i_ = 0;
};

struct Driver {
  wwp::ua::Ua ua;
  wwp::TimePoint now = 1000;
  wwp::TimePoint deadline = wwp::kNever;
  const char* deadline_reason = "";
  std::optional<wwp::msg::Message> last_request;
  std::optional<wwp::msg::Message> last_in_dialog;  ///< our last request with a To tag
  std::vector<wwp::call::CallHandle> calls;         ///< every call an event named

  explicit Driver(wwp::Config c) : ua(std::move(c)) {}

  void drain() {
    for (int n = 0;; ++n) {
      check(n < 10000);
      auto o = ua.poll_output();
      if (auto* t = std::get_if<wwp::ua::Transmit>(&o)) {
        auto m = wwp::msg::parse(t->bytes);
        check(m.ok());
        if (m->is_request()) {
          if (wwp::msg::tag_of(m->get("To").value_or(""))) last_in_dialog = *m;
          last_request = std::move(m.value());
        }
      } else if (auto* e = std::get_if<wwp::ua::Event>(&o)) {
        if (auto* ce = std::get_if<wwp::call::CallEvent>(e)) {
          const auto h = std::visit([](const auto& ev) { return ev.call; }, *ce);
          if (h && calls.size() < 16 && std::find(calls.begin(), calls.end(), h) == calls.end()) calls.push_back(h);
        }
      } else {
        check(std::holds_alternative<wwp::ua::Timeout>(o));
        deadline = std::get<wwp::ua::Timeout>(o).at;
        deadline_reason = std::get<wwp::ua::Timeout>(o).reason;
        return;
      }
    }
  }

  void tick(wwp::TimePoint t) {
    now = std::max(now, t);
    ua.handle_input(wwp::ua::Tick{now});
    drain();
    if (deadline <= now) {
      std::fprintf(stderr, "timer left due after a tick: %s at %lld, now %lld\n", deadline_reason,
                   static_cast<long long>(deadline), static_cast<long long>(now));
      std::abort();
    }
  }
};

constexpr const char* kSdp =
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    "c=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\na=sendrecv\r\n";

/// One call command, chosen by the input, on one of the calls the UA named.
void call_command(Driver& d, Reader& in) {
  if (d.calls.empty()) return;
  const wwp::call::CallHandle h = d.calls[in.byte() % d.calls.size()];
  const std::uint8_t arg = in.byte();
  using RcCommand = wwp::call::Call::RcCommand;
  switch (in.byte() % 14) {
    case 0: (void)d.ua.answer(h, (arg & 1) ? kSdp : "", d.now); break;
    case 1: (void)d.ua.reject(h, 300 + arg, d.now); break;
    case 2: (void)d.ua.hangup(h, d.now); break;
    case 3: (void)d.ua.hold(h, arg & 1, d.now); break;
    case 4: (void)d.ua.reinvite(h, kSdp, arg & 1, d.now); break;
    case 5: (void)d.ua.answer_reinvite(h, (arg & 1) ? kSdp : "", d.now); break;
    case 6: (void)d.ua.refer(h, (arg & 1) ? "sip:103@example.test" : "1 03", d.now); break;
    case 7: (void)d.ua.refer_progress(h, 100 + arg, d.now); break;
    case 8: (void)d.ua.refer_replaces(h, d.calls[arg % d.calls.size()], d.now); break;
    case 9: (void)d.ua.decline(h, d.now); break;
    case 10: (void)d.ua.send_request(h, (arg & 1) ? "INFO" : "MESSAGE", "text/plain", "x", d.now); break;
    case 11: (void)d.ua.rc_info(h, (arg & 1) ? "park" : "flip", "103", d.now); break;
    case 12: (void)d.ua.rc_command(h, static_cast<RcCommand>(arg % 6), "103", {}, d.now); break;
    case 13: (void)d.ua.call_id(h); break;
  }
  d.drain();
}

/// A request from the peer inside the last dialog we sent in: our From and
/// To swapped, its own branch and CSeq, and what the method needs.
void peer_request(Driver& d, Reader& in) {
  if (!d.last_in_dialog) return;
  static const char* kMethods[] = {"BYE", "INVITE", "REFER", "NOTIFY", "INFO", "MESSAGE", "OPTIONS", "UPDATE", "ACK"};
  const std::string method = kMethods[in.byte() % 9];
  const std::uint8_t arg = in.byte();
  const auto& ours = *d.last_in_dialog;
  auto m = wwp::msg::Message::request(method, "sip:101@fz.invalid;transport=wss");
  m.add("Via", "SIP/2.0/WSS peer.invalid;branch=z9hG4bKp" + std::to_string(in.u16()));
  m.add("From", std::string(ours.get("To").value_or("")));
  m.add("To", std::string(ours.get("From").value_or("")));
  m.add("Call-ID", std::string(ours.get("Call-ID").value_or("")));
  m.add("CSeq", std::to_string(1000 + in.u16()) + " " + method);
  m.add("Contact", "<sip:102@10.0.0.2;transport=ws>");
  if (method == "INVITE" && (arg & 1)) m.set_body(kSdp, "application/sdp");
  if (method == "REFER")
    m.add("Refer-To", (arg & 2) ? "<sip:103@example.test?Replaces=c%3Bto-tag%3Da%3Bfrom-tag%3Db>" : "<sip:103@example.test>");
  if (method == "NOTIFY") m.set_body((arg & 2) ? "SIP/2.0 200 OK\r\n" : "SIP/2.0 100 Trying\r\n", "message/sipfrag");
  d.ua.handle_input(wwp::ua::Received{m.to_string(), d.now});
  d.drain();
}

/// Messages, subscriptions and publications (core/event/): one command.
void usage_command(Driver& d, Reader& in) {
  const std::uint8_t arg = in.byte();
  switch (in.byte() % 7) {
    case 0: (void)d.ua.send_message({(arg & 1) ? "102" : "1 02", (arg & 2) ? "text/plain" : "x", "hi"}, d.now); break;
    case 1: (void)d.ua.subscribe({"102", (arg & 1) ? "presence" : "dialog", "", 30u + arg}, d.now); break;
    case 2: (void)d.ua.unsubscribe(1u + arg % 4, d.now); break;
    case 3: (void)d.ua.publish({"presence", "application/pidf+xml", "<p/>", 10u + arg}, d.now); break;
    case 4: (void)d.ua.publish_presence(arg & 1, "note <&>", (arg & 2) ? "away" : "", 60, d.now); break;
    case 5: (void)d.ua.unpublish("presence", d.now); break;
    case 6: d.ua.end_usages(d.now); break;
  }
  d.drain();
}

/// A NOTIFY for the last SUBSCRIBE we sent: its dialog, a chosen state and
/// one of a few bodies (or fuzzer bytes).
void notify_for_last_subscribe(Driver& d, Reader& in) {
  if (!d.last_request || d.last_request->method() != "SUBSCRIBE") return;
  const auto& sub = *d.last_request;
  static const char* kStates[] = {"active;expires=60", "pending", "terminated;reason=probation;retry-after=5",
                                  "terminated;reason=rejected", "terminated", "bogus;;", ""};
  static const char* kBodies[] = {
      "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:102@example.test'><tuple id='t'><status>"
      "<basic>open</basic></status><note>n</note></tuple></presence>",
      "<dialog-info xmlns='urn:ietf:params:xml:ns:dialog-info' version='1' state='full' entity='sip:102@x'>"
      "<dialog id='d' direction='initiator'><state>Trying</state></dialog></dialog-info>",
      ""};
  const std::uint8_t arg = in.byte();
  auto m = wwp::msg::Message::request("NOTIFY", "sip:101@fz.invalid;transport=wss");
  m.add("Via", "SIP/2.0/WSS peer.invalid;branch=z9hG4bKn" + std::to_string(in.u16()));
  m.add("From", std::string(sub.get("To").value_or("")) + ";tag=" + ((arg & 1) ? "n1" : "n2"));
  m.add("To", std::string(sub.get("From").value_or("")));
  m.add("Call-ID", std::string(sub.get("Call-ID").value_or("")));
  m.add("CSeq", std::to_string(1 + in.u16()) + " NOTIFY");
  m.add("Event", (arg & 2) ? "presence" : "dialog");
  m.add("Subscription-State", kStates[in.byte() % 7]);
  m.add("Contact", "<sip:102@10.0.0.2;transport=ws>");
  if (arg & 4) m.add("Record-Route", "<sip:proxy.invalid;lr>");
  const std::uint8_t b = in.byte() % 4;
  const std::string body = b < 3 ? kBodies[b] : in.bytes(in.u16() % 1024);
  if (!body.empty()) m.set_body(body, (arg & 8) ? "application/pidf+xml" : "application/dialog-info+xml");
  d.ua.handle_input(wwp::ua::Received{m.to_string(), d.now});
  d.drain();
}

wwp::Config config() {
  wwp::Config c;
  c.username = "101";
  c.authorization_id = "101001";
  c.password = "pw";
  c.domain = "example.test";
  c.contact_host = "fz.invalid";
  c.rng_seed = 5;
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader in(data, size);
  Driver d(config());
  d.drain();
  for (int ops = 0; !in.done() && ops < 256; ++ops) {
    switch (in.byte() % 14) {
      case 0: {  // a raw frame from the peer
        const std::size_t len = in.u16() % 4096;
        d.ua.handle_input(wwp::ua::Received{in.bytes(len), d.now});
        d.drain();
        break;
      }
      case 1:  // time passes (up to ~65 s) with a tick
        d.tick(d.now + in.u16());
        break;
      case 2:  // the driver wakes at the deadline it was given
        if (d.deadline != wwp::kNever) d.tick(d.deadline);
        break;
      case 3:
        (void)d.ua.start_register(d.now);
        d.drain();
        break;
      case 4:
        (void)d.ua.unregister(d.now);
        d.drain();
        break;
      case 5:
        d.ua.handle_transport_closed(d.now);
        d.drain();
        break;
      case 6: {  // a plausible answer to the last request we sent
        if (!d.last_request) break;
        const int status = 100 + in.u16() % 600;
        auto r = wwp::msg::make_reply(*d.last_request, status, status == 100 ? "" : "fz");
        const std::uint8_t extra = in.byte();
        if (extra & 1)
          r.add("WWW-Authenticate", std::string("Digest realm=\"example.test\", nonce=\"n") +
                                        std::to_string(extra) + ((extra & 8) ? "\", stale=true" : "\""));
        if (extra & 2) r.add("Contact", "<sip:101@fz.invalid;transport=wss>;expires=" + std::to_string(extra));
        if (extra & 4) r.add("Min-Expires", std::to_string(extra * 30));
        if (extra & 16) r.set_body(kSdp, "application/sdp");
        if (extra & 32) r.add("SIP-ETag", "e" + std::to_string(extra));
        if (extra & 64) r.add("Expires", std::to_string(extra));
        d.ua.handle_input(wwp::ua::Received{r.to_string(), d.now});
        d.drain();
        break;
      }
      case 7: {  // the last request echoed back as if it came from the peer
        if (!d.last_request) break;
        d.ua.handle_input(wwp::ua::Received{d.last_request->to_string(), d.now});
        d.drain();
        break;
      }
      case 8: {  // the app sends a message it wrote (sipClient.send): any text
        const std::size_t len = in.u16() % 2048;
        (void)d.ua.send_app_message(in.bytes(len), d.now);
        d.drain();
        break;
      }
      case 9: {  // the app places a call
        (void)d.ua.invite({(in.byte() & 1) ? "102" : "sip:102@example.test", "", {}, kSdp}, d.now);
        d.drain();
        break;
      }
      case 10:
        call_command(d, in);
        break;
      case 11:
        peer_request(d, in);
        break;
      case 12:
        usage_command(d, in);
        break;
      case 13:
        notify_for_last_subscribe(d, in);
        break;
    }
  }
  return 0;
}
