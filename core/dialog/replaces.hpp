// The Replaces header (RFC 3891): an INVITE that asks to take the place of
// one of our dialogs — the last step of an attended transfer (RFC 5589 §7)
// or a call pickup. This file only reads the header; what may be replaced is
// decided by the UA (Ua::check_replaces), which knows the calls.
#pragma once
#include <optional>
#include <string_view>

#include "core/dialog/dialog.hpp"

namespace wwp::dialog {

struct ReplacesTarget {
  /// The dialog to replace, as the receiver of the INVITE sees it: §3 matches
  /// `to-tag` against the local tag and `from-tag` against the remote tag.
  DialogId id;
  bool early_only = false;  ///< `early-only`: refuse if it is already confirmed (486)
};

/// `callid *(SEMI replaces-param)` with `to-tag` and `from-tag` both present
/// (RFC 3891 §6.1); nullopt for anything else (the UA answers 400).
std::optional<ReplacesTarget> parse_replaces(std::string_view value);

}  // namespace wwp::dialog
