// The UA: parses what arrives, hands it to the transaction layer, and
// demultiplexes what comes out to registration, calls and dialogs
// (RFC 3261 §8, §12.2.2, §17). Requests nothing claims get the right error.
#include "core/ua/ua.hpp"

#include <algorithm>
#include <cctype>

#include "core/config/capabilities.hpp"
#include "core/dialog/replaces.hpp"
#include "core/msg/header_fields.hpp"
#include "core/msg/parser.hpp"
#include "core/msg/reply.hpp"
#include "core/msg/salvage.hpp"
#include "core/msg/scan.hpp"
#include "core/rc/commands.hpp"
#include "core/sdp/sdp_body.hpp"
#include "core/ua/app_request.hpp"
#include "core/ua/request_checks.hpp"

namespace wwp::ua {

namespace {
bool is_invite_2xx(const msg::Message& response) {
  const auto cseq = msg::parse_cseq_view(response.get(msg::HeaderId::CSeq).value_or(""));
  return response.status() >= 200 && response.status() < 300 && cseq && cseq->method == "INVITE";
}

txn::TxnConfig txn_config(const Config& c) {
  txn::TxnConfig t;
  t.t1 = c.t1;
  // We always answer an INVITE with 100+180 at once, so the IST never needs
  // to send its own 100 (RFC 3261 §17.2.1).
  return t;
}
}  // namespace

Ua::Ua(Config config)
    : config_(std::move(config)),
      rng_(config_.rng_seed),
      registration_(config_, rng_),
      txns_(txn_config(config_)) {
  if (config_.contact_host.empty()) config_.contact_host = rng_.token(12) + ".invalid";
  if (config_.instance_id.empty()) config_.instance_id = config_.authorization_id;
  contact_uri_ = registration_.contact_uri();
}

call::CallContext Ua::context(TimePoint now) {
  return call::CallContext{config_, rng_, txns_, dialogs_, call_events_, call_dropped_, contact_uri_, now};
}

void Ua::handle_input(const Input& input) {
  fresh_ = false;
  TimePoint now;
  if (const auto* r = std::get_if<Received>(&input)) {
    now = r->now;
    handle_received(r->bytes, now, r->frame_size);
  } else {
    now = std::get<Tick>(input).now;
    fire_timers(now);
  }
  collect(now);
}

void Ua::fire_timers(TimePoint now) {
  supervisor_.set_has_calls(!calls_.empty());
  supervisor_.handle_timeout(now);
  registration_.handle_timeout(now);
  txns_.handle_timeout(now);
  auto ctx = context(now);
  for (auto& [handle, c] : calls_)
    if (c.next_timeout() <= now) c.handle_timeout(ctx, now);
  for (auto& [id, s] : subs_)
    if (s.next_timeout() <= now) s.handle_timeout(now);
  for (auto& [ev, p] : pubs_)
    if (p.next_timeout() <= now) p.handle_timeout(config_, rng_, now);
}

Status Ua::start_register(TimePoint now, std::uint32_t expires) {
  fresh_ = false;
  auto s = registration_.start(now, expires);
  collect(now);
  return s;
}

Status Ua::unregister(TimePoint now) {
  supervisor_.stop(now);  // an unregistered phone is not kept registered
  if (leaving_flow_ && registration_.state() == reg::State::Unregistering) {
    // Our own unREGISTER before returning to the primary is already out:
    // it becomes the app's. Its answer now reaches the app as Unregistered,
    // and no return follows (the supervisor is stopped). It was refused as
    // "already unregistering", and the phone went back to the primary.
    leaving_flow_ = false;
    collect(now);
    return ok_status();
  }
  auto s = registration_.stop(now);
  collect(now);
  return s;
}

void Ua::handle_transport_open(flow::Server server, TimePoint now) {
  fresh_ = false;
  txns_.handle_transport_open();
  supervisor_.handle_transport_open(server, now);
  // A recovered flow: register on it at once, with the same Call-ID,
  // instance and Contact, so the registrar replaces our binding instead of
  // adding a second one (RFC 3261 §10.2.4, RFC 5626 §4.2).
  if (supervisor_.recovering() && supervisor_.state() == flow::State::Connected) (void)registration_.start(now);
  collect(now);
}

void Ua::handle_transport_closed(TimePoint now, std::string_view reason, bool replaced) {
  if (replaced) {
    supervisor_.stop(now);
    // The app moved the phone to a new socket (start() again, perhaps to the
    // backup) with calls up: the server routes their in-dialog requests by
    // the connection they were set up on (RFC 5626 §5.3, Kamailio's alias),
    // which is gone. Once registered on the new one, each answered call
    // restarts its media there; the re-INVITE is the target refresh that
    // tells the server where the call now is (§12.2.1.1), as after an outage.
    for (auto& [h, c] : calls_)
      if (c.state() == call::State::Confirmed && std::find(media_to_restart_.begin(), media_to_restart_.end(), h) == media_to_restart_.end())
        media_to_restart_.push_back(h);
  }
  // The supervisor first: once it counts an outage, the registration's
  // "transport closed" failure is part of it, not news for the app.
  supervisor_.set_has_calls(!calls_.empty());
  supervisor_.handle_transport_closed(reason.empty() ? std::string("connection closed") : std::string(reason), now);
  registration_.handle_transport_closed(now, replaced);
  txns_.handle_transport_closed(now);
  collect(now);
}

void Ua::handle_network(bool online, TimePoint now) {
  supervisor_.handle_network(online, now);
  collect(now);
}

// --- calls ----------------------------------------------------------------

call::Call* Ua::find_call(call::CallHandle handle) {
  auto it = calls_.find(handle);
  return it == calls_.end() ? nullptr : &it->second;
}

call::Call* Ua::call_for_dialog(const dialog::Dialog* d) {
  if (!d) return nullptr;
  for (auto& [h, c] : calls_)
    if (c.has_dialog(d->id())) return &c;
  return nullptr;
}

template <class F>
Status Ua::with_call(call::CallHandle handle, TimePoint now, F&& f) {
  call::Call* c = find_call(handle);
  if (!c) return ua_error(UaErrorCode::NotFound, "no such call (it has ended)");
  auto ctx = context(now);
  Status s = f(*c, ctx);
  collect(now);
  return s;
}

Result<call::CallHandle, UaError> Ua::invite(const call::InviteParams& params, TimePoint now) {
  if (!registration_.has_binding())
    return ua_error(UaErrorCode::InvalidState, "not registered: call start() first", 0);
  fresh_ = false;
  auto ctx = context(now);
  const call::CallHandle handle = next_call_++;
  auto c = call::Call::start_outbound(handle, ctx, params, now);
  if (!c) return Err<UaError>{c.error()};
  calls_.emplace(handle, std::move(*c));
  collect(now);
  return handle;
}

Status Ua::answer(call::CallHandle h, const std::string& sdp, TimePoint now, bool early) {
  return with_call(h, now, [&](call::Call& c, call::CallContext& ctx) { return c.answer(ctx, sdp, now, early); });
}
Status Ua::reject(call::CallHandle h, int status, TimePoint now) {
  return with_call(h, now, [&](call::Call& c, call::CallContext& ctx) { return c.reject(ctx, status, now); });
}
Result<std::uint32_t, UaError> Ua::decline(call::CallHandle h, TimePoint now) {
  call::Call* c = find_call(h);
  if (!c) return ua_error(UaErrorCode::NotFound, "no such call (it has ended)");
  if (c->is_rc()) return rc_command(h, call::Call::RcCommand::Decline, {}, {}, now);
  auto s = reject(h, 603, now);
  if (!s) return Err<UaError>{s.error()};
  return std::uint32_t{0};
}
Status Ua::hangup(call::CallHandle h, TimePoint now) {
  return with_call(h, now, [&](call::Call& c, call::CallContext& ctx) { return c.hangup(ctx, now); });
}
Status Ua::hold(call::CallHandle h, bool hold, TimePoint now) {
  return with_call(h, now, [&](call::Call& c, call::CallContext& ctx) { return c.hold(ctx, hold, now); });
}
Status Ua::reinvite(call::CallHandle h, std::string offer, bool to_receive, TimePoint now) {
  return with_call(h, now, [&](call::Call& c, call::CallContext& ctx) {
    return c.reinvite(ctx, std::move(offer), to_receive, now);
  });
}
Status Ua::answer_reinvite(call::CallHandle h, const std::string& sdp, TimePoint now, bool hold) {
  return with_call(h, now, [&](call::Call& c, call::CallContext& ctx) { return c.answer_reinvite(ctx, sdp, now, hold); });
}
Status Ua::refer(call::CallHandle h, const std::string& target, TimePoint now) {
  return with_call(h, now, [&](call::Call& c, call::CallContext& ctx) { return c.refer(ctx, target, now); });
}
Result<std::uint32_t, UaError> Ua::send_request(call::CallHandle h, const std::string& method,
                                                const std::string& content_type,
                                                const std::string& body, TimePoint now) {
  call::Call* c = find_call(h);
  if (!c) return ua_error(UaErrorCode::NotFound, "no such call (it has ended)");
  auto ctx = context(now);
  auto r = c->send_request(ctx, method, content_type, body, now);
  collect(now);
  return r;
}
Result<std::uint32_t, UaError> Ua::send_dtmf_info(call::CallHandle h, std::string_view digits,
                                                  std::uint32_t duration_ms, TimePoint now) {
  call::Call* c = find_call(h);
  if (!c) return ua_error(UaErrorCode::NotFound, "no such call (it has ended)");
  auto ctx = context(now);
  auto r = c->send_dtmf_info(ctx, digits, duration_ms, now);
  collect(now);
  return r;
}
namespace {
/// RFC 3261 §19.1.1 escaping for a value inside a URI header (`?Replaces=`).
std::string uri_escape(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || std::string_view("-_.!~*'()").find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}
}  // namespace

Status Ua::refer_progress(call::CallHandle h, int status, TimePoint now) {
  return with_call(h, now, [&](call::Call& c, call::CallContext& ctx) { return c.refer_progress(ctx, status, now); });
}

Status Ua::refer_replaces(call::CallHandle h, call::CallHandle other, TimePoint now) {
  const call::Call* target = find_call(other);
  const dialog::Dialog* d = target && target->dialog_id() ? dialogs_.find(*target->dialog_id()) : nullptr;
  if (!d) return ua_error(UaErrorCode::NotFound, "completeWarmTransfer: the other call has no dialog");
  const auto remote = msg::parse_name_addr(d->remote_party());
  if (!remote) return ua_error(UaErrorCode::InvalidState, "completeWarmTransfer: unusable remote party");
  // RFC 3891 §3: to-tag/from-tag as the transfer target sees its dialog.
  const std::string replaces = uri_escape(d->id().call_id) + "%3Bto-tag%3D" + uri_escape(d->id().remote_tag) +
                               "%3Bfrom-tag%3D" + uri_escape(d->id().local_tag);
  std::string value = "<" + std::string(remote->uri_text()) + "?Replaces=" + replaces + ">";
  return with_call(h, now, [&](call::Call& c, call::CallContext& ctx) { return c.refer_to(ctx, value, now); });
}

Result<std::uint32_t, UaError> Ua::rc_command(call::CallHandle h, call::Call::RcCommand command,
                                              const std::string& target, const rc::LooseReplyArgs& reply,
                                              TimePoint now) {
  call::Call* c = find_call(h);
  if (!c) return ua_error(UaErrorCode::NotFound, "no such call (it has ended)");
  auto ctx = context(now);
  auto r = c->rc_command(ctx, command, target, reply, now);
  collect(now);
  return r;
}

Result<std::uint64_t, UaError> Ua::rc_info(call::CallHandle h, const std::string& command,
                                           const std::string& target, TimePoint now) {
  call::Call* c = find_call(h);
  if (!c) return ua_error(UaErrorCode::NotFound, "no such call (it has ended)");
  auto ctx = context(now);
  auto r = c->rc_info(ctx, command, target, now);
  collect(now);
  return r;
}

Result<std::uint32_t, UaError> Ua::send_app_message(std::string_view text, TimePoint now) {
  auto parsed = parse_app_message(text, "send()");
  if (!parsed) return Err<UaError>{parsed.error()};
  msg::Message m = std::move(parsed.value());
  if (m.is_response()) {
    auto s = do_send_app_response(std::move(m), now);
    if (!s) return Err<UaError>{s.error()};
    return std::uint32_t{0};
  }
  if (!registration_.has_binding())
    return ua_error(UaErrorCode::InvalidState, "request(): not registered: call start() first");
  auto prepared = prepare_app_request(std::move(m), config_, rng_);
  if (!prepared) return Err<UaError>{prepared.error()};
  // §12.2.1.1: in-dialog requests take the dialog's CSeq and route set; one
  // the app numbered itself would break the call's CSeq order at the peer.
  const dialog::DialogId as_ours{std::string(prepared->get("Call-ID").value_or("")),
                                 msg::tag_of(prepared->get("From").value_or("")).value_or(""),
                                 msg::tag_of(prepared->get("To").value_or("")).value_or("")};
  if (dialogs_.find(as_ours))
    return ua_error(UaErrorCode::Unsupported,
                    "request(): this request is inside a call's dialog; use the CallSession methods");
  auto txn = txns_.start_client(std::move(prepared.value()), now);
  if (!txn) return Err<UaError>{txn.error()};
  const std::uint32_t id = next_app_request_++;
  app_requests_.emplace(*txn, id);
  collect(now);
  return id;
}

Status Ua::do_send_app_response(msg::Message m, TimePoint now) {
  if (auto s = check_app_response(m); !s) return s;
  const auto txn = txns_.find_server_txn_for(m);
  if (!txn)
    return ua_error(UaErrorCode::NotFound,
                    "reply(): no request is waiting for this response (the SIP core answers every request it "
                    "receives; see README \"Raw SIP messages\")");
  for (const auto& [h, c] : calls_)
    if (c.owns_server_txn(*txn) || c.is_invite_server(*txn))
      return ua_error(UaErrorCode::Unsupported,
                      "reply(): this request belongs to a call; use the CallSession methods (answer, decline, …)");
  auto s = txns_.respond(*txn, std::move(m), now);
  collect(now);
  if (!s) return ua_error(s.error().code, "reply(): " + s.error().message);
  return ok_status();
}

const std::vector<std::pair<std::string, std::string>>* Ua::rc_call_info(call::CallHandle h) const {
  auto it = calls_.find(h);
  if (it == calls_.end() || !it->second.has_rc_call_info()) return nullptr;
  return &it->second.rc_call_info();
}

std::string Ua::call_id(call::CallHandle h) const {
  auto it = calls_.find(h);
  return it == calls_.end() ? std::string() : it->second.call_id();
}

// --- received bytes ----------------------------------------------------------

void Ua::handle_received(std::string_view bytes, TimePoint now, std::size_t frame_size) {
  // RFC 5626 §3.5.1 keep-alive (CRLF) frames carry no message; one from the
  // server is the pong to our ping (§4.4.1).
  const bool keepalive = bytes.find_first_not_of("\r\n") == std::string_view::npos;
  if (supervisor_.enabled()) supervisor_.handle_received(keepalive, now);
  if (keepalive) return;
  // The view parse allocates nothing; the Message is one copy of the bytes
  // plus a vector of spans (core/msg/message.hpp), shared with the trace.
  auto parsed = msg::parse_view_into(bytes, scratch_);
  if (!parsed) return reply_to_malformed(bytes, parsed.error(), frame_size);
  // The previous frame's message object is reused when nothing holds it any
  // more (its trace was drained, no event kept it): no allocation per frame.
  // Whoever still holds it (an undrained trace, a driver that keeps events)
  // keeps it unchanged, and this frame gets a new one.
  if (!rx_ || rx_.use_count() != 1) rx_ = std::make_shared<msg::Message>();
  msg::to_message_into(scratch_, *rx_);
  std::shared_ptr<const msg::Message> shared = rx_;
  rx_->set_trace_id(next_trace_++);
  if (next_trace_ == 0) next_trace_ = 1;  // 0 means "never traced"
  const msg::Message& m = *shared;
  // RFC 3261 §8.1.3.3 / §8.2: messages missing the mandatory headers cannot
  // be matched to anything; a request gets 400 so the sender learns why.
  using msg::HeaderId;
  const auto cseq = m.get(HeaderId::CSeq);
  const bool complete = m.get(HeaderId::Via) && m.get(HeaderId::CallId) && cseq && m.get(HeaderId::From) &&
                        m.get(HeaderId::To) && msg::parse_cseq_view(*cseq);
  out_.push_back(Event{MessageTraced{true, std::move(shared), scratch_.offset}});
  if (!complete) {
    if (m.is_request() && m.method() != "ACK" && m.has("Via")) {
      msg::Message r = msg::make_reply(m, 400, {}, "Bad Request - missing or malformed mandatory header");
      send(std::move(r));
    }
    out_.push_back(Event{Dropped{"SIP message without valid Via/From/To/Call-ID/CSeq"}});
    return;
  }
  if (m.is_request()) {
    // §8.2: requests whose parts disagree are answered here, statelessly:
    // they start no transaction and reach no call (request_checks.hpp).
    if (const RequestVerdict v = check_request(m); v.status != 0) {
      std::string why = "request refused: ";
      why += v.reason;
      if (m.method() == "ACK") {
        why += " (an ACK is never answered)";  // §17.1.1.3
      } else {
        msg::Message reply = make_reply(m, v.status, rng_.token(12), v.reason);
        if (!v.unsupported.empty()) reply.add("Unsupported", v.unsupported);  // §8.2.2.3
        send(std::move(reply));
      }
      out_.push_back(Event{Dropped{std::move(why)}});
      return;
    }
  }
  if (m.is_response()) {
    // Every response goes through the transaction layer (§17.1.3); the TU
    // (registration or a call) hears of it as a ClientResponse.
    if (txns_.handle_response(m, now) == txn::ResponseDisposition::Unmatched) handle_stray_response(m, now);
    return;
  }
  const auto disposition = txns_.handle_request(m, now);
  if (disposition == txn::RequestDisposition::Malformed) {
    // No transaction can be keyed on it (an empty branch, a port past
    // 65535, a Via that is not one), but the reply still has its way back:
    // the WebSocket it came on (RFC 7118 §5; §18.2.2's Via rules are for
    // datagrams). §8.2 / §21.4.1: answered 400 statelessly, or the sender
    // would retransmit it for 32 s waiting. An ACK is never answered.
    if (m.method() != "ACK")
      send(msg::make_reply(m, 400, rng_.token(12), "Bad Request - malformed Via"));
    out_.push_back(Event{Dropped{"request without a usable Via branch or CSeq"}});
  }
}

void Ua::reply_to_malformed(std::string_view bytes, const msg::ParseError& error, std::size_t frame_size) {
  // RFC 3261 §21.4 / §21.5: the parse error's hint (400; 505 for a
  // SIP-Version other than 2.0, §21.5.6; 513 past a size limit, §21.5.14).
  // A WebSocket frame is one whole message (RFC 7118 §5), so `Incomplete`
  // here means the frame ended before the body Content-Length announced, or
  // before the header section ended: §18.3 "If the transport packet ends
  // before the end of the message body ... If the message is a request, the
  // element SHOULD generate a 400 (Bad Request) response."
  const int status = error.code == msg::ParseErrorCode::Incomplete ? 400 : msg::status_hint(error.code);
  std::string why = "malformed SIP message: " + msg::to_string(error);
  if (frame_size > bytes.size()) why += " (a frame of " + std::to_string(frame_size) + " bytes)";
  if (status != 0) {
    // The reply is built from the request's own Via, From, To, Call-ID and
    // CSeq (§8.2.6.2). Without all five (or from a response, or an ACK)
    // there is nobody to address it to, so the frame is only dropped: a
    // response the peer cannot match to its request helps nobody, and
    // answering unaddressable bytes would make us a reflector.
    const std::size_t scan_limit = msg::ParseLimits{}.max_message_size;
    if (auto request = msg::salvage_reply_headers(bytes, scan_limit)) {
      send(make_reply(*request, status, rng_.token(12)));
      why += "; answered ";
      why += std::to_string(status);
    }
  }
  out_.push_back(Event{Dropped{std::move(why)}});
}

void Ua::handle_stray_response(const msg::Message& response, TimePoint now) {
  // §18.1.2: "If the value of the sent-by parameter in that header field
  // value does not correspond to a value that the client transport is
  // configured to insert into requests, the response MUST be silently
  // discarded." Every Via we send has our contact host; a 2xx misrouted
  // from another device's call must not be ACKed and BYEd from here. (A
  // response that matched a transaction carries our random branch, so
  // only the unmatched ones need the check.)
  const auto via = msg::parse_via_view(response.get(msg::HeaderId::Via).value_or(""));
  if (!via || !msg::scan::iequals(via->host, config_.contact_host)) {
    out_.push_back(Event{Dropped{"response not sent to us: its top Via is not ours (RFC 3261 §18.1.2)"}});
    return;
  }
  // §13.2.2.4: a 2xx for an INVITE whose transaction has ended is ACKed:
  // again by its call, or with a BYE when no call wants it.
  if (is_invite_2xx(response) && handle_unowned_invite_2xx(response, now)) return;
  static constexpr std::string_view kWhy = "response matches no transaction: SIP/2.0 ";
  std::string reason;
  reason.reserve(kWhy.size() + 4 + response.reason().size());
  reason += kWhy;
  reason += static_cast<char>('0' + response.status() / 100 % 10);
  reason += static_cast<char>('0' + response.status() / 10 % 10);
  reason += static_cast<char>('0' + response.status() % 10);
  reason += ' ';
  reason += response.reason();
  out_.push_back(Event{Dropped{std::move(reason)}});
}

bool Ua::handle_unowned_invite_2xx(const msg::Message& response, TimePoint now) {
  auto ctx = context(now);
  if (auto* d = dialogs_.match_response(response))
    if (auto* c = call_for_dialog(d)) {
      c->handle_stray_2xx(ctx, response);
      return true;
    }
  // No call wants this dialog: the call ended (cancelled, timed out, hung
  // up) or another fork answered it. ACK and BYE; the app hears nothing.
  // A retransmission of a 2xx we already ended gets the ACK alone.
  const std::string_view call_id = response.get(msg::HeaderId::CallId).value_or("");
  const std::string remote_tag = msg::tag_of(response.get(msg::HeaderId::To).value_or("")).value_or("");
  bool bye_sent = false;
  for (auto it = unwanted_.begin(); it != unwanted_.end();) {
    if (!txns_.contains(it->bye)) {
      it = unwanted_.erase(it);  // that BYE has its answer (or gave up)
      continue;
    }
    bye_sent |= it->call_id == call_id && it->remote_tag == remote_tag;
    ++it;
  }
  std::optional<txn::TxnId> bye;
  if (!call::end_unwanted_2xx(ctx, response, now, bye_sent, &bye)) return false;
  if (bye) unwanted_.push_back({std::string(call_id), remote_tag, *bye});
  return true;
}

void Ua::route_txn_event(txn::TxnEvent event, TimePoint now) {
  auto ctx = context(now);
  if (auto* sr = std::get_if<txn::ServerRequest>(&event)) return handle_new_request(sr->id, sr->request, now);
  if (auto* cr = std::get_if<txn::ClientResponse>(&event)) {
    if (auto u = usage_txns_.find(cr->id); u != usage_txns_.end()) {
      if (cr->response.status() < 200) return;  // provisional: traced, not awaited
      const UsageOwner owner = u->second;
      usage_txns_.erase(u);
      return route_usage_response(owner, cr->response, cr->detail, now);
    }
    for (auto& [h, c] : calls_)
      if (c.owns_client_txn(cr->id)) return c.handle_response(ctx, cr->id, cr->response, now);
    if (auto app = app_requests_.find(cr->id); app != app_requests_.end()) {
      if (cr->response.status() < 200) return;  // provisional: traced, not awaited
      out_.push_back(Event{AppResponse{app->second, cr->response, cr->detail}});
      app_requests_.erase(app);
      return;
    }
    // A 2xx our INVITE's client transaction passed up after its call had
    // taken the first final (RFC 6026 §8.4, Accepted): a retransmission, or
    // a fork's 2xx. §13.2.2.4 wants an ACK for each.
    if (is_invite_2xx(cr->response) && handle_unowned_invite_2xx(cr->response, now)) return;
    // Registration matches its own REGISTERs by branch; Timer F and transport
    // loss arrive here as synthetic 408/503 (core/txn).
    // Anything else answers a request of ours whose owner has finished: a
    // BYE that crossed the peer's BYE (§15.1.2), a REGISTER superseded by a
    // newer one. The transaction matched it (§17.1.3), so it is no stray;
    // it was traced, and nothing waits for it.
    (void)registration_.handle_response(cr->response, now, cr->source);
    return;
  }
  if (auto* ack = std::get_if<txn::ReceivedAck>(&event)) {
    // An ACK for a 2xx belongs to the dialog, not to a transaction (§17.2.1).
    auto match = dialogs_.match_request(ack->ack);
    if (auto* c = call_for_dialog(match.dialog)) {
      c->handle_ack(ctx, ack->ack, now);
      // RFC 3891 §3: the replacing dialog is up; end the one it replaces
      // (BYE, or CANCEL for our own ringing call).
      if (const call::CallHandle replaced = c->take_replaced())
        if (call::Call* old = find_call(replaced)) (void)old->hangup(ctx, now);
    }
    return;
  }
  if (auto* failed = std::get_if<txn::ServerFailed>(&event)) {
    for (auto& [h, c] : calls_)
      if (c.owns_server_txn(failed->id)) return c.handle_server_failed(ctx, failed->id, now);
  }
}

void Ua::handle_new_request(txn::TxnId txn, const msg::Message& request, TimePoint now) {
  auto ctx = context(now);
  if (request.method() != "ACK" && txns_.is_merged(txn, request)) {
    // RFC 3261 §8.2.2.2: "the UAS core SHOULD generate a 482 (Loop Detected)
    // response and pass it to the server transaction". The first copy goes
    // on as usual; this one reaches no call, so nothing rings twice.
    (void)txns_.respond(txn, msg::make_reply(request, 482, rng_.token(12)), now);
    out_.push_back(Event{Dropped{"merged request (the same request by another path): answered 482 Loop Detected"}});
    return;
  }
  if (request.method() == "CANCEL") {
    // §9.2: match the INVITE server transaction; 200 for the CANCEL, then the
    // call answers the INVITE with 487.
    const auto invite_txn = txns_.find_invite_server_txn(request);
    for (auto& [h, c] : calls_) {
      if (invite_txn && c.is_invite_server(*invite_txn)) {
        // §9.2: "The To tag of the response to the CANCEL and the To tag in
        // the response to the original request SHOULD be the same."
        (void)txns_.respond(txn, msg::make_reply(request, 200, c.local_tag()), now);
        return c.handle_cancel(ctx, now);
      }
      if (invite_txn && c.is_pending_reinvite(*invite_txn)) {
        // "as long as the CANCEL matched an existing transaction, the UAS
        // answers the CANCEL request itself with a 200" (§9.2). The 487 is
        // a SHOULD; the re-INVITE goes on to the app's answer instead, as
        // the browser may already have taken the offer, and a 2xx after a
        // CANCEL is a success the canceller accepts (§9.1).
        (void)txns_.respond(txn, msg::make_reply(request, 200, rng_.token(12)), now);
        return;
      }
    }
    // A CANCEL crossing the final answer the INVITE already got (declined,
    // refused): its transaction still exists, so 200 (§9.2), and nothing
    // more to do. No INVITE transaction at all: 481, with the To tag
    // §8.2.6.2 asks for.
    (void)txns_.respond(txn, msg::make_reply(request, invite_txn ? 200 : 481, rng_.token(12)), now);
    return;
  }
  if (request.method() == "NOTIFY")
    for (auto& [id, sub] : subs_)
      if (sub.matches(request)) {
        // RFC 6665 §4.1.3: the subscription decides (200, or 481/489/400).
        const int status = sub.handle_notify(request, now);
        (void)txns_.respond(txn, msg::make_reply(request, status), now);
        return;
      }
  auto match = dialogs_.match_request(request);
  switch (match.kind) {
    case dialog::RequestMatch::Kind::InDialog:
      if (auto* c = call_for_dialog(match.dialog)) return c->handle_request(ctx, txn, request, match.dialog, now);
      [[fallthrough]];
    case dialog::RequestMatch::Kind::NoDialog:
      // §12.2.2: "the UAS MUST respond to the request with a 481".
      (void)txns_.respond(txn, msg::make_reply(request, 481), now);
      return;
    case dialog::RequestMatch::Kind::OutOfDialog:
      return handle_out_of_dialog(txn, request, now);
  }
}

void Ua::handle_out_of_dialog(txn::TxnId txn, const msg::Message& request, TimePoint now) {
  const std::string_view method = request.method();
  const std::string tag = rng_.token(12);
  if (method == "INVITE") {
    const ReplacesCheck replaces = check_replaces(request);
    if (replaces.status) {
      (void)txns_.respond(txn, msg::make_reply(request, replaces.status, tag), now);
      return;
    }
    // §8.2.3: a body with no SDP we can read (core/sdp/sdp_body.hpp) gets
    // 415 listing what we accept; no call rings that could not be answered.
    if (!sdp::sdp_body(request)) {
      msg::Message r = msg::make_reply(request, 415, tag);
      r.add("Accept", sdp::kAcceptedBodies);
      (void)txns_.respond(txn, std::move(r), now);
      out_.push_back(Event{Dropped{"INVITE refused: 415, its body holds no SDP we can read"}});
      return;
    }
    // RFC 4028 §9: an interval below our Min-SE from a UAC that supports
    // timers gets 422 with our Min-SE, before any call exists for it.
    const auto timer = call::uas_negotiate(request, call::clamp(config_.session_expires, config_.min_se));
    if (timer.kind == call::UasVerdict::Kind::Reject422) {
      msg::Message r = msg::make_reply(request, 422, tag);
      r.add("Min-SE", std::to_string(timer.min_se));
      (void)txns_.respond(txn, std::move(r), now);
      return;
    }
    auto ctx = context(now);
    const call::CallHandle handle = next_call_++;
    auto c = call::Call::start_inbound(handle, ctx, txn, request, now, replaces.call);
    if (!c) {
      const int status = c.error().sip_status_hint ? c.error().sip_status_hint : 400;
      (void)txns_.respond(txn, msg::make_reply(request, status, tag), now);
      out_.push_back(Event{Dropped{"INVITE refused: " + c.error().message}});
      return;
    }
    calls_.emplace(handle, std::move(*c));
    return;
  }
  if (method == "MESSAGE") {
    const auto type = request.get("Content-Type");
    if (type && type->find("x-rc/agent") != std::string_view::npos) {
      handle_rc_message(request);
    } else {
      // RFC 3428 §7: a plain instant message; the app has it before the
      // 200 leaves, or learns nothing and the sender gets 415/413.
      auto verdict = event::check_inbound_message(request, message_types_);
      if (verdict.message) out_.push_back(Event{std::move(*verdict.message)});
      if (verdict.status != 200) {
        msg::Message refusal = msg::make_reply(request, verdict.status, tag);
        if (!verdict.accept.empty()) refusal.add("Accept", verdict.accept);
        refusal.set_body({});
        (void)txns_.respond(txn, std::move(refusal), now);
        return;
      }
    }
  }
  msg::Message r = msg::make_reply(request, 200, tag);
  if (method == "OPTIONS") {
    // RFC 3261 §11.2: answer capabilities as for an INVITE.
    r.add("Allow", config::kAllow);
    r.add("Accept", sdp::kAcceptedBodies);
    r.add("Supported", config::kSupported);
  } else if (method == "BYE" || method == "UPDATE") {
    // Requests that exist only inside a dialog, without a To tag: no dialog
    // of ours, which §15.1.2 answers with 481 for a BYE (RFC 3311 §5 has
    // UPDATE in a dialog only); 501 would claim we do not know the method
    // our Allow lists.
    r = msg::make_reply(request, 481, tag);
  } else if (method == "REFER") {
    // RFC 3515 allows a REFER outside a dialog; we act only on one inside a
    // call (a transfer). Refused as a policy (§21.4.4), not 501: our Allow
    // lists REFER, and 501 says the method is unknown (§21.5.2).
    r = msg::make_reply(request, 403, tag, "Forbidden - REFER outside a call is not accepted");
  } else if (method != "MESSAGE" && method != "NOTIFY" && method != "INFO") {
    // MESSAGE (RingCentral x-rc commands or plain text), NOTIFY and INFO are
    // delivered to the app through `inboundMessage` and answered 200 (spec
    // §3.6); anything else is not implemented here (§8.2.1).
    r = msg::make_reply(request, 501, tag);
    r.add("Allow", config::kAllow);
  }
  r.set_body({});
  (void)txns_.respond(txn, std::move(r), now);
}

Ua::ReplacesCheck Ua::check_replaces(const msg::Message& invite) {
  const auto values = invite.get_all("Replaces");
  if (values.empty()) return {};
  // §3: more than one Replaces header, or one that does not parse → 400.
  if (values.size() > 1) return {400, 0};
  const auto target = dialog::parse_replaces(values[0]);
  if (!target) return {400, 0};
  call::Call* c = call_for_dialog(dialogs_.find(target->id));
  if (!c) return {481, 0};  // "If no match is found, ... 481"
  switch (c->state()) {
    case call::State::Incoming:
      return {481, 0};  // an early dialog this UA did not initiate
    case call::State::Cancelling:
    case call::State::Terminating:
    case call::State::Terminated:
      return {603, 0};  // a dialog that has already ended: 603 Decline
    case call::State::Accepted:
    case call::State::Confirmed:
      if (target->early_only) return {486, 0};  // "early-only" and confirmed: 486 Busy Here
      return {0, c->handle()};
    case call::State::Calling:
    case call::State::Early:
      return {0, c->handle()};  // our own ringing call: picked up elsewhere
  }
  return {481, 0};
}

void Ua::handle_rc_message(const msg::Message& request) {
  // RingCentral call control (spec §3.8, §8.3): x-rc/agent XML. A MESSAGE for
  // another instance of the extension (Bdy Cln) is answered but not surfaced;
  // anything that is not x-rc (plain text) reaches the app only through
  // `inboundMessage` — never a crash, unlike the original SDK.
  const auto type = request.get("Content-Type");
  if (!type || type->find("x-rc/agent") == std::string_view::npos) return;
  auto parsed = rc::parse_rc_xml(request.body());
  if (!parsed) {
    out_.push_back(Event{Dropped{"malformed x-rc MESSAGE: " + parsed.error().to_string()}});
    return;
  }
  if (!rc::is_for_instance(*parsed, config_.authorization_id)) return;
  call::CallHandle handle = 0;
  const std::string call_id(request.get("Call-ID").value_or(""));
  for (const auto& [h, c] : calls_)
    if (c.call_id() == call_id) handle = h;
  const auto cmd = parsed->cmd();
  call_events_.push_back(call::RcMessageReceived{handle, cmd ? static_cast<int>(*cmd) : 0,
                                                 std::string(parsed->sid().value_or("")),
                                                 {parsed->hdr.begin(), parsed->hdr.end()},
                                                 {parsed->bdy.begin(), parsed->bdy.end()}});
}

void Ua::send(msg::Message m) {
  // Serialised once: the Transmit is the message's wire text, and the trace
  // shares the message whose spans point into that same text.
  out_.push_back(Transmit{std::string(m.to_wire())});
  out_.push_back(Event{MessageTraced{false, std::make_shared<const msg::Message>(std::move(m)), 0}});
}

void Ua::on_registration_event(reg::RegEvent event, TimePoint now) {
  if (auto* ok = std::get_if<reg::Registered>(&event)) {
    const bool recovered = supervisor_.handle_registered(now);
    if (recovered) {
      out_.push_back(Event{Recovered{}});
      // NOTIFYs went to the lost flow: subscribe and publish afresh.
      for (auto& [id, s] : subs_) s.resubscribe(now);
      for (auto& [ev, p] : pubs_) p.republish(config_, rng_);
    }
    // Calls that lived through the outage restart their media through the
    // new connection; calls still being set up could not have. Calls adopted
    // from another UA's state (import_state) lost theirs with that UA, and
    // calls kept through a socket the app replaced are routed by the old one.
    if (recovered || !media_to_restart_.empty()) {
      for (auto& [h, c] : calls_) {
        const bool listed = std::find(media_to_restart_.begin(), media_to_restart_.end(), h) != media_to_restart_.end();
        if (c.state() == call::State::Confirmed && (recovered || listed))
          call_events_.push_back(call::RecoverMedia{h});
      }
      media_to_restart_.clear();
    }
    out_.push_back(Event{std::move(*ok)});
    return;
  }
  if (std::holds_alternative<reg::Unregistered>(event) && leaving_flow_) {
    // Our own unREGISTER before moving back to the primary: not the app's.
    leaving_flow_ = false;
    supervisor_.handle_left(now);
    return;
  }
  if (auto* failed = std::get_if<reg::RegistrationFailed>(&event);
      failed && (supervisor_.recovering() || (supervisor_.armed() && registration_.refreshing()))) {
    // While recovering, a lost or refused registration is the supervisor's
    // to retry, no sooner than the server's Retry-After (503/603). So is a
    // refresh that failed on a flow that seemed fine (a registrar's 503, a
    // 408): the phone would sit unregistered, with nobody awaiting that
    // REGISTER, until the app noticed. Final, the app's to fix and reported
    // to it: wrong credentials, a forbidden account, and every refusal that
    // is not about time or load (a 404 for an unknown AOR, a 400, a 423 the
    // Min-Expires retry did not cure): the same REGISTER would get the same
    // answer on every retry, and the phone would say "recovering" for ever.
    // Timeouts, a closed transport, 5xx and 603 (RingCentral's stale
    // bindings, which expire) stay the supervisor's to retry.
    const bool final_error = failed->code == reg::RegFailure::Unauthorized ||
                             failed->code == reg::RegFailure::Forbidden ||
                             failed->code == reg::RegFailure::Rejected ||
                             failed->code == reg::RegFailure::IntervalTooBrief;
    if (supervisor_.state() == flow::State::Connected)
      supervisor_.handle_register_failed(final_error ? flow::RegisterOutcome::Final : flow::RegisterOutcome::Retry,
                                         static_cast<Duration>(failed->retry_after_ms), failed->message, now);
    if (!final_error) return;
  }
  std::visit([this](auto&& ev) { out_.push_back(Event{std::move(ev)}); }, std::move(event));
}

bool Ua::collect_flow(TimePoint now) {
  bool any = false;
  while (auto r = supervisor_.poll_request()) {
    any = true;
    if (std::holds_alternative<flow::SendPing>(*r)) {
      out_.push_back(Transmit{"\r\n\r\n"});  // RFC 5626 §4.4.1 "ping"
    } else if (auto* open = std::get_if<flow::OpenTransport>(&*r)) {
      out_.push_back(Event{*open});
    } else if (std::holds_alternative<flow::LeaveFlow>(*r)) {
      leaving_flow_ = true;
      if (!registration_.stop(now).ok()) {  // already unregistering: go without
        leaving_flow_ = false;
        supervisor_.handle_left(now);
      }
    } else {
      // Closed on our own account (a silent server, a refused registration):
      // what was in flight on it can never be answered.
      out_.push_back(Event{std::get<flow::CloseTransport>(std::move(*r))});
      registration_.handle_transport_closed(now);
      txns_.handle_transport_closed(now);
    }
  }
  while (auto e = supervisor_.poll_event()) {
    out_.push_back(Event{std::move(*e)});
    any = true;
  }
  if (supervisor_.take_grace_expired()) {
    any = true;
    auto ctx = context(now);
    for (auto& [h, c] : calls_)
      if (c.state() != call::State::Terminated) c.drop(ctx, "connection lost and not recovered in time");
  }
  return any;
}

void Ua::collect(TimePoint now) {
  // Route until quiet: calls create transactions, transactions produce
  // events for calls.
  int timer_rounds = 0;
  for (int guard = 0; guard < 64; ++guard) {
    bool progressed = false;
    while (auto m = registration_.poll_transmit()) {
      // A REGISTER is a NICT (RFC 3261 §17.1.2); it always carries a fresh
      // z9hG4bK branch, so start_client cannot refuse it.
      (void)txns_.start_client(std::move(*m), now);
      progressed = true;
    }
    while (auto e = registration_.poll_event()) {
      on_registration_event(std::move(*e), now);
      progressed = true;
    }
    if (supervisor_.enabled() && collect_flow(now)) progressed = true;
    while (auto e = txns_.poll_event()) { route_txn_event(std::move(*e), now); progressed = true; }
    if (collect_usages(now)) progressed = true;
    while (auto m = txns_.poll_transmit()) { send(std::move(*m)); progressed = true; }
    while (!call_events_.empty()) {
      out_.push_back(Event{std::move(call_events_.front())});
      call_events_.pop_front();
      progressed = true;
    }
    for (auto& why : call_dropped_) out_.push_back(Event{Dropped{std::move(why)}});
    if (!call_dropped_.empty()) progressed = true;
    call_dropped_.clear();
    if (!progressed) {
      // Timers already due run now rather than on a Tick the driver would
      // have to schedule at once: on a reliable transport Timers I, J, K and
      // D are zero (RFC 3261 §17.1.2.2, §17.2.2), so nearly every
      // transaction ends this way, and a busy phone would otherwise arm a
      // zero-delay host timer per message.
      const char* reason = nullptr;
      if (++timer_rounds > 4 || next_deadline(&reason) > now) break;
      fire_timers(now);
    }
  }
  for (auto it = calls_.begin(); it != calls_.end();) {
    if (it->second.state() == call::State::Terminated) it = calls_.erase(it);
    else ++it;
  }
  dialogs_.erase_terminated();
}

TimePoint Ua::next_deadline(const char** reason) const {
  TimePoint at = registration_.next_timeout();
  *reason = "registration";
  if (supervisor_.next_timeout() < at) { at = supervisor_.next_timeout(); *reason = "flow"; }
  if (txns_.next_timeout() < at) { at = txns_.next_timeout(); *reason = "transaction"; }
  for (const auto& [h, c] : calls_)
    if (c.next_timeout() < at) { at = c.next_timeout(); *reason = "call"; }
  for (const auto& [id, sub] : subs_)
    if (sub.next_timeout() < at) { at = sub.next_timeout(); *reason = "subscription"; }
  for (const auto& [ev, p] : pubs_)
    if (p.next_timeout() < at) { at = p.next_timeout(); *reason = "publication"; }
  return at;
}

Output Ua::poll_output() {
  if (!out_.empty()) {
    Output o = std::move(out_.front());
    out_.pop_front();
    return o;
  }
  const char* reason = "idle";
  const TimePoint at = next_deadline(&reason);
  return Timeout{at, at == kNever ? "idle" : reason};
}

}  // namespace wwp::ua
