// Registration through the deterministic simulator: a Ua, a scripted
// registrar, and lossy/slow/duplicating links in virtual time (RFC 3261
// §10.2, §17.1.2; RFC 7118 transport). Each scenario is reproducible from its
// seed.
#include <gtest/gtest.h>

#include "tests/sim/sim.hpp"

namespace wwp::sim {
namespace {

Config ua_config() {
  Config c;
  c.username = "101";
  c.authorization_id = "101001";
  c.password = "secret";
  c.domain = "sim.example.test";
  c.contact_host = "simua.invalid";
  c.rng_seed = 11;
  return c;
}

ScriptedRegistrar::Script registrar_script() {
  ScriptedRegistrar::Script s;
  s.authorization_id = "101001";
  s.password = "secret";
  return s;
}

TEST(RegistrationSim, challenge_through_latency_registers_in_two_round_trips) {
  Sim sim(ua_config(), registrar_script(), {80}, {80}, 1);
  ASSERT_TRUE(sim.ua().start_register(sim.now()).ok());
  sim.drain();
  sim.run_until(10'000);
  const auto registered = sim.events_of<reg::Registered>();
  ASSERT_EQ(registered.size(), 1u);
  EXPECT_EQ(registered[0].at, 4 * 80);  // REGISTER, 401, REGISTER+auth, 200
  EXPECT_EQ(std::get<reg::Registered>(registered[0].event).expires, 60u);
  EXPECT_EQ(sim.registrar().registers(), 2);
  EXPECT_EQ(sim.registrar().bindings(), 1);
  EXPECT_TRUE(sim.events_of<ua::Dropped>().empty());
  EXPECT_EQ(sim.ua().registration_state(), reg::State::Registered);
  // The refresh (55 s for 60 s) goes through the same challenge.
  sim.run_until(60'000);
  EXPECT_EQ(sim.events_of<reg::Registered>().size(), 2u);
  EXPECT_EQ(sim.registrar().bindings(), 2);
}

TEST(RegistrationSim, lost_final_after_100_trying_fails_by_timer_F_without_hanging) {
  auto script = registrar_script();
  script.challenge = false;
  script.send_trying = true;
  Sim sim(ua_config(), script, {30}, {30}, 2);
  sim.to_client().drop_if = [](const std::string& f) { return f.rfind("SIP/2.0 200", 0) == 0; };
  ASSERT_TRUE(sim.ua().start_register(sim.now()).ok());
  sim.drain();
  sim.run_until(120'000);
  // The 1xx proved the transport alive: no TransportDead, but Timer F
  // (64*T1 = 32 s after the REGISTER left) ends the NICT with a 408.
  EXPECT_TRUE(sim.events_of<reg::TransportDead>().empty());
  const auto failed = sim.events_of<reg::RegistrationFailed>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].at, 64 * 500);
  EXPECT_EQ(std::get<reg::RegistrationFailed>(failed[0].event).message,
            "Registration failed: SIP/2.0 408 Request Timeout");
  EXPECT_EQ(sim.ua_deadline(), kNever);  // quiescent: nothing left to wait for
  EXPECT_FALSE(sim.step());
}

TEST(RegistrationSim, duplicated_responses_are_absorbed) {
  LinkParams dup{40};
  dup.duplicate = 1.0;  // every response arrives twice
  Sim sim(ua_config(), registrar_script(), {40}, dup, 3);
  ASSERT_TRUE(sim.ua().start_register(sim.now()).ok());
  sim.drain();
  sim.run_until(10'000);
  EXPECT_EQ(sim.events_of<reg::Registered>().size(), 1u);
  EXPECT_TRUE(sim.events_of<reg::RegistrationFailed>().empty());
  // The duplicated 401 must not make us answer the challenge twice.
  EXPECT_EQ(sim.registrar().registers(), 2);
  EXPECT_EQ(sim.to_client().duplicated(), 2);
}

TEST(RegistrationSim, duplication_and_reordering_never_double_register_across_seeds) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    LinkParams messy{20};
    messy.jitter = 60;
    messy.duplicate = 0.5;
    Sim sim(ua_config(), registrar_script(), messy, messy, seed);
    ASSERT_TRUE(sim.ua().start_register(sim.now()).ok());
    sim.drain();
    sim.run_until(20'000);
    EXPECT_EQ(sim.events_of<reg::Registered>().size(), 1u) << "seed " << seed;
    EXPECT_TRUE(sim.events_of<reg::RegistrationFailed>().empty()) << "seed " << seed;
    EXPECT_EQ(sim.ua().registration_state(), reg::State::Registered) << "seed " << seed;
  }
}

TEST(RegistrationSim, dead_link_reports_transport_dead_and_goes_quiet) {
  Sim sim(ua_config(), registrar_script(), {20}, {20}, 4);
  sim.to_server().set_up(false);
  ASSERT_TRUE(sim.ua().start_register(sim.now()).ok());
  sim.drain();
  sim.run_until(120'000);
  const auto dead = sim.events_of<reg::TransportDead>();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].at, 5000);  // Config::register_no_answer
  const auto failed = sim.events_of<reg::RegistrationFailed>();
  ASSERT_EQ(failed.size(), 1u);  // the NICT's synthetic 503 adds no second failure
  EXPECT_EQ(std::get<reg::RegistrationFailed>(failed[0].event).status, 408);
  EXPECT_EQ(sim.ua_deadline(), kNever);
  EXPECT_FALSE(sim.step());
}

TEST(RegistrationSim, lossy_link_always_ends_registered_or_failed_never_hangs) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    LinkParams lossy{25};
    lossy.jitter = 30;
    lossy.loss = 0.3;
    Sim sim(ua_config(), registrar_script(), lossy, lossy, seed);
    ASSERT_TRUE(sim.ua().start_register(sim.now()).ok());
    sim.drain();
    sim.run_until(40'000);
    const bool registered = !sim.events_of<reg::Registered>().empty();
    const bool failed = !sim.events_of<reg::RegistrationFailed>().empty();
    EXPECT_TRUE(registered != failed) << "seed " << seed;
    EXPECT_LT(sim.steps(), 1000) << "seed " << seed;
  }
}

}  // namespace
}  // namespace wwp::sim
