#include "core/msg/parse_error.hpp"

namespace wwp::msg {

std::string_view to_string(ParseErrorCode code) {
  switch (code) {
    case ParseErrorCode::Incomplete: return "incomplete";
    case ParseErrorCode::Empty: return "empty";
    case ParseErrorCode::BadStartLine: return "bad-start-line";
    case ParseErrorCode::BadMethod: return "bad-method";
    case ParseErrorCode::BadRequestUri: return "bad-request-uri";
    case ParseErrorCode::BadVersion: return "bad-version";
    case ParseErrorCode::BadStatus: return "bad-status";
    case ParseErrorCode::BadHeader: return "bad-header";
    case ParseErrorCode::BadContentLength: return "bad-content-length";
    case ParseErrorCode::MissingContentLength: return "missing-content-length";
    case ParseErrorCode::TooLarge: return "too-large";
    case ParseErrorCode::TooManyHeaders: return "too-many-headers";
    case ParseErrorCode::LineTooLong: return "line-too-long";
    case ParseErrorCode::BadUri: return "bad-uri";
    case ParseErrorCode::UnsupportedScheme: return "unsupported-scheme";
    case ParseErrorCode::BadParam: return "bad-param";
    case ParseErrorCode::BadNameAddr: return "bad-name-addr";
    case ParseErrorCode::BadVia: return "bad-via";
    case ParseErrorCode::BadCSeq: return "bad-cseq";
    case ParseErrorCode::BadMediaType: return "bad-media-type";
    case ParseErrorCode::MissingHeader: return "missing-header";
    case ParseErrorCode::BadChar: return "bad-char";
  }
  return "unknown";
}

std::string to_string(const ParseError& e) {
  std::string s(to_string(e.code));
  s += " at byte ";
  s += std::to_string(e.offset);
  return s;
}

int status_hint(ParseErrorCode code) {
  switch (code) {
    case ParseErrorCode::Incomplete:
    case ParseErrorCode::Empty:
      return 0;
    // RFC 3261 §21.5.14: "513 Message Too Large".
    case ParseErrorCode::TooLarge:
    case ParseErrorCode::TooManyHeaders:
    case ParseErrorCode::LineTooLong:
      return 513;
    // §21.4.13 "416 Unsupported URI Scheme".
    case ParseErrorCode::UnsupportedScheme:
      return 416;
    // §21.5.6 "505 Version Not Supported".
    case ParseErrorCode::BadVersion:
      return 505;
    default:
      return 400;
  }
}

}  // namespace wwp::msg
