#include "core/rc/rc_error.hpp"

namespace wwp::rc {

std::string_view to_string(RcErrorCode code) {
  switch (code) {
    case RcErrorCode::TooLarge: return "TooLarge";
    case RcErrorCode::NotXml: return "NotXml";
    case RcErrorCode::DoctypeForbidden: return "DoctypeForbidden";
    case RcErrorCode::BadEntity: return "BadEntity";
    case RcErrorCode::ControlCharacter: return "ControlCharacter";
    case RcErrorCode::WrongRoot: return "WrongRoot";
    case RcErrorCode::MissingHdr: return "MissingHdr";
    case RcErrorCode::MissingBdy: return "MissingBdy";
    case RcErrorCode::UnexpectedContent: return "UnexpectedContent";
    case RcErrorCode::DuplicateAttribute: return "DuplicateAttribute";
    case RcErrorCode::TooManyAttributes: return "TooManyAttributes";
    case RcErrorCode::MissingAttribute: return "MissingAttribute";
    case RcErrorCode::WrongCommand: return "WrongCommand";
    case RcErrorCode::UnsafeAddress: return "UnsafeAddress";
    case RcErrorCode::NotJson: return "NotJson";
    case RcErrorCode::TooDeep: return "TooDeep";
    case RcErrorCode::WrongJsonType: return "WrongJsonType";
    case RcErrorCode::InvalidReplyOptions: return "InvalidReplyOptions";
    case RcErrorCode::InvalidText: return "InvalidText";
    case RcErrorCode::InvalidTarget: return "InvalidTarget";
    case RcErrorCode::InvalidArgument: return "InvalidArgument";
  }
  return "Unknown";
}

bool RcError::is_remote() const {
  switch (code) {
    case RcErrorCode::InvalidReplyOptions:
    case RcErrorCode::InvalidText:
    case RcErrorCode::InvalidTarget:
    case RcErrorCode::InvalidArgument:
      return false;
    default:
      return true;
  }
}

std::string RcError::to_string() const {
  std::string_view text;
  switch (code) {
    case RcErrorCode::TooLarge: text = "RC body too large"; break;
    case RcErrorCode::NotXml: text = "RC body is not well-formed XML"; break;
    case RcErrorCode::DoctypeForbidden: text = "DOCTYPE not allowed in RC XML"; break;
    case RcErrorCode::BadEntity: text = "undefined or invalid entity reference in RC XML"; break;
    case RcErrorCode::ControlCharacter: text = "control character in RC body"; break;
    case RcErrorCode::WrongRoot: text = "RC XML root element is not Msg"; break;
    case RcErrorCode::MissingHdr: text = "RC XML has no Hdr element"; break;
    case RcErrorCode::MissingBdy: text = "RC XML has no Bdy element"; break;
    case RcErrorCode::UnexpectedContent: text = "unexpected content in RC XML"; break;
    case RcErrorCode::DuplicateAttribute: text = "duplicate attribute in RC XML"; break;
    case RcErrorCode::TooManyAttributes: text = "too many attributes in RC XML"; break;
    case RcErrorCode::MissingAttribute: text = "RC attribute missing"; break;
    case RcErrorCode::WrongCommand: text = "unexpected RC command"; break;
    case RcErrorCode::UnsafeAddress: text = "unusable RC agent address"; break;
    case RcErrorCode::NotJson: text = "INFO body is not JSON"; break;
    case RcErrorCode::TooDeep: text = "INFO JSON nested too deeply"; break;
    case RcErrorCode::WrongJsonType: text = "INFO JSON has the wrong shape"; break;
    case RcErrorCode::InvalidReplyOptions: return "Invalid reply options";  // SDK text, verbatim
    case RcErrorCode::InvalidText: text = "invalid character in text"; break;
    case RcErrorCode::InvalidTarget: text = "invalid target"; break;
    case RcErrorCode::InvalidArgument: text = "invalid argument"; break;
  }
  std::string out(text);
  if (!detail.empty()) {
    out += ": ";
    out += detail;
  }
  return out;
}

}  // namespace wwp::rc
