// Session timers (RFC 4028) between two of our phones through the
// simulator's relay, in virtual time: hours of a call pass in a few thousand
// steps, and every refresh, 422 and BYE is the real wire exchange between two
// transaction and dialog layers. https://www.rfc-editor.org/rfc/rfc4028
#include <gtest/gtest.h>

#include "tests/sim/call_sim.hpp"

namespace wwp::sim {
namespace {

Config phone(const std::string& user, std::uint64_t seed, std::uint32_t session_expires = 90,
             std::uint32_t min_se = 90) {
  Config c = sim_phone(user, seed);
  c.session_expires = session_expires;
  c.min_se = min_se;
  return c;
}

/// A calls B, B answers after 200 ms; returns {A's, B's} handles once both
/// are confirmed.
std::pair<call::CallHandle, call::CallHandle> connected(CallSim& sim) {
  sim.register_all();
  sim.react = [](CallSim& s, Side side, const call::CallEvent& e) {
    if (side != B) return;
    if (const auto* in = std::get_if<call::IncomingCall>(&e)) {
      const call::CallHandle h = in->call;
      s.at(s.now() + 200, [h](CallSim& s2) { (void)s2.ua(B).answer(h, sim_sdp("sendrecv"), s2.now()); });
    }
  };
  auto a = sim.ua(A).invite({"102", "", {}, sim_sdp("sendrecv")}, sim.now());
  EXPECT_TRUE(a.ok());
  sim.drain();
  sim.run_until(sim.now() + 5'000);
  EXPECT_EQ(sim.phone(A).call_events<call::CallAnswered>().size(), 1u);
  EXPECT_EQ(sim.phone(B).call_events<call::CallConfirmed>().size(), 1u);
  return {a.ok() ? *a : 0, sim.incoming(B)};
}

bool live(CallSim& sim, Side s, call::CallHandle h) { return !sim.ua(s).call_id(h).empty(); }

TEST(SessionTimerSim, the_caller_refreshes_by_update_every_half_interval_and_the_call_lives_on_rfc4028_10) {
  CallSim sim(phone("101", 1), phone("102", 2), LinkParams{30}, 16);
  const auto [a, b] = connected(sim);
  const TimePoint answered_at = sim.now() - 5'000;
  // B (UAS) chose refresher=uac for a caller that lists `timer` (§9).
  ASSERT_EQ(sim.ua(A).call_id(a).empty(), false);
  sim.run_until(answered_at + 44'000);
  EXPECT_EQ(sim.relayed(A, "UPDATE"), 0) << sim.trace();
  sim.run_until(answered_at + 46'000);
  EXPECT_EQ(sim.relayed(A, "UPDATE"), 1) << sim.trace();
  EXPECT_EQ(sim.relayed(B, "200"), 2) << sim.trace();  // the INVITE's and the UPDATE's
  sim.run_until(answered_at + 92'000);
  EXPECT_EQ(sim.relayed(A, "UPDATE"), 2) << sim.trace();
  // An hour later: some 80 refreshes, no re-INVITE, nothing for either app.
  sim.run_until(answered_at + 3600'000 + 1'000);
  EXPECT_GE(sim.relayed(A, "UPDATE"), 79);  // each restarts from its 2xx, one round trip later
  EXPECT_LE(sim.relayed(A, "UPDATE"), 80);
  EXPECT_EQ(sim.relayed(A, "INVITE"), 1);
  EXPECT_EQ(sim.relayed(A, "BYE") + sim.relayed(B, "BYE"), 0);
  EXPECT_TRUE(live(sim, A, a));
  EXPECT_TRUE(live(sim, B, b));
  EXPECT_TRUE(sim.phone(B).call_events<call::ReinviteOffer>().empty());
  EXPECT_TRUE(sim.phone(A).call_events<call::ReinviteDone>().empty());
}

TEST(SessionTimerSim, hold_reinvites_carry_the_timer_and_the_refreshes_go_on_rfc4028_7_4) {
  CallSim sim(phone("101", 3), phone("102", 4), LinkParams{30}, 17);
  const auto [a, b] = connected(sim);
  // B (not the refresher) holds at 30 s: its re-INVITE says refresher=uas,
  // so A stays the refresher and the interval restarts from that 2xx.
  sim.at(sim.now() + 25'000, [b = b](CallSim& s) { EXPECT_TRUE(s.ua(B).hold(b, true, s.now()).ok()); });
  sim.run_until(sim.now() + 600'000);
  EXPECT_EQ(sim.relayed(B, "INVITE"), 1);
  EXPECT_GE(sim.relayed(A, "UPDATE"), 12);
  EXPECT_TRUE(live(sim, A, a));
  EXPECT_TRUE(live(sim, B, b));
  EXPECT_EQ(sim.phone(B).call_events<call::ReinviteDone>().size(), 1u);
}

TEST(SessionTimerSim, a_refresher_that_goes_silent_gets_bye_at_n_minus_min_32_n_3_rfc4028_10) {
  CallSim sim(phone("101", 5), phone("102", 6), LinkParams{30}, 18);
  const auto [a, b] = connected(sim);
  const TimePoint b_answered = sim.phone(B).events_of<call::CallEvent>().front().at;  // IncomingCall
  // A's refreshes never arrive (a middlebox eats them).
  sim.up(A).drop_if = [](const std::string& frame) { return frame.rfind("UPDATE ", 0) == 0; };
  sim.run_until(sim.now() + 120'000);
  const auto ended_b = sim.phone(B).call_events<call::CallEnded>();
  ASSERT_EQ(ended_b.size(), 1u) << sim.trace();
  EXPECT_EQ(ended_b[0].reason, "session timer expired");
  EXPECT_EQ(ended_b[0].status, 200);
  const auto ended_a = sim.phone(A).call_events<call::CallEnded>();
  ASSERT_EQ(ended_a.size(), 1u);
  EXPECT_EQ(ended_a[0].reason, "remote hangup");
  EXPECT_FALSE(live(sim, A, a));
  EXPECT_FALSE(live(sim, B, b));
  // B's BYE went 90 - min(32, 30) = 60 s after its 2xx.
  TimePoint bye_at = kNever;
  for (const auto& e : sim.phone(B).events_of<ua::MessageTraced>()) {
    const auto& t = std::get<ua::MessageTraced>(e.event);
    if (!t.inbound && t.message->is_request() && t.message->method() == "BYE") bye_at = e.at;
  }
  EXPECT_GE(bye_at, b_answered + 200 + 60'000);
  EXPECT_LE(bye_at, b_answered + 200 + 60'000 + 100);
}

TEST(SessionTimerSim, a_too_small_interval_is_raised_through_422_rfc4028_7_4_9) {
  // A asks for 90 s; B will not go below 300 s.
  CallSim sim(phone("101", 7), phone("102", 8, 1800, 300), LinkParams{30}, 19);
  const auto [a, b] = connected(sim);
  EXPECT_EQ(sim.relayed(B, "422"), 1) << sim.trace();
  EXPECT_EQ(sim.relayed(A, "INVITE"), 2);
  EXPECT_EQ(sim.phone(B).call_events<call::IncomingCall>().size(), 1u);  // the 422'd INVITE rang nothing
  sim.run_until(sim.now() + 140'000);
  EXPECT_EQ(sim.relayed(A, "UPDATE"), 0);  // 300 s: the first refresh at 150 s
  sim.run_until(sim.now() + 20'000);
  EXPECT_EQ(sim.relayed(A, "UPDATE"), 1) << sim.trace();
  EXPECT_TRUE(live(sim, A, a));
  EXPECT_TRUE(live(sim, B, b));
}

TEST(SessionTimerSim, no_timer_when_neither_side_asks_rfc4028_7_2) {
  CallSim sim(phone("101", 9, 0), phone("102", 10, 0), LinkParams{30}, 20);
  const auto [a, b] = connected(sim);
  sim.run_until(sim.now() + 4 * 3600'000);
  EXPECT_EQ(sim.relayed(A, "UPDATE") + sim.relayed(B, "UPDATE"), 0);
  EXPECT_EQ(sim.relayed(A, "INVITE"), 1);
  EXPECT_TRUE(live(sim, A, a));
  EXPECT_TRUE(live(sim, B, b));
}

TEST(SessionTimerSim, the_timer_survives_a_multi_tab_takeover) {
  CallSim sim(phone("101", 11), phone("102", 12), LinkParams{30}, 21);
  const auto [a, b] = connected(sim);
  (void)b;
  const std::string state = sim.ua(A).export_state();
  EXPECT_NE(state.find("\"sessionTimer\":{\"interval\":90,\"weRefresh\":true}"), std::string::npos) << state;
  EXPECT_NE(state.find("\"peerAllowsUpdate\":true"), std::string::npos);
  ua::Ua fresh(phone("101", 99));
  ASSERT_TRUE(fresh.import_state(state, sim.now()).ok());
  // Adopted as the refresher: a refresh within 60 - 45 = 15 s of adoption.
  TimePoint deadline = kNever;
  for (;;) {
    auto o = fresh.poll_output();
    if (auto* t = std::get_if<ua::Timeout>(&o)) {
      deadline = t->at;
      break;
    }
  }
  EXPECT_EQ(deadline, sim.now() + 15'000);
}

}  // namespace
}  // namespace wwp::sim
