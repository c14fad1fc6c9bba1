// RFC 3261 §17: owning, matching and timing the four transaction machines.
#include "core/txn/transaction_layer.hpp"

#include <algorithm>
#include <vector>

#include "core/msg/header_fields.hpp"
#include "core/msg/reply.hpp"
#include "core/txn/matching.hpp"

namespace wwp::txn {

const char* to_string(ResponseSource s) {
  switch (s) {
    case ResponseSource::Wire: return "wire";
    case ResponseSource::TimerB: return "Timer B";
    case ResponseSource::TimerF: return "Timer F";
    case ResponseSource::TransportClosed: return "transport closed";
  }
  return "?";
}

const char* to_string(ServerFailure f) {
  switch (f) {
    case ServerFailure::NoAck: return "Timer H: no ACK";
    case ServerFailure::TransportClosed: return "transport closed";
  }
  return "?";
}

const char* to_string(RequestDisposition d) {
  switch (d) {
    case RequestDisposition::NewTransaction: return "new transaction";
    case RequestDisposition::Retransmission: return "retransmission";
    case RequestDisposition::AckAbsorbed: return "ACK absorbed";
    case RequestDisposition::PassedToTu: return "passed to TU";
    case RequestDisposition::Malformed: return "malformed";
  }
  return "?";
}

const char* to_string(ResponseDisposition d) {
  switch (d) {
    case ResponseDisposition::Delivered: return "delivered";
    case ResponseDisposition::Absorbed: return "absorbed";
    case ResponseDisposition::Unmatched: return "unmatched";
    case ResponseDisposition::Malformed: return "malformed";
  }
  return "?";
}

TransactionLayer::TransactionLayer(TxnConfig config) : config_(config) {}

TxnId TransactionLayer::insert(Machine machine, std::string key, bool server) {
  const TxnId id{next_id_++};
  (server ? server_index_ : client_index_)[key] = id;
  txns_.emplace(id, Entry{std::move(machine), std::move(key), server});
  return id;
}

void TransactionLayer::reap(TxnId id) {
  const auto it = txns_.find(id);
  if (it == txns_.end()) return;
  const bool done = std::visit([](const auto& m) { return m.terminated(); }, it->second.machine);
  if (done) erase(it);
}

void TransactionLayer::erase(std::map<TxnId, Entry>::iterator it) {
  const Entry& entry = it->second;
  auto& index = entry.server ? server_index_ : client_index_;
  const auto ix = index.find(entry.key);
  if (ix != index.end() && ix->second == it->first) index.erase(ix);
  if (entry.armed != kNever) timers_.erase({entry.armed, it->first});
  txns_.erase(it);
}

void TransactionLayer::rearm(TxnId id, Entry& entry) {
  const TimePoint at = std::visit([](const auto& m) { return m.next_timeout(); }, entry.machine);
  if (at == entry.armed) return;
  if (entry.armed != kNever) timers_.erase({entry.armed, id});
  if (at != kNever) timers_.emplace(at, id);
  entry.armed = at;
}

msg::Message TransactionLayer::synthetic_response(const msg::Message& request, int status) const {
  // reSIProcate-style: the TU sees an ordinary response it can switch on.
  return msg::make_reply(request, status);
}

bool TransactionLayer::apply(TxnId id, Entry& entry, Step step, const msg::Message* input) {
  // Every change to a machine is a step, and every step comes through here.
  rearm(id, entry);
  if (step.transmit) transmits_.push_back(std::move(*step.transmit));
  bool delivered = false;
  if (step.deliver && input) {
    if (entry.server) events_.push_back(ReceivedAck{*input});
    else events_.push_back(ClientResponse{id, *input, ResponseSource::Wire, {}});
    delivered = true;
  }
  if (step.failure != Failure::None) {
    if (entry.server) {
      events_.push_back(ServerFailed{id, step.failure == Failure::Timeout ? ServerFailure::NoAck
                                                                          : ServerFailure::TransportClosed});
    } else {
      const msg::Message& request =
          std::visit([](const auto& m) -> const msg::Message& { return m.request(); }, entry.machine);
      const bool invite = std::holds_alternative<Ict>(entry.machine);
      const std::string ms = std::to_string(config_.timer_64t1());
      if (step.failure == Failure::Timeout) {
        events_.push_back(ClientResponse{
            id, synthetic_response(request, 408), invite ? ResponseSource::TimerB : ResponseSource::TimerF,
            std::string(invite ? "Timer B fired: no response to INVITE in " : "Timer F fired: no final response in ") +
                ms + " ms"});
      } else {
        events_.push_back(ClientResponse{id, synthetic_response(request, 503),
                                         ResponseSource::TransportClosed,
                                         "transport closed before a final response"});
      }
    }
  }
  return delivered;
}

// --- client side --------------------------------------------------------------

Result<TxnId, UaError> TransactionLayer::start_client(msg::Message request, TimePoint now) {
  if (!request.is_request())
    return ua_error(UaErrorCode::InvalidArgument, "start_client(): not a request");
  if (request.method() == "ACK") {
    // §17.1.1.3 / §13.2.2.4: an ACK is never a transaction of its own.
    return ua_error(UaErrorCode::InvalidArgument, "start_client(): ACK is not a transaction; use send_stateless()");
  }
  const auto via_value = request.get("Via");
  std::optional<msg::ViaView> via;
  if (via_value) {
    if (auto v = msg::parse_via_view(*via_value)) via = v.value();
  }
  if (!via || via->branch.substr(0, kMagicCookie.size()) != kMagicCookie)
    return ua_error(UaErrorCode::InvalidArgument,
                    "start_client(): top Via needs a z9hG4bK branch (RFC 3261 8.1.1.7)");
  const auto cseq_value = request.get("CSeq");
  std::optional<msg::CSeq> cseq;
  if (cseq_value) {
    if (auto c = msg::parse_cseq(*cseq_value)) cseq = std::move(c.value());
  }
  if (!cseq || cseq->method != request.method())
    return ua_error(UaErrorCode::InvalidArgument,
                    "start_client(): CSeq missing or its method differs (RFC 3261 8.1.1.5)");
  auto key = client_key(request);
  if (!key) return ua_error(UaErrorCode::InvalidArgument, "start_client(): unmatchable request");
  if (client_index_.count(*key))
    return ua_error(UaErrorCode::InvalidState, "start_client(): branch already in use by a live transaction");

  const bool invite = request.method() == "INVITE";
  Machine machine = invite ? Machine{Ict(std::move(request), config_)} : Machine{Nict(std::move(request), config_)};
  const TxnId id = insert(std::move(machine), std::move(*key), false);
  Entry& entry = txns_.at(id);
  Step step = std::visit(
      [now](auto& m) -> Step {
        if constexpr (std::is_same_v<std::decay_t<decltype(m)>, Ict> ||
                      std::is_same_v<std::decay_t<decltype(m)>, Nict>) {
          return m.start(now);
        } else {
          return {};
        }
      },
      entry.machine);
  if (!transport_open_) step.transmit.reset();  // nothing can carry it: see handle_transport_closed
  apply(id, entry, std::move(step), nullptr);
  if (!transport_open_) fail_on_closed_transport(id);
  return id;
}

ResponseDisposition TransactionLayer::handle_response(const msg::Message& response, TimePoint now) {
  if (!response.is_response() || !client_key_into(response, lookup_key_)) return ResponseDisposition::Malformed;
  const auto ix = client_index_.find(lookup_key_);
  if (ix == client_index_.end()) {
    return ResponseDisposition::Unmatched;
  }
  const TxnId id = ix->second;
  Entry& entry = txns_.at(id);
  Step step = std::visit(
      [&](auto& m) -> Step {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, Ict> || std::is_same_v<M, Nict>) {
          return m.handle_response(response, now);
        } else {
          return {};  // unreachable: the client index holds client machines only
        }
      },
      entry.machine);
  const bool delivered = apply(id, entry, std::move(step), &response);
  reap(id);
  return delivered ? ResponseDisposition::Delivered : ResponseDisposition::Absorbed;
}

