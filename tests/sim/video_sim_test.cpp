// Video between two of our phones, in virtual time (README "Video and screen
// share"): what the core tells the shim about the peer's video in each call
// event (core/sdp live_direction), and the SDP the core itself offers once a
// call has video: RFC 3264 §6 (a stream is rejected by port 0 in the answer),
// §8.2 (removed by port 0 in a new offer, and its m-line stays: "the number
// of m lines MUST NOT be less"), §8.4 (hold puts every live stream on hold).
#include <gtest/gtest.h>

#include "tests/sim/call_sim.hpp"

namespace wwp::sim {
namespace {


/// A browser's audio+video SDP; `video_port` 0 is a rejected or removed
/// stream (a browser writes no direction for it).
std::string av_sdp(int version, const std::string& audio, int video_port, const std::string& video) {
  std::string s = "v=0\r\no=- 7 " + std::to_string(version) +
                  " IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                  "c=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\na=" + audio + "\r\n";
  s += "m=video " + std::to_string(video_port) + " UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n";
  if (video_port != 0) s += "a=rtpmap:96 VP8/90000\r\na=" + video + "\r\n";
  return s;
}

using sdp::Direction;

struct VideoSim : ::testing::Test {
  CallSim sim{sim_phone("101", 7), sim_phone("102", 7), LinkParams{20}, 7};

  /// A calls B offering `offer`; B answers `answer`. Returns A's handle.
  call::CallHandle call(const std::string& offer, const std::string& answer) {
    sim.register_all();
    sim.react = [answer](CallSim& s, Side side, const call::CallEvent& e) {
      if (const auto* in = std::get_if<call::IncomingCall>(&e); in && side == B)
        EXPECT_TRUE(s.ua(B).answer(in->call, answer, s.now()).ok());
    };
    auto h = sim.ua(A).invite({"102", "", {}, offer}, sim.now());
    EXPECT_TRUE(h.ok());
    sim.drain();
    sim.run_until(sim.now() + 5'000);
    EXPECT_EQ(sim.phone(A).call_events<call::CallAnswered>().size(), 1u) << sim.trace();
    return h.ok() ? *h : 0;
  }

  /// A re-INVITEs with `offer` (nullopt: hold); B answers `answer`. Returns
  /// the offer B received.
  std::string reinvite(call::CallHandle a, const std::optional<std::string>& offer, const std::string& answer) {
    sim.answer_reinvites = false;
    sim.react = [answer](CallSim& s, Side side, const call::CallEvent& e) {
      if (const auto* o = std::get_if<call::ReinviteOffer>(&e); o && side == B)
        EXPECT_TRUE(s.ua(B).answer_reinvite(o->call, answer, s.now()).ok());
    };
    EXPECT_TRUE((offer ? sim.ua(A).reinvite(a, *offer, true, sim.now()) : sim.ua(A).hold(a, true, sim.now())).ok());
    sim.drain();
    sim.run_until(sim.now() + 5'000);
    const auto offers = sim.phone(B).call_events<call::ReinviteOffer>();
    return offers.empty() ? std::string() : std::string(offers.back().request.body());
  }
};

TEST_F(VideoSim, callee_learns_the_offered_video_and_caller_learns_it_was_rejected_by_port_0_rfc3264_6) {
  call(av_sdp(1, "sendrecv", 9, "sendrecv"), av_sdp(1, "sendrecv", 0, ""));
  const auto in = sim.phone(B).call_events<call::IncomingCall>();
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(in[0].video, Direction::SendRecv);
  EXPECT_EQ(sim.phone(A).call_events<call::CallAnswered>()[0].video, std::nullopt);
}

TEST_F(VideoSim, audio_only_offer_has_no_video) {
  call(sim_sdp("sendrecv"), sim_sdp("sendrecv"));
  EXPECT_EQ(sim.phone(B).call_events<call::IncomingCall>()[0].video, std::nullopt);
  EXPECT_EQ(sim.phone(A).call_events<call::CallAnswered>()[0].video, std::nullopt);
}

TEST_F(VideoSim, an_accepted_video_answer_says_its_direction) {
  call(av_sdp(1, "sendrecv", 9, "sendrecv"), av_sdp(1, "sendrecv", 9, "recvonly"));
  EXPECT_EQ(sim.phone(A).call_events<call::CallAnswered>()[0].video, Direction::RecvOnly);
}

TEST_F(VideoSim, video_added_then_removed_by_re_invite_and_the_port_0_m_line_stays_rfc3264_8_2) {
  const auto a = call(sim_sdp("sendrecv"), sim_sdp("sendrecv"));
  // Added (§8.1: a new m-line at the end). B accepts it receive-only.
  reinvite(a, av_sdp(2, "sendrecv", 9, "sendrecv"), av_sdp(2, "sendrecv", 9, "recvonly"));
  auto offers = sim.phone(B).call_events<call::ReinviteOffer>();
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].video, Direction::SendRecv);
  auto done = sim.phone(A).call_events<call::ReinviteDone>();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].status, 200);
  EXPECT_EQ(done[0].video, Direction::RecvOnly);

  // Removed: port 0, the m-line kept.
  reinvite(a, av_sdp(3, "sendrecv", 0, ""), av_sdp(3, "sendrecv", 0, ""));
  offers = sim.phone(B).call_events<call::ReinviteOffer>();
  ASSERT_EQ(offers.size(), 2u);
  EXPECT_EQ(offers[1].video, std::nullopt);
  done = sim.phone(A).call_events<call::ReinviteDone>();
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[1].video, std::nullopt);

  // The core's own hold offer (from the SDP last sent) keeps the removed
  // stream as it was: still there, still port 0, no direction given to it.
  const std::string held = reinvite(a, std::nullopt, av_sdp(4, "recvonly", 0, ""));
  const auto parsed = sdp::parse(held);
  ASSERT_TRUE(parsed.ok()) << held;
  ASSERT_EQ(parsed->media.size(), 2u);
  EXPECT_EQ(parsed->media[0].port, 9);
  EXPECT_EQ(sdp::direction_of(*parsed, 0), Direction::SendOnly);
  EXPECT_EQ(parsed->media[1].m_value, "video 0 UDP/TLS/RTP/SAVPF 96");
  EXPECT_EQ(sdp::direction_attribute(parsed->media[1].lines), std::nullopt);
  EXPECT_EQ(sim.phone(B).call_events<call::ReinviteOffer>().back().video, std::nullopt);
}

TEST_F(VideoSim, hold_puts_audio_and_video_on_hold_and_the_peer_sees_video_sendonly_rfc3264_8_4) {
  const auto a = call(av_sdp(1, "sendrecv", 9, "sendrecv"), av_sdp(1, "sendrecv", 9, "sendrecv"));
  const std::string held = reinvite(a, std::nullopt, av_sdp(2, "recvonly", 9, "recvonly"));
  const auto parsed = sdp::parse(held);
  ASSERT_TRUE(parsed.ok()) << held;
  ASSERT_EQ(parsed->media.size(), 2u);
  EXPECT_EQ(sdp::direction_of(*parsed, 0), Direction::SendOnly);
  EXPECT_EQ(sdp::direction_of(*parsed, 1), Direction::SendOnly);
  EXPECT_EQ(sim.phone(B).call_events<call::ReinviteOffer>().back().video, Direction::SendOnly);
  EXPECT_EQ(sim.phone(A).call_events<call::ReinviteDone>().back().video, Direction::RecvOnly);
}

}  // namespace
}  // namespace wwp::sim
