// RingCentral call control on top of the INVITE session (spec §7.5, §7.12,
// §8): x-rc/agent MESSAGEs built from the INVITE's `P-rc` before answer, and
// JSON INFO commands with their result INFO during the call. XML and JSON are
// built and parsed in core/rc; user text is escaped there.
#include "core/call/call.hpp"
#include "core/msg/header_fields.hpp"
#include "core/rc/commands.hpp"
#include "core/rc/rc_headers.hpp"

namespace wwp::call {

void Call::rc_on_invite(CallContext& ctx, const msg::Message& invite, TimePoint now) {
  if (auto info = invite.get("p-rc-api-call-info")) {
    rc_call_info_ = rc::parse_rc_api_call_info(*info);
    has_rc_call_info_ = true;
  }
  const auto prc = invite.get("P-rc");
  if (!prc) return;
  auto parsed = rc::parse_rc_xml(*prc);
  if (!parsed) return;  // a foreign P-rc: treat the call as a standard one
  prc_ = std::move(*parsed);
  // ringcentral-web-phone confirms every inbound call at once (Cmd 17);
  // without it the server ignores a later toVoicemail() (spec §7.3 step 3).
  if (auto confirm = rc::build_confirm_receive(*prc_, ctx.config.authorization_id)) (void)send_rc(ctx, *confirm, now);
}

Result<std::uint32_t, UaError> Call::send_rc(CallContext& ctx, const rc::RcMessage& message, TimePoint now) {
  auto uri = rc::message_request_uri(*prc_);
  if (!uri) return ua_error(UaErrorCode::InvalidArgument, uri.error().to_string());
  // An out-of-dialog MESSAGE that shares the call's Call-ID, with a fresh
  // From tag, to the RingCentral agent named in P-rc (spec §7.5).
  msg::Message m = msg::Message::request("MESSAGE", *uri);
  m.add("Via", our_via(ctx));
  m.add("Max-Forwards", "70");
  m.add("To", "<" + *uri + ">");
  m.add("From", "<sip:" + ctx.config.username + "@" + ctx.config.domain + ">;tag=" + ctx.rng.token(12));
  m.add("Call-ID", call_id_);
  if (message_cseq_ == 0) message_cseq_ = static_cast<std::uint32_t>(ctx.rng.next_u64() % 9000) + 1;
  m.add("CSeq", std::to_string(message_cseq_++) + " MESSAGE");
  m.add("User-Agent", ctx.config.user_agent);
  m.set_body(message.to_xml(), "x-rc/agent");
  auto txn = ctx.txns.start_client(std::move(m), now);
  if (!txn) return Err<UaError>{txn.error()};
  const std::uint32_t id = next_request_++;
  requests_.emplace_back(*txn, id);
  return id;
}

Result<std::uint32_t, UaError> Call::rc_command(CallContext& ctx, RcCommand command,
                                                const std::string& target,
                                                const rc::LooseReplyArgs& reply, TimePoint now) {
  static constexpr const char* kNames[] = {"confirmReceive", "decline", "toVoicemail",
                                           "forward", "startReply", "reply"};
  const std::string name = kNames[static_cast<int>(command)];
  // Validate the reply first: the original rejects bad options before
  // anything else, with exactly this message.
  std::optional<rc::ReplyOptions> options;
  if (command == RcCommand::Reply) {
    auto parsed = rc::parse_reply_options(reply);
    if (!parsed) return ua_error(UaErrorCode::InvalidArgument, "Invalid reply options");
    options = std::move(*parsed);
  }
  if (outbound_) return ua_error(UaErrorCode::InvalidState, name + ": only for inbound calls");
  if (!prc_)
    return ua_error(UaErrorCode::Unsupported,
                    name + " needs a RingCentral server (the INVITE has no P-rc header)");
  if (state_ != State::Incoming)
    return ua_error(UaErrorCode::InvalidState, name + ": the call is " + to_string(state_) + ", not ringing");
  // Spec §12.4: calls from call queues can only be answered or declined.
  if (rc::is_queue_call(rc_call_info_) && command != RcCommand::Decline && command != RcCommand::Confirm)
    return ua_error(UaErrorCode::InvalidState, name + ": calls from call queues can only be answered or declined");
  const std::string& cln = ctx.config.authorization_id;
  Result<rc::RcMessage, rc::RcError> built = [&]() -> Result<rc::RcMessage, rc::RcError> {
    switch (command) {
      case RcCommand::Confirm: return rc::build_confirm_receive(*prc_, cln);
      case RcCommand::Decline: return rc::build_decline(*prc_, cln);
      case RcCommand::Voicemail: return rc::build_to_voicemail(*prc_, cln);
      case RcCommand::Forward: return rc::build_forward(*prc_, cln, target);
      case RcCommand::StartReply: return rc::build_start_reply(*prc_, cln);
      case RcCommand::Reply: return rc::build_reply(*prc_, cln, *options);
    }
    return rc::build_confirm_receive(*prc_, cln);
  }();
  if (!built) return ua_error(UaErrorCode::InvalidArgument, name + ": " + built.error().to_string());
  return send_rc(ctx, *built, now);
}

Result<std::uint64_t, UaError> Call::rc_info(CallContext& ctx, const std::string& command,
                                             const std::string& target, TimePoint now) {
  const auto cmd = rc::info_command_from_string(command);
  if (!cmd) return ua_error(UaErrorCode::InvalidArgument, "unknown RingCentral command " + command);
  const std::uint64_t reqid = next_reqid_;
  auto body = rc::build_info_request(reqid, *cmd,
                                     *cmd == rc::InfoCommand::CallFlip ? std::optional<std::string_view>(target)
                                                                       : std::nullopt);
  if (!body) return ua_error(UaErrorCode::InvalidArgument, command + ": " + body.error().to_string());
  auto sent = send_request(ctx, "INFO", "application/json;charset=utf-8", *body, now);
  if (!sent) return Err<UaError>{sent.error()};
  ++next_reqid_;
  pending_info_.push_back(PendingInfo{reqid, *cmd, *sent});
  return reqid;
}

bool Call::rc_on_info(CallContext& ctx, const msg::Message& info) {
  if (pending_info_.empty()) return false;
  auto response = rc::parse_info_response(info.body());
  if (!response) return false;  // not one of ours; the app still sees it
  for (auto it = pending_info_.begin(); it != pending_info_.end(); ++it) {
    if (!response->matches(it->reqid, it->command)) continue;
    ctx.events.push_back(RcInfoResult{handle_, response->reqid, response->command, response->result_json, 0, {}});
    pending_info_.erase(it);
    return true;
  }
  return false;
}

void Call::rc_info_refused(CallContext& ctx, std::uint32_t request, const msg::Message& response) {
  // The server answered the command's INFO itself with a failure (a 403 for
  // recording a call the account may not record, a 481 once the call has
  // gone at its end): no result INFO will come, so the command ends now
  // rather than at the app's timeout (RFC 6086 §4.2.2: the INFO's final
  // response is the outcome of the INFO).
  for (auto it = pending_info_.begin(); it != pending_info_.end(); ++it) {
    if (it->request != request) continue;
    ctx.events.push_back(RcInfoResult{handle_, it->reqid, std::string(rc::to_string(it->command)), "",
                                      response.status(), response.start_line()});
    pending_info_.erase(it);
    return;
  }
}

}  // namespace wwp::call
