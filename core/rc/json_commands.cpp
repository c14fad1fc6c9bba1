#include "core/rc/json_commands.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/rc/json_libc.hpp"
#include "core/rc/rc_text.hpp"

// nlohmann/json's number parsing and hex escapes go to core/rc/json_libc.hpp
// instead of the C library (whose strtod and printf family cost ~16 KB of
// the wasm module). nlohmann writes `std::strtod(…)` and `(std::snprintf)(…)`,
// so object-like defines rename the calls and using-declarations put the
// renamed functions in std, as <cstdlib> does with ::strtod. <cstdio> and
// <cstdlib> come first so that the real declarations are not renamed.
namespace std {
using ::wwp_json_snprintf;
using ::wwp_json_strtod;
using ::wwp_json_strtoll;
using ::wwp_json_strtoull;
}  // namespace std
#define snprintf wwp_json_snprintf
#define strtod wwp_json_strtod
#define strtoll wwp_json_strtoll
#define strtoull wwp_json_strtoull
#include <nlohmann/json.hpp>
#undef snprintf
#undef strtod
#undef strtoll
#undef strtoull

namespace wwp::rc {
namespace {

using Json = nlohmann::ordered_json;

Err<RcError> shape(std::string detail) { return err(RcError{RcErrorCode::WrongJsonType, std::move(detail)}); }

// Nesting depth outside strings. nlohmann's parser is iterative, but a
// bound keeps memory and re-serialisation cost small for hostile bodies.
std::size_t max_depth(std::string_view s) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') deepest = std::max(deepest, ++depth);
    else if ((c == '}' || c == ']') && depth > 0) --depth;
  }
  return deepest;
}

std::string dump(const Json& j) {
  // replace: never throws (which would abort under JSON_NOEXCEPTION) even if
  // a string were not UTF-8; parsed input and checked targets always are.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::string_view to_string(InfoCommand cmd) {
  switch (cmd) {
    case InfoCommand::StartCallRecord: return "startcallrecord";
    case InfoCommand::StopCallRecord: return "stopcallrecord";
    case InfoCommand::CallFlip: return "callflip";
    case InfoCommand::CallPark: return "callpark";
  }
  return "";
}

std::optional<InfoCommand> info_command_from_string(std::string_view name) {
  for (auto c : {InfoCommand::StartCallRecord, InfoCommand::StopCallRecord, InfoCommand::CallFlip,
                 InfoCommand::CallPark}) {
    if (to_string(c) == name) return c;
  }
  return std::nullopt;
}

Result<std::string, RcError> build_info_request(std::uint64_t reqid, InfoCommand command,
                                                std::optional<std::string_view> target) {
  if (reqid == 0 || reqid > kMaxReqid) return err(RcError{RcErrorCode::InvalidArgument, "reqid out of range"});
  if ((command == InfoCommand::CallFlip) != target.has_value())
    return err(RcError{RcErrorCode::InvalidArgument, command == InfoCommand::CallFlip
                                                         ? "callflip needs a target"
                                                         : std::string(to_string(command)) + " takes no target"});
  Json request = Json::object();
  request["reqid"] = reqid;
  request["command"] = std::string(to_string(command));
  if (target) {
    if (auto e = check_target("flip target", *target)) return err(std::move(*e));
    request["target"] = std::string(*target);
  }
  Json root = Json::object();
  root["request"] = std::move(request);
  return dump(root);
}

Result<InfoResponse, RcError> parse_info_response(std::string_view body) {
  if (body.size() > kMaxRcJsonSize) return err(RcError{RcErrorCode::TooLarge, std::to_string(body.size()) + " bytes"});
  if (body.find('\0') != std::string_view::npos) return err(RcError{RcErrorCode::ControlCharacter, "NUL"});
  if (max_depth(body) > kMaxJsonDepth) return err(RcError{RcErrorCode::TooDeep, {}});

  // What Json::parse(first, last, nullptr, false) does when it has no
  // callback: nlohmann's DOM builder driven through the SAX interface, in
  // strict mode (nothing but whitespace after the value). parse() itself also
  // compiles its callback-filtering builder and the std::function it takes,
  // ~3 KB of sip-core.wasm for a callback we never pass.
  Json root;
  nlohmann::detail::json_sax_dom_parser<Json> builder(root, /*allow_exceptions=*/false);
  if (!Json::sax_parse(body.begin(), body.end(), &builder)) return err(RcError{RcErrorCode::NotJson, {}});
  if (!root.is_object()) return shape("root is not an object");
  const auto resp_it = root.find("response");
  if (resp_it == root.end() || !resp_it->is_object()) return shape("response");
  const Json& resp = *resp_it;

  InfoResponse out;
  const auto reqid = resp.find("reqid");
  if (reqid == resp.end() || !reqid->is_number_integer()) return shape("response.reqid");
  if (reqid->is_number_unsigned()) {
    out.reqid = reqid->get<std::uint64_t>();
  } else {
    const auto v = reqid->get<std::int64_t>();
    if (v < 0) return shape("response.reqid");
    out.reqid = static_cast<std::uint64_t>(v);
  }
  if (out.reqid > kMaxReqid) return shape("response.reqid");

  const auto command = resp.find("command");
  if (command == resp.end() || !command->is_string()) return shape("response.command");
  out.command = command->get<std::string>();

  const auto result = resp.find("result");
  if (result == resp.end() || !result->is_object()) return shape("response.result");
  out.result_json = dump(*result);
  const auto code = result->find("code");
  if (code != result->end() && code->is_number_integer()) {
    if (code->is_number_unsigned()) {
      const auto u = code->get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(INT64_MAX)) out.code = static_cast<std::int64_t>(u);
    } else {
      out.code = code->get<std::int64_t>();
    }
  }
  return out;
}

}  // namespace wwp::rc
