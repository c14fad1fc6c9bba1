// The flat C ABI between the sans-IO core and the JS shim (js/core/abi.ts).
//
// Why not embind (README "Architecture"): embind's glue was 40 % of the JS we
// shipped and registered every binding at start-up, and its value objects
// made each output a tree of JS objects. Here the shim writes its inputs
// into linear memory and calls plain functions; every call that changes the
// UA drains all of its outputs into one batch (out_writer.hpp) and returns.
//
// Inputs:
//   - `wwp_scratch(n)` returns a buffer of at least n bytes; the shim writes
//     UTF-8 there (a received frame, or the strings of a command).
//   - `wwp_args()` is an int32 table for command arguments: strings as
//     (offset into scratch, length) pairs, numbers as they are.
// Outputs: after each call, `wwp_out()` points at
//   int32 [words_ptr, word_count, arena_ptr, arena_len], then a float64 deadline
//   (ms on the caller's clock, -1 for none) at byte 16.
// A command's result is the batch's first record (an OBJECT named `result`).
// Times cross as doubles (JS numbers, ms).
#include <cstdint>
#include <malloc.h>
#include <string>
#include <string_view>
#include <vector>

#include "core/auth/digest.hpp"
#include "core/msg/parser.hpp"
#include "core/sdp/sdp_body.hpp"
#include "core/ua/ua.hpp"
#include "wasm/out_writer.hpp"

#define WWP_EXPORT(name) extern "C" __attribute__((used, export_name(#name)))

namespace {

using wwp::TimePoint;
using wwp::wasm::Key;
using wwp::wasm::OutWriter;

std::string g_scratch;
// Sized by the shim for each command (wwp_args): a call with many custom
// headers needs more than a fixed table held, and a JS write past one
// overwrote the output header and the allocator's data.
std::vector<std::int32_t> g_args(64);
/// Slot i exists (the shim sized the table for what it wrote).
bool has_args(std::size_t last) { return last < g_args.size(); }
OutWriter g_out;
struct OutHeader {
  std::int32_t words_ptr, word_count, arena_ptr, arena_len;
  double deadline;
} g_header;

TimePoint tp(double now) { return static_cast<TimePoint>(now); }

/// Argument i as a string (its bytes are in scratch).
std::string_view arg_str(int i) {
  if (i < 0 || !has_args(static_cast<std::size_t>(i) + 1)) return {};
  const auto off = static_cast<std::size_t>(g_args[i]);
  const auto len = static_cast<std::size_t>(g_args[i + 1]);
  if (off > g_scratch.size() || len > g_scratch.size() - off) return {};
  return std::string_view(g_scratch).substr(off, len);
}

void finish() {
  g_header.words_ptr = static_cast<std::int32_t>(reinterpret_cast<std::uintptr_t>(g_out.words()));
  g_header.word_count = static_cast<std::int32_t>(g_out.word_count());
  g_header.arena_ptr = static_cast<std::int32_t>(reinterpret_cast<std::uintptr_t>(g_out.arena()));
  g_header.arena_len = static_cast<std::int32_t>(g_out.arena_size());
}

/// Writes every output of the UA after a mutation (house style §3: mutate,
/// then drain until Timeout).
struct Drain {
  OutWriter& out;
  void operator()(const wwp::ua::Transmit& t) const { out.transmit(t.bytes); }
  void operator()(const wwp::ua::Timeout&) const {}
  void operator()(const wwp::ua::Event& e) const { std::visit(*this, e); }

