// Generic parameters `*( SEMI generic-param )` (RFC 3261 §25.1):
//   generic-param = token [ EQUAL gen-value ]
//   gen-value     = token / host / quoted-string
// used by name-addr header params (tag, expires, q), Via params (branch,
// received, rport), media-type params and any extension header.
//
// Contract: parameter order and name spelling are kept; lookups are
// case-insensitive on the name (§7.3.1: "unless otherwise stated, parameter
// names ... are case-insensitive"). A quoted value is stored unquoted and
// unescaped with `quoted` set, so serialising re-quotes it. Nothing throws.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/msg/parse_error.hpp"
#include "core/util/result.hpp"

namespace wwp::msg {

struct Param {
  std::string name;                  ///< as written
  std::optional<std::string> value;  ///< nullopt for a flag such as `;lr` or `;rport`
  bool quoted = false;               ///< value was a quoted-string (stored unescaped)
};
using Params = std::vector<Param>;

/// One parameter as scan_params reads it. The views are valid during the
/// sink's call only (a quoted value is unescaped into a scratch buffer).
struct ParamView {
  std::string_view name;   ///< as written
  std::string_view value;  ///< as written; a quoted one unquoted and unescaped
  bool has_value = false;  ///< false for a flag such as `;lr`
  bool quoted = false;
};
using ParamSink = void (*)(void* ctx, const ParamView& param);
/// The grammar walk behind parse_params, for readers that want one parameter
/// and no copies (the From/To tag of every in-dialog message): the same
/// checks, each parameter handed to `sink` in order. The error parse_params
/// would return, or nullopt.
std::optional<ParseError> scan_params(std::string_view s, ParamSink sink, void* ctx);
/// Parse `;a=b;c;d="x y"` (leading LWS allowed; empty input → no params).
/// Errors: `BadParam` with the offset in `s` (empty name as in `;;tag=`,
/// unterminated quote, a value that is not token/host/quoted-string).
Result<Params, ParseError> parse_params(std::string_view s);
/// First parameter with that name (case-insensitive): its value, or an empty
/// view for a flag; nullopt if absent.
std::optional<std::string_view> find_param(const Params& ps, std::string_view name);
bool has_param(const Params& ps, std::string_view name);
/// `;name=value` for each, re-quoting quoted values.
std::string params_to_string(const Params& ps);

/// quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE (§25.1). `s[i]`
/// must be the opening quote; on success `out` holds the unescaped text and
/// the return is the index after the closing quote; npos if unterminated.
std::size_t scan_quoted_string(std::string_view s, std::size_t i, std::string& out);
/// Wrap in DQUOTE, escaping `"` and `\`.
std::string quote(std::string_view text);

}  // namespace wwp::msg
