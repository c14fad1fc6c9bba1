// Typed header fields (RFC 3261 §20, §25.1).
#include "core/msg/header_fields.hpp"

#include "core/msg/message.hpp"
#include "core/msg/scan.hpp"

namespace wwp::msg {

namespace {

constexpr std::size_t npos = std::string_view::npos;

ParseError fail(ParseErrorCode c, std::size_t off) { return ParseError{c, off, 0}; }

// An addr-spec is `scheme ":" ...` (SIP-URI / SIPS-URI / absoluteURI) with no
// whitespace; the scheme is checked here, the rest by parse_uri on demand.
bool plausible_addr_spec(std::string_view u) {
  if (u.empty() || !scan::is(u[0], scan::kAlpha)) return false;
  const std::size_t colon = u.find(':');
  if (colon == npos) return false;
  for (std::size_t i = 1; i < colon; ++i)
    if (!scan::is(u[i], scan::kAlpha | scan::kDigit) && u[i] != '+' && u[i] != '-' && u[i] != '.')
      return false;
  for (char c : u) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7f || c == '<' || c == '>' || c == '"') return false;
  }
  return true;
}


}  // namespace

namespace {

/// The part of a name-addr before its header params, checked as
/// parse_name_addr documents; fills `na`'s display name and URI when given
/// (tag_view reads without building them). Returns where the params start.
Result<std::size_t, ParseError> scan_name_addr_head(std::string_view s, NameAddr* na) {
  std::size_t i = scan::skip_lws(s, 0);
  if (i == s.size()) return err(fail(ParseErrorCode::BadNameAddr, i));
  std::size_t lt = npos;
  if (s[i] == '"') {
    std::string dn;
    const std::size_t e = scan_quoted_string(s, i, dn);
    if (e == npos) return err(fail(ParseErrorCode::BadNameAddr, i));  // RFC 4475 quotbal
    if (na) {
      na->display_name = std::move(dn);
      na->display_quoted = true;
    }
    i = scan::skip_lws(s, e);
    if (i >= s.size() || s[i] != '<') return err(fail(ParseErrorCode::BadNameAddr, i));
    lt = i;
  } else {
    // display-name = *(token LWS): scan tokens and LWS; '<' starts name-addr.
    std::size_t j = i;
    while (j < s.size() && (scan::is_token(s[j]) || scan::is_lws_char(s[j]))) ++j;
    if (j < s.size() && s[j] == '<') {
      // Each LWS run between the tokens becomes one SP: "the LWS ... MAY be
      // replaced with a single SP" (RFC 3261 §7.3.1), so a folded or tabbed
      // name reads, and is written back, as plain words.
      if (na) {
        std::string dn;
        for (char c : scan::trim(s.substr(i, j - i))) {
          if (!scan::is_lws_char(c)) dn += c;
          else if (dn.back() != ' ') dn += ' ';
        }
        if (!dn.empty()) na->display_name = std::move(dn);
      }
      lt = j;
    } else if (s.find('<', i) != npos) {
      return err(fail(ParseErrorCode::BadNameAddr, j));  // RFC 4475 baddn: `Bell, Alexander <...>`
    }
  }
  if (lt != npos) {
    const std::size_t gt = s.find('>', lt + 1);
    if (gt == npos) return err(fail(ParseErrorCode::BadNameAddr, lt));
    const std::string_view uri = s.substr(lt + 1, gt - lt - 1);
    // RFC 4475 badaspec: `< sip:t.watson@example.org >` holds LWS.
    if (!plausible_addr_spec(uri)) return err(fail(ParseErrorCode::BadNameAddr, lt + 1));
    if (na) {
      na->uri = std::string(uri);
      na->angle_brackets = true;
    }
    return gt + 1;
  }
  // §20.10: "If the URI is not enclosed in angle brackets, any semicolon-
  // delimited parameters are header-parameters, not URI parameters."
  std::size_t e = i;
  while (e < s.size() && s[e] != ';' && !scan::is_lws_char(s[e])) ++e;
  const std::string_view uri = s.substr(i, e - i);
  // "...if the URI contains a comma, question mark or semicolon, the URI
  // MUST be enclosed in angle brackets" (§20.10).
  if (!plausible_addr_spec(uri) || uri.find_first_of(",?") != npos)
    return err(fail(ParseErrorCode::BadNameAddr, i));
  if (na) na->uri = std::string(uri);
  return e;
}

}  // namespace