  void operator()(const wwp::ua::MessageTraced& t) const { out.trace(t.inbound, *t.message, t.frame_offset); }
  void operator()(const wwp::reg::Registered& e) const {
    out.begin(Key::registered, 2);
    out.field_u53(Key::expires, e.expires);  // uint32 seconds: as int32 a large one went negative
    // The bindings as one string, a line each: `<expires> <ours 0|1> <uri>
    // <instance>` (js/core/abi.ts splits it). Smaller than any structured
    // field: no new field type in the writer or the decoder, two words in
    // the batch, and it crosses once per refresh. A URI holds no whitespace
    // (core/msg name-addr); the instance goes last, so a space in it is
    // harmless, and CR/LF (which an unescaped quoted-pair could leave)
    // become spaces.
    std::string lines;
    for (const auto& b : e.bindings) {
      if (!lines.empty()) lines += '\n';
      lines += std::to_string(b.expires);
      lines += b.ours ? " 1 " : " 0 ";
      lines += b.uri;
      lines += ' ';
      for (char c : b.instance) lines += c == '\n' || c == '\r' ? ' ' : c;
    }
    out.field(Key::bindings, lines);
  }
  void operator()(const wwp::reg::RegistrationFailed& e) const {
    out.begin(Key::registrationFailed, 5);
    out.field(Key::status, e.status);
    out.field(Key::message, e.message);
    out.field(Key::code, wwp::reg::to_string(e.code));
    out.field(Key::reason, e.reason);
    out.field_u53(Key::retryAfterMs, e.retry_after_ms);
  }
  void operator()(const wwp::reg::Unregistered&) const { out.begin(Key::unregistered, 0); }
  void operator()(const wwp::reg::TransportDead& e) const {
    out.begin(Key::transportDead, 1);
    out.field(Key::reason, e.reason);
  }
  // js/core/abi.ts steps over this record's fields by size when nobody reads
  // the reason (a stray response is dropped on every such frame).
  void operator()(const wwp::ua::Dropped& e) const {
    out.begin(Key::dropped, 1);
    out.field(Key::reason, e.reason);
  }
  void operator()(const wwp::ua::AppResponse& e) const {
    out.begin(Key::appResponse, 3);
    out.field(Key::request, static_cast<std::int32_t>(e.id));
    out.field(Key::detail, e.detail);
    out.field(Key::msg, e.response);
  }
  void operator()(const wwp::call::CallEvent& e) const { std::visit(*this, e); }
  void operator()(const wwp::flow::StateChanged& e) const {
    out.begin(Key::connectionState, 5);
    out.field(Key::state, wwp::flow::to_string(e.state));
    out.field(Key::server, static_cast<std::int32_t>(e.server));
    out.field(Key::attempt, static_cast<std::int32_t>(e.attempt));
    out.field(Key::delay, static_cast<std::int32_t>(e.delay));
    out.field(Key::reason, e.reason);
  }
  void operator()(const wwp::flow::OpenTransport& e) const {
    out.begin(Key::openTransport, 1);
    out.field(Key::server, static_cast<std::int32_t>(e.server));
  }
  void operator()(const wwp::flow::CloseTransport& e) const {
    out.begin(Key::closeTransport, 1);
    out.field(Key::reason, e.reason);
  }
  void operator()(const wwp::ua::Recovered&) const { out.begin(Key::recovered, 0); }

  // --- core/event/: messages, subscriptions, publications ---
  void operator()(const wwp::event::MessageOutcome& e) const {
    out.begin(Key::messageOutcome, 4);
    out.field(Key::request, static_cast<std::int32_t>(e.id));
    out.field(Key::status, e.status);
    out.field(Key::reason, e.reason);
    out.field(Key::detail, e.detail);
  }
  void operator()(const wwp::event::MessageReceived& e) const {
    out.begin(Key::messageReceived, 6);
    out.field(Key::from, e.from);
    out.field(Key::displayName, e.display_name);
    out.field(Key::to, e.to);
    out.field(Key::contentType, e.content_type);
    out.field(Key::body, e.body);
    out.field(Key::callId, e.call_id);
  }
  void operator()(const wwp::event::SubscriptionChanged& e) const {
    out.begin(Key::subscription, 6);
    out.field(Key::sub, static_cast<std::int32_t>(e.id));
    out.field(Key::state, wwp::event::to_string(e.state));
    out.field(Key::reason, e.reason);
    out.field(Key::status, e.status);
    out.field_u53(Key::expiresIn, e.expires);
    out.field_u53(Key::retryAfterMs, static_cast<std::uint64_t>(e.retry_after) * 1000);  // computed in 32 bits it wrapped
  }
  void operator()(const wwp::event::NotifyReceived& e) const {
    out.begin(Key::notify, 4);
    out.field(Key::sub, static_cast<std::int32_t>(e.id));
    out.field(Key::event, e.event);
    out.field(Key::contentType, e.content_type);
    out.field(Key::body, e.body);
  }
  void operator()(const wwp::event::PresenceNotify& e) const {
    const wwp::pres::PresenceTuple* open_tuple = nullptr;
    for (const auto& t : e.doc.tuples)
      if (t.open && !open_tuple) open_tuple = &t;
    out.begin(Key::presence, 6);
    out.field(Key::sub, static_cast<std::int32_t>(e.id));
    out.field(Key::entity, e.doc.entity);
    out.field_bool(Key::open, e.doc.open());
    // The person's note, else the first tuple note (what a buddy list shows).
    std::string_view note = e.doc.note;
    for (const auto& t : e.doc.tuples)
      if (note.empty()) note = t.note;
    out.field(Key::note, note);
    out.field(Key::activity, e.doc.activity);
    out.field(Key::contact, open_tuple ? std::string_view(open_tuple->contact) : std::string_view());
  }
  /// Each dialog as its own record, then the document: js/usages/usages.ts
  /// collects the dialogs until their `dialogInfo` comes (no list type needed).
  void operator()(const wwp::event::DialogInfoNotify& e) const {
    for (const auto& d : e.info.dialogs) {
      out.begin(Key::dialog, 15);
      out.field(Key::sub, static_cast<std::int32_t>(e.id));
      out.field(Key::id, d.id);
      out.field(Key::callId, d.call_id);
      out.field(Key::localTag, d.local_tag);
      out.field(Key::remoteTag, d.remote_tag);
      out.field(Key::direction, wwp::pres::to_string(d.direction));
      out.field(Key::state, wwp::pres::to_string(d.state));
      out.field(Key::event, d.state_event);
      out.field(Key::code, d.state_code);
      out.field(Key::localIdentity, d.local_identity);
      out.field(Key::localDisplay, d.local_display);
      out.field(Key::remoteIdentity, d.remote_identity);
      out.field(Key::remoteDisplay, d.remote_display);
      out.field(Key::remoteTarget, d.remote_target);
      out.field(Key::contact, d.local_target);
    }
    out.begin(Key::dialogInfo, 4);
    out.field(Key::sub, static_cast<std::int32_t>(e.id));
    out.field(Key::entity, e.info.entity);
    out.field_u53(Key::version, e.info.version);
    out.field_bool(Key::full, e.info.full);
  }
  void operator()(const wwp::event::PublicationChanged& e) const {
    out.begin(Key::publication, 6);
    out.field(Key::event, e.event);
    out.field(Key::state, wwp::event::to_string(e.state));
    out.field(Key::status, e.status);
    out.field(Key::reason, e.reason);
    out.field_u53(Key::expiresIn, e.expires);
    out.field(Key::request, static_cast<std::int32_t>(e.generation));
  }

