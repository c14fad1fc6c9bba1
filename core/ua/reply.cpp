#include "core/ua/reply.hpp"

#include "core/msg/header_fields.hpp"

namespace wwp::ua {

msg::Message make_reply(const msg::Message& request, int status, std::string_view to_tag,
                        std::string_view reason) {
  msg::Message r = msg::Message::response(status, std::string(reason));
  for (const auto& h : request.headers()) {
    if (msg::header_name_equals(h.name, "Via") || msg::header_name_equals(h.name, "From") ||
        msg::header_name_equals(h.name, "Call-ID") || msg::header_name_equals(h.name, "CSeq")) {
      r.add(h.name, h.value);
    } else if (msg::header_name_equals(h.name, "To")) {
      std::string to = h.value;
      if (!to_tag.empty() && status != 100 && !msg::tag_of(to)) to += ";tag=" + std::string(to_tag);
      r.add(h.name, std::move(to));
    }
  }
  r.set_body({});
  return r;
}

}  // namespace wwp::ua
