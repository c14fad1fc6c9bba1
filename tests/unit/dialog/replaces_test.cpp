// The Replaces header (core/dialog/replaces.hpp), RFC 3891 §6.1 syntax and
// the §3 orientation of its tags. What the UA does with it is in
// tests/sim/call_sim_test.cpp (two and three phones).
#include "core/dialog/replaces.hpp"

#include <gtest/gtest.h>

using namespace wwp::dialog;

TEST(Replaces, to_tag_is_our_local_tag_and_from_tag_the_remote_rfc3891_3) {
  const auto r = parse_replaces("425928@bobster.example.org;to-tag=7743;from-tag=6472");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id.call_id, "425928@bobster.example.org");
  EXPECT_EQ(r->id.local_tag, "7743");
  EXPECT_EQ(r->id.remote_tag, "6472");
  EXPECT_FALSE(r->early_only);
}

TEST(Replaces, params_in_any_order_any_case_with_early_only_and_whitespace_rfc3891_6_1) {
  const auto r = parse_replaces(" abc ; From-Tag=f1 ;early-only; TO-TAG=t1 ;x=y");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id.call_id, "abc");
  EXPECT_EQ(r->id.local_tag, "t1");
  EXPECT_EQ(r->id.remote_tag, "f1");
  EXPECT_TRUE(r->early_only);
}

TEST(Replaces, both_tags_and_a_call_id_are_required_rfc3891_6_1) {
  for (const char* bad : {"", "abc", "abc;to-tag=t1", "abc;from-tag=f1", ";to-tag=t1;from-tag=f1",
                          "a b;to-tag=t1;from-tag=f1", "abc;to-tag=;from-tag=f1", "abc;to-tag=t1;from-tag",
                          "abc;;to-tag=t1;from-tag=f1", "abc;to-tag=\"t1;from-tag=f1"})
    EXPECT_FALSE(parse_replaces(bad)) << bad;
}
