#include "core/rc/reply_options.hpp"

#include <cmath>

#include "core/rc/rc_text.hpp"

namespace wwp::rc {
namespace {

Err<RcError> invalid(std::string detail) { return err(RcError{RcErrorCode::InvalidReplyOptions, std::move(detail)}); }

std::optional<ReplyDirection> parse_direction(const std::optional<std::string>& d) {
  if (d == "toCaller") return ReplyDirection::ToCaller;
  if (d == "fromCaller") return ReplyDirection::FromCaller;
  return std::nullopt;
}

std::optional<ReplyUnit> parse_unit(const std::optional<std::string>& u) {
  if (u == "minutes") return ReplyUnit::Minutes;
  if (u == "hours") return ReplyUnit::Hours;
  if (u == "days") return ReplyUnit::Days;
  return std::nullopt;
}

std::optional<std::uint32_t> parse_delay(const std::optional<double>& d) {
  if (!d || !std::isfinite(*d) || *d < 0 || *d > 4294967295.0 || std::floor(*d) != *d) return std::nullopt;
  return static_cast<std::uint32_t>(*d);
}

std::string digit(std::uint8_t v) { return std::string(1, static_cast<char>('0' + v)); }

}  // namespace

Result<ReplyOptions, RcError> parse_reply_options(const LooseReplyArgs& a) {
  if (a.text && a.type) return invalid("both text and type given");
  if (a.text) {
    if (auto e = check_user_text("reply text", *a.text)) return err(std::move(*e));
    return ReplyOptions{ReplyText{*a.text}};
  }
  if (!a.type) return invalid("no type");
  const std::string& t = *a.type;
  if (t == "onMyWay") return ReplyOptions{OnMyWay{}};
  if (t == "onOtherLine") return ReplyOptions{OnOtherLine{}};
  if (t == "inAMeeting") return ReplyOptions{InAMeeting{}};
  if (t == "onOtherLineNoCall") return ReplyOptions{OnOtherLineNoCall{}};
  if (t == "callYouBack" || t == "callYouBackLater") {
    const auto dir = parse_direction(a.direction);
    if (!dir) return invalid("direction must be toCaller or fromCaller");
    if (t == "callYouBackLater") return ReplyOptions{CallYouBackLater{*dir}};
    const auto delay = parse_delay(a.delay);
    if (!delay) return invalid("delay must be a non-negative integer");
    const auto unit = parse_unit(a.unit);
    if (!unit) return invalid("unit must be minutes, hours or days");
    return ReplyOptions{CallYouBack{*dir, *delay, *unit}};
  }
  return invalid("unknown type");
}

RcAttributes reply_bdy(const ReplyOptions& options) {
  struct Visitor {
    RcAttributes operator()(const ReplyText& r) const { return {{"RepTp", "0"}, {"Bdy", r.text}}; }
    RcAttributes operator()(const CallYouBack& r) const {
      return {{"RepTp", "1"},
              {"Dir", digit(static_cast<std::uint8_t>(r.direction))},
              {"Vl", std::to_string(r.delay)},
              {"Units", digit(static_cast<std::uint8_t>(r.unit))}};
    }
    RcAttributes operator()(const OnMyWay&) const { return {{"RepTp", "2"}}; }
    RcAttributes operator()(const OnOtherLine&) const { return {{"RepTp", "3"}}; }
    RcAttributes operator()(const CallYouBackLater& r) const {
      return {{"RepTp", "4"}, {"Dir", digit(static_cast<std::uint8_t>(r.direction))}};
    }
    RcAttributes operator()(const InAMeeting&) const { return {{"RepTp", "5"}}; }
    RcAttributes operator()(const OnOtherLineNoCall&) const { return {{"RepTp", "6"}}; }
  };
  return std::visit(Visitor{}, options);
}

}  // namespace wwp::rc
