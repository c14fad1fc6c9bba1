#include "core/pres/pres_xml.hpp"

#include "core/util/utf8.hpp"

namespace wwp::pres::detail {

namespace {

using util::is_valid_utf8;

bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

Result<pugi::xml_node, PresError> load_root(pugi::xml_document& doc, std::string_view xml, std::string_view root) {
  const std::string want = "<" + std::string(root) + ">";
  if (xml.size() > kMaxPresXmlSize)
    return err(PresError{"document of " + std::to_string(xml.size()) + " bytes, the limit is " +
                         std::to_string(kMaxPresXmlSize)});
  if (trim(xml).empty()) return err(PresError{"empty document, expected " + want});
  // pugixml is lenient by design: it takes raw control characters and any
  // byte sequence. XML 1.0 §2.2 allows neither, and a NUL would cut a
  // pugixml string short.
  for (std::size_t i = 0; i < xml.size(); ++i) {
    const auto c = static_cast<unsigned char>(xml[i]);
    if (c < 0x20 && !is_xml_space(static_cast<char>(c)))
      return err(PresError{"control character at offset " + std::to_string(i)});
  }
  if (!is_valid_utf8(xml)) return err(PresError{"not UTF-8"});

  // pugixml expands only the five predefined entities and character
  // references; an unknown `&name;` stays literal text. It never reads a
  // DOCTYPE's internal subset, so no entity declaration is ever expanded
  // (no billion laughs, no XXE); parse_doctype only makes the DOCTYPE a node
  // so that it is refused below rather than skipped. parse_fragment keeps
  // text outside the root as nodes, which pugixml otherwise drops quietly.
  // Comments and PIs are skipped (not parse_comments / parse_pi): allowed
  // anywhere by XML 1.0 §2.5-2.6 and meaningless here.
  constexpr unsigned kOptions = pugi::parse_fragment | pugi::parse_escapes | pugi::parse_eol |
                                pugi::parse_wconv_attribute | pugi::parse_cdata | pugi::parse_doctype |
                                pugi::parse_declaration;
  const auto res = doc.load_buffer(xml.data(), xml.size(), kOptions, pugi::encoding_utf8);
  if (!res)
    return err(PresError{std::string("not well-formed XML: ") + res.description() + " at offset " +
                         std::to_string(res.offset)});

  pugi::xml_node top;
  bool text = false;
  for (const auto& n : doc.children()) {
    switch (n.type()) {
      case pugi::node_declaration:
        continue;
      case pugi::node_doctype:
        return err(PresError{"DOCTYPE not allowed in a presence document"});
      case pugi::node_element:
        if (top) return err(PresError{"more than one root element"});
        top = n;
        continue;
      default:  // text or CDATA (white space makes no node)
        text = true;
    }
  }
  // Plain text, JSON and the like: no element at all.
  if (!top) return err(PresError{"no root element, expected " + want});
  if (text) return err(PresError{"text outside the root element"});
  if (local_name(top) != root)
    return err(PresError{"root element is <" + free_text(top.name()) + ">, not " + want});
  return top;
}

std::string_view local_name(const pugi::xml_node& n) {
  const std::string_view name = n.name();
  const auto colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(const pugi::xml_node& parent, std::string_view local) {
  for (const auto& c : parent.children()) {
    if (c.type() == pugi::node_element && local_name(c) == local) return c;
  }
  return {};
}

std::string own_text(const pugi::xml_node& el) {
  std::string out;
  for (const auto& c : el.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_xml_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_xml_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string free_text(std::string_view s) {
  s = trim(s);
  if (s.size() > kMaxPresText) {
    std::size_t cut = kMaxPresText;
    // Back off continuation bytes (10xxxxxx) so no character is split.
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s = trim(s.substr(0, cut));
  }
  return std::string(s);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string FieldReader::ident(std::string_view what, std::string_view value) {
  value = trim(value);
  if (value.size() > kMaxPresText) {
    fail(std::string(what) + " is longer than " + std::to_string(kMaxPresText) + " bytes");
    return {};
  }
  return std::string(value);
}

void FieldReader::fail(std::string message) {
  if (!error_) error_ = PresError{std::move(message)};
}

}  // namespace wwp::pres::detail
