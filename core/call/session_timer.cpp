// RFC 4028 session timers: header fields, both roles' negotiation, and the
// refresh/expiry machine (see session_timer.hpp for the table).
#include "core/call/session_timer.hpp"

#include <algorithm>
#include <cassert>

#include "core/msg/params.hpp"
#include "core/msg/scan.hpp"

namespace wwp::call {

namespace {

/// `1*DIGIT` (§4, §5: delta-seconds); nullopt for anything else or more
/// than fits (a session of 2^32 s is no session timer worth keeping).
std::optional<std::uint32_t> delta_seconds(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return v;
}

}  // namespace

std::optional<SessionExpires> parse_session_expires(std::string_view value) {
  value = msg::scan::trim(value);
  const std::size_t semi = value.find(';');
  const auto delta = delta_seconds(msg::scan::trim(value.substr(0, semi)));
  if (!delta) return std::nullopt;
  SessionExpires se;
  se.delta = *delta;
  if (semi != std::string_view::npos) {
    auto params = msg::parse_params(value.substr(semi));
    if (!params) return std::nullopt;
    if (const auto r = msg::find_param(*params, "refresher")) {
      if (msg::scan::iequals(*r, "uac")) se.refresher = SessionExpires::Refresher::Uac;
      else if (msg::scan::iequals(*r, "uas")) se.refresher = SessionExpires::Refresher::Uas;
    }
  }
  return se;
}

std::string to_string(const SessionExpires& se) {
  std::string s = std::to_string(se.delta);
  if (se.refresher == SessionExpires::Refresher::Uac) s += ";refresher=uac";
  if (se.refresher == SessionExpires::Refresher::Uas) s += ";refresher=uas";
  return s;
}

std::optional<std::uint32_t> parse_min_se(std::string_view value) {
  value = msg::scan::trim(value);
  // §5: "Min-SE = delta-seconds *(SEMI generic-param)".
  return delta_seconds(msg::scan::trim(value.substr(0, value.find(';'))));
}

bool lists_option(const msg::Message& m, std::string_view header, std::string_view option) {
  for (const auto v : m.get_all(header))
    if (msg::scan::iequals(msg::scan::trim(v), option)) return true;
  return false;
}

SessionTimerConfig clamp(std::uint32_t session_expires, std::uint32_t min_se) {
  SessionTimerConfig c;
  // §4: never below 90 s, neither what we ask for nor what we accept.
  c.min_se = std::max(min_se, kMinSessionExpires);
  c.session_expires = session_expires == 0 ? 0 : std::max(session_expires, c.min_se);
  return c;
}

std::vector<std::pair<std::string, std::string>> uac_request_headers(std::uint32_t interval,
                                                                     std::uint32_t min_se) {
  return {{"Session-Expires", std::to_string(interval)}, {"Min-SE", std::to_string(min_se)}};
}

UasVerdict uas_negotiate(const msg::Message& request, const SessionTimerConfig& cfg) {
  UasVerdict v;
  const auto header = request.get("Session-Expires");
  // We start timers only when the request asks for them: a peer that lists
  // `timer` without a Session-Expires gets none from us (§9 lets the UAS add
  // one; we do not, so a server that never refreshes cannot lose its calls).
  if (!header) return v;
  const auto se = parse_session_expires(*header);
  if (!se) return v;  // unreadable: as if absent (never fatal, house style §11)
  const bool supports = lists_option(request, "Supported", "timer") || lists_option(request, "Require", "timer");
  std::uint32_t interval = se->delta;
  if (interval < cfg.min_se) {
    // §9: "If an incoming request contains a Supported header field with a
    // value 'timer' and a Session Expires header field, the UAS MAY reject
    // the INVITE request with a 422 ... When sending the 422 response, the
    // UAS MUST include a Min-SE header field". Without `timer` the UAC could
    // not act on a 422 (a proxy put the header in), so we take the interval
    // as it is: "The UAS MUST NOT increase the value".
    if (supports) {
      v.kind = UasVerdict::Kind::Reject422;
      v.min_se = cfg.min_se;
      return v;
    }
  }
  // §9: "The UAS response MAY reduce its value but MUST NOT set it to a
  // duration lower than the value in the Min-SE header field in the request
  // ... MUST NOT increase". We keep it: our session_expires is what we ask
  // for, not a cap on what the peer may ask.
  SessionExpires answer{interval, se->refresher};
  if (answer.refresher == SessionExpires::Refresher::Unset) {
    // §9: "If the refresher parameter in the request was absent, the UAS
    // ... if the UAC supports the extension, ... 'uac' ... otherwise 'uas'"
    // (a UAC without the extension would never refresh).
    answer.refresher = supports ? SessionExpires::Refresher::Uac : SessionExpires::Refresher::Uas;
  }
  v.kind = UasVerdict::Kind::Accept;
  v.terms = SessionTerms{interval, answer.refresher == SessionExpires::Refresher::Uas};
  v.headers.emplace_back("Session-Expires", to_string(answer));
  // §9: "If the refresher parameter in the 2xx response has a value of
  // 'uac', the UAS MUST place a Require header field with the value 'timer'
  // ... the UAS MAY include one if it is 'uas'" — we do whenever the UAC
  // supports it, so it knows the timer is on.
  if (supports) v.headers.emplace_back("Require", "timer");
  return v;
}

std::optional<SessionTerms> uac_on_2xx(const msg::Message& response) {
  // §7.2: "If the 2xx response did not contain a Session-Expires header
  // field, there is no session expiration."
  const auto header = response.get("Session-Expires");
  if (!header) return std::nullopt;
  const auto se = parse_session_expires(*header);
  if (!se || se->delta == 0) return std::nullopt;
  // §7.2: refresher=uac makes us the refresher; so does a 2xx whose
  // Session-Expires a proxy inserted for a UAS without the extension (no
  // refresher we can trust: §8.2 has the proxy set "uac" then). Only an
  // explicit "uas" hands refreshing to the peer.
  return SessionTerms{se->delta, se->refresher != SessionExpires::Refresher::Uas};
}

// --- the machine --------------------------------------------------------------

void SessionTimer::transition(State next) {
  // Every move is legal (see the table in the header); the entry actions
  // are what differs: timers of the old role never survive a new one.
  timers_.clear();
  state_ = next;
}

void SessionTimer::start(SessionTerms terms, TimePoint now) {
  if (terms.interval == 0) return stop();
  terms_ = terms;
  transition(terms.we_refresh ? State::Refresher : State::Watcher);
  if (terms.we_refresh) timers_.set(TimerKind::Refresh, now + refresh_after(terms.interval));
  else timers_.set(TimerKind::Expire, now + expire_after(terms.interval));
}

void SessionTimer::resume(SessionTerms terms, TimePoint now) {
  if (terms.interval == 0) return stop();
  start(terms, now);
  if (terms.we_refresh) {
    // The old UA refreshed at most N/2 ago and the peer gives up at
    // N - min(32, N/3) after that refresh: refresh by their difference.
    const Duration margin = expire_after(terms.interval) - refresh_after(terms.interval);
    timers_.set(TimerKind::Refresh, now + std::max<Duration>(margin, 1000));
  }
}

void SessionTimer::stop() {
  transition(State::Off);
  terms_ = {};
}

void SessionTimer::retry_refresh(TimePoint at) {
  if (state_ == State::Refresher) timers_.set(TimerKind::Refresh, at);
}

SessionTimer::Action SessionTimer::handle_timeout(TimePoint now) {
  if (timers_.take_expired(TimerKind::Refresh, now)) {
    assert(state_ == State::Refresher);
    return Action::Refresh;  // re-armed by the refresh's 2xx (start)
  }
  if (timers_.take_expired(TimerKind::Expire, now)) {
    assert(state_ == State::Watcher);
    stop();
    return Action::Expire;
  }
  return Action::None;
}

}  // namespace wwp::call
