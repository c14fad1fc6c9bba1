// One subscription as a subscriber (RFC 6665 §4.1): SUBSCRIBE, the NOTIFYs
// that report the resource's state, refreshes before it expires, and the
// end (our Expires: 0, or the notifier's `terminated`).
//
//                    NOTIFY pending               NOTIFY active
//   Subscribing ───────────────────────► Pending ─────────────► Active
//       │ │                                 │                     │
//       │ └──── NOTIFY active ──────────────┼────────────────────►│
//       │  final error, Timer N,            │ unsubscribe()       │ unsubscribe()
//       │  NOTIFY terminated (no retry)     ▼                     ▼
//       └─────────────────────────► Terminated ◄──── Unsubscribing
//
// A `terminated` NOTIFY whose reason invites it (§4.1.3: deactivated,
// probation, timeout, giveup with retry-after) or a 481 to a refresh
// (§4.1.2.2) starts a new subscription (a new dialog) after the notifier's
// retry-after, up to `kMaxRetries` times without an `active` in between;
// the app sees Pending/Active again, not Terminated.
//
// A 2xx to the SUBSCRIBE changes no state: the NOTIFY that must follow
// says pending or active (§4.1.2.1); Timer N ends a subscription whose
// NOTIFY never comes.
//
// The subscription is its own dialog (§4.1.2.4, RFC 3261 §12): created by
// the 2xx to the SUBSCRIBE or by the first NOTIFY, whichever comes first (a
// NOTIFY may overtake the 2xx). A NOTIFY from a second notifier (a forked
// SUBSCRIBE, §4.1.2.4) is answered 481, which ends that fork's subscription
// there (§4.1.3); we keep one.
//
// Timers: Refresh (before expiry: half the interval, at most 60 s early),
// Expiry (the subscription ran out unrefreshed), N (64*T1 after the 2xx
// with no NOTIFY, §4.1.2.4: terminated), Retry (a new subscription after a
// retry-after).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event/usage.hpp"
#include "core/util/timer_table.hpp"

namespace wwp::event {

enum class SubState { Subscribing, Pending, Active, Unsubscribing, Terminated };
const char* to_string(SubState s);

struct SubscriptionParams {
  std::string target;   ///< whose state: `102`, `bob@host`, a SIP URI
  std::string event;    ///< the event package: `presence`, `dialog`, …
  std::string accept;   ///< Accept header (the body types we read)
  std::uint32_t expires = 3600;
};

/// The subscription's state changed (every transition but Subscribing).
struct SubscriptionChanged {
  std::uint32_t id;
  SubState state;
  std::string reason;             ///< Subscription-State reason, or the failure
  int status = 0;                 ///< the SIP status of a refused SUBSCRIBE, else 0
  std::uint32_t expires = 0;      ///< seconds granted (Pending/Active)
  std::uint32_t retry_after = 0;  ///< seconds, from a terminated NOTIFY
};
/// A NOTIFY carried a body: the resource's state, in `content_type`.
struct NotifyReceived {
  std::uint32_t id;
  std::string event;
  std::string content_type;
  std::string body;
};

class Subscription {
 public:
  static constexpr int kMaxRetries = 3;

  /// A new subscription; its SUBSCRIBE waits in `poll_transmit()`. Errors:
  /// InvalidArgument (target, event package or Accept unusable).
  static Result<Subscription, UaError> start(std::uint32_t id, SubscriptionParams p, const Config& c, Rng& rng,
                                             const std::string& contact_uri, TimePoint now);
  /// SUBSCRIBE with Expires: 0 (§4.1.2.3); the notifier's last NOTIFY ends it.
  /// Before any dialog exists there is nothing to end at the notifier, and
  /// the subscription ends here.
  void unsubscribe(TimePoint now);
  /// The connection was lost and is back (a new flow, RFC 5626): the
  /// notifier's NOTIFYs went to the old one, so subscribe again, afresh.
  void resubscribe(TimePoint now);
  /// Is this NOTIFY for us: its Call-ID and To tag name our SUBSCRIBE.
  bool matches(const msg::Message& notify) const;
  /// A NOTIFY that `matches()`; returns the status to answer it with.
  int handle_notify(const msg::Message& notify, TimePoint now);
  /// The final response to our latest SUBSCRIBE.
  void handle_response(const msg::Message& response, TimePoint now);
  void handle_timeout(TimePoint now);
  TimePoint next_timeout() const { return timers_.next(); }
  std::optional<msg::Message> poll_transmit();
  std::optional<SubscriptionChanged> poll_change();
  std::optional<NotifyReceived> poll_notify();

  std::uint32_t id() const { return id_; }
  SubState state() const { return state_; }
  /// Terminated, and no SUBSCRIBE is still waiting for its answer.
  bool finished() const { return state_ == SubState::Terminated && !awaiting_; }

 private:
  enum class TimerKind : std::size_t { Refresh, Expiry, N, Retry, Count };
  Subscription(std::uint32_t id, SubscriptionParams p, const Config& c, Rng& rng, std::string contact)
      : id_(id), params_(std::move(p)), config_(&c), rng_(&rng), contact_(std::move(contact)) {}
  void transition(SubState next, std::string reason = {}, int status = 0, std::uint32_t retry_after = 0);
  /// A fresh dialog and the initial SUBSCRIBE (also for a re-subscription).
  void send_initial(TimePoint now);
  void send_subscribe(std::uint32_t expires, TimePoint now);
  /// The granted interval: arm Refresh and Expiry.
  void granted(std::uint32_t expires, TimePoint now);
  /// The notifier ended it; start over after `retry_after` when allowed.
  void ended(std::string reason, std::uint32_t retry_after, bool may_retry, int status, TimePoint now);
  bool has_dialog() const { return !remote_tag_.empty(); }

  std::uint32_t id_;
  SubscriptionParams params_;
  const Config* config_;
  Rng* rng_;
  std::string contact_;
  std::string request_uri_;  ///< the target's URI (initial SUBSCRIBE)
  SubState state_ = SubState::Subscribing;
  // --- the dialog (RFC 3261 §12) ---
  std::string call_id_, local_tag_, remote_tag_, remote_target_;
  std::vector<std::string> route_set_;
  std::uint32_t cseq_ = 0;
  std::optional<std::uint32_t> remote_cseq_;
  bool notified_ = false;  ///< a NOTIFY arrived in this dialog
  // --- the SUBSCRIBE in flight ---
  std::optional<msg::Message> sent_;
  bool awaiting_ = false;
  std::uint32_t requested_ = 0;  ///< Expires of the SUBSCRIBE in flight
  AuthRetry auth_;
  int retries_ = 0;  ///< re-subscriptions since the last `active`
  TimerTable<TimerKind, static_cast<std::size_t>(TimerKind::Count)> timers_;
  std::vector<msg::Message> out_;
  std::vector<SubscriptionChanged> changes_;
  std::vector<NotifyReceived> notifies_;
};

/// `Subscription-State` (RFC 6665 §8.2.3): `active;expires=600`,
/// `terminated;reason=timeout;retry-after=30`.
struct SubscriptionStateHeader {
  std::string value;  ///< active, pending, terminated (lower case), or an extension
  std::optional<std::uint32_t> expires;
  std::string reason;
  std::optional<std::uint32_t> retry_after;
};
std::optional<SubscriptionStateHeader> parse_subscription_state(std::string_view v);

}  // namespace wwp::event
