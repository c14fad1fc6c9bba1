// Non-INVITE client transaction (RFC 3261 §17.1.2) over a reliable transport.
//
//                      start() (request handed to the transport, Timer F)
//                               |
//                               v
//      Timer F / transport  +--------+ 1xx: to TU
//      error: inform TU  <--| Trying |------------------+
//      (408 / 503)          +--------+                  v
//             ^                 | 200-699:        +------------+ 1xx: to TU
//             |                 | to TU           | Proceeding |-----+
//             +-----------------|-----------------+------------+<----+
//                               v                        | 200-699: to TU
//                         +-----------+ <----------------+
//                         | Completed |  responses: absorbed
//                         +-----------+  (Timer K = 0 on reliable)
//                               | Timer K
//                               v
//                         +------------+
//                         | Terminated |
//                         +------------+
//
// Reliable transport: Timer E (request retransmission) is never armed
// (§17.1.2.2: "if an unreliable transport is in use, the client transaction
// MUST set timer E"); Timer F = 64*T1 runs from start() in Trying AND
// Proceeding; Timer K = 0.
#pragma once
#include "core/txn/txn_common.hpp"

namespace wwp::txn {

class Nict {
 public:
  enum class State { Trying, Proceeding, Completed, Terminated };

  /// `request` is any non-INVITE, non-ACK request with its top Via in place.
  Nict(msg::Message request, const TxnConfig& config);

  /// Enter Trying: returns the request to transmit and arms Timer F.
  Step start(TimePoint now);
  /// A response whose branch and CSeq method matched (§17.1.3).
  Step handle_response(const msg::Message& response, TimePoint now);
  /// Fire whichever timer is due (F or K).
  Step handle_timeout(TimePoint now);
  /// The connection failed (§17.1.4): inform the TU unless already Completed.
  Step handle_transport_error();

  State state() const { return state_; }
  bool terminated() const { return state_ == State::Terminated; }
  TimePoint next_timeout() const { return timers_.next(); }
  const msg::Message& request() const { return request_; }

 private:
  void transition(State next, TimePoint now);

  msg::Message request_;
  TxnConfig config_;
  State state_ = State::Trying;
  bool started_ = false;
  Timers timers_;
};

const char* to_string(Nict::State s);

}  // namespace wwp::txn