Result<NameAddr, ParseError> parse_name_addr(std::string_view value) {
  NameAddr na;
  const auto rest = scan_name_addr_head(value, &na);
  if (!rest) return err(rest.error());
  auto ps = parse_params(value.substr(*rest));
  if (!ps) return err(fail(ParseErrorCode::BadParam, *rest + ps.error().offset));
  na.params = std::move(*ps);
  return na;
}

TagView tag_view(std::string_view value) {
  TagView out;
  const auto rest = scan_name_addr_head(value, nullptr);
  if (!rest) return out;
  // NameAddr::tag(): the first `tag` parameter, case-insensitive (§7.3.1).
  struct Seen {
    TagView* out;
    bool found;
  } seen{&out, false};
  auto first_tag = [](void* ctx, const ParamView& p) {
    auto* s = static_cast<Seen*>(ctx);
    if (s->found || !scan::iequals(p.name, "tag")) return;
    s->found = true;
    s->out->quoted = p.quoted;
    // An unquoted value is a view into `value`; a quoted one is scratch.
    if (p.quoted) s->out->unquoted.assign(p.value.data(), p.value.size());
    else s->out->raw = p.value;
  };
  if (scan_params(value.substr(*rest), first_tag, &seen)) return TagView{};
  out.parsed = true;
  return out;
}

std::optional<std::string> tag_of(std::string_view value) {
  const TagView t = tag_view(value);
  if (!t.parsed || t.tag().empty()) return std::nullopt;
  return std::string(t.tag());
}

std::string NameAddr::to_string() const {
  std::string s;
  if (display_name) {
    // A token-form display name stays unquoted only if it is still tokens.
    bool tokens = !display_quoted && !display_name->empty();
    for (char c : *display_name)
      if (!scan::is_token(c) && c != ' ' && c != '\t') tokens = false;
    s += tokens ? *display_name : quote(*display_name);
    s += ' ';
  }
  s += '<';
  s += uri;
  s += '>';
  s += params_to_string(params);
  return s;
}

// --- Via ---------------------------------------------------------------------

std::string_view Via::branch() const {
  auto b = find_param(params, "branch");
  return b ? *b : std::string_view();
}

std::optional<std::uint16_t> Via::rport() const {
  auto r = find_param(params, "rport");
  std::uint16_t v = 0;
  if (!r || !scan::parse_uint<std::uint16_t>(*r, 65535, v)) return std::nullopt;
  return v;
}

std::string Via::to_string() const {
  std::string s = protocol_name + "/" + protocol_version + "/" + transport + " " + host;
  if (port) s += ":" + std::to_string(*port);
  s += params_to_string(params);
  return s;
}

