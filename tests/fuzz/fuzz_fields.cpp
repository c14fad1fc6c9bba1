// libFuzzer differential target: the fields the UA reads from a message, read
// three ways must agree (issue #18 item 2).
//
//  A. from the zero-copy view (`parse_view_into`, what Ua::handle_received
//     uses), values unfolded as §7.3.1 allows;
//  B. from the owning `Message` that `parse()` builds;
//  C. from `parse(B.to_string())`: serialised and parsed again.
//
// "Fields" are what the transaction, dialog and call layers act on: start
// line, Request-URI, Call-ID, CSeq, every Via, From/To with tags, Contact,
// Route, Record-Route, Max-Forwards, Content-Type, Content-Length and body.
// The fast readers the UA uses on the hot path are checked against the full
// parsers on the same values: `top_via_branch` vs `parse_via`,
// `parse_cseq_view` vs `parse_cseq`, `tag_of` and `tag_view` (the dialog
// layer's copy-free read) vs `parse_name_addr`.
// fuzz_message checks whole-message equality; this checks meaning.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/msg/header_fields.hpp"
#include "core/msg/parser.hpp"
#include "core/msg/uri.hpp"

using namespace wwp::msg;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

/// Raw values of one header name, in wire order, unfolded; lists unsplit.
using Values = std::vector<std::string>;

Values values_of(const MessageView& v, std::string_view name) {
  Values out;
  for (const HeaderView& h : v.headers)
    if (header_name_equals(h.name, name)) out.push_back(h.folded ? unfold(h.value) : std::string(h.value));
  return out;
}

Values values_of(const Message& m, std::string_view name) {
  Values out;
  for (const HeaderRef h : m.headers())
    if (header_name_equals(h.name, name)) out.emplace_back(h.value);
  return out;
}

void put(std::string& s, std::string_view label, std::string_view value) {
  s += label;
  s += '=';
  s += std::to_string(value.size());  // length-prefixed: no separator ambiguity
  s += ':';
  s += value;
  s += '\n';
}

void put_params(std::string& s, const Params& ps) {
  for (const Param& p : ps) put(s, p.quoted ? "qparam" : "param", p.value ? p.name + "=" + *p.value : p.name);
}

void put_uri(std::string& s, std::string_view text) {
  auto u = parse_uri(text);
  if (!u) return put(s, "uri-error", to_string(u.error().code));
  put(s, "uri", u->to_string());
  put(s, "user", u->user_decoded());
  put(s, "host", u->host);
  put(s, "port", u->port ? std::to_string(*u->port) : "-");
}

void put_name_addr(std::string& s, std::string_view label, std::string_view value) {
  auto na = parse_name_addr(value);
  // tag_of is the dialog layer's fast read of the same value (§19.3).
  const auto fast_tag = tag_of(value);
  const TagView view = tag_view(value);
  check(view.parsed == static_cast<bool>(na));
  if (!na) {
    check(!fast_tag);
    return put(s, label, "error");
  }
  const auto tag = na->tag();
  check(fast_tag.has_value() == (tag && !tag->empty()));
  if (fast_tag) check(*fast_tag == *tag);
  check(view.tag() == tag.value_or(""));
  put(s, label, na->display_name.value_or("(none)"));
  put_uri(s, na->uri);
  put_params(s, na->params);
}

void put_list(std::string& s, std::string_view label, const Values& vs) {
  for (const std::string& v : vs)
    for (std::string_view e : split_list(v)) put_name_addr(s, label, e);
}

template <class M>
std::string fields(const M& m, std::string_view method, std::string_view ruri, int status,
                   std::string_view body) {
  std::string s;
  put(s, "status", std::to_string(status));
  put(s, "method", method);
  if (status == 0) put_uri(s, ruri);

  for (const std::string& v : values_of(m, "Via")) {
    auto vias = parse_vias(v);
    const auto fast_branch = top_via_branch(v);
    // Matching reads the top via-parm in place (parse_via_view): it must
    // agree with the building parser on every value.
    const auto view = parse_via_view(v);
    const auto top = parse_via(v);
    check(view.ok() == top.ok());
    if (view && top)
      check(view->host == top->host && view->port == top->port && view->transport == top->transport &&
            view->branch == top->branch());
    if (!vias) {
      put(s, "via", "error");
      continue;
    }
    // The transaction layer matches responses on the top branch read fast (§17.1.3).
    if (fast_branch) check(!vias->empty() && *fast_branch == (*vias)[0].branch());
    for (const Via& via : *vias) {
      put(s, "via", via.transport + " " + via.host);
      put(s, "via-port", via.port ? std::to_string(*via.port) : "-");
      put_params(s, via.params);
    }
  }
  for (const std::string& v : values_of(m, "CSeq")) {
    auto full = parse_cseq(v);
    auto fast = parse_cseq_view(v);
    check(full.ok() == fast.ok());
    if (!full) {
      put(s, "cseq", "error");
      continue;
    }
    check(full->seq == fast->seq && full->method == fast->method);
    put(s, "cseq", full->to_string());
  }
  for (const std::string& v : values_of(m, "Call-ID")) put(s, "call-id", v);
  for (const std::string& v : values_of(m, "Max-Forwards")) put(s, "max-forwards", v);
  for (const std::string& v : values_of(m, "From")) put_name_addr(s, "from", v);
  for (const std::string& v : values_of(m, "To")) put_name_addr(s, "to", v);
  put_list(s, "contact", values_of(m, "Contact"));
  put_list(s, "route", values_of(m, "Route"));
  put_list(s, "record-route", values_of(m, "Record-Route"));
  for (const std::string& v : values_of(m, "Content-Type")) {
    auto mt = parse_media_type(v);
    if (!mt) {
      put(s, "content-type", "error");
      continue;
    }
    put(s, "content-type", mt->type + "/" + mt->subtype);
    put_params(s, mt->params);
  }
  put(s, "body", body);
  return s;
}

std::string fields_of(const MessageView& v) {
  return fields(v, v.method, v.request_uri, v.status, v.body);
}

std::string fields_of(const Message& m) {
  return fields(m, m.method(), m.request_uri(), m.status(), m.body());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  MessageView view;
  if (!parse_view_into(in, view)) return 0;
  const std::string a = fields_of(view);

  auto m = parse(in);
  check(m.ok());
  const std::string b = fields_of(*m);
  check(a == b);

  // Serialising may add a CR per LF-only line and a SP per header, so the
  // re-parse gets doubled limits (as fuzz_message does).
  ParseLimits wide;
  wide.max_message_size *= 2;
  wide.max_line_length *= 2;
  wide.max_headers *= 2;
  auto again = parse(m->to_string(), wide);
  check(again.ok());
  check(fields_of(*again) == b);
  return 0;
}
