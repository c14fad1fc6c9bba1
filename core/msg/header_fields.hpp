// Typed views of the header fields the core reads (RFC 3261 §20, §25.1):
// name-addr headers (From, To, Contact, Route, Refer-To...), Via, CSeq and
// Content-Type. Each `parse_*` takes ONE header value (already unfolded, as
// `Message::get`/`get_all` return it) and returns a value or a ParseError;
// none throws. They are separate from `parse()` on purpose: the message layer
// frames and splits, and a header is only parsed when someone needs it
// (RFC 4475 "quotbal", "badaspec", "baddn" are framing-valid messages whose
// From/To then fail here).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/msg/params.hpp"
#include "core/msg/parse_error.hpp"
#include "core/util/result.hpp"

namespace wwp::msg {

// --- name-addr / addr-spec (§20.10, §25.1) -----------------------------------

/// `"Display" <uri>;tag=x` or a bare `uri;tag=x`.
struct NameAddr {
  std::optional<std::string> display_name;  ///< unquoted/unescaped; nullopt if absent
  bool display_quoted = false;              ///< display name was a quoted-string
  std::string uri;                          ///< the addr-spec text, as written (parse with parse_uri)
  bool angle_brackets = false;              ///< written as `<uri>`
  Params params;                            ///< header params (tag, expires, q, ...)

  std::string_view uri_text() const { return uri; }
  /// Header parameter value (empty view for a flag), nullopt if absent.
  std::optional<std::string_view> param(std::string_view name) const { return find_param(params, name); }
  std::optional<std::string_view> tag() const { return param("tag"); }
  /// Canonical form: `"Name" <uri>;p=v` (always with <>, §20.10 SHOULD).
  std::string to_string() const;
};

/// Parse a From/To/Contact/Route/... value (one element: split lists first
/// with `Message::get_all`). §20.10: without <>, the URI cannot carry
/// parameters, so everything after the first `;` is a header parameter, and
/// a URI with `,` or `?` MUST be enclosed (RFC 4475 "regbadct"). The URI may
/// not hold whitespace (RFC 4475 "badaspec"); an unquoted display name is
/// *(token LWS) (RFC 4475 "baddn"). Error code: BadNameAddr (BadParam for the
/// parameter part).
Result<NameAddr, ParseError> parse_name_addr(std::string_view value);

/// The `tag` parameter of a From/To value (§19.3), if the value parses and
/// has one.
std::optional<std::string> tag_of(std::string_view name_addr_value);
/// The same read without copies (matching every in-dialog message to its
/// dialog, §12.2): whether the value parses as parse_name_addr would have it,
/// and its first tag ("" when absent or empty), a view into the value. Only
/// a tag written as a quoted-string (no token, §25.1, yet a generic-param)
/// is unescaped into the TagView itself, so read it through `tag()`.
struct TagView {
  bool parsed = false;
  bool quoted = false;
  std::string_view raw;   ///< the tag as written, when not quoted
  std::string unquoted;   ///< the quoted tag's text
  std::string_view tag() const { return quoted ? std::string_view(unquoted) : raw; }
};
TagView tag_view(std::string_view name_addr_value);

// --- Via (§20.42) -------------------------------------------------------------

struct Via {
  std::string protocol_name = "SIP";
  std::string protocol_version = "2.0";
  std::string transport;            ///< "UDP", "TCP", "WS", "WSS", any token (upper-case not enforced)
  std::string host;                 ///< sent-by host; IPv6 keeps its brackets
  std::optional<std::uint16_t> port;
  Params params;

  /// The branch parameter (§8.1.1.7), "" if absent.
  std::string_view branch() const;
  /// `received` (§18.2.1), nullopt if absent.
  std::optional<std::string_view> received() const { return find_param(params, "received"); }
  /// `rport` present, as a flag or with a value (RFC 3581).
  bool has_rport() const { return has_param(params, "rport"); }
  /// `rport=N` value; nullopt for the bare flag, absence or a bad number.
  std::optional<std::uint16_t> rport() const;
  std::optional<std::string_view> param(std::string_view name) const { return find_param(params, name); }
  /// `SIP/2.0/WSS host:port;params`.
  std::string to_string() const;
};

/// One via-parm read in place: views into the header value (valid while it
/// lives), nothing allocated. What transaction matching (§17.1.3, §17.2.3)
/// and the sent-by check (§18.1.2) read; the same grammar and errors as
/// parse_via, which is built on it.
struct ViaView {
  std::string_view protocol_name;
  std::string_view protocol_version;
  std::string_view transport;
  std::string_view host;  ///< IPv6 keeps its brackets
  std::optional<std::uint16_t> port;
  std::string_view params;  ///< `;a=b;c` as written (LWS before it kept), already checked
  std::string_view branch;  ///< the first branch parameter, "" if absent
};
Result<ViaView, ParseError> parse_via_view(std::string_view value);

/// Parse one via-parm. A value holding several comma-separated via-parms
/// (`Via: a, b`) yields the first; use `parse_vias` for all.
Result<Via, ParseError> parse_via(std::string_view value);
/// The `branch` parameter of the first via-parm, read without building a
/// `Via` (the transaction layer matches every response on it, §17.1.3);
/// nullopt when there is none. The rest of the via-parm is not validated.
std::optional<std::string_view> top_via_branch(std::string_view value);
/// Every via-parm of one header value, in order.
Result<std::vector<Via>, ParseError> parse_vias(std::string_view value);

// --- CSeq (§20.16, §8.1.1.5) --------------------------------------------------

struct CSeq {
  std::uint32_t seq = 0;  ///< "MUST be expressible as a 32-bit unsigned integer" (§8.1.1.5)
  std::string method;
  std::string to_string() const { return std::to_string(seq) + " " + method; }
};

/// `1*DIGIT LWS Method`; a number past 2^32-1 is BadCSeq (RFC 4475 "scalar02").
Result<CSeq, ParseError> parse_cseq(std::string_view value);
/// The same without a copy: `method` points into `value`. For the matching
/// done on every received message (transaction keys, the mandatory-header
/// check), which only compares.
struct CSeqView {
  std::uint32_t seq = 0;
  std::string_view method;
};
Result<CSeqView, ParseError> parse_cseq_view(std::string_view value);

// --- Content-Type (§20.15) ---------------------------------------------------

struct MediaType {
  std::string type;     ///< as written, e.g. "application"
  std::string subtype;  ///< e.g. "sdp"
  Params params;        ///< e.g. charset, boundary
  /// Case-insensitive type/subtype match (§7.3.1, RFC 2045).
  bool is(std::string_view type, std::string_view subtype) const;
  std::optional<std::string_view> param(std::string_view name) const { return find_param(params, name); }
  std::string to_string() const;
};

/// `m-type SLASH m-subtype *(SEMI m-parameter)`; errors: BadMediaType.
Result<MediaType, ParseError> parse_media_type(std::string_view value);

}  // namespace wwp::msg
