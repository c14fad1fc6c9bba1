// Message: the owning SIP message (RFC 3261 §7). Lookup rules live in
// header_names.cpp; parsing in parser.cpp.
#include "core/msg/message.hpp"

#include <cstring>

#include "core/msg/header_names.hpp"
#include "core/msg/scan.hpp"

namespace wwp::msg {

using scan::decimal;

Span Message::append(std::string_view s) {
  const char* b = buf_.data();
  if (!s.empty() && s.data() >= b && s.data() < b + buf_.size()) {
    // The source lives in the buffer that may move: append by offset.
    const std::size_t from = static_cast<std::size_t>(s.data() - b);
    const Span out{static_cast<std::uint32_t>(buf_.size()), static_cast<std::uint32_t>(s.size())};
    buf_.reserve(buf_.size() + s.size());
    buf_.append(buf_, from, s.size());
    return out;
  }
  const Span out{static_cast<std::uint32_t>(buf_.size()), static_cast<std::uint32_t>(s.size())};
  buf_.append(s.data(), s.size());
  return out;
}

Message Message::request(std::string_view method, std::string_view request_uri) {
  Message m;
  m.buf_.reserve(512);
  m.method_ = m.append(method);
  m.request_uri_ = m.append(request_uri);
  return m;
}

Message Message::response(int status, std::string_view reason) {
  Message m;
  m.buf_.reserve(512);
  m.status_ = status;
  m.reason_ = m.append(reason.empty() ? default_reason(status) : reason);
  return m;
}

void Message::set_request_uri(std::string_view uri) {
  request_uri_ = append(uri);
  edited();
}

std::string Message::start_line() const {
  std::string s;
  if (is_request()) {
    s.reserve(method_.len + request_uri_.len + 9);
    s += method();
    s += ' ';
    s += request_uri();
    s += " SIP/2.0";
  } else {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2); the
    // SP before an empty reason stays (RFC 4475 "noreason").
    char digits[24];
    s = "SIP/2.0 ";
    s += decimal(static_cast<std::size_t>(status_), digits);
    s += ' ';
    s += reason();
  }
  return s;
}

std::optional<std::string_view> Message::get(HeaderId id) const {
  if (id == HeaderId::Other) return std::nullopt;
  for (const Field& f : fields_)
    if (f.id == id) return view(f.value);
  return std::nullopt;
}

std::size_t Message::find_field(std::string_view name, std::size_t from) const {
  // Known headers compare one small integer; the rest by name.
  const HeaderId id = classify_header(name);
  if (id != HeaderId::Other) {
    for (std::size_t i = from; i < fields_.size(); ++i)
      if (fields_[i].id == id) return i;
    return fields_.size();
  }
  const std::string_view want = expand_compact_name(name);
  for (std::size_t i = from; i < fields_.size(); ++i)
    if (fields_[i].id == HeaderId::Other && scan::iequals(expand_compact_name(view(fields_[i].name)), want))
      return i;
  return fields_.size();
}

std::optional<std::string_view> Message::get(std::string_view name) const {
  const std::size_t i = find_field(name, 0);
  if (i == fields_.size()) return std::nullopt;
  return view(fields_[i].value);
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
  const bool list = is_list_header(expand_compact_name(name));
  for (std::size_t i = find_field(name, 0); i < fields_.size(); i = find_field(name, i + 1)) {
    const std::string_view value = view(fields_[i].value);
    if (!list) {
      out.push_back(value);
      continue;
    }
    for (std::string_view e : split_list(value)) out.push_back(e);
  }
  return out;
}

void Message::add(std::string_view name, std::string_view value) {
  Field f;
  f.name = append(name);
  f.value = append(value);
  f.id = classify_header(name);
  fields_.push_back(f);
  edited();
}

void Message::add_first(std::string_view name, std::string_view value) {
  Field f;
  f.name = append(name);
  f.value = append(value);
  f.id = classify_header(name);
  std::size_t at = find_field(view(f.name), 0);
  if (at == fields_.size()) at = 0;
  fields_.insert(fields_.begin() + static_cast<std::ptrdiff_t>(at), f);
  edited();
}

void Message::set(std::string_view name, std::string_view value) {
  std::size_t first = find_field(name, 0);
  if (first == fields_.size()) return add(name, value);
  fields_[first].value = append(value);
  for (std::size_t i = find_field(name, first + 1); i < fields_.size(); i = find_field(name, i))
    fields_.erase(fields_.begin() + static_cast<std::ptrdiff_t>(i));
  edited();
}

