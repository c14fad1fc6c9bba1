// RFC 4566 §6 direction attributes and RFC 3264 §8.4 hold/resume; see
// media_direction.hpp.
#include "core/sdp/media_direction.hpp"

namespace wwp::sdp {
namespace {

bool is_direction_line(const SdpLine& l) {
  return l.type == 'a' && direction_from_string(l.value).has_value();
}

/// Rewrite the first direction line in place (removing any others) or append
/// one if there is none.
void write_direction(std::vector<SdpLine>& lines, Direction d) {
  bool written = false;
  for (auto it = lines.begin(); it != lines.end();) {
    if (!is_direction_line(*it)) {
      ++it;
      continue;
    }
    if (written) {
      it = lines.erase(it);  // two direction attributes would be ambiguous
      continue;
    }
    it->value = to_string(d);
    written = true;
    ++it;
  }
  if (!written) lines.push_back(SdpLine{'a', to_string(d)});
}

/// Give media i direction targets[i] (port-0 media and missing targets are
/// skipped) and the session-level attribute, if present, `session_target`.
/// A media description without its own attribute gets one only if the
/// session-level default would not already give it the target.
void apply(SessionDescription& sdp, const std::vector<Direction>& targets, Direction session_target) {
  const bool has_session_attr = direction_attribute(sdp.session).has_value();
  if (has_session_attr) write_direction(sdp.session, session_target);
  for (std::size_t i = 0; i < sdp.media.size() && i < targets.size(); ++i) {
    auto& m = sdp.media[i];
    if (m.port == 0) continue;
    if (direction_attribute(m.lines) || direction_of(sdp, i) != targets[i])
      write_direction(m.lines, targets[i]);
  }
}

}  // namespace

const char* to_string(Direction d) {
  switch (d) {
    case Direction::SendRecv: return "sendrecv";
    case Direction::SendOnly: return "sendonly";
    case Direction::RecvOnly: return "recvonly";
    case Direction::Inactive: return "inactive";
  }
  return "sendrecv";
}

std::optional<Direction> direction_from_string(std::string_view a) {
  // Trailing blanks (an sdpHandler's "a=recvonly ", a lenient peer) do not
  // make it another attribute: browsers read it as the direction, and a hold
  // offer must replace it rather than add a second, contradictory one.
  while (!a.empty() && (a.back() == ' ' || a.back() == '\t')) a.remove_suffix(1);
  if (a == "sendrecv") return Direction::SendRecv;
  if (a == "sendonly") return Direction::SendOnly;
  if (a == "recvonly") return Direction::RecvOnly;
  if (a == "inactive") return Direction::Inactive;
  return std::nullopt;
}

std::optional<Direction> direction_attribute(const std::vector<SdpLine>& lines) {
  for (const auto& l : lines)
    if (l.type == 'a')
      if (auto d = direction_from_string(l.value)) return d;
  return std::nullopt;
}

Direction direction_of(const SessionDescription& sdp, std::size_t index) {
  if (index < sdp.media.size())
    if (auto d = direction_attribute(sdp.media[index].lines)) return *d;
  // RFC 3264 §5.1 / RFC 4566 §6: session-level value, else sendrecv.
  return direction_attribute(sdp.session).value_or(Direction::SendRecv);
}

Direction direction_of(const SessionDescription& sdp, const MediaDescription& media) {
  if (auto d = direction_attribute(media.lines)) return *d;
  return direction_attribute(sdp.session).value_or(Direction::SendRecv);
}

void set_direction(SessionDescription& sdp, std::size_t index, Direction d) {
  if (index < sdp.media.size()) write_direction(sdp.media[index].lines, d);
}

void set_direction(SessionDescription& sdp, Direction d) {
  apply(sdp, std::vector<Direction>(sdp.media.size(), d), d);
}

Direction hold_direction(Direction before) {
  switch (before) {
    case Direction::SendRecv: return Direction::SendOnly;  // §8.4 "marking it sendonly"
    case Direction::RecvOnly: return Direction::Inactive;  // §8.4 "marking it inactive"
    case Direction::SendOnly: return Direction::SendOnly;  // already not receiving
    case Direction::Inactive: return Direction::Inactive;
  }
  return before;
}

Direction unhold_direction(Direction held) {
  switch (held) {
    case Direction::SendOnly: return Direction::SendRecv;
    case Direction::Inactive: return Direction::RecvOnly;
    case Direction::SendRecv: return Direction::SendRecv;
    case Direction::RecvOnly: return Direction::RecvOnly;
  }
  return held;
}

HoldSnapshot hold(SessionDescription& sdp) {
  HoldSnapshot before;
  before.session = direction_attribute(sdp.session);
  std::vector<Direction> targets;
  for (std::size_t i = 0; i < sdp.media.size(); ++i) {
    before.media.push_back(direction_of(sdp, i));
    targets.push_back(hold_direction(before.media.back()));
  }
  apply(sdp, targets, hold_direction(before.session.value_or(Direction::SendRecv)));
  return before;
}

void unhold(SessionDescription& sdp, const HoldSnapshot& before_hold) {
  std::vector<Direction> targets;
  for (std::size_t i = 0; i < sdp.media.size(); ++i)
    targets.push_back(i < before_hold.media.size() ? before_hold.media[i]
                                                   : unhold_direction(direction_of(sdp, i)));
  const Direction held = direction_attribute(sdp.session).value_or(Direction::SendRecv);
  apply(sdp, targets, before_hold.session.value_or(unhold_direction(held)));
}

void unhold(SessionDescription& sdp) {
  std::vector<Direction> targets;
  for (std::size_t i = 0; i < sdp.media.size(); ++i) targets.push_back(unhold_direction(direction_of(sdp, i)));
  const Direction session = direction_attribute(sdp.session).value_or(Direction::SendRecv);
  apply(sdp, targets, unhold_direction(session));
}

std::optional<Direction> live_direction(const SessionDescription& sdp, std::string_view kind) {
  for (const auto& m : sdp.media)
    if (m.port != 0 && m.media == kind) return direction_of(sdp, m);
  return std::nullopt;
}

std::optional<Direction> video_direction(std::string_view sdp_text) {
  // Every INVITE and its answer ask this, and most calls are audio only: an
  // SDP with no "m=video" line (RFC 4566 §5: each line is "<type>=<value>" at
  // the start of a line, and a session description starts with "v=", so a
  // media line always follows a newline) has no video to parse for. A
  // browser's offer is a few KB of candidates and codecs; parsing it was ~9 %
  // of an inbound INVITE's time in the core (bench/profile-receive.mjs).
  if (sdp_text.find("\nm=video") == std::string_view::npos) return std::nullopt;
  auto sdp = parse(sdp_text);
  if (!sdp) return std::nullopt;
  return live_direction(*sdp, "video");
}

}  // namespace wwp::sdp
