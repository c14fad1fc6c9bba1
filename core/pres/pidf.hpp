// PIDF, the Presence Information Data Format (RFC 3863), with the person
// activities of RPID (RFC 4480): the body of a NOTIFY for the `presence`
// event package (RFC 3856) and of our own PUBLISH (RFC 3903).
//
//   <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:101@example.com">
//     <tuple id="t1"><status><basic>open</basic></status><note>In</note></tuple>
//     <dm:person id="p1"><rpid:activities><rpid:away/></rpid:activities>
//       <dm:note>Back at 3</dm:note></dm:person>
//   </presence>
//
// Reading contract (parse_pidf). Remote input: nothing is fatal, errors are
// PresError values (pres_error.hpp says what the caller must do, and which
// limits apply). Elements are matched by local name whatever their prefix
// (pres_xml.hpp says why); texts are trimmed of XML white space; comments,
// PIs and CDATA sections read as XML says (CDATA is text).
//  - Refused: the document-level faults of pres_error.hpp / load_root (not
//    XML, too big, DOCTYPE, invalid UTF-8…), a root other than `presence`, no
//    `entity` attribute (RFC 3863 §4.1.1: required), a tuple without `id`
//    (§4.1.2: required), more than kMaxPresEntries tuples, an identifier
//    (entity, tuple id, contact, activity name) over kMaxPresText bytes.
//  - Tolerated: a tuple without `status` or `basic`, or with a `basic` other
//    than open/closed, is closed (§4.1.4 allows only the two values; a
//    reader that cannot tell is safer showing "closed"). Notes over
//    kMaxPresText bytes are cut. Elements we do not read are ignored
//    (§4.1.1: extensions MUST be ignored when not understood).
//  - Which note: a person's (RFC 4479 §3.3) first non-empty `note`, else the
//    first non-empty `note` directly under `presence` (RFC 3863 §4.1.6;
//    Asterisk puts it there). Which activity: the first element inside the
//    first `activities` of a person (RFC 4480 §3.2), skipping its `note`s;
//    `activities` is also looked for under `person/status`, where Asterisk's
//    PIDF (from the RPID drafts) puts it. The name is kept verbatim:
//    "away", "on-the-phone", "unknown", "other", a vendor's own element.
//
// Writing contract (build_pidf): see its comment. What it writes parses back
// with parse_pidf to the same open state, note (trimmed, cut as above) and
// activity, for any input (tests/fuzz/fuzz_pres_xml.cpp checks it), as long
// as entity and tuple_id fit parse_pidf's limit once written: a byte becomes
// at most three (U+FFFD), so up to kMaxPresText / 3 bytes always do.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/pres/pres_error.hpp"
#include "core/util/result.hpp"

namespace wwp::pres {

struct PresenceTuple {
  std::string id;           ///< tuple/@id
  bool open = false;        ///< `<status><basic>open</basic>` (any case)
  std::string contact;      ///< `<contact>`, "" if absent
  std::string note;         ///< first non-empty `<note>` of the tuple, "" if absent
};

struct PresenceDocument {
  std::string entity;                 ///< presence/@entity
  std::vector<PresenceTuple> tuples;  ///< in document order
  std::string note;                   ///< person note, else presence-level note, else ""
  std::string activity;               ///< first RPID activity's local name, "" if none
  /// True when any tuple is open (RFC 3863 §4.1.4: a presentity is
  /// reachable through any open tuple).
  bool open() const;
};

/// Reads a PIDF document (contract above).
Result<PresenceDocument, PresError> parse_pidf(std::string_view xml);

/// A PIDF document for PUBLISH: one tuple `tuple_id` with basic open/closed,
/// the note (if non-empty after trimming) as tuple note and a person note, an
/// RPID activity element when `activity` is a non-empty token of [a-z-]
/// starting with a letter, other than "note" (otherwise it is omitted: RFC
/// 4480 §3.2 reads a `note` inside `activities` as a note). Every text is XML-escaped; bytes that are
/// not valid UTF-8 and control characters XML cannot carry (C0 other than
/// TAB, LF, CR) become U+FFFD, and a CR is written as `&#13;` so that it
/// survives the reader's line-end normalisation. The note is not shortened.
/// entity is e.g. "sip:101@example.com"; tuple_id should be an XML Name
/// (RFC 3863 §4.1.2 types it xs:ID), e.g. "t1": it is escaped, not checked.
std::string build_pidf(std::string_view entity, bool open, std::string_view note, std::string_view tuple_id,
                       std::string_view activity = {});

}  // namespace wwp::pres
