// INVITE server transaction (RFC 3261 §17.2.1, with RFC 6026 §7.1/§8.7
// Accepted state) over a reliable transport.
//
//                    start(): INVITE to TU (by the layer); arm Timer Trying
//                               |
//                               v
//      Timer Trying: send  +------------+  1xx from TU: send
//      100 Trying -------->| Proceeding |<----------------+
//      INVITE: re-send  -->|            |-----------------+
//      last provisional    +------------+
//                           |    |     | transport error: inform TU
//           300-699 from TU:|    |     +---------------------------------+
//           send, Timer H   |    | 2xx from TU: send, Timer L (RFC 6026)  |
//                           v    v                                       |
//                 +-----------+ +----------+ INVITE: absorbed            |
//     INVITE: --->| Completed | | Accepted | ACK: to TU                  |
//     re-send     +-----------+ +----------+ 2xx from TU: send           |
//     final         |      |         | Timer L                           |
//     Timer H:      | ACK  |         |                                   |
//     inform TU     v      |         |                                   |
//           +-----------+  |         |                                   |
//   ACK, -->| Confirmed |  |         |                                   |
//   INVITE: +-----------+  |         |                                   |
//   absorbed  | Timer I=0  |         |                                   |
//             v            v         v                                   v
//           +-------------------------------------------------------------+
//           |                          Terminated                         |
//           +-------------------------------------------------------------+
//
// 100 Trying (§17.2.1: "the server transaction MUST generate a 100 (Trying)
// response unless it knows that the TU will generate a provisional or final
// response within 200 ms"): DECISION: the IST arms `TimerKind::Trying` for
// `TxnConfig::trying_delay` (200 ms by default) and sends 100 Trying itself
// only if the TU has not responded by then. A browser TU usually answers with
// 180 Ringing (or 486/603) at once, so the 100 is mostly saved; a TU that waits
// for the app still gets the 100 within 200 ms. `trying_delay = 0` sends the
// 100 immediately from `start()`.
//
// Reliable transport: Timer G (final-response retransmission) is never armed;
// Timer H = 64*T1; Timer I = 0; Timer L = 64*T1 (RFC 6026 §8.7).
#pragma once
#include "core/txn/txn_common.hpp"
#include "core/util/status.hpp"

namespace wwp::txn {

class Ist {
 public:
  enum class State { Proceeding, Completed, Confirmed, Accepted, Terminated };

  Ist(msg::Message invite, const TxnConfig& config);

  /// Enter Proceeding: arms Timer Trying (or returns 100 Trying at once).
  Step start(TimePoint now);
  /// A request matching this transaction (§17.2.3): an INVITE retransmission
  /// or an ACK. `Step::deliver` means "pass this ACK to the TU" (Accepted).
  Step handle_request(const msg::Message& request, TimePoint now);
  /// The TU's response. Errors (never fatal): InvalidArgument for a request
  /// or a status outside 100..699; InvalidState once a final other than 2xx
  /// was sent, or for a non-2xx after a 2xx. The caller must not retry them.
  Result<Step, UaError> respond(msg::Message response, TimePoint now);
  /// Fire whichever timer is due (Trying, H, I or L). H reports a Timeout.
  Step handle_timeout(TimePoint now);
  /// The connection failed (§17.2.4): inform the TU if it still owes a final.
  Step handle_transport_error();

  State state() const { return state_; }
  bool terminated() const { return state_ == State::Terminated; }
  TimePoint next_timeout() const { return timers_.next(); }
  const msg::Message& request() const { return invite_; }

 private:
  void transition(State next, TimePoint now);

  msg::Message invite_;
  TxnConfig config_;
  State state_ = State::Proceeding;
  bool started_ = false;
  std::optional<msg::Message> last_response_;  ///< re-sent on INVITE retransmissions
  Timers timers_;
};

const char* to_string(Ist::State s);

}  // namespace wwp::txn
