// Taking an answered call over from another UA instance (issue #13: the
// browser tab that ran the phone closed, another tab continues it). What
// moves is the dialog (RFC 3261 §12: Call-ID, tags, URIs, remote target,
// route set, CSeqs), which is all a later request needs; the media does not
// move, so the adopting UA restarts it with a re-INVITE once registered
// (core/ua/ua_snapshot.cpp emits RecoverMedia, as after an outage).
#include "core/call/call.hpp"
#include "core/call/call_sdp.hpp"

#include "core/sdp/session_description.hpp"

namespace wwp::call {

namespace {
/// CallAdopted::media: the m-lines' media in order ("audio video").
std::string media_of(const std::string& local_sdp) {
  auto sdp = sdp::parse(local_sdp);
  if (!sdp) return {};
  std::string out;
  for (const auto& m : sdp->media) {
    if (!out.empty()) out += ' ';
    out += m.media;
  }
  return out;
}
}  // namespace

std::optional<CallSnapshot> Call::snapshot(const dialog::DialogSet& dialogs) const {
  if (state_ != State::Confirmed || !dialog_id_) return std::nullopt;
  const dialog::Dialog* d = dialogs.find(*dialog_id_);
  if (!d || d->state() != dialog::State::Confirmed) return std::nullopt;
  CallSnapshot s;
  s.call = CallAdopted{handle_, call_id_, outbound_, peer_, held_, local_sdp_.empty() ? adopted_media_ : media_of(local_sdp_)};
  s.has_rc_call_info = has_rc_call_info_;
  s.rc_call_info = rc_call_info_;
  s.dialog = d->snapshot();
  s.session = session_timer_.terms();
  s.peer_allows_update = peer_allows_update_;
  s.origin = local_sdp_.empty() ? adopted_origin_ : origin_of(local_sdp_);
  return s;
}

Result<Call, UaError> Call::adopt(CallContext& ctx, CallSnapshot s) {
  Call c(s.call.call, s.call.call_id);
  c.outbound_ = s.call.outbound;
  c.state_ = State::Confirmed;
  c.local_tag_ = s.dialog.id.local_tag;
  c.peer_ = s.call.peer;
  c.held_ = s.call.held;
  c.adopted_media_ = s.call.media;
  c.adopted_origin_ = std::move(s.origin);
  c.has_rc_call_info_ = s.has_rc_call_info;
  c.rc_call_info_ = std::move(s.rc_call_info);
  auto inserted = ctx.dialogs.insert(dialog::Dialog::restore(std::move(s.dialog)));
  if (!inserted) return ua_error(UaErrorCode::InvalidArgument, "importState: " + inserted.error().message);
  c.dialog_id_ = (*inserted)->id();
  // RFC 4028: the terms move with the call, the deadlines cannot (each UA
  // counts time from its own origin), so the timer restarts here on the
  // safe side of whatever the old UA had left (SessionTimer::resume).
  c.peer_allows_update_ = s.peer_allows_update;
  c.session_timer_.resume(s.session, ctx.now);
  ctx.events.push_back(std::move(s.call));
  return c;
}

}  // namespace wwp::call
