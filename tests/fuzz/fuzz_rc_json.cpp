// libFuzzer target for the JSON INFO parser and builder (house style §23).
// Invariants, for any bytes:
//  - parse_info_response() returns an InfoResponse or an RcError; never a
//    crash, abort (nlohmann runs with JSON_NOEXCEPTION: a thrown type_error
//    would abort) or sanitizer report;
//  - a parsed result_json is itself a JSON object that re-serialises to the
//    same text;
//  - build_info_request() with the bytes as flip target either refuses them
//    or yields JSON whose request.target equals the bytes exactly (no
//    injection through concatenation).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/rc/json_commands.hpp"

namespace {

void check(bool cond) {
  if (!cond) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wwp::rc;
  using Json = nlohmann::ordered_json;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  auto r = parse_info_response(input);
  if (r) {
    const Json result = Json::parse(r->result_json, nullptr, false);
    check(!result.is_discarded() && result.is_object());
    check(result.dump(-1, ' ', false, Json::error_handler_t::replace) == r->result_json);
    check(r->reqid <= kMaxReqid);
  } else {
    (void)r.error().to_string();
  }

  auto body = build_info_request(1, InfoCommand::CallFlip, input);
  if (body) {
    const Json j = Json::parse(*body, nullptr, false);
    check(!j.is_discarded());
    const auto& t = j["request"]["target"];
    check(t.is_string() && t.get<std::string>() == input);
    check(j["request"]["command"] == "callflip");
  }
  return 0;
}
