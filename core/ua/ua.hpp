// The user agent: the one driver surface of the sans-IO core (house style §3).
//
// Contract, in the words of str0m's "single-mutation invariant":
//   1. Mutate once: give one input (`handle_input`) or one command
//      (`start_register`, `unregister`, …).
//   2. Drain: call `poll_output()` until it returns a `Timeout`. Each
//      `Transmit` must be written to the transport in order; each `Event`
//      must be handled (or ignored) by the driver.
//   3. Wait: until the `Timeout`'s deadline passes (then give
//      `Input{Tick{now}}`) or until bytes arrive (`Input{Received{…}}`).
// The core never reads a clock, a random source or a socket: `now` is in
// every input, randomness comes from `Config::rng_seed`.
//
// Malformed input is never fatal: it yields `Dropped` (and, where a response
// is possible, an automatic 400). Misuse of a command returns a `UaError`.
#pragma once
#include <deque>
#include <memory>
#include <string>
#include <variant>

#include <map>

#include "core/call/call.hpp"
#include "core/config/config.hpp"
#include "core/dialog/dialog.hpp"
#include "core/event/notify_body.hpp"
#include "core/event/pager.hpp"
#include "core/event/publication.hpp"
#include "core/event/subscription.hpp"
#include "core/flow/supervisor.hpp"
#include "core/msg/message.hpp"
#include "core/msg/parser.hpp"
#include "core/reg/registration.hpp"
#include "core/sdp/codec_prefs.hpp"
#include "core/txn/transaction_layer.hpp"
#include "core/util/rng.hpp"
#include "core/util/status.hpp"

namespace wwp::ua {

// --- inputs -----------------------------------------------------------------
struct Received {
  /// One WebSocket text frame (one SIP message, RFC 7118 §5). Read during
  /// `handle_input` only: the core copies what it keeps.
  std::string_view bytes;
  TimePoint now;
  /// The frame's whole size when `bytes` is only its head (0: all of it).
  /// A driver need not copy more than twice the parser's limit
  /// (msg::ParseLimits::max_message_size) of a frame into the core: the
  /// head parses as the whole would (a message past the limit is refused
  /// 513, bytes past Content-Length are discarded, RFC 3261 §18.3); only
  /// the reason of a drop names the whole size.
  std::size_t frame_size = 0;
};
struct Tick {
  TimePoint now;
};
using Input = std::variant<Received, Tick>;

// --- outputs ----------------------------------------------------------------
struct Transmit {
  std::string bytes;  ///< send as one WebSocket text frame
};
struct Timeout {
  TimePoint at;        ///< kNever when nothing is pending
  const char* reason;  ///< which machine asked, for logs
};
/// A message crossed the wire (for `debug` logging and the SDK's
/// `inboundMessage` / `outboundMessage` events).
///
/// The message is shared, not copied: the UA keeps working on the same
/// object. An inbound message carries a `trace_id()`; events that hand the
/// same message over again (IncomingCall, CallAnswered, …) carry it too, so a
/// driver can refer back to the trace instead of copying the message twice.
/// An outbound message's `wire()` is exactly the Transmit just before it.
struct MessageTraced {
  bool inbound;
  std::shared_ptr<const msg::Message> message;
  /// Inbound: bytes of the frame before the message (keep-alive CRLFs,
  /// RFC 3261 §7.5), so `message->wire()` starts at this frame offset.
  std::size_t frame_offset = 0;
};
/// Bytes we could not use; the reason says why (parse error text, …).
struct Dropped {
  std::string reason;
};
/// The final response to an application request (`send_app_message`): from
/// the wire, or a synthetic 408 (Timer F) / 503 (transport closed) whose
/// `detail` says so.
struct AppResponse {
  std::uint32_t id;
  msg::Message response;
  std::string detail;
};
/// With recovery on (Config::recovery): the phone registered again after
/// losing its connection; calls that survived get call::RecoverMedia.
struct Recovered {};
/// With recovery on, the core drives the transport: open a WebSocket to the
/// primary or backup server (answer with handle_transport_open, or
/// handle_transport_closed when it fails), or close the current one (its
/// close needs no answer). Connection state changes come as
/// flow::StateChanged.
using Event = std::variant<reg::Registered, reg::RegistrationFailed, reg::Unregistered,
                           reg::TransportDead, MessageTraced, Dropped, call::CallEvent, AppResponse,
                           flow::StateChanged, flow::OpenTransport, flow::CloseTransport, Recovered,
                           event::MessageOutcome, event::MessageReceived, event::SubscriptionChanged,
                           event::NotifyReceived, event::PresenceNotify, event::DialogInfoNotify,
                           event::PublicationChanged>;
using Output = std::variant<Transmit, Timeout, Event>;

class Ua {
 public:
  explicit Ua(Config config);
  Ua(const Ua&) = delete;
  Ua& operator=(const Ua&) = delete;

