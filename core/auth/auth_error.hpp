// Errors returned by core/auth (house style §11-12). Every code says whose
// fault it is and what the caller must do.
//
//  Remote (the 401/407 we received is unusable; class (a), never fatal):
//    the caller MUST NOT retry the request with credentials built from that
//    challenge. If no other challenge in the response is usable, treat the
//    401/407 as a final failure (RFC 3261 §8.1.3.5: a 4xx is final) and
//    report it to the user with to_string().
//  Local (our own inputs are wrong; class (b)): fix the caller. Retrying
//    with the same inputs fails the same way.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace wwp::auth {

enum class AuthErrorCode : std::uint8_t {
  // --- Remote: problems in a WWW-Authenticate / Proxy-Authenticate value ---
  /// The auth-scheme is not "Digest" (e.g. Basic, Bearer). Skip this value;
  /// another header line of the same response may still be Digest.
  NotDigest,
  /// A quoted-string has no closing DQUOTE (RFC 3261 §25.1 quoted-string).
  UnbalancedQuote,
  /// Any other syntax error: missing '=', empty or non-token name/value,
  /// junk between params, a bare CR/LF or control character.
  Malformed,
  /// The same auth-param appears twice (RFC 7235 §2.1: "Each parameter name
  /// MUST only occur once per challenge").
  DuplicateParam,
  /// No `realm` param (mandatory, RFC 3261 §25.1 digest-cln / RFC 7616 §3.3).
  MissingRealm,
  /// No `nonce` param (mandatory, RFC 7616 §3.3).
  MissingNonce,
  /// `algorithm` is not one of MD5, MD5-sess, SHA-256, SHA-256-sess
  /// (e.g. SHA-512-256). detail holds the offered value.
  UnsupportedAlgorithm,
  /// The challenge cannot be answered with qop=auth or without qop: the
  /// server offered only auth-int (we do not hash bodies), qop listed no
  /// known value, or a -sess algorithm came without qop (RFC 7616 §3.4.2
  /// needs a cnonce, which RFC 2617 §3.2.2 forbids sending without qop).
  UnsupportedQop,
  /// choose_challenge() / DigestSession got no usable Digest challenge.
  /// detail holds the error of the first value that failed.
  NoUsableChallenge,
  /// DigestSession: the server challenged the same realm again without
  /// stale=true after we had answered it, i.e. it refused the credentials
  /// (RFC 3261 §22.2: do not retry with the same credentials). Report an
  /// authentication failure to the user; do not loop.
  CredentialsRejected,

  // --- Local: our own inputs ---
  /// An input (username, password, method, uri, cnonce, or a challenge field
  /// passed in by hand) contains CR, LF, NUL or another control character
  /// that could inject a header line. detail names the field.
  InvalidCharacter,
  /// nc was 0 or the cnonce was empty/not a token while qop=auth is used
  /// (RFC 7616 §3.4: nc counts from 00000001; cnonce is required).
  InvalidClientNonce,
  /// DigestSession::authorize() before any challenge was accepted.
  NoChallenge,
};

struct AuthError {
  AuthErrorCode code;
  std::string detail;  ///< optional context (field name, offered value)

  /// True for the Remote codes above (server's fault), false for Local ones.
  bool is_remote() const;
  /// Human-readable, e.g. "unsupported digest algorithm: SHA-512-256".
  std::string to_string() const;
};

inline bool operator==(const AuthError& e, AuthErrorCode c) { return e.code == c; }

/// Stable short name of a code, e.g. "MissingNonce" (for logs and tests).
std::string_view to_string(AuthErrorCode code);

}  // namespace wwp::auth
