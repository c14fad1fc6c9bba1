// build_authorization / compute_response duties beyond the reference
// vectors: RFC 2617 §3.2.2, RFC 7616 §3.4, RFC 3261 §22.4, and the
// header-injection guard.
#include <gtest/gtest.h>

#include <string>

#include "core/auth/digest.hpp"

namespace wwp::auth {
namespace {

Challenge challenge(std::string_view v) {
  auto r = parse_challenge(v);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : Challenge{};
}

const Credentials kCreds{"alice", "secret"};
const ClientNonce kCn{"0a4f113b", 1};

TEST(DigestResponse, Rfc2617_3_2_2_no_qop_MUST_NOT_send_cnonce_or_nc) {
  auto h = build_authorization(challenge(R"(Digest realm="r", nonce="n")"), kCreds, "REGISTER", "sip:r", kCn);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->find("cnonce"), std::string::npos);
  EXPECT_EQ(h->find("nc="), std::string::npos);
  EXPECT_EQ(h->find("qop"), std::string::npos);
  EXPECT_EQ(h->find("opaque"), std::string::npos);
  EXPECT_EQ(h->rfind("Digest username=\"alice\", realm=\"r\"", 0), 0u);
}

TEST(DigestResponse, Rfc7616_3_4_opaque_MUST_be_echoed_even_when_empty) {
  auto h = build_authorization(challenge(R"(Digest realm="r", nonce="n", opaque="")"), kCreds, "REGISTER",
                               "sip:r", kCn);
  ASSERT_TRUE(h.ok());
  EXPECT_NE(h->find(R"(, opaque="")"), std::string::npos);
}

TEST(DigestResponse, Rfc7616_3_4_nc_is_8_lowercase_hex_digits) {
  const Challenge c = challenge(R"(Digest realm="r", nonce="n", qop="auth")");
  EXPECT_NE(build_authorization(c, kCreds, "M", "u", {"c", 0x1a})->find("nc=0000001a,"), std::string::npos);
  EXPECT_NE(build_authorization(c, kCreds, "M", "u", {"c", 0xffffffffu})->find("nc=ffffffff,"),
            std::string::npos);
}

TEST(DigestResponse, Auth_int_only_is_UnsupportedQop_but_auth_with_auth_int_answers_auth) {
  auto only = build_authorization(challenge(R"(Digest realm="r", nonce="n", qop="auth-int")"), kCreds, "M",
                                  "u", kCn);
  ASSERT_FALSE(only.ok());
  EXPECT_EQ(only.error().code, AuthErrorCode::UnsupportedQop);
  EXPECT_FALSE(is_answerable(challenge(R"(Digest realm="r", nonce="n", qop="auth-int")")));
  auto both = build_authorization(challenge(R"(Digest realm="r", nonce="n", qop="auth-int,auth")"), kCreds,
                                  "M", "u", kCn);
  ASSERT_TRUE(both.ok());
  EXPECT_NE(both->find("qop=auth,"), std::string::npos);
}

TEST(DigestResponse, Rfc7616_3_4_2_sess_without_qop_is_UnsupportedQop) {
  auto h = build_authorization(challenge(R"(Digest realm="r", nonce="n", algorithm=MD5-sess)"), kCreds, "M",
                               "u", kCn);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().code, AuthErrorCode::UnsupportedQop);
}

TEST(DigestResponse, Algorithm_is_emitted_canonically) {
  const ClientNonce cn{"c", 1};
  EXPECT_NE(build_authorization(challenge(R"(Digest realm="r", nonce="n", algorithm=md5)"), kCreds, "M", "u", cn)
                ->find("algorithm=MD5"),
            std::string::npos);
  EXPECT_NE(build_authorization(challenge(R"(Digest realm="r", nonce="n", qop=auth, algorithm=sha-256-SESS)"),
                                kCreds, "M", "u", cn)
                ->find("algorithm=SHA-256-sess,"),
            std::string::npos);
}

