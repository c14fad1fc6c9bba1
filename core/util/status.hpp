// Local-misuse errors (house style §11b): a command given in the wrong state or
// with bad arguments. Remote garbage never produces these; it produces
// `Dropped` events or automatic error responses instead.
//
// Every layer that takes commands returns them (the transaction layer's
// respond(), a call's answer(), the UA's API), so the type lives here at the
// bottom; its name says whose API reports it: the user agent's.
#pragma once
#include <string>
#include <variant>

#include "core/util/result.hpp"

namespace wwp {

enum class UaErrorCode {
  InvalidState,     ///< command not legal now; the caller must wait or stop first
  InvalidArgument,  ///< bad input (e.g. CR/LF in a header value); fix the input
  NotFound,         ///< unknown call handle; the call has ended
  Unsupported,      ///< the peer or the call cannot do this
};

struct UaError {
  UaErrorCode code;
  std::string message;  ///< human-readable, surfaced as the JS Error message
  /// SIP status that best describes the failure, when one applies (§12).
  int sip_status_hint = 0;
};

const char* to_string(UaErrorCode code);

using Status = Result<std::monostate, UaError>;
inline Status ok_status() { return Status(std::monostate{}); }
inline Err<UaError> ua_error(UaErrorCode code, std::string message, int hint = 0) {
  return Err<UaError>{UaError{code, std::move(message), hint}};
}

}  // namespace wwp
