// URI parsing and comparison (RFC 3261 §19.1, §25.1; RFC 3966).
#include "core/msg/uri.hpp"

#include "core/msg/scan.hpp"

namespace wwp::msg {

namespace {

constexpr std::size_t npos = std::string_view::npos;

ParseError bad(std::size_t off) { return ParseError{ParseErrorCode::BadUri, off, 0}; }

// escaped = "%" HEXDIG HEXDIG
bool escape_at(std::string_view s, std::size_t i) {
  return i + 2 < s.size() && s[i] == '%' && scan::hex_value(s[i + 1]) >= 0 &&
         scan::hex_value(s[i + 2]) >= 0;
}

// True if every char of s is in `cls` or a valid escape.
bool all_escaped_or(std::string_view s, std::uint16_t cls) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (!escape_at(s, i)) return false;
      i += 2;
    } else if (!scan::is(s[i], cls)) {
      return false;
    }
  }
  return true;
}

// uri-parameters = *( ";" uri-parameter ); pname/pvalue = 1*paramchar
// paramchar = param-unreserved / unreserved / escaped. Parses s[i..end).
bool parse_uri_params(std::string_view s, std::vector<UriParam>& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] != ';') return false;
    const std::size_t b = ++i;
    while (i < s.size() && s[i] != ';') ++i;
    const std::string_view p = s.substr(b, i - b);
    const std::size_t eq = p.find('=');
    UriParam up;
    up.name.assign(p.substr(0, eq));
    if (up.name.empty() || !all_escaped_or(up.name, scan::kUnreserved | scan::kParamUnreserved))
      return false;
    if (eq != npos) {
      const std::string_view v = p.substr(eq + 1);
      if (v.empty() || !all_escaped_or(v, scan::kUnreserved | scan::kParamUnreserved)) return false;
      up.value = std::string(v);
    }
    out.push_back(std::move(up));
  }
  return true;
}

// headers = "?" header *( "&" header ); header = hname "=" hvalue
bool parse_uri_headers(std::string_view s, std::vector<UriHeader>& out) {
  std::size_t i = 0;
  for (;;) {
    const std::size_t b = i;
    while (i < s.size() && s[i] != '&') ++i;
    const std::string_view h = s.substr(b, i - b);
    const std::size_t eq = h.find('=');
    if (eq == npos || eq == 0) return false;
    UriHeader uh{std::string(h.substr(0, eq)), std::string(h.substr(eq + 1))};
    if (!all_escaped_or(uh.name, scan::kUnreserved | scan::kHnvUnreserved) ||
        !all_escaped_or(uh.value, scan::kUnreserved | scan::kHnvUnreserved))
      return false;
    out.push_back(std::move(uh));
    if (i >= s.size()) return true;
    ++i;
  }
}

Result<Uri, ParseError> parse_sip(std::string_view s, std::size_t at, Uri u) {
  // The end of hostport/params: headers start at the first '?' after the
  // userinfo ('?' is legal in the user part, user-unreserved).
  const std::size_t atsign = s.find('@', at);
  std::size_t i = at;
  if (atsign != npos) {
    const std::string_view ui = s.substr(at, atsign - at);
    const std::size_t colon = ui.find(':');
    u.user.assign(ui.substr(0, colon));
    // user = 1*( unreserved / escaped / user-unreserved )
    if (u.user.empty() || !all_escaped_or(u.user, scan::kUnreserved | scan::kUserUnreserved))
      return err(bad(at));
    if (colon != npos) {
      const std::string_view pw = ui.substr(colon + 1);
      if (!all_escaped_or(pw, scan::kUnreserved | scan::kPasswordExtra)) return err(bad(at + colon));
      u.password = std::string(pw);
    }
    i = atsign + 1;
  }
  const std::size_t he = scan::scan_host(s, i);
  if (he == npos) return err(bad(i));
  u.host.assign(s.substr(i, he - i));
  i = he;
  if (i < s.size() && s[i] == ':') {
    const std::size_t ps = ++i;
    while (i < s.size() && scan::is_digit(s[i])) ++i;
    std::uint16_t port = 0;
    if (!scan::parse_uint<std::uint16_t>(s.substr(ps, i - ps), 65535, port)) return err(bad(ps));
    u.port = port;
  }
  const std::size_t q = s.find('?', i);
  const std::string_view params = s.substr(i, (q == npos ? s.size() : q) - i);
  if (!parse_uri_params(params, u.params)) return err(bad(i));
  if (q != npos && !parse_uri_headers(s.substr(q + 1), u.headers)) return err(bad(q + 1));
  return u;
}

// RFC 3966: telephone-subscriber = global-number / local-number; we accept
// phonedigit-hex and visual separators, then ;params.
Result<Uri, ParseError> parse_tel(std::string_view s, std::size_t at, Uri u) {
  std::size_t i = at;
  while (i < s.size() && s[i] != ';') {
    const char c = s[i];
    if (!(scan::is(c, scan::kHex) || c == '*' || c == '#' || c == '+' || c == '-' || c == '.' ||
          c == '(' || c == ')'))
      return err(bad(i));
    ++i;
  }
  u.user.assign(s.substr(at, i - at));
  if (u.user.empty() || u.user.find_first_of("0123456789abcdefABCDEF*#") == npos) return err(bad(at));
  if (!parse_uri_params(s.substr(i), u.params)) return err(bad(i));
  return u;
}

// Drop RFC 3966 visual separators for comparison.
std::string tel_digits(std::string_view n) {
  std::string out;
  for (char c : n)
    if (c != '-' && c != '.' && c != '(' && c != ')') out += scan::lower(c);
  return out;
}

