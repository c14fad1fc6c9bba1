// RFC 4566 SDP parsing and serialisation; see session_description.hpp.
#include "core/sdp/session_description.hpp"

namespace wwp::sdp {
namespace {

Err<SdpError> fail(SdpErrorCode code, std::string message, std::size_t line = 0, int hint = 488) {
  return Err<SdpError>{SdpError{code, std::move(message), line, hint}};
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

/// Split on single SP; empty fields (double spaces) are kept as empty tokens
/// so that the caller can reject them.
std::vector<std::string_view> split_sp(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t sp = s.find(' ', start);
    if (sp == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, sp - start));
    start = sp + 1;
  }
}

std::optional<std::uint32_t> parse_u32(std::string_view s, std::uint32_t max) {
  if (!all_digits(s) || s.size() > 10) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  if (v > max) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

/// §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
Result<MediaDescription, SdpError> parse_media(std::string_view value, std::size_t line) {
  const auto t = split_sp(value);
  if (t.size() < 4) return fail(SdpErrorCode::BadMedia, "m= line needs media, port, proto and a format", line);
  for (auto tok : t)
    if (tok.empty()) return fail(SdpErrorCode::BadMedia, "m= line has an empty field", line);
  MediaDescription m;
  m.media = std::string(t[0]);
  const auto slash = t[1].find('/');
  const auto port = parse_u32(t[1].substr(0, slash), 65535);
  if (!port) return fail(SdpErrorCode::BadMedia, "bad m= port", line);
  m.port = static_cast<std::uint16_t>(*port);
  if (slash != std::string_view::npos) {
    const auto n = parse_u32(t[1].substr(slash + 1), 0xFFFFFFFFu);
    if (!n) return fail(SdpErrorCode::BadMedia, "bad m= number of ports", line);
    m.port_count = *n;
  }
  m.proto = std::string(t[2]);
  for (std::size_t i = 3; i < t.size(); ++i) m.formats.emplace_back(t[i]);
  m.m_value = std::string(value);
  return m;
}

}  // namespace

const char* to_string(SdpErrorCode code) {
  switch (code) {
    case SdpErrorCode::Empty: return "Empty";
    case SdpErrorCode::BadVersion: return "BadVersion";
    case SdpErrorCode::BadLine: return "BadLine";
    case SdpErrorCode::IllegalCharacter: return "IllegalCharacter";
    case SdpErrorCode::BadOrigin: return "BadOrigin";
    case SdpErrorCode::MissingSessionName: return "MissingSessionName";
    case SdpErrorCode::BadMedia: return "BadMedia";
    case SdpErrorCode::OfferAnswerGlare: return "OfferAnswerGlare";
    case SdpErrorCode::OfferPending: return "OfferPending";
    case SdpErrorCode::StaleOffer: return "StaleOffer";
    case SdpErrorCode::NoRemoteOffer: return "NoRemoteOffer";
    case SdpErrorCode::MediaCountMismatch: return "MediaCountMismatch";
    case SdpErrorCode::NoCommonCodec: return "NoCommonCodec";
  }
  return "?";
}

bool operator==(const SdpLine& a, const SdpLine& b) { return a.type == b.type && a.value == b.value; }
bool operator!=(const SdpLine& a, const SdpLine& b) { return !(a == b); }
bool operator==(const MediaDescription& a, const MediaDescription& b) {
  return a.m_value == b.m_value && a.lines == b.lines;
}
bool operator!=(const MediaDescription& a, const MediaDescription& b) { return !(a == b); }
bool operator==(const SessionDescription& a, const SessionDescription& b) {
  return a.session == b.session && a.media == b.media;
}
bool operator!=(const SessionDescription& a, const SessionDescription& b) { return !(a == b); }

// --- origin ------------------------------------------------------------------

std::string Origin::to_string() const {
  return username + " " + session_id + " " + session_version + " " + nettype + " " + addrtype +
         " " + address;
}

Result<Origin, SdpError> parse_origin(std::string_view value) {
  // §5.2: o=<username> <sess-id> <sess-version> <nettype> <addrtype>
  // <unicast-address>; sess-id and sess-version are numeric strings.
  // ringcentral-web-phone checks the same prefix with /^(o=\S+ \d+) (\d+)/.
  const auto t = split_sp(value);
  if (t.size() != 6) return fail(SdpErrorCode::BadOrigin, kInvalidOriginMessage);
  for (auto tok : t)
    if (tok.empty()) return fail(SdpErrorCode::BadOrigin, kInvalidOriginMessage);
  if (!all_digits(t[1]) || !all_digits(t[2])) return fail(SdpErrorCode::BadOrigin, kInvalidOriginMessage);
  return Origin{std::string(t[0]), std::string(t[1]), std::string(t[2]),
                std::string(t[3]), std::string(t[4]), std::string(t[5])};
}

Result<Origin, SdpError> SessionDescription::origin() const {
  for (const auto& l : session)
    if (l.type == 'o') return parse_origin(l.value);
  return fail(SdpErrorCode::BadOrigin, kInvalidOriginMessage);
}

void SessionDescription::set_origin(const Origin& o) {
  for (auto& l : session) {
    if (l.type == 'o') {
      l.value = o.to_string();
      return;
    }
  }
  const auto pos = !session.empty() && session.front().type == 'v' ? session.begin() + 1 : session.begin();
  session.insert(pos, SdpLine{'o', o.to_string()});
}

void MediaDescription::set_port(std::uint16_t p) {
  port = p;
  // Rebuild from the parsed fields: `media port[/n] proto fmt...`.
  std::string v = media + " " + std::to_string(p);
  if (port_count) v += "/" + std::to_string(*port_count);
  v += " " + proto;
  for (const auto& f : formats) v += " " + f;
  m_value = std::move(v);
}

// --- parse / serialise ------------------------------------------------------------

Result<SessionDescription, SdpError> parse(std::string_view text) {
  // Split into lines on LF, dropping one CR before each LF (§5: CRLF, but
  // "parsers SHOULD be tolerant and also accept records terminated with a
  // single newline character").
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view l = nl == std::string_view::npos ? text.substr(start) : text.substr(start, nl - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    lines.push_back(l);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  if (lines.empty()) return fail(SdpErrorCode::Empty, "empty SDP");

  SessionDescription sdp;
  bool have_origin = false;
  bool have_name = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view l = lines[i];
    const std::size_t n = i + 1;
    if (l.size() < 2 || l[1] != '=')
      return fail(SdpErrorCode::BadLine, "line " + std::to_string(n) + " is not <type>=<value>", n);
    const char type = l[0];
    if (!((type >= 'a' && type <= 'z') || (type >= 'A' && type <= 'Z')))
      return fail(SdpErrorCode::BadLine, "line " + std::to_string(n) + " has a bad type", n);
    const std::string_view value = l.substr(2);
    for (char c : value)
      if (c == '\0' || c == '\r')
        return fail(SdpErrorCode::IllegalCharacter, "NUL or CR in line " + std::to_string(n), n);
    if (i == 0) {
      // §5.1: "v=0".
      if (type != 'v' || value != "0") return fail(SdpErrorCode::BadVersion, "SDP must start with v=0", n);
      sdp.session.push_back(SdpLine{type, std::string(value)});
      continue;
    }
    if (type == 'm') {
      auto m = parse_media(value, n);
      if (!m) return Err<SdpError>{m.error()};
      sdp.media.push_back(std::move(m.value()));
      continue;
    }
    if (type == 'v') return fail(SdpErrorCode::BadVersion, "second v= line", n);
    if (sdp.media.empty()) {
      if (type == 'o') {
        if (have_origin) return fail(SdpErrorCode::BadOrigin, kInvalidOriginMessage, n);
        auto o = parse_origin(value);
        if (!o) return fail(SdpErrorCode::BadOrigin, kInvalidOriginMessage, n);
        have_origin = true;
      } else if (type == 's') {
        if (have_name) return fail(SdpErrorCode::BadLine, "second s= line", n);
        have_name = true;
      }
      sdp.session.push_back(SdpLine{type, std::string(value)});
    } else {
      if (type == 'o' || type == 's')
        return fail(SdpErrorCode::BadLine, "o=/s= inside a media description", n);
      sdp.media.back().lines.push_back(SdpLine{type, std::string(value)});
    }
  }
  if (!have_origin) return fail(SdpErrorCode::BadOrigin, kInvalidOriginMessage);
  if (!have_name) return fail(SdpErrorCode::MissingSessionName, "no s= line");
  return sdp;
}

std::string SessionDescription::to_string() const {
  std::string out;
  auto put = [&out](char type, const std::string& value) {
    out += type;
    out += '=';
    out += value;
    out += "\r\n";
  };
  for (const auto& l : session) put(l.type, l.value);
  for (const auto& m : media) {
    put('m', m.m_value);
    for (const auto& l : m.lines) put(l.type, l.value);
  }
  return out;
}

// --- helpers -----------------------------------------------------------------------

std::optional<std::string_view> find_attribute(const std::vector<SdpLine>& lines,
                                               std::string_view name) {
  for (const auto& l : lines) {
    if (l.type != 'a') continue;
    std::string_view v = l.value;
    if (v.size() < name.size() || v.compare(0, name.size(), name) != 0) continue;
    if (v.size() == name.size()) return std::string_view();
    if (v[name.size()] == ':') return v.substr(name.size() + 1);
  }
  return std::nullopt;
}

std::optional<std::string> increment_decimal(std::string_view digits) {
  if (!all_digits(digits)) return std::nullopt;
  std::string s(digits);
  for (std::size_t i = s.size(); i-- > 0;) {
    if (s[i] != '9') {
      ++s[i];
      return s;
    }
    s[i] = '0';
  }
  return "1" + s;
}

Result<std::monostate, SdpError> bump_origin_version(SessionDescription& sdp) {
  auto o = sdp.origin();
  if (!o) return Err<SdpError>{o.error()};
  auto next = increment_decimal(o->session_version);
  if (!next) return fail(SdpErrorCode::BadOrigin, kInvalidOriginMessage);
  o->session_version = *next;
  sdp.set_origin(*o);
  return std::monostate{};
}

bool has_audio(const SessionDescription& sdp) {
  for (const auto& m : sdp.media)
    if (m.media == "audio" && m.port != 0) return true;
  return false;
}

bool operator==(const IceCredentials& a, const IceCredentials& b) {
  return a.ufrag == b.ufrag && a.pwd == b.pwd;
}

std::optional<IceCredentials> ice_credentials(const SessionDescription& sdp, std::size_t media_index) {
  if (media_index >= sdp.media.size()) return std::nullopt;
  const auto& lines = sdp.media[media_index].lines;
  auto ufrag = find_attribute(lines, "ice-ufrag");
  auto pwd = find_attribute(lines, "ice-pwd");
  if (!ufrag) ufrag = find_attribute(sdp.session, "ice-ufrag");
  if (!pwd) pwd = find_attribute(sdp.session, "ice-pwd");
  if (!ufrag || !pwd) return std::nullopt;
  return IceCredentials{std::string(*ufrag), std::string(*pwd)};
}

bool ice_restarted(const SessionDescription& previous, const SessionDescription& next) {
  const std::size_t n = std::min(previous.media.size(), next.media.size());
  for (std::size_t i = 0; i < n; ++i) {
    auto a = ice_credentials(previous, i);
    auto b = ice_credentials(next, i);
    if (a && b && !(*a == *b)) return true;
  }
  return false;
}

}  // namespace wwp::sdp
