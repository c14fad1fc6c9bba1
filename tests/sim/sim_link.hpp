// Deterministic in-memory link for the simulator (house style §21): one
// direction of a WebSocket, with latency, jitter (which reorders frames),
// loss and duplication drawn from a seeded RNG, plus a scripted drop hook.
// No clocks: frames carry the virtual time at which they arrive.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/util/rng.hpp"
#include "core/util/time.hpp"

namespace wwp::sim {

struct LinkParams {
  Duration latency = 20;   ///< fixed one-way delay
  Duration jitter = 0;     ///< extra delay in [0, jitter]; frames may overtake each other
  double loss = 0.0;       ///< probability a frame is lost
  double duplicate = 0.0;  ///< probability a frame is delivered twice
};

class Link {
 public:
  Link(LinkParams params, std::uint64_t seed) : params_(params), rng_(seed) {}

  /// Hand a frame to the link at `now`.
  void send(std::string bytes, TimePoint now) {
    ++sent_;
    if (!up_ || (drop_if && drop_if(bytes)) || chance(params_.loss)) {
      ++lost_;
      return;
    }
    const bool twice = chance(params_.duplicate);
    enqueue(bytes, now);
    if (twice) {
      ++duplicated_;
      enqueue(std::move(bytes), now);
    }
  }

  /// Earliest arrival time, or kNever.
  TimePoint next_delivery() const { return queue_.empty() ? kNever : queue_.begin()->first.first; }

  /// Every frame due at `now`, in arrival order (ties keep send order).
  std::vector<std::string> take_due(TimePoint now) {
    std::vector<std::string> out;
    while (!queue_.empty() && queue_.begin()->first.first <= now) {
      out.push_back(std::move(queue_.begin()->second));
      queue_.erase(queue_.begin());
    }
    return out;
  }

  /// A dead link loses everything from now on, including frames in flight.
  void set_up(bool up) {
    up_ = up;
    if (!up) queue_.clear();
  }

  /// Scripted loss: return true to lose this frame.
  std::function<bool(const std::string&)> drop_if;

  int sent() const { return sent_; }
  int lost() const { return lost_; }
  int duplicated() const { return duplicated_; }

 private:
  bool chance(double p) {
    if (p <= 0) return false;
    return static_cast<double>(rng_.next_u64() % 1'000'000) < p * 1'000'000.0;
  }
  void enqueue(std::string bytes, TimePoint now) {
    const Duration extra =
        params_.jitter > 0 ? static_cast<Duration>(rng_.next_u64() % static_cast<std::uint64_t>(params_.jitter + 1)) : 0;
    queue_.emplace(std::make_pair(now + params_.latency + extra, seq_++), std::move(bytes));
  }

  LinkParams params_;
  Rng rng_;
  bool up_ = true;
  std::uint64_t seq_ = 0;
  std::map<std::pair<TimePoint, std::uint64_t>, std::string> queue_;
  int sent_ = 0;
  int lost_ = 0;
  int duplicated_ = 0;
};

}  // namespace wwp::sim
