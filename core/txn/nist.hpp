// Non-INVITE server transaction (RFC 3261 §17.2.2) over a reliable transport.
//
//                    start(): request to TU (by the layer)
//                               |
//                               v
//      retransmission:     +--------+
//      absorbed ---------->| Trying |
//                          +--------+
//                           |      | 1xx from TU: send
//                           |      v
//                           |  +------------+ 1xx from TU: send
//                           |  | Proceeding |<---------------+
//                           |  +------------+----------------+
//                           |      |   ^ retransmission: re-send last 1xx
//          200-699 from TU: |      |   |
//          send             v      v 200-699 from TU: send
//                         +-----------+ retransmission: re-send final
//                         | Completed |<--+
//                         +-----------+---+
//                               | Timer J (= 0 on reliable)
//                               v
//                         +------------+
//                         | Terminated |  (also from Trying/Proceeding on a
//                         +------------+   transport error: TU informed)
//
// Reliable transport: Timer J = 0 (§17.2.2: "64*T1 seconds for unreliable
// transports, and zero seconds for reliable transports").
#pragma once
#include "core/txn/txn_common.hpp"
#include "core/util/status.hpp"

namespace wwp::txn {

class Nist {
 public:
  enum class State { Trying, Proceeding, Completed, Terminated };

  Nist(msg::Message request, const TxnConfig& config);

  /// Enter Trying (nothing to send: the layer hands the request to the TU).
  Step start(TimePoint now);
  /// A retransmission of the request (§17.2.3 matched it).
  Step handle_request(const msg::Message& request, TimePoint now);
  /// The TU's response. Errors: InvalidArgument for a request or a status
  /// outside 100..699; InvalidState once a final was sent. Never fatal.
  Result<Step, UaError> respond(msg::Message response, TimePoint now);
  /// Fire Timer J.
  Step handle_timeout(TimePoint now);
  /// The connection failed (§17.2.4): inform the TU if it still owes a final.
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
  std::optional<msg::Message> last_response_;
  Timers timers_;
};

const char* to_string(Nist::State s);

}  // namespace wwp::txn