// --- server side --------------------------------------------------------------

RequestDisposition TransactionLayer::handle_request(const msg::Message& request, TimePoint now) {
  if (!request.is_request()) return RequestDisposition::Malformed;
  const auto key = server_key(request);
  if (!key) return RequestDisposition::Malformed;
  const bool is_ack = request.method() == "ACK";
  const auto ix = server_index_.find(*key);
  if (ix == server_index_.end()) {
    if (is_ack) {
      // §17.2.1 / §13.3.1.4: the ACK for a 2xx has its own branch and is the
      // UAS core's business.
      events_.push_back(ReceivedAck{request});
      return RequestDisposition::PassedToTu;
    }
    const bool invite = request.method() == "INVITE";
    Machine machine = invite ? Machine{Ist(request, config_)} : Machine{Nist(request, config_)};
    const TxnId id = insert(std::move(machine), *key, true);
    Entry& entry = txns_.at(id);
    events_.push_back(ServerRequest{id, request});
    Step step = std::visit(
        [now](auto& m) -> Step {
          using M = std::decay_t<decltype(m)>;
          if constexpr (std::is_same_v<M, Ist> || std::is_same_v<M, Nist>) return m.start(now);
          else return {};
        },
        entry.machine);
    apply(id, entry, std::move(step), nullptr);
    return RequestDisposition::NewTransaction;
  }
  const TxnId id = ix->second;
  Entry& entry = txns_.at(id);
  if (is_ack && !std::holds_alternative<Ist>(entry.machine)) {
    // Cannot happen (ACK keys as INVITE, only ISTs hold INVITE keys); be safe.
    events_.push_back(ReceivedAck{request});
    return RequestDisposition::PassedToTu;
  }
  Step step = std::visit(
      [&](auto& m) -> Step {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, Ist> || std::is_same_v<M, Nist>) return m.handle_request(request, now);
        else return {};
      },
      entry.machine);
  const bool delivered = apply(id, entry, std::move(step), &request);
  reap(id);
  if (delivered) return RequestDisposition::PassedToTu;
  return is_ack ? RequestDisposition::AckAbsorbed : RequestDisposition::Retransmission;
}

