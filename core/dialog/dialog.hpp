// A SIP dialog (RFC 3261 §12): the peer-to-peer state shared by a UAC and a
// UAS that lets either side build in-dialog requests (re-INVITE, BYE, REFER,
// INFO, UPDATE...) and check the ones it receives.
//
// What a dialog holds (§12, "dialog state"): the dialog ID (Call-ID, local tag,
// remote tag), local and remote sequence numbers, local and remote URI (the
// From/To values, with tags), the remote target (the peer's Contact URI), the
// route set (from Record-Route), and the "secure" flag. On top of that it
// tracks the INVITE transactions in progress in either direction so that
// re-INVITE glare can be detected (§14.1, §14.2).
//
// States and legal transitions (`transition()` enforces them; anything else is
// a broken invariant and aborts):
//
//              2xx to the dialog-creating request (§13.2.2.4, §12.1)
//     Early ──────────────────────────────────────────────► Confirmed
//       │  non-2xx final to the dialog-creating request         │
//       │  (§12.3: early dialogs die with it), terminate()      │ BYE (§15),
//       ▼                                                       │ 481/408 to an in-dialog
//   Terminated ◄────────────────────────────────────────────────┘ request (§12.2.1.2), terminate()
//
// A UAS dialog created from a request is Early until the call layer reports
// its own 2xx with `on_response_sent()` (§12.1.1: "a dialog is established
// by a 2xx"; our 1xx with a To tag makes it early).
//
// Sans-IO: nothing here sends, reads a clock or draws random numbers; the
// glare back-off takes the caller's `Rng`. Requests built here carry no Via:
// the transaction layer adds one with a fresh branch (§8.1.1.7, §17.1).
//
// Errors are values (`DialogError`, house style §11–§12) with the SIP status
// the UA should answer with when the input came from the network.
//
// RingCentral interop (rc-web-phone-spec §7 intro, §7.6, §7.7, §14):
//  - ringcentral-web-phone sends no Route/Contact in dialog and targets
//    in-dialog requests at the To URI (BYE even at `sip:<domain>`); the RC
//    edge routes by Call-ID/tags, so the standards-correct R-URI (remote
//    target) and Route set built here are accepted as well.
//  - RC's 183 and its INVITEs towards us may carry no Contact. §12.1.1/§12.1.2
//    require one; instead of failing we fall back to the remote URI (From or
//    To), which is exactly where ringcentral-web-phone sends them, and report
//    it via `remote_target_from_contact()`. The 200 OK carries a Contact and
//    refreshes the target (§12.2.1.2).
//  - RC's CSeq numbers are monotonically increasing but not contiguous; §12.2.2
//    only needs "greater than", which is what `validate_request()` checks.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

#include "core/msg/message.hpp"
#include "core/util/result.hpp"
#include "core/util/rng.hpp"
#include "core/util/time.hpp"

