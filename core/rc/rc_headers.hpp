// RingCentral header values on INVITEs and 18x responses (spec §5.2, §8.4).
//
//   p-rc-api-ids: party-id=p-33f727da499c463aac3cf8294de576c0-2;session-id=s-33f727da499c463aac3cf8294de576c0
//   p-rc-api-call-info: callAttributes=queue-call,reject;callerIdName=WIRELESS CALLER;queueName=Tyler's call queue
//
// These are header *values*; finding the header (case-insensitively) is the
// caller's job. Nothing here fails: a value that does not fit gives nullopt
// members or fewer pairs, because the SDK's getters return undefined too.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wwp::rc {

/// Telephony ids = Call Control API `telephonySessionId` / `partyId`.
struct RcApiIds {
  std::optional<std::string> party_id;    ///< e.g. "p-33f7…c0-2"
  std::optional<std::string> session_id;  ///< e.g. "s-33f7…c0"
};

/// Parses p-rc-api-ids. Lenient but correct: `;`-separated `key=value`
/// items in any order, whitespace around them ignored, keys compared
/// case-insensitively, first valid item of each key wins. A party-id must
/// look like `p-<id>-<digits>` and a session-id like `s-<id>`, with <id> of
/// ASCII letters/digits (and `-` inside a party id). The SDK's regexes
/// (`party-id=(p-[0-9a-fz]+?-\d);`, `session-id=(s-[0-9a-fz]+?)$`) accept a
/// subset of this: lowercase hex and `z`, a one-digit suffix, party-id not
/// last, session-id last. Values that are not ids are ignored.
RcApiIds parse_rc_api_ids(std::string_view value);

/// p-rc-api-call-info as ordered (key, value) pairs, like the SDK's
/// rcApiCallInfo: split on `;`, trim each item, skip empty items, key =
/// text before the first `=`, value = the rest (may contain `=`; "" if no
/// `=`). A repeated key keeps its first position and takes the last value
/// (Object.fromEntries).
std::vector<std::pair<std::string, std::string>> parse_rc_api_call_info(std::string_view value);

/// Value of `key` in parsed call info (exact, case-sensitive like a JS
/// property), nullopt if absent.
std::optional<std::string_view> call_info_get(const std::vector<std::pair<std::string, std::string>>& info,
                                              std::string_view key);

/// True if `callAttributes` lists `queue-call` (comma-separated, items
/// trimmed). Queue calls can only be answered or rejected (spec §12.4).
bool is_queue_call(const std::vector<std::pair<std::string, std::string>>& info);

}  // namespace wwp::rc
