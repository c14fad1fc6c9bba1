#include "core/reg/registration.hpp"

#include <algorithm>
#include <cassert>

#include "core/auth/digest.hpp"
#include "core/config/capabilities.hpp"
#include "core/msg/header_fields.hpp"
#include "core/msg/scan.hpp"

namespace wwp::reg {

namespace {

/// `1*DIGIT` at the start of `s` (delta-seconds, RFC 3261 §25.1), saturated
/// at 2^32-1; `rest` gets what follows. nullopt without a digit.
std::optional<std::uint32_t> leading_delta(std::string_view s, std::string_view* rest) {
  std::size_t i = 0;
  std::uint64_t v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    v = std::min<std::uint64_t>(v * 10 + static_cast<std::uint64_t>(s[i] - '0'), 0xffffffffu);
    ++i;
  }
  if (i == 0) return std::nullopt;
  if (rest) *rest = s.substr(i);
  return static_cast<std::uint32_t>(v);
}

/// The whole of `s` as delta-seconds (an `expires` param or header).
std::optional<std::uint32_t> delta_seconds(std::optional<std::string_view> s) {
  std::string_view rest;
  if (!s) return std::nullopt;
  auto v = leading_delta(*s, &rest);
  if (!v || !rest.empty()) return std::nullopt;
  return v;
}

/// Classify first (house style §6): what a final non-2xx means for the app.
RegFailure classify(int status, txn::ResponseSource source, bool credentials_sent) {
  switch (source) {
    case txn::ResponseSource::TimerB:
    case txn::ResponseSource::TimerF: return RegFailure::Timeout;
    case txn::ResponseSource::TransportClosed: return RegFailure::Transport;
    case txn::ResponseSource::Wire: break;
  }
  switch (status) {
    case 401:
    case 407: return credentials_sent ? RegFailure::Unauthorized : RegFailure::Rejected;
    case 403: return RegFailure::Forbidden;
    case 408: return RegFailure::Timeout;
    case 423: return RegFailure::IntervalTooBrief;
    case 603: return RegFailure::TooManyContacts;  // RingCentral "Too Many Contacts"
    default: return status >= 500 && status < 600 ? RegFailure::ServerError : RegFailure::Rejected;
  }
}

}  // namespace

const char* to_string(RegFailure f) {
  // These are the JS `RegistrationError.code` values (js/types.ts
  // RegistrationErrorCode; tests/js/registration-codes.test.mjs keeps the two
  // lists equal).
  switch (f) {
    case RegFailure::Unauthorized: return "unauthorized";
    case RegFailure::Forbidden: return "forbidden";
    case RegFailure::TooManyContacts: return "tooManyContacts";
    case RegFailure::IntervalTooBrief: return "intervalTooBrief";
    case RegFailure::Timeout: return "timeout";
    case RegFailure::Transport: return "transport";
    case RegFailure::ServerError: return "serverError";
    case RegFailure::Rejected: return "rejected";
  }
  return "rejected";
}

std::uint32_t retry_after_ms(const msg::Message& r) {
  // RFC 3261 §20.33: Retry-After = delta-seconds [ comment ] *( SEMI
  // retry-param ). Only the delta-seconds matter here; whatever follows must
  // at least start like a comment or a param, else the value is malformed.
  const auto value = r.get("Retry-After");
  if (!value) return 0;
  std::string_view rest;
  // Message values come with LWS trimmed (core/msg/message.hpp).
  const auto secs = leading_delta(*value, &rest);
  if (!secs) return 0;
  if (!rest.empty() && rest[0] != ' ' && rest[0] != '\t' && rest[0] != '(' && rest[0] != ';') return 0;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(std::uint64_t{*secs} * 1000, 0x7fffffffu));
}

const char* to_string(State s) {
  switch (s) {
    case State::Idle: return "idle";
    case State::Registering: return "registering";
    case State::Registered: return "registered";
    case State::Unregistering: return "unregistering";
    case State::Failed: return "failed";
  }
  return "?";
}

Registration::Registration(const Config& config, Rng& rng) : config_(config), rng_(rng) {
  // RFC 3261 §10.2.4: a UA SHOULD use the same Call-ID for all registrations
  // during a single boot cycle, with CSeq incremented by one per REGISTER.
  call_id_ = rng_.token(22);
  from_tag_ = rng_.token(12);
  cseq_ = static_cast<std::uint32_t>(rng_.next_u64() % 9000) + 1;
}