  void peer(const wwp::call::PeerInfo& p) const {
    out.field(Key::localPeer, p.local_peer);
    out.field(Key::remotePeer, p.remote_peer);
    out.field(Key::localTag, p.local_tag);
    out.field(Key::remoteTag, p.remote_tag);
    out.field(Key::localUser, p.local_user);
    out.field(Key::remoteUser, p.remote_user);
    out.field(Key::partyId, p.party_id);
    out.field(Key::sessionId, p.session_id);
  }
  static constexpr int kPeerFields = 8;
  /// The SDP's live video direction ("sendrecv", …), "" for none (core/sdp
  /// live_direction): the shim never reads SDP.
  void video(const std::optional<wwp::sdp::Direction>& d) const {
    out.field(Key::video, d ? std::string_view(wwp::sdp::to_string(*d)) : std::string_view());
  }
  /// The session description in the message: its body, or the SDP part of
  /// a multipart body (core/sdp/sdp_body.hpp); "" when it has none.
  void sdp(const wwp::msg::Message& m) const { out.field(Key::sdp, wwp::sdp::sdp_body(m).value_or("")); }
  void begin(Key name, std::uint32_t call, int fields) const {
    out.begin(name, fields + 1);
    out.field(Key::call, static_cast<std::int32_t>(call));
  }
  void operator()(const wwp::call::IncomingCall& e) const {
    begin(Key::incomingCall, e.call, 7 + kPeerFields);
    out.field(Key::msg, e.invite);
    sdp(e.invite);
    out.field(Key::callId, e.invite.get(wwp::msg::HeaderId::CallId).value_or(""));
    out.field(Key::autoAnswerMs, static_cast<std::int32_t>(e.auto_answer_after));
    out.field(Key::rcSid, e.rc_sid);
    out.field(Key::replaces, static_cast<std::int32_t>(e.replaces));
    video(e.video);
    peer(e.peer);
  }
  void operator()(const wwp::call::CallProgress& e) const {
    begin(Key::callProgress, e.call, 4 + kPeerFields);
    out.field(Key::msg, e.response);
    sdp(e.response);
    out.field(Key::status, e.response.status());
    out.field_bool(Key::early, e.early_answer);
    peer(e.peer);
  }
  void operator()(const wwp::call::CallAnswered& e) const {
    begin(Key::callAnswered, e.call, 4 + kPeerFields);
    out.field(Key::msg, e.response);
    sdp(e.response);
    out.field(Key::status, e.response.status());
    video(e.video);
    peer(e.peer);
  }
  void operator()(const wwp::call::CallConfirmed& e) const {
    begin(Key::callConfirmed, e.call, 2);
    out.field(Key::msg, e.ack);
    sdp(e.ack);
  }
  void operator()(const wwp::call::CallFailed& e) const {
    begin(Key::callFailed, e.call, 2);
    out.field(Key::status, e.status);
    out.field(Key::statusLine, e.status_line);
  }
  void operator()(const wwp::call::CallEnded& e) const {
    begin(Key::callEnded, e.call, 2);
    out.field(Key::status, e.status);
    out.field(Key::reason, e.reason);
  }
  void operator()(const wwp::call::ReinviteOffer& e) const {
    begin(Key::reinviteOffer, e.call, 3);
    out.field(Key::msg, e.request);
    sdp(e.request);
    video(e.video);
  }
  void operator()(const wwp::call::ReinviteDone& e) const {
    begin(Key::reinviteDone, e.call, 4);
    out.field(Key::status, e.status);
    out.field(Key::statusLine, e.status_line);
    out.field(Key::sdp, e.sdp);
    video(e.video);
  }
  void operator()(const wwp::call::ReferDone& e) const {
    begin(Key::referDone, e.call, 2);
    out.field(Key::status, e.status);
    out.field(Key::statusLine, e.status_line);
  }
  void operator()(const wwp::call::ReferReceived& e) const {
    begin(Key::referReceived, e.call, 3);
    out.field(Key::msg, e.request);
    out.field(Key::target, e.target);
    out.field(Key::replaces, e.replaces);
  }
  void operator()(const wwp::call::RequestDone& e) const {
    begin(Key::requestDone, e.call, 3);
    out.field(Key::request, static_cast<std::int32_t>(e.request));
    out.field(Key::status, e.status);
    out.field(Key::statusLine, e.status_line);
  }
  void operator()(const wwp::call::RcMessageReceived& e) const {
    begin(Key::rcMessage, e.call, 4);
    out.field(Key::cmd, e.cmd);
    out.field(Key::sid, e.sid);
    out.field(Key::hdr, e.hdr);
    out.field(Key::bdy, e.bdy);
  }
  void operator()(const wwp::call::RecoverMedia& e) const { begin(Key::recoverMedia, e.call, 0); }
  void operator()(const wwp::call::CallAdopted& e) const {
    begin(Key::callAdopted, e.call, 4 + kPeerFields);
    out.field(Key::callId, e.call_id);
    out.field(Key::direction, e.outbound ? "outbound" : "inbound");
    out.field_bool(Key::held, e.held);
    out.field(Key::media, e.media);
    peer(e.peer);
  }
  void operator()(const wwp::call::DtmfReceived& e) const {
    begin(Key::dtmfReceived, e.call, 2);
    out.field(Key::digit, std::string_view(&e.digit, 1));
    out.field(Key::duration, static_cast<std::int32_t>(e.duration_ms));
  }
  void operator()(const wwp::call::RcInfoResult& e) const {
    begin(Key::rcInfoResult, e.call, e.status ? 5 : 3);
    out.field_u53(Key::reqid, e.reqid);
    out.field(Key::command, e.command);
    out.field(Key::result, e.result_json);
    if (e.status) {
      out.field(Key::status, e.status);
      out.field(Key::statusLine, e.status_line);
    }
  }
};

/// Drain the UA into the batch and publish it.
void drain(wwp::ua::Ua& ua) {
  const Drain d{g_out};
  const wwp::ua::Timeout t = ua.drain_outputs([&d](const wwp::ua::Output& o) { std::visit(d, o); });
  g_header.deadline = t.at == wwp::kNever ? -1.0 : static_cast<double>(t.at);
  finish();
}

/// A command's result: the first record of its batch.
void result(const wwp::Status& s) {
  if (s.ok()) {
    g_out.begin(Key::result, 1);
    g_out.field_bool(Key::ok, true);
    return;
  }
  g_out.begin(Key::result, 4);
  g_out.field_bool(Key::ok, false);
  g_out.field(Key::code, wwp::to_string(s.error().code));
  g_out.field(Key::message, s.error().message);
  g_out.field(Key::status, s.error().sip_status_hint);
}
template <class T>
void result_value(const wwp::Result<T, wwp::UaError>& r, Key key) {
  if (!r.ok()) return result(wwp::Status(wwp::Err<wwp::UaError>{r.error()}));
  g_out.begin(Key::result, 2);
  g_out.field_bool(Key::ok, true);
  g_out.field_u53(key, static_cast<std::uint64_t>(*r));
}
void invalid(std::string_view message) {
  g_out.begin(Key::result, 3);
  g_out.field_bool(Key::ok, false);
  g_out.field(Key::code, "invalid argument");
  g_out.field(Key::message, message);
}

wwp::ua::Ua& ua_of(void* h) { return *static_cast<wwp::ua::Ua*>(h); }

/// Run one command: reset the batch, write its result, drain.
template <class F>
void command(void* h, F&& f) {
  g_out.reset();
  f(ua_of(h));
  drain(ua_of(h));
}

}  // namespace

