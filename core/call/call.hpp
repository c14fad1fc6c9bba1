// One INVITE session (RFC 3261 §13–15, RFC 3264 offer/answer, RFC 3515
// REFER), inbound or outbound. The UA owns the transaction layer and the
// dialog set; a Call asks them for transactions and dialogs through
// `CallContext` and reports `CallEvent`s.
//
// Session states (`transition()` enforces the moves):
//
//  outbound:  Calling ──1xx──► Early ──2xx/ACK──► Confirmed ──hangup──► Terminating
//               │  ▲             │                   │ BYE in              │ final
//               │  └─401/407─────┘ (re-sent once     ▼                     ▼
//               │     with credentials)          Terminated ◄──────────────┘
//               └── hangup: CANCEL after the first 1xx (§9.1) ─► Cancelling ─► Terminated
//  inbound:   Incoming ──answer: 2xx──► Accepted ──ACK──► Confirmed
//               │ reject / CANCEL in ──► Terminated
//               └─ progress: 183 (with our early answer, or none) stays Incoming
//
// Forked early dialogs (RFC 3261 §12.1.2, §13.2.2.1, call_early.cpp): while
// Calling/Early, each To tag in a 1xx has its own early dialog in the
// DialogSet (all with our Call-ID and From tag). The one the app talks to
// (`dialog_id()`: INFO, DTMF) is the fork whose early media plays, else the
// latest fork heard. The 2xx's To tag picks the winner (§13.2.2.4); the other
// early dialogs are erased without a BYE (the forking proxy CANCELs their
// branches, §16.7 step 10), and a later 2xx from one of them is ACKed and
// BYEd like any unwanted 2xx.
//
// Orthogonal to the session state: one re-INVITE at a time in either
// direction (`Dialog` enforces §14.1; crossing re-INVITEs get 491 and ours is
// retried after the §14.1 random delay), one pending REFER, and the session
// timer (RFC 4028, its own machine in session_timer.hpp; the glue is
// call_session_timer.cpp): every 2xx to an INVITE, re-INVITE or UPDATE, either
// way, settles it; as the refresher the call sends UPDATE (or a re-INVITE
// with its unchanged SDP when the peer does not allow UPDATE) at half the
// interval, otherwise it sends BYE when the interval passes unrefreshed and
// ends with CallEnded "session timer expired".
//
// Calling contract: the UA calls the `handle_*` methods with what the
// transaction layer and dialog matching delivered for this call, calls
// `handle_timeout()` when `next_timeout()` is due, and drains events from
// the shared event queue in `CallContext`.
#pragma once
#include <algorithm>
#include <deque>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/auth/digest_session.hpp"
#include "core/call/call_events.hpp"
#include "core/call/dtmf_info.hpp"
#include "core/call/session_timer.hpp"
#include "core/config/config.hpp"
#include "core/dialog/dialog.hpp"
#include "core/msg/message.hpp"
#include "core/rc/json_commands.hpp"
#include "core/rc/rc_message.hpp"
#include "core/rc/reply_options.hpp"
#include "core/txn/transaction_layer.hpp"
#include "core/util/rng.hpp"
#include "core/util/status.hpp"
#include "core/util/timer_table.hpp"