namespace {

// via-parm = sent-protocol LWS sent-by *( SEMI via-params ), read in place
// from s[i]; returns the index after it (at a top-level ',' or the end).
// Nothing is copied: matching reads a Via on every request received and
// every response that matches no transaction, and a built Via (seven
// strings, a vector of params) was a fifth of such a frame's time.
Result<std::size_t, ParseError> parse_one_via_view(std::string_view s, std::size_t i, ViaView& v) {
  auto token = [&](std::string_view& out) {
    const std::size_t b = i;
    while (i < s.size() && scan::is_token(s[i])) ++i;
    out = s.substr(b, i - b);
    return i > b;
  };
  auto slash = [&] {  // SLASH = SWS "/" SWS
    i = scan::skip_lws(s, i);
    if (i >= s.size() || s[i] != '/') return false;
    i = scan::skip_lws(s, i + 1);
    return true;
  };
  i = scan::skip_lws(s, i);
  if (!token(v.protocol_name) || !slash() || !token(v.protocol_version) || !slash() ||
      !token(v.transport))
    return err(fail(ParseErrorCode::BadVia, i));
  const std::size_t ws = i;
  i = scan::skip_lws(s, i);
  if (i == ws) return err(fail(ParseErrorCode::BadVia, i));  // LWS is mandatory
  const std::size_t he = scan::scan_host(s, i);
  if (he == npos) return err(fail(ParseErrorCode::BadVia, i));
  v.host = s.substr(i, he - i);
  i = scan::skip_lws(s, he);
  if (i < s.size() && s[i] == ':') {
    i = scan::skip_lws(s, i + 1);
    const std::size_t ps = i;
    while (i < s.size() && scan::is_digit(s[i])) ++i;
    std::uint16_t port = 0;
    if (!scan::parse_uint<std::uint16_t>(s.substr(ps, i - ps), 65535, port))
      return err(fail(ParseErrorCode::BadVia, ps));
    v.port = port;
  }
  // Params run to the next top-level comma (quoted values may hold commas).
  std::size_t e = i;
  bool q = false;
  for (; e < s.size(); ++e) {
    if (q) {
      if (s[e] == '\\') ++e;
      else if (s[e] == '"') q = false;
    } else if (s[e] == '"') {
      q = true;
    } else if (s[e] == ',') {
      break;
    }
  }
  v.params = s.substr(i, e < s.size() ? e - i : s.size() - i);
  // The first `branch` is the one find_param (Via::branch) returns.
  // via-branch = "branch" EQUAL token (§20.42, §25.1): a quoted branch is
  // no branch the transaction layer could match (fuzz_fields found
  // top_via_branch and this parser reading `branch="a b"` differently).
  struct Branch {
    std::optional<std::string_view> first;
    bool quoted = false;
  } b;
  const auto bad = scan_params(v.params, [](void* ctx, const ParamView& p) {
    auto& found = *static_cast<Branch*>(ctx);
    if (!scan::iequals(p.name, "branch")) return;
    if (p.quoted) found.quoted = true;
    else if (!found.first) found.first = p.value;  // unquoted: a view into the value itself
  }, &b);
  if (bad) return err(fail(ParseErrorCode::BadVia, i + bad->offset));
  if (b.quoted) return err(fail(ParseErrorCode::BadVia, i));
  v.branch = b.first.value_or(std::string_view());
  return e;
}

Result<std::size_t, ParseError> parse_one_via(std::string_view s, std::size_t i, Via& v) {
  ViaView view;
  auto r = parse_one_via_view(s, i, view);
  if (!r) return err(r.error());
  v.protocol_name.assign(view.protocol_name);
  v.protocol_version.assign(view.protocol_version);
  v.transport.assign(view.transport);
  v.host.assign(view.host);
  v.port = view.port;
  auto ps = parse_params(view.params);  // checked above: cannot fail
  if (ps) v.params = std::move(*ps);
  return r;
}

}  // namespace

std::optional<std::string_view> top_via_branch(std::string_view s) {
  // via-params follow the first ';' of the via-parm (sent-protocol and
  // sent-by hold none); it ends at a top-level ','.
  std::size_t i = 0;
  while (i < s.size() && s[i] != ';' && s[i] != ',') ++i;
  while (i < s.size() && s[i] == ';') {
    i = scan::skip_lws(s, i + 1);
    const std::size_t ns = i;
    while (i < s.size() && scan::is_token(s[i])) ++i;
    const std::string_view name = s.substr(ns, i - ns);
    i = scan::skip_lws(s, i);
    std::string_view value;
    if (i < s.size() && s[i] == '=') {
      i = scan::skip_lws(s, i + 1);
      const std::size_t vs = i;
      if (i < s.size() && s[i] == '"') {
        for (++i; i < s.size() && s[i] != '"'; ++i)
          if (s[i] == '\\') ++i;
        if (i < s.size()) ++i;
      } else {
        while (i < s.size() && s[i] != ';' && s[i] != ',' && !scan::is_lws_char(s[i])) ++i;
      }
      value = s.substr(vs, i - vs);
      i = scan::skip_lws(s, i);
    }
    if (scan::iequals(name, "branch"))  // a token, never a quoted-string (§20.42)
      return value.empty() || value[0] == '"' ? std::nullopt : std::optional<std::string_view>(value);
    if (i < s.size() && s[i] != ';') break;  // ',' (next via-parm) or junk
  }
  return std::nullopt;
}

