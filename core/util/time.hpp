// Time in the core is a plain number handed in by the caller (house style §8):
// the core never reads a clock. `TimePoint` is monotonic milliseconds since an
// arbitrary origin chosen by the driver (the JS shim uses performance.now()).
#pragma once
#include <cstdint>
#include <limits>

namespace wwp {

using TimePoint = std::int64_t;  ///< monotonic ms since an arbitrary origin
using Duration = std::int64_t;   ///< milliseconds

/// A deadline that never fires; what `next()` of an empty timer table returns.
inline constexpr TimePoint kNever = std::numeric_limits<TimePoint>::max();

}  // namespace wwp