namespace wwp::call {

enum class State { Calling, Early, Cancelling, Incoming, Accepted, Confirmed, Terminating, Terminated };
const char* to_string(State s);

/// What a call may use of its UA.
struct CallContext {
  const Config& config;
  Rng& rng;
  txn::TransactionLayer& txns;
  dialog::DialogSet& dialogs;
  std::deque<CallEvent>& events;
  /// Reasons for remote input a call refused (the UA reports each as
  /// ua::Dropped, house style §11a), e.g. a DTMF INFO it answered 400.
  std::vector<std::string>& dropped;
  /// Our Contact URI (`sip:user@host;transport=ws[s]`), owned by the UA.
  const std::string& contact_uri;
  /// The time of the input or command being handled (server transactions
  /// start their timers from it).
  TimePoint now;
};

/// Parameters of `Ua::invite`.
struct InviteParams {
  std::string callee;     ///< number/extension, or a full sip:/sips:/tel: URI
  std::string caller_id;  ///< optional: sent as P-Asserted-Identity (RingCentral)
  std::vector<std::pair<std::string, std::string>> headers;  ///< extra headers, added last
  std::string sdp;        ///< our offer
};

/// An answered call as another UA needs it to take the call over
/// (`Call::snapshot`, `Call::adopt`; core/ua/snapshot.hpp writes it as JSON).
struct CallSnapshot {
  CallAdopted call;  ///< what the adopting UA's driver hears
  /// `p-rc-api-call-info` of the inbound INVITE (Ua::rc_call_info).
  bool has_rc_call_info = false;
  std::vector<std::pair<std::string, std::string>> rc_call_info;
  dialog::DialogSnapshot dialog;
  /// The session timer (RFC 4028) as last settled; interval 0 when off.
  /// Adoption restarts it from these terms (SessionTimer::resume).
  SessionTerms session;
  bool peer_allows_update = false;  ///< the peer's Allow listed UPDATE
  /// The o= value of our last SDP: the adopting UA's SDPs continue its
  /// sequence (RFC 3264 §8). "" when unknown (an older exporter).
  std::string origin;
};

/// Our Via header value with a fresh branch (RFC 3261 §8.1.1.7).
std::string our_via(CallContext& ctx);

/// A 2xx to an INVITE of ours that no call wants any more: the call was
/// cancelled, timed out or hung up before the answer, or this is a fork's
/// 2xx after another fork answered or the call ended. §13.2.2.4: "The UAC
/// core MUST generate an ACK request for each 2xx received ... If the UAC
/// does not want to continue with that dialog, then the UAC MUST terminate
/// the dialog by sending a BYE request". Both are built from the 2xx alone
/// (`Dialog::from_uac_response`); no dialog and no event are kept, only the
/// BYE's client transaction until its response. Returns false (nothing
/// sent) when the 2xx cannot make a dialog (no To tag, bad headers).
/// `bye_sent` true: a BYE for this dialog is already under way (the 2xx is
/// a retransmission), so only the ACK goes; otherwise `*bye` receives the
/// BYE's transaction.
bool end_unwanted_2xx(CallContext& ctx, const msg::Message& response, TimePoint now, bool bye_sent,
                      std::optional<txn::TxnId>* bye);

class Call {
 public:
  /// Outbound: builds and sends the INVITE. Errors: InvalidArgument for a
  /// header name that is not a token or a value with CR/LF/NUL.
  static Result<Call, UaError> start_outbound(CallHandle handle, CallContext& ctx,
                                              const InviteParams& params, TimePoint now);
  /// Inbound: a new INVITE arrived as server transaction `txn`. Sends 100 and
  /// 180 and reports IncomingCall. Fails (the UA answers with the hint) when
  /// the INVITE cannot start a dialog.
  /// `replaces`: the call this INVITE's Replaces header names (RFC 3891), or 0.
  static Result<Call, dialog::DialogError> start_inbound(CallHandle handle, CallContext& ctx,
                                                         txn::TxnId txn, const msg::Message& invite,
                                                         TimePoint now, CallHandle replaces = 0);

  /// Another UA's answered call, continued here (core/call/call_adopt.cpp):
  /// inserts its dialog (Confirmed) and reports CallAdopted. Errors:
  /// InvalidArgument when the dialog is already in the set.
  static Result<Call, UaError> adopt(CallContext& ctx, CallSnapshot s);
  /// This call for `adopt()` elsewhere; nullopt unless it is Confirmed. A
  /// ringing or early call cannot be taken over: its INVITE transaction
  /// (retransmissions, the final response, CANCEL matching, RFC 3261 §17)
  /// lives only in this UA, and the new UA could neither answer nor
  /// cancel it.
  std::optional<CallSnapshot> snapshot(const dialog::DialogSet& dialogs) const;

