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

namespace wwp::ua {

namespace {

using rc::Json;

constexpr const char* kType = "wwp-ua-state";
/// The document is 4 levels deep (calls[].dialog.routeSet[]).
constexpr std::size_t kMaxDepth = 8;

Json u32_or_null(const std::optional<std::uint32_t>& v) { return v ? Json(*v) : Json(nullptr); }

Json peer_json(const call::PeerInfo& p) {
  Json j = Json::object();
  j["localPeer"] = p.local_peer;
  j["remotePeer"] = p.remote_peer;
  j["localTag"] = p.local_tag;
  j["remoteTag"] = p.remote_tag;
  j["localUser"] = p.local_user;
  j["remoteUser"] = p.remote_user;
  j["partyId"] = p.party_id;
  j["sessionId"] = p.session_id;
  return j;
}

Json dialog_json(const dialog::DialogSnapshot& d) {
  Json j = Json::object();
  j["uac"] = d.uac;
  j["localTag"] = d.id.local_tag;
  j["remoteTag"] = d.id.remote_tag;
  j["localUri"] = d.local_party;
  j["remoteUri"] = d.remote_party;
  j["remoteTarget"] = d.remote_target;
  j["targetFromContact"] = d.target_from_contact;
  j["routeSet"] = d.route_set;
  j["localCSeq"] = u32_or_null(d.local_seq);
  j["remoteCSeq"] = u32_or_null(d.remote_seq);
  j["creatingCSeq"] = d.creating_cseq;
  j["secure"] = d.secure;
  j["localContact"] = d.local_contact;
  return j;
}

/// Typed member access that records the first problem as "importState:
/// <path>: <what>" and then reads nothing more.
class Reader {
 public:
  const std::string& error() const { return error_; }
  bool ok() const { return error_.empty(); }

