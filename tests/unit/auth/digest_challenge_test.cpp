// parse_challenge / choose_challenge: RFC 3261 §25.1 challenge grammar,
// RFC 2617 §3.2.1, RFC 7616 §3.3, RFC 8760 §2.4.
#include <gtest/gtest.h>

#include <string>

#include "core/auth/digest.hpp"

namespace wwp::auth {
namespace {

Challenge parse_ok(std::string_view v) {
  auto r = parse_challenge(v);
  EXPECT_TRUE(r.ok()) << v << " -> " << (r.ok() ? "" : r.error().to_string());
  return r.ok() ? *r : Challenge{};
}

AuthErrorCode parse_err(std::string_view v) {
  auto r = parse_challenge(v);
  EXPECT_FALSE(r.ok()) << v;
  return r.ok() ? AuthErrorCode::NoChallenge : r.error().code;
}

TEST(DigestChallenge, Rfc2617_3_2_1_fields_are_unquoted) {
  const Challenge c = parse_ok(
      R"(Digest realm="testrealm@host.com", qop="auth,auth-int", )"
      R"(nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41")");
  EXPECT_EQ(c.realm, "testrealm@host.com");
  EXPECT_EQ(c.nonce, "dcd98b7102dd2f0e8b11d0f600bfb0c093");
  EXPECT_TRUE(c.has_opaque);
  EXPECT_EQ(c.opaque, "5ccc069c403ebaf9f0171e9517f40e41");
  EXPECT_TRUE(c.qop_present);
  EXPECT_TRUE(c.qop_auth);
  EXPECT_TRUE(c.qop_auth_int);
  EXPECT_EQ(c.algorithm, Algorithm::Md5);
  EXPECT_FALSE(c.stale);
}

TEST(DigestChallenge, Rfc2617_3_2_1_absent_algorithm_MUST_mean_MD5) {
  EXPECT_EQ(parse_ok(R"(Digest realm="r", nonce="n")").algorithm, Algorithm::Md5);
}

TEST(DigestChallenge, Rfc7235_2_1_scheme_is_case_insensitive) {
  for (const char* v : {R"(digest realm="r", nonce="n")", R"(DIGEST realm="r", nonce="n")",
                        R"(DiGeSt realm="r", nonce="n")"})
    EXPECT_EQ(parse_ok(v).nonce, "n") << v;
}

TEST(DigestChallenge, Rfc3261_25_1_params_in_any_order) {
  const Challenge c = parse_ok(R"(Digest opaque="o", nonce="n", algorithm=SHA-256, realm="r", qop="auth")");
  EXPECT_EQ(c.realm, "r");
  EXPECT_EQ(c.nonce, "n");
  EXPECT_EQ(c.opaque, "o");
  EXPECT_EQ(c.algorithm, Algorithm::Sha256);
}

TEST(DigestChallenge, Rfc3261_25_1_LWS_around_equals_and_comma) {
  const Challenge c = parse_ok("  Digest \t realm = \"r\"\t,nonce=\"n\" ,  qop =\"auth\"  ,stale = TRUE  ");
  EXPECT_EQ(c.realm, "r");
  EXPECT_EQ(c.nonce, "n");
  EXPECT_TRUE(c.qop_auth);
  EXPECT_TRUE(c.stale);
}

TEST(DigestChallenge, Rfc3261_7_3_1_folded_header_is_LWS) {
  const Challenge c = parse_ok("Digest\r\n realm=\"atlanta.com\",\r\n\tnonce=\"abc\r\n def\"");
  EXPECT_EQ(c.realm, "atlanta.com");
  EXPECT_EQ(c.nonce, "abc def");  // folding inside a quoted-string is one SP
}

TEST(DigestChallenge, Rfc3261_25_1_quoted_pair_escapes_are_unescaped) {
  const Challenge c = parse_ok(R"(Digest realm="a \"quoted\" realm \\ here", nonce="n\,x")");
  EXPECT_EQ(c.realm, R"(a "quoted" realm \ here)");
  EXPECT_EQ(c.nonce, "n,x");
}

TEST(DigestChallenge, Comma_inside_quoted_string_is_not_a_separator) {
  EXPECT_EQ(parse_ok(R"(Digest realm="a, b", nonce="n")").realm, "a, b");
}

TEST(DigestChallenge, Rfc7616_3_3_stale_TRUE_and_true_and_quoted) {
  EXPECT_TRUE(parse_ok(R"(Digest realm="r", nonce="n", stale=TRUE)").stale);
  EXPECT_TRUE(parse_ok(R"(Digest realm="r", nonce="n", stale=true)").stale);
  EXPECT_TRUE(parse_ok(R"(Digest realm="r", nonce="n", stale="true")").stale);
  EXPECT_FALSE(parse_ok(R"(Digest realm="r", nonce="n", stale=FALSE)").stale);
  EXPECT_FALSE(parse_ok(R"(Digest realm="r", nonce="n", stale=maybe)").stale);
}

TEST(DigestChallenge, Rfc3261_25_1_qop_options_list_with_spaces) {
  Challenge c = parse_ok(R"(Digest realm="r", nonce="n", qop=" auth-int , auth ")");
  EXPECT_TRUE(c.qop_auth);
  EXPECT_TRUE(c.qop_auth_int);
  c = parse_ok(R"(Digest realm="r", nonce="n", qop="auth-int")");
  EXPECT_FALSE(c.qop_auth);
  EXPECT_TRUE(c.qop_auth_int);
  c = parse_ok(R"(Digest realm="r", nonce="n", qop=auth)");  // unquoted, lenient
  EXPECT_TRUE(c.qop_auth);
  c = parse_ok(R"(Digest realm="r", nonce="n", qop="auth-conf,x")");  // unknown values ignored
  EXPECT_TRUE(c.qop_present);
  EXPECT_FALSE(c.qop_auth);
}

TEST(DigestChallenge, Rfc7616_3_3_algorithm_is_case_insensitive) {
  EXPECT_EQ(parse_ok(R"(Digest realm="r", nonce="n", algorithm=md5)").algorithm, Algorithm::Md5);
  EXPECT_EQ(parse_ok(R"(Digest realm="r", nonce="n", algorithm=md5-SESS)").algorithm, Algorithm::Md5Sess);
  EXPECT_EQ(parse_ok(R"(Digest realm="r", nonce="n", algorithm=sha-256)").algorithm, Algorithm::Sha256);
  EXPECT_EQ(parse_ok(R"(Digest realm="r", nonce="n", algorithm="SHA-256-sess")").algorithm,
            Algorithm::Sha256Sess);
}

TEST(DigestChallenge, Rfc7616_3_3_unknown_directives_MUST_be_ignored) {
  const Challenge c = parse_ok(
      R"(Digest realm="r", charset=UTF-8, userhash=true, x-vendor="a,\"b\"", nonce="n", domain="sip:a sip:b")");
  EXPECT_EQ(c.nonce, "n");
  EXPECT_EQ(c.domain, "sip:a sip:b");
}

TEST(DigestChallenge, Empty_list_elements_are_tolerated) {
  EXPECT_EQ(parse_ok(R"(Digest ,realm="r",, nonce="n",)").nonce, "n");
}

TEST(DigestChallenge, Empty_quoted_values_are_kept) {
  const Challenge c = parse_ok(R"(Digest realm="", nonce="n", opaque="")");
  EXPECT_EQ(c.realm, "");
  EXPECT_TRUE(c.has_opaque);
}

TEST(DigestChallenge, Error_non_digest_scheme_is_NotDigest) {
  EXPECT_EQ(parse_err(R"(Basic realm="r")"), AuthErrorCode::NotDigest);
  EXPECT_EQ(parse_err("Bearer"), AuthErrorCode::NotDigest);
  EXPECT_EQ(parse_err(R"(Digestive realm="r", nonce="n")"), AuthErrorCode::NotDigest);
}

TEST(DigestChallenge, Error_missing_realm_or_nonce) {
  EXPECT_EQ(parse_err(R"(Digest nonce="n")"), AuthErrorCode::MissingRealm);
  EXPECT_EQ(parse_err(R"(Digest realm="r")"), AuthErrorCode::MissingNonce);
  EXPECT_EQ(parse_err("Digest"), AuthErrorCode::MissingRealm);
  EXPECT_EQ(parse_err("Digest   "), AuthErrorCode::MissingRealm);
}

TEST(DigestChallenge, Error_unbalanced_quotes) {
  EXPECT_EQ(parse_err(R"(Digest realm="r, nonce="n")"), AuthErrorCode::UnbalancedQuote);
  // Two quotes are balanced; the leftover `n` is a plain syntax error.
  EXPECT_EQ(parse_err(R"(Digest realm="r, nonce="n)"), AuthErrorCode::Malformed);
  EXPECT_EQ(parse_err(R"(Digest realm="r", nonce="n)"), AuthErrorCode::UnbalancedQuote);
  EXPECT_EQ(parse_err(R"(Digest realm="r", nonce="n\")"), AuthErrorCode::UnbalancedQuote);
  EXPECT_EQ(parse_err(R"(Digest realm="r", nonce="n\)"), AuthErrorCode::UnbalancedQuote);
}

TEST(DigestChallenge, Error_unsupported_algorithm_names_it) {
  auto r = parse_challenge(R"(Digest realm="r", nonce="n", algorithm=SHA-512-256)");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, AuthErrorCode::UnsupportedAlgorithm);
  EXPECT_EQ(r.error().to_string(), "unsupported digest algorithm: SHA-512-256");
  EXPECT_TRUE(r.error().is_remote());
}

TEST(DigestChallenge, Error_malformed_syntax) {
  EXPECT_EQ(parse_err(""), AuthErrorCode::Malformed);
  EXPECT_EQ(parse_err(R"("Digest" realm="r")"), AuthErrorCode::Malformed);
  EXPECT_EQ(parse_err(R"(Digest realm "r", nonce="n")"), AuthErrorCode::Malformed);
  EXPECT_EQ(parse_err(R"(Digest realm=, nonce="n")"), AuthErrorCode::Malformed);
  EXPECT_EQ(parse_err(R"(Digest realm="r" nonce="n")"), AuthErrorCode::Malformed);
  EXPECT_EQ(parse_err(R"(Digest realm="r", nonce="n", Basic realm="x")"), AuthErrorCode::Malformed);
  EXPECT_EQ(parse_err(R"(Digest,realm="r", nonce="n")"), AuthErrorCode::Malformed);
}

TEST(DigestChallenge, Rfc7235_2_1_duplicate_param_is_an_error) {
  EXPECT_EQ(parse_err(R"(Digest realm="r", nonce="n", NONCE="m")"), AuthErrorCode::DuplicateParam);
}

TEST(DigestChallenge, Control_characters_are_rejected_not_echoed) {
  using namespace std::string_literals;
  EXPECT_EQ(parse_err("Digest realm=\"r\r\nVia: evil\", nonce=\"n\""), AuthErrorCode::Malformed);
  EXPECT_EQ(parse_err("Digest realm=\"r\", nonce=\"n\nX\""), AuthErrorCode::Malformed);
  EXPECT_EQ(parse_err("Digest realm=\"r\\\r\", nonce=\"n\""), AuthErrorCode::Malformed);
  EXPECT_EQ(parse_err("Digest realm=\"r\0\", nonce=\"n\""s), AuthErrorCode::Malformed);
  EXPECT_EQ(parse_err("Digest realm=\"r\", nonce=n\r\nX: y"), AuthErrorCode::Malformed);
}

TEST(DigestChallenge, Every_prefix_parses_or_errors_without_crashing) {
  // House style §19 truncation loop.
  const std::string full =
      R"(Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, )"
      R"(nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQ\"he", stale=TRUE)";
  int ok = 0;
  for (std::size_t n = 0; n <= full.size(); ++n) ok += parse_challenge(full.substr(0, n)).ok();
  EXPECT_GE(ok, 1);
  EXPECT_TRUE(parse_challenge(full).ok());
}

TEST(DigestChooseChallenge, Rfc8760_2_4_prefers_SHA256_over_MD5_in_any_order) {
  const std::vector<std::string_view> md5_first = {
      R"(Digest realm="r", nonce="n1", algorithm=MD5, qop="auth")",
      R"(Digest realm="r", nonce="n2", algorithm=SHA-256, qop="auth")"};
  auto c = choose_challenge(md5_first);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->algorithm, Algorithm::Sha256);
  EXPECT_EQ(c->nonce, "n2");
  const std::vector<std::string_view> sha_first = {md5_first[1], md5_first[0]};
  EXPECT_EQ(choose_challenge(sha_first)->nonce, "n2");
}

TEST(DigestChooseChallenge, Rfc8760_2_4_equal_strength_takes_topmost) {
  const std::vector<std::string_view> v = {R"(Digest realm="r", nonce="a")", R"(Digest realm="r", nonce="b")"};
  EXPECT_EQ(choose_challenge(v)->nonce, "a");
}

TEST(DigestChooseChallenge, Rfc8760_2_4_MUST_ignore_unsupported_challenges) {
  const std::vector<std::string_view> v = {
      R"(Basic realm="r")", R"(Digest realm="r", nonce="x", algorithm=SHA-512-256)",
      R"(Digest realm="r", nonce="y", qop="auth-int")", "garbage\"", R"(Digest realm="r", nonce="z")"};
  auto c = choose_challenge(v);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->nonce, "z");
}

TEST(DigestChooseChallenge, Nothing_usable_is_NoUsableChallenge_with_first_reason) {
  const std::vector<std::string_view> v = {R"(Basic realm="r")", R"(Digest realm="r")"};
  auto c = choose_challenge(v);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, AuthErrorCode::NoUsableChallenge);
  EXPECT_NE(c.error().to_string().find("not Digest"), std::string::npos);
  EXPECT_EQ(choose_challenge({}).error().code, AuthErrorCode::NoUsableChallenge);
}

TEST(AuthError, Every_code_has_a_name_and_text) {
  for (int i = 0; i <= static_cast<int>(AuthErrorCode::NoChallenge); ++i) {
    const auto code = static_cast<AuthErrorCode>(i);
    EXPECT_NE(to_string(code), "Unknown");
    EXPECT_FALSE((AuthError{code, {}}.to_string().empty()));
  }
  EXPECT_FALSE((AuthError{AuthErrorCode::InvalidCharacter, {}}.is_remote()));
  EXPECT_TRUE((AuthError{AuthErrorCode::CredentialsRejected, {}}.is_remote()));
}

}  // namespace
}  // namespace wwp::auth
