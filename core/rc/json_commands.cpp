#include "core/rc/json_commands.hpp"

#include <string>

#include "core/rc/json.hpp"
#include "core/rc/rc_text.hpp"

namespace wwp::rc {
namespace {

Err<RcError> shape(std::string detail) { return err(RcError{RcErrorCode::WrongJsonType, std::move(detail)}); }

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
  return json_dump(root);
}

Result<InfoResponse, RcError> parse_info_response(std::string_view body) {
  if (body.size() > kMaxRcJsonSize) return err(RcError{RcErrorCode::TooLarge, std::to_string(body.size()) + " bytes"});
  if (body.find('\0') != std::string_view::npos) return err(RcError{RcErrorCode::ControlCharacter, "NUL"});
  if (json_max_depth(body) > kMaxJsonDepth) return err(RcError{RcErrorCode::TooDeep, {}});

  Json root;
  if (!json_parse(body, root)) return err(RcError{RcErrorCode::NotJson, {}});
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
  out.result_json = json_dump(*result);
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
