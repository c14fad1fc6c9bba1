// dialog-info (RFC 4235): the body of a NOTIFY for the `dialog` event
// package, which busy-lamp fields subscribe to. One document lists the
// dialogs of one entity (a line), each with its state and, once known, its
// Call-ID, tags and both parties.
//
//   <dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="3"
//                state="full" entity="sip:102@localhost">
//     <dialog id="a1" call-id="c@h" local-tag="x" remote-tag="y" direction="initiator">
//       <state event="remote-bye" code="487">terminated</state>
//       <local><identity display="Bob">sip:102@localhost</identity>
//              <target uri="sip:102@1.2.3.4"/></local>
//       <remote>…</remote>
//     </dialog>
//   </dialog-info>
//
// Reading contract (parse_dialog_info). Remote input: errors are PresError
// values (pres_error.hpp: what the caller must do, and the limits). Elements
// are matched by local name whatever their prefix; texts and attribute
// values are trimmed of XML white space.
//  - Refused: the document-level faults of pres_error.hpp (not XML, too big,
//    DOCTYPE, invalid UTF-8…), a root other than `dialog-info`; on the root a
//    missing `version`, `state` or `entity` (§4.1: all three required), a
//    version that is not a decimal number of at most 2^32-1, a state other
//    than "full"/"partial"; a dialog without `id` (§4.1.1) or without a
//    `state` element (§4.1.2), a dialog state other than the five of §3.7.1,
//    a state/@code that is not a number in 100-699; more than kMaxPresEntries
//    dialogs; an identifier over kMaxPresText bytes.
//  - Tolerated: a `direction` other than initiator/recipient reads as
//    Unknown (it is optional, §4.1.1); dialog states and `full`/`partial` are
//    compared in any case; display names over kMaxPresText bytes are cut; an
//    empty document (no dialog: the line is idle) is normal; elements we do
//    not read (duration, replaces, route-set, session-description…) are
//    ignored.
//
// What the caller does with version and full/partial is RFC 4235 §4,
// "Constructing Coherent State": a
// version not above the last one seen is stale or a repeat, and a partial
// document updates only the dialogs it lists.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/pres/pres_error.hpp"
#include "core/util/result.hpp"

namespace wwp::pres {

/// dialog/@direction (RFC 4235 §4.1.1): who sent the dialog's initial INVITE.
enum class DialogDirection { Unknown, Initiator, Recipient };

/// The dialog FSM of RFC 4235 §3.7.1, verbatim.
enum class DialogState { Trying, Proceeding, Early, Confirmed, Terminated };

/// "trying", "proceeding", "early", "confirmed", "terminated".
const char* to_string(DialogState s);
/// "unknown", "initiator", "recipient".
const char* to_string(DialogDirection d);

struct DialogInfoEntry {
  std::string id;          ///< dialog/@id (required)
  std::string call_id;     ///< dialog/@call-id, "" until the dialog exists
  std::string local_tag;   ///< dialog/@local-tag, ""
  std::string remote_tag;  ///< dialog/@remote-tag, ""
  DialogDirection direction = DialogDirection::Unknown;
  DialogState state = DialogState::Trying;
  /// state/@event (§4.1.2): "cancelled", "rejected", "replaced",
  /// "local-bye", "remote-bye", "error", "timeout", kept verbatim (other
  /// values too); "" if absent.
  std::string state_event;
  int state_code = 0;      ///< state/@code, the final response's status; 0 if absent
  std::string local_identity;   ///< local/identity text, a URI
  std::string local_display;    ///< local/identity/@display
  std::string local_target;     ///< local/target/@uri (the Contact)
  std::string remote_identity;  ///< remote/identity text
  std::string remote_display;   ///< remote/identity/@display
  std::string remote_target;    ///< remote/target/@uri
};

struct DialogInfo {
  std::string entity;         ///< dialog-info/@entity
  std::uint32_t version = 0;  ///< dialog-info/@version (§4.1)
  bool full = true;           ///< state="full" (else "partial")
  std::vector<DialogInfoEntry> dialogs;  ///< in document order
};

/// Reads a dialog-info document (contract above).
Result<DialogInfo, PresError> parse_dialog_info(std::string_view xml);

}  // namespace wwp::pres
