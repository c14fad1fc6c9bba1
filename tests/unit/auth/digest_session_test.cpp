// DigestSession: nonce-count and stale handling (RFC 7616 §3.3-3.4,
// RFC 2617 §3.2.2) and the re-challenge rule of RFC 3261 §22.2/§22.3.
#include "core/auth/digest_session.hpp"

#include <gtest/gtest.h>

#include <string>


namespace wwp::auth {
namespace {

using Values = std::vector<std::string_view>;

std::string param(const std::string& header, const std::string& name) {
  const auto at = header.find(name + "=");
  if (at == std::string::npos) return {};
  auto start = at + name.size() + 1;
  if (header[start] == '"') return header.substr(start + 1, header.find('"', start + 1) - start - 1);
  return header.substr(start, header.find(',', start) - start);
}

class DigestSessionTest : public ::testing::Test {
 protected:
  DigestSession s{{"alice", "secret"}};
  Rng rng{42};

  std::string auth_value() {
    auto h = s.authorize("REGISTER", "sip:atlanta.com", rng);
    EXPECT_TRUE(h.ok()) << (h.ok() ? "" : h.error().to_string());
    return h.ok() && !h->empty() ? h->front().value : std::string{};
  }
};

TEST_F(DigestSessionTest, Authorize_before_any_challenge_is_NoChallenge) {
  auto h = s.authorize("REGISTER", "sip:a", rng);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().code, AuthErrorCode::NoChallenge);
  EXPECT_FALSE(s.has_challenge());
}

TEST_F(DigestSessionTest, Rfc7616_3_4_same_nonce_reuse_MUST_increment_nc) {
  ASSERT_TRUE(s.handle_challenge(ChallengeKind::Www, Values{R"(Digest realm="atlanta.com", nonce="n1", qop="auth")"}).ok());
  const std::string first = auth_value();
  EXPECT_EQ(param(first, "nc"), "00000001");
  const std::string cnonce = param(first, "cnonce");
  EXPECT_EQ(cnonce.size(), DigestSession::kCnonceHexChars);
  s.handle_accepted();
  const std::string second = auth_value();
  EXPECT_EQ(param(second, "nc"), "00000002");
  EXPECT_EQ(param(second, "cnonce"), cnonce);  // one cnonce per nonce
  EXPECT_NE(param(first, "response"), param(second, "response"));
  EXPECT_EQ(param(auth_value(), "nc"), "00000003");
  EXPECT_EQ(s.nonce_count("atlanta.com"), 3u);
}

TEST_F(DigestSessionTest, Rfc7616_3_3_stale_true_retries_with_new_nonce_and_nc_1) {
  ASSERT_TRUE(s.handle_challenge(ChallengeKind::Www, Values{R"(Digest realm="atlanta.com", nonce="n1", qop="auth")"}).ok());
  auth_value();
  auth_value();
  auto o = s.handle_challenge(ChallengeKind::Www,
                              Values{R"(Digest realm="atlanta.com", nonce="n2", qop="auth", stale=TRUE)"});
  ASSERT_TRUE(o.ok()) << o.error().to_string();
  EXPECT_TRUE(o->is_stale_retry);
  const std::string h = auth_value();
  EXPECT_EQ(param(h, "nonce"), "n2");
  EXPECT_EQ(param(h, "nc"), "00000001");
}

TEST_F(DigestSessionTest, Rfc3261_22_2_rechallenge_without_stale_is_CredentialsRejected) {
  ASSERT_TRUE(s.handle_challenge(ChallengeKind::Www, Values{R"(Digest realm="atlanta.com", nonce="n1")"}).ok());
  auth_value();
  auto o = s.handle_challenge(ChallengeKind::Www, Values{R"(Digest realm="atlanta.com", nonce="n2")"});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().code, AuthErrorCode::CredentialsRejected);
  EXPECT_TRUE(o.error().is_remote());
  // Atomic: the session still answers the old nonce.
  EXPECT_EQ(param(auth_value(), "nonce"), "n1");
}

TEST_F(DigestSessionTest, First_challenge_is_not_stale_retry) {
  auto o = s.handle_challenge(ChallengeKind::Www, Values{R"(Digest realm="atlanta.com", nonce="n1")"});
  ASSERT_TRUE(o.ok());
  EXPECT_FALSE(o->is_stale_retry);
  EXPECT_EQ(o->realms, 1u);
}

