// URIs (core/msg/uri.hpp): RFC 3261 §19.1.1 (components), §19.1.2 (escaping),
// §19.1.4 (comparison), §25.1 (ABNF); RFC 3966 (tel).
#include "core/msg/uri.hpp"

#include <gtest/gtest.h>

using namespace wwp::msg;

namespace {
Uri must(std::string_view s) {
  auto r = parse_uri(s);
  EXPECT_TRUE(r.ok()) << s;
  return r.ok() ? *r : Uri{};
}
bool eq(std::string_view a, std::string_view b) { return uri_equals(must(a), must(b)); }
}  // namespace

TEST(UriParse, sip_uri_components_rfc3261_19_1_1) {
  Uri u = must("sip:alice:secretword@atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent");
  EXPECT_EQ(u.scheme, UriScheme::Sip);
  EXPECT_EQ(u.user, "alice");
  EXPECT_EQ(u.password.value(), "secretword");
  EXPECT_EQ(u.host, "atlanta.com");
  EXPECT_EQ(u.port.value(), 5061);
  ASSERT_EQ(u.params.size(), 2u);
  EXPECT_EQ(u.param("TRANSPORT").value(), "tcp");
  EXPECT_TRUE(u.has_param("lr"));
  EXPECT_EQ(u.param("lr").value(), "");
  EXPECT_FALSE(u.has_param("maddr"));
  ASSERT_EQ(u.headers.size(), 2u);
  EXPECT_EQ(u.headers[0].name, "subject");
  EXPECT_EQ(u.headers[0].value, "project%20x");
}

TEST(UriParse, sips_and_host_only_and_ipv6_rfc3261_19_1_1) {
  Uri s = must("SIPS:biloxi.com");
  EXPECT_EQ(s.scheme, UriScheme::Sips);
  EXPECT_EQ(s.user, "");
  EXPECT_EQ(s.host, "biloxi.com");
  Uri v6 = must("sip:[2001:db8::10]:5070;maddr=[2001:db8::1]");
  EXPECT_EQ(v6.host, "[2001:db8::10]");
  EXPECT_EQ(v6.port.value(), 5070);
  EXPECT_EQ(v6.param("maddr").value(), "[2001:db8::1]");
  Uri v4 = must("sip:user@192.0.2.4");
  EXPECT_EQ(v4.host, "192.0.2.4");
}

TEST(UriParse, escapes_decoded_in_accessors_raw_kept_rfc3261_19_1_2) {
  Uri u = must("sip:sips%3Auser%40example.com@example.net");  // RFC 4475 esc01
  EXPECT_EQ(u.user, "sips%3Auser%40example.com");
  EXPECT_EQ(u.user_decoded(), "sips:user@example.com");
  EXPECT_EQ(u.host, "example.net");
  EXPECT_EQ(u.to_string(), "sip:sips%3Auser%40example.com@example.net");
  Uri n = must("sip:null-%00-null@example.com");  // RFC 4475 escnull
  EXPECT_EQ(n.user_decoded(), std::string("null-\0-null", 11));
}

TEST(UriParse, user_part_may_hold_semicolons_rfc4475_semiuri) {
  Uri u = must("sip:user;par=u%40example.net@example.com");
  EXPECT_EQ(u.user, "user;par=u%40example.net");
  EXPECT_EQ(u.host, "example.com");
  EXPECT_TRUE(u.params.empty());
}

TEST(UriParse, tel_uri_rfc3966) {
  Uri t = must("tel:+1-201-555-0123;phone-context=example.com");
  EXPECT_EQ(t.scheme, UriScheme::Tel);
  EXPECT_EQ(t.user, "+1-201-555-0123");
  EXPECT_EQ(t.param("phone-context").value(), "example.com");
  EXPECT_EQ(t.to_string(), "tel:+1-201-555-0123;phone-context=example.com");
  EXPECT_TRUE(eq("tel:+1-201-555-0123", "tel:+12015550123"));
}

TEST(UriParse, malformed_uris_are_bad_uri_rfc3261_25_1) {
  for (std::string_view s : {"sip:", "sip:user@", "sip:a@b:99999", "sip:a@b:", "sip:a b@c",
                             "sip:a@b;=x", "sip:a@b;x=", "sip:a@b?", "sip:a@b?x", "sip:a@[::1",
                             "sip:%zz@b", "sip:a@b c", "nocolon", ":x", "tel:", "tel:xyz", "tel:1;",
                             "sip:a@b;;x", "sip:<a@b>"}) {
    auto r = parse_uri(s);
    EXPECT_FALSE(r.ok()) << s;
    if (!r.ok()) EXPECT_EQ(r.error().code, ParseErrorCode::BadUri) << s;
  }
}

TEST(UriParse, unknown_scheme_is_unsupported_416_rfc4475_unkscm) {
  auto r = parse_uri("nobodyknowsthisscheme:totallyopaquecontent");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ParseErrorCode::UnsupportedScheme);
  EXPECT_EQ(status_hint(r.error().code), 416);
  EXPECT_EQ(parse_uri("soap.beep://192.0.2.103:3002").error().code, ParseErrorCode::UnsupportedScheme);
}

TEST(UriParse, to_string_round_trips_raw_rfc3261_19_1_1) {
  for (std::string_view s :
       {"sip:alice@atlanta.com", "sips:alice:pw@atlanta.com:5061;transport=tls;lr",
        "sip:+1-212-555-1212:1234@gateway.com;user=phone", "sip:alice@atlanta.com?subject=x&priority=urgent",
        "sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31", "sip:[::1]:5060", "tel:+358-555-1234567;postd=pp22"})
    EXPECT_EQ(must(s).to_string(), s);
}

TEST(UriEquals, rfc3261_19_1_4_equivalent_examples) {
  EXPECT_TRUE(eq("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
  EXPECT_TRUE(eq("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(eq("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(eq("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(eq("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                 "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
  EXPECT_TRUE(eq("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                 "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
}

TEST(UriEquals, rfc3261_19_1_4_non_equivalent_examples) {
  EXPECT_FALSE(eq("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));
  EXPECT_FALSE(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
  EXPECT_FALSE(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
  EXPECT_FALSE(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
  EXPECT_FALSE(eq("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
  EXPECT_FALSE(eq("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
  EXPECT_FALSE(eq("sip:a@b", "sips:a@b"));
  EXPECT_FALSE(eq("sip:a@b;user=phone", "sip:a@b"));
  EXPECT_FALSE(eq("sip:a@b;maddr=x", "sip:a@b"));
  EXPECT_FALSE(eq("sip:a@b;x=1", "sip:a@b;x=2"));
}

// Found by fuzz_uri: a repeated parameter compared against the first one of
// the other URI broke reflexivity.
TEST(UriEquals, repeated_param_judged_by_first_occurrence_rfc3261_19_1_4) {
  Uri u = must("sip:[20::10]:5070;maddr=[2001:8::::10]:5070;maddr=[2000:db8::1]ample.c");
  EXPECT_TRUE(uri_equals(u, u));
  EXPECT_TRUE(eq("sip:a@b;x=1;x=2", "sip:a@b;x=1"));
  EXPECT_FALSE(eq("sip:a@b;x=2;x=1", "sip:a@b;x=1"));
}