  // --- commands (UaError on misuse; the message says what to do) -----------
  /// 2xx to the ringing INVITE. After an early answer (below) the 2xx
  /// carries that same SDP (RFC 3261 §13.2.1: the 18x held "that same exact
  /// answer"), whatever `sdp` is; it may then be empty. Errors: InvalidState
  /// unless Incoming; InvalidArgument without an SDP.
  ///
  /// `early`: 183 Session Progress instead (the call keeps ringing); with
  /// `sdp`, our answer to its offer as early media: the caller hears us
  /// before the 2xx. Once an early answer went out every later 183 repeats
  /// it. After an INVITE without an offer the 183 has no body (ours would
  /// be an offer, which an unreliable 1xx may not carry, §13.2.1). Errors:
  /// InvalidState unless Incoming. One command for both: the same checks
  /// and reply, and one wasm entry point less.
  Status answer(CallContext& ctx, const std::string& sdp, TimePoint now, bool early = false);
  Status reject(CallContext& ctx, int status, TimePoint now);
  /// BYE, CANCEL or reject, whatever the state needs; completes with
  /// CallEnded or CallFailed.
  Status hangup(CallContext& ctx, TimePoint now);
  /// End the call here without a word to the peer: its connection is gone
  /// and was not recovered in time. Emits CallEnded{0, reason}.
  void drop(CallContext& ctx, std::string reason) { end(ctx, 0, std::move(reason)); }
  /// re-INVITE with our last SDP turned `sendonly`/back (RFC 3264 §8.4).
  Status hold(CallContext& ctx, bool hold, TimePoint now);
  /// re-INVITE with a new offer (ICE restart); `sendonly` unless `to_receive`.
  Status reinvite(CallContext& ctx, std::string offer, bool to_receive, TimePoint now);
  /// Answer the peer's re-INVITE (an empty SDP rejects it with 488).
  Status answer_reinvite(CallContext& ctx, const std::string& sdp, TimePoint now, bool hold);
  /// Blind transfer: REFER with Refer-To `target` (RFC 3515).
  Status refer(CallContext& ctx, const std::string& target, TimePoint now);
  /// As the transferee: report the new call's progress to the transferor by
  /// NOTIFY with a sipfrag (RFC 3515 §2.4.4); a final status ends the
  /// implicit subscription.
  Status refer_progress(CallContext& ctx, int status, TimePoint now);
  /// Refer the peer to `refer_to` (a full Refer-To value, e.g. with Replaces).
  Status refer_to(CallContext& ctx, std::string refer_to_value, TimePoint now);

  // --- RingCentral call control (call_rc.cpp, spec §7.5, §7.12) --------------
  enum class RcCommand { Confirm, Decline, Voicemail, Forward, StartReply, Reply };
  /// An x-rc/agent MESSAGE built from the INVITE's `P-rc`; completes with
  /// RequestDone. Errors: Unsupported without P-rc ("needs a RingCentral
  /// server"), InvalidState for queue calls (only answer/decline) or after
  /// answer, InvalidArgument for bad targets and "Invalid reply options".
  Result<std::uint32_t, UaError> rc_command(CallContext& ctx, RcCommand command,
                                            const std::string& target,
                                            const rc::LooseReplyArgs& reply, TimePoint now);
  /// A JSON INFO command; returns the reqid that RcInfoResult will carry.
  Result<std::uint64_t, UaError> rc_info(CallContext& ctx, const std::string& command,
                                         const std::string& target, TimePoint now);
  /// `p-rc-api-call-info` of the inbound INVITE (empty when absent).
  const std::vector<std::pair<std::string, std::string>>& rc_call_info() const { return rc_call_info_; }
  bool has_rc_call_info() const { return has_rc_call_info_; }
  /// The INVITE carried a usable RingCentral `P-rc` (call control by x-rc MESSAGE).
  bool is_rc() const { return prc_.has_value(); }

  /// Any other in-dialog request (INFO, MESSAGE, …); completes with RequestDone.
  Result<std::uint32_t, UaError> send_request(CallContext& ctx, const std::string& method,
                                              const std::string& content_type,
                                              const std::string& body, TimePoint now);

