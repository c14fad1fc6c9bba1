#include "core/rc/json.hpp"

#include <algorithm>

namespace wwp::rc {

std::size_t json_max_depth(std::string_view s) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') deepest = std::max(deepest, ++depth);
    else if ((c == '}' || c == ']') && depth > 0) --depth;
  }
  return deepest;
}

bool json_parse(std::string_view text, Json& out) {
  // What Json::parse(first, last, nullptr, false) does when it has no
  // callback: nlohmann's DOM builder driven through the SAX interface, in
  // strict mode. parse() itself also compiles its callback-filtering builder
  // and the std::function it takes, ~3 KB of sip-core.wasm for a callback we
  // never pass.
  nlohmann::detail::json_sax_dom_parser<Json> builder(out, /*allow_exceptions=*/false);
  return Json::sax_parse(text.begin(), text.end(), &builder);
}

std::string json_dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace wwp::rc
