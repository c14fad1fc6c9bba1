// RFC 3261 §17.2.1 (Figure 7) with RFC 6026 §7.1/§8.7 (Accepted, Timer L),
// reliable-transport column of Table 4.
#include "core/txn/ist.hpp"

#include <cassert>

#include "core/msg/reply.hpp"

namespace wwp::txn {

const char* to_string(Ist::State s) {
  switch (s) {
    case Ist::State::Proceeding: return "Proceeding";
    case Ist::State::Completed: return "Completed";
    case Ist::State::Confirmed: return "Confirmed";
    case Ist::State::Accepted: return "Accepted";
    case Ist::State::Terminated: return "Terminated";
  }
  return "?";
}

Ist::Ist(msg::Message invite, const TxnConfig& config) : invite_(std::move(invite)), config_(config) {}

void Ist::transition(State next, TimePoint now) {
  const bool legal = [&] {
    switch (next) {
      case State::Proceeding: return false;  // only the initial state
      case State::Completed:
      case State::Accepted: return state_ == State::Proceeding;
      case State::Confirmed: return state_ == State::Completed;
      case State::Terminated: return state_ != State::Terminated;
    }
    return false;
  }();
  assert(legal && "illegal IST transition");
  (void)legal;
  state_ = next;
  timers_.stop(TimerKind::Trying);  // every exit from Proceeding ends it
  switch (next) {
    case State::Proceeding:
      break;
    case State::Completed:
      // "When the 'Completed' state is entered, timer H MUST be set to fire
      // in 64*T1 seconds for all transports."
      timers_.set(TimerKind::H, now + config_.timer_64t1());
      break;
    case State::Confirmed:
      // "timer I is set to fire in T4 seconds for unreliable transports, and
      // zero seconds for reliable transports."
      timers_.stop(TimerKind::H);
      timers_.set(TimerKind::I, now);
      break;
    case State::Accepted:
      // RFC 6026 §8.7: "the server transaction MUST ... start Timer L" (64*T1).
      timers_.set(TimerKind::L, now + config_.timer_64t1());
      break;
    case State::Terminated:
      timers_.clear();
      break;
  }
}

Step Ist::start(TimePoint now) {
  assert(!started_ && "Ist::start called twice");
  started_ = true;
  Step s;
  if (config_.trying_delay <= 0) {
    last_response_ = msg::make_reply(invite_, 100);
    s.transmit = last_response_;
  } else {
    timers_.set(TimerKind::Trying, now + config_.trying_delay);
  }
  return s;
}

Step Ist::handle_request(const msg::Message& request, TimePoint now) {
  Step s;
  const bool is_ack = request.method() == "ACK";
  switch (state_) {
    case State::Proceeding:
      // "If a request retransmission is received while in the 'Proceeding'
      // state, the most recent provisional response that was received from
      // the TU MUST be passed to the transport layer for retransmission."
      // An ACK cannot legitimately arrive before a final: absorbed.
      if (!is_ack && last_response_) s.transmit = last_response_;
      break;
    case State::Completed:
      if (is_ack) {
        // "If an ACK is received while the server transaction is in the
        // 'Completed' state, the server transaction MUST transition to the
        // 'Confirmed' state." The ACK is not passed up.
        transition(State::Confirmed, now);
      } else {
        // "while in the 'Completed' state, if a request retransmission is
        // received, the server SHOULD pass the response to the transport".
        s.transmit = last_response_;
      }
      break;
    case State::Confirmed:
      break;  // "absorb any additional ACK messages"; INVITEs alike
    case State::Accepted:
      // RFC 6026 §8.7: INVITE retransmissions are absorbed; an ACK that
      // matches is passed to the TU (it confirms the 2xx).
      s.deliver = is_ack;
      break;
    case State::Terminated:
      break;
  }
  return s;
}

Result<Step, UaError> Ist::respond(msg::Message response, TimePoint now) {
  const int status = response.status();
  if (!response.is_response() || status < 100 || status > 699)
    return ua_error(UaErrorCode::InvalidArgument, "IST respond(): not a 1xx-6xx response", 500);
  Step s;
  switch (state_) {
    case State::Proceeding:
      s.transmit = response;
      last_response_ = std::move(response);
      // "If, while in the 'Proceeding' state, the TU passes a 2xx response to
      // the server transaction, the server transaction MUST pass this response
      // down to the transport layer" and (RFC 6026 §8.5) enter Accepted;
      // a 300-699 moves to Completed.
      if (status >= 300) transition(State::Completed, now);
      else if (status >= 200) transition(State::Accepted, now);
      else timers_.stop(TimerKind::Trying);  // the TU spoke in time
      return s;
    case State::Accepted:
      // RFC 6026 §8.7: "2xx from TU: send response" (the UAS core's 2xx
      // retransmissions, §13.3.1.4).
      if (status >= 200 && status < 300) {
        s.transmit = std::move(response);
        return s;
      }
      return ua_error(UaErrorCode::InvalidState,
                      "IST respond(): only 2xx may follow a 2xx", 500);
    case State::Completed:
    case State::Confirmed:
    case State::Terminated:
      break;
  }
  return ua_error(UaErrorCode::InvalidState,
                  std::string("IST respond(): final already sent (state ") + to_string(state_) + ")",
                  500);
}

Step Ist::handle_timeout(TimePoint now) {
  Step s;
  if (timers_.take_expired(TimerKind::Trying, now)) {
    // §17.2.1: the TU has been silent for 200 ms.
    last_response_ = msg::make_reply(invite_, 100);
    s.transmit = last_response_;
  } else if (timers_.take_expired(TimerKind::H, now)) {
    // "If timer H fires while in the 'Completed' state, it implies that the
    // ACK was never received. In this case, the server transaction MUST
    // transition to the 'Terminated' state, and MUST indicate to the TU that
    // a transaction failure has occurred."
    s.failure = Failure::Timeout;
    transition(State::Terminated, now);
  } else if (timers_.take_expired(TimerKind::I, now) || timers_.take_expired(TimerKind::L, now)) {
    transition(State::Terminated, now);
  }
  return s;
}

Step Ist::handle_transport_error() {
  Step s;
  // §17.2.4: a failure to send the response is reported to the TU; only a
  // transaction whose TU still owes a final has anyone left to care.
  if (state_ == State::Proceeding) s.failure = Failure::TransportError;
  if (state_ != State::Terminated) transition(State::Terminated, 0);
  return s;
}

}  // namespace wwp::txn
