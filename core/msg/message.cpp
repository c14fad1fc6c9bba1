// Message: the owning SIP message (RFC 3261 §7). Lookup rules live in
// header_names.cpp; parsing in parser.cpp.
#include "core/msg/message.hpp"

#include "core/msg/header_names.hpp"
#include "core/msg/scan.hpp"

namespace wwp::msg {

Message Message::request(std::string method, std::string request_uri) {
  Message m;
  m.method_ = std::move(method);
  m.request_uri_ = std::move(request_uri);
  return m;
}

Message Message::response(int status, std::string reason) {
  Message m;
  m.status_ = status;
  m.reason_ = reason.empty() ? std::string(default_reason(status)) : std::move(reason);
  return m;
}

std::string Message::start_line() const {
  std::string s;
  if (is_request()) {
    s.reserve(method_.size() + request_uri_.size() + 9);
    s += method_;
    s += ' ';
    s += request_uri_;
    s += " SIP/2.0";
  } else {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2); the
    // SP before an empty reason stays (RFC 4475 "noreason").
    s = "SIP/2.0 ";
    s += std::to_string(status_);
    s += ' ';
    s += reason_;
  }
  return s;
}

std::optional<std::string_view> Message::get(std::string_view name) const {
  const std::string_view want = expand_compact_name(name);
  for (const Header& h : headers_)
    if (scan::iequals(expand_compact_name(h.name), want)) return std::string_view(h.value);
  return std::nullopt;
}

std::vector<std::string_view> split_list(std::string_view v) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  bool in_quote = false;
  int angle = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (in_quote) {
      if (c == '\\') ++i;  // quoted-pair (§25.1)
      else if (c == '"') in_quote = false;
    } else if (c == '"') {
      in_quote = true;
    } else if (c == '<') {
      ++angle;
    } else if (c == '>') {
      if (angle > 0) --angle;
    } else if (c == ',' && angle == 0) {
      const std::string_view e = scan::trim(v.substr(start, i - start));
      if (!e.empty()) out.push_back(e);
      start = i + 1;
    }
  }
  const std::string_view e = scan::trim(v.substr(start < v.size() ? start : v.size()));
  if (!e.empty()) out.push_back(e);
  return out;
}

std::vector<std::string_view> Message::get_all(std::string_view name) const {
  std::vector<std::string_view> out;
  const std::string_view want = expand_compact_name(name);
  const bool list = is_list_header(want);
  for (const Header& h : headers_) {
    if (!scan::iequals(expand_compact_name(h.name), want)) continue;
    if (!list) {
      out.emplace_back(h.value);
      continue;
    }
    for (std::string_view e : split_list(h.value)) out.push_back(e);
  }
  return out;
}

void Message::add(std::string name, std::string value) {
  headers_.push_back(Header{std::move(name), std::move(value)});
}

void Message::add_first(std::string name, std::string value) {
  auto it = headers_.begin();
  while (it != headers_.end() && !header_name_equals(it->name, name)) ++it;
  if (it == headers_.end()) it = headers_.begin();
  headers_.insert(it, Header{std::move(name), std::move(value)});
}

void Message::set(std::string_view name, std::string value) {
  bool done = false;
  for (auto it = headers_.begin(); it != headers_.end();) {
    if (!header_name_equals(it->name, name)) {
      ++it;
    } else if (!done) {
      it->value = std::move(value);
      done = true;
      ++it;
    } else {
      it = headers_.erase(it);
    }
  }
  if (!done) headers_.push_back(Header{std::string(name), std::move(value)});
}

std::size_t Message::remove(std::string_view name) {
  const std::size_t before = headers_.size();
  std::size_t w = 0;
  for (std::size_t r = 0; r < headers_.size(); ++r)
    if (!header_name_equals(headers_[r].name, name)) {
      if (w != r) headers_[w] = std::move(headers_[r]);
      ++w;
    }
  headers_.resize(w);
  return before - w;
}

void Message::set_body(std::string body, std::string_view content_type) {
  body_ = std::move(body);
  // §20.14: Content-Length is "the size of the message-body, in decimal
  // number of octets".
  set("Content-Length", std::to_string(body_.size()));
  if (body_.empty())
    remove("Content-Type");
  else if (!content_type.empty())
    set("Content-Type", std::string(content_type));
}

std::string Message::to_string() const {
  std::size_t size = method_.size() + request_uri_.size() + reason_.size() + 16 + body_.size() + 2;
  for (const Header& h : headers_) size += h.name.size() + h.value.size() + 4;
  std::string s;
  s.reserve(size);
  s += start_line();
  s += "\r\n";
  for (const Header& h : headers_) {
    s += h.name;
    s += ": ";
    s += h.value;
    s += "\r\n";
  }
  s += "\r\n";
  s += body_;
  return s;
}

bool operator==(const Header& a, const Header& b) { return a.name == b.name && a.value == b.value; }
bool operator!=(const Header& a, const Header& b) { return !(a == b); }

bool operator==(const Message& a, const Message& b) {
  return a.method() == b.method() && a.request_uri() == b.request_uri() &&
         a.status() == b.status() && a.reason() == b.reason() && a.headers() == b.headers() &&
         a.body() == b.body();
}
bool operator!=(const Message& a, const Message& b) { return !(a == b); }

}  // namespace wwp::msg
