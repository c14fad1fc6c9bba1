#include "core/call/call_sdp.hpp"

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

}  // namespace wwp::call