// --- memory and tables --------------------------------------------------------

WWP_EXPORT(wwp_scratch) char* wwp_scratch(std::uint32_t size) {
  if (g_scratch.size() < size) g_scratch.resize(size);
  return g_scratch.data();
}
/// A table of at least `slots` int32 arguments (it only grows; the shim
/// asks again when a command needs more than it has).
WWP_EXPORT(wwp_args) std::int32_t* wwp_args(std::uint32_t slots) {
  if (g_args.size() < slots) g_args.resize(slots);
  return g_args.data();
}
WWP_EXPORT(wwp_out) OutHeader* wwp_out() { return &g_header; }

/// The key names (index = Key value), then the header ids' long names
/// (index = msg::HeaderId), as a batch of one object with two string lists.
WWP_EXPORT(wwp_tables) void wwp_tables() {
  static const char* const kKeys[] = {
#define WWP_KEY_NAME(k) #k,
      WWP_KEYS(WWP_KEY_NAME)
#undef WWP_KEY_NAME
  };
  std::vector<std::pair<std::string, std::string>> keys, ids;
  for (const char* k : kKeys) keys.emplace_back(k, "");
  for (std::size_t i = 0; i < wwp::msg::kHeaderIdCount; ++i)
    ids.emplace_back(std::string(wwp::msg::header_id_names()[i]), "");
  g_out.reset();
  g_out.begin(Key::result, 2);
  g_out.field(Key::value, keys);
  g_out.field(Key::headerIds, ids);
  finish();
}

