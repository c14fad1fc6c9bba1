// libFuzzer target: the SIP message layer (core/msg/parser.hpp,
// stream_framer.hpp, message.hpp).
//
// Invariants (house style §23: any bytes give a value or a ParseError, never
// a crash or an assert):
//  1. parse_view and parse agree on success/failure and on the error code.
//  2. If parse succeeds, parse(m.to_string()) succeeds and equals m. The
//     re-parse uses doubled limits: serialising adds CR to LF-only lines and a
//     SP after each colon, so a message at a limit may grow past it.
//  3. StreamFramer fed the same bytes in fuzzer-chosen chunks yields the same
//     results, up to and including the first error, as when fed in one go.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/msg/parser.hpp"
#include "core/msg/stream_framer.hpp"

using namespace wwp::msg;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

struct Outcome {
  bool ok;
  ParseErrorCode code;
  Message m;
};

std::vector<Outcome> frame(std::string_view in, const std::vector<std::size_t>& chunks) {
  StreamFramer f;
  std::vector<Outcome> out;
  std::size_t pos = 0, i = 0;
  while (pos < in.size()) {
    const std::size_t n = chunks.empty() ? in.size() : chunks[i++ % chunks.size()];
    f.feed(in.substr(pos, n));
    pos += n;
    while (auto r = f.next()) {
      if (r->ok()) {
        out.push_back({true, ParseErrorCode::Incomplete, std::move(r->value())});
      } else {
        out.push_back({false, r->error().code, {}});
        return out;  // framing lost: compare only up to the first error
      }
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  // 1 + 2: single frame.
  MessageView view;
  auto v = parse_view_into(in, view);
  auto m = parse(in);
  check(v.ok() == m.ok());
  if (!m.ok()) {
    check(m.error().code == v.error().code);
    (void)to_string(m.error());
  } else {
    check(*v <= in.size());
    const std::string wire = m->to_string();
    ParseLimits wide;
    wide.max_message_size *= 2;
    wide.max_line_length *= 2;
    wide.max_headers *= 2;
    auto again = parse(wire, wide);
    check(again.ok());
    check(*again == *m);
    check(again->to_string() == wire);
    // Lookups over every header never misbehave.
    for (const HeaderRef h : m->headers()) (void)m->get_all(h.name);
  }

  // 3: stream framing; the first byte picks chunk sizes 1..16 cyclically.
  if (size > 0) {
    std::vector<std::size_t> chunks;
    for (std::size_t i = 0; i < 8; ++i) chunks.push_back(1 + ((data[0] >> (i % 4)) + i * 3) % 16);
    const std::string_view body = in.substr(1);
    auto whole = frame(body, {});
    auto bits = frame(body, chunks);
    const std::size_t n = std::min(whole.size(), bits.size());
    for (std::size_t i = 0; i < n; ++i) {
      check(whole[i].ok == bits[i].ok);
      if (whole[i].ok) check(whole[i].m == bits[i].m);
      else check(whole[i].code == bits[i].code);
    }
  }
  return 0;
}
