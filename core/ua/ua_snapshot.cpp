// Ua::export_state / Ua::import_state (issue #13 "multi-tab"): the leader tab
// exports after every batch of outputs; when it goes away another tab imports
// the last export into a fresh UA, registers with the same binding and takes
// the answered calls over. The JSON lives in core/ua/snapshot.cpp.
#include <algorithm>

#include "core/ua/snapshot.hpp"
#include "core/ua/ua.hpp"

namespace wwp::ua {

std::string Ua::export_state() const {
  UaSnapshot s;
  s.aor = "sip:" + config_.username + "@" + config_.domain;
  s.registration = registration_.snapshot();
  s.contact_host = config_.contact_host;
  s.contact = contact_uri_;
  s.instance_id = registration_.instance_id();
  for (const auto& [h, c] : calls_)
    if (auto cs = c.snapshot(dialogs_)) s.calls.push_back(std::move(*cs));
  return to_json(s);
}

Status Ua::import_state(std::string_view json, TimePoint now) {
  if (!fresh_ || !calls_.empty() || dialogs_.size() != 0 || registration_.state() != reg::State::Idle)
    return ua_error(UaErrorCode::InvalidState,
                    "importState: only a new UA can import a state (this one has already received, registered, "
                    "connected or imported); create a new one");
  auto parsed = parse_snapshot(json);
  if (!parsed) return Err<UaError>{parsed.error()};
  UaSnapshot& s = *parsed;

  // Everything is checked before anything changes: an error leaves this UA
  // as fresh as it was.
  const std::string aor = "sip:" + config_.username + "@" + config_.domain;
  if (s.aor != aor)
    return ua_error(UaErrorCode::InvalidArgument,
                    "importState: the state belongs to " + s.aor + ", this phone is " + aor);
  // The Contact must come out the same (RFC 5626 §4.2: the registrar matches
  // the binding by instance and Contact); only the host is ours to set.
  const std::string contact = "sip:" + config_.username + "@" + s.contact_host +
                              (config_.secure_transport ? ";transport=wss" : ";transport=ws");
  if (contact != s.contact)
    return ua_error(UaErrorCode::InvalidArgument, "importState: registration.contact " + s.contact +
                                                      " is not what this UA would register (" + contact +
                                                      "): another user or transport");
  // A handful of calls at most: a pairwise check costs less code than a set.
  for (std::size_t i = 0; i < s.calls.size(); ++i)
    for (std::size_t k = 0; k < i; ++k)
      if (s.calls[k].call.call == s.calls[i].call.call || s.calls[k].dialog.id == s.calls[i].dialog.id)
        return ua_error(UaErrorCode::InvalidArgument,
                        "importState: call " + std::to_string(s.calls[i].call.call) + " appears twice");

  auto restored = registration_.restore(s.registration);
  if (!restored) return restored;  // not reached: fresh_ implies an untouched registration
  fresh_ = false;
  config_.contact_host = s.contact_host;
  config_.instance_id = s.instance_id;
  contact_uri_ = registration_.contact_uri();
  auto ctx = context(now);
  for (auto& c : s.calls) {
    const call::CallHandle handle = c.call.call;
    auto adopted = call::Call::adopt(ctx, std::move(c));
    if (!adopted) return Err<UaError>{adopted.error()};  // not reached: ids checked above
    calls_.emplace(handle, std::move(*adopted));
    media_to_restart_.push_back(handle);
    next_call_ = std::max(next_call_, handle + 1);
  }
  collect(now);
  return ok_status();
}

}  // namespace wwp::ua
