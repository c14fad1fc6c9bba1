// p-rc-api-ids (spec §5.2) and p-rc-api-call-info (§8.4, §11.3).
#include <gtest/gtest.h>

#include "core/rc/rc_headers.hpp"

namespace wwp::rc {
namespace {

TEST(RcHeaders, api_ids_from_the_spec_example) {
  auto ids = parse_rc_api_ids(
      "party-id=p-33f727da499c463aac3cf8294de576c0-2;session-id=s-33f727da499c463aac3cf8294de576c0");
  EXPECT_EQ(ids.party_id, "p-33f727da499c463aac3cf8294de576c0-2");
  EXPECT_EQ(ids.session_id, "s-33f727da499c463aac3cf8294de576c0");
}

TEST(RcHeaders, api_ids_from_the_sdk_unit_test) {
  auto ids = parse_rc_api_ids("party-id=p-abc123-1;session-id=s-abc123");
  EXPECT_EQ(ids.party_id, "p-abc123-1");
  EXPECT_EQ(ids.session_id, "s-abc123");
}

TEST(RcHeaders, api_ids_are_lenient_on_order_spacing_case_and_z) {
  auto ids = parse_rc_api_ids(" Session-Id=s-a0d17e2ec22eaz17c3 ; PARTY-ID=p-a0d17e2ec22eaz17c3-12 ;");
  EXPECT_EQ(ids.party_id, "p-a0d17e2ec22eaz17c3-12");
  EXPECT_EQ(ids.session_id, "s-a0d17e2ec22eaz17c3");
  auto cs = parse_rc_api_ids("party-id=p-cs172622609264474780-2;session-id=s-cs172622609264474780");
  EXPECT_EQ(cs.party_id, "p-cs172622609264474780-2");
  EXPECT_EQ(cs.session_id, "s-cs172622609264474780");
}

TEST(RcHeaders, api_ids_that_are_not_ids_are_ignored) {
  for (const char* bad : {"", ";;", "party-id=;session-id=", "party-id=p-abc;session-id=abc",
                          "party-id=p--1;session-id=s-", "party-id=p-ab c-1;session-id=s-a\"b",
                          "party-id=x-abc-1;session-id=s-abc-1", "party-id p-abc-1", "party-id=p-abc-x"}) {
    auto ids = parse_rc_api_ids(bad);
    EXPECT_EQ(ids.party_id, std::nullopt) << bad;
    EXPECT_EQ(ids.session_id, std::nullopt) << bad;
  }
}

TEST(RcHeaders, api_ids_first_valid_item_wins) {
  auto ids = parse_rc_api_ids("session-id=bogus;session-id=s-1;session-id=s-2");
  EXPECT_EQ(ids.session_id, "s-1");
}

TEST(RcHeaders, call_info_queue_example_maps_like_rc_api_call_info) {
  auto info = parse_rc_api_call_info(
      "callAttributes=queue-call,reject;callerIdName=WIRELESS CALLER;displayInfo=queueName;"
      "displayInfoSub=callerIdName;queueName=Tyler's call queue");
  const std::vector<std::pair<std::string, std::string>> want = {{"callAttributes", "queue-call,reject"},
                                                                 {"callerIdName", "WIRELESS CALLER"},
                                                                 {"displayInfo", "queueName"},
                                                                 {"displayInfoSub", "callerIdName"},
                                                                 {"queueName", "Tyler's call queue"}};
  EXPECT_EQ(info, want);
  EXPECT_TRUE(is_queue_call(info));
  EXPECT_EQ(call_info_get(info, "queueName"), "Tyler's call queue");
  EXPECT_EQ(call_info_get(info, "queuename"), std::nullopt);
}

TEST(RcHeaders, call_info_values_may_contain_equals_and_items_are_trimmed) {
  auto info = parse_rc_api_call_info(" a=b=c ; ;flag; d= ");
  const std::vector<std::pair<std::string, std::string>> want = {{"a", "b=c"}, {"flag", ""}, {"d", ""}};
  EXPECT_EQ(info, want);
}

TEST(RcHeaders, call_info_repeated_key_keeps_first_position_and_last_value) {
  auto info = parse_rc_api_call_info("a=1;b=2;a=3");
  const std::vector<std::pair<std::string, std::string>> want = {{"a", "3"}, {"b", "2"}};
  EXPECT_EQ(info, want);
}

TEST(RcHeaders, non_queue_calls_are_not_queue_calls) {
  EXPECT_FALSE(is_queue_call(parse_rc_api_call_info("callAttributes=reject,send-vm")));
  EXPECT_FALSE(is_queue_call(parse_rc_api_call_info("queueName=queue-call")));
  EXPECT_FALSE(is_queue_call(parse_rc_api_call_info("callAttributes=queue-calls")));
  EXPECT_FALSE(is_queue_call(parse_rc_api_call_info("")));
  EXPECT_TRUE(is_queue_call(parse_rc_api_call_info("callAttributes=reject, queue-call")));
}

}  // namespace
}  // namespace wwp::rc
