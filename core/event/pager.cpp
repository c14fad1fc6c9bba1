#include "core/event/pager.hpp"

#include "core/msg/header_fields.hpp"

namespace wwp::event {

namespace {
bool is_media_type(std::string_view s) {
  auto t = msg::parse_media_type(s);
  return t && s.find_first_of("\r\n") == std::string_view::npos;
}
}  // namespace

Status Pager::send(std::uint32_t id, const MessageParams& p, const Config& c, Rng& rng) {
  auto uri = target_uri(p.target, c);
  if (!uri) return Err<UaError>{uri.error()};
  const std::string type = p.content_type.empty() ? "text/plain" : p.content_type;
  if (!is_media_type(type))
    return ua_error(UaErrorCode::InvalidArgument, "sendMessage: invalid content type \"" + type + "\"");
  // §4: a MESSAGE carries its content; an empty one tells the peer nothing.
  if (p.body.empty()) return ua_error(UaErrorCode::InvalidArgument, "sendMessage: the message body is empty");
  if (p.body.size() > kMaxBody)
    return ua_error(UaErrorCode::InvalidArgument,
                    "sendMessage: the body is " + std::to_string(p.body.size()) + " bytes; the limit is " +
                        std::to_string(kMaxBody),
                    413);
  // §4: outside any dialog, so a new Call-ID and From tag each, no Contact
  // (§10: "MUST NOT contain a Contact header field").
  msg::Message m = new_request("MESSAGE", *uri, "<" + *uri + ">", rng.token(12), rng.token(24),
                               static_cast<std::uint32_t>(rng.next_u64() % 9000 + 1), c, rng);
  m.set_body(p.body, type);
  pending_[id] = Pending{m, {}};
  out_.emplace_back(id, std::move(m));
  return ok_status();
}

void Pager::handle_response(std::uint32_t id, const msg::Message& r, std::string_view detail, const Config& c,
                            Rng& rng) {
  auto it = pending_.find(id);
  if (it == pending_.end() || r.status() < 200) return;
  if (r.status() == 401 || r.status() == 407) {
    if (auto again = it->second.auth.answer(it->second.sent, r, c, rng)) {
      it->second.sent = *again;
      out_.emplace_back(id, std::move(*again));
      return;
    }
  }
  events_.push_back(MessageOutcome{id, r.status(), std::string(r.reason()), std::string(detail)});
  pending_.erase(it);
}

std::optional<std::pair<std::uint32_t, msg::Message>> Pager::poll_transmit() { return take_front(out_); }
std::optional<MessageOutcome> Pager::poll_event() { return take_front(events_); }

MessageVerdict check_inbound_message(const msg::Message& request, const std::vector<std::string>& accepted) {
  MessageVerdict v;
  const auto type = msg::parse_media_type(request.get("Content-Type").value_or(""));
  bool ok = false;
  if (type)
    for (const auto& a : accepted) {
      if (a == "*/*") ok = true;
      const auto slash = a.find('/');
      if (slash != std::string::npos && type->is(std::string_view(a).substr(0, slash), std::string_view(a).substr(slash + 1)))
        ok = true;
    }
  if (!ok) {
    v.status = 415;
    for (const auto& a : accepted) v.accept += (v.accept.empty() ? "" : ", ") + a;
    return v;
  }
  if (request.body().size() > Pager::kMaxBody) {
    v.status = 413;
    return v;
  }
  MessageReceived m;
  if (auto from = msg::parse_name_addr(request.get("From").value_or(""))) {
    m.from = from->uri;
    m.display_name = from->display_name.value_or("");
  }
  if (auto to = msg::parse_name_addr(request.get("To").value_or(""))) m.to = to->uri;
  m.content_type = std::string(request.get("Content-Type").value_or(""));
  m.body = std::string(request.body());
  m.call_id = std::string(request.get("Call-ID").value_or(""));
  v.message = std::move(m);
  return v;
}

}  // namespace wwp::event
