// RFC 3261 §17.2.2 (Figure 8), reliable-transport column of Table 4.
#include "core/txn/nist.hpp"

#include <cassert>

namespace wwp::txn {

const char* to_string(Nist::State s) {
  switch (s) {
    case Nist::State::Trying: return "Trying";
    case Nist::State::Proceeding: return "Proceeding";
    case Nist::State::Completed: return "Completed";
    case Nist::State::Terminated: return "Terminated";
  }
  return "?";
}

Nist::Nist(msg::Message request, const TxnConfig& config)
    : request_(std::move(request)), config_(config) {}

void Nist::transition(State next, TimePoint now) {
  const bool legal = [&] {
    switch (next) {
      case State::Trying: return false;  // only the initial state
      case State::Proceeding: return state_ == State::Trying;
      case State::Completed: return state_ == State::Trying || state_ == State::Proceeding;
      case State::Terminated: return state_ != State::Terminated;
    }
    return false;
  }();
  assert(legal && "illegal NIST transition");
  (void)legal;
  state_ = next;
  switch (next) {
    case State::Trying:
    case State::Proceeding:
      break;
    case State::Completed:
      // "the server transaction MUST set Timer J to fire in 64*T1 seconds for
      // unreliable transports, and zero seconds for reliable transports."
      timers_.set(TimerKind::J, now);
      break;
    case State::Terminated:
      timers_.clear();
      break;
  }
}

Step Nist::start(TimePoint /*now*/) {
  assert(!started_ && "Nist::start called twice");
  started_ = true;
  return {};
}

Step Nist::handle_request(const msg::Message& /*request*/, TimePoint /*now*/) {
  Step s;
  switch (state_) {
    case State::Trying:
      // "Once in the 'Trying' state, any further request retransmissions are
      // discarded."
      break;
    case State::Proceeding:
    case State::Completed:
      // "If a retransmission of the request is received while in the
      // 'Proceeding' state, the most recently sent provisional response MUST
      // be passed to the transport layer"; in Completed, "the server MUST
      // pass the final response to the transport layer for retransmission".
      s.transmit = last_response_;
      break;
    case State::Terminated:
      break;
  }
  return s;
}

Result<Step, UaError> Nist::respond(msg::Message response, TimePoint now) {
  const int status = response.status();
  if (!response.is_response() || status < 100 || status > 699)
    return ua_error(UaErrorCode::InvalidArgument, "NIST respond(): not a 1xx-6xx response", 500);
  if (state_ != State::Trying && state_ != State::Proceeding) {
    // "Any other final responses passed by the TU to the server transaction
    // MUST be discarded while in the 'Completed' state."
    return ua_error(UaErrorCode::InvalidState,
                    std::string("NIST respond(): final already sent (state ") + to_string(state_) + ")",
                    500);
  }
  Step s;
  s.transmit = response;
  last_response_ = std::move(response);
  if (status >= 200) transition(State::Completed, now);
  else if (state_ == State::Trying) transition(State::Proceeding, now);
  return s;
}

Step Nist::handle_timeout(TimePoint now) {
  if (timers_.take_expired(TimerKind::J, now)) transition(State::Terminated, now);
  return {};
}

Step Nist::handle_transport_error() {
  Step s;
  if (state_ == State::Trying || state_ == State::Proceeding) s.failure = Failure::TransportError;
  if (state_ != State::Terminated) transition(State::Terminated, 0);
  return s;
}

}  // namespace wwp::txn
