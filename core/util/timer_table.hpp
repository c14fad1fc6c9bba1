// Timers live in a table keyed by an enum (house style §9). A machine owns one
// `TimerTable<Kind, N>`, arms and stops entries, and reports its earliest
// deadline; the driver arms a single real timer for the UA's earliest one.
#pragma once
#include <array>
#include <cstddef>
#include <optional>

#include "core/util/time.hpp"

namespace wwp {

template <class Kind, std::size_t N>
class TimerTable {
 public:
  void set(Kind k, TimePoint at) { slots_[idx(k)] = at; }
  void stop(Kind k) { slots_[idx(k)].reset(); }
  void clear() { slots_.fill(std::nullopt); }
  bool armed(Kind k) const { return slots_[idx(k)].has_value(); }
  /// When `k` is due (kNever when it is not armed).
  TimePoint at(Kind k) const { return slots_[idx(k)].value_or(kNever); }
  /// True (and disarms the timer) when `k` is armed and due at `now`.
  bool take_expired(Kind k, TimePoint now) {
    auto& s = slots_[idx(k)];
    if (!s || *s > now) return false;
    s.reset();
    return true;
  }
  /// Earliest armed deadline, or kNever.
  TimePoint next() const {
    TimePoint best = kNever;
    for (const auto& s : slots_)
      if (s && *s < best) best = *s;
    return best;
  }

 private:
  static std::size_t idx(Kind k) { return static_cast<std::size_t>(k); }
  std::array<std::optional<TimePoint>, N> slots_{};
};

}  // namespace wwp