Result<ViaView, ParseError> parse_via_view(std::string_view value) {
  ViaView v;
  auto r = parse_one_via_view(value, 0, v);
  if (!r) return err(r.error());
  return v;
}

Result<Via, ParseError> parse_via(std::string_view value) {
  Via v;
  auto r = parse_one_via(value, 0, v);
  if (!r) return err(r.error());
  return v;
}

Result<std::vector<Via>, ParseError> parse_vias(std::string_view value) {
  std::vector<Via> out;
  std::size_t i = 0;
  for (;;) {
    Via v;
    auto r = parse_one_via(value, i, v);
    if (!r) return err(r.error());
    out.push_back(std::move(v));
    i = *r;
    if (i >= value.size()) break;
    ++i;  // the comma
  }
  return out;
}

// --- CSeq --------------------------------------------------------------------

Result<CSeqView, ParseError> parse_cseq_view(std::string_view value) {
  // CSeq = "CSeq" HCOLON 1*DIGIT LWS Method (§20.16), in one pass: the
  // number is accumulated while its digits are scanned, and it fails as
  // soon as it passes 2^32-1 (§8.1.1.5).
  const std::string_view s = scan::trim(value);
  std::uint64_t seq = 0;
  std::size_t i = 0;
  for (; i < s.size() && scan::is_digit(s[i]); ++i) {
    seq = seq * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (seq > 0xFFFFFFFFu) return err(fail(ParseErrorCode::BadCSeq, 0));
  }
  if (i == 0) return err(fail(ParseErrorCode::BadCSeq, 0));
  const std::size_t ms = scan::skip_lws(s, i);
  std::size_t me = ms;
  while (me < s.size() && scan::is_token(s[me])) ++me;
  if (ms == i || ms == s.size() || me != s.size()) return err(fail(ParseErrorCode::BadCSeq, ms));
  return CSeqView{static_cast<std::uint32_t>(seq), s.substr(ms)};
}

Result<CSeq, ParseError> parse_cseq(std::string_view value) {
  auto v = parse_cseq_view(value);
  if (!v) return err(v.error());
  return CSeq{v->seq, std::string(v->method)};
}

// --- Content-Type --------------------------------------------------------------

bool MediaType::is(std::string_view t, std::string_view st) const {
  return scan::iequals(type, t) && scan::iequals(subtype, st);
}

std::string MediaType::to_string() const { return type + "/" + subtype + params_to_string(params); }

Result<MediaType, ParseError> parse_media_type(std::string_view value) {
  const std::string_view s = value;
  MediaType m;
  std::size_t i = scan::skip_lws(s, 0);
  std::size_t b = i;
  while (i < s.size() && scan::is_token(s[i])) ++i;
  if (i == b) return err(fail(ParseErrorCode::BadMediaType, i));
  m.type.assign(s.substr(b, i - b));
  i = scan::skip_lws(s, i);
  if (i >= s.size() || s[i] != '/') return err(fail(ParseErrorCode::BadMediaType, i));
  i = scan::skip_lws(s, i + 1);
  b = i;
  while (i < s.size() && scan::is_token(s[i])) ++i;
  if (i == b) return err(fail(ParseErrorCode::BadMediaType, i));
  m.subtype.assign(s.substr(b, i - b));
  auto ps = parse_params(s.substr(i));
  if (!ps) return err(fail(ParseErrorCode::BadMediaType, i + ps.error().offset));
  m.params = std::move(*ps);
  return m;
}

}  // namespace wwp::msg