  /// DTMF by SIP INFO (core/call/dtmf_info.hpp): one INFO per digit,
  /// `application/dtmf-relay` with `Signal=<d>` and `Duration=<ms>`, each
  /// sent when the one before was answered (RFC 6086 §4.2.1 lets a dialog
  /// have one INFO outstanding at a time) and after any earlier
  /// send_dtmf_info's digits. Completes with one RequestDone for the returned
  /// id: the last INFO's 2xx, or the first non-2xx (its digits after it are
  /// not sent; 481/408 also end the call, as for any in-dialog request).
  /// Errors: InvalidArgument for digits outside `0-9 * # A-D` (a-d are
  /// taken as A-D; `,` pauses are RFC 4733 only), none, more than 64, or a
  /// duration outside 1..60000 ms; InvalidState without a dialog (as
  /// send_request: confirmed, or early/accepted).
  Result<std::uint32_t, UaError> send_dtmf_info(CallContext& ctx, std::string_view digits,
                                                std::uint32_t duration_ms, TimePoint now);

  // --- inputs routed by the UA ------------------------------------------------
  /// A response for one of this call's client transactions.
  void handle_response(CallContext& ctx, txn::TxnId txn, const msg::Message& response,
                       TimePoint now);
  /// A 2xx retransmission for our INVITE arriving after the ICT ended: re-ACK.
  void handle_stray_2xx(CallContext& ctx, const msg::Message& response);
  /// A new in-dialog request (server transaction `txn`) in dialog `d`, which
  /// `has_dialog` (while our INVITE rings, any fork's).
  void handle_request(CallContext& ctx, txn::TxnId txn, const msg::Message& request, dialog::Dialog* d,
                      TimePoint now);
  /// An ACK for our 2xx (never matches a transaction, §17.2.1).
  void handle_ack(CallContext& ctx, const msg::Message& ack, TimePoint now);
  /// CANCEL for our pending inbound INVITE (the UA has answered the CANCEL).
  void handle_cancel(CallContext& ctx, TimePoint now);
  void handle_server_failed(CallContext& ctx, txn::TxnId txn, TimePoint now);
  void handle_timeout(CallContext& ctx, TimePoint now);
  TimePoint next_timeout() const { return std::min(timers_.next(), session_timer_.next_timeout()); }
  const SessionTimer& session_timer() const { return session_timer_; }

  CallHandle handle() const { return handle_; }
  State state() const { return state_; }
  const std::string& call_id() const { return call_id_; }
  /// Our tag in this call's dialog (To of our responses to its INVITE).
  const std::string& local_tag() const { return local_tag_; }
  bool owns_client_txn(txn::TxnId id) const;
  bool owns_server_txn(txn::TxnId id) const;
  const std::optional<dialog::DialogId>& dialog_id() const { return dialog_id_; }
  /// `id` is this call's dialog or one of its forked early dialogs (they
  /// share its Call-ID and our tag).
  bool has_dialog(const dialog::DialogId& id) const {
    return id.call_id == call_id_ && id.local_tag == local_tag_;
  }
  /// Once this call is confirmed: the call it replaces (RFC 3891), handed
  /// over once (0 otherwise), so the UA can end that one.
  CallHandle take_replaced() {
    if (state_ != State::Confirmed) return 0;
    const CallHandle r = replaces_;
    replaces_ = 0;
    return r;
  }
  /// True for an inbound call whose INVITE transaction is `txn`.
  bool is_invite_server(txn::TxnId txn) const { return invite_server_ && *invite_server_ == txn; }
  /// The peer's re-INVITE still waiting for the app's answer is `txn`.
  bool is_pending_reinvite(txn::TxnId txn) const { return reinvite_server_ && *reinvite_server_ == txn; }

 private:
  /// AckWait: 64*T1 for the ACK of our 2xx to the INVITE (§13.3.1.4);
  /// ReinviteAckWait: the same for our 2xx to a re-INVITE; Resend2xx: the
  /// next retransmission of either (T1, doubling up to T2) until its ACK.
  enum class TimerKind : std::size_t {
    GlareRetry, AckWait, TransferBye, CancelWait, Resend2xx, ReinviteAckWait, Count
  };
  /// Refresh: a session refresh (RFC 4028 §7.4) with our unchanged SDP;
  /// no event reaches the app.
  enum class ReinviteKind { Hold, Unhold, Offer, Refresh };