namespace wwp::dialog {

// --- identity and errors -----------------------------------------------------

/// §12: "A dialog is identified at each UA with a dialog ID, which consists of
/// a Call-ID value, a local tag and a remote tag." All three compare
/// case-sensitively (§20.8 Call-ID, §19.3 tags are opaque tokens).
struct DialogId {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;
};
bool operator==(const DialogId& a, const DialogId& b);
bool operator!=(const DialogId& a, const DialogId& b);
bool operator<(const DialogId& a, const DialogId& b);

enum class DialogErrorCode {
  /// A header needed to build or match a dialog is missing or does not parse
  /// (Call-ID, From, To, CSeq, Contact, Record-Route). Hint 400 for a request
  /// from the network; for a response the UA drops it.
  Malformed,
  /// The response has no To tag, so it cannot create a dialog (§12.1.2). Hint 0:
  /// drop it (a 100 Trying never creates a dialog).
  MissingToTag,
  /// The message belongs to another dialog (ID mismatch). Hint 481.
  NotThisDialog,
  /// No dialog matches an in-dialog request (§12.2.2). Hint 481
  /// (Call/Transaction Does Not Exist).
  NoSuchDialog,
  /// The request's CSeq is not above the remote sequence number (§12.2.2).
  /// Hint 500 (Server Internal Error).
  CSeqOutOfOrder,
  /// An INVITE is in progress in the other direction (§14.1/§14.2). For an
  /// incoming re-INVITE the UA answers 491; for our own command the caller
  /// must wait (`glare_retry_delay()`) and try again.
  RequestPending,
  /// The local sequence number would pass 2^32-1 (§8.1.1.5: "MUST be
  /// expressible as a 32-bit unsigned integer"). Hint 0: end the dialog.
  CSeqExhausted,
  /// The dialog is terminated; nothing can be sent in it. Hint 481 for requests
  /// that arrive for it.
  Terminated,
  /// A dialog with this ID is already in the set. Hint 0: caller bug or a
  /// retransmitted dialog-creating request that the transaction layer should
  /// have absorbed.
  Duplicate,
};
const char* to_string(DialogErrorCode code);

struct DialogError {
  DialogErrorCode code;
  std::string message;     ///< human-readable, for logs and `Event::Dropped`
  int sip_status_hint = 0; ///< status to answer a remote request with, 0 if none
};

using DialogStatus = Result<std::monostate, DialogError>;

enum class State { Early, Confirmed, Terminated };
const char* to_string(State s);

/// Outcome of an incoming re-INVITE (or any INVITE inside the dialog).
enum class ReinviteVerdict {
  /// Go ahead; the dialog now records the incoming INVITE as in progress
  /// until `on_response_sent()` sees its final response.
  Proceed,
  /// We have an INVITE of our own in progress: answer 491 Request Pending
  /// (§14.2, "MUST return a 491").
  Glare,
  /// An earlier incoming INVITE still has no final response: answer 500 with a
  /// Retry-After of 0–10 s (§14.2, "MUST return a 500 ... MUST include a
  /// Retry-After").
  ServerPending,
};
const char* to_string(ReinviteVerdict v);

// --- handing a dialog to another UA --------------------------------------------

/// Everything a confirmed dialog holds that later requests need (§12: "dialog
/// state"), as plain values: what `Dialog::snapshot()` gives and
/// `Dialog::restore()` takes, so that another UA instance (a new browser tab
/// taking over, issue #13) can continue the same dialog. Transactions in
/// progress are not part of it: they die with the UA that ran them.
struct DialogSnapshot {
  DialogId id;
  bool uac = false;            ///< we sent the dialog-creating request
  std::string local_party;     ///< name-addr with our tag (display name as held)
  std::string remote_party;    ///< name-addr with the peer's tag
  std::string remote_target;   ///< addr-spec
  bool target_from_contact = true;
  std::vector<std::string> route_set;  ///< name-addr values, in request order
  std::optional<std::uint32_t> local_seq;
  std::optional<std::uint32_t> remote_seq;
  std::uint32_t creating_cseq = 0;  ///< CSeq number of the INVITE that made it
  bool secure = false;
  std::string local_contact;   ///< our Contact in target refreshes, "" if none
};

/// Request-URI and Route headers of a request in a dialog (RFC 3261
/// §12.2.1.1): loose routing when the first route has `;lr`, else strict
/// routing with the remote target as the last Route. For usages that keep
/// their own dialog state (a subscription, core/event/subscription.hpp).
void apply_routing(msg::Message& m, const std::vector<std::string>& route_set, const std::string& remote_target);

// --- the dialog --------------------------------------------------------------

class Dialog {
 public:
  /// UAC side (§12.1.2): `request` is the dialog-creating request we sent
  /// (INVITE), `response` a 1xx (not 100) or 2xx to it with a To tag.
  ///  - route set = Record-Route of the response, **reversed** (§12.1.2);
  ///  - remote target = Contact URI of the response (or To URI, see RC note);
  ///  - local seq = CSeq of the request, remote seq empty;
  ///  - local URI/tag = From of the request, remote URI/tag = To of the response;
  ///  - secure = R-URI of the request is a SIPS URI;
  ///  - state Early for 1xx, Confirmed for 2xx;
  ///  - an INVITE request stays "in progress" until a final response is fed
  ///    to `update_from_response()`.
  /// Errors: Malformed (missing/bad headers), MissingToTag.
  static Result<Dialog, DialogError> from_uac(const msg::Message& request,
                                              const msg::Message& response);

