// SIP, SIPS and tel URIs (RFC 3261 §19.1, §25.1; RFC 3966).
//
// Contract:
//  - `parse_uri` accepts `sip:`, `sips:` (scheme case-insensitive) and
//    `tel:`. Any other well-formed `scheme:` gives `UnsupportedScheme` (a UAS
//    answers 416, RFC 4475 "unkscm"/"novelsc"); malformed input gives `BadUri`.
//  - Fields keep the text as written (escapes included) so `to_string()`
//    reproduces the input byte for byte; `*_decoded()` accessors undo
//    %-escapes (§19.1.2 "escaped" characters). A decoded user may contain
//    NUL (RFC 4475 "escnull").
//  - `uri_equals` implements the §19.1.4 comparison rules.
//  - Nothing throws.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/msg/parse_error.hpp"
#include "core/util/result.hpp"

namespace wwp::msg {

enum class UriScheme { Sip, Sips, Tel };

struct UriParam {
  std::string name;                  ///< raw, as written
  std::optional<std::string> value;  ///< raw; nullopt for a flag (`;lr`)
};
struct UriHeader {
  std::string name;   ///< raw
  std::string value;  ///< raw (may be empty)
};

struct Uri {
  UriScheme scheme = UriScheme::Sip;
  /// sip/sips: the user part (raw, may be empty); tel: the telephone number.
  std::string user;
  std::optional<std::string> password;  ///< raw; sip/sips only
  std::string host;                     ///< sip/sips; IPv6 keeps its brackets; empty for tel
  std::optional<std::uint16_t> port;
  std::vector<UriParam> params;         ///< order kept
  std::vector<UriHeader> headers;       ///< `?h=v&...`, sip/sips only

  std::string user_decoded() const;
  std::optional<std::string> password_decoded() const;
  /// Raw value of the first parameter with that name (case-insensitive);
  /// empty view for a flag; nullopt if absent.
  std::optional<std::string_view> param(std::string_view name) const;
  bool has_param(std::string_view name) const { return param(name).has_value(); }
  /// "sip", "sips" or "tel".
  std::string_view scheme_name() const;
  /// Serialise from the raw parts (round-trips parse_uri input whose scheme
  /// is lower-case).
  std::string to_string() const;
};

/// Parse one URI (no surrounding <> or whitespace).
Result<Uri, ParseError> parse_uri(std::string_view text);

/// RFC 3261 §19.1.4 equality: scheme, user and password case-sensitive after
/// unescaping, host case-insensitive, port compared literally (absent ≠ 5060),
/// user/ttl/method/maddr/transport params must agree when either has them
/// (transport per the §19.1.4 examples), other params compared only when
/// both have them, headers all compared. tel: numbers compared without
/// visual separators (RFC 3966 §4).
bool uri_equals(const Uri& a, const Uri& b);

/// Undo %HH escapes; an invalid escape is copied through unchanged.
std::string percent_decode(std::string_view s);

}  // namespace wwp::msg
