// What a reply needs from a refused request (salvage.hpp).
#include "core/msg/salvage.hpp"

#include <cstring>

#include "core/msg/header_fields.hpp"
#include "core/msg/scan.hpp"

namespace wwp::msg {

namespace {

bool clean(std::string_view s) {
  for (char c : s)
    if (scan::is(c, scan::kLineCtl)) return false;
  return true;
}

bool wanted(HeaderId id) {
  return id == HeaderId::Via || id == HeaderId::From || id == HeaderId::To || id == HeaderId::CallId ||
         id == HeaderId::CSeq;
}

}  // namespace

std::optional<Message> salvage_reply_headers(std::string_view frame, std::size_t max_bytes) {
  std::string_view in = frame.substr(0, max_bytes);
  std::size_t pos = in.find_first_not_of("\r\n");  // §7.5 keep-alive CRLFs
  if (pos == std::string_view::npos) return std::nullopt;
  // Lines end at LF; `next_line` yields each one without its CR LF.
  auto next_line = [&](std::string_view& line) {
    const void* lf = std::memchr(in.data() + pos, '\n', in.size() - pos);
    if (!lf) return false;
    const std::size_t e = static_cast<std::size_t>(static_cast<const char*>(lf) - in.data());
    line = in.substr(pos, e - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = e + 1;
    return true;
  };
  std::string_view start;
  if (!next_line(start)) return std::nullopt;
  // Request-Line = Method SP ... (§7.1). Only the method is needed; the
  // rest of the line may be what made the parse fail (a bad SIP-Version).
  const std::string_view method = start.substr(0, start.find(' '));
  if (method.size() == start.size() || !scan::is_token(method) || method == "ACK") return std::nullopt;
  if (method.size() >= 4 && scan::iequals(method.substr(0, 4), "SIP/")) return std::nullopt;  // a response

  Message m = Message::request(method, "sip:invalid");
  bool have[5] = {};  // Via, From, To, Call-ID, CSeq
  HeaderId last = HeaderId::Other;
  std::string_view line;
  while (next_line(line) && !line.empty()) {
    if (scan::is_wsp(line[0])) {
      // A fold (§7.3.1) continues the previous header: one of the five
      // folded is given up on rather than unfolded here.
      if (wanted(last)) return std::nullopt;
      continue;
    }
    std::size_t i = 0;
    while (i < line.size() && scan::is_token(line[i])) ++i;
    const std::string_view name = line.substr(0, i);
    while (i < line.size() && scan::is_wsp(line[i])) ++i;
    last = HeaderId::Other;
    if (name.empty() || i == line.size() || line[i] != ':') continue;
    const HeaderId id = classify_header(name);
    if (!wanted(id)) continue;
    last = id;
    const std::string_view value = scan::trim(line.substr(i + 1));
    if (value.empty() || !clean(value)) return std::nullopt;
    if (id == HeaderId::CSeq) {
      auto cseq = parse_cseq_view(value);
      if (!cseq || cseq->method == "ACK") return std::nullopt;
    }
    m.add(name, value);
    have[id == HeaderId::Via ? 0 : id == HeaderId::From ? 1 : id == HeaderId::To ? 2 : id == HeaderId::CallId ? 3 : 4] =
        true;
  }
  for (bool h : have)
    if (!h) return std::nullopt;
  return m;
}

}  // namespace wwp::msg
