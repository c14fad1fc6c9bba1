#include "core/util/status.hpp"

namespace wwp {

const char* to_string(UaErrorCode code) {
  switch (code) {
    case UaErrorCode::InvalidState: return "invalid state";
    case UaErrorCode::InvalidArgument: return "invalid argument";
    case UaErrorCode::NotFound: return "not found";
    case UaErrorCode::Unsupported: return "unsupported";
  }
  return "?";
}

}  // namespace wwp
