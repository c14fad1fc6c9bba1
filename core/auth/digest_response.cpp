// Computing and serialising the Digest response: RFC 2617 §3.2.2,
// RFC 7616 §3.4 (with §3.4.1-3.4.3 for response, A1, A2), RFC 3261 §22.4.
#include "core/auth/digest.hpp"
#include "core/auth/digest_text.hpp"
#include "core/auth/hex.hpp"
#include "core/auth/md5.hpp"
#include "core/auth/sha256.hpp"

namespace wwp::auth {
namespace {

bool is_sess(Algorithm a) { return a == Algorithm::Md5Sess || a == Algorithm::Sha256Sess; }

std::string hash_hex(Algorithm a, std::string_view data) {
  return (a == Algorithm::Sha256 || a == Algorithm::Sha256Sess) ? sha256_hex(data) : md5_hex(data);
}

/// Header-injection guard: nothing we hash or emit may hold CR, LF, NUL or
/// another CTL (HTAB is legal LWS inside a quoted-string).
Result<bool, AuthError> check_text(std::string_view field, std::string_view value) {
  for (char c : value)
    if (detail::is_ctl(c)) return err(AuthError{AuthErrorCode::InvalidCharacter, std::string(field)});
  return true;
}

/// Appends `name="value"` with '"' and '\' escaped as quoted-pairs
/// (RFC 3261 §25.1 quoted-pair; RFC 7616 §3.4 quoted-string values).
void append_quoted(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += "=\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

std::string nc_hex(std::uint32_t nc) {
  // nc-value = 8LHEX (RFC 3261 §25.1, RFC 7616 §3.4): the count's four bytes,
  // most significant first. Not snprintf("%08x"): the printf family is ~15 KB
  // of the wasm module (long double formatting included) for this one call.
  const std::uint8_t be[4] = {static_cast<std::uint8_t>(nc >> 24), static_cast<std::uint8_t>(nc >> 16),
                              static_cast<std::uint8_t>(nc >> 8), static_cast<std::uint8_t>(nc)};
  return to_hex_lower(be, sizeof be);
}

struct Computed {
  std::string response;
  bool use_qop;
  bool use_cnonce;
};

Result<Computed, AuthError> compute(const Challenge& ch, const Credentials& cr, std::string_view method,
                                    std::string_view uri, const ClientNonce& cn) {
  const std::pair<std::string_view, std::string_view> fields[] = {
      {"username", cr.username}, {"password", cr.password}, {"method", method},
      {"uri", uri},              {"cnonce", cn.cnonce},     {"realm", ch.realm},
      {"nonce", ch.nonce},       {"opaque", ch.opaque},
  };
  for (const auto& [name, value] : fields)
    if (auto ok = check_text(name, value); !ok) return err(ok.error());

  // We answer qop=auth whenever it is offered. Without any qop we fall back
  // to the RFC 2069 form (RFC 2617 §3.2.2.1 "If the qop directive is not
  // present"), which SIP registrars such as RingCentral still use.
  // auth-int would need H(entity-body) (RFC 7616 §3.4.3), which this layer
  // never sees, so an auth-int-only challenge is refused, not guessed at.
  if (!is_answerable(ch)) {
    const char* why = (ch.qop_present && !ch.qop_auth) ? "server did not offer qop=auth"
                                                       : "-sess algorithm without qop=auth";
    return err(AuthError{AuthErrorCode::UnsupportedQop, why});
  }
  const bool use_qop = ch.qop_auth;
  const bool use_cnonce = use_qop || is_sess(ch.algorithm);
  if (use_cnonce) {
    if (cn.cnonce.empty()) return err(AuthError{AuthErrorCode::InvalidClientNonce, "empty cnonce"});
    if (cn.nc == 0) return err(AuthError{AuthErrorCode::InvalidClientNonce, "nc must be >= 1"});
  }

  const Algorithm alg = ch.algorithm;
  // RFC 7616 §3.4.2: A1 = unq(username) ":" unq(realm) ":" passwd; for
  // -sess, A1 = H(that) ":" unq(nonce-prefer) ":" unq(cnonce-prefer).
  std::string ha1 = hash_hex(alg, cr.username + ":" + ch.realm + ":" + cr.password);
  if (is_sess(alg)) ha1 = hash_hex(alg, ha1 + ":" + ch.nonce + ":" + cn.cnonce);
  // §3.4.3 with qop=auth or absent: A2 = Method ":" request-uri.
  std::string a2;
  a2.reserve(method.size() + 1 + uri.size());
  a2.append(method).append(":").append(uri);
  const std::string ha2 = hash_hex(alg, a2);
  // §3.4.1: response = KD(H(A1), unq(nonce) ":" nc ":" unq(cnonce) ":"
  // unq(qop) ":" H(A2)); RFC 2617 §3.2.2.1 without qop:
  // KD(H(A1), unq(nonce) ":" H(A2)), with KD(s, d) = H(s ":" d).
  std::string kd = ha1 + ":" + ch.nonce + ":";
  if (use_qop) kd += nc_hex(cn.nc) + ":" + cn.cnonce + ":auth:";
  kd += ha2;
  return Computed{hash_hex(alg, kd), use_qop, use_cnonce};
}

}  // namespace

std::string_view to_string(Algorithm a) {
  switch (a) {
    case Algorithm::Md5: return "MD5";
    case Algorithm::Md5Sess: return "MD5-sess";
    case Algorithm::Sha256: return "SHA-256";
    case Algorithm::Sha256Sess: return "SHA-256-sess";
  }
  return "MD5";
}

Result<std::string, AuthError> compute_response(const Challenge& challenge, const Credentials& credentials,
                                                std::string_view method, std::string_view digest_uri,
                                                const ClientNonce& client_nonce) {
  auto c = compute(challenge, credentials, method, digest_uri, client_nonce);
  if (!c) return err(c.error());
  return std::move(c->response);
}

Result<std::string, AuthError> build_authorization(const Challenge& challenge, const Credentials& credentials,
                                                   std::string_view method, std::string_view digest_uri,
                                                   const ClientNonce& client_nonce) {
  auto c = compute(challenge, credentials, method, digest_uri, client_nonce);
  if (!c) return err(c.error());

  // RFC 3261 §25.1 credentials = ("Digest" LWS digest-response) ...
  std::string out = "Digest ";
  append_quoted(out, "username", credentials.username);
  out += ", ";
  append_quoted(out, "realm", challenge.realm);
  out += ", ";
  append_quoted(out, "nonce", challenge.nonce);
  out += ", ";
  append_quoted(out, "uri", digest_uri);
  out += ", ";
  append_quoted(out, "response", c->response);
  out += ", algorithm=";
  out += to_string(challenge.algorithm);
  if (c->use_qop) {
    // message-qop and nonce-count are unquoted tokens (§25.1); RFC 2617
    // §3.2.2: cnonce "MUST NOT be specified if the server did not send a
    // qop directive", so it is emitted only here.
    out += ", qop=auth, nc=";
    out += nc_hex(client_nonce.nc);
    out += ", ";
    append_quoted(out, "cnonce", client_nonce.cnonce);
  }
  if (challenge.has_opaque) {
    // RFC 7616 §3.4: opaque "MUST be returned by the client unchanged".
    out += ", ";
    append_quoted(out, "opaque", challenge.opaque);
  }
  return out;
}

}  // namespace wwp::auth
