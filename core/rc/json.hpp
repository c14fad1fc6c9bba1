// The core's one JSON facility: nlohmann::ordered_json with its C library
// calls routed to core/rc/json_libc.hpp, plus the strict, non-throwing parse
// and dump every user of it needs. RingCentral JSON INFO bodies
// (json_commands.cpp) and the UA's exported state (core/ua/snapshot.cpp) both
// go through here, so sip-core.wasm holds one copy of nlohmann's templates.
//
// Always include nlohmann through this header: a translation unit that
// included <nlohmann/json.hpp> directly would compile its number parsing
// against the C library's strtod and snprintf again (~16 KB of wasm; see
// json_libc.hpp).
#pragma once
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/rc/json_libc.hpp"

// nlohmann writes `std::strtod(…)` and `(std::snprintf)(…)`, so object-like
// defines rename the calls and using-declarations put the renamed functions
// in std, as <cstdlib> does with ::strtod. <cstdio> and <cstdlib> come first
// so that the real declarations are not renamed.
namespace std {
using ::wwp_json_snprintf;
using ::wwp_json_strtod;
using ::wwp_json_strtoll;
using ::wwp_json_strtoull;
}  // namespace std
#define snprintf wwp_json_snprintf
#define strtod wwp_json_strtod
#define strtoll wwp_json_strtoll
#define strtoull wwp_json_strtoull
#include <nlohmann/json.hpp>
#undef snprintf
#undef strtod
#undef strtoll
#undef strtoull

namespace wwp::rc {

using Json = nlohmann::ordered_json;

/// Nesting depth of arrays/objects outside strings. nlohmann's parser is
/// iterative, but a bound keeps memory and re-serialisation cost small for
/// hostile input.
std::size_t json_max_depth(std::string_view s);

/// Strict parse (RFC 8259; nothing but whitespace after the value) without
/// exceptions. False for anything that is not JSON; `out` is then unusable.
bool json_parse(std::string_view text, Json& out);

/// Compact text. Never throws (which would abort under JSON_NOEXCEPTION):
/// a string that is not UTF-8 gets U+FFFD instead.
std::string json_dump(const Json& j);

}  // namespace wwp::rc