  bool fail(const std::string& path, const char* what) {
    if (error_.empty()) error_ = "importState: " + path + ": " + what;
    return false;
  }
  /// The member `key` of object `o`, or nullptr (and an error) if absent.
  const Json* get(const Json& o, const char* key, const std::string& path) {
    const auto it = o.find(key);
    if (it == o.end()) {
      fail(path + key, "missing");
      return nullptr;
    }
    return &*it;
  }
  const Json* object(const Json& o, const char* key, const std::string& path) {
    const Json* v = get(o, key, path);
    if (v && !v->is_object()) {
      fail(path + key, "expected an object");
      return nullptr;
    }
    return v;
  }
  const Json* array(const Json& o, const char* key, const std::string& path) {
    const Json* v = get(o, key, path);
    if (v && !v->is_array()) {
      fail(path + key, "expected an array");
      return nullptr;
    }
    return v;
  }
  /// A string that can go into a SIP header: no CR, LF or NUL (RFC 3261
  /// §7.3.1: a raw line break would start a new header).
  bool text(const Json& v, const std::string& path, std::string& out, bool non_empty = false) {
    if (!v.is_string()) return fail(path, "expected a string");
    const auto& s = v.get_ref<const std::string&>();
    if (s.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
      return fail(path, "contains CR, LF or NUL");
    if (non_empty && s.empty()) return fail(path, "must not be empty");
    out = s;
    return true;
  }
  bool str(const Json& o, const char* key, const std::string& path, std::string& out, bool non_empty = false) {
    const Json* v = get(o, key, path);
    return v && text(*v, path + key, out, non_empty);
  }
  bool boolean(const Json& o, const char* key, const std::string& path, bool& out) {
    const Json* v = get(o, key, path);
    if (!v) return false;
    if (!v->is_boolean()) return fail(path + key, "expected true or false");
    out = v->get<bool>();
    return true;
  }
  /// An integer in [lo, hi].
  bool integer(const Json& v, const std::string& path, std::uint64_t lo, std::uint64_t hi, std::uint64_t& out) {
    const bool negative = v.is_number_integer() && !v.is_number_unsigned() && v.get<std::int64_t>() < 0;
    out = v.is_number_integer() && !negative ? v.get<std::uint64_t>() : 0;
    if (!v.is_number_integer() || negative || out < lo || out > hi)
      return fail(path, ("expected an integer " + std::to_string(lo) + ".." + std::to_string(hi)).c_str());
    return true;
  }
  bool u32(const Json& o, const char* key, const std::string& path, std::uint32_t& out,
           std::uint64_t hi = std::numeric_limits<std::uint32_t>::max(), std::uint64_t lo = 0) {
    const Json* v = get(o, key, path);
    std::uint64_t x = 0;
    if (!v || !integer(*v, path + key, lo, hi, x)) return false;
    out = static_cast<std::uint32_t>(x);
    return true;
  }
  /// An integer or null (a sequence number not yet set, RFC 3261 §12.1).
  bool opt_u32(const Json& o, const char* key, const std::string& path, std::optional<std::uint32_t>& out) {
    const Json* v = get(o, key, path);
    if (!v) return false;
    if (v->is_null()) {
      out.reset();
      return true;
    }
    std::uint64_t x = 0;
    if (!integer(*v, path + key, 0, std::numeric_limits<std::uint32_t>::max(), x)) return false;
    out = static_cast<std::uint32_t>(x);
    return true;
  }
  /// A name-addr header value (`"Bob" <sip:b@x>;tag=1`), as a dialog holds
  /// the From/To/Route values.
  bool name_addr(const Json& v, const std::string& path, std::string& out) {
    if (!text(v, path, out, true)) return false;
    if (!msg::parse_name_addr(out)) return fail(path, "is not a SIP name-addr");
    return true;
  }
  bool uri(const Json& o, const char* key, const std::string& path, std::string& out) {
    if (!str(o, key, path, out, true)) return false;
    if (!msg::parse_uri(out)) return fail(path + key, "is not a SIP URI");
    return true;
  }

 private:
  std::string error_;
};

bool read_peer(Reader& r, const Json& j, const std::string& path, call::PeerInfo& p) {
  return r.str(j, "localPeer", path, p.local_peer) && r.str(j, "remotePeer", path, p.remote_peer) &&
         r.str(j, "localTag", path, p.local_tag) && r.str(j, "remoteTag", path, p.remote_tag) &&
         r.str(j, "localUser", path, p.local_user) && r.str(j, "remoteUser", path, p.remote_user) &&
         r.str(j, "partyId", path, p.party_id) && r.str(j, "sessionId", path, p.session_id);
}

bool read_dialog(Reader& r, const Json& j, const std::string& path, dialog::DialogSnapshot& d) {
  if (!(r.boolean(j, "uac", path, d.uac) && r.str(j, "localTag", path, d.id.local_tag, true) &&
        r.str(j, "remoteTag", path, d.id.remote_tag, true)))
    return false;
  const Json* local = r.get(j, "localUri", path);
  if (!local || !r.name_addr(*local, path + "localUri", d.local_party)) return false;
  const Json* remote = r.get(j, "remoteUri", path);
  if (!remote || !r.name_addr(*remote, path + "remoteUri", d.remote_party)) return false;
  if (!(r.uri(j, "remoteTarget", path, d.remote_target) &&
        r.boolean(j, "targetFromContact", path, d.target_from_contact)))
    return false;
  const Json* routes = r.array(j, "routeSet", path);
  if (!routes) return false;
  for (std::size_t i = 0; i < routes->size(); ++i) {
    std::string route;
    if (!r.name_addr((*routes)[i], path + "routeSet[" + std::to_string(i) + "]", route)) return false;
    d.route_set.push_back(std::move(route));
  }
  if (!(r.opt_u32(j, "localCSeq", path, d.local_seq) && r.opt_u32(j, "remoteCSeq", path, d.remote_seq) &&
        r.u32(j, "creatingCSeq", path, d.creating_cseq) && r.boolean(j, "secure", path, d.secure) &&
        r.str(j, "localContact", path, d.local_contact)))
    return false;
  if (!d.local_contact.empty() && !msg::parse_name_addr(d.local_contact))
    return r.fail(path + "localContact", "is not a SIP name-addr");
  return true;
}

bool read_call(Reader& r, const Json& j, const std::string& path, call::CallSnapshot& c) {
  if (!j.is_object()) return r.fail(path.substr(0, path.size() - 1), "expected an object");
  // Handles cross to JS as int32 (wasm/abi.cpp); 0 means "no call".
  if (!r.u32(j, "call", path, c.call.call, std::numeric_limits<std::int32_t>::max(), 1)) return false;
  if (!r.str(j, "callId", path, c.call.call_id, true)) return false;
  std::string direction;
  if (!r.str(j, "direction", path, direction)) return false;
  if (direction != "inbound" && direction != "outbound")
    return r.fail(path + "direction", "expected \"inbound\" or \"outbound\"");
  c.call.outbound = direction == "outbound";
  if (!r.boolean(j, "held", path, c.call.held)) return false;
  const Json* peer = r.object(j, "peer", path);
  if (!peer || !read_peer(r, *peer, path + "peer.", c.call.peer)) return false;
  if (const auto info = j.find("rcCallInfo"); info != j.end()) {
    const std::string at = path + "rcCallInfo";
    if (!info->is_array()) return r.fail(at, "expected an array of [name, value] pairs");
    for (const Json& pair : *info) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string())
        return r.fail(at, "expected an array of [name, value] pairs");
      c.rc_call_info.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    }
    c.has_rc_call_info = true;
  }
  const Json* dialog = r.object(j, "dialog", path);
  if (!dialog || !read_dialog(r, *dialog, path + "dialog.", c.dialog)) return false;
  c.dialog.id.call_id = c.call.call_id;
  return true;
}

}  // namespace

