#include "core/pres/dialog_info.hpp"

#include <optional>

#include "core/pres/pres_xml.hpp"

namespace wwp::pres {
namespace {

using detail::child;
using detail::FieldReader;
using detail::iequals;
using detail::trim;

// Decimal digits only, no sign, at most `max`. XML Schema's
// nonNegativeInteger would allow a leading "+"; no server sends one.
std::optional<std::uint32_t> parse_uint(std::string_view s, std::uint32_t max) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
    if (v > max) return std::nullopt;
  }
  return static_cast<std::uint32_t>(v);
}

std::optional<DialogState> parse_state(std::string_view s) {
  for (auto st : {DialogState::Trying, DialogState::Proceeding, DialogState::Early, DialogState::Confirmed,
                  DialogState::Terminated}) {
    if (iequals(s, to_string(st))) return st;
  }
  return std::nullopt;
}

// §4.1.6: `local` and `remote` each hold an optional identity (a URI, with
// an optional display attribute) and an optional target (uri attribute).
void read_party(const pugi::xml_node& party, FieldReader& r, std::string& identity, std::string& display,
                std::string& target) {
  const auto id = child(party, "identity");
  identity = r.ident("identity", detail::own_text(id));
  display = detail::free_text(id.attribute("display").value());
  target = r.ident("target uri", child(party, "target").attribute("uri").value());
}

DialogInfoEntry read_dialog(const pugi::xml_node& el, FieldReader& r) {
  DialogInfoEntry d;
  const auto id = el.attribute("id");
  if (!id) r.fail("<dialog> without id (RFC 4235 §4.1.1 requires one)");
  d.id = r.ident("dialog id", id.value());
  d.call_id = r.ident("dialog call-id", el.attribute("call-id").value());
  d.local_tag = r.ident("dialog local-tag", el.attribute("local-tag").value());
  d.remote_tag = r.ident("dialog remote-tag", el.attribute("remote-tag").value());
  const auto direction = trim(el.attribute("direction").value());
  if (iequals(direction, "initiator")) d.direction = DialogDirection::Initiator;
  else if (iequals(direction, "recipient")) d.direction = DialogDirection::Recipient;

  const auto state = child(el, "state");
  if (!state) {
    r.fail("<dialog id=\"" + d.id + "\"> without <state> (RFC 4235 §4.1.2 requires one)");
    return d;
  }
  const std::string text = r.ident("dialog state", detail::own_text(state));
  if (const auto st = parse_state(text)) d.state = *st;
  else r.fail("unknown dialog state \"" + text + "\" (RFC 4235 §3.7.1)");
  d.state_event = r.ident("state event", state.attribute("event").value());
  // §4.1.2: code is the response code that ended or advanced the dialog.
  if (const auto code = state.attribute("code")) {
    const auto v = parse_uint(code.value(), 699);
    if (!v || *v < 100) r.fail("state code \"" + detail::free_text(code.value()) + "\" is not a status code 100-699");
    else d.state_code = static_cast<int>(*v);
  }
  read_party(child(el, "local"), r, d.local_identity, d.local_display, d.local_target);
  read_party(child(el, "remote"), r, d.remote_identity, d.remote_display, d.remote_target);
  return d;
}

}  // namespace

const char* to_string(DialogState s) {
  switch (s) {
    case DialogState::Trying: return "trying";
    case DialogState::Proceeding: return "proceeding";
    case DialogState::Early: return "early";
    case DialogState::Confirmed: return "confirmed";
    case DialogState::Terminated: return "terminated";
  }
  return "trying";
}

const char* to_string(DialogDirection d) {
  switch (d) {
    case DialogDirection::Unknown: return "unknown";
    case DialogDirection::Initiator: return "initiator";
    case DialogDirection::Recipient: return "recipient";
  }
  return "unknown";
}

Result<DialogInfo, PresError> parse_dialog_info(std::string_view xml) {
  pugi::xml_document doc;
  auto root = detail::load_root(doc, xml, "dialog-info");
  if (!root) return err(root.error());

  // §4.1: version, state and entity are all required on the root.
  FieldReader r;
  DialogInfo info;
  const auto entity = root->attribute("entity");
  const auto version = root->attribute("version");
  const auto state = root->attribute("state");
  if (!version) return err(PresError{"<dialog-info> without version (RFC 4235 §4.1 requires one)"});
  if (!state) return err(PresError{"<dialog-info> without state (RFC 4235 §4.1 requires one)"});
  if (!entity) return err(PresError{"<dialog-info> without entity (RFC 4235 §4.1 requires one)"});
  const auto v = parse_uint(version.value(), UINT32_MAX);
  if (!v) return err(PresError{"dialog-info version \"" + detail::free_text(version.value()) + "\" is not a number 0-4294967295"});
  info.version = *v;
  if (iequals(trim(state.value()), "partial")) info.full = false;
  else if (!iequals(trim(state.value()), "full"))
    return err(PresError{"dialog-info state \"" + detail::free_text(state.value()) + "\" is neither full nor partial"});
  info.entity = r.ident("dialog-info entity", entity.value());

  for (const auto& c : root->children()) {
    if (c.type() != pugi::node_element || detail::local_name(c) != "dialog") continue;
    if (info.dialogs.size() == kMaxPresEntries) {
      r.fail("more than " + std::to_string(kMaxPresEntries) + " dialogs");
      break;
    }
    info.dialogs.push_back(read_dialog(c, r));
    if (r.error()) break;
  }
  if (r.error()) return err(PresError{*r.error()});
  return info;
}

}  // namespace wwp::pres
