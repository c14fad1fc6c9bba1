// The message parser (RFC 3261 §7, §25.1). One forward pass over the bytes:
// memchr finds each LF, a table lookup checks token characters, and header
// lines become (name, value) views; nothing is copied until `to_message`.
#include "core/msg/parser.hpp"

#include <cstdint>
#include <cstring>

#include "core/msg/header_classify.hpp"
#include "core/msg/scan.hpp"
#include "core/msg/swar.hpp"

namespace wwp::msg {

// Builds the owning Message from a view; declared a friend in message.hpp.
class MessageParser {
 public:
  static Message build(const MessageView& v) {
    Message m;
    build_into(v, m);
    return m;
  }
  /// Into `m`, whatever it held: its buffers keep their capacity, so a
  /// message object reused frame after frame stops allocating.
  static void build_into(const MessageView& v, Message& m) {
    // One copy of the message's bytes; every field becomes a span into it.
    // A folded value (§7.3.1) is stored unfolded after the wire text.
    const char* base = v.start_line.data();
    const std::size_t wire = v.size - v.offset;
    m.buf_.assign(base, wire);
    m.wire_size_ = static_cast<std::uint32_t>(wire);
    m.trace_id_ = 0;
    auto span = [base](std::string_view s) {
      return Span{static_cast<std::uint32_t>(s.data() - base), static_cast<std::uint32_t>(s.size())};
    };
    if (v.is_request()) {
      m.method_ = span(v.method);
      m.request_uri_ = span(v.request_uri);
      m.status_ = 0;
      m.reason_ = Span{};
    } else {
      m.method_ = m.request_uri_ = Span{};
      m.status_ = v.status;
      m.reason_ = v.reason.empty() ? Span{} : span(v.reason);
    }
    m.fields_.clear();
    m.fields_.reserve(v.headers.size());
    for (const HeaderView& h : v.headers) {
      Message::Field f;
      f.name = span(h.name);
      f.value = h.folded ? m.append(unfold(h.value)) : span(h.value);
      f.id = h.id;
      m.fields_.push_back(f);
    }
    m.body_ = v.body.empty() ? Span{} : span(v.body);
  }
};

namespace {

constexpr std::size_t npos = std::string_view::npos;

ParseError fail(ParseErrorCode code, std::size_t offset) { return ParseError{code, offset, 0}; }

// The hot loop: find the next CTL, eight bytes per test, two tests per step
// (swar.hpp): wasm has native 64-bit integers, while musl's memchr (what
// Emscripten links) steps one 32-bit size_t. On a well-formed line that byte
// is its CR or LF, so one pass both ends the line and proves that nothing
// else in it is a control character (RFC 3261 §25.1: no header line holds a
// CTL but HTAB and its CRLF). Separate branches per word beat OR-ing both
// masks first (fewer instructions at the exit, which every line takes).
inline std::size_t find_ctl_or_htab(const char* p, std::size_t i, std::size_t end) {
  for (; i + 16 <= end; i += 16) {
    const std::uint64_t a = swar::first_ctl(swar::load(p + i));
    if (a != 0) return i + swar::first(a);
    const std::uint64_t b = swar::first_ctl(swar::load(p + i + 8));
    if (b != 0) return i + 8 + swar::first(b);
  }
  if (i + 8 <= end) {
    const std::uint64_t a = swar::first_ctl(swar::load(p + i));
    if (a != 0) return i + swar::first(a);
    i += 8;
  }
  for (; i < end; ++i) {
    const auto u = static_cast<unsigned char>(p[i]);
    if (u < 0x20 || u == 0x7f) return i;
  }
  return end;
}

// The first CTL other than HTAB in [i, end), or `end`. HTAB is legal (WSP)
// but rare in SIP, so stepping over one costs a restart, not a test per word.
inline std::size_t find_ctl(const char* p, std::size_t i, std::size_t end) {
  for (;;) {
    const std::size_t k = find_ctl_or_htab(p, i, end);
    if (k == end || p[k] != '\t') return k;
    i = k + 1;
  }
}

// Where the physical line that starts at `i` ends. `lf` is its LF, or npos
// if the bytes ran out first (a CR as the very last byte may yet be followed
// by its LF); `bad` is the first octet no line may hold (a NUL, a bare CR not
// followed by LF, ...), else npos. A bare LF is tolerated as a line end
// (lf-only-folded in the fuzz corpus; RFC 3261 §7 asks for CRLF, but a lone
// LF cannot hide a second line from a CRLF-only reader the way a bare CR can
// hide one from an LF-only reader).
struct LineEnd {
  std::size_t lf;
  std::size_t bad;
};
inline LineEnd find_line_end(const char* p, std::size_t i, std::size_t end) {
  const std::size_t c = find_ctl(p, i, end);
  if (c == end) return {npos, npos};
  if (p[c] == '\n') return {c, npos};
  if (p[c] == '\r') {
    if (c + 1 == end) return {npos, npos};
    if (p[c + 1] == '\n') return {c + 1, npos};
  }
  return {npos, c};
}

// First byte in [i, end) that may not appear in a Request-URI (CTL or SP,
// §25.1 has neither in any URI form), or `end`.
std::size_t find_ctl_or_sp(const char* p, std::size_t i, std::size_t end) {
  for (; i + 8 <= end; i += 8) {
    const std::uint64_t m = swar::ctl_or_sp(swar::load(p + i));
    if (m != 0) return i + swar::first(m);
  }
  for (; i < end; ++i) {
    const auto u = static_cast<unsigned char>(p[i]);
    if (u <= 0x20 || u == 0x7f) return i;
  }
  return end;
}

// Is the CTL at `c` the second octet of a quoted-pair (§25.1: quoted-pair =
// "\" (%x00-09 / %x0B-0C / %x0E-7F), inside a quoted-string or a comment)?
// The one place a header value may hold a control character (RFC 4475
// "intmeth" escapes BEL, NUL and DEL in a display name). Asked only when a
// line holds a CTL, so the value is re-read from its start only then. The
// message layer does not know each header's grammar: a `"` or `(` in a
// Call-ID word counts as an opening here too, which can let a
// backslash-escaped CTL through in such a value, never a CR or an LF.
bool in_quoted_pair(const char* p, std::size_t vs, std::size_t c) {
  if (p[c] == '\r' || p[c] == '\n') return false;
  bool quoted = false;
  int depth = 0;  // comment nesting
  for (std::size_t i = vs; i < c; ++i) {
    const char ch = p[i];
    if ((quoted || depth > 0) && ch == '\\') {
      if (i + 1 == c) return true;
      ++i;
    } else if (quoted) {
      if (ch == '"') quoted = false;
    } else if (depth > 0) {  // ctext may hold '"' (%x21-27)
      if (ch == '(') ++depth;
      else if (ch == ')') --depth;
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == '(') {
      depth = 1;
    }
  }
  return false;
}

// §7.1: "SIP-Version ... is case-insensitive" but must be 2.0 here.
// Two overlapping 4-byte words, "SIP/" with the letters folded by `| 0x20`
// (the '/' is compared as is) and "/2.0" exactly.
bool starts_with_sip_slash(const char* p) {
  return (swar::load4(p) | 0x00202020u) == static_cast<std::uint32_t>(swar::pack("sip/", 4));
}
bool is_sip20(std::string_view v) {
  return v.size() == 7 && starts_with_sip_slash(v.data()) &&
         swar::load4(v.data() + 3) == static_cast<std::uint32_t>(swar::pack("/2.0", 4));
}

// Reason-Phrase (§25.1) is any text without control characters except HTAB.
bool is_text(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return false;
  }
  return true;
}

// Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2).
std::optional<ParseError> parse_status_line(std::string_view sl, std::size_t base, MessageView& out) {
  const std::size_t sp = sl.find(' ');
  if (sp == npos) return fail(ParseErrorCode::BadStartLine, base);
  out.version = sl.substr(0, sp);
  if (!is_sip20(out.version)) return fail(ParseErrorCode::BadVersion, base);
  const std::string_view rest = sl.substr(sp + 1);
  // Exactly three digits, then SP or end (a missing SP before an empty
  // reason is tolerated; RFC 4475 "noreason" has the SP).
  if (rest.size() < 3 || !scan::is_digit(rest[0]) || !scan::is_digit(rest[1]) ||
      !scan::is_digit(rest[2]) || (rest.size() > 3 && rest[3] != ' '))
    return fail(ParseErrorCode::BadStatus, base + sp + 1);
  const int code = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
  if (code < 100 || code > 699) return fail(ParseErrorCode::BadStatus, base + sp + 1);
  out.status = code;
  out.reason = rest.size() > 4 ? rest.substr(4) : std::string_view{};
  if (!is_text(out.reason)) return fail(ParseErrorCode::BadStartLine, base + sp + 5);
  return std::nullopt;
}

// Request-Line = Method SP Request-URI SP SIP-Version (§7.1): exactly two
// single SPs; "no LWS is allowed in any of the elements" (§7.1), so the
// Request-URI holds no whitespace and no <> (RFC 4475 §3.1.2.7–10).
std::optional<ParseError> parse_request_line(std::string_view sl, std::size_t base, MessageView& out) {
  const std::size_t sp1 = sl.find(' ');
  const std::size_t sp2 = sl.rfind(' ');
  if (sp1 == npos || sp1 == sp2) return fail(ParseErrorCode::BadStartLine, base);
  out.method = sl.substr(0, sp1);
  if (!scan::is_token(out.method)) return fail(ParseErrorCode::BadMethod, base);
  out.version = sl.substr(sp2 + 1);
  if (out.version.empty()) return fail(ParseErrorCode::BadStartLine, base + sp2);
  if (!is_sip20(out.version)) return fail(ParseErrorCode::BadVersion, base + sp2 + 1);
  out.request_uri = sl.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view uri = out.request_uri;
  const std::size_t uri_at = base + sp1 + 1;
  // One word-at-a-time pass finds the first CTL or SP; only on that error
  // path is the URI searched again to tell SP (BadStartLine) from CTL.
  const std::size_t bad = find_ctl_or_sp(uri.data(), 0, uri.size());
  if (uri.empty() || (bad != uri.size() && uri.find(' ', bad) != npos))
    return fail(ParseErrorCode::BadStartLine, uri_at);
  // absoluteURI: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" (§25.1)
  if (!scan::is(uri[0], scan::kAlpha)) return fail(ParseErrorCode::BadRequestUri, uri_at);
  std::size_t i = 1;
  while (i < uri.size() && (scan::is(uri[i], scan::kAlpha | scan::kDigit) || uri[i] == '+' ||
                            uri[i] == '-' || uri[i] == '.'))
    ++i;
  if (i == uri.size() || uri[i] != ':') return fail(ParseErrorCode::BadRequestUri, uri_at + i);
  // The scheme and ":" hold no CTL/SP, so `bad` lies past them.
  if (bad != uri.size()) return fail(ParseErrorCode::BadRequestUri, uri_at + bad);
  return std::nullopt;
}

}  // namespace