TEST(DigestResponse, Qop_or_sess_requires_cnonce_and_nonzero_nc) {
  const Challenge c = challenge(R"(Digest realm="r", nonce="n", qop="auth")");
  auto empty = build_authorization(c, kCreds, "M", "u", {"", 1});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, AuthErrorCode::InvalidClientNonce);
  auto zero = build_authorization(c, kCreds, "M", "u", {"c", 0});
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().code, AuthErrorCode::InvalidClientNonce);
  EXPECT_FALSE(zero.error().is_remote());
  // Without qop the cnonce is not used, so an empty one is fine.
  EXPECT_TRUE(build_authorization(challenge(R"(Digest realm="r", nonce="n")"), kCreds, "M", "u", {"", 0}).ok());
}

TEST(DigestResponse, Header_injection_CR_LF_NUL_in_any_input_is_rejected) {
  using namespace std::string_literals;
  const Challenge c = challenge(R"(Digest realm="r", nonce="n", qop="auth")");
  const std::string bad[] = {"x\r\nVia: evil", "x\n", "x\r", "x\0y"s, "x\x7f"};
  for (const std::string& b : bad) {
    SCOPED_TRACE(b);
    EXPECT_EQ(build_authorization(c, {b, "pw"}, "M", "u", kCn).error().code, AuthErrorCode::InvalidCharacter);
    EXPECT_EQ(build_authorization(c, {"u", b}, "M", "u", kCn).error().code, AuthErrorCode::InvalidCharacter);
    EXPECT_EQ(build_authorization(c, kCreds, b, "u", kCn).error().code, AuthErrorCode::InvalidCharacter);
    EXPECT_EQ(build_authorization(c, kCreds, "M", b, kCn).error().code, AuthErrorCode::InvalidCharacter);
    EXPECT_EQ(build_authorization(c, kCreds, "M", "u", {b, 1}).error().code, AuthErrorCode::InvalidCharacter);
    // Challenge fields filled in by hand (not via the parser) are checked too.
    Challenge hand = c;
    hand.realm = b;
    EXPECT_EQ(build_authorization(hand, kCreds, "M", "u", kCn).error().code, AuthErrorCode::InvalidCharacter);
    hand = c;
    hand.opaque = b;
    hand.has_opaque = true;
    EXPECT_EQ(build_authorization(hand, kCreds, "M", "u", kCn).error().code, AuthErrorCode::InvalidCharacter);
  }
  auto e = build_authorization(c, kCreds, "M", "sip:a\r\nb", kCn);
  EXPECT_EQ(e.error().to_string(), "control character (CR/LF/NUL) in auth input: uri");
}

TEST(DigestResponse, Quotes_and_backslashes_in_echoed_values_are_escaped) {
  Challenge c = challenge(R"(Digest realm="a\"b", nonce="n\\m", opaque="o\"")");
  auto h = build_authorization(c, {"u\"x", "p"}, "M", "sip:\"q\"", kCn);
  ASSERT_TRUE(h.ok());
  EXPECT_NE(h->find(R"(username="u\"x")"), std::string::npos);
  EXPECT_NE(h->find(R"(realm="a\"b")"), std::string::npos);
  EXPECT_NE(h->find(R"(nonce="n\\m")"), std::string::npos);
  EXPECT_NE(h->find(R"(uri="sip:\"q\"")"), std::string::npos);
  EXPECT_NE(h->find(R"(opaque="o\"")"), std::string::npos);
  // The header we produce parses back (as a challenge-shaped list) to the
  // same unescaped values: a serialise/parse round-trip.
  auto back = parse_challenge(*h);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(back->realm, "a\"b");
  EXPECT_EQ(back->nonce, "n\\m");
  EXPECT_EQ(back->opaque, "o\"");
}

TEST(DigestResponse, Utf8_username_is_sent_raw_in_quoted_string) {
  auto h = build_authorization(challenge(R"(Digest realm="r", nonce="n")"), {"J\xC3\xA4sper", "p"}, "M", "u",
                               kCn);
  ASSERT_TRUE(h.ok());
  EXPECT_NE(h->find("username=\"J\xC3\xA4sper\""), std::string::npos);
}

}  // namespace
}  // namespace wwp::auth