Status Registration::restore(const RegistrationSnapshot& s) {
  if (state_ != State::Idle || !transmits_.empty() || !branch_.empty())
    return ua_error(UaErrorCode::InvalidState, "the registration has already started");
  call_id_ = s.call_id;
  from_tag_ = s.from_tag;
  cseq_ = s.cseq;  // send_register() increments before use
  return ok_status();
}

std::string Registration::contact_uri() const {
  return "sip:" + config_.username + "@" + config_.contact_host +
         (config_.secure_transport ? ";transport=wss" : ";transport=ws");
}

const std::string& Registration::instance_id() const {
  return config_.instance_id.empty() ? config_.authorization_id : config_.instance_id;
}

void Registration::transition(State next) {
  // Legal moves, mirroring the diagram in the header.
  const bool legal = [&] {
    switch (next) {
      case State::Registering: return state_ != State::Unregistering;
      case State::Registered: return state_ == State::Registering;
      case State::Unregistering: return state_ == State::Registered || state_ == State::Registering;
      case State::Failed: return true;
      case State::Idle: return state_ == State::Unregistering || state_ == State::Idle;
    }
    return false;
  }();
  assert(legal && "illegal registration transition");
  (void)legal;
  // Entry actions.
  if (next != State::Registered) timers_.stop(TimerKind::Refresh);
  if (next == State::Failed || next == State::Idle || next == State::Registered)
    timers_.stop(TimerKind::NoAnswer);
  if (next == State::Registered) bound_ = true;
  if (next == State::Failed || next == State::Idle || next == State::Unregistering) bound_ = false;
  state_ = next;
}

Status Registration::start(TimePoint now, std::uint32_t expires) {
  if (state_ == State::Unregistering)
    return ua_error(UaErrorCode::InvalidState, "cannot register while unregistering");
  if (expires > 100000000u) return ua_error(UaErrorCode::InvalidArgument, "register: expires is out of range");
  transition(State::Registering);
  refreshing_ = false;
  if (expires > 0) asked_ = expires;
  requested_ = asked_ > 0 ? asked_ : config_.register_expires;
  challenged_ = stale_retried_ = false;
  interval_retried_ = false;
  send_register(now, requested_, {}, {});
  return ok_status();
}

Status Registration::stop(TimePoint now) {
  if (state_ == State::Idle || state_ == State::Failed) {
    events_.push_back(Unregistered{});
    if (state_ == State::Failed) state_ = State::Idle;
    return ok_status();
  }
  if (state_ == State::Unregistering)
    return ua_error(UaErrorCode::InvalidState, "already unregistering");
  transition(State::Unregistering);
  challenged_ = stale_retried_ = false;
  send_register(now, 0, {}, {});
  return ok_status();
}

void Registration::handle_transport_closed(TimePoint /*now*/, bool replaced) {
  if (replaced && (state_ == State::Registering || state_ == State::Registered)) {
    // A second start() (ringcentral-web-phone's way to re-register): its own
    // REGISTER follows on the new socket. Reporting "transport closed" here
    // would tell an app that restarts on registrationFailed to restart again.
    // (Failed, quietly: the state a cut-short registration is in, from which
    // start() registers afresh.)
    transition(State::Failed);
    return;
  }
  if (state_ == State::Unregistering) {
    // Nobody can answer any more; the binding will expire on its own.
    transition(State::Idle);
    events_.push_back(Unregistered{});
  } else if (state_ == State::Registering || state_ == State::Registered) {
    fail(RegFailure::Transport, 503, "Service Unavailable", "Registration failed: transport closed");
  }
}

void Registration::send_register(TimePoint now, std::uint32_t expires,
                                 const std::string& authorization_header,
                                 const std::string& authorization_value) {
  expires_ = expires;
  branch_ = "z9hG4bK" + rng_.token(16);
  ++cseq_;
  const std::string aor = "sip:" + config_.username + "@" + config_.domain;
  msg::Message m = msg::Message::request("REGISTER", "sip:" + config_.domain);
  m.add("Via", std::string("SIP/2.0/") + (config_.secure_transport ? "WSS " : "WS ") +
                   config_.contact_host + ";branch=" + branch_);
  m.add("Max-Forwards", "70");
  m.add("To", "<" + aor + ">");
  m.add("From", "<" + aor + ">;tag=" + from_tag_);
  m.add("Call-ID", call_id_);
  m.add("CSeq", std::to_string(cseq_) + " REGISTER");
  // `+sip.instance` (RFC 5626 §4.1) wraps the raw instance id as
  // ringcentral-web-phone does: its server keys bindings (and the 5-device
  // limit) by this value.
  m.add("Contact", "<" + contact_uri() + ">;+sip.instance=\"<urn:uuid:" + instance_id() +
                       ">\";expires=" + std::to_string(expires));
  if (!authorization_header.empty()) m.add(authorization_header, authorization_value);
  m.add("Allow", config::kAllow);
  m.add("User-Agent", config_.user_agent);
  m.set_body({});
  transmits_.push_back(std::move(m));
  timers_.set(TimerKind::NoAnswer, now + config_.register_no_answer);
}

