// DigestSession: per-realm nonce / nonce-count / cnonce bookkeeping for one
// authenticated context (one registration, or one dialog's requests), on top
// of the pure functions in digest.hpp. Sans-IO: the cnonce comes from the
// caller's wwp::Rng; no clock, no sockets.
//
// Calling contract:
//   1. On every 401 (kind = Www) or 407 (kind = Proxy) to a request sent
//      through this session, pass ALL its WWW-Authenticate /
//      Proxy-Authenticate values to handle_challenge().
//        ok    -> resend the request (new CSeq) with authorize()'s headers.
//                 outcome.is_stale_retry tells the UI this was a nonce
//                 refresh (stale=true, RFC 7616 §3.3), not a failure.
//        error -> final: CredentialsRejected (the server re-challenged a
//                 realm we had answered, without stale: RFC 3261 §22.2 says
//                 do not retry with the same credentials) or
//                 NoUsableChallenge. Report and stop; do not resend.
//   2. Before sending any request in this context, call authorize() and add
//      every returned header (RFC 3261 §22.3: a UAC MAY pre-emptively send
//      cached credentials; the server's nonce count then keeps replay
//      protection). Each call increments nc for every realm (RFC 7616 §3.4).
//   3. When a request that carried our credentials gets a final response
//      other than 401/407, call handle_accepted(): the credentials worked,
//      so a later fresh challenge (say, nonce expiry without stale=true at
//      re-REGISTER time) is answered once more instead of being taken as a
//      rejection.
//   4. reset() or set_credentials() forgets all realms.
//
// Nonce-count rules (RFC 7616 §3.4, RFC 2617 §3.2.2): a challenge carrying
// the nonce we already use keeps counting; a new nonce resets nc so the next
// authorize() sends nc=00000001, with a fresh cnonce drawn from the Rng.
//
// Realms are matched exactly (RFC 3261 §22.1: realm is a quoted-string
// compared as such). One Credentials object serves every realm; callers with
// per-realm secrets should use build_authorization() directly.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/auth/digest.hpp"
#include "core/util/result.hpp"
#include "core/util/rng.hpp"

namespace wwp::auth {

/// Which header carried the challenge, hence which header answers it
/// (RFC 3261 §22.2 401/WWW-Authenticate/Authorization, §22.3
/// 407/Proxy-Authenticate/Proxy-Authorization).
enum class ChallengeKind : std::uint8_t { Www, Proxy };

/// "Authorization" or "Proxy-Authorization".
std::string_view authorization_header_name(ChallengeKind kind);

struct ChallengeOutcome {
  /// True if some realm was re-challenged with stale=true: retry with the
  /// new nonce; the credentials themselves were fine.
  bool is_stale_retry = false;
  /// Realms updated by this challenge (>= 1).
  std::size_t realms = 0;
};

struct AuthorizationHeader {
  std::string_view name;  ///< authorization_header_name(kind); static storage
  ChallengeKind kind;
  std::string realm;
  std::string value;      ///< full header value, "Digest username=..."
};

class DigestSession {
 public:
  /// Size of the cnonce drawn from the Rng, in hex characters (128 bits).
  static constexpr std::size_t kCnonceHexChars = 32;

  explicit DigestSession(Credentials credentials) : credentials_(std::move(credentials)) {}

  /// Feeds the challenge values of one 401/407. Values are grouped by realm
  /// and the strongest usable challenge per realm is kept (choose_challenge
  /// rules). Atomic: on error nothing changes.
  /// Errors: NoUsableChallenge, CredentialsRejected (both Remote; final).
  Result<ChallengeOutcome, AuthError> handle_challenge(ChallengeKind kind,
                                                       const std::vector<std::string_view>& values);

  /// Headers to add to the next request, one per known realm, in the order
  /// the realms were first challenged. Increments each realm's nc.
  /// Atomic: on error no counter moves.
  /// Errors: NoChallenge (Local: nothing to answer yet), and those of
  /// build_authorization (InvalidCharacter for a bad method/uri,
  /// InvalidClientNonce if nc would pass ffffffff).
  Result<std::vector<AuthorizationHeader>, AuthError> authorize(std::string_view method,
                                                                std::string_view digest_uri, Rng& rng);

  /// A request carrying our credentials got a final non-401/407 response.
  void handle_accepted();

  /// The nc most recently sent for `realm` (0 if none since its nonce).
  std::uint32_t nonce_count(std::string_view realm) const;

  /// True once handle_challenge() accepted a challenge (authorize() usable).
  bool has_challenge() const { return !realms_.empty(); }

  void reset() { realms_.clear(); }
  void set_credentials(Credentials credentials) {
    credentials_ = std::move(credentials);
    reset();
  }

 private:
  struct RealmState {
    ChallengeKind kind;
    Challenge challenge;
    std::string cnonce;       // drawn on first authorize() for this nonce
    std::uint32_t nc = 0;     // last nc sent for this nonce
    bool answered = false;    // sent since the last challenge/acceptance
  };

  RealmState* find(std::string_view realm);
  const RealmState* find(std::string_view realm) const;

  Credentials credentials_;
  std::vector<RealmState> realms_;
};

}  // namespace wwp::auth
