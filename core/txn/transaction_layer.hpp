// The transaction layer (RFC 3261 §17) for one reliable connection
// (WebSocket, RFC 7118): it owns every client and server transaction, matches
// messages to them, and turns timer expiries and transport failures into
// events for the transaction user (TU: registration, INVITE sessions, the
// UA's stateless answers).
//
// Sans-IO contract (the same shape as ua::Ua, house style §3):
//   1. Mutate once: `start_client`, `handle_request`, `handle_response`,
//      `respond`, `send_stateless`, `handle_timeout` or
//      `handle_transport_closed`.
//   2. Drain `poll_transmit()` (write each message, in order, as one WebSocket
//      frame) and `poll_event()` (hand each to the TU) until both are empty.
//      Draining order between the two queues does not matter to the layer.
//   3. Call `handle_timeout(now)` once `now >= next_timeout()`. A deadline
//      equal to the current time is normal: zero-length timers (D, K, I, J on
//      a reliable transport) end Completed/Confirmed states at the next tick.
//
// Client side (§17.1):
//   start_client(request) ──► ICT (INVITE) or NICT (anything but ACK); the
//   request is queued for transmit. Responses are matched by top-Via branch +
//   CSeq method (§17.1.3), so a CANCEL (same branch as its INVITE, §9.1) has
//   its own NICT. What reaches the TU is `ClientResponse{id, response, source}`:
//     - real responses the machine passes up (1xx, the first final, and with
//       RFC 6026 every 2xx while an ICT is Accepted);
//     - Timer B (ICT, Calling) or Timer F (NICT) → a synthetic
//       `408 Request Timeout` (as reSIProcate does), source TimerB/TimerF;
//     - transport closed before a final → a synthetic
//       `503 Service Unavailable`, source TransportClosed; so is a request
//       started after `handle_transport_closed` and before
//       `handle_transport_open` (it is never queued for transmit).
//   A synthetic response copies Via/From/To/Call-ID/CSeq from the request, so
//   TU code that reads those works unchanged; `detail` says what happened.
//   Exactly one final-class ClientResponse (status >= 200) reaches the TU per
//   NICT; an ICT may add further 2xx (forks / retransmissions) while Accepted.
//   The ACK for a 300-699 is generated here (§17.1.1.3); the ACK for a 2xx is
//   the TU's job (§13.2.2.4): build it and pass it to `send_stateless`.
//   A response that matches nothing is returned as `Unmatched` and queues
//   nothing: it is "passed to the core" (§18.1.2), i.e. the caller, which
//   still holds it (no copy): e.g. a 2xx retransmission after the ICT ended,
//   which the dialog layer must re-ACK.
//
// Server side (§17.2):
//   handle_request(request) returns what happened:
//     NewTransaction – IST (INVITE) or NIST created, `ServerRequest{id, request}`
//                      queued for the TU, which answers with `respond(id, …)`;
//     Retransmission – matched a live transaction: absorbed, and the last
//                      response is re-sent where §17.2.1/§17.2.2 say so;
//     AckAbsorbed    – ACK for a 300-699 (IST Completed/Confirmed): absorbed;
//     PassedToTu     – ACK matching no IST (ACK for a 2xx, §17.2.1) or one
//                      matching an Accepted IST: `ReceivedAck{ack}` queued;
//     Malformed      – no parsable top Via/CSeq: nothing queued (the UA has
//                      already answered 400 or dropped it).
//   A CANCEL creates its own NIST like any request; find its INVITE with
//   `find_invite_server_txn(cancel)` (§9.2: same branch and sent-by).
//   An IST sends 100 Trying itself if the TU is silent for
//   `TxnConfig::trying_delay` (200 ms, §17.2.1; see ist.hpp for the choice).
//   Timer H (no ACK for a 300-699 within 64*T1) and a transport failure while
//   the TU still owes a final are reported as `ServerFailed{id, cause}`.
//
// Transport closed: every client transaction without a final gets its 503;
// every transaction (client and server) is destroyed; server transactions
// whose TU still owed a final report `ServerFailed{…, TransportClosed}`.
// Later `respond()` calls on them return NotFound.
//
// Events are delivered in the order they happened. TxnIds are never reused.
// Nothing here reads a clock, a random source or a socket.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include "core/msg/message.hpp"
#include "core/txn/ict.hpp"
#include "core/txn/ist.hpp"
#include "core/txn/nict.hpp"
#include "core/txn/nist.hpp"
#include "core/txn/txn_common.hpp"
#include "core/util/status.hpp"