const HeaderView* MessageView::find(HeaderId id) const {
  for (const HeaderView& h : headers)
    if (h.id == id) return &h;
  return nullptr;
}

const HeaderView* MessageView::find(std::string_view name) const {
  const HeaderId id = classify_header(name);
  if (id != HeaderId::Other) return find(id);
  for (const HeaderView& h : headers)
    if (h.id == HeaderId::Other && header_name_equals(h.name, name)) return &h;
  return nullptr;
}

Result<std::size_t, ParseError> parse_view_into(std::string_view in, MessageView& out,
                                                const ParseLimits& lim) {
  out.headers.clear();
  out.start_line = out.method = out.request_uri = out.version = out.reason = out.body = {};
  out.status = 0;
  out.content_length.reset();
  out.offset = out.size = 0;

  const char* p = in.data();
  const std::size_t n = in.size();
  std::size_t pos = 0;
  // §7.5: "implementations processing SIP messages over stream-oriented
  // transports MUST ignore any CRLF appearing before the start-line".
  while (pos < n && (p[pos] == '\r' || p[pos] == '\n')) ++pos;
  if (pos == n) return err(fail(ParseErrorCode::Empty, pos));
  const std::size_t start = pos;
  out.offset = start;
  // Everything past `limit_end` would make the message too large.
  const std::size_t limit_end =
      (n - start > lim.max_message_size) ? start + lim.max_message_size : n;
  // The header section ran out of bytes: a limit or plain "need more".
  auto ran_out = [&](std::size_t line_start) {
    if (limit_end - line_start > lim.max_line_length)
      return fail(ParseErrorCode::LineTooLong, line_start);
    if (limit_end < n) return fail(ParseErrorCode::TooLarge, limit_end);
    return fail(ParseErrorCode::Incomplete, n);
  };

  // A forbidden octet at `at` on the line from `line_start`: a line already
  // over the limit there is reported as too long, as it is when its bytes
  // arrive in pieces (StreamFramer re-parses prefixes; the first error must
  // not depend on where a prefix ends).
  auto bad_char = [&](std::size_t line_start, std::size_t at) {
    if (at - line_start > lim.max_line_length) return fail(ParseErrorCode::LineTooLong, line_start);
    return fail(ParseErrorCode::BadChar, at);
  };

  // --- start line ------------------------------------------------------------
  const LineEnd end0 = find_line_end(p, pos, limit_end);
  if (end0.bad != npos) return err(bad_char(pos, end0.bad));
  const std::size_t lf0 = end0.lf;
  if (lf0 == npos) return err(ran_out(pos));
  std::size_t le0 = lf0;
  if (le0 > pos && p[le0 - 1] == '\r') --le0;
  if (le0 - pos > lim.max_line_length) return err(fail(ParseErrorCode::LineTooLong, pos));
  out.start_line = std::string_view(p + pos, le0 - pos);
  const bool is_status = out.start_line.size() >= 4 && starts_with_sip_slash(out.start_line.data());
  if (auto e = is_status ? parse_status_line(out.start_line, pos, out)
                         : parse_request_line(out.start_line, pos, out))
    return err(*e);
  pos = lf0 + 1;

  // --- header fields (§7.3) --------------------------------------------------
  // Limits as locals: stores into `out` could alias `lim` for the compiler.
  const std::size_t max_headers = lim.max_headers;
  const std::size_t max_line = lim.max_line_length;
  std::size_t n_headers = 0;
  for (;;) {
    if (pos >= limit_end) return err(ran_out(pos));
    const char c = p[pos];
    if (c == '\n') { ++pos; break; }  // bare-LF empty line (tolerated)
    if (c == '\r') {
      if (pos + 1 >= limit_end) return err(ran_out(pos));
      if (p[pos + 1] == '\n') { pos += 2; break; }
      return err(fail(ParseErrorCode::BadChar, pos));  // bare CR
    }
    // field-name = token; HCOLON = *( SP / HTAB ) ":" SWS (§25.1)
    const std::size_t ns = pos;
    // The line's end first: a CTL is neither a token char nor WSP, so it
    // stops the name scans below without a bounds check per byte.
    LineEnd end = find_line_end(p, ns, limit_end);
    if (end.lf != npos || end.bad != npos) {
      while (scan::is_token(p[pos])) ++pos;
    } else {
      while (pos < limit_end && scan::is_token(p[pos])) ++pos;
    }
    const std::size_t ne = pos;
    if (pos >= limit_end || p[pos] != ':') {  // the colon nearly always follows the name
      while (pos < limit_end && scan::is_wsp(p[pos])) ++pos;
      if (pos >= limit_end) return err(ran_out(ns));
      if (pos == end.bad) return err(bad_char(ns, pos));
      // A CR as the last byte may be a bare CR (BadChar) or the line's CRLF
      // (BadHeader): which one, the next byte decides.
      if (p[pos] == '\r' && pos + 1 == limit_end) return err(ran_out(ns));
      if (p[pos] != ':') return err(fail(ParseErrorCode::BadHeader, pos));
    }
    if (ne == ns) return err(fail(ParseErrorCode::BadHeader, pos));
    ++pos;
    // Value: up to the LF whose next byte is not SP/HTAB (§7.3.1 folding).
    // The LF found above ends the first line (the name scan stopped before it).
    const std::size_t vs = pos;
    std::size_t line_start = ns;
    bool folded = false;
    std::size_t le;
    for (;;) {
      // header-value octets (§25.1): SP, HTAB, %x21-7E, UTF8-NONASCII,
      // and any CTL but CR and LF as a quoted-pair (`in_quoted_pair`). A
      // NUL or a bare CR here is refused, not carried into the value: a
      // peer that ends lines at CR would read a second header (or a second
      // message) out of it (header injection, request smuggling).
      // UTF-8 sequences are not validated (TEXT-UTF8char); a malformed one
      // cannot change where a line ends.
      while (end.bad != npos && in_quoted_pair(p, vs, end.bad))
        end = find_line_end(p, end.bad + 1, limit_end);
      if (end.bad != npos) return err(bad_char(line_start, end.bad));
      const std::size_t lf = end.lf;
      if (lf == npos) return err(ran_out(line_start));
      le = (lf > line_start && p[lf - 1] == '\r') ? lf - 1 : lf;
      if (le - line_start > max_line)
        return err(fail(ParseErrorCode::LineTooLong, line_start));
      // The byte after LF decides whether the value continues.
      if (lf + 1 >= limit_end) return err(ran_out(lf + 1));
      if (!scan::is_wsp(p[lf + 1])) break;
      folded = true;
      line_start = pos = lf + 1;
      end = find_line_end(p, pos, limit_end);
    }
    if (n_headers >= max_headers) return err(fail(ParseErrorCode::TooManyHeaders, ns));
    ++n_headers;
    const std::string_view name(p + ns, ne - ns);
    // scan::trim on indices, inline: in wasm a string_view argument and
    // result go through the stack, and trim runs on every header.
    std::size_t tb = vs, te = le;
    while (tb < te && scan::is_lws_char(p[tb])) ++tb;
    while (te > tb && scan::is_lws_char(p[te - 1])) --te;
    const std::string_view value(p + tb, te - tb);
    // Names are tokens here, so the word compare may fold with `| 0x20`;
    // it reads 16 bytes from the name, past its end only inside the input.
    const HeaderId id = (n - ns >= 16) ? detail::classify_token_at(p + ns, ne - ns) : classify_header(name);
    if (id == HeaderId::ContentLength) {
      // Content-Length = 1*DIGIT (§20.14); two different values cannot both
      // frame the body (RFC 4475 "mcl01"), negative ones are rejected ("ncl").
      std::size_t cl = 0;
      if (!scan::parse_uint<std::size_t>(value, static_cast<std::size_t>(-1) / 2, cl) ||
          (out.content_length && *out.content_length != cl))
        return err(fail(ParseErrorCode::BadContentLength, vs));
      out.content_length = cl;
    }
    out.headers.push_back(HeaderView{name, value, id, folded});
    pos = end.lf + 1;
  }

  // --- body ------------------------------------------------------------------
  const std::size_t header_end = pos;
  if (out.content_length) {
    const std::size_t cl = *out.content_length;
    if (cl > lim.max_message_size || header_end - start + cl > lim.max_message_size)
      return err(fail(ParseErrorCode::TooLarge, header_end));
    if (n - header_end < cl)
      return err(ParseError{ParseErrorCode::Incomplete, n, header_end + cl});
    out.body = std::string_view(p + header_end, cl);
    out.size = header_end + cl;
  } else {
    if (lim.require_content_length)
      return err(fail(ParseErrorCode::MissingContentLength, header_end));
    if (n - start > lim.max_message_size) return err(fail(ParseErrorCode::TooLarge, limit_end));
    out.body = std::string_view(p + header_end, n - header_end);
    out.size = n;
  }
  return out.size;
}