/// Bytes the allocator has handed out (the wasm heap in use), for the
/// memory figures in bench/.
WWP_EXPORT(wwp_heap_used) double wwp_heap_used() { return static_cast<double>(mallinfo().uordblks); }

// --- the UA ----------------------------------------------------------------------

/// args: username, authorizationId, password, domain, instanceId, userAgent
/// (strings, an empty userAgent keeps the default), then secure,
/// registerExpires (0 = default), seedHigh, seedLow, then recovery
/// (flow::RecoveryConfig, in its order): enabled, base delay, multiplier %,
/// max delay, max attempts, jitter %, keep-alive interval and timeout,
/// failover after, has backup, primary return, call grace, connect timeout (ms as int32),
/// then session timers (RFC 4028): sessionExpires (s; 0 = do not ask, -1 =
/// the default 1800) and minSE (s; 0 or less = the default 90; the core
/// never goes below 90).
WWP_EXPORT(wwp_ua_new) void* wwp_ua_new() {
  wwp::Config cfg;
  cfg.username = arg_str(0);
  cfg.authorization_id = arg_str(2);
  cfg.password = arg_str(4);
  cfg.domain = arg_str(6);
  cfg.instance_id = arg_str(8);
  if (!arg_str(10).empty()) cfg.user_agent = arg_str(10);
  cfg.secure_transport = g_args[12] != 0;
  if (g_args[13] > 0) cfg.register_expires = static_cast<std::uint32_t>(g_args[13]);
  // Two 32-bit halves: JS numbers cannot carry a full 64-bit seed exactly.
  cfg.rng_seed = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(g_args[14])) << 32) |
                 static_cast<std::uint32_t>(g_args[15]);
  auto& r = cfg.recovery;
  r.enabled = g_args[16] != 0;
  r.base_delay = g_args[17];
  r.multiplier_pct = static_cast<std::uint32_t>(g_args[18]);
  r.max_delay = g_args[19];
  r.max_attempts = static_cast<std::uint32_t>(g_args[20]);
  r.jitter_pct = static_cast<std::uint32_t>(g_args[21]);
  r.keepalive_interval = g_args[22];
  r.keepalive_timeout = g_args[23];
  r.failover_after = static_cast<std::uint32_t>(g_args[24]);
  r.has_backup = g_args[25] != 0;
  r.primary_return = g_args[26];
  r.call_grace = g_args[27];
  r.connect_timeout = g_args[28];
  if (g_args[29] >= 0) cfg.session_expires = static_cast<std::uint32_t>(g_args[29]);
  if (g_args[30] > 0) cfg.min_se = static_cast<std::uint32_t>(g_args[30]);
  return new wwp::ua::Ua(std::move(cfg));
}
WWP_EXPORT(wwp_ua_delete) void wwp_ua_delete(void* h) { delete static_cast<wwp::ua::Ua*>(h); }

/// A received frame: `len` bytes at the start of scratch.
/// `len` bytes of the frame in scratch; `whole`: the frame's size when only
/// its head was written (one past the parser's limit), else 0.
WWP_EXPORT(wwp_receive) void wwp_receive(void* h, std::uint32_t len, double whole, double now) {
  g_out.reset();
  ua_of(h).handle_input(wwp::ua::Received{std::string_view(g_scratch.data(), len), tp(now),
                                          static_cast<std::size_t>(whole > len ? whole : 0)});
  drain(ua_of(h));
}
WWP_EXPORT(wwp_tick) void wwp_tick(void* h, double now) {
  g_out.reset();
  ua_of(h).handle_input(wwp::ua::Tick{tp(now)});
  drain(ua_of(h));
}
/// server: 0 primary, 1 backup.
WWP_EXPORT(wwp_transport_open) void wwp_transport_open(void* h, std::int32_t server, double now) {
  g_out.reset();
  ua_of(h).handle_transport_open(server == 1 ? wwp::flow::Server::Backup : wwp::flow::Server::Primary, tp(now));
  drain(ua_of(h));
}
/// args: reason (string). replaced: the app replaced the socket (no outage).
WWP_EXPORT(wwp_transport_closed) void wwp_transport_closed(void* h, std::int32_t replaced, double now) {
  g_out.reset();
  ua_of(h).handle_transport_closed(tp(now), arg_str(0), replaced != 0);
  drain(ua_of(h));
}
WWP_EXPORT(wwp_network) void wwp_network(void* h, std::int32_t online, double now) {
  g_out.reset();
  ua_of(h).handle_network(online != 0, tp(now));
  drain(ua_of(h));
}
/// expires: seconds to ask for (0: as before, at first the config's).
WWP_EXPORT(wwp_start_register) void wwp_start_register(void* h, std::uint32_t expires, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result(ua.start_register(tp(now), expires)); });
}
WWP_EXPORT(wwp_unregister) void wwp_unregister(void* h, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result(ua.unregister(tp(now))); });
}
/// The contact host the UA invented (`…invalid`), as the result's `value`.
WWP_EXPORT(wwp_contact_host) void wwp_contact_host(void* h) {
  g_out.reset();
  g_out.begin(Key::result, 2);
  g_out.field_bool(Key::ok, true);
  g_out.field(Key::value, ua_of(h).config().contact_host);
  finish();
}