  /// UAC side for a 2xx whose INVITE we no longer hold (the call was
  /// cancelled, timed out or ended; a forked 2xx came late): the dialog
  /// only so that it can be ACKed and ended with BYE (§13.2.2.4). A response
  /// echoes From, Call-ID and CSeq (§8.2.6.2), so everything comes from it
  /// as `from_uac()` would take it, except `secure` (false: the Request-URI
  /// is gone) and our Contact (none). State Confirmed.
  /// Errors: Malformed, MissingToTag.
  static Result<Dialog, DialogError> from_uac_response(const msg::Message& response);

  /// UAS side (§12.1.1): `request` is a received dialog-creating request
  /// without a To tag, `local_tag` the To tag we put in our responses and
  /// `local_contact` the Contact URI (or name-addr) we send (§12.1.1 "MUST
  /// contain a Contact"; empty means none, as ringcentral-web-phone does).
  ///  - route set = Record-Route of the request, **in order** (§12.1.1);
  ///  - remote target = Contact URI of the request (or From URI, see RC note);
  ///  - remote seq = CSeq of the request, local seq empty;
  ///  - state Early; `on_response_sent()` with our 2xx makes it Confirmed.
  /// Errors: Malformed, NotThisDialog (the To already carries a tag: that
  /// request is in-dialog, look it up in a DialogSet instead).
  static Result<Dialog, DialogError> from_uas(const msg::Message& request,
                                              std::string local_tag,
                                              std::string local_contact = {});

  /// A Confirmed dialog rebuilt from another UA's `snapshot()`; no INVITE is
  /// in progress in either direction. The caller has checked the values
  /// (core/ua/snapshot.cpp); nothing here can fail.
  static Dialog restore(DialogSnapshot s);
  /// This dialog's state for `restore()` elsewhere.
  DialogSnapshot snapshot() const;

  // --- state ------------------------------------------------------------------
  const DialogId& id() const { return id_; }
  State state() const { return state_; }
  bool is_uac() const { return uac_; }
  /// Local URI with tag, as the From of our requests (name-addr text).
  const std::string& local_party() const { return local_party_; }
  /// Remote URI with tag, as the To of our requests (name-addr text).
  const std::string& remote_party() const { return remote_party_; }
  /// Remote target URI (addr-spec text, no <>).
  const std::string& remote_target() const { return remote_target_; }
  /// False when the peer sent no Contact and the remote URI stands in.
  bool remote_target_from_contact() const { return target_from_contact_; }
  /// Route set, each entry one name-addr value as received (`<sip:p;lr>`), in
  /// the order requests must list them.
  const std::vector<std::string>& route_set() const { return route_set_; }
  std::optional<std::uint32_t> local_seq() const { return local_seq_; }
  std::optional<std::uint32_t> remote_seq() const { return remote_seq_; }
  bool secure() const { return secure_; }
  /// Our Contact (what target-refresh requests carry), "" if none.
  const std::string& local_contact() const { return local_contact_; }
  void set_local_contact(std::string contact) { local_contact_ = std::move(contact); }

  // --- responses to our requests ------------------------------------------------
  /// Feed every response to a request sent in this dialog (including the
  /// dialog-creating INVITE). Effects:
  ///  - 1xx/2xx with a Contact to a target-refresh request (INVITE, UPDATE,
  ///    SUBSCRIBE, NOTIFY, REFER) replaces the remote target (§12.2.1.2);
  ///  - 2xx to the dialog-creating request: Early → Confirmed, and the route
  ///    set is recomputed from its Record-Route (§13.2.2.4);
  ///  - non-2xx final to the dialog-creating request while Early → Terminated
  ///    (§12.3 via §13.2.2.3 / §12.1.2);
  ///  - 481 or 408 to an in-dialog request → Terminated (§12.2.1.2 "SHOULD");
  ///  - a final response to our INVITE clears "INVITE in progress".
  /// Errors: NotThisDialog (ID mismatch, hint 0: drop), Malformed.
  DialogStatus update_from_response(const msg::Message& response);