std::size_t Message::remove(std::string_view name) {
  const std::size_t before = fields_.size();
  for (std::size_t i = find_field(name, 0); i < fields_.size(); i = find_field(name, i))
    fields_.erase(fields_.begin() + static_cast<std::ptrdiff_t>(i));
  if (fields_.size() != before) edited();
  return before - fields_.size();
}

void Message::set_body(std::string_view body, std::string_view content_type) {
  body_ = append(body);
  // §20.14: Content-Length is "the size of the message-body, in decimal
  // number of octets".
  char digits[24];
  set("Content-Length", decimal(body_.len, digits));
  if (body_.len == 0)
    remove("Content-Type");
  else if (!content_type.empty())
    set("Content-Type", content_type);
  edited();
}

// One sized write for to_string() and to_wire(): a message is serialised
// for every frame we send, and the module is built for size (-Oz), where each
// std::string append stays a call chain (capacity check, then memcpy). Here
// the size is known first and every part is one memcpy into place.
std::size_t Message::write_wire(char* out, Message* repoint) const {
  char* p = out;
  auto put = [&p](std::string_view v) {
    if (!v.empty()) std::memcpy(p, v.data(), v.size());
    p += v.size();
  };
  auto span_here = [&](std::size_t len) {
    return Span{static_cast<std::uint32_t>(p - out), static_cast<std::uint32_t>(len)};
  };
  if (is_request()) {
    // Request-Line = Method SP Request-URI SP SIP-Version CRLF (§7.1)
    const Span m = span_here(method_.len);
    put(method());
    *p++ = ' ';
    const Span u = span_here(request_uri_.len);
    put(request_uri());
    put(" SIP/2.0\r\n");
    if (repoint) {
      repoint->method_ = m;
      repoint->request_uri_ = u;
    }
  } else {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2); the
    // SP before an empty reason stays (RFC 4475 "noreason").
    char digits[24];
    put("SIP/2.0 ");
    put(decimal(static_cast<std::size_t>(status_), digits));
    *p++ = ' ';
    const Span r = span_here(reason_.len);
    put(reason());
    put("\r\n");
    if (repoint) repoint->reason_ = r;
  }
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    const Span n = span_here(f.name.len);
    put(view(f.name));
    put(": ");
    const Span v = span_here(f.value.len);
    put(view(f.value));
    put("\r\n");
    if (repoint) {
      repoint->fields_[i].name = n;
      repoint->fields_[i].value = v;
    }
  }
  put("\r\n");
  const Span b = span_here(body_.len);
  put(body());
  if (repoint) repoint->body_ = b;
  return static_cast<std::size_t>(p - out);
}

std::size_t Message::wire_length() const {
  char digits[24];
  std::size_t size = is_request() ? method_.len + 1 + request_uri_.len + 10
                                   : 8 + decimal(static_cast<std::size_t>(status_), digits).size() + 1 + reason_.len + 2;
  for (const Field& f : fields_) size += f.name.len + 2 + f.value.len + 2;
  return size + 2 + body_.len;
}

std::string Message::to_string() const {
  std::string s(wire_length(), '\0');
  s.resize(write_wire(s.data(), nullptr));
  return s;
}

std::string_view Message::to_wire() {
  // Same text as to_string(), with every span re-pointed into it.
  std::string s(wire_length(), '\0');
  s.resize(write_wire(s.data(), this));
  buf_ = std::move(s);
  wire_size_ = static_cast<std::uint32_t>(buf_.size());
  return buf_;
}

bool operator==(const HeaderRef& a, const HeaderRef& b) { return a.name == b.name && a.value == b.value; }
bool operator!=(const HeaderRef& a, const HeaderRef& b) { return !(a == b); }

bool operator==(const Message& a, const Message& b) {
  if (a.method() != b.method() || a.request_uri() != b.request_uri() || a.status() != b.status() ||
      a.reason() != b.reason() || a.body() != b.body() || a.headers().size() != b.headers().size())
    return false;
  for (std::size_t i = 0; i < a.headers().size(); ++i)
    if (a.header(i) != b.header(i)) return false;
  return true;
}
bool operator!=(const Message& a, const Message& b) { return !(a == b); }

}  // namespace wwp::msg