  void handle_input(const Input& input);

  /// Register (or re-register on a new transport). See reg::Registration.
  /// `expires`: the interval to ask for (0: as before; see Registration::start).
  Status start_register(TimePoint now, std::uint32_t expires = 0);
  /// Unregister (Contact expires=0); completes with `Unregistered`.
  Status unregister(TimePoint now);
  /// The driver's transport is open (to the primary or the backup server).
  void handle_transport_open(flow::Server server, TimePoint now);
  /// The driver's transport closed (or failed to open). `replaced`: the app
  /// itself is replacing it (a second start()), which is no outage.
  void handle_transport_closed(TimePoint now, std::string_view reason = {}, bool replaced = false);
  /// The browser's online/offline hint (recovery only).
  void handle_network(bool online, TimePoint now);

  // --- calls (see core/call/call.hpp for each command's contract) ---------
  /// Place a call; returns its handle. Completes with CallAnswered/CallFailed.
  Result<call::CallHandle, UaError> invite(const call::InviteParams& params, TimePoint now);
  /// The 2xx, or with `early` a 183 (with `sdp` as early media); Call::answer.
  Status answer(call::CallHandle call, const std::string& sdp, TimePoint now, bool early = false);
  Status reject(call::CallHandle call, int status, TimePoint now);
  /// Decline a ringing inbound call as its server expects: RingCentral (a
  /// `P-rc` INVITE) gets Cmd 12 and CANCELs the INVITE itself (spec §7.5.1),
  /// returning the MESSAGE's request id; any other server gets 603 Decline
  /// (RFC 3261 §21.6.2), returning 0.
  Result<std::uint32_t, UaError> decline(call::CallHandle call, TimePoint now);
  Status hangup(call::CallHandle call, TimePoint now);
  Status hold(call::CallHandle call, bool hold, TimePoint now);
  Status reinvite(call::CallHandle call, std::string offer, bool to_receive, TimePoint now);
  /// `hold`: we hold the call (the app's hold()), so our answer, or our
  /// offer for an offerless re-INVITE, goes sendonly/inactive (RFC 3264 §8.4).
  Status answer_reinvite(call::CallHandle call, const std::string& sdp, TimePoint now, bool hold = false);
  Status refer(call::CallHandle call, const std::string& target, TimePoint now);
  Result<std::uint32_t, UaError> send_request(call::CallHandle call, const std::string& method,
                                              const std::string& content_type,
                                              const std::string& body, TimePoint now);
  /// DTMF by SIP INFO (see call::Call::send_dtmf_info); completes with RequestDone.
  Result<std::uint32_t, UaError> send_dtmf_info(call::CallHandle call, std::string_view digits,
                                                std::uint32_t duration_ms, TimePoint now);
  /// As transferee: NOTIFY the transferor of the new call's status.
  Status refer_progress(call::CallHandle call, int status, TimePoint now);
  /// Attended transfer: REFER `call`'s peer to `other`'s peer with Replaces
  /// naming `other`'s dialog (RFC 3515, RFC 3891 §3).
  Status refer_replaces(call::CallHandle call, call::CallHandle other, TimePoint now);
  /// RingCentral pre-answer command (see call::Call::rc_command).
  Result<std::uint32_t, UaError> rc_command(call::CallHandle call, call::Call::RcCommand command,
                                            const std::string& target, const rc::LooseReplyArgs& reply,
                                            TimePoint now);
  /// RingCentral JSON INFO command; returns the reqid of the RcInfoResult.
  Result<std::uint64_t, UaError> rc_info(call::CallHandle call, const std::string& command,
                                         const std::string& target, TimePoint now);
  /// Send a message the application wrote (see core/ua/app_request.hpp): a
  /// request goes on its own non-INVITE client transaction and the returned
  /// id comes back in its AppResponse; a response (id 0) is sent on the
  /// server transaction it answers. Refused: requests and responses that
  /// belong to a call (its dialog or its server transactions) — they would
  /// change the call behind its back — and a response nothing waits for
  /// (the core answers every other request itself).
  Result<std::uint32_t, UaError> send_app_message(std::string_view text, TimePoint now);
  /// `p-rc-api-call-info` pairs of an inbound call; nullptr when absent.
  const std::vector<std::pair<std::string, std::string>>* rc_call_info(call::CallHandle call) const;
  /// Call-ID of a live call ("" when unknown).
  std::string call_id(call::CallHandle call) const;