Status TransactionLayer::respond(TxnId id, msg::Message response, TimePoint now) {
  const auto it = txns_.find(id);
  if (it == txns_.end())
    return ua_error(UaErrorCode::NotFound, "respond(): no such server transaction", 481);
  Entry& entry = it->second;
  if (!entry.server)
    return ua_error(UaErrorCode::InvalidArgument, "respond(): a client transaction cannot respond");
  Result<Step, UaError> step = std::visit(
      [&](auto& m) -> Result<Step, UaError> {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, Ist> || std::is_same_v<M, Nist>) return m.respond(std::move(response), now);
        else return Step{};
      },
      entry.machine);
  if (!step) return Err<UaError>{step.error()};
  apply(id, entry, std::move(step.value()), nullptr);
  reap(id);
  return ok_status();
}

std::optional<TxnId> TransactionLayer::find_invite_server_txn(const msg::Message& cancel) const {
  const auto key = server_key(cancel, "INVITE");
  if (!key) return std::nullopt;
  const auto ix = server_index_.find(*key);
  if (ix == server_index_.end()) return std::nullopt;
  return ix->second;
}

std::optional<TxnId> TransactionLayer::find_server_txn_for(const msg::Message& response) const {
  const auto cseq = msg::parse_cseq(response.get("CSeq").value_or(""));
  if (!cseq || cseq->method == "ACK") return std::nullopt;
  const auto key = server_key(response, cseq->method);
  if (!key) return std::nullopt;
  const auto ix = server_index_.find(*key);
  if (ix == server_index_.end()) return std::nullopt;
  return ix->second;
}

void TransactionLayer::send_stateless(msg::Message message) { transmits_.push_back(std::move(message)); }

// --- time and transport ---------------------------------------------------------