  Call(CallHandle handle, std::string call_id) : handle_(handle), call_id_(std::move(call_id)) {}
  void transition(State next);
  dialog::Dialog* dialog(CallContext& ctx);
  PeerInfo peer_info(const msg::Message& m) const;
  void end(CallContext& ctx, int status, std::string reason);
  /// §13.3.1.4: "If the server retransmits the 2xx response for 64*T1
  /// seconds without receiving an ACK, the dialog is confirmed, but the
  /// session SHOULD be terminated" (with BYE).
  void end_unacked_2xx(CallContext& ctx, TimePoint now);
  void fail(CallContext& ctx, int status, std::string status_line);

  // outbound INVITE (call_outbound.cpp)
  void on_invite_response(CallContext& ctx, const msg::Message& r, TimePoint now);
  bool retry_with_credentials(CallContext& ctx, const msg::Message& r, TimePoint now);
  void send_cancel(CallContext& ctx, TimePoint now);
  void supersede_glare_retry(CallContext& ctx);
  /// The peer's offer in a re-INVITE or UPDATE (`offer` non-empty): answered
  /// at once when it offers the session unchanged with session timers on
  /// (RFC 4028 §10, RFC 3264 §8), else kept pending for the app's
  /// answer_reinvite (a ReinviteOffer event).
  void take_peer_offer(CallContext& ctx, txn::TxnId txn, const msg::Message& req, const UasVerdict& timer,
                       std::string_view offer, TimePoint now);
  /// 500 with a Retry-After of 0-10 s: an offer of the peer's is still open (§14.2, RFC 3311 §5.2).
  void respond_offer_pending(CallContext& ctx, txn::TxnId txn, const msg::Message& req);
  /// Our offer went in a 2xx (to an offerless INVITE or re-INVITE) and its
  /// answer comes in the ACK, which has not arrived (RFC 3261 §13.2.1).
  bool our_offer_awaits_ack() const;
  void send_ack(CallContext& ctx, const msg::Message& response);
  // forked early dialogs (call_early.cpp)
  /// A 101–199 with a To tag: its fork's early dialog (new or updated); fills
  /// `e.has_sdp`/`e.early_answer` and moves `dialog_id_` to the fork in use.
  void on_provisional(CallContext& ctx, const msg::Message& r, CallProgress& e);
  /// The 2xx's fork becomes `dialog_id_` (reset when it had no early
  /// dialog); the other early dialogs go.
  void take_winner(CallContext& ctx, const msg::Message& r);
  /// End every dialog of this call but `dialog_id_` (§13.2.2.4 for the
  /// losing forks; all of them once the call failed or ended).
  void drop_forks(CallContext& ctx);
  // in-dialog (call_in_dialog.cpp)
  /// An in-dialog request from the dialog with our Via (new branch) on top.
  Result<msg::Message, dialog::DialogError> new_request(CallContext& ctx, dialog::Dialog& d,
                                                        std::string_view method);
  void send_reinvite(CallContext& ctx, TimePoint now);
  void on_reinvite_response(CallContext& ctx, const msg::Message& r, TimePoint now);
  void send_bye(CallContext& ctx, TimePoint now);
  /// 487 for a peer's re-INVITE still waiting for the app's answer (§15.1.2).
  void abandon_pending_reinvite(CallContext& ctx);
  void respond(CallContext& ctx, txn::TxnId txn, const msg::Message& request, int status,
               const std::string& content_type = {}, const std::string& body = {},
               std::vector<std::pair<std::string, std::string>> extra = {});
  void on_refer(CallContext& ctx, txn::TxnId txn, const msg::Message& request, TimePoint now);
  /// An INFO whose Content-Type is a DTMF body: 200 and DtmfReceived, or
  /// 400 and a dropped reason when the body is malformed.
  void on_dtmf_info(CallContext& ctx, txn::TxnId txn, const msg::Message& request, DtmfBody kind);
  /// Send the next queued DTMF digit, unless an INFO of ours is in flight.
  void send_next_dtmf(CallContext& ctx, TimePoint now);
  void on_dtmf_response(CallContext& ctx, const msg::Message& r, TimePoint now);
  // session timer (call_session_timer.cpp)
  SessionTimerConfig timer_config(const CallContext& ctx) const;
  /// A 2xx to our INVITE/re-INVITE/UPDATE: what it settled (§7.2).
  void on_session_2xx(const msg::Message& response, TimePoint now);
  /// 422 to our initial INVITE: once more with the larger interval (§7.4-ish
  /// in RFC 4028's words: "the UAC MAY retry"); false when it will not.
  bool retry_session_interval(CallContext& ctx, const msg::Message& r, TimePoint now);
  /// Session-Expires (our role as the refresher param) and Min-SE for an
  /// in-dialog INVITE/UPDATE of ours, empty when the timer is off.
  std::vector<std::pair<std::string, std::string>> refresh_headers(const CallContext& ctx) const;
  void send_session_refresh(CallContext& ctx, TimePoint now);
  void on_refresh_response(CallContext& ctx, const msg::Message& r, TimePoint now);
  /// A session refresh request of ours failed for good: BYE (§10).
  void end_refresh_failed(CallContext& ctx, const msg::Message& r, TimePoint now);
  /// Our 2xx to a re-INVITE/UPDATE carried (or did not carry) `verdict`.
  void apply_uas_verdict(const UasVerdict& verdict, TimePoint now);

