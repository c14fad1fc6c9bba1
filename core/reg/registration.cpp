#include "core/reg/registration.hpp"

#include <algorithm>
#include <cassert>

#include "core/auth/digest.hpp"
#include "core/msg/header_fields.hpp"

namespace wwp::reg {

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

Registration::Registration(const ua::Config& config, Rng& rng) : config_(config), rng_(rng) {
  // RFC 3261 §10.2.4: a UA SHOULD use the same Call-ID for all registrations
  // during a single boot cycle, with CSeq incremented by one per REGISTER.
  call_id_ = rng_.token(22);
  from_tag_ = rng_.token(12);
  cseq_ = static_cast<std::uint32_t>(rng_.next_u64() % 9000) + 1;
}

std::string Registration::contact_uri() const {
  return "sip:" + config_.username + "@" + config_.contact_host +
         (config_.secure_transport ? ";transport=wss" : ";transport=ws");
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

ua::Status Registration::start(TimePoint now) {
  if (state_ == State::Unregistering)
    return ua::ua_error(ua::UaErrorCode::InvalidState, "cannot register while unregistering");
  transition(State::Registering);
  requested_ = config_.register_expires;
  challenged_ = false;
  interval_retried_ = false;
  send_register(now, requested_, {}, {});
  return ua::ok_status();
}

ua::Status Registration::stop(TimePoint now) {
  if (state_ == State::Idle || state_ == State::Failed) {
    events_.push_back(Unregistered{});
    if (state_ == State::Failed) state_ = State::Idle;
    return ua::ok_status();
  }
  if (state_ == State::Unregistering)
    return ua::ua_error(ua::UaErrorCode::InvalidState, "already unregistering");
  transition(State::Unregistering);
  challenged_ = false;
  send_register(now, 0, {}, {});
  return ua::ok_status();
}

void Registration::handle_transport_closed(TimePoint /*now*/) {
  if (state_ == State::Unregistering) {
    // Nobody can answer any more; the binding will expire on its own.
    transition(State::Idle);
    events_.push_back(Unregistered{});
  } else if (state_ == State::Registering || state_ == State::Registered) {
    fail(503, "Registration failed: transport closed");
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
  const std::string& instance =
      config_.instance_id.empty() ? config_.authorization_id : config_.instance_id;
  m.add("Contact", "<" + contact_uri() + ">;+sip.instance=\"<urn:uuid:" + instance +
                       ">\";expires=" + std::to_string(expires));
  if (!authorization_header.empty()) m.add(authorization_header, authorization_value);
  m.add("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO, NOTIFY, REFER, UPDATE");
  m.add("User-Agent", config_.user_agent);
  m.set_body({});
  transmits_.push_back(std::move(m));
  timers_.set(TimerKind::NoAnswer, now + config_.register_no_answer);
}

bool Registration::handle_response(const msg::Message& r, TimePoint now) {
  if (state_ != State::Registering && state_ != State::Unregistering) return false;
  // Match by the top Via branch (RFC 3261 §17.1.3) and CSeq.
  const auto via = r.get("Via");
  const auto cseq = r.get("CSeq");
  if (!via || !cseq) return false;
  const auto v = msg::parse_via(*via);
  const auto c = msg::parse_cseq(*cseq);
  if (!v || !c || v->branch() != branch_ || c->seq != cseq_ || c->method != "REGISTER")
    return false;

  timers_.stop(TimerKind::NoAnswer);  // the transport is alive
  if (r.status() < 200) {
    // Still waiting. A registrar that stays silent after a 1xx is bounded by
    // the NICT's Timer F (RFC 3261 §17.1.2.2, core/txn), which hands us a
    // synthetic "408 Request Timeout" like any other final below.
    return true;
  }
  const std::string status_line = r.start_line();
  if (r.status() < 300) {
    on_success(r, now);
    return true;
  }
  if (r.status() == 401 || r.status() == 407) {
    const bool proxy = r.status() == 407;
    const auto values = r.get_all(proxy ? "Proxy-Authenticate" : "WWW-Authenticate");
    auto chosen = auth::choose_challenge(values);
    if (!chosen) {
      fail(r.status(), "Registration failed: " + status_line + " (" + chosen.error().to_string() + ")");
      return true;
    }
    // One answer per challenge; a new challenge after our credentials means
    // they were refused, unless the server flags the nonce as stale.
    if (challenged_ && !chosen->stale) {
      fail(r.status(), "Registration failed: " + status_line);
      return true;
    }
    challenged_ = true;
    auth::Credentials creds{config_.authorization_id, config_.password};
    auth::ClientNonce cn{rng_.hex(16), ++nonce_count_};
    auto header = auth::build_authorization(*chosen, creds, "REGISTER", "sip:" + config_.domain, cn);
    if (!header) {
      fail(r.status(), "Registration failed: " + status_line + " (" + header.error().to_string() + ")");
      return true;
    }
    send_register(now, expires_, proxy ? "Proxy-Authorization" : "Authorization", *header);
    return true;
  }
  if (r.status() == 423 && !interval_retried_ && state_ == State::Registering) {
    // RFC 3261 §10.2.8: retry with an expiry no lower than Min-Expires.
    if (const auto min = r.get("Min-Expires")) {
      std::uint32_t value = 0;
      for (char ch : *min) {
        if (ch < '0' || ch > '9' || value > 100000000u) { value = 0; break; }
        value = value * 10 + static_cast<std::uint32_t>(ch - '0');
      }
      if (value > 0) {
        interval_retried_ = true;
        requested_ = value;
        send_register(now, value, {}, {});
        return true;
      }
    }
  }
  fail(r.status(), "Registration failed: " + status_line);
  return true;
}

void Registration::on_success(const msg::Message& r, TimePoint now) {
  if (state_ == State::Unregistering) {
    transition(State::Idle);
    events_.push_back(Unregistered{});
    return;
  }
  const std::uint32_t granted = granted_expires(r);
  if (granted == 0) {
    // RFC 3261 §10.2.4: a 2xx whose Contact for us is missing means the
    // registrar did not bind us.
    fail(r.status(), "Registration failed: " + r.start_line() + " (missing Contact expires)");
    return;
  }
  transition(State::Registered);
  const Duration interval = static_cast<Duration>(granted) * 1000;
  timers_.set(TimerKind::Refresh, now + std::max(interval / 2, interval - 5000));
  events_.push_back(Registered{granted});
}

std::uint32_t Registration::granted_expires(const msg::Message& r) const {
  // Prefer our own binding (RFC 3261 §10.2.4: the 2xx lists every binding of
  // the AOR); fall back to the first Contact, then to the Expires header.
  const std::string ours = contact_uri();
  std::optional<std::uint32_t> first, mine;
  for (const auto value : r.get_all("Contact")) {
    const auto na = msg::parse_name_addr(value);
    if (!na) continue;
    const auto e = na->param("expires");
    if (!e) continue;
    std::uint32_t secs = 0;
    bool numeric = !e->empty();
    for (char ch : *e) {
      if (ch < '0' || ch > '9' || secs > 100000000u) { numeric = false; break; }
      secs = secs * 10 + static_cast<std::uint32_t>(ch - '0');
    }
    if (!numeric) continue;
    if (!first) first = secs;
    if (na->uri_text() == ours) mine = secs;
  }
  if (mine) return *mine;
  if (first) return *first;
  if (const auto e = r.get("Expires")) {
    std::uint32_t secs = 0;
    for (char ch : *e) {
      if (ch < '0' || ch > '9' || secs > 100000000u) return 0;
      secs = secs * 10 + static_cast<std::uint32_t>(ch - '0');
    }
    return secs;
  }
  return 0;
}

void Registration::fail(int status, std::string message) {
  const bool was_unregistering = state_ == State::Unregistering;
  transition(State::Failed);
  if (was_unregistering) {
    // An unregister that fails still leaves us not registered from the
    // app's point of view; report it as done rather than hang `dispose()`.
    state_ = State::Idle;
    events_.push_back(Unregistered{});
    return;
  }
  events_.push_back(RegistrationFailed{status, std::move(message)});
}

void Registration::handle_timeout(TimePoint now) {
  if (timers_.take_expired(TimerKind::NoAnswer, now)) {
    // Not even a 1xx: the WebSocket is dead (ringcentral-web-phone's 5 s rule).
    events_.push_back(TransportDead{"no response to REGISTER within " +
                                    std::to_string(config_.register_no_answer) + " ms"});
    fail(408, "Registration failed: no response from the server (timeout)");
  }
  if (timers_.take_expired(TimerKind::Refresh, now) && state_ == State::Registered) {
    transition(State::Registering);
    challenged_ = false;
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
