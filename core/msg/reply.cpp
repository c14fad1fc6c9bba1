#include "core/msg/reply.hpp"

#include "core/msg/header_fields.hpp"

namespace wwp::msg {

Message make_reply(const Message& request, int status, std::string_view to_tag,
                     std::string_view reason) {
  // §8.2.6.2: From, Call-ID, CSeq and every Via (in order) are copied; To is
  // copied and gains our tag. The parser classified each name, so this is an
  // integer compare per line.
  Message r = Message::response(status, reason);
  for (const auto& f : request.fields()) {
    const auto h = request.view(f.name);
    const auto v = request.view(f.value);
    switch (f.id) {
      case HeaderId::Via:
      case HeaderId::From:
      case HeaderId::CallId:
      case HeaderId::CSeq:
        r.add(h, v);
        break;
      case HeaderId::To:
        if (!to_tag.empty() && status != 100 && !tag_of(v)) {
          std::string to(v);
          to += ";tag=";
          to += to_tag;
          r.add(h, to);
        } else {
          r.add(h, v);
        }
        break;
      default:
        break;
    }
  }
  r.set_body({});
  return r;
}

}  // namespace wwp::msg
