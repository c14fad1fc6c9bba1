// Stateful libFuzzer target for the UA driver (house style §23): the input
// is a program of operations — receive bytes, advance time, tick at the UA's
// deadline, start_register, unregister, transport closed, and "answer the
// last request we sent" with a fuzzer-chosen status, and app-written messages
// (sipClient.send) of arbitrary text (so the registration and
// transaction machines reach their deep states, which random bytes alone
// rarely do).
//
// Invariants (abort on violation, on top of ASan/UBSan/leak checks):
//  - every output is a Transmit, an Event or a Timeout, and the drain ends
//    with a Timeout within a bounded number of outputs;
//  - every Transmit is a SIP message our own parser accepts;
//  - after a Tick at `now`, the next deadline is later than `now` (no timer
//    left due: otherwise the driver would spin).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "core/msg/parser.hpp"
#include "core/ua/reply.hpp"
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
  std::optional<wwp::msg::Message> last_request;

  explicit Driver(wwp::ua::Config c) : ua(std::move(c)) {}

  void drain() {
    for (int n = 0;; ++n) {
      check(n < 10000);
      auto o = ua.poll_output();
      if (auto* t = std::get_if<wwp::ua::Transmit>(&o)) {
        auto m = wwp::msg::parse(t->bytes);
        check(m.ok());
        if (m->is_request()) last_request = std::move(m.value());
      } else if (std::holds_alternative<wwp::ua::Event>(o)) {
        // any event is fine
      } else {
        check(std::holds_alternative<wwp::ua::Timeout>(o));
        deadline = std::get<wwp::ua::Timeout>(o).at;
        return;
      }
    }
  }

  void tick(wwp::TimePoint t) {
    now = std::max(now, t);
    ua.handle_input(wwp::ua::Tick{now});
    drain();
    check(deadline > now);
  }
};

wwp::ua::Config config() {
  wwp::ua::Config c;
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
    switch (in.byte() % 9) {
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
        auto r = wwp::ua::make_reply(*d.last_request, status, status == 100 ? "" : "fz");
        const std::uint8_t extra = in.byte();
        if (extra & 1)
          r.add("WWW-Authenticate", std::string("Digest realm=\"example.test\", nonce=\"n") +
                                        std::to_string(extra) + ((extra & 8) ? "\", stale=true" : "\""));
        if (extra & 2) r.add("Contact", "<sip:101@fz.invalid;transport=wss>;expires=" + std::to_string(extra));
        if (extra & 4) r.add("Min-Expires", std::to_string(extra * 30));
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
    }
  }
  return 0;
}
