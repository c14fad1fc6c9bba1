// INVITE client transaction (RFC 3261 §17.1.1, with RFC 6026 §8.4 Accepted
// state) over a reliable transport.
//
//                 start(): send INVITE, Timer B = 64*T1
//                               |
//                               v
//                          +---------+  1xx: to TU   +------------+
//                          | Calling |-------------->| Proceeding |--+ 1xx: to TU
//                          +---------+               +------------+<-+
//   Timer B: TU gets 408 /  |   |   |  2xx: to TU     |        | 300-699: ACK, to TU
//   transport err: 503      |   |   +------------+    | 2xx:   |
//                           |   | 300-699:       |    | to TU  |
//                           |   | ACK, to TU     v    v        v
//                           |   |            +----------+  +-----------+
//                           |   +----------->|          |  |           |<-+ 300-699:
//                           |                | Accepted |  | Completed |  | re-ACK,
//                           |  2xx: to TU -->|          |  |           |--+ not to TU
//                           |  (M = 64*T1)   +----------+  +-----------+
//                           |                     | Timer M      | Timer D (= 0)
//                           v                     v              v
//                       +-------------------------------------------+
//                       |                Terminated                 |
//                       +-------------------------------------------+
//
//   state            input              action                    next
//   ---------------  -----------------  ------------------------  -----------
//   Calling          1xx                to TU                     Proceeding
//   Calling          Timer B            TU gets 408, no ACK       Terminated
//   Calling/Proc.    2xx                to TU                     Accepted
//   Calling/Proc.    300-699            send ACK, to TU           Completed
//   Calling/Proc.    transport error    TU gets 503               Terminated
//   Proceeding       1xx                to TU                     Proceeding
//   Completed        300-699            re-send ACK, absorbed     Completed
//   Completed        1xx, 2xx           absorbed                  Completed
//   Completed        Timer D            -                         Terminated
//   Accepted         2xx                to TU                     Accepted
//   Accepted         1xx, 300-699       absorbed                  Accepted
//   Accepted         Timer M            -                         Terminated
//   Completed/Acc.   transport error    - (TU already has final)  Terminated
//
// Duties implemented (RFC 3261 §17.1.1.2 unless noted):
//  - Timer B = 64*T1 runs only in Calling; Proceeding has no timeout (the TU
//    ends a ringing INVITE with CANCEL).
//  - 300-699: the transaction itself generates the ACK (§17.1.1.3, see
//    `make_non2xx_ack`) and re-sends it for every retransmitted final.
//  - 2xx: passed to the TU, which sends the ACK itself (§13.2.2.4). RFC 6026
//    §8.4 replaces "go to Terminated" with Accepted, so that further 2xx
//    (retransmissions, forked answers) still reach the TU for 64*T1.
//  - Reliable transport: no Timer A; Timer D = 0.
#pragma once
#include "core/txn/txn_common.hpp"

namespace wwp::txn {

class Ict {
 public:
  enum class State { Calling, Proceeding, Completed, Accepted, Terminated };

  /// `request` is an INVITE with its top Via (z9hG4bK branch) in place.
  Ict(msg::Message invite, const TxnConfig& config);

  /// Enter Calling: returns the INVITE to transmit and arms Timer B.
  Step start(TimePoint now);
  /// A response whose branch and CSeq method (INVITE) matched (§17.1.3).
  Step handle_response(const msg::Message& response, TimePoint now);
  /// Fire whichever timer is due (B, D or M).
  Step handle_timeout(TimePoint now);
  /// The connection failed (§17.1.4): inform the TU unless a final arrived.
  Step handle_transport_error();

  State state() const { return state_; }
  bool terminated() const { return state_ == State::Terminated; }
  TimePoint next_timeout() const { return timers_.next(); }
  const msg::Message& request() const { return invite_; }

 private:
  void transition(State next, TimePoint now);

  msg::Message invite_;
  TxnConfig config_;
  State state_ = State::Calling;
  bool started_ = false;
  msg::Message ack_;  ///< built on the first 300-699, re-sent on retransmissions
  Timers timers_;
};

const char* to_string(Ict::State s);

/// The ACK for a 300-699 response (RFC 3261 §17.1.1.3): Request-URI, Call-ID,
/// From and the top Via (only that one) of the INVITE; To of the response
/// (with its tag); CSeq with the INVITE's number and method ACK; the INVITE's
/// Route headers; Max-Forwards 70 and an empty body.
msg::Message make_non2xx_ack(const msg::Message& invite, const msg::Message& response);

}  // namespace wwp::txn
