// Client→server RC call-control commands sent in an out-of-dialog MESSAGE
// while an inbound call rings (spec §7.5), and the server→client messages
// the session waits for (Cmd 7 filtering, Cmd 9 SessionClose).
//
// Every builder takes the RcMessage parsed from the INVITE's `P-rc` header
// and our sipInfo.authorizationId, and returns the new RcMessage:
//
//   Hdr = {SID: <P-rc SID>, Req: <P-rc Req>, From: <P-rc To>,
//          To: <P-rc From>, Cmd: "<code>"}            (From/To swapped)
//   Bdy = {Cln: <authorizationId>, …extra attributes in order}
//
// The caller sends it as the body of
//
//   MESSAGE <message_request_uri(prc)> SIP/2.0
//   To: <<message_request_uri(prc)>>
//   Content-Type: x-rc/agent
//
// e.g. `MESSAGE sip:#996016@sip.ringcentral.com:5060 SIP/2.0` (RC expects the
// raw `#`, §7.5 / §12). If the INVITE had no P-rc the SDK sends nothing; the
// caller does the same and never calls these.
//
// Errors: Remote MissingAttribute (P-rc Hdr has no SID, From or To) /
// UnsafeAddress (its From cannot be a request-URI): refuse the command.
// Local InvalidText / InvalidTarget / InvalidReplyOptions: fix the input.
// In every error case nothing is built, so nothing must be sent.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "core/rc/rc_error.hpp"
#include "core/rc/rc_message.hpp"
#include "core/rc/reply_options.hpp"
#include "core/util/result.hpp"

namespace wwp::rc {

/// Generic builder behind the named ones below: Hdr as above with `cmd`, Bdy
/// = Cln then `extra` (values must already be checked by the caller; names
/// must be XML Names). A missing P-rc `Req` is sent as "" (the SDK would
/// send the text "undefined"; RC itself uses Req="" in server messages).
Result<RcMessage, RcError> build_command(const RcMessage& prc, std::string_view authorization_id, RcCmd cmd,
                                         RcAttributes extra = {});

/// confirmReceive() → Cmd 17 ClientReceiveConfirm, no extra attributes.
Result<RcMessage, RcError> build_confirm_receive(const RcMessage& prc, std::string_view authorization_id);
/// decline() → Cmd 12 ClientReject.
Result<RcMessage, RcError> build_decline(const RcMessage& prc, std::string_view authorization_id);
/// toVoicemail() → Cmd 11 ClientVoicemail.
Result<RcMessage, RcError> build_to_voicemail(const RcMessage& prc, std::string_view authorization_id);
/// forward(target) → Cmd 10 ClientForward, Bdy `FwdDly="0" Phn="<target>"
/// PhnTp="3"`. target: check_target() (non-empty, no CR/LF/NUL/controls);
/// it is XML-escaped, never interpreted.
Result<RcMessage, RcError> build_forward(const RcMessage& prc, std::string_view authorization_id,
                                         std::string_view target);
/// startReply() → Cmd 13 ClientStartReply, no extra attributes.
Result<RcMessage, RcError> build_start_reply(const RcMessage& prc, std::string_view authorization_id);
/// reply(arg) → Cmd 14 ClientReply with reply_bdy(options) after Cln. A
/// ReplyText is checked with check_user_text() again (InvalidText).
Result<RcMessage, RcError> build_reply(const RcMessage& prc, std::string_view authorization_id,
                                       const ReplyOptions& options);

/// Request-URI (and To URI) of our MESSAGE: "sip:" + the P-rc `Hdr From`
/// (= the new Hdr `To`) with `#` left raw, e.g.
/// "sip:#996016@sip.ringcentral.com:5060". `prc` is the INVITE's P-rc, not
/// the built command. Errors (Remote): MissingAttribute (no Hdr.From),
/// UnsafeAddress (empty, or holds whitespace, a control character, `<`,
/// `>` or `"`, which would break the request line or the To header).
Result<std::string, RcError> message_request_uri(const RcMessage& prc);

/// §3.8: an inbound MESSAGE whose Bdy `Cln` differs from our
/// authorizationId is for another instance of the extension (RC sends one
/// Cmd 7 per instance) and is dropped silently. Returns false only in that
/// case; a message without Cln is ours. (The SDK also drops, by throwing,
/// a message with `<Bdy/>`; the UA decides whether to copy that quirk.)
bool is_for_instance(const RcMessage& msg, std::string_view authorization_id);

/// The caller's answer in a SessionClose `Resp`.
enum class CallerResponse : std::uint8_t { Yes = 1, No = 2, Urgent = 3 };

/// Cmd 9 SessionClose, which ends reply() (§7.5.5, §8.3). Absent attributes
/// stay nullopt; values are the raw strings RC sent.
struct SessionClose {
  std::string sid;                     ///< Hdr SID
  std::optional<std::string> sts;      ///< "0": the caller replied
  std::optional<std::string> resp;     ///< "1" yes, "2" no, "3" urgent
  std::optional<std::string> ext_nfo;  ///< callback number for urgent
  std::optional<std::string> phn;      ///< caller number
  std::optional<std::string> nm;       ///< caller name

  bool caller_replied() const { return sts == "0"; }
  /// Resp as a code; nullopt if absent or not "1"/"2"/"3".
  std::optional<CallerResponse> response() const;
};

/// Reads a SessionClose. Errors (Remote): WrongCommand (Cmd is not "9"),
/// MissingAttribute (no Hdr.SID).
Result<SessionClose, RcError> parse_session_close(const RcMessage& msg);

/// True if `msg` is a SessionClose (Cmd 9) whose SID equals `sid` exactly:
/// the event reply() waits for. The MESSAGE's Call-ID is not compared (RC
/// sends it on another Call-ID).
bool is_session_close_for(const RcMessage& msg, std::string_view sid);

}  // namespace wwp::rc
