// Instant messages in pager mode (RFC 3428): each MESSAGE stands alone,
// outside any dialog, on its own non-INVITE transaction. Its outcome is the
// final response (§7: a 2xx says the message was delivered to the user, or
// accepted by a server that will; 202 says it was queued); the app hears
// one `MessageOutcome` per `send()`.
//
// The limits are ours, not the RFC's: §7 wants messages over unreliable
// transports kept under 1300 bytes; WebSocket is reliable, but a body must
// still fit a frame a server accepts, so `kMaxBody` bounds it (a clear error
// before anything is sent).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/event/usage.hpp"

namespace wwp::event {

struct MessageParams {
  std::string target;        ///< `102`, `bob@host`, or a SIP URI
  std::string content_type;  ///< `text/plain` when empty
  std::string body;
};
/// The final response to a `send()`: status 2xx delivered; otherwise the
/// failure (a synthetic 408/503 says so in `detail`).
struct MessageOutcome {
  std::uint32_t id;
  int status;
  std::string reason;
  std::string detail;
};

class Pager {
 public:
  static constexpr std::size_t kMaxBody = 64 * 1024;

  /// A MESSAGE for `p`, queued for `poll_transmit()`. Errors:
  /// InvalidArgument (bad target, content type or empty/oversized body).
  Status send(std::uint32_t id, const MessageParams& p, const Config& c, Rng& rng);
  /// The final response to message `id`'s MESSAGE.
  void handle_response(std::uint32_t id, const msg::Message& response, std::string_view detail, const Config& c,
                       Rng& rng);
  /// The next request to put on a transaction, with the message id it belongs to.
  std::optional<std::pair<std::uint32_t, msg::Message>> poll_transmit();
  std::optional<MessageOutcome> poll_event();

 private:
  struct Pending {
    msg::Message sent;
    AuthRetry auth;
  };
  std::map<std::uint32_t, Pending> pending_;
  std::vector<std::pair<std::uint32_t, msg::Message>> out_;
  std::vector<MessageOutcome> events_;
};

/// An inbound MESSAGE the app is given (not RingCentral's x-rc commands,
/// which keep their own path).
struct MessageReceived {
  std::string from;          ///< the sender's URI
  std::string display_name;  ///< From display name, "" when none
  std::string to;            ///< the To URI
  std::string content_type;
  std::string body;
  std::string call_id;
};

/// How the UA answers an inbound MESSAGE (§8: "a 200 OK ... if the
/// recipient accepts the message"; RFC 3261 §21.4.13 415 with an Accept
/// listing what we take; §21.4.11 413 for a body over our limit).
struct MessageVerdict {
  int status = 200;
  std::string accept;  ///< for 415: the Accept header value
  std::optional<MessageReceived> message;
};
/// `accepted` lists the content types the app registered (type/subtype,
/// compared case-insensitively, parameters ignored; `*/*` takes all).
MessageVerdict check_inbound_message(const msg::Message& request, const std::vector<std::string>& accepted);

}  // namespace wwp::event
