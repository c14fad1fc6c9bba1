// The embind surface (house style §13): one opaque `Ua` handle, plain values
// across. Every output of the core becomes a plain JS object:
//   {type:"transmit", bytes}
//   {type:"timeout", at, reason}                      (at = -1 for never)
//   {type:"event", name:"registered", expires}
//   {type:"event", name:"registrationFailed", status, message}
//   {type:"event", name:"unregistered"}
//   {type:"event", name:"transportDead", reason}
//   {type:"event", name:"message", inbound, subject, headers:[[n,v]…], body, text}
//   {type:"event", name:"dropped", reason}
//   call events: {type:"event", name:"incomingCall"|"callProgress"|…, call, …}
//     (see js/core/sip-core.d.ts for every shape)
// Commands return {ok:true} or {ok:false, code, message, status}.
// The shim (js/) turns these into the ringcentral-web-phone API.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "core/auth/digest.hpp"
#include "core/msg/parser.hpp"
#include "core/ua/ua.hpp"

using emscripten::val;

namespace {

std::string str(const val& o, const char* key) {
  const val v = o[key];
  return v.isString() ? v.as<std::string>() : std::string();
}

val status_to_js(const wwp::ua::Status& s) {
  val o = val::object();
  o.set("ok", s.ok());
  if (!s.ok()) {
    o.set("code", std::string(wwp::ua::to_string(s.error().code)));
    o.set("message", s.error().message);
    o.set("status", s.error().sip_status_hint);
  }
  return o;
}

/// `{ok: true, request}` for a command that started a request (its id comes
/// back in a later event), or the error as status_to_js gives it.
template <class T>
val request_to_js(const wwp::Result<T, wwp::ua::UaError>& r) {
  if (!r.ok()) return status_to_js(wwp::ua::Status(wwp::Err<wwp::ua::UaError>{r.error()}));
  val o = val::object();
  o.set("ok", true);
  o.set("request", static_cast<double>(*r));
  return o;
}

val event_base(const char* name) {
  val o = val::object();
  o.set("type", std::string("event"));
  o.set("name", std::string(name));
  return o;
}

/// subject/headers/body/text of a message, set on `o`.
void put_message(val& o, const wwp::msg::Message& m) {
  o.set("subject", m.start_line());
  val headers = val::array();
  int i = 0;
  for (const auto& h : m.headers()) {
    val pair = val::array();
    pair.set(0, h.name);
    pair.set(1, h.value);
    headers.set(i++, pair);
  }
  o.set("headers", headers);
  o.set("body", m.body());
  o.set("text", m.to_string());
}

void put_peer(val& o, const wwp::call::PeerInfo& p) {
  o.set("localPeer", p.local_peer);
  o.set("remotePeer", p.remote_peer);
  o.set("localTag", p.local_tag);
  o.set("remoteTag", p.remote_tag);
  o.set("localUser", p.local_user);
  o.set("remoteUser", p.remote_user);
  o.set("partyId", p.party_id);
  o.set("sessionId", p.session_id);
}

val message_to_js(const wwp::ua::MessageTraced& t) {
  val o = event_base("message");
  o.set("inbound", t.inbound);
  put_message(o, t.message);
  return o;
}

struct CallEventToJs {
  template <class E>
  val with_call(const char* name, const E& e) const {
    val o = event_base(name);
    o.set("call", e.call);
    return o;
  }
  val operator()(const wwp::call::IncomingCall& e) const {
    val o = with_call("incomingCall", e);
    put_message(o, e.invite);
    put_peer(o, e.peer);
    o.set("callId", std::string(e.invite.get("Call-ID").value_or("")));
    o.set("autoAnswerMs", static_cast<double>(e.auto_answer_after));
    o.set("rcSid", e.rc_sid);
    o.set("replaces", e.replaces);
    return o;
  }
  val operator()(const wwp::call::CallProgress& e) const {
    val o = with_call("callProgress", e);
    put_message(o, e.response);
    put_peer(o, e.peer);
    o.set("status", e.response.status());
    return o;
  }
  val operator()(const wwp::call::CallAnswered& e) const {
    val o = with_call("callAnswered", e);
    put_message(o, e.response);
    put_peer(o, e.peer);
    o.set("status", e.response.status());
    return o;
  }
  val operator()(const wwp::call::CallConfirmed& e) const {
    val o = with_call("callConfirmed", e);
    put_message(o, e.ack);
    return o;
  }
  val operator()(const wwp::call::CallFailed& e) const {
    val o = with_call("callFailed", e);
    o.set("status", e.status);
    o.set("statusLine", e.status_line);
    return o;
  }
  val operator()(const wwp::call::CallEnded& e) const {
    val o = with_call("callEnded", e);
    o.set("status", e.status);
    o.set("reason", e.reason);
    return o;
  }
  val operator()(const wwp::call::ReinviteOffer& e) const {
    val o = with_call("reinviteOffer", e);
    put_message(o, e.request);
    return o;
  }
  val operator()(const wwp::call::ReinviteDone& e) const {
    val o = with_call("reinviteDone", e);
    o.set("status", e.status);
    o.set("statusLine", e.status_line);
    o.set("sdp", e.sdp);
    return o;
  }
  val operator()(const wwp::call::ReferDone& e) const {
    val o = with_call("referDone", e);
    o.set("status", e.status);
    o.set("statusLine", e.status_line);
    return o;
  }
  val operator()(const wwp::call::ReferReceived& e) const {
    val o = with_call("referReceived", e);
    put_message(o, e.request);
    o.set("target", e.target);
    o.set("replaces", e.replaces);
    return o;
  }
  static val pairs(const std::vector<std::pair<std::string, std::string>>& v) {
    val a = val::array();
    int i = 0;
    for (const auto& [k, value] : v) {
      val pair = val::array();
      pair.set(0, k);
      pair.set(1, value);
      a.set(i++, pair);
    }
    return a;
  }
  val operator()(const wwp::call::RcMessageReceived& e) const {
    val o = with_call("rcMessage", e);
    o.set("cmd", e.cmd);
    o.set("sid", e.sid);
    o.set("hdr", pairs(e.hdr));
    o.set("bdy", pairs(e.bdy));
    return o;
  }
  val operator()(const wwp::call::RcInfoResult& e) const {
    val o = with_call("rcInfoResult", e);
    o.set("reqid", static_cast<double>(e.reqid));
    o.set("command", e.command);
    o.set("result", e.result_json);
    return o;
  }
  val operator()(const wwp::call::RequestDone& e) const {
    val o = with_call("requestDone", e);
    o.set("request", e.request);
    o.set("status", e.status);
    o.set("statusLine", e.status_line);
    return o;
  }
};

struct EventToJs {
  val operator()(const wwp::reg::Registered& e) const {
    val o = base("registered");
    o.set("expires", e.expires);
    return o;
  }
  val operator()(const wwp::reg::RegistrationFailed& e) const {
    val o = base("registrationFailed");
    o.set("status", e.status);
    o.set("message", e.message);
    return o;
  }
  val operator()(const wwp::reg::Unregistered&) const { return base("unregistered"); }
  val operator()(const wwp::reg::TransportDead& e) const {
    val o = base("transportDead");
    o.set("reason", e.reason);
    return o;
  }
  val operator()(const wwp::ua::MessageTraced& e) const { return message_to_js(e); }
  val operator()(const wwp::ua::Dropped& e) const {
    val o = base("dropped");
    o.set("reason", e.reason);
    return o;
  }
  val operator()(const wwp::call::CallEvent& e) const { return std::visit(CallEventToJs{}, e); }
  val operator()(const wwp::ua::AppResponse& e) const {
    val o = base("appResponse");
    o.set("request", e.id);
    o.set("detail", e.detail);
    put_message(o, e.response);
    return o;
  }
  static val base(const char* name) { return event_base(name); }
};

struct OutputToJs {
  val operator()(const wwp::ua::Transmit& t) const {
    val o = val::object();
    o.set("type", std::string("transmit"));
    o.set("bytes", t.bytes);
    return o;
  }
  val operator()(const wwp::ua::Timeout& t) const {
    val o = val::object();
    o.set("type", std::string("timeout"));
    o.set("at", t.at == wwp::kNever ? -1.0 : static_cast<double>(t.at));
    o.set("reason", std::string(t.reason));
    return o;
  }
  val operator()(const wwp::ua::Event& e) const { return std::visit(EventToJs{}, e); }
};

/// The one handle JS holds. Times cross as doubles (JS numbers, ms).
class UaHandle {
 public:
  explicit UaHandle(const val& c) : ua_(config_from(c)) {}

