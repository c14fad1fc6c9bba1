// Errors and limits of core/pres, the presence documents of issue #16: PIDF
// (RFC 3863) with RPID activities (RFC 4480), and dialog-info (RFC 4235).
//
// Every PresError is class (a) of house style §11: a document we received is
// unusable. The caller MUST NOT act on it: keep the state the previous
// document gave (a NOTIFY's body is a snapshot or a delta, and a partial
// dialog-info on top of a lost one would be wrong anyway) and log `message`.
// Nothing in core/pres throws, asserts on input or allocates beyond the limits
// below.
//
// Limits, all checked before or while reading (tests/unit/pres/ tests each):
//  - a document over kMaxPresXmlSize bytes is refused without parsing;
//  - more than kMaxPresEntries tuples or dialogs is refused;
//  - a text over kMaxPresText bytes is refused when it identifies something
//    (entity, ids, Call-ID, tags, URIs, activity and state names: a cut one
//    would silently name another thing) and cut at a UTF-8 character boundary
//    when it is free text for people (notes, display names);
//  - nesting depth needs no limit of its own: pugixml parses without
//    recursion and frees a document page by page, and the readers here only
//    ever look a fixed number of levels down from the root.
#pragma once
#include <cstddef>
#include <string>

namespace wwp::pres {

/// Largest document accepted (a NOTIFY body). Kamailio's aggregated PIDF for
/// a user with several devices is a few KiB; RFC 4235 dialog-info for a busy
/// line stays well under this.
inline constexpr std::size_t kMaxPresXmlSize = 64 * 1024;
/// Longest text kept (see the refuse-or-cut rule above).
inline constexpr std::size_t kMaxPresText = 1024;
/// Most tuples in one PIDF document, most dialogs in one dialog-info.
inline constexpr std::size_t kMaxPresEntries = 64;

struct PresError {
  std::string message;  ///< human-readable: what is wrong, e.g. "root element is <foo>, not <presence>"
};

}  // namespace wwp::pres
