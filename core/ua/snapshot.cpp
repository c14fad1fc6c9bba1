// The exported state's JSON form (see snapshot.hpp for the document). The
// reader treats the text as untrusted: it comes from another tab through a
// BroadcastChannel or storage, and every string it accepts ends up in a SIP
// header, so each member is type-checked and header-safe before use.
#include "core/ua/snapshot.hpp"

#include <cstdint>
#include <limits>

#include "core/msg/header_fields.hpp"
#include "core/msg/uri.hpp"
#include "core/rc/json.hpp"
#include "core/sdp/session_description.hpp"

namespace wwp::ua {

namespace {

using rc::Json;

constexpr const char* kType = "wwp-ua-state";
/// The document is 4 levels deep (calls[].dialog.routeSet[]).
constexpr std::size_t kMaxDepth = 8;

// Table-driven on both sides: one loop per group of same-typed members
// instead of a call per member keeps this file's share of sip-core.wasm
// small (each call of nlohmann's operator[] or of a checked read inlines to
// a few hundred bytes; a table row is 8-12 bytes of data).
using StrOut = std::pair<const char*, const std::string*>;

/// One member set. Out of line on purpose: inlined, nlohmann's operator[]
/// and assignment are a few hundred bytes of wasm at every member.
[[gnu::noinline]] void set(Json& j, const char* key, Json value) { j[key] = std::move(value); }
void put(Json& j, std::initializer_list<StrOut> members) {
  for (const auto& [key, value] : members) set(j, key, *value);
}
Json u32_or_null(const std::optional<std::uint32_t>& v) { return v ? Json(*v) : Json(nullptr); }

Json peer_json(const call::PeerInfo& p) {
  Json j = Json::object();
  put(j, {{"localPeer", &p.local_peer}, {"remotePeer", &p.remote_peer}, {"localTag", &p.local_tag},
          {"remoteTag", &p.remote_tag}, {"localUser", &p.local_user}, {"remoteUser", &p.remote_user},
          {"partyId", &p.party_id}, {"sessionId", &p.session_id}});
  return j;
}

Json dialog_json(const dialog::DialogSnapshot& d) {
  Json j = Json::object();
  set(j, "uac", d.uac);
  put(j, {{"localTag", &d.id.local_tag}, {"remoteTag", &d.id.remote_tag}, {"localUri", &d.local_party},
          {"remoteUri", &d.remote_party}, {"remoteTarget", &d.remote_target}});
  set(j, "targetFromContact", d.target_from_contact);
  set(j, "routeSet", d.route_set);
  set(j, "localCSeq", u32_or_null(d.local_seq));
  set(j, "remoteCSeq", u32_or_null(d.remote_seq));
  set(j, "creatingCSeq", d.creating_cseq);
  set(j, "secure", d.secure);
  set(j, "localContact", d.local_contact);
  return j;
}

/// How a string member is checked beyond "a string without CR, LF or NUL".
enum class Check : std::uint8_t { Any, NonEmpty, NameAddr, Uri };

struct StrIn {
  const char* key;
  std::string* out;
  Check check = Check::Any;
};
struct BoolIn {
  const char* key;
  bool* out;
};

/// Typed member access that records the first problem as "importState:
/// <path><key>: <what>" and then reads nothing more. `path` is the prefix of
/// the object being read ("calls[0].dialog.").
class Reader {
 public:
  std::string error;

