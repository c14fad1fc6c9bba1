#include "core/ua/app_request.hpp"

#include "core/msg/header_fields.hpp"
#include "core/msg/parser.hpp"

namespace wwp::ua {
Result<msg::Message, UaError> parse_app_message(std::string_view text, const char* what) {
  auto parsed = msg::parse(text);
  if (!parsed)
    return ua_error(UaErrorCode::InvalidArgument,
                    std::string(what) + ": malformed SIP message: " + msg::to_string(parsed.error()));
  return std::move(parsed.value());
}

namespace {

Status require_headers(const msg::Message& m, const char* what) {
  for (const char* name : {"Call-ID", "CSeq", "From", "To"})
    if (!m.has(name))
      return ua_error(UaErrorCode::InvalidArgument, std::string(what) + ": the message has no " + name + " header");
  return ok_status();
}

}  // namespace

Result<msg::Message, UaError> prepare_app_request(msg::Message m, const Config& config, Rng& rng) {
  if (!m.is_request()) return ua_error(UaErrorCode::InvalidArgument, "request(): this is a response; use reply()");
  const std::string method(m.method());
  if (method == "INVITE" || method == "ACK" || method == "CANCEL")
    return ua_error(UaErrorCode::Unsupported,
                    "request(): " + method + " belongs to a call; use webPhone.call() and the CallSession methods");
  if (method == "REGISTER")
    return ua_error(UaErrorCode::Unsupported, "request(): REGISTER belongs to the registration; use sipClient.register()");
  if (auto s = require_headers(m, "request()"); !s) return Err<UaError>{s.error()};
  const auto cseq = msg::parse_cseq(*m.get("CSeq"));
  if (!cseq || cseq->method != method)
    return ua_error(UaErrorCode::InvalidArgument, "request(): CSeq must be `<number> " + method + "` (RFC 3261 §8.1.1.5)");
  if (const auto via = m.get("Via")) {
    // The client transaction is matched by this branch (§17.1.3): it must be
    // an RFC 3261 one, or responses could match somebody else's request.
    const auto v = msg::parse_via_view(*via);
    if (!v || v->branch.substr(0, 7) != "z9hG4bK")
      return ua_error(UaErrorCode::InvalidArgument, "request(): the top Via needs a branch starting with z9hG4bK (RFC 3261 §8.1.1.7)");
  } else {
    m.add_first("Via", std::string("SIP/2.0/") + (config.secure_transport ? "WSS " : "WS ") + config.contact_host +
                           ";branch=z9hG4bK" + rng.token(16));
  }
  if (!m.has("Max-Forwards")) m.add("Max-Forwards", "70");
  return m;
}

Status check_app_response(const msg::Message& m) {
  if (!m.is_response()) return ua_error(UaErrorCode::InvalidArgument, "reply(): this is a request; use request()");
  if (!m.has("Via")) return ua_error(UaErrorCode::InvalidArgument, "reply(): the message has no Via header");
  return require_headers(m, "reply()");
}

}  // namespace wwp::ua