  void receive(const std::string& bytes, double now) {
    ua_.handle_input(wwp::ua::Received{bytes, static_cast<wwp::TimePoint>(now)});
  }
  void tick(double now) { ua_.handle_input(wwp::ua::Tick{static_cast<wwp::TimePoint>(now)}); }
  val startRegister(double now) { return status_to_js(ua_.start_register(to_tp(now))); }
  val unregister(double now) { return status_to_js(ua_.unregister(to_tp(now))); }
  void transportClosed(double now) { ua_.handle_transport_closed(to_tp(now)); }
  val poll() { return std::visit(OutputToJs{}, ua_.poll_output()); }

  val invite(const val& p, double now) {
    wwp::call::InviteParams params;
    params.callee = str(p, "callee");
    params.caller_id = str(p, "callerId");
    params.sdp = str(p, "sdp");
    const val headers = p["headers"];
    if (headers.isArray()) {
      const unsigned n = headers["length"].as<unsigned>();
      for (unsigned i = 0; i < n; ++i) {
        const val pair = headers[i];
        if (!pair[0].isString() || !pair[1].isString()) return invalid("header names and values must be strings");
        params.headers.emplace_back(pair[0].as<std::string>(), pair[1].as<std::string>());
      }
    }
    auto r = ua_.invite(params, to_tp(now));
    if (!r.ok()) return status_to_js(wwp::ua::Status(wwp::Err<wwp::ua::UaError>{r.error()}));
    val o = val::object();
    o.set("ok", true);
    o.set("call", *r);
    o.set("callId", ua_.call_id(*r));
    return o;
  }
  val answer(unsigned call, const std::string& sdp, double now) { return status_to_js(ua_.answer(call, sdp, to_tp(now))); }
  val reject(unsigned call, int status, double now) { return status_to_js(ua_.reject(call, status, to_tp(now))); }
  val decline(unsigned call, double now) {
    return request_to_js(ua_.decline(call, to_tp(now)));
  }
  val hangup(unsigned call, double now) { return status_to_js(ua_.hangup(call, to_tp(now))); }
  val hold(unsigned call, bool on, double now) { return status_to_js(ua_.hold(call, on, to_tp(now))); }
  val reinvite(unsigned call, const std::string& sdp, bool to_receive, double now) {
    return status_to_js(ua_.reinvite(call, sdp, to_receive, to_tp(now)));
  }
  val answerReinvite(unsigned call, const std::string& sdp, double now) {
    return status_to_js(ua_.answer_reinvite(call, sdp, to_tp(now)));
  }
  val refer(unsigned call, const std::string& target, double now) { return status_to_js(ua_.refer(call, target, to_tp(now))); }
  val referProgress(unsigned call, int status, double now) {
    return status_to_js(ua_.refer_progress(call, status, to_tp(now)));
  }
  val referReplaces(unsigned call, unsigned other, double now) {
    return status_to_js(ua_.refer_replaces(call, other, to_tp(now)));
  }
  val rcCommand(unsigned call, const std::string& name, const val& options, double now) {
    using Cmd = wwp::call::Call::RcCommand;
    static const std::pair<const char*, Cmd> kNames[] = {
        {"confirm", Cmd::Confirm}, {"decline", Cmd::Decline}, {"voicemail", Cmd::Voicemail},
        {"forward", Cmd::Forward}, {"startReply", Cmd::StartReply}, {"reply", Cmd::Reply}};
    const Cmd* cmd = nullptr;
    for (const auto& [n, c] : kNames)
      if (name == n) cmd = &c;
    if (!cmd) return invalid("unknown RingCentral command");
    wwp::rc::LooseReplyArgs reply;
    const val r = options["reply"];
    if (r.isUndefined() == false && r.isNull() == false) {
      // Only strings and numbers cross; anything else stays unset so the
      // core rejects it as "Invalid reply options" (as the original does).
      auto opt_str = [&](const char* key) -> std::optional<std::string> {
        const val v = r[key];
        return v.isString() ? std::optional<std::string>(v.as<std::string>()) : std::nullopt;
      };
      reply.text = opt_str("text");
      reply.type = opt_str("type");
      if (reply.type && *reply.type == "text") reply.type.reset();
      reply.direction = opt_str("direction");
      reply.unit = opt_str("unit");
      if (r["delay"].isNumber()) reply.delay = r["delay"].as<double>();
    }
    return request_to_js(ua_.rc_command(call, *cmd, str(options, "target"), reply, to_tp(now)));
  }
  val rcInfo(unsigned call, const std::string& command, const std::string& target, double now) {
    return request_to_js(ua_.rc_info(call, command, target, to_tp(now)));
  }
  val rcApiCallInfo(unsigned call) const {
    const auto* info = ua_.rc_call_info(call);
    return info ? CallEventToJs::pairs(*info) : val::null();
  }
  val sendRequest(unsigned call, const std::string& method, const std::string& type, const std::string& body, double now) {
    return request_to_js(ua_.send_request(call, method, type, body, to_tp(now)));
  }
  val sendAppMessage(const std::string& text, double now) {
    return request_to_js(ua_.send_app_message(text, to_tp(now)));
  }
  std::string contactHost() const { return ua_.config().contact_host; }