  bool fail(std::string_view path, std::string_view key, std::string_view what) {
    if (error.empty()) {
      error = "importState: ";
      error.append(path).append(key).append(": ").append(what);
    }
    return false;
  }
  /// Member `key`; of JSON type `type` unless that is `discarded` (any type).
  const Json* get(const Json& o, std::string_view path, const char* key, Json::value_t type) {
    const auto it = o.find(key);
    if (it == o.end()) {
      fail(path, key, "missing");
      return nullptr;
    }
    if (type != Json::value_t::discarded && it->type() != type) {
      fail(path, key, type == Json::value_t::object ? "expected an object" : "expected an array");
      return nullptr;
    }
    return &*it;
  }
  /// A string that can go into a SIP header: no CR, LF or NUL (RFC 3261
  /// §7.3.1: a raw line break would start a new header).
  bool text(const Json& v, std::string_view path, std::string_view key, std::string& out, Check check) {
    if (!v.is_string()) return fail(path, key, "expected a string");
    out = v.get_ref<const std::string&>();
    if (out.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
      return fail(path, key, "contains CR, LF or NUL");
    if (check != Check::Any && out.empty()) return fail(path, key, "must not be empty");
    if (check == Check::NameAddr && !msg::parse_name_addr(out)) return fail(path, key, "is not a SIP name-addr");
    if (check == Check::Uri && !msg::parse_uri(out)) return fail(path, key, "is not a SIP URI");
    return true;
  }
  bool strings(const Json& o, std::string_view path, std::initializer_list<StrIn> members) {
    for (const auto& m : members) {
      const Json* v = get(o, path, m.key, Json::value_t::discarded);
      if (!v || !text(*v, path, m.key, *m.out, m.check)) return false;
    }
    return true;
  }
  bool booleans(const Json& o, std::string_view path, std::initializer_list<BoolIn> members) {
    for (const auto& m : members) {
      const Json* v = get(o, path, m.key, Json::value_t::discarded);
      if (!v) return false;
      if (!v->is_boolean()) return fail(path, m.key, "expected true or false");
      *m.out = v->get<bool>();
    }
    return true;
  }
  /// An integer in [lo, hi]; `nullable`: null reads as nullopt (a sequence
  /// number not set yet, RFC 3261 §12.1).
  bool integer(const Json& o, std::string_view path, const char* key, std::uint64_t lo, std::uint64_t hi,
               std::optional<std::uint64_t>& out, bool nullable = false) {
    const Json* v = get(o, path, key, Json::value_t::discarded);
    if (!v) return false;
    out.reset();
    if (nullable && v->is_null()) return true;
    if (v->is_number_unsigned()) out = v->get<std::uint64_t>();
    if (!out || *out < lo || *out > hi)
      return fail(path, key, "expected an integer " + std::to_string(lo) + ".." + std::to_string(hi));
    return true;
  }
  bool u32(const Json& o, std::string_view path, const char* key, std::uint32_t& out,
           std::uint64_t hi = std::numeric_limits<std::uint32_t>::max(), std::uint64_t lo = 0) {
    std::optional<std::uint64_t> v;
    if (!integer(o, path, key, lo, hi, v)) return false;
    out = static_cast<std::uint32_t>(*v);
    return true;
  }
  bool opt_u32(const Json& o, std::string_view path, const char* key, std::optional<std::uint32_t>& out) {
    std::optional<std::uint64_t> v;
    if (!integer(o, path, key, 0, std::numeric_limits<std::uint32_t>::max(), v, true)) return false;
    if (v) out = static_cast<std::uint32_t>(*v);
    return true;
  }
};

bool read_dialog(Reader& r, const Json& j, const std::string& path, dialog::DialogSnapshot& d) {
  if (!r.strings(j, path,
                 {{"localTag", &d.id.local_tag, Check::NonEmpty}, {"remoteTag", &d.id.remote_tag, Check::NonEmpty},
                  {"localUri", &d.local_party, Check::NameAddr}, {"remoteUri", &d.remote_party, Check::NameAddr},
                  {"remoteTarget", &d.remote_target, Check::Uri}, {"localContact", &d.local_contact}}) ||
      !r.booleans(j, path, {{"uac", &d.uac}, {"targetFromContact", &d.target_from_contact}, {"secure", &d.secure}}) ||
      !r.opt_u32(j, path, "localCSeq", d.local_seq) || !r.opt_u32(j, path, "remoteCSeq", d.remote_seq) ||
      !r.u32(j, path, "creatingCSeq", d.creating_cseq))
    return false;
  if (!d.local_contact.empty() && !msg::parse_name_addr(d.local_contact))
    return r.fail(path, "localContact", "is not a SIP name-addr");
  const Json* routes = r.get(j, path, "routeSet", Json::value_t::array);
  if (!routes) return false;
  for (std::size_t i = 0; i < routes->size(); ++i) {
    d.route_set.emplace_back();
    const std::string key = "routeSet[" + std::to_string(i) + "]";
    if (!r.text((*routes)[i], path, key, d.route_set.back(), Check::NameAddr)) return false;
  }
  return true;
}

bool read_call(Reader& r, const Json& j, const std::string& path, call::CallSnapshot& c) {
  if (!j.is_object()) return r.fail(std::string_view(path).substr(0, path.size() - 1), "", "expected an object");
  std::string direction;
  const Json* peer = nullptr;
  const Json* dialog = nullptr;
  auto& p = c.call.peer;
  // Handles cross to JS as int32 (wasm/abi.cpp); 0 means "no call".
  if (!r.u32(j, path, "call", c.call.call, std::numeric_limits<std::int32_t>::max(), 1) ||
      !r.strings(j, path, {{"callId", &c.call.call_id, Check::NonEmpty}, {"direction", &direction}}) ||
      !r.booleans(j, path, {{"held", &c.call.held}}) || !(peer = r.get(j, path, "peer", Json::value_t::object)) ||
      !r.strings(*peer, path + "peer.",
                 {{"localPeer", &p.local_peer}, {"remotePeer", &p.remote_peer}, {"localTag", &p.local_tag},
                  {"remoteTag", &p.remote_tag}, {"localUser", &p.local_user}, {"remoteUser", &p.remote_user},
                  {"partyId", &p.party_id}, {"sessionId", &p.session_id}}) ||
      !(dialog = r.get(j, path, "dialog", Json::value_t::object)) ||
      !read_dialog(r, *dialog, path + "dialog.", c.dialog))
    return false;
  if (direction != "inbound" && direction != "outbound")
    return r.fail(path, "direction", "expected \"inbound\" or \"outbound\"");
  c.call.outbound = direction == "outbound";
  // Optional (states from before video have none): CallAdopted::media.
  if (const auto media = j.find("media"); media != j.end()) {
    if (!media->is_string()) return r.fail(path, "media", "expected a string");
    c.call.media = media->get<std::string>();
    for (char ch : c.call.media)
      if (!(ch == ' ' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'))
        return r.fail(path, "media", "expected media names separated by spaces");
  }
  c.dialog.id.call_id = c.call.call_id;
  if (const auto info = j.find("rcCallInfo"); info != j.end()) {
    if (!info->is_array()) return r.fail(path, "rcCallInfo", "expected an array of [name, value] pairs");
    for (const Json& pair : *info) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string())
        return r.fail(path, "rcCallInfo", "expected an array of [name, value] pairs");
      c.rc_call_info.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    }
    c.has_rc_call_info = true;
  }
  // Optional (states from before session timers have neither): the RFC 4028
  // terms as last settled; the adopting UA restarts the timer from them.
  if (const auto st = j.find("sessionTimer"); st != j.end()) {
    if (!st->is_object()) return r.fail(path, "sessionTimer", "expected an object");
    const std::string sub = path + "sessionTimer.";
    if (!r.u32(*st, sub, "interval", c.session.interval, std::numeric_limits<std::uint32_t>::max(), 1) ||
        !r.booleans(*st, sub, {{"weRefresh", &c.session.we_refresh}}))
      return false;
  }
  if (j.find("peerAllowsUpdate") != j.end() && !r.booleans(j, path, {{"peerAllowsUpdate", &c.peer_allows_update}}))
    return false;
  // Optional (states from before it have none): our last SDP's o= value,
  // which the adopting UA's SDPs continue (RFC 3264 §8).
  if (const auto origin = j.find("origin"); origin != j.end()) {
    if (!origin->is_string() || !sdp::parse_origin(origin->get<std::string>()))
      return r.fail(path, "origin", "expected an SDP o= value");
    c.origin = origin->get<std::string>();
  }
  return true;
}

}  // namespace

std::string to_json(const UaSnapshot& s) {
  Json root = Json::object();
  set(root, "type", kType);
  set(root, "version", kStateVersion);
  set(root, "aor", s.aor);
  Json reg = Json::object();
  put(reg, {{"callId", &s.registration.call_id}, {"fromTag", &s.registration.from_tag}});
  set(reg, "cseq", s.registration.cseq);
  put(reg, {{"contactHost", &s.contact_host}, {"contact", &s.contact}, {"instanceId", &s.instance_id}});
  set(reg, "bound", s.registration.bound);
  set(root, "registration", std::move(reg));
  Json calls = Json::array();
  for (const auto& c : s.calls) {
    Json j = Json::object();
    set(j, "call", c.call.call);
    set(j, "callId", c.call.call_id);
    set(j, "direction", c.call.outbound ? "outbound" : "inbound");
    set(j, "held", c.call.held);
    if (!c.call.media.empty()) set(j, "media", c.call.media);
    set(j, "peer", peer_json(c.call.peer));
    if (c.has_rc_call_info) {
      Json info = Json::array();
      for (const auto& [name, value] : c.rc_call_info) info.push_back(Json::array({name, value}));
      set(j, "rcCallInfo", std::move(info));
    }
    set(j, "dialog", dialog_json(c.dialog));
    if (c.session.interval > 0) {
      Json st = Json::object();
      set(st, "interval", c.session.interval);
      set(st, "weRefresh", c.session.we_refresh);
      set(j, "sessionTimer", std::move(st));
    }
    set(j, "peerAllowsUpdate", c.peer_allows_update);
    if (!c.origin.empty()) set(j, "origin", c.origin);
    calls.push_back(std::move(j));
  }
  set(root, "calls", std::move(calls));
  return rc::json_dump(root);
}

Result<UaSnapshot, UaError> parse_snapshot(std::string_view text) {
  auto invalid = [](std::string m) { return ua_error(UaErrorCode::InvalidArgument, std::move(m)); };
  if (text.empty()) return invalid("importState: empty state");
  if (text.size() > kMaxStateSize)
    return invalid("importState: state of " + std::to_string(text.size()) + " bytes is too large");
  if (rc::json_max_depth(text) > kMaxDepth) return invalid("importState: state is nested too deeply");
  Json root;
  if (!rc::json_parse(text, root)) return invalid("importState: not JSON (truncated or corrupt state)");
  const auto type = root.is_object() ? root.find("type") : root.end();
  if (!root.is_object() || type == root.end() || !type->is_string() || type->get_ref<const std::string&>() != kType)
    return invalid("importState: not a wasm-web-phone state (no \"type\":\"wwp-ua-state\")");
  const auto version = root.find("version");
  if (version == root.end() || !version->is_number_integer())
    return invalid("importState: the state has no integer \"version\"");
  if (version->get<std::int64_t>() != kStateVersion)
    return invalid("importState: unsupported state version " + version->dump() + " (this core reads version " +
                   std::to_string(kStateVersion) + ")");

  Reader r;
  UaSnapshot s;
  auto& reg = s.registration;
  const Json* rj = nullptr;
  const Json* calls = nullptr;
  const bool ok =
      r.strings(root, "", {{"aor", &s.aor, Check::NonEmpty}}) &&
      (rj = r.get(root, "", "registration", Json::value_t::object)) &&
      r.strings(*rj, "registration.",
                {{"callId", &reg.call_id, Check::NonEmpty}, {"fromTag", &reg.from_tag, Check::NonEmpty},
                 {"contactHost", &s.contact_host, Check::NonEmpty}, {"contact", &s.contact, Check::Uri},
                 {"instanceId", &s.instance_id}}) &&
      // One below the top: the next REGISTER adds one (§8.1.1.5: 32 bits).
      r.u32(*rj, "registration.", "cseq", reg.cseq, std::numeric_limits<std::uint32_t>::max() - 1) &&
      r.booleans(*rj, "registration.", {{"bound", &reg.bound}}) &&
      (calls = r.get(root, "", "calls", Json::value_t::array));
  if (!ok) return invalid(r.error);
  for (std::size_t i = 0; i < calls->size(); ++i) {
    s.calls.emplace_back();
    if (!read_call(r, (*calls)[i], "calls[" + std::to_string(i) + "].", s.calls.back())) return invalid(r.error);
  }
  return s;
}

}  // namespace wwp::ua
