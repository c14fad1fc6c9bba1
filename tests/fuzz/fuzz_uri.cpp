// libFuzzer target: URI and header-field parsers (core/msg/uri.hpp,
// header_fields.hpp, params.hpp). Any bytes give a value or a ParseError;
// whatever parses serialises to text that parses back to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/msg/header_fields.hpp"
#include "core/msg/uri.hpp"

using namespace wwp::msg;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

bool same_params(const Params& a, const Params& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].name != b[i].name || a[i].value != b[i].value || a[i].quoted != b[i].quoted) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  if (auto u = parse_uri(in); u.ok()) {
    const std::string s = u->to_string();
    auto again = parse_uri(s);
    check(again.ok());
    check(again->to_string() == s);
    check(uri_equals(*u, *again));
    check(uri_equals(*u, *u));
    (void)u->user_decoded();
    (void)u->password_decoded();
  } else {
    (void)to_string(u.error());
  }

  if (auto na = parse_name_addr(in); na.ok()) {
    auto again = parse_name_addr(na->to_string());
    check(again.ok());
    check(again->display_name == na->display_name);
    check(again->uri == na->uri);
    check(same_params(again->params, na->params));
    (void)parse_uri(na->uri);
  }
  (void)tag_of(in);

  if (auto vs = parse_vias(in); vs.ok()) {
    for (const Via& v : *vs) {
      auto again = parse_via(v.to_string());
      check(again.ok());
      check(again->host == v.host && again->port == v.port && again->transport == v.transport);
      check(same_params(again->params, v.params));
      (void)v.rport();
    }
  }
  (void)parse_via(in);

  if (auto c = parse_cseq(in); c.ok()) {
    auto again = parse_cseq(c->to_string());
    check(again.ok() && again->seq == c->seq && again->method == c->method);
  }
  if (auto mt = parse_media_type(in); mt.ok()) {
    auto again = parse_media_type(mt->to_string());
    check(again.ok() && again->type == mt->type && again->subtype == mt->subtype);
    check(same_params(again->params, mt->params));
  }
  if (auto ps = parse_params(in); ps.ok()) {
    auto again = parse_params(params_to_string(*ps));
    check(again.ok() && same_params(*again, *ps));
  }
  return 0;
}