  // --- building requests (§12.2.1.1) ------------------------------------------
  /// A new in-dialog request: Request-URI and Route from the remote target and
  /// route set (loose routing if the first route has `;lr`, else strict
  /// routing with the remote target appended as the last Route), To = remote
  /// party, From = local party, Call-ID, CSeq = ++local seq (1 if empty),
  /// Max-Forwards: 70, and our Contact for target-refresh methods. No Via (the
  /// transaction layer adds it) and no body.
  /// An INVITE is refused with RequestPending while an INVITE is in progress
  /// in either direction (§14.1 "MUST NOT initiate a new INVITE transaction
  /// ... while another INVITE transaction is in progress in either
  /// direction"); once built it is recorded as our INVITE in progress.
  /// ACK and CANCEL must use `create_ack()` / `make_cancel()` instead.
  /// Errors: Terminated, RequestPending, CSeqExhausted, Malformed (method is
  /// ACK/CANCEL or not a token).
  Result<msg::Message, DialogError> create_request(std::string_view method);

  /// ACK for a 2xx to an INVITE (§13.2.2.4): built like any in-dialog request
  /// but with CSeq = the INVITE's sequence number and method ACK; the local
  /// sequence number is not incremented. Never fails and ignores the state: a
  /// 2xx must be ACKed even if the dialog ended meanwhile (§13.2.2.4 "MUST
  /// generate an ACK request for each 2xx"). The body, if any, is the caller's.
  msg::Message create_ack(std::uint32_t invite_cseq) const;

  // --- requests from the peer (§12.2.2) -----------------------------------------
  /// Check an in-dialog request addressed to this dialog and record it:
  ///  - Call-ID, To tag (= local tag) and From tag (= remote tag) must match
  ///    (else NotThisDialog, hint 481);
  ///  - ACK and CANCEL carry the INVITE's CSeq and are not sequence-checked;
  ///  - otherwise, if the remote seq is set and the request's CSeq is not
  ///    greater, CSeqOutOfOrder (hint 500); else remote seq = CSeq;
  ///  - a target-refresh request with a Contact replaces the remote target
  ///    (§12.2.2);
  ///  - a terminated dialog answers Terminated (hint 481).
  /// Retransmissions never reach this far (the server transaction absorbs
  /// them, §17.2), so an equal CSeq is a new, out-of-order request.
  DialogStatus validate_request(const msg::Message& request);

  // --- INVITE glare (§14) ---------------------------------------------------------
  /// Call for an incoming INVITE after `validate_request()` accepted it (its
  /// CSeq is then the remote sequence number). Proceed records it as in
  /// progress (see ReinviteVerdict).
  ReinviteVerdict on_incoming_reinvite();
  /// Report each response we send to a request of this dialog. A final
  /// response to the incoming INVITE in progress ends it (not the 500 that
  /// refused a second one, §14.2, which leaves the first in progress); our
  /// 2xx to the dialog-creating request confirms a UAS dialog; a non-2xx final
  /// to it terminates the early dialog.
  void on_response_sent(const msg::Message& response);
  bool outgoing_invite_in_progress() const { return outgoing_invite_.has_value(); }
  bool incoming_invite_in_progress() const { return incoming_invite_pending_; }
  /// Give up on our INVITE without a final response (transaction timeout or
  /// transport failure): "INVITE in progress" ends.
  void abandon_outgoing_invite() { outgoing_invite_.reset(); }

  /// End the dialog (BYE sent or received, §15). Idempotent.
  void terminate();

 private:
  /// Route set and remote target from a response that creates the dialog
  /// (UAC side, RFC 3261 §12.1.2); the error when it cannot be read.
  std::optional<DialogError> take_response_routing(const msg::Message& response, const std::string& to_uri);
  Dialog() = default;
  void transition(State next);
  void set_remote_target_from(const msg::Message& m);

