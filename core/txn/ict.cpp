// RFC 3261 §17.1.1 (Figure 5) with the RFC 6026 §8.4 Accepted state,
// reliable-transport column of Table 4.
#include "core/txn/ict.hpp"

#include <cassert>

#include "core/msg/header_fields.hpp"

namespace wwp::txn {

const char* to_string(Ict::State s) {
  switch (s) {
    case Ict::State::Calling: return "Calling";
    case Ict::State::Proceeding: return "Proceeding";
    case Ict::State::Completed: return "Completed";
    case Ict::State::Accepted: return "Accepted";
    case Ict::State::Terminated: return "Terminated";
  }
  return "?";
}

msg::Message make_non2xx_ack(const msg::Message& invite, const msg::Message& response) {
  // §17.1.1.3: "The ACK request constructed by the client transaction MUST
  // contain values for the Call-ID, From, and Request-URI that are equal to
  // the values of those header fields in the request passed to the transport
  // by the client transaction ... The To header field in the ACK MUST equal
  // the To header field in the response being acknowledged ... The ACK MUST
  // contain a single Via header field, and this MUST be equal to the top Via
  // header field of the original request ... The CSeq header field in the ACK
  // MUST contain the same value for the sequence number as was present in the
  // original request, but the method parameter MUST be equal to "ACK". If the
  // INVITE request whose response is being acknowledged had Route header
  // fields, those header fields MUST appear in the ACK."
  msg::Message ack = msg::Message::request("ACK", invite.request_uri());
  if (const auto via = invite.get("Via")) {
    // A header line may hold several via-parms; keep only the first.
    const auto first = msg::split_list(*via);
    ack.add("Via", std::string(first.empty() ? *via : first.front()));
  }
  ack.add("Max-Forwards", "70");
  if (const auto from = invite.get("From")) ack.add("From", std::string(*from));
  if (const auto to = response.get("To")) ack.add("To", std::string(*to));
  if (const auto call_id = invite.get("Call-ID")) ack.add("Call-ID", std::string(*call_id));
  if (const auto cseq = invite.get("CSeq")) {
    if (const auto c = msg::parse_cseq(*cseq)) ack.add("CSeq", std::to_string(c->seq) + " ACK");
  }
  for (const auto& h : invite.headers())
    if (msg::header_name_equals(h.name, "Route")) ack.add(h.name, h.value);
  ack.set_body({});
  return ack;
}

Ict::Ict(msg::Message invite, const TxnConfig& config) : invite_(std::move(invite)), config_(config) {}

void Ict::transition(State next, TimePoint now) {
  const bool legal = [&] {
    switch (next) {
      case State::Calling: return false;  // only the initial state
      case State::Proceeding: return state_ == State::Calling;
      case State::Completed:
      case State::Accepted: return state_ == State::Calling || state_ == State::Proceeding;
      case State::Terminated: return state_ != State::Terminated;
    }
    return false;
  }();
  assert(legal && "illegal ICT transition");
  (void)legal;
  state_ = next;
  switch (next) {
    case State::Calling:
      break;
    case State::Proceeding:
      // §17.1.1.2: Timer B only bounds the Calling state.
      timers_.stop(TimerKind::B);
      break;
    case State::Completed:
      // "The client transaction SHOULD start timer D ... at least 32 seconds
      // for unreliable transports, and ... zero seconds for reliable".
      timers_.stop(TimerKind::B);
      timers_.set(TimerKind::D, now);
      break;
    case State::Accepted:
      // RFC 6026 §8.4: "the client transaction MUST ... start Timer M" = 64*T1.
      timers_.stop(TimerKind::B);
      timers_.set(TimerKind::M, now + config_.timer_64t1());
      break;
    case State::Terminated:
      timers_.clear();
      break;
  }
}

Step Ict::start(TimePoint now) {
  assert(!started_ && "Ict::start called twice");
  started_ = true;
  // §17.1.1.2: "For any transport, the client transaction MUST start timer B
  // with a value of 64*T1 seconds."
  timers_.set(TimerKind::B, now + config_.timer_64t1());
  Step s;
  s.transmit = invite_;
  return s;
}

Step Ict::handle_response(const msg::Message& response, TimePoint now) {
  Step s;
  const int status = response.status();
  switch (state_) {
    case State::Calling:
    case State::Proceeding:
      s.deliver = true;
      if (status < 200) {
        if (state_ == State::Calling) transition(State::Proceeding, now);
      } else if (status < 300) {
        transition(State::Accepted, now);
      } else {
        // "... the client transaction MUST pass the received response up to
        // the TU, and the client transaction MUST generate an ACK request".
        ack_ = make_non2xx_ack(invite_, response);
        s.transmit = ack_;
        transition(State::Completed, now);
      }
      break;
    case State::Completed:
      // "Any retransmissions of the final response that are received while in
      // the Completed state MUST cause the ACK to be re-passed to the
      // transport layer for retransmission, but the newly received response
      // MUST NOT be passed up to the TU."
      if (status >= 300) s.transmit = ack_;
      break;
    case State::Accepted:
      // RFC 6026 §8.4: "any 2xx responses that match this client transaction
      // and that are received while in the Accepted state MUST be passed up to
      // the TU"; anything else is absorbed.
      s.deliver = status >= 200 && status < 300;
      break;
    case State::Terminated:
      break;
  }
  return s;
}

Step Ict::handle_timeout(TimePoint now) {
  Step s;
  if (timers_.take_expired(TimerKind::B, now)) {
    // "If the client transaction is still in the Calling state when timer B
    // fires, the client transaction SHOULD inform the TU that a timeout has
    // occurred. The client transaction MUST NOT generate an ACK."
    s.failure = Failure::Timeout;
    transition(State::Terminated, now);
  } else if (timers_.take_expired(TimerKind::D, now) || timers_.take_expired(TimerKind::M, now)) {
    transition(State::Terminated, now);
  }
  return s;
}

Step Ict::handle_transport_error() {
  Step s;
  if (state_ == State::Calling || state_ == State::Proceeding) s.failure = Failure::TransportError;
  if (state_ != State::Terminated) transition(State::Terminated, 0);
  return s;
}

}  // namespace wwp::txn
