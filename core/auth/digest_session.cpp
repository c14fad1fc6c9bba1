// DigestSession bookkeeping; see digest_session.hpp for the contract.
#include "core/auth/digest_session.hpp"

#include <limits>

namespace wwp::auth {
namespace {

int strength(Algorithm a) { return (a == Algorithm::Sha256 || a == Algorithm::Sha256Sess) ? 2 : 1; }

bool needs_cnonce(const Challenge& c) {
  return c.qop_auth || c.algorithm == Algorithm::Md5Sess || c.algorithm == Algorithm::Sha256Sess;
}

}  // namespace

std::string_view authorization_header_name(ChallengeKind kind) {
  return kind == ChallengeKind::Proxy ? "Proxy-Authorization" : "Authorization";
}

DigestSession::RealmState* DigestSession::find(std::string_view realm) {
  for (auto& r : realms_)
    if (r.challenge.realm == realm) return &r;
  return nullptr;
}

const DigestSession::RealmState* DigestSession::find(std::string_view realm) const {
  for (const auto& r : realms_)
    if (r.challenge.realm == realm) return &r;
  return nullptr;
}

Result<ChallengeOutcome, AuthError> DigestSession::handle_challenge(
    ChallengeKind kind, const std::vector<std::string_view>& values) {
  // Per realm, the strongest usable challenge, topmost on ties (RFC 8760
  // §2.4). Several realms happen when forking proxies each challenge
  // (RFC 3261 §22.3: the UAC answers each of them).
  std::vector<Challenge> chosen;
  std::string first_error;
  for (std::string_view v : values) {
    auto parsed = parse_challenge(v);
    if (!parsed || !is_answerable(*parsed)) {
      if (first_error.empty())
        first_error = parsed ? AuthError{AuthErrorCode::UnsupportedQop, {}}.to_string()
                             : parsed.error().to_string();
      continue;
    }
    Challenge* same = nullptr;
    for (auto& c : chosen)
      if (c.realm == parsed->realm) same = &c;
    if (same == nullptr) {
      chosen.push_back(std::move(*parsed));
    } else if (strength(parsed->algorithm) > strength(same->algorithm)) {
      *same = std::move(*parsed);
    }
  }
  if (chosen.empty()) {
    if (first_error.empty()) first_error = "no challenge values";
    return err(AuthError{AuthErrorCode::NoUsableChallenge, first_error});
  }

  // Check everything before mutating, so an error leaves the session as is.
  ChallengeOutcome outcome;
  for (const Challenge& c : chosen) {
    const RealmState* prev = find(c.realm);
    // RFC 3261 §22.2: a re-challenge after our credentials means they were
    // refused, unless stale=TRUE says only the nonce expired (RFC 7616 §3.3).
    if (prev != nullptr && prev->answered && !c.stale)
      return err(AuthError{AuthErrorCode::CredentialsRejected, "realm \"" + c.realm + "\""});
    outcome.is_stale_retry = outcome.is_stale_retry || c.stale;
  }
  outcome.realms = chosen.size();

  for (Challenge& c : chosen) {
    RealmState* prev = find(c.realm);
    if (prev == nullptr) {
      realms_.push_back(RealmState{kind, std::move(c), {}, 0, false});
      continue;
    }
    prev->kind = kind;
    prev->answered = false;
    if (prev->challenge.nonce != c.nonce || prev->challenge.algorithm != c.algorithm) {
      // New nonce: nc restarts at 00000001 with a fresh cnonce (RFC 7616
      // §3.4 "The nc value ... counts the number of requests ... sent with
      // the nonce value in this request").
      prev->nc = 0;
      prev->cnonce.clear();
    }
    prev->challenge = std::move(c);
  }
  return outcome;
}

Result<std::vector<AuthorizationHeader>, AuthError> DigestSession::authorize(std::string_view method,
                                                                             std::string_view digest_uri,
                                                                             Rng& rng) {
  if (realms_.empty()) return err(AuthError{AuthErrorCode::NoChallenge, {}});
  std::vector<AuthorizationHeader> out;
  out.reserve(realms_.size());
  // Draw cnonces and build every header before committing any counter.
  std::vector<std::string> cnonces;
  cnonces.reserve(realms_.size());
  for (const RealmState& r : realms_) {
    if (r.nc == std::numeric_limits<std::uint32_t>::max())
      return err(AuthError{AuthErrorCode::InvalidClientNonce, "nonce count exhausted"});
    std::string cnonce = r.cnonce;
    if (cnonce.empty() && needs_cnonce(r.challenge)) cnonce = rng.hex(kCnonceHexChars);
    auto value = build_authorization(r.challenge, credentials_, method, digest_uri,
                                     ClientNonce{cnonce, r.nc + 1});
    if (!value) return err(value.error());
    out.push_back(AuthorizationHeader{authorization_header_name(r.kind), r.kind, r.challenge.realm,
                                      std::move(*value)});
    cnonces.push_back(std::move(cnonce));
  }
  for (std::size_t i = 0; i < realms_.size(); ++i) {
    realms_[i].cnonce = std::move(cnonces[i]);
    realms_[i].nc += 1;
    realms_[i].answered = true;
  }
  return out;
}

void DigestSession::handle_accepted() {
  for (auto& r : realms_) r.answered = false;
}

std::uint32_t DigestSession::nonce_count(std::string_view realm) const {
  const RealmState* r = find(realm);
  return r ? r->nc : 0;
}

}  // namespace wwp::auth
