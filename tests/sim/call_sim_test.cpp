// Two phones calling each other through the simulator's relay, in virtual
// time: the INVITE session (RFC 3261 §13–§15) end to end between two of our
// own transaction and dialog layers, including the races that unit tests with
// a scripted peer cannot produce — crossing re-INVITEs, a CANCEL crossing the
// 2xx, crossing BYEs — over links that delay, reorder and duplicate. Each
// scenario is reproducible from its seed.
#include <gtest/gtest.h>

#include "tests/sim/call_sim.hpp"

namespace wwp::sim {
namespace {


LinkParams messy(std::uint64_t) {
  LinkParams p{30};
  p.jitter = 50;  // frames overtake each other
  return p;
}

/// A calls B ("102"); B answers `answer_after` ms after the call reaches it.
/// Returns A's handle (B's is `sim.incoming(B)`).
call::CallHandle call_b(CallSim& sim, Duration answer_after) {
  sim.react = [answer_after](CallSim& s, Side side, const call::CallEvent& e) {
    if (side != B) return;
    if (const auto* in = std::get_if<call::IncomingCall>(&e)) {
      const call::CallHandle h = in->call;
      s.at(s.now() + answer_after, [h](CallSim& s2) { (void)s2.ua(B).answer(h, sim_sdp("sendrecv"), s2.now()); });
    }
  };
  auto h = sim.ua(A).invite({"102", "", {}, sim_sdp("sendrecv")}, sim.now());
  EXPECT_TRUE(h.ok());
  sim.drain();
  return h.ok() ? *h : 0;
}

/// A call set up and confirmed on both sides; returns {A's, B's} handles.
std::pair<call::CallHandle, call::CallHandle> connected(CallSim& sim) {
  sim.register_all();
  const call::CallHandle a = call_b(sim, 200);
  sim.run_until(sim.now() + 5'000);
  EXPECT_EQ(sim.phone(A).call_events<call::CallAnswered>().size(), 1u);
  EXPECT_EQ(sim.phone(B).call_events<call::CallConfirmed>().size(), 1u);
  return {a, sim.incoming(B)};
}

bool live(CallSim& sim, Side s, call::CallHandle h) { return !sim.ua(s).call_id(h).empty(); }

/// A calls B and hangs up 100 ms after the call reaches B; `b_acts` runs on
/// B's call `b_after` ms after it arrived. Returns A's handle (0 on failure).
call::CallHandle call_b_and_give_up(CallSim& sim, Duration b_after,
                                    std::function<void(CallSim&, call::CallHandle)> b_acts) {
  auto h = sim.ua(A).invite({"102", "", {}, sim_sdp("sendrecv")}, sim.now());
  EXPECT_TRUE(h.ok());
  if (!h.ok()) return 0;
  const call::CallHandle a = *h;
  sim.react = [a, b_after, b_acts](CallSim& s, Side side, const call::CallEvent& e) {
    const auto* in = std::get_if<call::IncomingCall>(&e);
    if (side != B || !in) return;
    const call::CallHandle b = in->call;
    s.at(s.now() + 100, [a](CallSim& s2) { EXPECT_TRUE(s2.ua(A).hangup(a, s2.now()).ok()); });
    s.at(s.now() + b_after, [b, b_acts](CallSim& s2) { b_acts(s2, b); });
  };
  sim.drain();
  return a;
}

/// The virtual time of a phone's first call event of kind T (kNever if none).
template <class T>
TimePoint first_at(const Endpoint& phone) {
  for (const auto& e : phone.events())
    if (const auto* ce = std::get_if<call::CallEvent>(&e.event))
      if (std::holds_alternative<T>(*ce)) return e.at;
  return kNever;
}

TEST(CallSim, call_answer_and_hangup_through_the_relay_rfc3261_13) {
  CallSim sim(sim_phone("101", 1), sim_phone("102", 2), {40}, 1);
  const auto [a, b] = connected(sim);
  ASSERT_NE(b, 0u);
  EXPECT_EQ(sim.ua(A).call_id(a), sim.ua(B).call_id(b));
  const auto answered = sim.phone(A).call_events<call::CallAnswered>();
  ASSERT_EQ(answered.size(), 1u);
  EXPECT_NE(answered[0].response.body().find("a=sendrecv"), std::string::npos);
  // Both sides name each other the same way (dialog id, §12).
  EXPECT_EQ(answered[0].peer.remote_tag, sim.phone(B).call_events<call::IncomingCall>()[0].peer.local_tag);

  ASSERT_TRUE(sim.ua(A).hangup(a, sim.now()).ok());
  sim.drain();
  sim.run_until(sim.now() + 5'000);
  ASSERT_EQ(sim.phone(A).call_events<call::CallEnded>().size(), 1u);
  ASSERT_EQ(sim.phone(B).call_events<call::CallEnded>().size(), 1u);
  EXPECT_EQ(sim.phone(A).call_events<call::CallEnded>()[0].reason, "local hangup");
  EXPECT_EQ(sim.phone(B).call_events<call::CallEnded>()[0].reason, "remote hangup");
  EXPECT_FALSE(live(sim, A, a));
  EXPECT_FALSE(live(sim, B, b));
  EXPECT_EQ(sim.relayed(A, "INVITE"), 1);
  EXPECT_EQ(sim.relayed(A, "ACK"), 1);
  EXPECT_EQ(sim.relayed(A, "BYE"), 1);
  EXPECT_TRUE(sim.phone(A).events_of<ua::Dropped>().empty());
  EXPECT_TRUE(sim.phone(B).events_of<ua::Dropped>().empty());
}

TEST(CallSim, crossing_holds_get_491_and_both_retries_land_rfc3261_14_1) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    CallSim sim(sim_phone("101", seed), sim_phone("102", seed + 100), messy(seed), seed);
    const auto [a, b] = connected(sim);
    ASSERT_NE(b, 0u) << "seed " << seed;
    // Both put the call on hold at the same instant: each re-INVITE reaches
    // a phone with its own pending, so each is answered 491 (§14.2) and each
    // side retries after its §14.1 delay (B, not owning the Call-ID, first).
    ASSERT_TRUE(sim.ua(A).hold(a, true, sim.now()).ok());
    ASSERT_TRUE(sim.ua(B).hold(b, true, sim.now()).ok());
    sim.drain();
    sim.run_until(sim.now() + 30'000);
    EXPECT_GE(sim.relayed(A, "491") + sim.relayed(B, "491"), 2) << "seed " << seed;
    for (Side s : {A, B}) {
      const auto done = sim.phone(s).call_events<call::ReinviteDone>();
      ASSERT_FALSE(done.empty()) << "seed " << seed << " side " << s;
      EXPECT_EQ(done.back().status, 200) << "seed " << seed << " side " << s;
      // The side whose retry went first holds a call that is sending both
      // ways: sendonly, answered recvonly. The other answered that offer while
      // it waited, so its hold is rebuilt from its answer (recvonly) as
      // inactive (RFC 3264 §8.4), answered inactive: both on hold.
      const std::string& sdp = done.back().sdp;
      EXPECT_TRUE(sdp.find("a=recvonly") != std::string::npos || sdp.find("a=inactive") != std::string::npos)
          << "seed " << seed << "\n" << sdp;
      EXPECT_TRUE(sim.phone(s).call_events<call::CallEnded>().empty()) << "seed " << seed;
    }
    EXPECT_TRUE(live(sim, A, a) && live(sim, B, b)) << "seed " << seed;
    // Unhold afterwards works: the glare left no re-INVITE pending.
    EXPECT_TRUE(sim.ua(A).hold(a, false, sim.now()).ok()) << "seed " << seed;
  }
}

TEST(CallSim, cancel_crossing_the_answer_ends_both_sides_either_way_rfc3261_9_1) {
  int cancelled = 0, answered_then_bye = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    CallSim sim(sim_phone("101", seed), sim_phone("102", seed + 100), messy(seed), seed);
    sim.register_all();
    // The caller gives up 100 ms after the call reaches B; B answers between
    // then and 150 ms later, so its 200 leaves before or after the CANCEL
    // (30–80 ms on the way) gets there.
    const Duration answer_after = 100 + static_cast<Duration>((seed * 37) % 151);
    const call::CallHandle a = call_b_and_give_up(sim, answer_after, [](CallSim& s, call::CallHandle b) {
      (void)s.ua(B).answer(b, sim_sdp("sendrecv"), s.now());
    });
    ASSERT_NE(a, 0u);
    // Long enough for every outcome, including B's 64*T1 wait for an ACK.
    sim.run_until(sim.now() + 40'000);
    const call::CallHandle b = sim.incoming(B);
    ASSERT_NE(b, 0u) << "seed " << seed;
    EXPECT_FALSE(live(sim, A, a)) << "seed " << seed << "\n" << sim.trace();
    EXPECT_FALSE(live(sim, B, b)) << "seed " << seed;
    EXPECT_EQ(sim.phone(B).call_events<call::CallEnded>().size(), 1u) << "seed " << seed;
    const auto failed = sim.phone(A).call_events<call::CallFailed>();
    if (!failed.empty()) {
      // The CANCEL won: 487 for the INVITE (§9.2), and B never confirmed.
      EXPECT_EQ(failed[0].status, 487) << "seed " << seed;
      EXPECT_TRUE(sim.phone(B).call_events<call::CallConfirmed>().empty()) << "seed " << seed;
      ++cancelled;
    } else {
      // The 200 won: A acknowledges it and ends the call with BYE (§15).
      EXPECT_EQ(sim.phone(A).call_events<call::CallEnded>().size(), 1u) << "seed " << seed;
      EXPECT_EQ(sim.relayed(A, "ACK"), 1) << "seed " << seed;
      EXPECT_EQ(sim.relayed(A, "BYE"), 1) << "seed " << seed;
      EXPECT_EQ(sim.phone(B).call_events<call::CallEnded>()[0].reason, "remote hangup") << "seed " << seed;
      ++answered_then_bye;
    }
  }
  // The seeds cover both orders of the race.
  EXPECT_GT(cancelled, 0);
  EXPECT_GT(answered_then_bye, 0);
}

TEST(CallSim, crossing_byes_end_each_side_once_rfc3261_15_1_2) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    CallSim sim(sim_phone("101", seed), sim_phone("102", seed + 100), messy(seed), seed);
    const auto [a, b] = connected(sim);
    ASSERT_TRUE(sim.ua(A).hangup(a, sim.now()).ok());
    ASSERT_TRUE(sim.ua(B).hangup(b, sim.now()).ok());
    sim.drain();
    sim.run_until(sim.now() + 40'000);
    for (Side s : {A, B}) {
      const auto ended = sim.phone(s).call_events<call::CallEnded>();
      ASSERT_EQ(ended.size(), 1u) << "seed " << seed << " side " << s;
      EXPECT_EQ(ended[0].reason, "local hangup") << "seed " << seed;
      EXPECT_EQ(sim.relayed(s, "BYE"), 1) << "seed " << seed;
      EXPECT_TRUE(sim.phone(s).events_of<ua::Dropped>().empty()) << "seed " << seed;
    }
    // Each BYE got one final answer (200, or 481 once the dialog was gone);
    // B also sent the INVITE's 200.
    EXPECT_EQ(sim.relayed(A, "200") + sim.relayed(A, "481"), 1) << "seed " << seed << "\n" << sim.trace();
    EXPECT_EQ(sim.relayed(B, "200") + sim.relayed(B, "481"), 2) << "seed " << seed;
    EXPECT_FALSE(live(sim, A, a));
    EXPECT_FALSE(live(sim, B, b));
  }
}

TEST(CallSim, a_reinvite_crossing_a_bye_leaves_no_call_behind_rfc3261_15) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    CallSim sim(sim_phone("101", seed), sim_phone("102", seed + 100), messy(seed), seed);
    const auto [a, b] = connected(sim);
    ASSERT_TRUE(sim.ua(A).hold(a, true, sim.now()).ok());
    ASSERT_TRUE(sim.ua(B).hangup(b, sim.now()).ok());
    sim.drain();
    sim.run_until(sim.now() + 40'000);
    for (Side s : {A, B})
      EXPECT_EQ(sim.phone(s).call_events<call::CallEnded>().size(), 1u) << "seed " << seed << "\n" << sim.trace();
    EXPECT_EQ(sim.phone(A).call_events<call::CallEnded>()[0].reason, "remote hangup") << "seed " << seed;
    // B's session is over once its BYE is out (§15.1.1), and its dialog once
    // the BYE is answered (§12.2.2): either way the re-INVITE gets 481, never
    // an offer or a 200.
    EXPECT_TRUE(sim.phone(B).call_events<call::ReinviteOffer>().empty()) << "seed " << seed;
    EXPECT_EQ(sim.relayed(B, "481"), 1) << "seed " << seed;
    EXPECT_EQ(sim.relayed(B, "200"), 1) << "seed " << seed;  // the first INVITE's only
    EXPECT_EQ(sim.phone(B).call_events<call::IncomingCall>().size(), 1u) << "seed " << seed;
    EXPECT_FALSE(live(sim, A, a));
    EXPECT_FALSE(live(sim, B, b));
  }
}

TEST(CallSim, duplicated_frames_never_duplicate_a_call_event_rfc3261_17) {
  LinkParams twice{25};
  twice.duplicate = 1.0;  // every frame arrives twice
  CallSim sim(sim_phone("101", 7), sim_phone("102", 8), twice, 7);
  const auto [a, b] = connected(sim);
  ASSERT_TRUE(sim.ua(A).hold(a, true, sim.now()).ok());
  sim.drain();
  sim.run_until(sim.now() + 5'000);
  ASSERT_TRUE(sim.ua(B).hangup(b, sim.now()).ok());
  sim.drain();
  sim.run_until(sim.now() + 40'000);
  EXPECT_EQ(sim.phone(B).call_events<call::IncomingCall>().size(), 1u);
  EXPECT_EQ(sim.phone(A).call_events<call::CallAnswered>().size(), 1u);
  EXPECT_EQ(sim.phone(B).call_events<call::ReinviteOffer>().size(), 1u);
  EXPECT_EQ(sim.phone(A).call_events<call::ReinviteDone>().size(), 1u);
  EXPECT_EQ(sim.phone(A).call_events<call::CallEnded>().size(), 1u);
  EXPECT_EQ(sim.phone(B).call_events<call::CallEnded>().size(), 1u);
  EXPECT_GT(sim.down(B).duplicated(), 0);
  EXPECT_FALSE(live(sim, A, a));
  EXPECT_FALSE(live(sim, B, b));
}

TEST(CallSim, lost_ack_makes_the_callee_end_the_call_after_64_t1_rfc3261_13_3_1_4) {
  CallSim sim(sim_phone("101", 9), sim_phone("102", 10), {40}, 9);
  sim.register_all();
  sim.up(A).drop_if = [](const std::string& f) { return f.rfind("ACK ", 0) == 0; };
  const call::CallHandle a = call_b(sim, 200);
  sim.run_until(sim.now() + 60'000);
  EXPECT_EQ(sim.phone(A).call_events<call::CallAnswered>().size(), 1u);
  EXPECT_TRUE(sim.phone(B).call_events<call::CallConfirmed>().empty());
  // B's 200 took 80 ms (two 40 ms hops) to reach A. B sends its BYE 64*T1
  // (32 s) after the 200 and ends when the BYE is answered, a round trip later.
  EXPECT_EQ(first_at<call::CallEnded>(sim.phone(B)) - first_at<call::CallAnswered>(sim.phone(A)),
            64 * 500 + 160 - 80);
  ASSERT_EQ(sim.phone(B).call_events<call::CallEnded>().size(), 1u);
  ASSERT_EQ(sim.phone(A).call_events<call::CallEnded>().size(), 1u);
  EXPECT_EQ(sim.phone(A).call_events<call::CallEnded>()[0].reason, "remote hangup");
  EXPECT_EQ(sim.relayed(B, "BYE"), 1);
  EXPECT_FALSE(live(sim, A, a));
}

TEST(CallSim, an_unanswered_reinvite_times_out_and_ends_the_dialog_rfc3261_14_1) {
  CallSim sim(sim_phone("101", 11), sim_phone("102", 12), {40}, 11);
  const auto [a, b] = connected(sim);
  // The relay loses B's answer to the hold (and only that).
  sim.up(B).drop_if = [](const std::string& f) {
    return f.rfind("SIP/2.0 200", 0) == 0 && f.find(" INVITE\r\n") != std::string::npos;
  };
  ASSERT_TRUE(sim.ua(A).hold(a, true, sim.now()).ok());
  sim.drain();
  const TimePoint held_at = sim.now();
  sim.run_until(sim.now() + 60'000);
  // Timer B (64*T1) gives a 408; §14.1: the UAC then ends the dialog with BYE.
  const auto done = sim.phone(A).call_events<call::ReinviteDone>();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].status, 408);
  EXPECT_EQ(first_at<call::ReinviteDone>(sim.phone(A)) - held_at, 64 * 500);
  EXPECT_EQ(sim.relayed(A, "BYE"), 1);
  EXPECT_EQ(sim.phone(B).call_events<call::CallEnded>().size(), 1u);
  EXPECT_EQ(sim.phone(A).call_events<call::CallEnded>().size(), 1u);
  EXPECT_FALSE(live(sim, A, a));
  EXPECT_FALSE(live(sim, B, b));
}

TEST(CallSim, a_reject_crossing_a_cancel_ends_both_sides_once_rfc3261_9_2) {
  int rejected = 0, cancelled = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    CallSim sim(sim_phone("101", seed), sim_phone("102", seed + 100), messy(seed), seed);
    sim.register_all();
    const Duration reject_after = 100 + static_cast<Duration>((seed * 53) % 151);
    // The shim may try to reject a call that a CANCEL already ended: a
    // clear error, nothing sent.
    const call::CallHandle a = call_b_and_give_up(sim, reject_after, [](CallSim& s, call::CallHandle b) {
      const bool ringing = live(s, B, b);
      EXPECT_EQ(s.ua(B).reject(b, 486, s.now()).ok(), ringing);
    });
    ASSERT_NE(a, 0u);
    sim.run_until(sim.now() + 40'000);
    const auto failed = sim.phone(A).call_events<call::CallFailed>();
    ASSERT_EQ(failed.size(), 1u) << "seed " << seed << "\n" << sim.trace();
    EXPECT_TRUE(failed[0].status == 486 || failed[0].status == 487) << "seed " << seed;
    (failed[0].status == 486 ? rejected : cancelled)++;
    EXPECT_EQ(sim.phone(B).call_events<call::CallEnded>().size(), 1u) << "seed " << seed;
    EXPECT_EQ(sim.relayed(B, "486") + sim.relayed(B, "487"), 1) << "seed " << seed;
    EXPECT_FALSE(live(sim, A, a));
    EXPECT_FALSE(live(sim, B, sim.incoming(B)));
  }
  EXPECT_GT(rejected, 0);
  EXPECT_GT(cancelled, 0);
}

TEST(CallSim, a_replaces_that_cannot_apply_is_refused_and_the_call_stays_rfc3891_3) {
  CallSim sim(sim_phone("101", 13), sim_phone("102", 14), {40}, 13);
  const auto [a, b] = connected(sim);
  const auto peer = sim.phone(A).call_events<call::CallAnswered>()[0].peer;
  const std::string call_id = sim.ua(A).call_id(a);
  // From A's side B's dialog is: to-tag = B's tag (A's remote), from-tag = A's.
  const std::string tags = ";to-tag=" + peer.remote_tag + ";from-tag=" + peer.local_tag;
  const std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, int>> cases = {
      {{{"Replaces", "no-such-call" + tags}}, 481},                 // no match
      {{{"Replaces", call_id + ";to-tag=" + peer.local_tag + ";from-tag=" + peer.remote_tag}}, 481},  // tags swapped
      {{{"Replaces", call_id + tags + ";early-only"}}, 486},        // confirmed, early-only
      {{{"Replaces", call_id + ";to-tag=" + peer.remote_tag}}, 400},  // from-tag missing
      {{{"Replaces", call_id + tags + ", " + call_id + tags}}, 400},  // two of them
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    auto h = sim.ua(A).invite({"102", "", cases[i].first, sim_sdp("sendrecv")}, sim.now());
    ASSERT_TRUE(h.ok());
    sim.drain();
    sim.run_until(sim.now() + 3'000);
    const auto failed = sim.phone(A).call_events<call::CallFailed>();
    ASSERT_EQ(failed.size(), i + 1) << "case " << i << "\n" << sim.trace();
    EXPECT_EQ(failed[i].status, cases[i].second) << "case " << i;
  }
  // B never rang, and the call it has goes on.
  EXPECT_EQ(sim.phone(B).call_events<call::IncomingCall>().size(), 1u);
  EXPECT_TRUE(live(sim, A, a) && live(sim, B, b));
  EXPECT_TRUE(sim.phone(B).call_events<call::CallEnded>().empty());
}

TEST(CallSim, a_replaces_for_our_own_ringing_call_takes_it_over_and_cancels_it_rfc3891_3) {
  CallSim sim({sim_phone("101", 15), sim_phone("102", 16), sim_phone("103", 17)}, {40}, 15);
  sim.register_all();
  // B rings and never answers; A answers whatever replaces a call at once.
  sim.react = [](CallSim& s, Side side, const call::CallEvent& e) {
    const auto* in = std::get_if<call::IncomingCall>(&e);
    if (side == A && in && in->replaces)
      EXPECT_TRUE(s.ua(A).answer(in->call, sim_sdp("sendrecv"), s.now()).ok());
  };
  auto ab = sim.ua(A).invite({"102", "", {}, sim_sdp("sendrecv")}, sim.now());
  ASSERT_TRUE(ab.ok());
  sim.drain();
  sim.run_until(sim.now() + 2'000);
  const auto progress = sim.phone(A).call_events<call::CallProgress>();
  ASSERT_FALSE(progress.empty());
  const auto& peer = progress.back().peer;
  // C picks up: it names A's early dialog as A sees it.
  const std::string replaces =
      sim.ua(A).call_id(*ab) + ";to-tag=" + peer.local_tag + ";from-tag=" + peer.remote_tag + ";early-only";
  auto ca = sim.ua(C).invite({"101", "", {{"Replaces", replaces}}, sim_sdp("sendrecv")}, sim.now());
  ASSERT_TRUE(ca.ok());
  sim.drain();
  sim.run_until(sim.now() + 5'000);
  const auto incoming = sim.phone(A).call_events<call::IncomingCall>();
  ASSERT_EQ(incoming.size(), 1u) << sim.trace();
  EXPECT_EQ(incoming[0].replaces, *ab);
  EXPECT_EQ(sim.phone(C).call_events<call::CallAnswered>().size(), 1u);
  EXPECT_TRUE(live(sim, A, incoming[0].call) && live(sim, C, *ca));
  // A's own call to B was CANCELled: 487 for A, "cancelled" at B.
  const auto failed = sim.phone(A).call_events<call::CallFailed>();
  ASSERT_EQ(failed.size(), 1u) << sim.trace();
  EXPECT_EQ(failed[0].status, 487);
  EXPECT_EQ(sim.relayed(A, "CANCEL"), 1);
  ASSERT_EQ(sim.phone(B).call_events<call::CallEnded>().size(), 1u);
  EXPECT_EQ(sim.phone(B).call_events<call::CallEnded>()[0].reason, "cancelled");
}

TEST(CallSim, attended_transfer_between_three_phones_rfc5589_7_rfc3891_3) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    CallSim sim({sim_phone("101", seed), sim_phone("102", seed + 100), sim_phone("103", seed + 200)}, messy(seed), seed);
    sim.register_all();
    // The shims: answer a ringing call after 200 ms, a replacing one at once
    // (RFC 3891 §3: the user already accepted the call it replaces); B, as
    // transferee, calls the target with the REFER's Replaces and reports
    // the outcome by NOTIFY (RFC 3515 §2.4.4), as js/call-session does.
    std::map<call::CallHandle, call::CallHandle> referred_by;  // B's new call → the call that REFERred it
    sim.react = [&](CallSim& s, Side side, const call::CallEvent& e) {
      if (const auto* in = std::get_if<call::IncomingCall>(&e)) {
        const call::CallHandle h = in->call;
        s.at(s.now() + (in->replaces ? 0 : 200),
             [h, side](CallSim& s2) { EXPECT_TRUE(s2.ua(side).answer(h, sim_sdp("sendrecv"), s2.now()).ok()); });
      } else if (const auto* refer = std::get_if<call::ReferReceived>(&e)) {
        std::vector<std::pair<std::string, std::string>> headers;
        if (!refer->replaces.empty()) headers.emplace_back("Replaces", refer->replaces);
        auto h = s.ua(side).invite({refer->target, "", headers, sim_sdp("sendrecv")}, s.now());
        ASSERT_TRUE(h.ok());
        referred_by[*h] = refer->call;
      } else if (const auto* answered = std::get_if<call::CallAnswered>(&e)) {
        if (const auto it = referred_by.find(answered->call); it != referred_by.end())
          EXPECT_TRUE(s.ua(side).refer_progress(it->second, 200, s.now()).ok());
      }
    };
    auto ab = sim.ua(A).invite({"102", "", {}, sim_sdp("sendrecv")}, sim.now());
    sim.drain();
    sim.run_until(sim.now() + 3'000);
    auto ac = sim.ua(A).invite({"103", "", {}, sim_sdp("sendrecv")}, sim.now());
    sim.drain();
    sim.run_until(sim.now() + 3'000);
    ASSERT_TRUE(ab.ok() && ac.ok());
    ASSERT_EQ(sim.phone(A).call_events<call::CallAnswered>().size(), 2u) << "seed " << seed;
    const call::CallHandle b_old = sim.incoming(B), c_old = sim.incoming(C);

    ASSERT_TRUE(sim.ua(A).refer_replaces(*ab, *ac, sim.now()).ok());
    sim.drain();
    sim.run_until(sim.now() + 40'000);

    // C took B's INVITE as the replacement of its call with A, answered it
    // unasked, and ended the replaced call itself once the ACK came.
    const auto c_calls = sim.phone(C).call_events<call::IncomingCall>();
    ASSERT_EQ(c_calls.size(), 2u) << "seed " << seed << "\n" << sim.trace();
    EXPECT_EQ(c_calls[1].replaces, c_old) << "seed " << seed;
    ASSERT_EQ(referred_by.size(), 1u) << "seed " << seed;
    const call::CallHandle b_new = referred_by.begin()->first, c_new = c_calls[1].call;
    EXPECT_TRUE(live(sim, B, b_new) && live(sim, C, c_new)) << "seed " << seed << "\n" << sim.trace();
    EXPECT_EQ(sim.ua(B).call_id(b_new), sim.ua(C).call_id(c_new));
    EXPECT_EQ(sim.relayed(C, "BYE"), 1) << "seed " << seed;
    // A is left with nothing: C ended the consultation, A (or B) the original.
    for (auto [side, h] : {std::pair{A, *ab}, {A, *ac}, {B, b_old}, {C, c_old}})
      EXPECT_FALSE(live(sim, side, h)) << "seed " << seed << " side " << side << "\n" << sim.trace();
    EXPECT_EQ(sim.phone(A).call_events<call::CallEnded>().size(), 2u) << "seed " << seed;
  }
}

TEST(CallSim, blind_transfer_between_three_phones_ends_the_transferors_leg_rfc3515_rfc5589_6) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    CallSim sim({sim_phone("101", seed), sim_phone("102", seed + 100), sim_phone("103", seed + 200)}, messy(seed), seed);
    sim.register_all();
    // B and C answer after 200 ms; B, as transferee, calls the REFER's
    // target and reports the outcome (as js/call-session does).
    std::map<call::CallHandle, call::CallHandle> referred_by;
    sim.react = [&](CallSim& s, Side side, const call::CallEvent& e) {
      if (const auto* in = std::get_if<call::IncomingCall>(&e)) {
        const call::CallHandle h = in->call;
        s.at(s.now() + 200, [h, side](CallSim& s2) { (void)s2.ua(side).answer(h, sim_sdp("sendrecv"), s2.now()); });
      } else if (const auto* refer = std::get_if<call::ReferReceived>(&e)) {
        auto h = s.ua(side).invite({refer->target, "", {}, sim_sdp("sendrecv")}, s.now());
        ASSERT_TRUE(h.ok());
        referred_by[*h] = refer->call;
      } else if (const auto* answered = std::get_if<call::CallAnswered>(&e)) {
        if (const auto it = referred_by.find(answered->call); it != referred_by.end())
          EXPECT_TRUE(s.ua(side).refer_progress(it->second, 200, s.now()).ok());
      }
    };
    auto ab = sim.ua(A).invite({"102", "", {}, sim_sdp("sendrecv")}, sim.now());
    ASSERT_TRUE(ab.ok());
    sim.drain();
    sim.run_until(sim.now() + 3'000);
    const call::CallHandle b_old = sim.incoming(B);
    ASSERT_NE(b_old, 0u);
    ASSERT_TRUE(sim.ua(A).refer(*ab, "sip:103@sim.example.test", sim.now()).ok());
    sim.drain();
    sim.run_until(sim.now() + 40'000);
    const auto done = sim.phone(A).call_events<call::ReferDone>();
    ASSERT_EQ(done.size(), 1u) << "seed " << seed;
    EXPECT_EQ(done[0].status, 202) << "seed " << seed;
    ASSERT_EQ(referred_by.size(), 1u) << "seed " << seed;
    const call::CallHandle b_new = referred_by.begin()->first;
    EXPECT_TRUE(live(sim, B, b_new) && live(sim, C, sim.incoming(C))) << "seed " << seed;
    // The transferor ends its leg once the NOTIFY says the transfer worked,
    // whether that NOTIFY overtook the REFER's 202 or not.
    EXPECT_FALSE(live(sim, A, *ab)) << "seed " << seed << "\n" << sim.trace();
    EXPECT_FALSE(live(sim, B, b_old)) << "seed " << seed;
    EXPECT_EQ(sim.relayed(A, "BYE") + sim.relayed(B, "BYE"), 1) << "seed " << seed;
  }
}

TEST(CallSim, a_cancel_that_gets_no_answer_still_ends_the_call_after_64_t1_rfc3261_9_1) {
  CallSim sim(sim_phone("101", 21), sim_phone("102", 22), {40}, 21);
  sim.register_all();
  // B rings and never answers; the relay loses A's CANCEL.
  sim.up(A).drop_if = [](const std::string& f) { return f.rfind("CANCEL ", 0) == 0; };
  auto h = sim.ua(A).invite({"102", "", {}, sim_sdp("sendrecv")}, sim.now());
  ASSERT_TRUE(h.ok());
  sim.drain();
  sim.run_until(sim.now() + 1'000);
  ASSERT_NE(sim.incoming(B), 0u);
  ASSERT_TRUE(sim.ua(A).hangup(*h, sim.now()).ok());
  sim.drain();
  const TimePoint cancelled_at = sim.now();
  sim.run_until(sim.now() + 120'000);
  // §9.1: "If there is no final response for the original request in 64*T1
  // seconds ..., the client SHOULD then consider the original transaction
  // cancelled and SHOULD destroy the client transaction".
  const auto failed = sim.phone(A).call_events<call::CallFailed>();
  ASSERT_EQ(failed.size(), 1u) << sim.trace();
  EXPECT_LE(first_at<call::CallFailed>(sim.phone(A)) - cancelled_at, 64 * 500 + 100);
  EXPECT_FALSE(live(sim, A, *h));
}

TEST(CallSim, a_hold_sent_the_moment_the_call_is_answered_lands_before_or_after_the_ack_rfc3261_13_3_1_4) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    CallSim sim(sim_phone("101", seed), sim_phone("102", seed + 100), messy(seed), seed);
    sim.register_all();
    const call::CallHandle a = call_b(sim, 200);
    auto answer_reaction = sim.react;
    sim.react = [answer_reaction](CallSim& s, Side side, const call::CallEvent& e) {
      answer_reaction(s, side, e);
      if (const auto* ans = std::get_if<call::CallAnswered>(&e); ans && side == A)
        EXPECT_TRUE(s.ua(A).hold(ans->call, true, s.now()).ok());
    };
    sim.run_until(sim.now() + 10'000);
    const auto done = sim.phone(A).call_events<call::ReinviteDone>();
    ASSERT_EQ(done.size(), 1u) << "seed " << seed << "\n" << sim.trace();
    EXPECT_EQ(done[0].status, 200) << "seed " << seed << "\n" << sim.trace();
    EXPECT_EQ(sim.phone(B).call_events<call::CallConfirmed>().size(), 1u) << "seed " << seed;
    EXPECT_TRUE(live(sim, A, a) && live(sim, B, sim.incoming(B))) << "seed " << seed;
  }
}

TEST(CallSim, a_reinvite_still_unanswered_when_the_call_ends_gets_487_on_either_side_rfc3261_15_1_2) {
  for (Side ender : {A, B}) {
    CallSim sim(sim_phone("101", 23), sim_phone("102", 24), {40}, 23);
    const auto [a, b] = connected(sim);
    sim.answer_reinvites = false;  // A's browser is still making its answer
    ASSERT_TRUE(sim.ua(B).hold(b, true, sim.now()).ok());
    sim.drain();
    sim.run_until(sim.now() + 1'000);
    ASSERT_EQ(sim.phone(A).call_events<call::ReinviteOffer>().size(), 1u);
    // The call ends before A answers: A hangs up (BYE sender) or B does (A receives the BYE).
    ASSERT_TRUE(sim.ua(ender).hangup(ender == A ? a : b, sim.now()).ok());
    sim.drain();
    sim.run_until(sim.now() + 40'000);
    // §15.1.2: pending requests of the dialog still get a final response
    // (487), so B's re-INVITE transaction completes instead of lingering.
    EXPECT_EQ(sim.relayed(A, "487"), 1) << "ender " << ender << "\n" << sim.trace();
    for (Side s : {A, B}) EXPECT_EQ(sim.phone(s).call_events<call::CallEnded>().size(), 1u) << "ender " << ender;
    // B's hold settles (the shim rejects hold() with it) instead of waiting.
    const auto done = sim.phone(B).call_events<call::ReinviteDone>();
    ASSERT_EQ(done.size(), 1u) << "ender " << ender;
    EXPECT_EQ(done[0].status, 487);
    EXPECT_FALSE(live(sim, A, a));
    EXPECT_FALSE(live(sim, B, b));
    // The late answer of A's shim is refused clearly, nothing sent.
    EXPECT_FALSE(sim.ua(A).answer_reinvite(a, sim_sdp("recvonly"), sim.now()).ok());
  }
}

}  // namespace
}  // namespace wwp::sim