namespace wwp::txn {

// --- events for the TU --------------------------------------------------------

/// Where a ClientResponse came from.
enum class ResponseSource {
  Wire,             ///< received from the peer
  TimerB,           ///< synthetic 408: INVITE unanswered for 64*T1 (§17.1.1.2)
  TimerF,           ///< synthetic 408: non-INVITE without final for 64*T1 (§17.1.2.2)
  TransportClosed,  ///< synthetic 503: the connection went away (§17.1.4)
};
const char* to_string(ResponseSource s);

/// A new request created a server transaction; answer with `respond(id, …)`.
struct ServerRequest {
  TxnId id;
  msg::Message request;
};
/// A response (or synthetic 408/503) for a client transaction.
struct ClientResponse {
  TxnId id;
  msg::Message response;
  ResponseSource source = ResponseSource::Wire;
  std::string detail;  ///< empty for Wire; else e.g. "Timer F fired: no final response in 32000 ms"
};
/// Why a server transaction failed.
enum class ServerFailure {
  NoAck,            ///< Timer H: our 300-699 was never ACKed (§17.2.1)
  TransportClosed,  ///< the connection closed before the TU sent a final (§17.2.4)
};
const char* to_string(ServerFailure f);
struct ServerFailed {
  TxnId id;
  ServerFailure cause;
};
/// An ACK the TU must see: one for a 2xx (it never matches the IST, whose
/// branch differs, §17.2.3), or one matching an Accepted IST (RFC 6026 §8.7).
struct ReceivedAck {
  msg::Message ack;
};
using TxnEvent = std::variant<ServerRequest, ClientResponse, ServerFailed, ReceivedAck>;

/// What `handle_request` did with a request (see the contract above).
enum class RequestDisposition { NewTransaction, Retransmission, AckAbsorbed, PassedToTu, Malformed };
/// What `handle_response` did with a response.
enum class ResponseDisposition {
  Delivered,  ///< a ClientResponse was queued
  Absorbed,   ///< matched a transaction that did not pass it up (retransmission)
  Unmatched,  ///< matches no client transaction: the caller's to handle (§18.1.2); nothing queued
  Malformed,  ///< no parsable top Via/CSeq; nothing queued
};
const char* to_string(RequestDisposition d);
const char* to_string(ResponseDisposition d);

class TransactionLayer {
 public:
  explicit TransactionLayer(TxnConfig config = {});
  TransactionLayer(const TransactionLayer&) = delete;
  TransactionLayer& operator=(const TransactionLayer&) = delete;

  // --- client side (§17.1) ----------------------------------------------------

  /// Start an ICT (INVITE) or NICT (other methods) and queue `request` for
  /// transmit. The caller built the top Via with a fresh z9hG4bK branch.
  /// Errors (InvalidArgument; nothing is queued, fix the request):
  ///   not a request; an ACK (use `send_stateless`); no top Via or a branch
  ///   without the magic cookie (§8.1.1.7); a CSeq that does not parse or whose
  ///   method differs from the request's (§8.1.1.5).
  /// InvalidState: a live client transaction already uses this branch+method.
  Result<TxnId, UaError> start_client(msg::Message request, TimePoint now);

  /// A response from the transport (the UA has checked the mandatory headers).
  ResponseDisposition handle_response(const msg::Message& response, TimePoint now);

  // --- server side (§17.2) ----------------------------------------------------

  /// A request from the transport (the UA has checked the mandatory headers).
  RequestDisposition handle_request(const msg::Message& request, TimePoint now);

  /// Send the TU's response on server transaction `id` (build it with
  /// msg::make_reply from the ServerRequest's request).
  /// Errors: NotFound (hint 481) if `id` is unknown or already terminated –
  /// drop the response; InvalidArgument if `id` is a client transaction or the
  /// message is not a 1xx-6xx response; InvalidState if a final was already
  /// sent (only further 2xx may follow a 2xx on an IST, RFC 6026).
  Status respond(TxnId id, msg::Message response, TimePoint now);

