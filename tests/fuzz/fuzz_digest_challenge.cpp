// libFuzzer target for the Digest challenge parser (house style §23).
// Invariant: for any bytes, parse_challenge() returns a Challenge or an
// AuthError; if it parsed, build_authorization() returns a header or an
// AuthError; never a crash, sanitizer report or assert. A produced header
// must never contain CR/LF/NUL (header injection) and must itself parse back
// to the same realm/nonce (escaping round-trip).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/auth/digest.hpp"
#include "core/auth/digest_session.hpp"

namespace {

void check(bool cond) {
  if (!cond) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wwp::auth;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  auto ch = parse_challenge(input);
  if (!ch) {
    (void)ch.error().to_string();
  } else {
    const Credentials creds{"802400000000", "pw\"\\"};
    auto h = build_authorization(*ch, creds, "REGISTER", "sip:sip.ringcentral.com", {"0a4f113b", 1});
    if (h) {
      for (char c : *h) check(c != '\r' && c != '\n' && c != '\0');
      auto back = parse_challenge(*h);
      check(back.ok());
      check(back->realm == ch->realm && back->nonce == ch->nonce);
    } else {
      (void)h.error().to_string();
    }
  }

  // Also split the input at NUL-free '\n' boundaries into several header
  // values and run them through choose_challenge and a DigestSession.
  std::vector<std::string_view> values;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= input.size() && values.size() < 8; ++i) {
    if (i == input.size() || input[i] == '\n') {
      values.push_back(input.substr(start, i - start));
      start = i + 1;
    }
  }
  (void)choose_challenge(values);
  DigestSession session{{"alice", "secret"}};
  wwp::Rng rng{1};
  if (session.handle_challenge(ChallengeKind::Proxy, values)) {
    auto h1 = session.authorize("INVITE", "sip:bob@biloxi.com", rng);
    (void)session.handle_challenge(ChallengeKind::Proxy, values);
    session.handle_accepted();
    (void)session.handle_challenge(ChallengeKind::Www, values);
    (void)session.authorize("INVITE", "sip:bob@biloxi.com", rng);
    (void)h1;
  }
  return 0;
}
