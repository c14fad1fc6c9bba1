// What the requests outside calls share (RFC 3428 MESSAGE, RFC 6665
// SUBSCRIBE, RFC 3903 PUBLISH): who we are on the wire, where a target the
// app names lives, and one answer to a digest challenge.
//
// These usages do not run transactions themselves: like the registration,
// each machine hands its requests out (`poll_transmit`) and the UA puts them
// on non-INVITE client transactions (RFC 3261 §17.1.2) and brings back the
// final response (`handle_response`), a synthetic 408 after Timer F or a 503
// when the transport closed included.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/auth/digest_session.hpp"
#include "core/config/config.hpp"
#include "core/msg/message.hpp"
#include "core/util/rng.hpp"
#include "core/util/status.hpp"

namespace wwp::event {

/// Our address of record, `sip:user@domain` (§10.2 "address-of-record").
std::string aor(const Config& c);
/// A target the app names: `102` → `sip:102@domain`, `bob@example.com` →
/// `sip:bob@example.com`; a `sip:`/`sips:`/`tel:` URI is kept. InvalidArgument
/// for an empty target or one holding whitespace, `<>"` or CR/LF (header
/// injection).
Result<std::string, UaError> target_uri(std::string_view target, const Config& c);
/// A top Via with a fresh RFC 3261 branch (§8.1.1.7).
std::string via(const Config& c, Rng& rng);
/// The start of every request here: Via, Max-Forwards, From (our AOR with
/// `from_tag`), To, Call-ID, CSeq, User-Agent (§8.1.1).
msg::Message new_request(std::string_view method, std::string_view request_uri, std::string_view to,
                         std::string_view from_tag, std::string_view call_id, std::uint32_t cseq,
                         const Config& c, Rng& rng);
/// The Expires value of a response (§20.19), or `fallback` when absent or
/// not a number.
std::uint32_t expires_of(const msg::Message& m, std::uint32_t fallback);
/// When to try a refresh again that failed for now, the usage still valid
/// until `expiry` (RFC 6665 §4.1.2.2, RFC 3903 §4.1): halfway there, or
/// kNever when that leaves under 5 s (the expiry itself then acts).
TimePoint refresh_retry_at(TimePoint expiry, TimePoint now);

/// The oldest entry of a machine's output queue (a handful at most), moved out.
template <class T>
std::optional<T> take_front(std::vector<T>& queue) {
  if (queue.empty()) return std::nullopt;
  std::optional<T> first(std::move(queue.front()));
  queue.erase(queue.begin());
  return first;
}

/// One usage's answer to 401/407 (§22.2, §22.3): a second challenge that is
/// not `stale` means the credentials were refused, and that is final.
class AuthRetry {
 public:
  /// `sent` answered with `challenge` (401 or 407): the same request with
  /// CSeq + 1, a new branch and credentials; nullopt when giving up.
  std::optional<msg::Message> answer(const msg::Message& sent, const msg::Message& challenge, const Config& c,
                                     Rng& rng);
  /// Add cached credentials to a later request of this usage (a refresh):
  /// §22.3 lets a UAC send them pre-emptively, sparing a round trip.
  void authorize(msg::Message& m, Rng& rng);
  /// A final response other than 401/407 to an authorized request: the
  /// next fresh challenge (a nonce that expired) gets one more answer.
  void accepted();

 private:
  std::optional<auth::DigestSession> digest_;
  bool challenged_ = false;
  bool stale_retried_ = false;  ///< a stale=true re-challenge is answered once (RFC 7616 §3.3)
};

}  // namespace wwp::event