std::string to_json(const UaSnapshot& s) {
  Json root = Json::object();
  root["type"] = kType;
  root["version"] = kStateVersion;
  root["aor"] = s.aor;
  Json reg = Json::object();
  reg["callId"] = s.registration.call_id;
  reg["fromTag"] = s.registration.from_tag;
  reg["cseq"] = s.registration.cseq;
  reg["contactHost"] = s.contact_host;
  reg["contact"] = s.contact;
  reg["instanceId"] = s.instance_id;
  reg["bound"] = s.registration.bound;
  root["registration"] = std::move(reg);
  Json calls = Json::array();
  for (const auto& c : s.calls) {
    Json j = Json::object();
    j["call"] = c.call.call;
    j["callId"] = c.call.call_id;
    j["direction"] = c.call.outbound ? "outbound" : "inbound";
    j["held"] = c.call.held;
    j["peer"] = peer_json(c.call.peer);
    if (c.has_rc_call_info) {
      Json info = Json::array();
      for (const auto& [name, value] : c.rc_call_info) info.push_back(Json::array({name, value}));
      j["rcCallInfo"] = std::move(info);
    }
    j["dialog"] = dialog_json(c.dialog);
    calls.push_back(std::move(j));
  }
  root["calls"] = std::move(calls);
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
  if (!root.is_object()) return invalid("importState: not a wasm-web-phone state (not an object)");
  const auto type = root.find("type");
  if (type == root.end() || !type->is_string() || type->get_ref<const std::string&>() != kType)
    return invalid("importState: not a wasm-web-phone state (\"type\" is not \"wwp-ua-state\")");
  const auto version = root.find("version");
  if (version == root.end() || !version->is_number_integer())
    return invalid("importState: the state has no integer \"version\"");
  if (version->get<std::int64_t>() != kStateVersion)
    return invalid("importState: unsupported state version " + std::to_string(version->get<std::int64_t>()) +
                   " (this core reads version " + std::to_string(kStateVersion) + ")");

  Reader r;
  UaSnapshot s;
  const Json* reg = nullptr;
  const Json* calls = nullptr;
  const bool ok =
      r.str(root, "aor", "", s.aor, true) && (reg = r.object(root, "registration", "")) &&
      r.str(*reg, "callId", "registration.", s.registration.call_id, true) &&
      r.str(*reg, "fromTag", "registration.", s.registration.from_tag, true) &&
      // One below the top: the next REGISTER adds one (§8.1.1.5: 32 bits).
      r.u32(*reg, "cseq", "registration.", s.registration.cseq, std::numeric_limits<std::uint32_t>::max() - 1) &&
      r.str(*reg, "contactHost", "registration.", s.contact_host, true) &&
      r.uri(*reg, "contact", "registration.", s.contact) &&
      r.str(*reg, "instanceId", "registration.", s.instance_id) &&
      r.boolean(*reg, "bound", "registration.", s.registration.bound) && (calls = r.array(root, "calls", ""));
  if (!ok) return invalid(r.error());
  for (std::size_t i = 0; i < calls->size(); ++i) {
    call::CallSnapshot c;
    if (!read_call(r, (*calls)[i], "calls[" + std::to_string(i) + "].", c)) return invalid(r.error());
    s.calls.push_back(std::move(c));
  }
  return s;
}

}  // namespace wwp::ua
