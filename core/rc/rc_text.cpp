#include "core/rc/rc_text.hpp"

#include "core/util/utf8.hpp"

namespace wwp::rc {

bool is_valid_utf8(std::string_view s) { return util::is_valid_utf8(s); }

std::optional<RcError> check_user_text(std::string_view field, std::string_view text) {
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7F)
      return RcError{RcErrorCode::InvalidText, std::string(field) + " contains a control character (CR/LF/NUL)"};
  }
  if (!is_valid_utf8(text)) return RcError{RcErrorCode::InvalidText, std::string(field) + " is not valid UTF-8"};
  return std::nullopt;
}

std::optional<RcError> check_target(std::string_view field, std::string_view target) {
  if (target.empty()) return RcError{RcErrorCode::InvalidTarget, std::string(field) + " is empty"};
  for (char ch : target) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F)
      return RcError{RcErrorCode::InvalidTarget, std::string(field) + " contains a control character (CR/LF/NUL)"};
  }
  if (!is_valid_utf8(target)) return RcError{RcErrorCode::InvalidTarget, std::string(field) + " is not valid UTF-8"};
  return std::nullopt;
}

std::string xml_escape_attr(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace wwp::rc