  // --- messaging, subscriptions and publications (core/event/) ------------
  /// An instant message (RFC 3428); its outcome comes as event::MessageOutcome
  /// with the returned id. InvalidState when not registered.
  Result<std::uint32_t, UaError> send_message(const event::MessageParams& params, TimePoint now);
  /// Content types of inbound plain MESSAGEs the app takes (`text/plain` by
  /// default); others are answered 415 with them as Accept (RFC 3261 §21.4.13).
  void set_message_types(std::vector<std::string> types) { message_types_ = std::move(types); }

  // --- our SDP (core/sdp/codec_prefs.hpp; README "Codecs, bandwidth and SDP hooks")
  /// The app's codec preferences and bandwidth, set once after construction.
  /// The caller checks the lists first (sdp::check_codec_list).
  void set_media_prefs(sdp::MediaPrefs prefs) { media_prefs_ = std::move(prefs); }
  /// The SDP the browser made with the preferences applied: what the shim
  /// passes on (after the app's SDP hooks) to invite()/answer()/reinvite()/
  /// answer_reinvite(). `offer`: the remote offer when `sdp` answers it.
  /// The commands themselves send the text they are given as it is.
  /// `reject_video`: our answer refuses the offer's video (port 0).
  Result<std::string, sdp::SdpError> rewrite_local_sdp(std::string_view sdp, std::string_view offer,
                                                       bool reject_video = false) const {
    return sdp::rewrite_local(sdp, media_prefs_, offer, reject_video);
  }
  /// Subscribe to `params.target`'s `params.event` state (RFC 6665); events
  /// event::SubscriptionChanged and event::NotifyReceived carry the id.
  Result<std::uint32_t, UaError> subscribe(const event::SubscriptionParams& params, TimePoint now);
  /// End a subscription (Expires: 0). NotFound for an id that has ended.
  Status unsubscribe(std::uint32_t id, TimePoint now);
  /// Publish our state for `params.event` (RFC 3903); returns the
  /// generation event::PublicationChanged reports when it is up.
  Result<std::uint32_t, UaError> publish(event::PublishParams params, TimePoint now);
  /// Publish our presence: a PIDF (core/pres/pidf.hpp) for our AOR, open or
  /// closed, with a note and an RPID activity.
  Result<std::uint32_t, UaError> publish_presence(bool open, const std::string& note, const std::string& activity,
                                                  std::uint32_t expires, TimePoint now);
  /// Withdraw what publish() put up for `event`.
  Status unpublish(const std::string& event, TimePoint now);
  /// End every subscription and publication (the phone is being disposed):
  /// unSUBSCRIBE and removal PUBLISHes go out now.
  void end_usages(TimePoint now);