bool Registration::handle_response(const msg::Message& r, TimePoint now, txn::ResponseSource source) {
  if (state_ != State::Registering && state_ != State::Unregistering) return false;
  // Match by the top Via branch (RFC 3261 §17.1.3) and CSeq.
  const auto via = r.get("Via");
  const auto cseq = r.get("CSeq");
  if (!via || !cseq) return false;
  const auto v = msg::parse_via_view(*via);
  const auto c = msg::parse_cseq(*cseq);
  if (!v || !c || v->branch != branch_ || c->seq != cseq_ || c->method != "REGISTER")
    return false;

  timers_.stop(TimerKind::NoAnswer);  // the transport is alive
  if (r.status() < 200) {
    // Still waiting. A registrar that stays silent after a 1xx is bounded by
    // the NICT's Timer F (RFC 3261 §17.1.2.2, core/txn), which hands us a
    // synthetic "408 Request Timeout" like any other final below.
    return true;
  }
  const std::string status_line = r.start_line();
  // challenged_: this cycle already sent credentials (a 401/407 now means
  // they were refused).
  const RegFailure code = classify(r.status(), source, challenged_);
  if (r.status() < 300) {
    on_success(r, now);
    return true;
  }
  if (r.status() == 401 || r.status() == 407) {
    const bool proxy = r.status() == 407;
    const auto values = r.get_all(proxy ? "Proxy-Authenticate" : "WWW-Authenticate");
    auto chosen = auth::choose_challenge(values);
    if (!chosen) {
      fail_response(code, r, "Registration failed: " + status_line + " (" + chosen.error().to_string() + ")");
      return true;
    }
    // One answer per challenge; a new challenge after our credentials means
    // they were refused, unless the server flags the nonce as stale (RFC
    // 7616 §3.3): that is answered once a cycle, as a server that calls
    // every nonce stale would otherwise be asked again at round-trip speed.
    if (challenged_ && (!chosen->stale || stale_retried_)) {
      fail_response(code, r, "Registration failed: " + status_line + (chosen->stale ? " (stale nonce again)" : ""));
      return true;
    }
    if (challenged_) stale_retried_ = true;
    challenged_ = true;
    // RFC 7616 §3.4: nc counts the requests sent with this nonce; a new
    // nonce (a server challenges every refresh with one) starts at 1. A
    // count that only grew across refreshes is refused by registrars that
    // bound it (Kamailio's nonce_count check keeps it in one byte).
    if (chosen->nonce != nonce_) {
      nonce_ = chosen->nonce;
      nonce_count_ = 0;
    }
    auth::Credentials creds{config_.authorization_id, config_.password};
    auth::ClientNonce cn{rng_.hex(16), ++nonce_count_};
    auto header = auth::build_authorization(*chosen, creds, "REGISTER", "sip:" + config_.domain, cn);
    if (!header) {
      fail_response(code, r, "Registration failed: " + status_line + " (" + header.error().to_string() + ")");
      return true;
    }
    send_register(now, expires_, proxy ? "Proxy-Authorization" : "Authorization", *header);
    return true;
  }
  if (r.status() == 423 && !interval_retried_ && state_ == State::Registering) {
    // RFC 3261 §10.2.8: retry with an expiry no lower than Min-Expires.
    const std::uint32_t value = delta_seconds(r.get("Min-Expires")).value_or(0);
    if (value > 0 && value <= 100000000u) {
      interval_retried_ = true;
      requested_ = value;
      // The retry carries no credentials, so the registrar (which, as
      // Kamailio and Asterisk do, authenticated before it checked the
      // interval) challenges it afresh: that challenge is not a refusal.
      challenged_ = stale_retried_ = false;
      send_register(now, value, {}, {});
      return true;
    }
  }
  fail_response(code, r, "Registration failed: " + status_line);
  return true;
}