 private:
  static wwp::TimePoint to_tp(double now) { return static_cast<wwp::TimePoint>(now); }
  static val invalid(const char* message) {
    val o = val::object();
    o.set("ok", false);
    o.set("code", std::string("invalid argument"));
    o.set("message", std::string(message));
    return o;
  }
  static wwp::ua::Config config_from(const val& c) {
    wwp::ua::Config cfg;
    cfg.username = str(c, "username");
    cfg.authorization_id = str(c, "authorizationId");
    cfg.password = str(c, "password");
    cfg.domain = str(c, "domain");
    cfg.instance_id = str(c, "instanceId");
    cfg.secure_transport = !c["secure"].isFalse();
    if (c["userAgent"].isString()) cfg.user_agent = str(c, "userAgent");
    if (c["registerExpires"].isNumber()) cfg.register_expires = c["registerExpires"].as<unsigned>();
    // Two 32-bit halves: JS numbers cannot carry a full 64-bit seed exactly.
    const double hi = c["seedHigh"].isNumber() ? c["seedHigh"].as<double>() : 0;
    const double lo = c["seedLow"].isNumber() ? c["seedLow"].as<double>() : 0;
    cfg.rng_seed = (static_cast<std::uint64_t>(hi) << 32) | static_cast<std::uint32_t>(lo);
    return cfg;
  }