/// Ua::export_state as the result's `value` (JSON text, core/ua/snapshot.hpp).
WWP_EXPORT(wwp_export_state) void wwp_export_state(void* h) {
  g_out.reset();
  g_out.begin(Key::result, 2);
  g_out.field_bool(Key::ok, true);
  g_out.field(Key::value, ua_of(h).export_state());
  finish();
}
/// args: json. Its callAdopted events follow the result.
WWP_EXPORT(wwp_import_state) void wwp_import_state(void* h, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result(ua.import_state(arg_str(0), tp(now))); });
}

// --- calls (see core/ua/ua.hpp for each command's contract) ----------------------

/// args: callee, callerId, sdp, header count n, then n (name, value) pairs.
WWP_EXPORT(wwp_invite) void wwp_invite(void* h, double now) {
  command(h, [&](wwp::ua::Ua& ua) {
    wwp::call::InviteParams p;
    p.callee = arg_str(0);
    p.caller_id = arg_str(2);
    p.sdp = arg_str(4);
    const int n = g_args[6];
    if (n < 0 || !has_args(6 + 4 * static_cast<std::size_t>(n))) return invalid("custom headers: the argument table does not hold them");
    for (int i = 0; i < n; ++i) p.headers.emplace_back(arg_str(7 + 4 * i), arg_str(9 + 4 * i));
    auto r = ua.invite(p, tp(now));
    if (!r.ok()) return result(wwp::Status(wwp::Err<wwp::UaError>{r.error()}));
    g_out.begin(Key::result, 3);
    g_out.field_bool(Key::ok, true);
    g_out.field(Key::call, static_cast<std::int32_t>(*r));
    g_out.field(Key::callId, ua.call_id(*r));
  });
}
/// args: sdp. `early`: 183 Session Progress (sdp "" for none) instead of the 2xx.
WWP_EXPORT(wwp_answer) void wwp_answer(void* h, std::uint32_t call, int early, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result(ua.answer(call, std::string(arg_str(0)), tp(now), early != 0)); });
}
WWP_EXPORT(wwp_reject) void wwp_reject(void* h, std::uint32_t call, int status, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result(ua.reject(call, status, tp(now))); });
}
WWP_EXPORT(wwp_decline) void wwp_decline(void* h, std::uint32_t call, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result_value(ua.decline(call, tp(now)), Key::request); });
}
WWP_EXPORT(wwp_hangup) void wwp_hangup(void* h, std::uint32_t call, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result(ua.hangup(call, tp(now))); });
}
WWP_EXPORT(wwp_hold) void wwp_hold(void* h, std::uint32_t call, int on, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result(ua.hold(call, on != 0, tp(now))); });
}
/// args: sdp
WWP_EXPORT(wwp_reinvite) void wwp_reinvite(void* h, std::uint32_t call, int to_receive, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result(ua.reinvite(call, std::string(arg_str(0)), to_receive != 0, tp(now))); });
}
/// args: sdp
/// hold: we hold the call, so the answer (or offer) goes sendonly/inactive.
WWP_EXPORT(wwp_answer_reinvite) void wwp_answer_reinvite(void* h, std::uint32_t call, std::int32_t hold, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result(ua.answer_reinvite(call, std::string(arg_str(0)), tp(now), hold != 0)); });
}
/// args: target
WWP_EXPORT(wwp_refer) void wwp_refer(void* h, std::uint32_t call, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result(ua.refer(call, std::string(arg_str(0)), tp(now))); });
}
WWP_EXPORT(wwp_refer_progress) void wwp_refer_progress(void* h, std::uint32_t call, int status, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result(ua.refer_progress(call, status, tp(now))); });
}
WWP_EXPORT(wwp_refer_replaces) void wwp_refer_replaces(void* h, std::uint32_t call, std::uint32_t other, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result(ua.refer_replaces(call, other, tp(now))); });
}
/// args: method, contentType, body
WWP_EXPORT(wwp_send_request) void wwp_send_request(void* h, std::uint32_t call, double now) {
  command(h, [&](wwp::ua::Ua& ua) {
    result_value(ua.send_request(call, std::string(arg_str(0)), std::string(arg_str(2)), std::string(arg_str(4)),
                                 tp(now)),
                 Key::request);
  });
}
/// args: digits. Completes with requestDone (core/call/call.hpp send_dtmf_info).
WWP_EXPORT(wwp_send_dtmf_info) void wwp_send_dtmf_info(void* h, std::uint32_t call, std::uint32_t duration, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result_value(ua.send_dtmf_info(call, arg_str(0), duration, tp(now)), Key::request); });
}
/// args: text
WWP_EXPORT(wwp_send_app_message) void wwp_send_app_message(void* h, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result_value(ua.send_app_message(arg_str(0), tp(now)), Key::request); });
}

