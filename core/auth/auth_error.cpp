#include "core/auth/auth_error.hpp"

namespace wwp::auth {

std::string_view to_string(AuthErrorCode code) {
  switch (code) {
    case AuthErrorCode::NotDigest: return "NotDigest";
    case AuthErrorCode::UnbalancedQuote: return "UnbalancedQuote";
    case AuthErrorCode::Malformed: return "Malformed";
    case AuthErrorCode::DuplicateParam: return "DuplicateParam";
    case AuthErrorCode::MissingRealm: return "MissingRealm";
    case AuthErrorCode::MissingNonce: return "MissingNonce";
    case AuthErrorCode::UnsupportedAlgorithm: return "UnsupportedAlgorithm";
    case AuthErrorCode::UnsupportedQop: return "UnsupportedQop";
    case AuthErrorCode::NoUsableChallenge: return "NoUsableChallenge";
    case AuthErrorCode::CredentialsRejected: return "CredentialsRejected";
    case AuthErrorCode::InvalidCharacter: return "InvalidCharacter";
    case AuthErrorCode::InvalidClientNonce: return "InvalidClientNonce";
    case AuthErrorCode::NoChallenge: return "NoChallenge";
  }
  return "Unknown";
}

bool AuthError::is_remote() const {
  switch (code) {
    case AuthErrorCode::InvalidCharacter:
    case AuthErrorCode::InvalidClientNonce:
    case AuthErrorCode::NoChallenge:
      return false;
    default:
      return true;
  }
}

std::string AuthError::to_string() const {
  std::string_view text;
  switch (code) {
    case AuthErrorCode::NotDigest: text = "challenge scheme is not Digest"; break;
    case AuthErrorCode::UnbalancedQuote: text = "unterminated quoted-string in challenge"; break;
    case AuthErrorCode::Malformed: text = "malformed digest challenge"; break;
    case AuthErrorCode::DuplicateParam: text = "duplicate parameter in digest challenge"; break;
    case AuthErrorCode::MissingRealm: text = "digest challenge has no realm"; break;
    case AuthErrorCode::MissingNonce: text = "digest challenge has no nonce"; break;
    case AuthErrorCode::UnsupportedAlgorithm: text = "unsupported digest algorithm"; break;
    case AuthErrorCode::UnsupportedQop: text = "unsupported digest qop"; break;
    case AuthErrorCode::NoUsableChallenge: text = "no usable digest challenge"; break;
    case AuthErrorCode::CredentialsRejected: text = "credentials rejected by server"; break;
    case AuthErrorCode::InvalidCharacter: text = "control character (CR/LF/NUL) in auth input"; break;
    case AuthErrorCode::InvalidClientNonce: text = "invalid cnonce or nonce count"; break;
    case AuthErrorCode::NoChallenge: text = "no digest challenge received yet"; break;
  }
  std::string out(text);
  if (!detail.empty()) {
    out += ": ";
    out += detail;
  }
  return out;
}

}  // namespace wwp::auth
