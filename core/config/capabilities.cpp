// The UA's methods and option tags (capabilities.hpp).
#include "core/config/capabilities.hpp"

#include "core/msg/scan.hpp"

namespace wwp::config {

namespace {

// Whether `word` is an item of a ", "-separated constant list.
bool listed(std::string_view list, std::string_view word, bool any_case) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view item = msg::scan::trim(list.substr(0, comma));
    if (any_case ? msg::scan::iequals(item, word) : item == word) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

bool supports_option(std::string_view tag) { return listed(kSupported, tag, true); }

bool allows_method(std::string_view method) { return listed(kAllow, method, false); }

}  // namespace wwp::config
