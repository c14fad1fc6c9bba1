// The session description inside a SIP body (sdp_body.hpp).
#include "core/sdp/sdp_body.hpp"

#include <algorithm>

#include "core/msg/scan.hpp"

namespace wwp::sdp {

namespace {

using msg::scan::iequals;
using msg::scan::trim;

// The line at `at` (up to LF, without its CR) and where the next one starts.
std::string_view line_at(std::string_view s, std::size_t at, std::size_t& next) {
  const std::size_t lf = s.find('\n', at);
  std::size_t end = lf == std::string_view::npos ? s.size() : lf;
  next = lf == std::string_view::npos ? s.size() : lf + 1;
  if (end > at && s[end - 1] == '\r') --end;
  return s.substr(at, end - at);
}

// Whether `line` is the delimiter `--boundary` (closing: `--boundary--`),
// allowing the transport padding (linear white space) RFC 2046 permits.
bool is_delimiter(std::string_view line, std::string_view boundary, bool& closing) {
  if (line.size() < boundary.size() + 2 || line[0] != '-' || line[1] != '-' ||
      line.substr(2, boundary.size()) != boundary)
    return false;
  std::string_view rest = line.substr(2 + boundary.size());
  closing = rest.size() >= 2 && rest[0] == '-' && rest[1] == '-';
  if (closing) rest.remove_prefix(2);
  return trim(rest).empty();
}

// `value *( ";" name "=" value )` (Content-Type §20.15, Content-Disposition
// §20.11): the value of parameter `name` (quotes removed), or "" if absent.
// Enough for the two parameters read here, boundary and handling.
std::string_view param_of(std::string_view header, std::string_view name) {
  std::size_t semi = header.find(';');
  while (semi != std::string_view::npos) {
    header.remove_prefix(semi + 1);
    semi = header.find(';');
    const std::string_view param = trim(header.substr(0, semi));
    const std::size_t eq = param.find('=');
    if (eq == std::string_view::npos || !iequals(trim(param.substr(0, eq)), name)) continue;
    std::string_view value = trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return value;
  }
  return {};
}

// Whether a Content-Type value names `type/subtype` (case-insensitive, §7.3.1).
bool is_type(std::string_view header, std::string_view type_subtype) {
  return iequals(trim(header.substr(0, header.find(';'))), type_subtype);
}

// RFC 3261 §20.11: whether Content-Disposition's `handling` says "required".
// (Its default is "required" too, but a part without the parameter is taken
// as optional here: the SDP beside it is still worth ringing for.)
bool handling_required(std::string_view disposition) {
  return iequals(param_of(disposition, "handling"), "required");
}

// One part: its MIME headers, then an empty line, then its content. Returns
// the content if the part is application/sdp; sets `required` when the part
// is something else that its Content-Disposition says must be understood.
std::optional<std::string_view> sdp_part(std::string_view part, bool& required) {
  std::string_view type;
  std::size_t at = 0, next = 0;
  while (at < part.size()) {
    const std::string_view line = line_at(part, at, next);
    at = next;
    if (line.empty()) break;  // end of the part's headers
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Type")) type = value;
    if (iequals(name, "Content-Disposition")) required = handling_required(value);
  }
  // RFC 2046 §5.1: a part without Content-Type is text/plain.
  // An empty SDP part is no SDP (not "no body": the body is there).
  if (is_type(type, "application/sdp") && at < part.size()) {
    required = false;
    return part.substr(at);
  }
  return std::nullopt;
}

std::optional<std::string_view> multipart_sdp(std::string_view boundary, std::string_view body) {
  std::size_t at = 0, next = 0;
  bool closing = false;
  // The preamble, up to the first delimiter.
  while (at < body.size() && !is_delimiter(line_at(body, at, next), boundary, closing)) at = next;
  if (at >= body.size() || closing) return std::nullopt;
  at = next;
  std::optional<std::string_view> sdp;
  while (at < body.size()) {
    // The part runs to the line break before the next delimiter line.
    std::size_t end = at, after = at;
    bool found = false;
    while (end < body.size()) {
      if (is_delimiter(line_at(body, end, after), boundary, closing)) { found = true; break; }
      end = after;
    }
    if (!found) return std::nullopt;  // no closing delimiter: truncated
    std::size_t part_end = end;
    if (part_end > at && body[part_end - 1] == '\n') --part_end;
    if (part_end > at && body[part_end - 1] == '\r') --part_end;
    bool required = false;
    const auto found_sdp = sdp_part(body.substr(at, part_end - at), required);
    // RFC 5621 §3.2: a part we do not understand whose handling is
    // "required" makes the whole body one we cannot accept.
    if (required) return std::nullopt;
    if (found_sdp && !sdp) sdp = found_sdp;
    if (closing) return sdp;
    at = after;
  }
  return std::nullopt;  // no closing delimiter
}

}  // namespace

std::optional<std::string_view> sdp_body(std::string_view content_type, std::string_view body) {
  if (body.empty()) return std::string_view{};
  if (trim(content_type).empty()) return body;  // §7.4.1: the type should be there; SDP is all we take
  if (is_type(content_type, "application/sdp")) return body;
  const std::string_view media = trim(content_type.substr(0, content_type.find(';')));
  if (!iequals(media.substr(0, 10), "multipart/")) return std::nullopt;
  const std::string_view boundary = param_of(content_type, "boundary");
  // RFC 2046 §5.1.1: 1 to 70 characters.
  if (boundary.empty() || boundary.size() > 70) return std::nullopt;
  return multipart_sdp(boundary, body);
}

std::optional<std::string_view> sdp_body(const msg::Message& m) {
  return sdp_body(m.get(msg::HeaderId::ContentType).value_or(""), m.body());
}

}  // namespace wwp::sdp