/// RingCentral pre-answer command. `command` indexes call::Call::RcCommand
/// (confirm, decline, voicemail, forward, startReply, reply). args: target,
/// then the reply options as strings text, type, direction, unit (each with
/// a presence flag) and delay: [target(2), text(2), type(2), direction(2),
/// unit(2), presence bits, delay present, delay as two words of a double].
WWP_EXPORT(wwp_rc_command) void wwp_rc_command(void* h, std::uint32_t call, int cmd, double delay, double now) {
  command(h, [&](wwp::ua::Ua& ua) {
    using Cmd = wwp::call::Call::RcCommand;
    if (cmd < 0 || cmd > static_cast<int>(Cmd::Reply)) return invalid("unknown RingCentral command");
    wwp::rc::LooseReplyArgs reply;
    const int present = g_args[10];
    auto opt = [&](int bit, int at) -> std::optional<std::string> {
      return (present & (1 << bit)) ? std::optional<std::string>(std::string(arg_str(at))) : std::nullopt;
    };
    reply.text = opt(0, 2);
    reply.type = opt(1, 4);
    reply.direction = opt(2, 6);
    reply.unit = opt(3, 8);
    if (present & (1 << 4)) reply.delay = delay;
    result_value(ua.rc_command(call, static_cast<Cmd>(cmd), std::string(arg_str(0)), reply, tp(now)), Key::request);
  });
}
/// args: command, target
WWP_EXPORT(wwp_rc_info) void wwp_rc_info(void* h, std::uint32_t call, double now) {
  command(h, [&](wwp::ua::Ua& ua) {
    result_value(ua.rc_info(call, std::string(arg_str(0)), std::string(arg_str(2)), tp(now)), Key::request);
  });
}
/// `p-rc-api-call-info` pairs as the result's `value` (absent: none).
WWP_EXPORT(wwp_rc_api_call_info) void wwp_rc_api_call_info(void* h, std::uint32_t call) {
  g_out.reset();
  const auto* info = ua_of(h).rc_call_info(call);
  g_out.begin(Key::result, info ? 2 : 1);
  g_out.field_bool(Key::ok, true);
  if (info) g_out.field(Key::value, *info);
  finish();
}

/// What the UA holds (Ua::live_counts) as the result.
WWP_EXPORT(wwp_ua_live) void wwp_ua_live(void* h) {
  g_out.reset();
  const auto c = ua_of(h).live_counts();
  g_out.begin(Key::result, 6);
  g_out.field_bool(Key::ok, true);
  g_out.field(Key::calls, static_cast<std::int32_t>(c.calls));
  g_out.field(Key::dialogs, static_cast<std::int32_t>(c.dialogs));
  g_out.field(Key::transactions, static_cast<std::int32_t>(c.transactions));
  g_out.field(Key::subscriptions, static_cast<std::int32_t>(c.subscriptions));
  g_out.field(Key::publications, static_cast<std::int32_t>(c.publications));
  finish();
}

// --- messages, subscriptions, publications (core/event/) --------------------------