Result<MessageView, ParseError> parse_view(std::string_view bytes, const ParseLimits& limits) {
  MessageView v;
  v.headers.reserve(24);
  auto r = parse_view_into(bytes, v, limits);
  if (!r) return err(r.error());
  return v;
}

Message to_message(const MessageView& view) { return MessageParser::build(view); }
void to_message_into(const MessageView& view, Message& out) { MessageParser::build_into(view, out); }

Result<Message, ParseError> parse(std::string_view bytes, const ParseLimits& limits) {
  // A thread-local scratch view keeps the header vector's capacity across
  // calls, so the only allocations are the Message's own strings.
  thread_local MessageView scratch;
  auto r = parse_view_into(bytes, scratch, limits);
  if (!r) return err(r.error());
  return MessageParser::build(scratch);
}

std::string unfold(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  std::size_t i = 0;
  while (i < v.size()) {
    const char c = v[i];
    if (c == '\r' || c == '\n') {
      // LWS = [*WSP CRLF] 1*WSP → one SP (§7.3.1, §25.1).
      while (!out.empty() && scan::is_wsp(out.back())) out.pop_back();
      while (i < v.size() && scan::is_lws_char(v[i])) ++i;
      out += ' ';
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::optional<ParseError> check_mandatory_headers(const Message& m) {
  static constexpr std::string_view kAll[] = {"To", "From", "CSeq", "Call-ID", "Via"};
  for (std::string_view name : kAll)
    if (!m.has(name)) return fail(ParseErrorCode::MissingHeader, 0);
  if (m.is_request() && !m.has("Max-Forwards")) return fail(ParseErrorCode::MissingHeader, 0);
  return std::nullopt;
}

}  // namespace wwp::msg
