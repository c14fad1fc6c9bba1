#include "core/call/call_sdp.hpp"

#include <optional>
#include <string_view>
#include <utility>

#include "core/sdp/media_direction.hpp"
#include "core/sdp/session_description.hpp"

namespace wwp::call {

Result<std::string, std::string> hold_offer(const std::string& local_sdp, bool hold) {
  if (local_sdp.empty()) return err(std::string("no media negotiated yet"));
  auto sdp = sdp::parse(local_sdp);
  if (!sdp) return err(sdp.error().message);
  // RFC 3264 §8.4: sendonly where we sent and received, inactive where we
  // only received; unhold restores. §8: every new offer bumps the version.
  if (hold) sdp::hold(*sdp);
  else sdp::unhold(*sdp);
  auto bumped = sdp::bump_origin_version(*sdp);
  if (!bumped) return err(bumped.error().message);
  return sdp->to_string();
}

namespace {
/// Where the value of the o= line of `sdp` is (after "o=", to the end of its line).
std::optional<std::pair<std::size_t, std::size_t>> origin_span(std::string_view sdp) {
  const std::size_t at = sdp.find("\no=");
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t begin = at + 3;
  const std::size_t end = sdp.find_first_of("\r\n", begin);
  return std::make_pair(begin, end == std::string_view::npos ? sdp.size() : end);
}
}  // namespace

std::string continue_session(const std::string& prev, const std::string& prev_origin, std::string next) {
  // On the text, not a parse: the rest of the SDP goes out byte for byte.
  const auto n = origin_span(next);
  if (!n) return next;
  std::string_view origin = prev_origin;
  bool changed = true;  // after a takeover the SDP is the new tab's
  if (!prev.empty()) {
    const auto p = origin_span(prev);
    if (!p) return next;
    origin = std::string_view(prev).substr(p->first, p->second - p->first);
    changed = std::string_view(prev).substr(0, p->first) != std::string_view(next).substr(0, n->first) ||
              std::string_view(prev).substr(p->second) != std::string_view(next).substr(n->second);
  }
  if (origin.empty()) return next;
  auto o = sdp::parse_origin(origin);
  if (!o) return next;
  if (changed) {
    auto version = sdp::increment_decimal(o->session_version);
    if (!version) return next;
    o->session_version = std::move(*version);
  }
  return next.replace(n->first, n->second - n->first, o->to_string());
}

std::string origin_of(const std::string& sdp) {
  const auto span = origin_span(sdp);
  return span ? sdp.substr(span->first, span->second - span->first) : std::string();
}

}  // namespace wwp::call