TimePoint TransactionLayer::next_timeout() const {
  return timers_.empty() ? kNever : timers_.begin()->first;
}

void TransactionLayer::handle_timeout(TimePoint now) {
  // Earliest first; a machine fires one timer per step and is re-filed
  // under its next deadline (or erased) before the next one is looked at.
  while (!timers_.empty() && timers_.begin()->first <= now) {
    const TxnId id = timers_.begin()->second;
    Entry& entry = txns_.at(id);
    Step step = std::visit([now](auto& m) { return m.handle_timeout(now); }, entry.machine);
    apply(id, entry, std::move(step), nullptr);
    reap(id);
  }
}

void TransactionLayer::handle_transport_closed(TimePoint /*now*/) {
  transport_open_ = false;
  std::vector<TxnId> ids;
  ids.reserve(txns_.size());
  for (const auto& [id, entry] : txns_) ids.push_back(id);
  for (const TxnId id : ids) fail_on_closed_transport(id);
}

void TransactionLayer::fail_on_closed_transport(TxnId id) {
  Entry& entry = txns_.at(id);
  Step step = std::visit([](auto& m) { return m.handle_transport_error(); }, entry.machine);
  step.transmit.reset();  // nothing can be sent any more
  apply(id, entry, std::move(step), nullptr);
  reap(id);
}

void TransactionLayer::abandon_client(TxnId id) {
  const auto it = txns_.find(id);
  if (it == txns_.end() || it->second.server) return;
  erase(it);
}

// --- outputs and introspection -------------------------------------------------------

std::optional<msg::Message> TransactionLayer::poll_transmit() {
  if (transmits_.empty()) return std::nullopt;
  auto m = std::move(transmits_.front());
  transmits_.pop_front();
  return m;
}

std::optional<TxnEvent> TransactionLayer::poll_event() {
  if (events_.empty()) return std::nullopt;
  auto e = std::move(events_.front());
  events_.pop_front();
  return e;
}

bool TransactionLayer::is_merged(TxnId id, const msg::Message& request) const {
  using msg::HeaderId;
  // Nothing to compare with (the usual case): no parsing at all.
  const auto other_server = [id](const auto& kv) { return kv.second.server && kv.first != id; };
  if (std::none_of(txns_.begin(), txns_.end(), other_server)) return false;
  // Only a request outside a dialog can be a merged copy (§8.2.2.2: "If the
  // request has no tag in the To header field").
  if (!msg::tag_view(request.get(HeaderId::To).value_or("")).tag().empty()) return false;
  const auto cseq = msg::parse_cseq_view(request.get(HeaderId::CSeq).value_or(""));
  const auto call_id = request.get(HeaderId::CallId);
  if (!cseq || !call_id) return false;
  const auto from = msg::tag_view(request.get(HeaderId::From).value_or(""));
  for (const auto& kv : txns_) {
    if (!other_server(kv)) continue;
    const msg::Message& other = *this->request(kv.first);
    // "the From tag, Call-ID, and CSeq exactly match": both number and method
    // (a CANCEL shares its INVITE's number and is no copy of it).
    if (other.get(HeaderId::CallId) != call_id) continue;
    const auto other_cseq = msg::parse_cseq_view(other.get(HeaderId::CSeq).value_or(""));
    if (!other_cseq || other_cseq->seq != cseq->seq || other_cseq->method != cseq->method) continue;
    if (msg::tag_view(other.get(HeaderId::From).value_or("")).tag() == from.tag()) return true;
  }
  return false;
}

const char* TransactionLayer::state_name(TxnId id) const {
  const auto it = txns_.find(id);
  if (it == txns_.end()) return "Terminated";
  return std::visit([](const auto& m) { return to_string(m.state()); }, it->second.machine);
}

const msg::Message* TransactionLayer::request(TxnId id) const {
  const auto it = txns_.find(id);
  if (it == txns_.end()) return nullptr;
  return std::visit([](const auto& m) { return &m.request(); }, it->second.machine);
}

}  // namespace wwp::txn