void Registration::on_success(const msg::Message& r, TimePoint now) {
  if (state_ == State::Unregistering) {
    transition(State::Idle);
    events_.push_back(Unregistered{});
    return;
  }
  std::vector<Binding> all = bindings(r);
  // Prefer our own binding (RFC 3261 §10.2.4: the 2xx lists every binding of
  // the AOR): our exact Contact, then our instance (a registrar that keeps
  // an older connection's binding of the same instance lists both); else
  // the first binding; with no Contact at all, the Expires header.
  const auto pick = [&]() -> std::uint32_t {
    const std::string uri = contact_uri();
    for (const auto& b : all)
      if (b.uri == uri) return b.expires;
    for (const auto& b : all)
      if (b.ours) return b.expires;
    if (!all.empty()) return all.front().expires;
    return delta_seconds(r.get("Expires")).value_or(0);
  };
  const std::uint32_t granted = std::min<std::uint32_t>(pick(), 100000000u);
  if (granted == 0) {
    // RFC 3261 §10.2.4: a 2xx whose Contact for us is missing means the
    // registrar did not bind us.
    fail_response(RegFailure::Rejected, r, "Registration failed: " + r.start_line() + " (missing Contact expires)");
    return;
  }
  transition(State::Registered);
  const Duration interval = static_cast<Duration>(granted) * 1000;
  timers_.set(TimerKind::Refresh, now + std::max(interval / 2, interval - 5000));
  events_.push_back(Registered{granted, std::move(all)});
}

std::vector<Binding> Registration::bindings(const msg::Message& r) const {
  // RFC 3261 §10.3 step 8: the 2xx lists every current binding, each with an
  // `expires` param (else the Expires header applies, §10.2.1.1). A Contact
  // that does not parse is skipped: the rest are still worth reporting.
  const auto header_expires = delta_seconds(r.get("Expires"));
  const std::string uri = contact_uri();
  const std::string instance = "urn:uuid:" + instance_id();
  std::vector<Binding> out;
  for (const auto value : r.get_all("Contact")) {
    const auto na = msg::parse_name_addr(value);
    if (!na || na->uri.empty() || na->uri == "*") continue;
    Binding b{na->uri, 0, {}, false};
    b.expires = delta_seconds(na->param("expires")).value_or(header_expires.value_or(0));
    if (const auto inst = na->param("+sip.instance")) {
      // RFC 5626 §4.1: `+sip.instance="<urn:uuid:…>"`; report the URN.
      std::string_view v = *inst;
      if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
      b.instance = std::string(v);
    }
    b.ours = b.uri == uri || (!b.instance.empty() && msg::scan::iequals(b.instance, instance));
    out.push_back(std::move(b));
  }
  return out;
}

void Registration::fail_response(RegFailure code, const msg::Message& r, std::string message) {
  fail(code, r.status(), std::string(r.reason()), std::move(message), retry_after_ms(r));
}

void Registration::fail(RegFailure code, int status, std::string reason, std::string message,
                        std::uint32_t retry_after) {
  const bool was_unregistering = state_ == State::Unregistering;
  transition(State::Failed);
  if (was_unregistering) {
    // An unregister that fails still leaves us not registered from the
    // app's point of view; report it as done rather than hang `dispose()`.
    state_ = State::Idle;
    events_.push_back(Unregistered{});
    return;
  }
  events_.push_back(
      RegistrationFailed{status, std::move(message), code, std::move(reason), retry_after});
}

void Registration::handle_timeout(TimePoint now) {
  if (timers_.take_expired(TimerKind::NoAnswer, now)) {
    // Not even a 1xx: the WebSocket is dead (ringcentral-web-phone's 5 s rule).
    events_.push_back(TransportDead{"no response to REGISTER within " +
                                    std::to_string(config_.register_no_answer) + " ms"});
    fail(RegFailure::Timeout, 408, "Request Timeout",
         "Registration failed: no response from the server (timeout)");
  }
  if (timers_.take_expired(TimerKind::Refresh, now) && state_ == State::Registered) {
    transition(State::Registering);
    refreshing_ = true;
    challenged_ = stale_retried_ = false;
    interval_retried_ = false;
    send_register(now, requested_, {}, {});
  }
}

std::optional<msg::Message> Registration::poll_transmit() {
  if (transmits_.empty()) return std::nullopt;
  auto m = std::move(transmits_.front());
  transmits_.pop_front();
  return m;
}

std::optional<RegEvent> Registration::poll_event() {
  if (events_.empty()) return std::nullopt;
  auto e = std::move(events_.front());
  events_.pop_front();
  return e;
}

}  // namespace wwp::reg
