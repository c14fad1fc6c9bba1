// Request-level checks before a transaction starts (request_checks.hpp).
#include "core/ua/request_checks.hpp"

#include "core/config/capabilities.hpp"
#include "core/msg/header_fields.hpp"

namespace wwp::ua {

namespace {

// 1*DIGIT with a value in 0..255 (no sign, no spaces: the value is trimmed).
// Leading zeros are digits like any other: "0070" is 70.
bool is_hop_count(std::string_view s) {
  if (s.empty()) return false;
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
    if (v > 255) return false;
  }
  return true;
}

// ASCII case-insensitive compare with a lower-case literal.
bool is_scheme(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]) != lower[i]) return false;
  return true;
}

}  // namespace

RequestVerdict check_request(const msg::Message& request) {
  using msg::HeaderId;
  // §8.1.1.5. The caller has checked that CSeq parses.
  const auto cseq = msg::parse_cseq_view(request.get(HeaderId::CSeq).value_or(""));
  if (!cseq || cseq->method != request.method())
    return {400, "Bad Request - CSeq method does not match the request method", {}};
  // §20.22: "Max-Forwards = 1*DIGIT", "an integer in the range 0-255".
  if (const auto mf = request.get(HeaderId::MaxForwards)) {
    if (!is_hop_count(*mf))
      return {400, "Bad Request - Max-Forwards is not an integer in 0-255", {}};
  }
  // §8.2.2.1; the scheme is case-insensitive (§19.1.4). The parser checked
  // that the Request-URI is `scheme ":" ...`.
  const std::string_view uri = request.request_uri();
  const std::string_view scheme = uri.substr(0, uri.find(':'));
  if (!is_scheme(scheme, "sip") && !is_scheme(scheme, "sips") && !is_scheme(scheme, "tel"))
    return {416, "Unsupported URI Scheme", {}};
  // §8.2.2.3. get_all splits "Require: a, b" and repeated Require lines alike.
  const std::string_view method = request.method();
  if (request.has("Require") && method != "ACK" && method != "CANCEL" && config::allows_method(method)) {
    RequestVerdict v{420, "Bad Extension", {}};
    for (const std::string_view tag : request.get_all("Require")) {
      if (tag.empty() || config::supports_option(tag)) continue;
      if (!v.unsupported.empty()) v.unsupported += ", ";
      v.unsupported += tag;
    }
    if (!v.unsupported.empty()) return v;
  }
  return {};
}

}  // namespace wwp::ua
