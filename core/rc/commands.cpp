#include "core/rc/commands.hpp"

#include "core/rc/rc_text.hpp"

namespace wwp::rc {
namespace {

Err<RcError> missing(std::string_view what) { return err(RcError{RcErrorCode::MissingAttribute, std::string(what)}); }

}  // namespace

Result<RcMessage, RcError> build_command(const RcMessage& prc, std::string_view authorization_id, RcCmd cmd,
                                         RcAttributes extra) {
  const auto sid = prc.sid();
  const auto from = prc.hdr_attr("From");
  const auto to = prc.hdr_attr("To");
  if (!sid) return missing("Hdr.SID");
  if (!from) return missing("Hdr.From");
  if (!to) return missing("Hdr.To");
  if (auto e = check_user_text("authorizationId", authorization_id)) return err(std::move(*e));

  RcMessage out;
  out.hdr = {{"SID", std::string(*sid)},
             {"Req", std::string(prc.hdr_attr("Req").value_or(""))},
             {"From", std::string(*to)},  // §7.5: From/To swapped
             {"To", std::string(*from)},
             {"Cmd", std::to_string(static_cast<int>(cmd))}};
  out.bdy.reserve(extra.size() + 1);
  out.bdy.emplace_back("Cln", std::string(authorization_id));
  for (auto& a : extra) out.bdy.push_back(std::move(a));
  return out;
}

Result<RcMessage, RcError> build_confirm_receive(const RcMessage& prc, std::string_view id) {
  return build_command(prc, id, RcCmd::ClientReceiveConfirm);
}
Result<RcMessage, RcError> build_decline(const RcMessage& prc, std::string_view id) {
  return build_command(prc, id, RcCmd::ClientReject);
}
Result<RcMessage, RcError> build_to_voicemail(const RcMessage& prc, std::string_view id) {
  return build_command(prc, id, RcCmd::ClientVoicemail);
}
Result<RcMessage, RcError> build_start_reply(const RcMessage& prc, std::string_view id) {
  return build_command(prc, id, RcCmd::ClientStartReply);
}

Result<RcMessage, RcError> build_forward(const RcMessage& prc, std::string_view id, std::string_view target) {
  if (auto e = check_target("forward target", target)) return err(std::move(*e));
  return build_command(prc, id, RcCmd::ClientForward, {{"FwdDly", "0"}, {"Phn", std::string(target)}, {"PhnTp", "3"}});
}

Result<RcMessage, RcError> build_reply(const RcMessage& prc, std::string_view id, const ReplyOptions& options) {
  if (const auto* t = std::get_if<ReplyText>(&options)) {
    if (auto e = check_user_text("reply text", t->text)) return err(std::move(*e));
  }
  return build_command(prc, id, RcCmd::ClientReply, reply_bdy(options));
}

Result<std::string, RcError> message_request_uri(const RcMessage& prc) {
  const auto agent = prc.hdr_attr("From");
  if (!agent) return missing("Hdr.From");
  if (agent->empty()) return err(RcError{RcErrorCode::UnsafeAddress, "empty Hdr.From"});
  for (char ch : *agent) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"')
      return err(RcError{RcErrorCode::UnsafeAddress, "Hdr.From holds whitespace, a control character or <>\""});
  }
  // `#` stays raw: RC expects `MESSAGE sip:#996016@…` (spec §7.5, §12).
  return "sip:" + std::string(*agent);
}

bool is_for_instance(const RcMessage& msg, std::string_view authorization_id) {
  const auto cln = msg.bdy_attr("Cln");
  return !cln || *cln == authorization_id;
}

std::optional<CallerResponse> SessionClose::response() const {
  if (resp == "1") return CallerResponse::Yes;
  if (resp == "2") return CallerResponse::No;
  if (resp == "3") return CallerResponse::Urgent;
  return std::nullopt;
}

Result<SessionClose, RcError> parse_session_close(const RcMessage& msg) {
  if (msg.cmd() != RcCmd::SessionClose)
    return err(RcError{RcErrorCode::WrongCommand, std::string(msg.hdr_attr("Cmd").value_or("(none)"))});
  const auto sid = msg.sid();
  if (!sid) return missing("Hdr.SID");
  auto opt = [&](std::string_view name) -> std::optional<std::string> {
    if (auto v = msg.bdy_attr(name)) return std::string(*v);
    return std::nullopt;
  };
  return SessionClose{std::string(*sid), opt("Sts"), opt("Resp"), opt("ExtNfo"), opt("Phn"), opt("Nm")};
}

bool is_session_close_for(const RcMessage& msg, std::string_view sid) {
  return msg.cmd() == RcCmd::SessionClose && msg.sid() == sid;
}

}  // namespace wwp::rc
