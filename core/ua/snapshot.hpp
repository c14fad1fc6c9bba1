// The UA's exported state (issue #13 "multi-tab"): what a fresh UA in
// another browser tab needs to continue this one's registration and adopt
// its answered calls. `Ua::export_state()` writes it, `Ua::import_state()`
// reads it; this file is only the document and its JSON form.
//
// The JSON, version 1 (member order as written; all members required unless
// marked optional; unknown members are ignored):
//
//   {"type":"wwp-ua-state","version":1,
//    "aor":"sip:<username>@<domain>",
//    "registration":{"callId":"…","fromTag":"…","cseq":1234,
//                    "contactHost":"abc.invalid",
//                    "contact":"sip:<username>@abc.invalid;transport=wss",
//                    "instanceId":"…","bound":true},
//    "calls":[{"call":1,"callId":"…","direction":"inbound"|"outbound",
//              "held":false,
//              "media":"audio video",                     (optional)
//              "peer":{"localPeer":"…","remotePeer":"…","localTag":"…",
//                      "remoteTag":"…","localUser":"…","remoteUser":"…",
//                      "partyId":"…","sessionId":"…"},
//              "rcCallInfo":[["name","value"],…],          (optional)
//              "dialog":{"uac":true,"localTag":"…","remoteTag":"…",
//                        "localUri":"…","remoteUri":"…",
//                        "remoteTarget":"sip:…","targetFromContact":true,
//                        "routeSet":["<sip:p;lr>",…],
//                        "localCSeq":21|null,"remoteCSeq":7|null,
//                        "creatingCSeq":20,"secure":false,
//                        "localContact":"<sip:…>"}}]}
//
// `cseq` and `localCSeq` are the last numbers sent; the importing UA goes on
// from there (RFC 3261 §10.2.4 for REGISTER, §12.2.1.1 in a dialog).
// `localUri`/`remoteUri` are the dialog's From/To values with tags and
// display names exactly as the dialog holds them.
//
// Reading is strict and all-or-nothing: text that is not JSON, is not this
// document, has another version or a member of the wrong type or with a
// value that could not go into a SIP header (CR, LF, NUL; an unparsable URI)
// is refused with an InvalidArgument UaError naming the member, and nothing
// is imported.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/call/call.hpp"
#include "core/reg/registration.hpp"
#include "core/util/status.hpp"

namespace wwp::ua {

/// The `version` this core writes and the only one it reads.
inline constexpr int kStateVersion = 1;
/// Largest state text accepted (a few KB per call in practice).
inline constexpr std::size_t kMaxStateSize = 1024 * 1024;

struct UaSnapshot {
  std::string aor;  ///< `sip:<username>@<domain>`: the account the state belongs to
  reg::RegistrationSnapshot registration;
  std::string contact_host;  ///< Config::contact_host (Via sent-by and Contact host)
  std::string contact;       ///< the Contact URI registered (no <>)
  std::string instance_id;   ///< `+sip.instance` id (RFC 5626 §4.1)
  std::vector<call::CallSnapshot> calls;  ///< answered calls only
};

std::string to_json(const UaSnapshot& s);
/// Errors: InvalidArgument, with a message "importState: <what is wrong>".
Result<UaSnapshot, UaError> parse_snapshot(std::string_view json);

}  // namespace wwp::ua
