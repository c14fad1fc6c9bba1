// Our own event state published to a compositor (RFC 3903): for presence,
// the PIDF the server hands to our watchers.
//
//   publish(body) ──► Publishing ──2xx (SIP-ETag)──► Published ──refresh──┐
//                        │  ▲                           │   ▲            │
//                        │  └──── publish(new body) ────┘   └── 2xx ─────┘
//                        │ final error                  │ remove()
//                        ▼                              ▼
//                      Failed                        Removing ──2xx/error──► Removed
//
// §4.1: one PUBLISH at a time per event state; a `publish()` while one is
// out waits for its answer. The first PUBLISH carries the body; refreshes
// carry SIP-If-Match and no body (§4.2); a modification carries both
// (§4.3); a removal SIP-If-Match and Expires: 0 (§4.4). 412 Conditional
// Request Failed (the compositor lost our entity-tag, §6 step 4) starts over
// with the body; 423 asks again with Min-Expires; 401/407 are answered once.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event/usage.hpp"
#include "core/util/timer_table.hpp"

namespace wwp::event {

enum class PubState { Idle, Publishing, Published, Removing, Removed, Failed };
const char* to_string(PubState s);

struct PublishParams {
  std::string event;         ///< `presence`
  std::string content_type;  ///< `application/pidf+xml`
  std::string body;
  std::uint32_t expires = 3600;
};
/// What became of a publish() or remove(): Published (with the granted
/// expires), Removed, or Failed (status and reason of the last answer).
struct PublicationChanged {
  std::string event;
  PubState state;
  int status = 0;
  std::string reason;
  std::uint32_t expires = 0;
  /// Published: the newest `publish()` (its return value) this state
  /// includes. Several publish() calls while a PUBLISH is out become one
  /// modification (§4.1), so one event can settle several calls.
  std::uint32_t generation = 0;
};

class Publication {
 public:
  explicit Publication(std::string event) : event_(std::move(event)) {}
  /// Publish (or replace) our state; returns this call's generation (see
  /// PublicationChanged). Errors: InvalidArgument (content type, body or
  /// expires unusable).
  Result<std::uint32_t, UaError> publish(PublishParams p, const Config& c, Rng& rng, TimePoint now);
  /// Withdraw it (§4.4). Nothing published: Removed at once.
  void remove(const Config& c, Rng& rng, TimePoint now);
  /// The connection is back after an outage: publish the state afresh
  /// (the compositor may have let it expire meanwhile, §6).
  void republish(const Config& c, Rng& rng);
  void handle_response(const msg::Message& response, const Config& c, Rng& rng, TimePoint now);
  void handle_timeout(const Config& c, Rng& rng, TimePoint now);
  TimePoint next_timeout() const { return timers_.next(); }
  std::optional<msg::Message> poll_transmit();
  std::optional<PublicationChanged> poll_event();
  PubState state() const { return state_; }
  /// Nothing published and nothing in flight: the UA may let it go.
  bool finished() const { return !awaiting_ && (state_ == PubState::Removed || state_ == PubState::Failed); }

 private:
  /// Refresh: the next refresh (or its retry); Expiry: the compositor's
  /// copy of our state lapses (RFC 3903 §4.1), if no refresh got through.
  enum class TimerKind : std::size_t { Refresh, Expiry, Count };
  /// What the next PUBLISH carries.
  enum class Kind { Initial, Refresh, Modify, Remove };
  void send(Kind kind, const Config& c, Rng& rng);
  /// After an answer: anything the app asked for meanwhile.
  void send_queued(const Config& c, Rng& rng);
  void changed(PubState s, int status = 0, std::string reason = {});

  std::string event_;
  PubState state_ = PubState::Idle;
  PublishParams params_;
  std::string etag_;
  std::string call_id_, from_tag_;
  std::uint32_t cseq_ = 0;
  std::optional<msg::Message> sent_;
  Kind sent_kind_ = Kind::Initial;
  std::uint32_t generation_ = 0;  ///< publish() calls so far
  std::uint32_t sent_generation_ = 0;  ///< the generation the PUBLISH out carries
  bool awaiting_ = false;
  bool retried_412_ = false;
  /// A publish()/remove() that came while a PUBLISH was out.
  std::optional<Kind> queued_;
  AuthRetry auth_;
  TimerTable<TimerKind, static_cast<std::size_t>(TimerKind::Count)> timers_;
  std::vector<msg::Message> out_;
  std::vector<PublicationChanged> events_;
};

}  // namespace wwp::event
