// Vocabulary shared by the four RFC 3261 §17 transaction machines (ict, nict,
// ist, nist) and the TransactionLayer that owns them.
//
// Scope: RELIABLE transports only (WebSocket, RFC 7118 §5; RFC 3261 §17 with
// the "reliable" column of Table 4). Consequently:
//   - there are no retransmission timers A, E or G: the transport delivers
//     every message once (RFC 3261 §17.1.1.2, §17.1.2.2, §17.2.1);
//   - Timer B, F and H are 64*T1; Timers D, K, I and J are zero.
// A zero timer is still armed in the TimerTable (at `now`), so the Completed /
// Confirmed states are real states that end at the next `handle_timeout(now)`;
// the driver sees a deadline equal to `now` and ticks at once. That keeps the
// RFC's state diagrams intact and lets a response or request arriving in the
// same instant still be absorbed.
//
// Every machine is sans-IO: inputs carry `now`, outputs come back as a `Step`
// (at most one message to transmit per input, a flag to hand the input to the
// TU, and a failure to report). The machines never see other transactions.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/msg/message.hpp"
#include "core/util/time.hpp"
#include "core/util/timer_table.hpp"

namespace wwp::txn {

/// Timer values (RFC 3261 §17.1.1.1, Table 4). T1 comes from wwp::Config.
struct TxnConfig {
  Duration t1 = 500;  ///< RTT estimate; B, F, H, L and M are 64*T1
  /// How long an IST waits for the TU's first response before sending
  /// 100 Trying itself (RFC 3261 §17.2.1: "unless it knows that the TU will
  /// generate a provisional or final response within 200 ms"). 0 = at once.
  Duration trying_delay = 200;

  Duration timer_64t1() const { return 64 * t1; }
};

/// Handle of one transaction inside a TransactionLayer; never reused.
struct TxnId {
  std::uint64_t value = 0;
  friend bool operator==(TxnId a, TxnId b) { return a.value == b.value; }
  friend bool operator!=(TxnId a, TxnId b) { return a.value != b.value; }
  friend bool operator<(TxnId a, TxnId b) { return a.value < b.value; }
};

/// Every timer any machine arms (names verbatim from RFC 3261 Table 4 and
/// RFC 6026 §8.4/§8.7). `Trying` is the §17.2.1 200 ms 100-Trying timer.
enum class TimerKind : std::size_t { B, D, F, K, H, I, J, L, M, Trying, Count };
using Timers = TimerTable<TimerKind, static_cast<std::size_t>(TimerKind::Count)>;
const char* to_string(TimerKind k);

/// Why a machine tells its TU that the transaction failed (§17.1.1.2 "inform
/// the TU that a timeout has occurred", §17.1.4 / §17.2.4 transport errors).
enum class Failure { None, Timeout, TransportError };

/// The result of one input to a machine.
struct Step {
  std::optional<msg::Message> transmit;  ///< send this (request, ACK or response)
  bool deliver = false;                  ///< hand the input message to the TU
  Failure failure = Failure::None;       ///< the TU must be told
};

}  // namespace wwp::txn