  // RingCentral (call_rc.cpp)
  void rc_on_invite(CallContext& ctx, const msg::Message& invite, TimePoint now);
  bool rc_on_info(CallContext& ctx, const msg::Message& info);
  /// A failure answer to request `request`: ends its JSON command, if it carried one.
  void rc_info_refused(CallContext& ctx, std::uint32_t request, const msg::Message& response);
  Result<std::uint32_t, UaError> send_rc(CallContext& ctx, const rc::RcMessage& message, TimePoint now);

  CallHandle handle_;
  std::string call_id_;
  State state_ = State::Calling;
  bool outbound_ = true;
  TimerTable<TimerKind, static_cast<std::size_t>(TimerKind::Count)> timers_;

  std::optional<dialog::DialogId> dialog_id_;
  std::string local_tag_;
  /// Both ends as the driver heard them (IncomingCall, CallAnswered), kept
  /// for `snapshot()`.
  PeerInfo peer_;
  /// An adopted call's hold state until it has an SDP of its own again (the
  /// exporting UA's was not carried over): a second hand-over keeps it.
  /// We hold the call (RFC 3264 §8.4): set by the re-INVITEs that hold or
  /// resume once answered, and by the app's hold flag when it answers the
  /// peer's re-INVITE. Not read from our SDP: an `inactive` we answered to
  /// the peer's `inactive` offer is the peer's hold, not ours.
  bool held_ = false;
  /// What the re-INVITE in flight sets held_ to once answered (not for a refresh).
  bool reinvite_holds_ = false;
  std::string adopted_media_;  ///< CallAdopted::media, until our first SDP here
  std::string adopted_origin_;  ///< the o= of the exporting UA's last SDP, until our first SDP here
  /// `sdp`, about to be sent, continuing our o= sequence (continue_session).
  std::string continued(std::string sdp) const;

  // outbound INVITE
  msg::Message invite_;                   ///< the INVITE as last sent
  std::optional<txn::TxnId> invite_client_;
  std::optional<txn::TxnId> cancel_client_;
  bool cancel_pending_ = false;           ///< hangup() before any 1xx (§9.1)
  bool challenged_ = false;
  std::optional<auth::DigestSession> digest_;
  PeerInfo early_peer_;
  /// The early answer playing while our INVITE rings (from the fork
  /// `dialog_id_` names), "" for none (call_early.cpp).
  std::string early_sdp_;
  int session_422_retries_ = 0;           ///< RFC 4028 §7.4 retries of the INVITE

