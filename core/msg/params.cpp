// Generic parameter lists (RFC 3261 §25.1 generic-param).
#include "core/msg/params.hpp"

#include "core/msg/scan.hpp"

namespace wwp::msg {

namespace {
constexpr std::size_t npos = std::string_view::npos;

// gen-value = token / host / quoted-string; host adds ":" "[" "]" to the
// token set (IPv6 `received=2001:db8::1`, §20.42).
bool is_value_char(char c) { return scan::is_token(c) || c == ':' || c == '[' || c == ']'; }
}  // namespace

std::size_t scan_quoted_string(std::string_view s, std::size_t i, std::string& out) {
  out.clear();
  if (i >= s.size() || s[i] != '"') return npos;
  for (++i; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') return i + 1;
    if (c == '\\') {
      // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F) (§25.1): control
      // characters are legal here and only here (RFC 4475 "intmeth"); CR,
      // LF and non-ASCII octets are not.
      if (++i >= s.size()) return npos;
      const auto e = static_cast<unsigned char>(s[i]);
      if (e >= 0x80 || e == '\r' || e == '\n') return npos;
      out += s[i];
    } else if (scan::is(c, scan::kQdtext)) {
      // qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
      out += c;
    } else if (c == '\n' || (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) {
      // LWS's fold, `*WSP CRLF 1*WSP` (a MessageView value is still folded,
      // parser.hpp): one SP, as unfold() makes of it (§7.3.1), so a value
      // reads the same from a view and from a Message, and is written back
      // as it reads (quote() has no way to write a line break).
      std::size_t w = c == '\r' ? i + 2 : i + 1;
      if (w >= s.size() || !scan::is_wsp(s[w])) return npos;
      while (!out.empty() && scan::is_wsp(out.back())) out.pop_back();
      out += ' ';
      while (w < s.size() && scan::is_wsp(s[w])) ++w;
      i = w - 1;
    } else {
      return npos;  // any other CTL: NUL, a bare CR, DEL, ...
    }
  }
  return npos;
}

std::string quote(std::string_view text) {
  // RFC 3261 §25.1: quoted-string = DQUOTE *(qdtext / quoted-pair) DQUOTE,
  // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F). Controls other than
  // HTAB are not qdtext, so they go out escaped; CR and LF cannot be escaped
  // at all, and left raw they would end the header and let a display name
  // an app supplies inject headers of its own: they become spaces.
  std::string q;
  q.reserve(text.size() + 2);
  q += '"';
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\r' || c == '\n') {
      q += ' ';
      continue;
    }
    if (c == '"' || c == '\\' || (u < 0x20 && c != '\t') || u == 0x7f) q += '\\';
    q += c;
  }
  q += '"';
  return q;
}

std::optional<ParseError> scan_params(std::string_view s, ParamSink sink, void* ctx) {
  std::string unquoted;
  std::size_t i = scan::skip_lws(s, 0);
  while (i < s.size()) {
    // SEMI = SWS ";" SWS
    if (s[i] != ';') return ParseError{ParseErrorCode::BadParam, i, 0};
    i = scan::skip_lws(s, i + 1);
    const std::size_t ns = i;
    while (i < s.size() && scan::is_token(s[i])) ++i;
    if (i == ns) return ParseError{ParseErrorCode::BadParam, i, 0};
    ParamView p;
    p.name = s.substr(ns, i - ns);
    i = scan::skip_lws(s, i);
    if (i < s.size() && s[i] == '=') {
      // EQUAL = SWS "=" SWS
      i = scan::skip_lws(s, i + 1);
      p.has_value = true;
      if (i < s.size() && s[i] == '"') {
        const std::size_t e = scan_quoted_string(s, i, unquoted);
        if (e == npos) return ParseError{ParseErrorCode::BadParam, i, 0};
        p.value = unquoted;
        p.quoted = true;
        i = e;
      } else {
        const std::size_t vs = i;
        while (i < s.size() && is_value_char(s[i])) ++i;
        if (i == vs) return ParseError{ParseErrorCode::BadParam, i, 0};
        p.value = s.substr(vs, i - vs);
      }
      i = scan::skip_lws(s, i);
    }
    sink(ctx, p);
  }
  return std::nullopt;
}

Result<Params, ParseError> parse_params(std::string_view s) {
  Params out;
  auto keep = [](void* ctx, const ParamView& v) {
    Param p;
    p.name.assign(v.name);
    if (v.has_value) p.value = std::string(v.value);
    p.quoted = v.quoted;
    static_cast<Params*>(ctx)->push_back(std::move(p));
  };
  if (auto e = scan_params(s, keep, &out)) return err(*e);
  return out;
}

std::optional<std::string_view> find_param(const Params& ps, std::string_view name) {
  for (const Param& p : ps)
    if (scan::iequals(p.name, name)) return p.value ? std::string_view(*p.value) : std::string_view();
  return std::nullopt;
}

bool has_param(const Params& ps, std::string_view name) { return find_param(ps, name).has_value(); }

std::string params_to_string(const Params& ps) {
  std::string s;
  for (const Param& p : ps) {
    s += ';';
    s += p.name;
    if (p.value) {
      s += '=';
      s += p.quoted ? quote(*p.value) : *p.value;
    }
  }
  return s;
}

}  // namespace wwp::msg
