// What a NOTIFY's body says, read by the core (protocol in the core, XML
// with pugixml: core/pres/): a PIDF for `presence` (RFC 3856, RFC 3863) and
// a dialog-info document for `dialog` (RFC 4235). Other packages, and bodies
// that do not read, go to the app as they came (NotifyReceived), the latter
// with the reason.
#pragma once
#include <cstdint>
#include <string>
#include <variant>

#include "core/event/subscription.hpp"
#include "core/pres/dialog_info.hpp"
#include "core/pres/pidf.hpp"

namespace wwp::event {

struct PresenceNotify {
  std::uint32_t id;
  pres::PresenceDocument doc;
};
struct DialogInfoNotify {
  std::uint32_t id;
  pres::DialogInfo info;
};

struct NotifyReading {
  std::variant<NotifyReceived, PresenceNotify, DialogInfoNotify> event;
  std::string error;  ///< why a presence/dialog body went out raw, "" otherwise
};
NotifyReading read_notify(NotifyReceived n);

}  // namespace wwp::event