  /// §8.2.2.2 merged requests: whether `request` (which started server
  /// transaction `id`) has no To tag and the same From tag, Call-ID and CSeq
  /// as another live server transaction's request. A forking proxy sent one
  /// request to us along two paths; the UA answers the later copy 482 (Loop
  /// Detected) so the phone does not ring twice for one call.
  bool is_merged(TxnId id, const msg::Message& request) const;

  /// §9.2: the live IST whose INVITE this CANCEL targets (same top-Via branch
  /// and sent-by), or nullopt (the TU then answers the CANCEL with 481).
  std::optional<TxnId> find_invite_server_txn(const msg::Message& cancel) const;

  /// §17.2.3 from the other side: the live server transaction that `response`
  /// answers (its top Via and CSeq method), or nullopt.
  std::optional<TxnId> find_server_txn_for(const msg::Message& response) const;

  // --- outside any transaction ------------------------------------------------

  /// Queue a message that belongs to no transaction (the TU's ACK for a 2xx,
  /// §13.2.2.4; stateless responses) so it keeps its place in the transmit
  /// order.
  void send_stateless(msg::Message message);

  // --- time and transport -----------------------------------------------------

  void handle_timeout(TimePoint now);
  /// Earliest deadline of any transaction, or kNever.
  TimePoint next_timeout() const;
  /// The connection closed: see the contract above. Until
  /// `handle_transport_open`, a new client transaction fails at once (a
  /// request the app or a timer starts during an outage would otherwise go
  /// nowhere, and its Timer B/F 408 would reach the TU after recovery, where
  /// it reads as a dead dialog, RFC 5057 §5.1).
  void handle_transport_closed(TimePoint now);
  /// A connection is open again (at first it is taken to be).
  void handle_transport_open() { transport_open_ = true; }
  /// Destroy client transaction `id` without a final response (§9.1: no
  /// final for a CANCELled INVITE within 64*T1). A late response then
  /// matches nothing (`Unmatched`). Unknown ids are ignored.
  void abandon_client(TxnId id);

  // --- outputs ----------------------------------------------------------------

  std::optional<msg::Message> poll_transmit();
  std::optional<TxnEvent> poll_event();

  // --- introspection (tests, logs, the TU) ------------------------------------

  /// Live transactions.
  std::size_t size() const { return txns_.size(); }
  bool contains(TxnId id) const { return txns_.count(id) != 0; }
  /// State name of a live transaction ("Calling", "Proceeding", …) or
  /// "Terminated" once it is gone.
  const char* state_name(TxnId id) const;
  /// The request that created a live transaction (e.g. to build a CANCEL,
  /// §9.1), or nullptr.
  const msg::Message* request(TxnId id) const;

 private:
  using Machine = std::variant<Ict, Nict, Ist, Nist>;
  struct Entry {
    Machine machine;
    std::string key;
    bool server;
    /// The deadline this entry is filed under in `timers_` (kNever: not filed).
    TimePoint armed = kNever;
  };

  TxnId insert(Machine machine, std::string key, bool server);
  /// Queue the step's transmit and events; returns true if a ClientResponse /
  /// ReceivedAck was delivered for `input`.
  bool apply(TxnId id, Entry& entry, Step step, const msg::Message* input);
  void reap(TxnId id);
  /// File `entry` under its machine's current deadline (after every step).
  void rearm(TxnId id, Entry& entry);
  /// Erase a live entry and everything that indexes it.
  void erase(std::map<TxnId, Entry>::iterator it);
  msg::Message synthetic_response(const msg::Message& request, int status) const;
  /// Fail transaction `id` as the closed connection leaves it (nothing sent).
  void fail_on_closed_transport(TxnId id);

  TxnConfig config_;
  std::uint64_t next_id_ = 1;
  std::map<TxnId, Entry> txns_;
  std::map<std::string, TxnId> client_index_;
  std::map<std::string, TxnId> server_index_;
  /// Every armed deadline, earliest first: next_timeout() and
  /// handle_timeout() look at the due ones only, not at every live
  /// transaction (a busy phone has many in Proceeding, and both run after
  /// every received frame).
  std::set<std::pair<TimePoint, TxnId>> timers_;
  std::string lookup_key_;  ///< reused by handle_response's lookup
  bool transport_open_ = true;  ///< false from handle_transport_closed to handle_transport_open
  std::deque<msg::Message> transmits_;
  std::deque<TxnEvent> events_;
};

}  // namespace wwp::txn
