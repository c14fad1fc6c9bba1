// Data-driven Digest response vectors: tests/vectors/digest/responses.txt
// (RFC 2617 §3.5, RFC 7616 §3.9.1 MD5 and SHA-256, the RingCentral REGISTER
// example, -sess and escaping cases). Each vector is parsed from the raw
// challenge text, answered, and compared with the expected response and,
// where given, the exact Authorization header value.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/auth/digest.hpp"

namespace wwp::auth {
namespace {

using Vector = std::map<std::string, std::string>;

std::vector<Vector> load_vectors() {
  std::ifstream in(std::string(WWP_VECTORS_DIR) + "/digest/responses.txt");
  std::vector<Vector> out;
  Vector cur;
  std::string line;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      flush();
      continue;
    }
    if (line[0] == '#') continue;
    const auto colon = line.find(": ");
    if (colon == std::string::npos) continue;
    cur[line.substr(0, colon)] = line.substr(colon + 2);
  }
  flush();
  return out;
}

const std::vector<Vector>& vectors() {
  static const std::vector<Vector> v = load_vectors();
  return v;
}

const Vector* by_name(const std::string& name) {
  for (const auto& v : vectors())
    if (v.at("name") == name) return &v;
  return nullptr;
}

void check_vector(const Vector& v) {
  SCOPED_TRACE(v.at("name") + " (" + v.at("source") + ")");
  auto ch = parse_challenge(v.at("challenge"));
  ASSERT_TRUE(ch.ok()) << ch.error().to_string();
  const Credentials cr{v.at("username"), v.at("password")};
  const ClientNonce cn{v.at("cnonce"), static_cast<std::uint32_t>(std::stoul(v.at("nc")))};
  auto resp = compute_response(*ch, cr, v.at("method"), v.at("uri"), cn);
  ASSERT_TRUE(resp.ok()) << resp.error().to_string();
  EXPECT_EQ(*resp, v.at("response"));
  auto header = build_authorization(*ch, cr, v.at("method"), v.at("uri"), cn);
  ASSERT_TRUE(header.ok()) << header.error().to_string();
  if (v.count("authorization")) EXPECT_EQ(*header, v.at("authorization"));
  EXPECT_NE(header->find("response=\"" + v.at("response") + "\""), std::string::npos);
}

TEST(DigestVectors, File_loads_with_all_reference_vectors) {
  ASSERT_GE(vectors().size(), 8u);
  for (const char* n : {"rfc2617_3_5", "rfc7616_3_9_1_md5", "rfc7616_3_9_1_sha256",
                        "ringcentral_register_no_qop"})
    EXPECT_NE(by_name(n), nullptr) << n;
}

// Named tests for the reference examples, so a failure names the RFC.
TEST(DigestVectors, Rfc2617_3_5_Mufasa_response_MUST_match) { check_vector(*by_name("rfc2617_3_5")); }
TEST(DigestVectors, Rfc7616_3_9_1_md5_response_MUST_match) { check_vector(*by_name("rfc7616_3_9_1_md5")); }
TEST(DigestVectors, Rfc7616_3_9_1_sha256_response_MUST_match) {
  check_vector(*by_name("rfc7616_3_9_1_sha256"));
}
TEST(DigestVectors, RingCentral_register_without_qop_MUST_match) {
  check_vector(*by_name("ringcentral_register_no_qop"));
}

class DigestVectorFile : public ::testing::TestWithParam<Vector> {};
TEST_P(DigestVectorFile, Response_and_header_MUST_match) { check_vector(GetParam()); }
INSTANTIATE_TEST_SUITE_P(All, DigestVectorFile, ::testing::ValuesIn(vectors()),
                         [](const ::testing::TestParamInfo<Vector>& i) { return i.param.at("name"); });

}  // namespace
}  // namespace wwp::auth
