// Media direction attributes (RFC 4566 §6: a=sendrecv / sendonly / recvonly /
// inactive) and hold/resume (RFC 3264 §8.4).
//
// Rules implemented:
//  - The effective direction of a media description is its own direction
//    attribute, else the session-level one, else sendrecv (RFC 3264 §5.1:
//    "If none of the attributes ... is present, sendrecv SHOULD be assumed").
//  - Hold (§8.4): "If the stream to be placed on hold was previously a
//    sendrecv media stream, it is placed on hold by marking it sendonly. If
//    the stream ... was previously a recvonly media stream, it is placed on
//    hold by marking it inactive." sendonly and inactive stay as they are.
//  - Resume restores the direction from before the hold. `hold()` returns a
//    snapshot of the previous directions so `unhold(sdp, snapshot)` is exact
//    (hold then unhold gives back the same SDP); the one-argument
//    `unhold()` inverts the mapping (sendonly → sendrecv, inactive → recvonly),
//    which is exact for streams that were sendrecv/recvonly before.
//  - Media with port 0 (rejected, RFC 3264 §6) are left untouched.
//  - Edits are minimal: an existing attribute line is rewritten in place;
//    otherwise one is appended to the media description. A session-level
//    attribute is rewritten so it stays consistent with every media level.
//
// These only change directions. The caller (the offer/answer machine) bumps
// the origin version when it sends the result (RFC 3264 §8).
//
// ringcentral-web-phone (rc-web-phone-spec §6.3) replaces every `a=sendrecv`
// with `a=sendonly` by regex; for a Chrome offer (media-level sendrecv only)
// `hold()` produces the same lines, and additionally handles recvonly,
// session-level and absent attributes correctly.
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "core/sdp/session_description.hpp"

namespace wwp::sdp {

enum class Direction { SendRecv, SendOnly, RecvOnly, Inactive };
/// "sendrecv", "sendonly", "recvonly", "inactive" (the attribute names).
const char* to_string(Direction d);
std::optional<Direction> direction_from_string(std::string_view attribute);

/// The direction attribute among these lines (the first one), if any.
std::optional<Direction> direction_attribute(const std::vector<SdpLine>& lines);
/// Effective direction of media `index` (see rules). An out-of-range index
/// yields the session-level default.
Direction direction_of(const SessionDescription& sdp, std::size_t index);
/// Effective direction of one media description of `sdp`.
Direction direction_of(const SessionDescription& sdp, const MediaDescription& media);

/// Set the direction of media `index` (its own attribute, rewritten or
/// appended; duplicates removed). Out-of-range indexes are ignored.
void set_direction(SessionDescription& sdp, std::size_t index, Direction d);
/// Set every media description (with a non-zero port) to `d`, and the
/// session-level attribute too if there is one.
void set_direction(SessionDescription& sdp, Direction d);

/// RFC 3264 §8.4 mapping for one stream.
Direction hold_direction(Direction before);
/// Inverse mapping (sendonly → sendrecv, inactive → recvonly).
Direction unhold_direction(Direction held);

/// Directions before a hold, for an exact resume.
struct HoldSnapshot {
  std::optional<Direction> session;  ///< the session-level attribute, if there was one
  std::vector<Direction> media;      ///< effective direction per media (index-aligned)
};

/// Put every active stream on hold; returns what it was before.
HoldSnapshot hold(SessionDescription& sdp);
/// Resume: give each media description (and the session-level attribute) the
/// direction it had before `hold()`. Media added since are resumed with
/// `unhold_direction`.
void unhold(SessionDescription& sdp, const HoldSnapshot& before_hold);
/// Resume without a snapshot, by `unhold_direction`.
void unhold(SessionDescription& sdp);

/// The effective direction of the first live `m=<kind>` of `sdp` (port not
/// zero), as the SDP's author states it; nullopt when there is none: never
/// offered, or rejected or removed by port 0 (RFC 3264 §6: "To reject an
/// offered stream, the port number in the corresponding stream in the answer
/// MUST be set to zero"; §8.2 removes a stream the same way). How the shim
/// learns that a peer offers or accepts video without reading SDP (README
/// "Video and screen share"): the call events carry it for `kind` "video".
std::optional<Direction> live_direction(const SessionDescription& sdp, std::string_view kind);
/// `live_direction(parse(text), "video")`; nullopt also for text that does
/// not parse (no body, or not SDP: no video to show either way).
std::optional<Direction> video_direction(std::string_view sdp_text);

}  // namespace wwp::sdp