  DialogId id_;
  State state_ = State::Early;
  bool uac_ = false;
  std::string local_party_;
  std::string remote_party_;
  std::string remote_target_;
  bool target_from_contact_ = false;
  std::vector<std::string> route_set_;
  std::optional<std::uint32_t> local_seq_;
  std::optional<std::uint32_t> remote_seq_;
  std::uint32_t creating_cseq_ = 0;  ///< CSeq number of the dialog-creating request
  /// Its method: a response is to the creating request only if both match
  /// (a CANCEL's or an out-of-order INFO's carry the same number).
  std::string creating_method_ = "INVITE";
  bool secure_ = false;
  std::string local_contact_;
  std::optional<std::uint32_t> outgoing_invite_;  ///< CSeq of our INVITE in progress
  bool incoming_invite_pending_ = false;
  std::uint32_t incoming_invite_seq_ = 0;  ///< CSeq number of that INVITE
};

/// §14.1: after a 491 the UAC waits T before retrying: "If the UAC is the owner
/// of the Call-ID of the dialog ID (meaning it generated the value), T has a
/// randomly chosen value between 2.1 and 4 seconds in units of 10 ms. If the
/// UAC is not the owner of the Call-ID ..., T has a randomly chosen value of
/// between 0 and 2 seconds in units of 10 ms." Returns milliseconds, a
/// multiple of 10.
Duration glare_retry_delay(Rng& rng, bool we_own_call_id);

/// §14.2: the Retry-After for a 500 answering an INVITE that overlaps an
/// earlier incoming one: "randomly chosen value of between 0 and 10 seconds".
/// Returns whole seconds (Retry-After is delta-seconds, §20.33).
std::uint32_t server_pending_retry_after(Rng& rng);

/// CANCEL for a request we sent (§9.1): same Request-URI, Call-ID, To, From,
/// Route and top Via (branch included) as the request, CSeq number of the
/// request with method CANCEL, Max-Forwards: 70, no body. Errors: Malformed
/// when the request lacks a Via, CSeq, Call-ID, From or To, or is itself an
/// ACK or CANCEL (§9.1 "MUST NOT" cancel those).
Result<msg::Message, DialogError> make_cancel(const msg::Message& request);

// --- the registry -------------------------------------------------------------

/// Where an incoming request belongs (§12.2.2, §8.2.2.2).
struct RequestMatch {
  enum class Kind {
    OutOfDialog,  ///< no To tag: a new dialog-creating or standalone request
    InDialog,     ///< To tag matches one of our dialogs: `dialog` is set
    NoDialog,     ///< To tag but no dialog: answer 481 (ACK: drop; never answered)
  };
  Kind kind;
  Dialog* dialog = nullptr;
};

/// All dialogs of a UA keyed by DialogId (forked early dialogs of one INVITE
/// each have their own remote tag and so their own entry). Pointers returned
/// stay valid until that dialog is erased.
class DialogSet {
 public:
  /// Insert a new dialog. Error Duplicate if its ID is taken.
  Result<Dialog*, DialogError> insert(Dialog d);
  Dialog* find(const DialogId& id);
  const Dialog* find(const DialogId& id) const;
  /// Classify an incoming request: its To tag is our local tag, its From tag
  /// the remote tag (§12.2.2). A request that does not parse far enough to
  /// read Call-ID/From/To is reported as OutOfDialog; the UA's own checks
  /// answer 400 for it.
  RequestMatch match_request(const msg::Message& request);
  /// The dialog a response to our request belongs to (From tag local, To tag
  /// remote), or nullptr (e.g. a new fork: create it with `Dialog::from_uac`).
  Dialog* match_response(const msg::Message& response);
  /// Remove a dialog; returns whether it was there.
  bool erase(const DialogId& id);
  /// End every dialog of this Call-ID and local tag but the one with remote
  /// tag `keep_remote_tag` ("" keeps none): the other forks of one INVITE of
  /// ours (§13.2.2.4; each To tag made its own early dialog, §12.1.2). They
  /// are Terminated, so `erase_terminated()` removes them.
  void end_forks(std::string_view call_id, std::string_view local_tag, std::string_view keep_remote_tag);
  /// Remove every Terminated dialog; returns how many.
  std::size_t erase_terminated();
  std::size_t size() const { return dialogs_.size(); }

 private:
  std::map<DialogId, Dialog> dialogs_;
};

/// The dialog ID an incoming request would belong to (local tag = To tag,
/// remote tag = From tag), nullopt if Call-ID/From/To are missing/unparsable.
/// The local tag is empty for a request outside a dialog.
std::optional<DialogId> dialog_id_of_request(const msg::Message& request);
/// The dialog ID a response to our request belongs to (local = From tag,
/// remote = To tag), nullopt if unreadable.
std::optional<DialogId> dialog_id_of_response(const msg::Message& response);

/// Methods whose requests refresh the remote target (§12.2; RFC 3311 UPDATE,
/// RFC 6665 SUBSCRIBE/NOTIFY, RFC 3515 REFER).
bool is_target_refresh(std::string_view method);

}  // namespace wwp::dialog
