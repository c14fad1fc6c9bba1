// DTMF by SIP INFO on an established (or early) dialog, both ways; the
// bodies are read and built in dtmf_info.cpp. RFC 4733 telephone-events
// travel in the RTP and never pass through here.
#include "core/call/call.hpp"
#include "core/msg/header_fields.hpp"

namespace wwp::call {

void Call::on_dtmf_info(CallContext& ctx, txn::TxnId txn, const msg::Message& req, DtmfBody kind) {
  auto info = parse_dtmf_info(kind, req.body());
  if (!info) {
    // House style §11a: a malformed body is the sender's error, answered
    // 400 (RFC 3261 §21.4.1) and reported; the call goes on.
    ctx.dropped.push_back("DTMF INFO refused (400): " + info.error());
    return respond(ctx, txn, req, 400);
  }
  respond(ctx, txn, req, 200);
  ctx.events.push_back(DtmfReceived{handle_, info->digit, info->duration_ms});
}

Result<std::uint32_t, UaError> Call::send_dtmf_info(CallContext& ctx, std::string_view digits,
                                                    std::uint32_t duration_ms, TimePoint now) {
  if (digits.empty() || digits.size() > 64)
    return ua_error(UaErrorCode::InvalidArgument, "sendDtmf: 1 to 64 digits are needed for INFO");
  if (duration_ms == 0 || duration_ms > kMaxDtmfDurationMs)
    return ua_error(UaErrorCode::InvalidArgument, "sendDtmf: the duration must be 1 to 60000 ms");
  std::string upper;
  for (char c : digits) {
    const char d = dtmf_send_digit(c);
    if (!d)
      return ua_error(UaErrorCode::InvalidArgument,
                      "sendDtmf: INFO carries only 0-9 * # A-D (no ',' pauses), not \"" + std::string(digits) + "\"");
    upper += d;
  }
  if (state_ != State::Confirmed && state_ != State::Accepted && state_ != State::Early)
    return ua_error(UaErrorCode::InvalidState,
                    std::string("sendDtmf: the call is ") + to_string(state_) + ", no dialog to send INFO in");
  if (!dialog(ctx)) return ua_error(UaErrorCode::InvalidState, "sendDtmf: no dialog");
  const std::uint32_t id = next_request_++;
  dtmf_jobs_.push_back(DtmfJob{id, std::move(upper), 0, duration_ms});
  send_next_dtmf(ctx, now);
  return id;
}

void Call::send_next_dtmf(CallContext& ctx, TimePoint now) {
  while (!dtmf_client_ && !dtmf_jobs_.empty()) {
    DtmfJob& job = dtmf_jobs_.front();
    if (auto* d = dialog(ctx)) {
      auto req = new_request(ctx, *d, "INFO");
      if (req) {
        req->set_body(dtmf_relay_body(job.digits[job.next], job.duration_ms), "application/dtmf-relay");
        auto txn = ctx.txns.start_client(std::move(*req), now);
        if (txn) {
          dtmf_client_ = *txn;
          return;
        }
      }
    }
    // No dialog any more (the call is ending) or no transaction: this
    // command fails here, the next one gets its own try.
    ctx.events.push_back(RequestDone{handle_, job.id, 503, "SIP/2.0 503 DTMF INFO not sent: the dialog is gone"});
    dtmf_jobs_.pop_front();
  }
}

void Call::on_dtmf_response(CallContext& ctx, const msg::Message& r, TimePoint now) {
  if (r.status() < 200) return;
  dtmf_client_.reset();
  if (dtmf_jobs_.empty()) return;  // cannot happen: a DTMF INFO is sent for the front job
  DtmfJob& job = dtmf_jobs_.front();
  const bool ok = r.status() < 300;
  if (!ok || ++job.next == job.digits.size()) {
    ctx.events.push_back(RequestDone{handle_, job.id, r.status(), r.start_line()});
    dtmf_jobs_.pop_front();
  }
  // §12.2.1.2: 481/408 to an in-dialog request ends the dialog (RFC 5057).
  if ((r.status() == 481 || r.status() == 408) && state_ == State::Confirmed) {
    end(ctx, r.status(), "dialog gone: " + r.start_line());
    return;
  }
  if (state_ != State::Terminated && state_ != State::Terminating) send_next_dtmf(ctx, now);
}

}  // namespace wwp::call