  wwp::ua::Ua ua_;
};

}  // namespace

/// `SipMessage.fromString` (spec §2.10): the core's parser, so app code gets
/// the same reading of a message as the UA (folding, compact forms, Via stack).
val parseMessage(const std::string& text) {
  val o = val::object();
  auto m = wwp::msg::parse(text);
  o.set("ok", m.ok());
  if (m.ok()) put_message(o, *m);
  else o.set("message", "malformed SIP message: " + wwp::msg::to_string(m.error()));
  return o;
}

/// RFC 2617 §3.2.2 MD5 `response` without qop, for the compatibility helper
/// `utils.generateAuthorization` (the SDK itself authenticates inside the UA).
val digestResponse(const std::string& username, const std::string& password, const std::string& realm,
                   const std::string& nonce, const std::string& method, const std::string& uri) {
  wwp::auth::Challenge challenge;
  challenge.realm = realm;
  challenge.nonce = nonce;
  auto r = wwp::auth::compute_response(challenge, {username, password}, method, uri, {});
  val o = val::object();
  o.set("ok", r.ok());
  if (r.ok()) o.set("response", *r);
  else o.set("message", r.error().to_string());
  return o;
}

EMSCRIPTEN_BINDINGS(wasm_web_phone) {
  emscripten::class_<UaHandle>("Ua")
      .constructor<const val&>()
      .function("receive", &UaHandle::receive)
      .function("tick", &UaHandle::tick)
      .function("startRegister", &UaHandle::startRegister)
      .function("unregister", &UaHandle::unregister)
      .function("transportClosed", &UaHandle::transportClosed)
      .function("poll", &UaHandle::poll)
      .function("invite", &UaHandle::invite)
      .function("answer", &UaHandle::answer)
      .function("reject", &UaHandle::reject)
      .function("decline", &UaHandle::decline)
      .function("hangup", &UaHandle::hangup)
      .function("hold", &UaHandle::hold)
      .function("reinvite", &UaHandle::reinvite)
      .function("answerReinvite", &UaHandle::answerReinvite)
      .function("refer", &UaHandle::refer)
      .function("sendRequest", &UaHandle::sendRequest)
      .function("sendAppMessage", &UaHandle::sendAppMessage)
      .function("referReplaces", &UaHandle::referReplaces)
      .function("referProgress", &UaHandle::referProgress)
      .function("rcCommand", &UaHandle::rcCommand)
      .function("rcInfo", &UaHandle::rcInfo)
      .function("rcApiCallInfo", &UaHandle::rcApiCallInfo)
      .function("contactHost", &UaHandle::contactHost);
  emscripten::function("digestResponse", &digestResponse);
  emscripten::function("parseMessage", &parseMessage);
}
