// libFuzzer target for the RC XML parser and the call-control builders
// (house style §23). Invariants, for any bytes:
//  - parse_rc_xml() returns an RcMessage or an RcError; never a crash,
//    sanitizer report or assert;
//  - a parsed message serialises with to_xml() to XML that parses back to
//    the same message (escaping round trip), and to_xml() is a fixed point;
//  - builders fed the parsed message as P-rc either fail cleanly or produce
//    a message that round-trips, and a produced request-URI never holds
//    CR/LF/NUL/space (no SIP header injection);
//  - the header-value parsers never crash on the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/rc/commands.hpp"
#include "core/rc/rc_headers.hpp"
#include "core/rc/rc_message.hpp"

namespace {

void check(bool cond) {
  if (!cond) std::abort();
}

void check_round_trip(const wwp::rc::RcMessage& m) {
  const std::string xml = m.to_xml();
  auto back = wwp::rc::parse_rc_xml(xml);
  check(back.ok());
  check(*back == m);
  check(back->to_xml() == xml);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wwp::rc;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  (void)parse_rc_api_ids(input);
  (void)is_queue_call(parse_rc_api_call_info(input));

  auto m = parse_rc_xml(input);
  if (!m) {
    (void)m.error().to_string();
    return 0;
  }
  (void)m->cmd();
  if (m->to_xml().size() <= kMaxRcXmlSize) check_round_trip(*m);

  if (auto uri = message_request_uri(*m)) {
    for (char c : *uri) check(c != '\r' && c != '\n' && c != '\0' && c != ' ');
  }
  // Reuse a parsed value as user input too: targets/text must be refused or
  // escaped, never break the XML.
  const std::string target(m->bdy_attr("Phn").value_or("16505550199"));
  for (auto built : {build_confirm_receive(*m, "802398808016"), build_forward(*m, "802398808016", target),
                     build_reply(*m, "802398808016", ReplyText{target})}) {
    if (built && built->to_xml().size() <= kMaxRcXmlSize) check_round_trip(*built);
  }
  if (auto sc = parse_session_close(*m)) (void)sc->response();
  (void)is_for_instance(*m, "802398808016");
  return 0;
}
