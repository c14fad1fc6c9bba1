// SIP HTTP-Digest authentication, client side (RFC 3261 §22.4, RFC 2617,
// RFC 7616, RFC 8760). Pure functions on header *values*; no I/O, no clock,
// no RNG (the cnonce is passed in; see DigestSession for a stateful helper
// that draws it from an injected wwp::Rng).
//
// Typical use on a 401 (407):
//   1. values = every WWW-Authenticate (Proxy-Authenticate) header value.
//   2. auto ch = choose_challenge(values);       // strongest usable
//      if (!ch) -> final failure, report ch.error().to_string().
//   3. auto hv = build_authorization(*ch, creds, method, request_uri, cn);
//      if (!hv) -> local error (bad input); do not send.
//   4. Resend the request (new CSeq, RFC 3261 §22.2) with an Authorization
//      (Proxy-Authorization) header whose value is *hv.
//   A second 401/407 for the same realm without stale=true means the
//   credentials were refused: do not retry (RFC 3261 §22.2). DigestSession
//   implements that bookkeeping.
//
// Not supported (each yields an error or is ignored, never a wrong answer):
//   - qop=auth-int (needs the body hash): UnsupportedQop if it is the only
//     qop offered; with "auth,auth-int" we answer qop=auth.
//   - userhash=true (RFC 7616 §3.4.4): ignored; the username is sent in clear,
//     which RFC 7616 permits the server to accept.
//   - username* (RFC 7616 §3.4.4, RFC 5987 ext-value): never emitted. Every
//     username that can appear in a SIP header at all fits a quoted-string
//     once '"' and '\' are escaped; control characters are rejected instead.
//   - SHA-512-256 and other algorithms: UnsupportedAlgorithm.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/auth/auth_error.hpp"
#include "core/util/result.hpp"

namespace wwp::auth {

/// Digest algorithms we implement (RFC 7616 §3.2, RFC 8760 §2.2).
enum class Algorithm : std::uint8_t { Md5, Md5Sess, Sha256, Sha256Sess };

/// Canonical token as sent in `algorithm=` ("MD5", "MD5-sess", "SHA-256",
/// "SHA-256-sess").
std::string_view to_string(Algorithm a);

/// A parsed Digest challenge. Strings hold *unquoted, unescaped* values,
/// i.e. exactly what RFC 7616 feeds to H() via unq().
struct Challenge {
  std::string realm;   ///< required
  std::string nonce;   ///< required
  std::string opaque;  ///< echoed verbatim when has_opaque (RFC 7616 §3.4)
  bool has_opaque = false;
  std::string domain;  ///< space-separated URI list, informational only
  Algorithm algorithm = Algorithm::Md5;  ///< absent => MD5 (RFC 2617 §3.2.1)
  bool qop_present = false;   ///< the challenge carried a qop param at all
  bool qop_auth = false;      ///< "auth" was among the qop options
  bool qop_auth_int = false;  ///< "auth-int" was among the qop options
  /// stale=TRUE (case-insensitive, quoted or not): the previous request's
  /// nonce expired but its digest was valid. Retry with the new nonce; do
  /// NOT treat this as a credentials failure (RFC 7616 §3.3).
  bool stale = false;
};

/// Parses one WWW-Authenticate / Proxy-Authenticate header value, e.g.
///   Digest realm="atlanta.com", nonce="84a4cc6f", qop="auth,auth-int"
/// Accepts: scheme in any case; auth-params in any order with LWS (incl.
/// CRLF-folding) around '=' and ','; token or quoted-string values with
/// quoted-pair escapes; empty list elements (", ,"). Unknown params are
/// ignored (RFC 7616 §3.3 "Any unrecognized directive MUST be ignored").
/// Errors (all Remote, see auth_error.hpp): NotDigest, UnbalancedQuote,
/// Malformed, DuplicateParam, MissingRealm, MissingNonce,
/// UnsupportedAlgorithm.
Result<Challenge, AuthError> parse_challenge(std::string_view header_value);

/// Whether build_authorization can answer `c` at all: false when qop was
/// offered without "auth" (auth-int only) or a -sess algorithm comes without
/// qop=auth. build_authorization returns UnsupportedQop in exactly those cases.
bool is_answerable(const Challenge& c);

/// Picks the challenge to answer from all the challenge header values of one
/// 401/407. Values that fail to parse, are not Digest, or cannot be answered
/// (auth-int only, -sess without qop) are skipped (RFC 8760 §2.4: "MUST
/// ignore any challenge it does not support"). Among the rest, SHA-256 and
/// SHA-256-sess beat MD5 and MD5-sess (local policy, which RFC 8760 §2.4
/// allows over "use the topmost"); ties go to the topmost value.
/// Returns NoUsableChallenge (detail = first failure) if nothing is usable.
/// Note: when several proxies challenge with different realms, this picks
/// one; DigestSession answers every realm.
Result<Challenge, AuthError> choose_challenge(const std::vector<std::string_view>& values);

/// The user's secret. `username` is the digest username (RingCentral:
/// sipInfo.authorizationId), not necessarily the AOR user part.
struct Credentials {
  std::string username;
  std::string password;
};

/// Client nonce state for one Authorization. Used only when qop=auth is
/// answered or a -sess algorithm is used; `cnonce` must then be a non-empty
/// token (we draw hex) and `nc` >= 1, incremented per request on the same
/// nonce (RFC 7616 §3.4: nc is 8 hex digits).
struct ClientNonce {
  std::string cnonce;
  std::uint32_t nc = 1;
};

/// Builds the full Authorization / Proxy-Authorization header value:
///   Digest username="…", realm="…", nonce="…", uri="…", response="…",
///   algorithm=MD5[, qop=auth, nc=00000001, cnonce="…"][, opaque="…"]
/// `digest_uri` is the Request-URI of the request being authorized
/// (RFC 3261 §22.4 "the digest-uri ... MUST equal the Request-URI").
/// qop=auth is used whenever the server offered "auth".
/// Quoted values are escaped ('"' and '\' get a backslash, RFC 7616 §3.4).
/// Errors:
///   InvalidCharacter (Local) – CR, LF, NUL or another CTL in any input or
///     challenge field (header injection guard); detail names the field.
///   InvalidClientNonce (Local) – qop/-sess in use and cnonce empty, not a
///     token, or nc == 0.
///   UnsupportedQop (Remote) – see auth_error.hpp.
/// Never throws; deterministic for given inputs.
Result<std::string, AuthError> build_authorization(const Challenge& challenge,
                                                   const Credentials& credentials,
                                                   std::string_view method,
                                                   std::string_view digest_uri,
                                                   const ClientNonce& client_nonce);

/// The `response` value alone (lowercase hex), exposed for tests and for
/// servers-in-tests. Same inputs, same errors as build_authorization.
Result<std::string, AuthError> compute_response(const Challenge& challenge,
                                                const Credentials& credentials,
                                                std::string_view method,
                                                std::string_view digest_uri,
                                                const ClientNonce& client_nonce);

}  // namespace wwp::auth
