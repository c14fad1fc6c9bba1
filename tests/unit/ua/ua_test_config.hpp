// The UA configuration the ua/ and call/ unit tests share: extension 101
// (digest user 101001, password "pw") on example.test, Contact host
// me.invalid. Each suite passes its own `rng_seed`, so its tags, branches and
// Call-IDs stay its own.
#pragma once

#include <cstdint>

#include "core/config/config.hpp"

namespace wwp::ua {

inline Config ua_test_config(std::uint64_t rng_seed) {
  Config c;
  c.username = "101";
  c.authorization_id = "101001";
  c.password = "pw";
  c.domain = "example.test";
  c.contact_host = "me.invalid";
  c.rng_seed = rng_seed;
  return c;
}

}  // namespace wwp::ua
