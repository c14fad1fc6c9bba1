// The UA's half of the usages outside calls (core/event/): instant messages
// (RFC 3428), subscriptions (RFC 6665) and publications (RFC 3903). Their
// machines build the requests and read the answers; here they get client
// transactions, their responses, their timers and the NOTIFYs sent to them.
#include <cctype>

#include "core/msg/reply.hpp"
#include "core/ua/ua.hpp"

namespace wwp::ua {

namespace {
Status need_binding(const reg::Registration& r, const char* what) {
  if (r.has_binding()) return ok_status();
  return ua_error(UaErrorCode::InvalidState, std::string(what) + ": not registered: call start() first");
}
}  // namespace

Result<std::uint32_t, UaError> Ua::send_message(const event::MessageParams& params, TimePoint now) {
  if (auto s = need_binding(registration_, "sendMessage"); !s) return Err<UaError>{s.error()};
  const std::uint32_t id = next_message_++;
  if (auto s = pager_.send(id, params, config_, rng_); !s) return Err<UaError>{s.error()};
  collect(now);
  return id;
}

Result<std::uint32_t, UaError> Ua::subscribe(const event::SubscriptionParams& params, TimePoint now) {
  if (auto s = need_binding(registration_, "subscribe"); !s) return Err<UaError>{s.error()};
  const std::uint32_t id = next_sub_++;
  auto sub = event::Subscription::start(id, params, config_, rng_, contact_uri_, now);
  if (!sub) return Err<UaError>{sub.error()};
  subs_.emplace(id, std::move(*sub));
  collect(now);
  return id;
}

Status Ua::unsubscribe(std::uint32_t id, TimePoint now) {
  auto it = subs_.find(id);
  if (it == subs_.end() || it->second.state() == event::SubState::Terminated)
    return ua_error(UaErrorCode::NotFound, "no such subscription (it has ended)");
  it->second.unsubscribe(now);
  collect(now);
  return ok_status();
}

Result<std::uint32_t, UaError> Ua::publish(event::PublishParams params, TimePoint now) {
  if (auto s = need_binding(registration_, "publish"); !s) return Err<UaError>{s.error()};
  const std::string ev = params.event;
  auto it = pubs_.try_emplace(ev, ev).first;
  auto generation = it->second.publish(std::move(params), config_, rng_, now);
  if (!generation) {
    if (it->second.state() == event::PubState::Idle) pubs_.erase(it);
    return generation;
  }
  collect(now);
  return generation;
}

Result<std::uint32_t, UaError> Ua::publish_presence(bool open, const std::string& note, const std::string& activity,
                                                    std::uint32_t expires, TimePoint now) {
  if (note.size() > 1024) return ua_error(UaErrorCode::InvalidArgument, "publishPresence: the note is over 1024 bytes");
  // The tuple id stays the same for this phone, so each PUBLISH replaces
  // our tuple at the compositor instead of adding one (RFC 3863 §4.1.4).
  // An XML ID (xs:ID, an NCName): the instance id's safe characters only.
  std::string tuple = "wwp-";
  for (char c : config_.instance_id)
    if (tuple.size() < 40 && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) tuple += c;
  std::string pidf = pres::build_pidf(event::aor(config_), open, note, tuple, activity);
  return publish({"presence", "application/pidf+xml", std::move(pidf), expires}, now);
}

Status Ua::unpublish(const std::string& ev, TimePoint now) {
  auto it = pubs_.find(ev);
  if (it == pubs_.end()) return ua_error(UaErrorCode::NotFound, "nothing is published for event \"" + ev + "\"");
  it->second.remove(config_, rng_, now);
  collect(now);
  return ok_status();
}

void Ua::end_usages(TimePoint now) {
  for (auto& [id, s] : subs_) s.unsubscribe(now);
  for (auto& [ev, p] : pubs_) p.remove(config_, rng_, now);
  collect(now);
}

void Ua::start_usage_txn(msg::Message m, UsageOwner owner, TimePoint now) {
  const msg::Message copy = m;
  auto txn = txns_.start_client(std::move(m), now);
  if (txn) {
    usage_txns_.emplace(*txn, std::move(owner));
    return;
  }
  route_usage_response(owner, msg::make_reply(copy, 503, {}, "Service Unavailable"), txn.error().message, now);
}

void Ua::route_usage_response(const UsageOwner& owner, const msg::Message& r, std::string_view detail,
                              TimePoint now) {
  switch (owner.kind) {
    case UsageOwner::Kind::Message:
      pager_.handle_response(owner.id, r, detail, config_, rng_);
      return;
    case UsageOwner::Kind::Subscription:
      if (auto it = subs_.find(owner.id); it != subs_.end()) it->second.handle_response(r, now);
      return;
    case UsageOwner::Kind::Publication:
      if (auto it = pubs_.find(owner.event); it != pubs_.end()) it->second.handle_response(r, config_, rng_, now);
      return;
  }
}

bool Ua::collect_usages(TimePoint now) {
  bool any = false;
  while (auto m = pager_.poll_transmit()) {
    any = true;
    start_usage_txn(std::move(m->second), {UsageOwner::Kind::Message, m->first, {}}, now);
  }
  while (auto e = pager_.poll_event()) {
    any = true;
    out_.push_back(Event{std::move(*e)});
  }
  for (auto it = subs_.begin(); it != subs_.end();) {
    auto& s = it->second;
    while (auto m = s.poll_transmit()) {
      any = true;
      start_usage_txn(std::move(*m), {UsageOwner::Kind::Subscription, s.id(), {}}, now);
    }
    while (auto n = s.poll_notify()) {
      any = true;
      auto reading = event::read_notify(std::move(*n));
      if (!reading.error.empty()) out_.push_back(Event{Dropped{std::move(reading.error)}});
      std::visit([this](auto&& e) { out_.push_back(Event{std::move(e)}); }, std::move(reading.event));
    }
    while (auto c = s.poll_change()) {
      any = true;
      out_.push_back(Event{std::move(*c)});
    }
    if (s.finished()) it = subs_.erase(it);
    else ++it;
  }
  for (auto it = pubs_.begin(); it != pubs_.end();) {
    auto& p = it->second;
    while (auto m = p.poll_transmit()) {
      any = true;
      start_usage_txn(std::move(*m), {UsageOwner::Kind::Publication, 0, it->first}, now);
    }
    while (auto e = p.poll_event()) {
      any = true;
      out_.push_back(Event{std::move(*e)});
    }
    if (p.finished()) it = pubs_.erase(it);
    else ++it;
  }
  return any;
}

}  // namespace wwp::ua