bool iequals_decoded(std::string_view a, std::string_view b) {
  return scan::iequals(percent_decode(a), percent_decode(b));
}

const UriParam* find(const std::vector<UriParam>& ps, std::string_view name) {
  for (const UriParam& p : ps)
    if (scan::iequals(percent_decode(p.name), name)) return &p;
  return nullptr;
}

}  // namespace

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && scan::hex_value(s[i + 1]) >= 0 &&
        scan::hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(scan::hex_value(s[i + 1]) * 16 + scan::hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

Result<Uri, ParseError> parse_uri(std::string_view s) {
  const std::size_t colon = s.find(':');
  if (colon == npos || colon == 0 || !scan::is(s[0], scan::kAlpha)) return err(bad(0));
  for (std::size_t i = 1; i < colon; ++i)
    if (!scan::is(s[i], scan::kAlpha | scan::kDigit) && s[i] != '+' && s[i] != '-' && s[i] != '.')
      return err(bad(i));
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b <= 0x20 || b >= 0x7f) return err(bad(i));  // §19.1.1: no LWS; non-ASCII must be escaped
  }
  const std::string_view scheme = s.substr(0, colon);
  Uri u;
  if (scan::iequals(scheme, "sip")) {
    u.scheme = UriScheme::Sip;
    return parse_sip(s, colon + 1, std::move(u));
  }
  if (scan::iequals(scheme, "sips")) {
    u.scheme = UriScheme::Sips;
    return parse_sip(s, colon + 1, std::move(u));
  }
  if (scan::iequals(scheme, "tel")) {
    u.scheme = UriScheme::Tel;
    return parse_tel(s, colon + 1, std::move(u));
  }
  return err(ParseError{ParseErrorCode::UnsupportedScheme, 0, 0});
}

std::string Uri::user_decoded() const { return percent_decode(user); }

std::optional<std::string> Uri::password_decoded() const {
  if (!password) return std::nullopt;
  return percent_decode(*password);
}

std::optional<std::string_view> Uri::param(std::string_view name) const {
  for (const UriParam& p : params)
    if (scan::iequals(p.name, name)) return p.value ? std::string_view(*p.value) : std::string_view();
  return std::nullopt;
}

std::string_view Uri::scheme_name() const {
  switch (scheme) {
    case UriScheme::Sip: return "sip";
    case UriScheme::Sips: return "sips";
    case UriScheme::Tel: return "tel";
  }
  return "sip";
}

std::string Uri::to_string() const {
  std::string s(scheme_name());
  s += ':';
  if (scheme == UriScheme::Tel) {
    s += user;
  } else {
    if (!user.empty()) {
      s += user;
      if (password) {
        s += ':';
        s += *password;
      }
      s += '@';
    }
    s += host;
    if (port) {
      s += ':';
      s += std::to_string(*port);
    }
  }
  for (const UriParam& p : params) {
    s += ';';
    s += p.name;
    if (p.value) {
      s += '=';
      s += *p.value;
    }
  }
  for (std::size_t i = 0; i < headers.size(); ++i) {
    s += i == 0 ? '?' : '&';
    s += headers[i].name;
    s += '=';
    s += headers[i].value;
  }
  return s;
}

bool uri_equals(const Uri& a, const Uri& b) {
  if (a.scheme != b.scheme) return false;  // "A SIP and SIPS URI are never equivalent."
  if (a.scheme == UriScheme::Tel) {
    if (tel_digits(percent_decode(a.user)) != tel_digits(percent_decode(b.user))) return false;
  } else {
    // "Comparison of the userinfo of SIP and SIPS URIs is case-sensitive";
    // escaped and unescaped characters compare equal.
    if (a.user_decoded() != b.user_decoded()) return false;
    if (a.password_decoded() != b.password_decoded()) return false;
    // "Comparison of ... the host ... is case-insensitive."
    if (!scan::iequals(a.host, b.host)) return false;
    // "An IP address that is the result of a DNS lookup of a host name does
    // not match that host name", and an explicit port never matches its
    // absence.
    if (a.port != b.port) return false;
  }
  // "A user, ttl, or method uri-parameter appearing in only one URI never
  // matches ... A URI that includes an maddr parameter will not match a URI
  // that contains no maddr parameter." Transport is added because the
  // §19.1.4 examples call `sip:bob@biloxi.com` and
  // `sip:bob@biloxi.com;transport=udp` different.
  static constexpr std::string_view kMustMatch[] = {"user", "ttl", "method", "maddr", "transport"};
  for (std::string_view n : kMustMatch)
    if ((find(a.params, n) == nullptr) != (find(b.params, n) == nullptr)) return false;
  // "Any uri-parameter appearing in both URIs must match." A repeated name
  // is judged by its first occurrence, as `Uri::param` reads it.
  for (const UriParam& pa : a.params) {
    const std::string name = percent_decode(pa.name);
    if (find(a.params, name) != &pa) continue;
    const UriParam* pb = find(b.params, name);
    if (!pb) continue;
    if (pa.value.has_value() != pb->value.has_value()) return false;
    if (pa.value && !iequals_decoded(*pa.value, *pb->value)) return false;
  }
  // "Header components are never ignored. Any present header component MUST
  // be present in both URIs and match" (order-insensitive).
  if (a.headers.size() != b.headers.size()) return false;
  for (const UriHeader& ha : a.headers) {
    bool found = false;
    for (const UriHeader& hb : b.headers)
      if (iequals_decoded(ha.name, hb.name) && percent_decode(ha.value) == percent_decode(hb.value)) {
        found = true;
        break;
      }
    if (!found) return false;
  }
  return true;
}

}  // namespace wwp::msg