/// args: target, contentType, body. Result: the message's `request` id.
WWP_EXPORT(wwp_send_message) void wwp_send_message(void* h, double now) {
  command(h, [&](wwp::ua::Ua& ua) {
    wwp::event::MessageParams p{std::string(arg_str(0)), std::string(arg_str(2)), std::string(arg_str(4))};
    result_value(ua.send_message(p, tp(now)), Key::request);
  });
}
/// args: n, then n content types.
WWP_EXPORT(wwp_set_message_types) void wwp_set_message_types(void* h) {
  g_out.reset();
  const int n = g_args[0];
  if (n < 0 || !has_args(2 * static_cast<std::size_t>(n))) {
    invalid("message types: the argument table does not hold them");
  } else {
    std::vector<std::string> types;
    for (int i = 0; i < n; ++i) types.emplace_back(arg_str(1 + 2 * i));
    ua_of(h).set_message_types(std::move(types));
    result(wwp::ok_status());
  }
  finish();
}
/// Codec preferences and bandwidth (core/sdp/codec_prefs.hpp), once after
/// wwp_ua_new. args: n audio names, the names, m video names, the names.
/// A bad list is refused with its reason and nothing changes.
WWP_EXPORT(wwp_set_media_prefs) void wwp_set_media_prefs(void* h, std::int32_t audio_kbps) {
  g_out.reset();
  wwp::sdp::MediaPrefs p;
  p.audio_kbps = audio_kbps > 0 ? static_cast<std::uint32_t>(audio_kbps) : 0;
  int at = 0;
  std::string bad;
  for (auto* list : {&p.audio, &p.video}) {
    const int n = has_args(static_cast<std::size_t>(at)) ? g_args[at] : -1;
    if (n < 0 || !has_args(static_cast<std::size_t>(at) + 2 * static_cast<std::size_t>(n))) {
      bad = "codec names: the argument table does not hold them";
      break;
    }
    for (int i = 0; i < n; ++i) list->emplace_back(arg_str(at + 1 + 2 * i));
    at += 1 + 2 * n;
    if (n > 0) bad = wwp::sdp::check_codec_list(*list);
    if (!bad.empty()) {
      bad = std::string(list == &p.audio ? "codecPreferences.audio " : "codecPreferences.video ") + bad;
      break;
    }
  }
  if (!bad.empty()) {
    invalid(bad);
  } else {
    ua_of(h).set_media_prefs(std::move(p));
    result(wwp::ok_status());
  }
  finish();
}
/// args: sdp, offer (empty unless sdp answers it). reject_video: the answer
/// refuses the offer's video (port 0). Result: the rewritten SDP as `value`,
/// or the error (code "invalid argument", the SDP layer's message).
WWP_EXPORT(wwp_rewrite_sdp) void wwp_rewrite_sdp(void* h, std::int32_t reject_video) {
  g_out.reset();
  auto r = ua_of(h).rewrite_local_sdp(arg_str(0), arg_str(2), reject_video != 0);
  if (!r.ok()) {
    invalid(r.error().message);
  } else {
    g_out.begin(Key::result, 2);
    g_out.field_bool(Key::ok, true);
    g_out.field(Key::value, *r);
  }
  finish();
}
/// args: target, event, accept. Result: the subscription's `sub` id.
WWP_EXPORT(wwp_subscribe) void wwp_subscribe(void* h, std::uint32_t expires, double now) {
  command(h, [&](wwp::ua::Ua& ua) {
    wwp::event::SubscriptionParams p{std::string(arg_str(0)), std::string(arg_str(2)), std::string(arg_str(4)), expires};
    result_value(ua.subscribe(p, tp(now)), Key::sub);
  });
}
WWP_EXPORT(wwp_unsubscribe) void wwp_unsubscribe(void* h, std::uint32_t sub, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result(ua.unsubscribe(sub, tp(now))); });
}
/// args: event, contentType, body.
WWP_EXPORT(wwp_publish) void wwp_publish(void* h, std::uint32_t expires, double now) {
  command(h, [&](wwp::ua::Ua& ua) {
    result_value(ua.publish({std::string(arg_str(0)), std::string(arg_str(2)), std::string(arg_str(4)), expires}, tp(now)),
                 Key::request);
  });
}
/// args: note, activity. Result: the publish generation as `request`.
WWP_EXPORT(wwp_publish_presence) void wwp_publish_presence(void* h, std::int32_t open, std::uint32_t expires, double now) {
  command(h, [&](wwp::ua::Ua& ua) {
    result_value(ua.publish_presence(open != 0, std::string(arg_str(0)), std::string(arg_str(2)), expires, tp(now)),
                 Key::request);
  });
}
/// args: event.
WWP_EXPORT(wwp_unpublish) void wwp_unpublish(void* h, double now) {
  command(h, [&](wwp::ua::Ua& ua) { result(ua.unpublish(std::string(arg_str(0)), tp(now))); });
}
WWP_EXPORT(wwp_end_usages) void wwp_end_usages(void* h, double now) {
  command(h, [&](wwp::ua::Ua& ua) {
    ua.end_usages(tp(now));
    result(wwp::ok_status());
  });
}

// --- helpers the public API exposes ------------------------------------------------

/// `SipMessage.fromString` (spec §2.10): the core's parser on `len` bytes of
/// scratch, so app code reads a message as the UA does (folding, compact
/// forms, Via stack). The result has `msg` described against that text.
WWP_EXPORT(wwp_parse_message) void wwp_parse_message(std::uint32_t len) {
  g_out.reset();
  auto v = wwp::msg::parse_view(std::string_view(g_scratch.data(), len));
  if (!v) {
    invalid("malformed SIP message: " + wwp::msg::to_string(v.error()));
  } else {
    const wwp::msg::Message m = wwp::msg::to_message(*v);
    g_out.begin(Key::result, 2);
    g_out.field_bool(Key::ok, true);
    g_out.field_frame(Key::msg, m, v->offset);
  }
  finish();
}

/// RFC 2617 §3.2.2 MD5 `response` without qop, for the compatibility helper
/// `utils.generateAuthorization` (the SDK itself authenticates inside the UA).
/// args: username, password, realm, nonce, method, uri.
WWP_EXPORT(wwp_digest_response) void wwp_digest_response() {
  g_out.reset();
  wwp::auth::Challenge challenge;
  challenge.realm = arg_str(4);
  challenge.nonce = arg_str(6);
  const wwp::auth::Credentials credentials{std::string(arg_str(0)), std::string(arg_str(2))};
  auto r = wwp::auth::compute_response(challenge, credentials, arg_str(8), arg_str(10), {});
  if (!r.ok()) {
    invalid(r.error().to_string());
  } else {
    g_out.begin(Key::result, 2);
    g_out.field_bool(Key::ok, true);
    g_out.field(Key::value, *r);
  }
  finish();
}
