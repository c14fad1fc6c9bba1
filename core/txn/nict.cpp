// RFC 3261 §17.1.2.2 (Figure 6), reliable-transport column of Table 4.
#include "core/txn/nict.hpp"

#include <cassert>

namespace wwp::txn {

const char* to_string(Nict::State s) {
  switch (s) {
    case Nict::State::Trying: return "Trying";
    case Nict::State::Proceeding: return "Proceeding";
    case Nict::State::Completed: return "Completed";
    case Nict::State::Terminated: return "Terminated";
  }
  return "?";
}

Nict::Nict(msg::Message request, const TxnConfig& config)
    : request_(std::move(request)), config_(config) {}

void Nict::transition(State next, TimePoint now) {
  const bool legal = [&] {
    switch (next) {
      case State::Trying: return false;  // only the initial state
      case State::Proceeding: return state_ == State::Trying;
      case State::Completed: return state_ == State::Trying || state_ == State::Proceeding;
      case State::Terminated: return state_ != State::Terminated;
    }
    return false;
  }();
  assert(legal && "illegal NICT transition");
  (void)legal;
  state_ = next;
  switch (next) {
    case State::Trying:
    case State::Proceeding:
      break;  // Timer F keeps running: it bounds the whole transaction
    case State::Completed:
      // §17.1.2.2: "the client transaction enters the Completed state ... it
      // MUST set Timer K to fire in T4 seconds for unreliable transports, and
      // zero seconds for reliable transports."
      timers_.stop(TimerKind::F);
      timers_.set(TimerKind::K, now);
      break;
    case State::Terminated:
      timers_.clear();
      break;
  }
}

Step Nict::start(TimePoint now) {
  assert(!started_ && "Nict::start called twice");
  started_ = true;
  // §17.1.2.2: "the client transaction MUST set timer F to fire in 64*T1".
  timers_.set(TimerKind::F, now + config_.timer_64t1());
  Step s;
  s.transmit = request_;
  return s;
}

Step Nict::handle_response(const msg::Message& response, TimePoint now) {
  Step s;
  const bool provisional = response.status() < 200;
  switch (state_) {
    case State::Trying:
    case State::Proceeding:
      // "If a provisional response is received while in the Trying state,
      // the response MUST be passed to the TU, and then the client
      // transaction SHOULD move to the Proceeding state." Finals are passed
      // up and move us to Completed from either state.
      s.deliver = true;
      if (!provisional) transition(State::Completed, now);
      else if (state_ == State::Trying) transition(State::Proceeding, now);
      break;
    case State::Completed:
    case State::Terminated:
      break;  // "buffer any retransmissions of the final response": absorbed
  }
  return s;
}

Step Nict::handle_timeout(TimePoint now) {
  Step s;
  if (timers_.take_expired(TimerKind::F, now)) {
    // "If Timer F fires while in either [Trying or Proceeding] the client
    // transaction SHOULD inform the TU about the timeout, and then it SHOULD
    // enter the Terminated state."
    s.failure = Failure::Timeout;
    transition(State::Terminated, now);
  } else if (timers_.take_expired(TimerKind::K, now)) {
    transition(State::Terminated, now);
  }
  return s;
}

Step Nict::handle_transport_error() {
  Step s;
  if (state_ == State::Trying || state_ == State::Proceeding) s.failure = Failure::TransportError;
  if (state_ != State::Terminated) transition(State::Terminated, 0);
  return s;
}

}  // namespace wwp::txn
