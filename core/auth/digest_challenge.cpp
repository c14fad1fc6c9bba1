// Parsing of Digest challenges: RFC 3261 §25.1 (challenge, digest-cln,
// quoted-string, LWS), RFC 2617 §3.2.1, RFC 7616 §3.3, RFC 8760 §2.
//
// The grammar is walked by hand in one pass; the only allocations are the
// unescaped values we keep. Any byte sequence yields a Challenge or an
// AuthError, never UB: every index is checked against the size first.
#include <cstddef>

#include "core/auth/digest.hpp"
#include "core/auth/digest_text.hpp"

namespace wwp::auth {
namespace {

using detail::iequals;
using detail::is_token_char;

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}

  bool done() const { return i_ >= s_.size(); }
  char peek() const { return s_[i_]; }
  void bump() { ++i_; }

  /// True at CRLF followed by SP/HTAB: header folding, which RFC 3261 §7.3.1
  /// makes equivalent to a single SP.
  bool at_fold() const {
    return i_ + 2 < s_.size() && s_[i_] == '\r' && s_[i_ + 1] == '\n' &&
           (s_[i_ + 2] == ' ' || s_[i_ + 2] == '\t');
  }

  /// LWS = [*WSP CRLF] 1*WSP (§25.1); returns whether anything was skipped.
  bool skip_lws() {
    const std::size_t start = i_;
    while (!done()) {
      if (peek() == ' ' || peek() == '\t') {
        ++i_;
      } else if (at_fold()) {
        i_ += 2;
      } else {
        break;
      }
    }
    return i_ != start;
  }

  std::string_view token() {
    const std::size_t start = i_;
    while (!done() && is_token_char(peek())) ++i_;
    return s_.substr(start, i_ - start);
  }

