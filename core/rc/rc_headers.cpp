#include "core/rc/rc_headers.hpp"

namespace wwp::rc {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// s-<alnum>+
bool is_session_id(std::string_view v) {
  if (v.size() < 3 || v.substr(0, 2) != "s-") return false;
  for (char c : v.substr(2)) {
    if (!is_alnum(c)) return false;
  }
  return true;
}

// p-<alnum or '-'>+-<digits>, the middle starting with an alnum.
bool is_party_id(std::string_view v) {
  if (v.size() < 5 || v.substr(0, 2) != "p-") return false;
  const auto dash = v.rfind('-');
  if (dash <= 2 || dash + 1 == v.size()) return false;
  for (char c : v.substr(dash + 1)) {
    if (c < '0' || c > '9') return false;
  }
  const auto mid = v.substr(2, dash - 2);
  if (!is_alnum(mid.front()) || !is_alnum(mid.back())) return false;
  for (char c : mid) {
    if (!is_alnum(c) && c != '-') return false;
  }
  return true;
}

template <class F>
void for_each_item(std::string_view value, F&& f) {
  while (true) {
    const auto semi = value.find(';');
    const auto item = trim(value.substr(0, semi));
    if (!item.empty()) f(item);
    if (semi == std::string_view::npos) break;
    value.remove_prefix(semi + 1);
  }
}

}  // namespace

RcApiIds parse_rc_api_ids(std::string_view value) {
  RcApiIds out;
  for_each_item(value, [&](std::string_view item) {
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) return;
    const auto key = trim(item.substr(0, eq));
    const auto v = trim(item.substr(eq + 1));
    if (iequals(key, "party-id") && !out.party_id && is_party_id(v)) out.party_id = std::string(v);
    if (iequals(key, "session-id") && !out.session_id && is_session_id(v)) out.session_id = std::string(v);
  });
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_rc_api_call_info(std::string_view value) {
  std::vector<std::pair<std::string, std::string>> out;
  for_each_item(value, [&](std::string_view item) {
    const auto eq = item.find('=');
    std::string key(item.substr(0, eq));
    std::string v(eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1));
    for (auto& [k, old] : out) {
      if (k == key) {
        old = std::move(v);
        return;
      }
    }
    out.emplace_back(std::move(key), std::move(v));
  });
  return out;
}

std::optional<std::string_view> call_info_get(const std::vector<std::pair<std::string, std::string>>& info,
                                              std::string_view key) {
  for (const auto& [k, v] : info) {
    if (k == key) return std::string_view(v);
  }
  return std::nullopt;
}

bool is_queue_call(const std::vector<std::pair<std::string, std::string>>& info) {
  auto attrs = call_info_get(info, "callAttributes");
  if (!attrs) return false;
  std::string_view rest = *attrs;
  while (true) {
    const auto comma = rest.find(',');
    if (trim(rest.substr(0, comma)) == "queue-call") return true;
    if (comma == std::string_view::npos) return false;
    rest.remove_prefix(comma + 1);
  }
}

}  // namespace wwp::rc