TEST_F(DigestSessionTest, After_acceptance_a_fresh_challenge_is_answered_once_more) {
  ASSERT_TRUE(s.handle_challenge(ChallengeKind::Www, Values{R"(Digest realm="atlanta.com", nonce="n1", qop="auth")"}).ok());
  auth_value();
  s.handle_accepted();  // 200 OK to the REGISTER
  auth_value();         // re-REGISTER an hour later, nc=2
  // Some registrars re-challenge expired nonces without stale=true.
  // We had already answered n1 with nc=2 and got no acceptance yet, so:
  EXPECT_EQ(s.handle_challenge(ChallengeKind::Www, Values{R"(Digest realm="atlanta.com", nonce="n2", qop="auth")"})
                .error()
                .code,
            AuthErrorCode::CredentialsRejected);
  s.handle_accepted();
  auto o = s.handle_challenge(ChallengeKind::Www, Values{R"(Digest realm="atlanta.com", nonce="n2", qop="auth")"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(param(auth_value(), "nc"), "00000001");
}

TEST_F(DigestSessionTest, Rechallenge_with_same_nonce_before_answering_keeps_counting) {
  ASSERT_TRUE(s.handle_challenge(ChallengeKind::Www, Values{R"(Digest realm="atlanta.com", nonce="n1", qop="auth")"}).ok());
  auth_value();
  s.handle_accepted();
  ASSERT_TRUE(s.handle_challenge(ChallengeKind::Www, Values{R"(Digest realm="atlanta.com", nonce="n1", qop="auth")"}).ok());
  EXPECT_EQ(param(auth_value(), "nc"), "00000002");
}

TEST_F(DigestSessionTest, Rfc3261_22_3_each_proxy_realm_gets_its_own_header) {
  ASSERT_TRUE(s.handle_challenge(ChallengeKind::Www, Values{R"(Digest realm="atlanta.com", nonce="a1")"}).ok());
  s.handle_accepted();
  auto o = s.handle_challenge(ChallengeKind::Proxy, Values{R"(Digest realm="proxy1", nonce="p1", algorithm=MD5)",
                                                           R"(Digest realm="proxy1", nonce="p2", algorithm=SHA-256)",
                                                           R"(Digest realm="proxy2", nonce="q1")"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->realms, 2u);
  auto h = s.authorize("INVITE", "sip:bob@biloxi.com", rng);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 3u);
  EXPECT_EQ((*h)[0].name, "Authorization");
  EXPECT_EQ((*h)[0].realm, "atlanta.com");
  EXPECT_EQ((*h)[1].name, "Proxy-Authorization");
  EXPECT_EQ(param((*h)[1].value, "nonce"), "p2");  // SHA-256 preferred (RFC 8760 §2.4)
  EXPECT_EQ((*h)[2].realm, "proxy2");
}

TEST_F(DigestSessionTest, Unusable_challenges_are_NoUsableChallenge_and_change_nothing) {
  auto o = s.handle_challenge(ChallengeKind::Www, Values{R"(Basic realm="x")", R"(Digest realm="r", nonce="n", qop="auth-int")"});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().code, AuthErrorCode::NoUsableChallenge);
  EXPECT_FALSE(s.has_challenge());
}

TEST_F(DigestSessionTest, Cnonce_comes_from_injected_rng_so_output_is_reproducible) {
  DigestSession a{{"alice", "secret"}}, b{{"alice", "secret"}};
  Rng ra{7}, rb{7};
  const Values v{R"(Digest realm="r", nonce="n", qop="auth")"};
  ASSERT_TRUE(a.handle_challenge(ChallengeKind::Www, v).ok());
  ASSERT_TRUE(b.handle_challenge(ChallengeKind::Www, v).ok());
  EXPECT_EQ(a.authorize("M", "u", ra)->front().value, b.authorize("M", "u", rb)->front().value);
}

TEST_F(DigestSessionTest, RingCentral_register_flow_without_qop) {
  DigestSession rc{{"802400000000", "pw"}};
  ASSERT_TRUE(rc.handle_challenge(ChallengeKind::Www, Values{R"(Digest realm="sip.ringcentral.com", nonce="NONCE123")"}).ok());
  auto h = rc.authorize("REGISTER", "sip:sip.ringcentral.com", rng);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(param(h->front().value, "response"), "d0a75d99872b0bdc4f7aff8c74fc3b17");
}

TEST_F(DigestSessionTest, Local_error_in_authorize_does_not_advance_nc) {
  ASSERT_TRUE(s.handle_challenge(ChallengeKind::Www, Values{R"(Digest realm="atlanta.com", nonce="n1", qop="auth")"}).ok());
  auto bad = s.authorize("REGISTER", "sip:a\r\nX: y", rng);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, AuthErrorCode::InvalidCharacter);
  EXPECT_EQ(s.nonce_count("atlanta.com"), 0u);
  EXPECT_EQ(param(auth_value(), "nc"), "00000001");
}

TEST_F(DigestSessionTest, Set_credentials_forgets_realms) {
  ASSERT_TRUE(s.handle_challenge(ChallengeKind::Www, Values{R"(Digest realm="r", nonce="n")"}).ok());
  s.set_credentials({"bob", "x"});
  EXPECT_FALSE(s.has_challenge());
}

}  // namespace
}  // namespace wwp::auth