  /// quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE, with the
  /// opening DQUOTE at the cursor. Unescapes into `out`.
  Result<std::string, AuthError> quoted_string() {
    ++i_;  // opening DQUOTE
    std::string out;
    while (!done()) {
      const char c = peek();
      if (c == '"') {
        ++i_;
        return out;
      }
      if (at_fold()) {  // folded LWS inside qdtext counts as SP
        i_ += 3;
        out += ' ';
        continue;
      }
      if (c == '\\') {
        // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F); we also refuse
        // escaped control characters so nothing we echo can carry CR/LF/NUL.
        if (i_ + 1 >= s_.size()) return err(AuthError{AuthErrorCode::UnbalancedQuote, {}});
        const char e = s_[i_ + 1];
        if (detail::is_ctl(e)) return err(AuthError{AuthErrorCode::Malformed, "control character"});
        out += e;
        i_ += 2;
        continue;
      }
      // qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII: no CTLs
      // except HTAB.
      if (detail::is_ctl(c)) return err(AuthError{AuthErrorCode::Malformed, "control character"});
      out += c;
      ++i_;
    }
    return err(AuthError{AuthErrorCode::UnbalancedQuote, {}});
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

enum Seen : unsigned {
  kRealm = 1u << 0,
  kNonce = 1u << 1,
  kOpaque = 1u << 2,
  kAlgorithm = 1u << 3,
  kQop = 1u << 4,
  kStale = 1u << 5,
  kDomain = 1u << 6,
};

Result<Algorithm, AuthError> parse_algorithm(std::string_view v) {
  // RFC 7616 §3.3: algorithm names are case-insensitive tokens in practice
  // ("algorithm=md5" is common); RFC 8760 §2.2 adds SHA-256(-sess) to SIP.
  if (iequals(v, "MD5")) return Algorithm::Md5;
  if (iequals(v, "MD5-sess")) return Algorithm::Md5Sess;
  if (iequals(v, "SHA-256")) return Algorithm::Sha256;
  if (iequals(v, "SHA-256-sess")) return Algorithm::Sha256Sess;
  return err(AuthError{AuthErrorCode::UnsupportedAlgorithm, std::string(v)});
}

/// qop-options = "qop" EQUAL LDQUOT qop-value *("," qop-value) RDQUOT
/// (§25.1). Unknown qop-values are ignored; LWS around commas tolerated.
void parse_qop_options(std::string_view v, Challenge& ch) {
  ch.qop_present = true;
  std::size_t i = 0;
  while (i <= v.size()) {
    std::size_t j = v.find(',', i);
    if (j == std::string_view::npos) j = v.size();
    std::string_view item = detail::trim_wsp(v.substr(i, j - i));
    if (iequals(item, "auth")) ch.qop_auth = true;
    if (iequals(item, "auth-int")) ch.qop_auth_int = true;
    i = j + 1;
  }
}

int strength(Algorithm a) {
  // RFC 8760 §1: SHA-256 is the stronger family; -sess does not change it.
  return (a == Algorithm::Sha256 || a == Algorithm::Sha256Sess) ? 2 : 1;
}

}  // namespace

Result<Challenge, AuthError> parse_challenge(std::string_view header_value) {
  Cursor cur(header_value);
  cur.skip_lws();
  const std::string_view scheme = cur.token();
  if (scheme.empty()) return err(AuthError{AuthErrorCode::Malformed, "missing auth-scheme"});
  // §25.1 challenge = ("Digest" LWS digest-cln *(COMMA digest-cln)) /
  // other-challenge; auth-scheme is case-insensitive (RFC 7235 §2.1).
  if (!iequals(scheme, "Digest")) return err(AuthError{AuthErrorCode::NotDigest, std::string(scheme)});
  if (!cur.skip_lws() && !cur.done()) return err(AuthError{AuthErrorCode::Malformed, "no LWS after Digest"});

  // Quote balance first, so `realm="r, nonce="n` reports UnbalancedQuote
  // rather than whichever syntax error the misaligned quotes cause later.
  bool in_quotes = false;
  for (std::size_t i = 0; i < header_value.size(); ++i) {
    const char c = header_value[i];
    if (in_quotes && c == '\\') {
      ++i;  // quoted-pair: the next char cannot close the string
    } else if (c == '"') {
      in_quotes = !in_quotes;
    }
  }
  if (in_quotes) return err(AuthError{AuthErrorCode::UnbalancedQuote, {}});

  Challenge ch;
  unsigned seen = 0;
  while (true) {
    cur.skip_lws();
    if (cur.done()) break;
    // Empty list elements (",," or a leading/trailing ",") are tolerated, as
    // in the #rule of RFC 7230 §7.
    if (cur.peek() == ',') {
      cur.bump();
      continue;
    }
    const std::string_view name = cur.token();
    if (name.empty()) return err(AuthError{AuthErrorCode::Malformed, "expected parameter name"});
    cur.skip_lws();
    if (cur.done() || cur.peek() != '=') return err(AuthError{AuthErrorCode::Malformed, "expected '='"});
    cur.bump();
    cur.skip_lws();
    if (cur.done()) return err(AuthError{AuthErrorCode::Malformed, "missing value"});
    std::string value;
    if (cur.peek() == '"') {
      auto q = cur.quoted_string();
      if (!q) return err(q.error());
      value = std::move(*q);
    } else {
      const std::string_view tok = cur.token();
      if (tok.empty()) return err(AuthError{AuthErrorCode::Malformed, "bad value for " + std::string(name)});
      value = std::string(tok);
    }

    unsigned bit = 0;
    if (iequals(name, "realm")) {
      bit = kRealm;
      ch.realm = std::move(value);
    } else if (iequals(name, "nonce")) {
      bit = kNonce;
      ch.nonce = std::move(value);
    } else if (iequals(name, "opaque")) {
      bit = kOpaque;
      ch.opaque = std::move(value);
      ch.has_opaque = true;
    } else if (iequals(name, "algorithm")) {
      bit = kAlgorithm;
      auto a = parse_algorithm(value);
      if (!a) return err(a.error());
      ch.algorithm = *a;
    } else if (iequals(name, "qop")) {
      bit = kQop;
      parse_qop_options(value, ch);
    } else if (iequals(name, "stale")) {
      bit = kStale;
      ch.stale = iequals(value, "true");  // stale = "stale" EQUAL ("true"/"false")
    } else if (iequals(name, "domain")) {
      bit = kDomain;
      ch.domain = std::move(value);
    }
    // else: RFC 7616 §3.3 "Any unrecognized directive MUST be ignored."
    if (bit != 0) {
      if (seen & bit) return err(AuthError{AuthErrorCode::DuplicateParam, std::string(name)});
      seen |= bit;
    }
    // COMMA = SWS "," SWS between digest-cln (§25.1).
    cur.skip_lws();
    if (cur.done()) break;
    if (cur.peek() != ',') return err(AuthError{AuthErrorCode::Malformed, "expected ','"});
    cur.bump();
  }

  if (!(seen & kRealm)) return err(AuthError{AuthErrorCode::MissingRealm, {}});
  if (!(seen & kNonce)) return err(AuthError{AuthErrorCode::MissingNonce, {}});
  return ch;
}

bool is_answerable(const Challenge& c) {
  // We answer with qop=auth or (RFC 2069 style) without qop; see
  // build_authorization for the reasoning.
  if (c.qop_present && !c.qop_auth) return false;
  const bool sess = c.algorithm == Algorithm::Md5Sess || c.algorithm == Algorithm::Sha256Sess;
  return !(sess && !c.qop_auth);
}

Result<Challenge, AuthError> choose_challenge(const std::vector<std::string_view>& values) {
  const Challenge* best = nullptr;
  std::vector<Challenge> usable;
  usable.reserve(values.size());
  std::string first_error;
  for (std::string_view v : values) {
    auto parsed = parse_challenge(v);
    if (!parsed) {
      if (first_error.empty()) first_error = parsed.error().to_string();
      continue;
    }
    if (!is_answerable(*parsed)) {
      if (first_error.empty()) first_error = AuthError{AuthErrorCode::UnsupportedQop, {}}.to_string();
      continue;
    }
    usable.push_back(std::move(*parsed));
  }
  // Strictly greater keeps the topmost among equals (RFC 8760 §2.4).
  for (const Challenge& c : usable)
    if (best == nullptr || strength(c.algorithm) > strength(best->algorithm)) best = &c;
  if (best == nullptr) {
    if (first_error.empty()) first_error = "no challenge values";
    return err(AuthError{AuthErrorCode::NoUsableChallenge, first_error});
  }
  return *best;
}

}  // namespace wwp::auth
