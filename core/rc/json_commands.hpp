// JSON INFO commands on an answered call (spec §7.12, §8.5): recording,
// call flip and park. Request body (Content-Type:
// application/json;charset=utf-8), exactly:
//
//   {"request":{"reqid":1,"command":"startcallrecord"}}
//   {"request":{"reqid":2,"command":"callflip","target":"16506668888"}}
//
// The server answers the INFO with 200 OK, then sends its own INFO:
//
//   {"response":{"reqid":1,"command":"callpark",
//                "result":{"code":0,"description":"Succeeded","park extension":"813"}}}
//
// which the session matches by reqid + command (InfoResponse::matches) and
// resolves with `result`. The result is data for the application: it is
// handed over as JSON text (result_json) for the shim to JSON.parse; only
// `code` is read here (park hangs up when code === 0).
//
// JSON is built with nlohmann::ordered_json (member order as above, strings
// escaped by the library, never by concatenation) and parsed with
// exceptions off; every member type is checked before use.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/rc/rc_error.hpp"
#include "core/util/result.hpp"

namespace wwp::rc {

/// Largest accepted INFO JSON body.
inline constexpr std::size_t kMaxRcJsonSize = 16 * 1024;
/// Deepest accepted array/object nesting (RC sends depth 3).
inline constexpr std::size_t kMaxJsonDepth = 32;
/// Largest reqid (JS Number.MAX_SAFE_INTEGER: the shim sees it as a number).
inline constexpr std::uint64_t kMaxReqid = (std::uint64_t{1} << 53) - 1;

enum class InfoCommand : std::uint8_t {
  StartCallRecord,  ///< "startcallrecord": startRecording()
  StopCallRecord,   ///< "stopcallrecord": stopRecording()
  CallFlip,         ///< "callflip" + "target": flip(target)
  CallPark,         ///< "callpark": park()
};

/// Wire name, e.g. "startcallrecord".
std::string_view to_string(InfoCommand cmd);
/// Inverse of to_string(); nullopt for anything else (exact, lowercase).
std::optional<InfoCommand> info_command_from_string(std::string_view name);

/// Builds the INFO body. `target` is required for CallFlip and forbidden
/// otherwise. Errors (Local; send nothing): InvalidArgument (reqid 0 or >
/// kMaxReqid, target missing/unexpected), InvalidTarget (check_target()).
Result<std::string, RcError> build_info_request(std::uint64_t reqid, InfoCommand command,
                                                std::optional<std::string_view> target = std::nullopt);

struct InfoResponse {
  std::uint64_t reqid = 0;         ///< response.reqid
  std::string command;             ///< response.command, as sent (may be unknown)
  std::string result_json;         ///< response.result re-serialised, member order kept
  std::optional<std::int64_t> code;  ///< response.result.code if it is an integer

  /// True if this answers our request `reqid`/`command` (§7.12).
  bool matches(std::uint64_t our_reqid, InfoCommand our_command) const {
    return reqid == our_reqid && command == to_string(our_command);
  }
};

/// Parses a server INFO body. Errors (Remote; the SDK's listener would throw
/// and keep waiting, so: log and keep waiting, still answer the INFO per the
/// UA's rules): TooLarge, ControlCharacter (raw NUL), TooDeep, NotJson,
/// WrongJsonType (root not an object, no `response` object, reqid not a
/// non-negative integer <= kMaxReqid, command not a string, result missing or
/// not an object; detail names the member).
Result<InfoResponse, RcError> parse_info_response(std::string_view body);

}  // namespace wwp::rc
