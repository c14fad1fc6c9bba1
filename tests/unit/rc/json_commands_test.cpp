// JSON INFO commands (spec §7.12, Appendix A.4): request bodies byte for
// byte, every captured result, and hostile/mis-typed bodies.
#include <gtest/gtest.h>

#include <string>

#include "core/rc/json_commands.hpp"
#include "tests/unit/rc/rc_vectors.hpp"

namespace wwp::rc {
namespace {

using testing::expected_code;
using testing::list;
using testing::read_bytes;
using testing::read_vector;

TEST(RcJson, every_request_is_built_exactly_as_the_sdk_sends_it) {
  EXPECT_EQ(build_info_request(1, InfoCommand::StartCallRecord).value(),
            read_vector("json/request/startcallrecord.json"));
  EXPECT_EQ(build_info_request(2, InfoCommand::StopCallRecord).value(),
            read_vector("json/request/stopcallrecord.json"));
  EXPECT_EQ(build_info_request(3, InfoCommand::CallFlip, "16506668888").value(),
            read_vector("json/request/callflip.json"));
  EXPECT_EQ(build_info_request(4, InfoCommand::CallPark).value(), read_vector("json/request/callpark.json"));
  EXPECT_EQ(build_info_request(1, InfoCommand::StartCallRecord).value(),
            R"({"request":{"reqid":1,"command":"startcallrecord"}})");
}

TEST(RcJson, command_names_round_trip_and_unknown_names_are_refused) {
  for (auto c : {InfoCommand::StartCallRecord, InfoCommand::StopCallRecord, InfoCommand::CallFlip,
                 InfoCommand::CallPark}) {
    EXPECT_EQ(info_command_from_string(to_string(c)), c);
  }
  EXPECT_EQ(info_command_from_string("CallPark"), std::nullopt);
  EXPECT_EQ(info_command_from_string(""), std::nullopt);
}

TEST(RcJson, flip_target_is_json_escaped_not_concatenated) {
  auto body = build_info_request(1, InfoCommand::CallFlip, R"(1","command":"callpark\)");
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, R"({"request":{"reqid":1,"command":"callflip","target":"1\",\"command\":\"callpark\\"}})");
  auto unicode = build_info_request(1, InfoCommand::CallFlip, "J\xC3\xA9");
  EXPECT_EQ(unicode.value(), "{\"request\":{\"reqid\":1,\"command\":\"callflip\",\"target\":\"J\xC3\xA9\"}}");
}

TEST(RcJson, flip_target_with_cr_lf_nul_or_bad_utf8_is_refused) {
  for (std::string bad : {std::string("1\r\n"), std::string("1\0" "2", 3), std::string(""), std::string("\xFF")}) {
    auto r = build_info_request(1, InfoCommand::CallFlip, bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, RcErrorCode::InvalidTarget);
  }
}

TEST(RcJson, target_only_with_callflip_and_reqid_in_js_safe_range) {
  EXPECT_EQ(build_info_request(1, InfoCommand::CallFlip).error().code, RcErrorCode::InvalidArgument);
  EXPECT_EQ(build_info_request(1, InfoCommand::CallPark, "1").error().code, RcErrorCode::InvalidArgument);
  EXPECT_EQ(build_info_request(0, InfoCommand::CallPark).error().code, RcErrorCode::InvalidArgument);
  EXPECT_EQ(build_info_request(kMaxReqid + 1, InfoCommand::CallPark).error().code, RcErrorCode::InvalidArgument);
  EXPECT_TRUE(build_info_request(kMaxReqid, InfoCommand::CallPark).ok());
}

TEST(RcJson, every_captured_result_is_surfaced_as_its_json_text) {
  const auto files = list("json/response", {".json"});
  ASSERT_EQ(files.size(), 5u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    auto r = parse_info_response(read_bytes(f));
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    auto result_file = f;
    result_file.replace_extension(".result");
    EXPECT_EQ(r->result_json, read_bytes(result_file));
  }
}

