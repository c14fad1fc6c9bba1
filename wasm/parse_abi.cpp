// A flat C entry point into the core's zero-copy parser, for callers that
// need only a message's identity fields at wire speed (the parse benchmark,
// and a future routing fast-path in the SharedWorker). It writes byte
// offsets into the caller's buffer instead of building JS objects.
#include <cstdint>

#include "core/msg/header_fields.hpp"
#include "core/msg/parser.hpp"

extern "C" {

/// Parses `len` bytes at `buf`. On success returns 0 and fills `out[11]`:
/// kind (0 request, 1 response), status, method off/len, Call-ID off/len,
/// CSeq number, CSeq method off/len, body off/len (offsets relative to buf).
/// Returns a non-zero ParseErrorCode + 1 on failure.
__attribute__((used, export_name("wwp_parse_fields"))) int wwp_parse_fields(const char* buf, int len, std::int32_t* out) {
  // One view reused across calls: after warm-up the parse allocates nothing.
  static wwp::msg::MessageView v;
  const std::string_view bytes(buf, static_cast<std::size_t>(len));
  auto parsed = wwp::msg::parse_view_into(bytes, v);
  if (!parsed) return static_cast<int>(parsed.error().code) + 1;
  auto off = [&](std::string_view s) { return static_cast<std::int32_t>(s.data() - buf); };
  const auto* call_id = v.find(wwp::msg::HeaderId::CallId);
  const auto* cseq_header = v.find(wwp::msg::HeaderId::CSeq);
  if (!call_id || !cseq_header) return 100;
  const auto cseq = wwp::msg::parse_cseq(cseq_header->value);
  if (!cseq) return 101;
  out[0] = v.is_request() ? 0 : 1;
  out[1] = v.status;
  out[2] = off(v.method);
  out[3] = static_cast<std::int32_t>(v.method.size());
  out[4] = off(call_id->value);
  out[5] = static_cast<std::int32_t>(call_id->value.size());
  out[6] = static_cast<std::int32_t>(cseq->seq);
  // The value is trimmed, so the method is its suffix (a view, not the copy).
  const std::string_view cseq_value = cseq_header->value;
  out[7] = off(cseq_value.substr(cseq_value.size() - cseq->method.size()));
  out[8] = static_cast<std::int32_t>(cseq->method.size());
  out[9] = off(v.body);
  out[10] = static_cast<std::int32_t>(v.body.size());
  return 0;
}

}  // extern "C"
