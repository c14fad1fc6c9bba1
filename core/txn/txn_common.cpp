#include "core/txn/txn_common.hpp"

namespace wwp::txn {

const char* to_string(TimerKind k) {
  switch (k) {
    case TimerKind::B: return "Timer B";
    case TimerKind::D: return "Timer D";
    case TimerKind::F: return "Timer F";
    case TimerKind::K: return "Timer K";
    case TimerKind::H: return "Timer H";
    case TimerKind::I: return "Timer I";
    case TimerKind::J: return "Timer J";
    case TimerKind::L: return "Timer L";
    case TimerKind::M: return "Timer M";
    case TimerKind::Trying: return "100 Trying timer";
    case TimerKind::Count: break;
  }
  return "?";
}

}  // namespace wwp::txn
