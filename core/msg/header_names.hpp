// Header-name knowledge of the message layer: compact forms (RFC 3261
// §7.3.3 plus registered extensions), the headers whose values are
// comma-separated lists (§7.3.1), and a small `HeaderId` the view parser
// assigns while scanning so hot-path lookups compare one integer instead of
// strings. `header_name_equals`, `expand_compact_name` and `default_reason`
// are declared in message.hpp.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace wwp::msg {

/// Headers the core looks up on every message. Everything else is `Other`
/// (still findable by name).
enum class HeaderId : std::uint8_t {
  Other,
  Via,
  From,
  To,
  CallId,
  CSeq,
  ContentLength,
  ContentType,
  Contact,
  MaxForwards,
  Route,
  RecordRoute,
};

/// The long lowercase name of each HeaderId, indexed by its value ("" for
/// Other), so code outside the core (the JS message objects) can map a name
/// to the id the parser assigned without a second table.
const std::string_view* header_id_names();
constexpr std::size_t kHeaderIdCount = 12;

/// The id of a header name, long or compact, any case ("i" and "CALL-ID"
/// are both `CallId`). Never allocates.
HeaderId classify_header(std::string_view name);

/// True if the header's grammar is `#element`, so one line may carry several
/// comma-separated values that `Message::get_all` splits (RFC 3261 §7.3.1:
/// "it MUST be possible to combine the multiple header field rows into one
/// ... separated by a comma"). Authorization-style headers are NOT lists even
/// though their values contain commas.
bool is_list_header(std::string_view name);

}  // namespace wwp::msg
