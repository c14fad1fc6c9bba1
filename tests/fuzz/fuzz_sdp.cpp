// libFuzzer target for the SDP model (house style §23). Invariants, for any
// bytes:
//  - parse() returns a SessionDescription or an SdpError with a message;
//    never a crash, sanitizer report or assert;
//  - a parsed SDP round-trips: parse(to_string(d)) == d, and serialising
//    again gives the same bytes;
//  - hold() then unhold(snapshot) restores every media's effective direction
//    (RFC 3264 §8.4), and the result still round-trips;
//  - bump_origin_version() succeeds on a parsed SDP and the offer/answer
//    machine accepts it as an offer and as our answer;
//  - sdp_body() over the input read as a Content-Type line and a body (a
//    multipart one, say) returns nothing or a view inside that body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/sdp/media_direction.hpp"
#include "core/sdp/offer_answer.hpp"
#include "core/sdp/sdp_body.hpp"
#include "core/sdp/session_description.hpp"

namespace {

void check(bool cond) {
  if (!cond) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wwp::sdp;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  {
    const std::size_t nl = input.find('\n');
    const std::string_view type = input.substr(0, nl);
    const std::string_view body = nl == std::string_view::npos ? std::string_view{} : input.substr(nl + 1);
    if (const auto found = sdp_body(type, body); found && !found->empty())
      check(found->data() >= body.data() && found->data() + found->size() <= body.data() + body.size());
  }

  auto sdp = parse(input);
  if (!sdp) {
    check(!sdp.error().message.empty());
    return 0;
  }
  const std::string text = sdp->to_string();
  auto again = parse(text);
  check(again.ok());
  check(*again == *sdp);
  check(again->to_string() == text);

  SessionDescription held = *sdp;
  auto snapshot = hold(held);
  check(snapshot.media.size() == held.media.size());
  for (std::size_t i = 0; i < held.media.size(); ++i)
    if (held.media[i].port != 0) check(direction_of(held, i) == hold_direction(snapshot.media[i]));
  auto held_again = parse(held.to_string());
  check(held_again.ok() && *held_again == held);
  unhold(held, snapshot);
  for (std::size_t i = 0; i < held.media.size(); ++i) check(direction_of(held, i) == snapshot.media[i]);

  SessionDescription bumped = *sdp;
  check(bump_origin_version(bumped).ok());
  check(parse(bumped.to_string()).ok());

  OfferAnswer oa;
  check(oa.receive_offer(text).ok());
  auto answer = oa.create_answer(*sdp);
  check(answer.ok());
  auto offer = oa.create_offer(held);
  check(offer.ok());
  check(oa.accept_answer(std::move(offer->pending), text).ok());
  (void)has_audio(*sdp);
  (void)ice_restarted(*sdp, held);
  return 0;
}
