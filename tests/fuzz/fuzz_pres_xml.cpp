// libFuzzer target for the presence documents of core/pres (house style §23).
// The same bytes go to both readers and, as a note, to the builder.
// Invariants, for any bytes:
//  - parse_pidf() and parse_dialog_info() return a document or a PresError
//    with a message; never a crash, sanitizer report or assert;
//  - what they return keeps the limits of core/pres/pres_error.hpp: at most
//    kMaxPresEntries tuples or dialogs, no text over kMaxPresText bytes;
//  - a parsed PIDF written again with build_pidf() parses back to the same
//    open state, note and activity (when the note is text XML can carry and
//    the activity is a token build_pidf writes);
//  - build_pidf() with the input as note and activity always writes a
//    document parse_pidf() reads (when it fits kMaxPresXmlSize), with the
//    note as documented: trimmed, unrepresentable bytes as U+FFFD, cut at
//    kMaxPresText on a character boundary.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/pres/dialog_info.hpp"
#include "core/pres/pidf.hpp"
#include "core/pres/pres_xml.hpp"

namespace {

using namespace wwp::pres;

void check(bool cond) {
  if (!cond) std::abort();
}

void check_text(const std::string& s) { check(s.size() <= kMaxPresText); }

// True when `s` is valid UTF-8 with no C0 control but TAB/LF/CR: what
// build_pidf writes unchanged.
bool xml_clean(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = detail::utf8_length_at(s, i);
    const auto c = static_cast<unsigned char>(s[i]);
    if (len == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')) return false;
    i += len;
  }
  return true;
}

bool builder_token(std::string_view a) {
  if (a.empty() || a[0] == '-' || a == "note") return false;
  for (char c : a) {
    if (!((c >= 'a' && c <= 'z') || c == '-')) return false;
  }
  return true;
}

// The note parse_pidf(build_pidf(..., note, ...)) must give (pidf.hpp).
std::string expected_note(std::string_view note) {
  note = detail::trim(note);
  std::string s;
  for (std::size_t i = 0; i < note.size();) {
    const std::size_t len = detail::utf8_length_at(note, i);
    const auto c = static_cast<unsigned char>(note[i]);
    if (len == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')) {
      s += "\xEF\xBF\xBD";
      i += len == 0 ? 1 : len;
    } else {
      s.append(note.data() + i, len);
      i += len;
    }
  }
  return detail::free_text(s);
}

void check_pidf(const PresenceDocument& d) {
  check(d.tuples.size() <= kMaxPresEntries);
  check_text(d.entity);
  check_text(d.note);
  check_text(d.activity);
  for (const auto& t : d.tuples) {
    check_text(t.id);
    check_text(t.contact);
    check_text(t.note);
  }
  const std::string id = d.tuples.empty() ? "t1" : d.tuples[0].id;
  if (d.entity.size() > kMaxPresText / 3 || id.size() > kMaxPresText / 3) return;
  auto back = parse_pidf(build_pidf(d.entity, d.open(), d.note, id, d.activity));
  check(back.ok());
  check(back->open() == d.open());
  if (xml_clean(d.note)) check(back->note == d.note);
  check(back->activity == (builder_token(d.activity) ? d.activity : ""));
}

void check_dialog_info(const DialogInfo& info) {
  check(info.dialogs.size() <= kMaxPresEntries);
  check_text(info.entity);
  for (const auto& d : info.dialogs) {
    for (const auto* s : {&d.id, &d.call_id, &d.local_tag, &d.remote_tag, &d.state_event, &d.local_identity,
                          &d.local_display, &d.local_target, &d.remote_identity, &d.remote_display, &d.remote_target})
      check_text(*s);
    check(d.state_code == 0 || (d.state_code >= 100 && d.state_code <= 699));
    check(to_string(d.state)[0] != '\0' && to_string(d.direction)[0] != '\0');
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  if (auto d = parse_pidf(input)) check_pidf(*d);
  else check(!d.error().message.empty());
  if (auto i = parse_dialog_info(input)) check_dialog_info(*i);
  else check(!i.error().message.empty());

  // The input as our own note and (its first line) as activity.
  const std::string_view activity = input.substr(0, std::min<std::size_t>(input.find('\n'), 32));
  const std::string built = build_pidf("sip:fuzz@example.com", true, input, "t1", activity);
  if (built.size() <= kMaxPresXmlSize) {
    auto d = parse_pidf(built);
    check(d.ok());
    check(d->open());
    check(d->note == expected_note(input));
    check(d->activity == (builder_token(activity) ? activity : ""));
  }
  return 0;
}