  // --- handing over to another UA (issue #13 "multi-tab"; core/ua/snapshot.hpp)
  /// What a fresh UA needs to continue this one (core/ua/snapshot.hpp has the
  /// JSON): the registration identity and every answered (Confirmed) call
  /// with its dialog. Ringing and early calls are left out: see
  /// call::Call::snapshot. Cheap enough to call after every batch of outputs.
  std::string export_state() const;
  /// Continue another UA's exported state; legal only on a fresh UA, before
  /// anything was received, registered, connected or called (InvalidState
  /// otherwise: create a new UA). The next REGISTER carries the state's
  /// Call-ID, From tag and Contact (host and `+sip.instance` included) with
  /// the CSeq after its last, so the registrar replaces the binding (RFC 3261
  /// §10.2.4, RFC 5626 §4.2). Each answered call is recreated, Confirmed,
  /// with its dialog and handle, and reported as call::CallAdopted; after the
  /// first successful registration each still-confirmed adopted call gets
  /// call::RecoverMedia (its media did not survive), as after an outage.
  /// Errors: InvalidArgument for text that is not such a state (not JSON,
  /// another version, a bad member, another account or transport); the
  /// message names what is wrong and nothing has been imported.
  Status import_state(std::string_view json, TimePoint now);

  Output poll_output();
  /// The drain of step 2 without moving each output out: `f` sees every
  /// queued Transmit and Event in order (by const reference), then the queue
  /// is empty and the next deadline (the Timeout poll_output would return
  /// last) is the result. For drivers that copy outputs elsewhere anyway (the
  /// wasm ABI), this saves a move and a destroy of each output.
  template <class F>
  Timeout drain_outputs(F&& f) {
    for (const Output& o : out_) f(o);
    out_.clear();
    const char* reason = "idle";
    const TimePoint at = next_deadline(&reason);
    return Timeout{at, at == kNever ? "idle" : reason};
  }

  /// What the UA holds right now: a driver can check that finished calls and
  /// transactions are let go (tests, diagnostics, the memory benchmark).
  struct LiveCounts {
    std::size_t calls, dialogs, transactions, subscriptions, publications;
  };
  LiveCounts live_counts() const {
    return {calls_.size(), dialogs_.size(), txns_.size(), subs_.size(), pubs_.size()};
  }

  const Config& config() const { return config_; }
  reg::State registration_state() const { return registration_.state(); }

 private:
  void handle_received(std::string_view bytes, TimePoint now, std::size_t frame_size = 0);
  /// A frame the parser refused: Dropped, and the parse error's status hint
  /// sent back when the request's reply headers can still be read.
  /// `frame_size`: the whole frame's size when `bytes` is its head only.
  void reply_to_malformed(std::string_view bytes, const msg::ParseError& error, std::size_t frame_size = 0);
  void on_registration_event(reg::RegEvent event, TimePoint now);
  /// Recovery's per-timeout duties: the flow's requests and state changes
  /// become outputs; calls end when the outage outlasted their grace window.
  bool collect_flow(TimePoint now);
  void handle_new_request(txn::TxnId txn, const msg::Message& request, TimePoint now);
  void handle_out_of_dialog(txn::TxnId txn, const msg::Message& request, TimePoint now);
  /// RFC 3891 §3: may this INVITE replace one of our calls? `status` 0 means
  /// yes (`call` is the one to replace, 0 when there is no Replaces header);
  /// otherwise it is the INVITE's rejection.
  struct ReplacesCheck {
    int status = 0;
    call::CallHandle call = 0;
  };
  ReplacesCheck check_replaces(const msg::Message& invite);
  void handle_rc_message(const msg::Message& request);
  void route_txn_event(txn::TxnEvent event, TimePoint now);
  /// A response no client transaction claimed (§18.1.2).
  void handle_stray_response(const msg::Message& response, TimePoint now);
  /// A 2xx to one of our INVITEs that its call no longer takes (§13.2.2.4):
  /// its own dialog's call re-ACKs it, anything else is ACKed and ended with
  /// BYE (call::end_unwanted_2xx). False when it could not be (no To tag).
  bool handle_unowned_invite_2xx(const msg::Message& response, TimePoint now);
  /// send_app_message's response half: onto the live server transaction it answers.
  Status do_send_app_response(msg::Message m, TimePoint now);
  call::Call* find_call(call::CallHandle handle);
  call::Call* call_for_dialog(const dialog::Dialog* d);
  call::CallContext context(TimePoint now);
  template <class F>
  Status with_call(call::CallHandle handle, TimePoint now, F&& f);
  void send(msg::Message m);
  void collect(TimePoint now);
  /// Give `now` to every machine whose timer is due.
  void fire_timers(TimePoint now);
  TimePoint next_deadline(const char** reason) const;