  // inbound INVITE
  std::optional<txn::TxnId> invite_server_;
  msg::Message remote_invite_;
  bool bye_after_ack_ = false;            ///< hangup() while waiting for the ACK (§15)
  CallHandle replaces_ = 0;               ///< the call this INVITE replaces (RFC 3891)
  UasVerdict invite_timer_;               ///< what our 2xx to the INVITE settles (RFC 4028 §9)

  // session description (RFC 3264)
  std::string local_sdp_;   ///< our last offer/answer as sent
  std::string remote_sdp_;  ///< the peer's last offer/answer

  // re-INVITE / BYE / REFER / generic requests in flight
  std::optional<txn::TxnId> reinvite_client_;
  std::optional<std::uint32_t> reinvite_cseq_;
  ReinviteKind reinvite_kind_ = ReinviteKind::Offer;
  std::string reinvite_offer_;
  /// The peer's re-INVITE or UPDATE whose offer waits for the app's answer
  /// (answer_reinvite); while it is set no other offer may start (RFC 3264
  /// §4, RFC 3311 §5.1).
  std::optional<txn::TxnId> reinvite_server_;
  msg::Message remote_reinvite_;
  /// Its offer: it becomes remote_sdp_ only when our 200 accepts it (a 488
  /// leaves the session as it was, §14.2).
  std::string pending_offer_;
  UasVerdict reinvite_timer_;  ///< what our 2xx to the peer's re-INVITE settles
  /// Our 2xx to the INVITE or to a re-INVITE of the peer's until its ACK (§13.3.1.4).
  struct Unacked2xx {
    txn::TxnId txn;
    msg::Message response;
    std::uint32_t cseq;
    Duration interval;  ///< to the next retransmission: T1, doubling, at most T2
    bool offer;         ///< it answered an offerless (re-)INVITE: our offer awaits the ACK's answer
  };
  std::optional<Unacked2xx> unacked_2xx_;
  /// Our 2xx `response` to `request` (the INVITE or a re-INVITE), to resend until its ACK.
  static Unacked2xx unacked(txn::TxnId txn, const msg::Message& request, const msg::Message& response, Duration t1);
  std::optional<txn::TxnId> bye_client_;
  /// CallEnded's reason once our BYE completes.
  std::string bye_reason_ = "local hangup";

  // session timer (RFC 4028)
  SessionTimer session_timer_;
  std::optional<txn::TxnId> refresh_client_;  ///< our UPDATE refresh in flight
  bool peer_allows_update_ = false;           ///< the peer's last Allow listed UPDATE
  std::optional<txn::TxnId> refer_client_;
  bool refer_accepted_ = false;  ///< our REFER got a 2xx; NOTIFYs report on it
  bool transfer_done_before_202_ = false;  ///< a 2xx NOTIFY overtook the REFER's 202
  bool refer_subscription_ = false;  ///< we accepted the peer's REFER (transferee)
  std::vector<std::pair<txn::TxnId, std::uint32_t>> requests_;  ///< generic ones
  /// send_dtmf_info's digits still to send, oldest command first.
  struct DtmfJob {
    std::uint32_t id;
    std::string digits;  ///< validated, upper-cased
    std::size_t next = 0;
    std::uint32_t duration_ms;
  };
  std::deque<DtmfJob> dtmf_jobs_;
  std::optional<txn::TxnId> dtmf_client_;  ///< the one DTMF INFO in flight
  std::uint32_t next_request_ = 1;

  // RingCentral
  std::optional<rc::RcMessage> prc_;  ///< the inbound INVITE's `P-rc` (Cmd 6)
  std::vector<std::pair<std::string, std::string>> rc_call_info_;
  bool has_rc_call_info_ = false;
  std::uint64_t next_reqid_ = 1;
  /// A JSON command awaiting its result INFO: its reqid, and the request id
  /// of the INFO that carried it (a failure answer to that INFO ends the wait).
  struct PendingInfo {
    std::uint64_t reqid;
    rc::InfoCommand command;
    std::uint32_t request;
  };
  std::vector<PendingInfo> pending_info_;
  std::uint32_t message_cseq_ = 0;
};

}  // namespace wwp::call
