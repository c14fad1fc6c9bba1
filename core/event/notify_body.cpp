#include "core/event/notify_body.hpp"

#include "core/msg/header_fields.hpp"

namespace wwp::event {

NotifyReading read_notify(NotifyReceived n) {
  const auto type = msg::parse_media_type(n.content_type);
  const bool presence = n.event == "presence" && type && type->is("application", "pidf+xml");
  const bool dialog = n.event == "dialog" && type && type->is("application", "dialog-info+xml");
  if (presence) {
    if (auto doc = pres::parse_pidf(n.body)) return {PresenceNotify{n.id, std::move(*doc)}, {}};
    else return {std::move(n), "unreadable PIDF in a presence NOTIFY: " + doc.error().message};
  }
  if (dialog) {
    if (auto info = pres::parse_dialog_info(n.body)) return {DialogInfoNotify{n.id, std::move(*info)}, {}};
    else return {std::move(n), "unreadable dialog-info in a dialog NOTIFY: " + info.error().message};
  }
  return {std::move(n), {}};
}

}  // namespace wwp::event
