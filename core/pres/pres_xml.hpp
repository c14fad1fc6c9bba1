// Internal to core/pres: what the PIDF and dialog-info readers share. Loads a
// document under the limits of pres_error.hpp and reads elements by local
// name.
//
// Why local names: RFC 3863 §4.1 and RFC 4235 §4.1 give every element a
// namespace, but real servers spell them every way (PIDF in the default
// namespace, `dm:person`, `rpid:activities`, Asterisk's `pp:person` and
// `ep:activities` from the RPID drafts, `dm:note` beside a plain `note`). The
// elements we read have names no other presence namespace reuses with another
// meaning, so the prefix (and the namespace it maps to) is ignored. Attribute
// names are matched exactly: the ones we read are unprefixed (XML Namespaces
// §6.2: in no namespace at all).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <pugixml.hpp>

#include "core/pres/pres_error.hpp"
#include "core/util/result.hpp"
#include "core/util/utf8.hpp"

namespace wwp::pres::detail {

/// Parses `xml` into `doc` and returns its one root element, which must have
/// the local name `root` (e.g. "presence"). Refused: empty input, over
/// kMaxPresXmlSize, invalid UTF-8, raw C0 control characters other than TAB,
/// LF and CR (XML 1.0 §2.2), anything pugixml finds not well-formed, a
/// DOCTYPE, text or a second element beside the root, another root.
Result<pugi::xml_node, PresError> load_root(pugi::xml_document& doc, std::string_view xml, std::string_view root);

/// `dm:person` -> "person".
std::string_view local_name(const pugi::xml_node& n);
/// First child element of `parent` with this local name (null node if none).
pugi::xml_node child(const pugi::xml_node& parent, std::string_view local);
/// The element's own text: its text and CDATA children joined (comments and
/// PIs are not kept by the parser), untrimmed.
std::string own_text(const pugi::xml_node& el);
/// `s` without leading and trailing XML white space (XML 1.0 §2.3 S).
std::string_view trim(std::string_view s);
/// `s` trimmed and, past kMaxPresText bytes, cut back to a UTF-8 character
/// boundary (input has passed load_root's UTF-8 check).
std::string free_text(std::string_view s);
/// Length of the well-formed UTF-8 character at s[i] (core/util/utf8.hpp).
using util::utf8_length_at;
/// ASCII-only case-insensitive equality (`Open`, `CONFIRMED`).
bool iequals(std::string_view a, std::string_view b);

/// Reads the fields of one document and keeps the first error, so each field
/// is one line and the parser returns once at the end.
class FieldReader {
 public:
  /// A trimmed identifier (entity, id, Call-ID, tag, URI). Over kMaxPresText
  /// bytes: records "<what> is longer than 1024 bytes" and returns "".
  std::string ident(std::string_view what, std::string_view value);
  /// Records `message` unless an error is already recorded.
  void fail(std::string message);
  const std::optional<PresError>& error() const { return error_; }

 private:
  std::optional<PresError> error_;
};

}  // namespace wwp::pres::detail