  /// import_state's precondition: nothing has happened to this UA yet.
  bool fresh_ = true;
  /// Calls waiting for the next registration to restart their media through
  /// its flow: adopted from another UA's state, or kept through a socket the
  /// app replaced (start() again) while they were up.
  std::vector<call::CallHandle> media_to_restart_;
  Config config_;
  Rng rng_;
  flow::Supervisor supervisor_{config_.recovery, rng_};
  bool leaving_flow_ = false;  ///< our unREGISTER before returning to the primary
  /// Dialogs of unwanted 2xx responses whose BYE is still under way, so a
  /// retransmitted 2xx gets its ACK but no second BYE (§13.2.2.4). Pruned
  /// as the BYE transactions end; a handful at most.
  struct UnwantedDialog {
    std::string call_id, remote_tag;
    txn::TxnId bye;
  };
  std::vector<UnwantedDialog> unwanted_;
  /// registration_.contact_uri(), built once (the config does not change):
  /// every call context refers to it.
  std::string contact_uri_;
  reg::Registration registration_;
  txn::TransactionLayer txns_;
  dialog::DialogSet dialogs_;
  std::map<call::CallHandle, call::Call> calls_;
  call::CallHandle next_call_ = 1;
  std::map<txn::TxnId, std::uint32_t> app_requests_;  ///< client txn → app request id
  std::uint32_t next_app_request_ = 1;
  /// Who waits for a client transaction's response outside calls and the
  /// registration: the pager, a subscription or a publication.
  struct UsageOwner {
    enum class Kind { Message, Subscription, Publication } kind;
    std::uint32_t id = 0;    ///< message or subscription id
    std::string event;       ///< publication's event package
  };
  std::map<txn::TxnId, UsageOwner> usage_txns_;
  event::Pager pager_;
  std::uint32_t next_message_ = 1;
  std::vector<std::string> message_types_{"text/plain"};
  sdp::MediaPrefs media_prefs_;
  std::map<std::uint32_t, event::Subscription> subs_;
  std::uint32_t next_sub_ = 1;
  std::map<std::string, event::Publication> pubs_;
  /// Start a usage's request on a client transaction; a refusal comes back
  /// to its owner as a synthetic 503.
  void start_usage_txn(msg::Message m, UsageOwner owner, TimePoint now);
  void route_usage_response(const UsageOwner& owner, const msg::Message& response, std::string_view detail,
                            TimePoint now);
  bool collect_usages(TimePoint now);
  std::deque<call::CallEvent> call_events_;
  std::vector<std::string> call_dropped_;  ///< CallContext::dropped, drained by collect()
  std::deque<Output> out_;
  msg::MessageView scratch_;  ///< reused by every received frame: parsing allocates nothing
  std::shared_ptr<msg::Message> rx_;  ///< the last received message, reused once nothing else holds it
  std::uint32_t next_trace_ = 1;
};

}  // namespace wwp::ua
