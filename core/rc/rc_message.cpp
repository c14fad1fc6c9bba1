#include "core/rc/rc_message.hpp"

#include <pugixml.hpp>

#include "core/rc/rc_text.hpp"

namespace wwp::rc {
namespace {

constexpr std::string_view kPrcPrefix = "P-rc: ";

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// XML 1.0 §2.2 Char: what a character reference may denote.
bool is_xml_char(std::uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

// Checks the reference starting at text[i] == '&'. Without a DOCTYPE only
// the five predefined entities exist (XML 1.0 §4.6); pugixml would silently
// keep an unknown `&foo;` as literal text, which a real XML reader rejects.
bool valid_reference(std::string_view text, std::size_t i) {
  const auto semi = text.find(';', i + 1);
  if (semi == std::string_view::npos || semi - i > 12) return false;
  const auto ref = text.substr(i + 1, semi - i - 1);
  if (ref == "amp" || ref == "lt" || ref == "gt" || ref == "quot" || ref == "apos") return true;
  if (ref.size() < 2 || ref[0] != '#') return false;
  const bool hex = ref[1] == 'x';
  const auto digits = ref.substr(hex ? 2 : 1);
  if (digits.empty()) return false;
  std::uint32_t v = 0;
  for (char c : digits) {
    unsigned d;
    if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
    else if (hex && c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
    else if (hex && c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
    else return false;
    v = v * (hex ? 16u : 10u) + d;
    if (v > 0x10FFFF) return false;
  }
  return is_xml_char(v);
}

// Lexical checks pugixml does not make (it is a lenient parser by design).
std::optional<RcError> prescan(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
      return RcError{RcErrorCode::ControlCharacter, "at offset " + std::to_string(i)};
    if (c == '&' && !valid_reference(text, i))
      return RcError{RcErrorCode::BadEntity, "at offset " + std::to_string(i)};
    if (c == '<' && starts_with(text.substr(i), "<!DOCTYPE"))
      return RcError{RcErrorCode::DoctypeForbidden, {}};
  }
  if (!is_valid_utf8(text)) return RcError{RcErrorCode::NotXml, "not UTF-8"};
  return std::nullopt;
}

std::optional<RcError> collect_attributes(const pugi::xml_node& el, RcAttributes& out) {
  if (el.first_child()) return RcError{RcErrorCode::UnexpectedContent, std::string("content inside ") + el.name()};
  for (const auto& a : el.attributes()) {
    if (out.size() == kMaxRcAttributes) return RcError{RcErrorCode::TooManyAttributes, el.name()};
    for (const auto& [name, value] : out) {
      if (name == a.name()) return RcError{RcErrorCode::DuplicateAttribute, std::string(el.name()) + "." + name};
    }
    out.emplace_back(a.name(), a.value());
  }
  return std::nullopt;
}

std::optional<std::string_view> find_attr(const RcAttributes& attrs, std::string_view name) {
  for (const auto& [n, v] : attrs) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

void append_element(std::string& out, std::string_view name, const RcAttributes& attrs) {
  out += '<';
  out += name;
  for (const auto& [n, v] : attrs) {
    out += ' ';
    out += n;
    out += "=\"";
    out += xml_escape_attr(v);
    out += '"';
  }
  out += "/>";
}

}  // namespace

std::string_view to_string(RcCmd cmd) {
  switch (cmd) {
    case RcCmd::ChangeMessage: return "ChangeMessage";
    case RcCmd::ServerFreeResources: return "ServerFreeResources";
    case RcCmd::NewMsg: return "NewMsg";
    case RcCmd::ReLogin: return "ReLogin";
    case RcCmd::ChangePhones: return "ChangePhones";
    case RcCmd::IncomingCall: return "IncomingCall";
    case RcCmd::AlreadyProcessed: return "AlreadyProcessed";
    case RcCmd::ClientMinimize: return "ClientMinimize";
    case RcCmd::SessionClose: return "SessionClose";
    case RcCmd::ClientForward: return "ClientForward";
    case RcCmd::ClientVoicemail: return "ClientVoicemail";
    case RcCmd::ClientReject: return "ClientReject";
    case RcCmd::ClientStartReply: return "ClientStartReply";
    case RcCmd::ClientReply: return "ClientReply";
    case RcCmd::ClientNotProcessed: return "ClientNotProcessed";
    case RcCmd::ClientClosed: return "ClientClosed";
    case RcCmd::ClientReceiveConfirm: return "ClientReceiveConfirm";
  }
  return "Unknown";
}

std::string RcMessage::to_xml() const {
  std::string out = "<Msg>";
  append_element(out, "Hdr", hdr);
  append_element(out, "Bdy", bdy);
  out += "</Msg>";
  return out;
}

std::optional<RcCmd> RcMessage::cmd() const {
  const auto v = hdr_attr("Cmd");
  if (!v || v->empty() || v->size() > 2 || (*v)[0] == '0') return std::nullopt;
  int n = 0;
  for (char c : *v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n < 1 || n > 17) return std::nullopt;
  return static_cast<RcCmd>(n);
}

std::optional<std::string_view> RcMessage::sid() const { return hdr_attr("SID"); }
std::optional<std::string_view> RcMessage::hdr_attr(std::string_view name) const { return find_attr(hdr, name); }
std::optional<std::string_view> RcMessage::bdy_attr(std::string_view name) const { return find_attr(bdy, name); }

bool operator==(const RcMessage& a, const RcMessage& b) { return a.hdr == b.hdr && a.bdy == b.bdy; }

Result<RcMessage, RcError> parse_rc_xml(std::string_view text) {
  if (text.size() > kMaxRcXmlSize)
    return err(RcError{RcErrorCode::TooLarge, std::to_string(text.size()) + " bytes"});
  // The SDK: xmlStr.replace(/^P-rc: /, "") — exactly that literal, once.
  if (starts_with(text, kPrcPrefix)) text.remove_prefix(kPrcPrefix.size());
  if (auto e = prescan(text)) return err(std::move(*e));

  // parse_doctype/pi/comments/cdata/declaration make those nodes visible so
  // the walk below can refuse them instead of pugixml skipping them quietly.
  // parse_wconv_attribute: XML 1.0 §3.3.3 attribute-value normalisation.
  // parse_fragment keeps text outside the root element as nodes (pugixml
  // drops it silently otherwise, accepting "junk<Msg>…</Msg>junk").
  constexpr unsigned kOptions = pugi::parse_fragment | pugi::parse_escapes | pugi::parse_eol | pugi::parse_wconv_attribute |
                                pugi::parse_doctype | pugi::parse_pi | pugi::parse_comments | pugi::parse_cdata |
                                pugi::parse_declaration;
  pugi::xml_document doc;
  const auto res = doc.load_buffer(text.data(), text.size(), kOptions, pugi::encoding_utf8);
  if (!res) {
    return err(RcError{RcErrorCode::NotXml, std::string(res.description()) + " at offset " +
                                                std::to_string(res.offset)});
  }

  // No element at all (plain text, JSON, empty): simply not XML.
  if (!doc.find_child([](pugi::xml_node n) { return n.type() == pugi::node_element || n.type() == pugi::node_doctype; }))
    return err(RcError{RcErrorCode::NotXml, "no root element"});

  pugi::xml_node root;
  for (const auto& n : doc.children()) {
    switch (n.type()) {
      case pugi::node_declaration:
        continue;
      case pugi::node_doctype:
        return err(RcError{RcErrorCode::DoctypeForbidden, {}});
      case pugi::node_element:
        if (root) return err(RcError{RcErrorCode::UnexpectedContent, "second root element"});
        root = n;
        continue;
      default:
        return err(RcError{RcErrorCode::UnexpectedContent, "non-element node outside Msg"});
    }
  }
  if (!root) return err(RcError{RcErrorCode::NotXml, "no root element"});
  if (std::string_view(root.name()) != "Msg") return err(RcError{RcErrorCode::WrongRoot, root.name()});
  if (root.first_attribute()) return err(RcError{RcErrorCode::UnexpectedContent, "attribute on Msg"});

  RcMessage msg;
  bool have_hdr = false, have_bdy = false;
  for (const auto& n : root.children()) {
    const std::string_view name = n.name();
    if (n.type() != pugi::node_element) return err(RcError{RcErrorCode::UnexpectedContent, "text or other node in Msg"});
    if (name != "Hdr" && name != "Bdy")
      return err(RcError{RcErrorCode::UnexpectedContent, std::string("element ") + n.name()});
    bool& seen = name == "Hdr" ? have_hdr : have_bdy;
    if (seen) return err(RcError{RcErrorCode::UnexpectedContent, std::string("repeated element ") + n.name()});
    seen = true;
    if (auto e = collect_attributes(n, name == "Hdr" ? msg.hdr : msg.bdy)) return err(std::move(*e));
  }
  if (!have_hdr) return err(RcError{RcErrorCode::MissingHdr, {}});
  if (!have_bdy) return err(RcError{RcErrorCode::MissingBdy, {}});
  return msg;
}

}  // namespace wwp::rc
