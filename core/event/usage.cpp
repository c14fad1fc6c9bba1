#include "core/event/usage.hpp"

#include <charconv>

#include "core/msg/header_fields.hpp"

namespace wwp::event {

std::string aor(const Config& c) { return "sip:" + c.username + "@" + c.domain; }

Result<std::string, UaError> target_uri(std::string_view target, const Config& c) {
  if (target.empty() || target.find_first_of(std::string_view(" \t\r\n<>\"\0", 9)) != std::string_view::npos)
    return ua_error(UaErrorCode::InvalidArgument, "invalid target \"" + std::string(target) + "\"");
  if (target.rfind("sip:", 0) == 0 || target.rfind("sips:", 0) == 0 || target.rfind("tel:", 0) == 0)
    return std::string(target);
  if (target.find('@') != std::string_view::npos) return "sip:" + std::string(target);
  return "sip:" + std::string(target) + "@" + c.domain;
}

std::string via(const Config& c, Rng& rng) {
  return std::string("SIP/2.0/") + (c.secure_transport ? "WSS " : "WS ") + c.contact_host + ";branch=z9hG4bK" +
         rng.token(16);
}

msg::Message new_request(std::string_view method, std::string_view request_uri, std::string_view to,
                         std::string_view from_tag, std::string_view call_id, std::uint32_t cseq,
                         const Config& c, Rng& rng) {
  msg::Message m = msg::Message::request(method, request_uri);
  m.add("Via", via(c, rng));
  m.add("Max-Forwards", "70");
  m.add("To", to);
  m.add("From", "<" + aor(c) + ">;tag=" + std::string(from_tag));
  m.add("Call-ID", call_id);
  m.add("CSeq", std::to_string(cseq) + " " + std::string(method));
  m.add("User-Agent", c.user_agent);
  return m;
}

std::uint32_t expires_of(const msg::Message& m, std::uint32_t fallback) {
  const auto v = m.get("Expires");
  if (!v) return fallback;
  std::uint32_t n = 0;
  const auto* end = v->data() + v->size();
  const auto r = std::from_chars(v->data(), end, n);
  return r.ec == std::errc() && r.ptr == end ? n : fallback;
}

TimePoint refresh_retry_at(TimePoint expiry, TimePoint now) {
  constexpr Duration kMinRetryGap = 5000;
  const Duration left = expiry - now;
  return left >= 2 * kMinRetryGap ? now + left / 2 : kNever;
}

std::optional<msg::Message> AuthRetry::answer(const msg::Message& sent, const msg::Message& challenge,
                                              const Config& c, Rng& rng) {
  const bool proxy = challenge.status() == 407;
  if (!digest_) digest_.emplace(auth::Credentials{c.authorization_id, c.password});
  const auto kind = proxy ? auth::ChallengeKind::Proxy : auth::ChallengeKind::Www;
  auto outcome = digest_->handle_challenge(kind, challenge.get_all(proxy ? "Proxy-Authenticate" : "WWW-Authenticate"));
  // A second stale=true in a row is a server that will never take our
  // nonce: give up rather than ask again at round-trip speed.
  if (!outcome || (challenged_ && (!outcome->is_stale_retry || stale_retried_))) return std::nullopt;
  if (challenged_) stale_retried_ = true;
  challenged_ = true;
  const auto cseq = msg::parse_cseq(sent.get("CSeq").value_or(""));
  if (!cseq) return std::nullopt;
  // §22.2: same Call-ID, From tag and To; CSeq + 1; a new branch.
  msg::Message m = sent;
  m.set("CSeq", std::to_string(cseq->seq + 1) + " " + cseq->method);
  m.set("Via", via(c, rng));
  authorize(m, rng);
  return m;
}

void AuthRetry::authorize(msg::Message& m, Rng& rng) {
  m.remove("Authorization");
  m.remove("Proxy-Authorization");
  if (!digest_ || !digest_->has_challenge()) return;
  auto headers = digest_->authorize(m.method(), m.request_uri(), rng);
  if (!headers) return;
  for (const auto& h : *headers) m.add(h.name, h.value);
}

void AuthRetry::accepted() {
  if (digest_) digest_->handle_accepted();
  challenged_ = stale_retried_ = false;
}

}  // namespace wwp::event