TEST(RcJson, park_result_keeps_park_extension_and_code) {
  auto r = parse_info_response(read_vector("json/response/callpark_ok.json"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->reqid, 1u);
  EXPECT_EQ(r->command, "callpark");
  EXPECT_EQ(r->code, 0);
  EXPECT_TRUE(r->matches(1, InfoCommand::CallPark));
  EXPECT_FALSE(r->matches(2, InfoCommand::CallPark));
  EXPECT_FALSE(r->matches(1, InfoCommand::CallFlip));
  EXPECT_NE(r->result_json.find(R"("park extension":"813")"), std::string::npos);
}

TEST(RcJson, recording_error_codes_are_read) {
  EXPECT_EQ(parse_info_response(read_vector("json/response/startcallrecord_not_accepted.json"))->code, -4);
  EXPECT_EQ(parse_info_response(read_vector("json/response/stopcallrecord_in_progress.json"))->code, -6);
}

TEST(RcJson, every_invalid_body_is_refused_with_its_code) {
  const auto files = list("json/invalid", {".json"});
  ASSERT_GE(files.size(), 15u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    auto r = parse_info_response(read_bytes(f));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(to_string(r.error().code), expected_code(f)) << r.error().to_string();
    EXPECT_TRUE(r.error().is_remote());
  }
}

TEST(RcJson, malformed_bodies_are_errors_not_aborts) {
  // The core is built without exceptions (and nlohmann with JSON_NOEXCEPTION,
  // where a throw is std::abort()): a syntax error must come back as NotJson
  // with its text, in the wasm test stage too.
  for (const char* body : {"{\"response\":", "{\"response\":{\"reqid\":1,}}", "nul", "\"\\x\"", "[1e]", "{} {}"}) {
    auto r = parse_info_response(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, RcErrorCode::NotJson) << body;
    EXPECT_EQ(r.error().to_string(), "INFO body is not JSON") << body;
  }
}

TEST(RcJson, result_without_integer_code_still_parses_with_no_code) {
  auto r = parse_info_response(R"({"response":{"reqid":7,"command":"x","result":{"code":"0"}}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->code, std::nullopt);
  EXPECT_EQ(r->command, "x");
  EXPECT_EQ(r->result_json, R"({"code":"0"})");
  auto empty = parse_info_response(R"({"response":{"reqid":7,"command":"x","result":{}}})");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->result_json, "{}");
}

TEST(RcJson, numbers_and_escapes_in_a_result_are_re_serialised_exactly) {
  // nlohmann's number parsing and \u escapes run on core/rc/json_libc, not
  // the C library: the text must be what nlohmann gives with the C library
  // (taken from a host build against glibc).
  auto r = parse_info_response(
      R"({"response":{"reqid":1,"command":"x","result":{"f":[1.5,-0.0,1e-400,2.2250738585072011e-308,)"
      R"(4.9406564584124654e-324,0.1,1.7976931348623157e308,123456789012345678901234567890,)"
      R"(18446744073709551615,18446744073709551616,-9223372036854775808,-9223372036854775809,)"
      R"(9007199254740993,0.30000000000000004,1E+2],"s":"\u0001\u001f\u007f\u00e9\ud83d\ude00"}}})");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->result_json,
            R"({"f":[1.5,-0.0,0.0,2.225073858507201e-308,5e-324,0.1,1.7976931348623157e+308,)"
            R"(1.2345678901234568e+29,18446744073709551615,1.8446744073709552e+19,-9223372036854775808,)"
            R"(-9.223372036854776e+18,9007199254740993,0.30000000000000004,100.0],"s":"\u0001\u001f)"
            "\x7f\xC3\xA9\xF0\x9F\x98\x80\"}");
  // A number too big for a double is not JSON we can carry (nlohmann: "number
  // overflow"), and says so rather than aborting.
  auto inf = parse_info_response(R"({"response":{"reqid":1,"command":"x","result":{"f":1e400}}})");
  ASSERT_FALSE(inf.ok());
  EXPECT_EQ(inf.error().code, RcErrorCode::NotJson);
}

TEST(RcJson, whitespace_and_trailing_crlf_around_the_body_are_accepted) {
  auto r = parse_info_response(" {\"response\" : {\"reqid\":1, \"command\":\"callpark\", \"result\":{\"code\":0}}}\r\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->result_json, R"({"code":0})");
}

TEST(RcJson, oversize_deep_and_nul_bodies_are_refused_before_parsing) {
  EXPECT_EQ(parse_info_response(std::string(kMaxRcJsonSize + 1, ' ')).error().code, RcErrorCode::TooLarge);
  EXPECT_EQ(parse_info_response(std::string(100000, '[')).error().code, RcErrorCode::TooLarge);
  EXPECT_EQ(parse_info_response(std::string(5000, '[') + std::string(5000, ']')).error().code,
            RcErrorCode::TooDeep);
  EXPECT_EQ(parse_info_response(std::string("{\"a\":\"\0\"}", 9)).error().code, RcErrorCode::ControlCharacter);
  // Brackets inside strings do not count as nesting.
  auto r = parse_info_response(R"({"response":{"reqid":1,"command":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[","result":{"d":"\"{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{"}}})");
  EXPECT_TRUE(r.ok());
}

TEST(RcJson, big_and_negative_reqids_are_type_errors) {
  EXPECT_EQ(parse_info_response(R"({"response":{"reqid":9007199254740992,"command":"x","result":{}}})").error().code,
            RcErrorCode::WrongJsonType);
  EXPECT_EQ(parse_info_response(R"({"response":{"reqid":1e3,"command":"x","result":{}}})").error().code,
            RcErrorCode::WrongJsonType);
  EXPECT_TRUE(parse_info_response(R"({"response":{"reqid":9007199254740991,"command":"x","result":{}}})").ok());
}

TEST(RcJson, every_prefix_of_a_valid_response_is_refused_without_crashing) {
  const std::string text = read_vector("json/response/callpark_ok.json");
  for (std::size_t n = 0; n < text.size(); ++n) {
    EXPECT_FALSE(parse_info_response(std::string_view(text).substr(0, n)).ok()) << n;
  }
}

}  // namespace
}  // namespace wwp::rc
