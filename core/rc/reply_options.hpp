// ReplyOptions: the argument of InboundCallSession.reply() (spec §2.6,
// §7.5.5), as a C++ variant mirroring the TypeScript union
//
//   string text
//   | {type:"callYouBack"; direction:"toCaller"|"fromCaller"; delay:number;
//      unit:"minutes"|"hours"|"days"}
//   | {type:"callYouBackLater"; direction}
//   | {type:"onMyWay"|"onOtherLine"|"inAMeeting"|"onOtherLineNoCall"}
//
// and its mapping to the ClientReply (Cmd 14) Bdy attributes that follow
// `Cln` (reply_bdy()):
//
//   text               RepTp="0" Bdy="<text>"
//   callYouBack        RepTp="1" Dir="<0 toCaller|1 fromCaller>" Vl="<delay>"
//                                Units="<0 minutes|1 hours|2 days>"
//   onMyWay            RepTp="2"
//   onOtherLine        RepTp="3"
//   callYouBackLater   RepTp="4" Dir="…"
//   inAMeeting         RepTp="5"
//   onOtherLineNoCall  RepTp="6"
//
// The wasm binding hands over loosely-typed JS values; parse_reply_options()
// turns them into a ReplyOptions or the SDK's "Invalid reply options" error
// (RcErrorCode::InvalidReplyOptions), which the shim must raise before
// anything is sent.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/rc/rc_error.hpp"
#include "core/rc/rc_message.hpp"
#include "core/util/result.hpp"

namespace wwp::rc {

enum class ReplyDirection : std::uint8_t { ToCaller = 0, FromCaller = 1 };
enum class ReplyUnit : std::uint8_t { Minutes = 0, Hours = 1, Days = 2 };

struct ReplyText {          ///< reply("…"): RepTp 0, spoken to the caller by TTS
  std::string text;
};
struct CallYouBack {        ///< RepTp 1: "I will call you back in <delay> <unit>"
  ReplyDirection direction;
  std::uint32_t delay;
  ReplyUnit unit;
};
struct OnMyWay {};          ///< RepTp 2
struct OnOtherLine {};      ///< RepTp 3
struct CallYouBackLater {   ///< RepTp 4
  ReplyDirection direction;
};
struct InAMeeting {};       ///< RepTp 5
struct OnOtherLineNoCall {};  ///< RepTp 6

using ReplyOptions =
    std::variant<ReplyText, CallYouBack, OnMyWay, OnOtherLine, CallYouBackLater, InAMeeting, OnOtherLineNoCall>;

/// Loosely-typed reply() argument as the binding sees it. A string argument
/// sets `text` and leaves `type` empty; an object sets `type` and whichever
/// of the other members are present. `delay` carries a JS number only
/// (`typeof delay === "number"`); anything else is passed as nullopt.
struct LooseReplyArgs {
  std::optional<std::string> text;       ///< reply("…")
  std::optional<std::string> type;       ///< arg.type
  std::optional<std::string> direction;  ///< arg.direction
  std::optional<double> delay;           ///< arg.delay (JS number)
  std::optional<std::string> unit;       ///< arg.unit
};

/// Validates a reply() argument. Errors (all Local, nothing must be sent):
///  - InvalidReplyOptions: neither text nor type, both, an unknown type, a
///    missing or unknown direction/unit where the type needs one, a delay
///    that is missing, not finite, negative, fractional or above 2^32-1.
///    Members a type does not use are ignored (as in the SDK).
///  - InvalidText: the reply text holds CR/LF/NUL/control chars or bad UTF-8.
Result<ReplyOptions, RcError> parse_reply_options(const LooseReplyArgs& args);

/// The Bdy attributes of a ClientReply after `Cln`, per the table above.
/// Does not validate text (build_reply() does).
RcAttributes reply_bdy(const ReplyOptions& options);

}  // namespace wwp::rc
