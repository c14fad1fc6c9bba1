#include "core/pres/pidf.hpp"

#include "core/pres/pres_xml.hpp"

namespace wwp::pres {
namespace {

using detail::child;
using detail::free_text;
using detail::local_name;
using detail::own_text;

// First non-empty direct `note` child (RFC 3863 §4.1.6 allows several, one
// per language; an empty one says nothing).
std::string first_note(const pugi::xml_node& parent) {
  for (const auto& c : parent.children()) {
    if (c.type() != pugi::node_element || local_name(c) != "note") continue;
    std::string note = free_text(own_text(c));
    if (!note.empty()) return note;
  }
  return {};
}

// RFC 4480 §3.2: `<activities>` holds notes, then `<unknown/>` or one or
// more activity elements (`<away/>`, `<on-the-phone/>`, `<other>…</other>`,
// or another namespace's). Asterisk writes it inside `person/status`, the
// place the RPID drafts gave it.
std::string first_activity(const pugi::xml_node& person, detail::FieldReader& r) {
  auto activities = child(person, "activities");
  if (!activities) activities = child(child(person, "status"), "activities");
  for (const auto& c : activities.children()) {
    if (c.type() != pugi::node_element || local_name(c) == "note") continue;
    return r.ident("activity name", local_name(c));
  }
  return {};
}

PresenceTuple read_tuple(const pugi::xml_node& el, detail::FieldReader& r) {
  PresenceTuple t;
  const auto id = el.attribute("id");
  if (!id) r.fail("<tuple> without id (RFC 3863 §4.1.2 requires one)");
  t.id = r.ident("tuple id", id.value());
  // §4.1.4: basic is "open" or "closed"; compared in any case because
  // servers are not consistent about it.
  const auto basic = child(child(el, "status"), "basic");
  t.open = detail::iequals(detail::trim(own_text(basic)), "open");
  if (const auto contact = child(el, "contact")) t.contact = r.ident("tuple contact", own_text(contact));
  t.note = first_note(el);
  return t;
}

// XML 1.0 §2.2 Char for what we write: well-formed UTF-8 with no C0 control
// but TAB, LF and CR. Anything else becomes U+FFFD rather than a document
// the other side refuses whole.
std::string escape(std::string_view s, bool attribute) {
  std::string out;
  out.reserve(s.size() + 16);
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = detail::utf8_length_at(s, i);
    const char c = s[i];
    const bool control = static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r';
    if (len == 0 || control) {
      out += "\xEF\xBF\xBD";
      i += len == 0 ? 1 : len;
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      // A literal CR is turned into LF by every reader (XML 1.0 §2.11), and
      // TAB/LF in an attribute into a space (§3.3.3); references keep them.
      case '\r': out += "&#13;"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      default: out.append(s.data() + i, len);
    }
    i += len;
  }
  return out;
}

// [a-z-] as the contract says, starting with a letter so that `rpid:` +
// the token is an XML Name (XML 1.0 §2.3: a Name cannot start with '-').
bool is_activity_token(std::string_view a) {
  if (a.empty() || a[0] == '-' || a == "note") return false;
  for (char c : a) {
    if (!((c >= 'a' && c <= 'z') || c == '-')) return false;
  }
  return true;
}

}  // namespace

bool PresenceDocument::open() const {
  for (const auto& t : tuples) {
    if (t.open) return true;
  }
  return false;
}

Result<PresenceDocument, PresError> parse_pidf(std::string_view xml) {
  pugi::xml_document doc;
  auto root = detail::load_root(doc, xml, "presence");
  if (!root) return err(root.error());

  detail::FieldReader r;
  PresenceDocument d;
  const auto entity = root->attribute("entity");
  if (!entity) r.fail("<presence> without entity (RFC 3863 §4.1.1 requires one)");
  d.entity = r.ident("presence entity", entity.value());

  std::string person_note, presence_note;
  for (const auto& c : root->children()) {
    if (c.type() != pugi::node_element) continue;
    const auto name = local_name(c);
    if (name == "tuple") {
      if (d.tuples.size() == kMaxPresEntries) {
        r.fail("more than " + std::to_string(kMaxPresEntries) + " tuples");
        break;
      }
      d.tuples.push_back(read_tuple(c, r));
    } else if (name == "person") {  // RFC 4479 §3.3, via RFC 4480 §3
      if (person_note.empty()) person_note = first_note(c);
      if (d.activity.empty()) d.activity = first_activity(c, r);
    } else if (name == "note" && presence_note.empty()) {
      presence_note = free_text(own_text(c));
    }
    if (r.error()) break;
  }
  if (r.error()) return err(PresError{*r.error()});
  d.note = !person_note.empty() ? std::move(person_note) : std::move(presence_note);
  return d;
}

std::string build_pidf(std::string_view entity, bool open, std::string_view note, std::string_view tuple_id,
                       std::string_view activity) {
  note = detail::trim(note);
  const bool with_activity = is_activity_token(activity);
  const std::string id = escape(tuple_id, true);
  const std::string escaped_note = escape(note, false);

  // Element order follows the schemas: tuple = status, contact?, note*
  // (RFC 3863 §4.1.2); presence = tuple*, note*, other namespaces (dm:person);
  // person = other namespaces (rpid:activities), note* (RFC 4479 §3.3).
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" "
      "xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\"";
  out += escape(entity, true);
  out += "\">\n<tuple id=\"" + id + "\"><status><basic>";
  out += open ? "open" : "closed";
  out += "</basic></status>";
  if (!note.empty()) out += "<note>" + escaped_note + "</note>";
  out += "</tuple>\n";
  if (!note.empty() || with_activity) {
    // A person's id must differ from every tuple id (all are xs:ID in one
    // document); "p-" + the tuple's id always does.
    out += "<dm:person id=\"p-" + id + "\">";
    if (with_activity) {
      out += "<rpid:activities><rpid:";
      out += activity;
      out += "/></rpid:activities>";
    }
    if (!note.empty()) out += "<dm:note>" + escaped_note + "</dm:note>";
    out += "</dm:person>\n";
  }
  out += "</presence>\n";
  return out;
}

}  // namespace wwp::pres
