#include "core/dialog/replaces.hpp"

#include "core/msg/params.hpp"
#include "core/msg/scan.hpp"

namespace wwp::dialog {

std::optional<ReplacesTarget> parse_replaces(std::string_view value) {
  const auto semi = value.find(';');
  if (semi == std::string_view::npos) return std::nullopt;
  const std::string_view call_id = msg::scan::trim(value.substr(0, semi));
  // callid = word [ "@" word ] (RFC 3261 §25.1): no whitespace inside.
  if (call_id.empty() || call_id.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  auto params = msg::parse_params(value.substr(semi));
  if (!params) return std::nullopt;
  const auto to_tag = msg::find_param(*params, "to-tag");
  const auto from_tag = msg::find_param(*params, "from-tag");
  if (!to_tag || !from_tag || to_tag->empty() || from_tag->empty()) return std::nullopt;
  ReplacesTarget t;
  t.id = DialogId{std::string(call_id), std::string(*to_tag), std::string(*from_tag)};
  t.early_only = msg::has_param(*params, "early-only");
  return t;
}

}  // namespace wwp::dialog
