#include "core/txn/matching.hpp"

#include <cstring>

#include "core/msg/header_fields.hpp"
#include "core/msg/scan.hpp"

namespace wwp::txn {

bool client_key_into(const msg::Message& m, std::string& key) {
  const auto via_value = m.get(msg::HeaderId::Via);
  const auto cseq_value = m.get(msg::HeaderId::CSeq);
  if (!via_value || !cseq_value) return false;
  // Only the branch matters here (§17.1.3), and every response is matched:
  // read it without building a Via.
  const auto branch = msg::top_via_branch(*via_value);
  const auto cseq = msg::parse_cseq_view(*cseq_value);
  if (!branch || !cseq) return false;
  // Methods are case-sensitive (§7.1); branches are compared as sent, since we
  // generated them ourselves.
  // Sized once and filled by memcpy: at -Oz each append stays a call chain,
  // and this runs for every response received.
  key.resize(branch->size() + 1 + cseq->method.size());
  char* p = key.data();
  std::memcpy(p, branch->data(), branch->size());
  p[branch->size()] = '|';
  std::memcpy(p + branch->size() + 1, cseq->method.data(), cseq->method.size());
  return true;
}

std::optional<std::string> client_key(const msg::Message& m) {
  std::string key;
  if (!client_key_into(m, key)) return std::nullopt;
  return key;
}

std::optional<std::string> server_key(const msg::Message& request, std::string_view as_method) {
  const auto via_value = request.get(msg::HeaderId::Via);
  const auto cseq_value = request.get(msg::HeaderId::CSeq);
  if (!via_value || !cseq_value) return std::nullopt;
  const auto via = msg::parse_via_view(*via_value);
  const auto cseq = msg::parse_cseq_view(*cseq_value);
  if (!via || !cseq) return std::nullopt;
  std::string_view method = as_method.empty() ? request.method() : as_method;
  if (method == "ACK") method = "INVITE";
  const std::string_view branch = via->branch;
  // Every received request is keyed: one string, sized once and filled in
  // place (each `+` of temporaries was an allocation, each append or
  // push_back a call chain at -Oz).
  std::string key;
  if (branch.substr(0, kMagicCookie.size()) == kMagicCookie) {
    // "the branch parameter in the request is equal to the one in the top Via
    // header field of the request that created the transaction, the sent-by
    // value in the top Via of the request is equal to the one in the request
    // that created the transaction, and the method of the request matches".
    char digits[24];
    const std::string_view port = msg::scan::decimal(via->port.value_or(0), digits);
    static constexpr std::string_view kTag = "3261|";
    const std::string_view host = via->host;
    key.resize(kTag.size() + branch.size() + 1 + host.size() + 1 + port.size() + 1 + method.size());
    char* p = key.data();
    auto put = [&p](std::string_view v) {
      std::memcpy(p, v.data(), v.size());
      p += v.size();
    };
    put(kTag);
    put(branch);
    *p++ = '|';
    for (char c : host) *p++ = c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;  // ASCII, as tolower in "C"
    *p++ = ':';
    put(port);
    *p++ = '|';
    put(method);
    return key;
  }
  // RFC 2543 peers (no magic cookie).
  const auto from = request.get(msg::HeaderId::From);
  const auto call_id = request.get(msg::HeaderId::CallId);
  key = "2543|";
  key += request.request_uri();
  key += '|';
  if (from) key += msg::tag_of(*from).value_or("");
  key += '|';
  key += call_id.value_or("");
  key += '|';
  key += std::to_string(cseq->seq);
  key += '|';
  key += msg::parse_via(*via_value)->to_string();  // parsed once already: cannot fail
  key += '|';
  key += method;
  return key;
}

}  // namespace wwp::txn
