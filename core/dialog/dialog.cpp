// RFC 3261 §12 dialogs: creation (§12.1), in-dialog requests (§12.2), glare
// (§14) and the per-UA registry. See dialog.hpp for the calling contract.
#include "core/dialog/dialog.hpp"

#include <algorithm>
#include <cstdlib>
#include <variant>

#include "core/msg/header_fields.hpp"
#include "core/msg/uri.hpp"

namespace wwp::dialog {
namespace {

Err<DialogError> fail(DialogErrorCode code, std::string message, int hint = 0) {
  return Err<DialogError>{DialogError{code, std::move(message), hint}};
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

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("-.!%*_+`'~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

/// The pieces every dialog operation reads from a message.
struct Core {
  std::string call_id;
  std::string from;  ///< raw header value
  std::string to;
  msg::NameAddr from_na;
  msg::NameAddr to_na;
  msg::CSeq cseq;
};

Result<Core, DialogError> read_core(const msg::Message& m, int hint) {
  const auto call_id = m.get("Call-ID");
  const auto from = m.get("From");
  const auto to = m.get("To");
  const auto cseq = m.get("CSeq");
  if (!call_id || call_id->empty() || !from || !to || !cseq)
    return fail(DialogErrorCode::Malformed, "missing Call-ID, From, To or CSeq", hint);
  auto f = msg::parse_name_addr(*from);
  if (!f) return fail(DialogErrorCode::Malformed, "unparsable From", hint);
  auto t = msg::parse_name_addr(*to);
  if (!t) return fail(DialogErrorCode::Malformed, "unparsable To", hint);
  auto c = msg::parse_cseq(*cseq);
  if (!c) return fail(DialogErrorCode::Malformed, "unparsable CSeq", hint);
  return Core{std::string(*call_id), std::string(*from), std::string(*to), std::move(f.value()),
              std::move(t.value()), std::move(c.value())};
}

/// The URI of the first Contact (§12.1.1/§12.1.2: "the URI in the Contact
/// header field"); nullopt if there is none, an error if it does not parse.
Result<std::optional<std::string>, DialogError> contact_uri(const msg::Message& m, int hint) {
  const auto contacts = m.get_all("Contact");
  if (contacts.empty()) return std::optional<std::string>{};
  auto na = msg::parse_name_addr(contacts.front());
  if (!na || na->uri.empty() || na->uri == "*")
    return fail(DialogErrorCode::Malformed, "unparsable Contact", hint);
  return std::optional<std::string>{na->uri};
}

/// Record-Route values, each checked to be a name-addr (§20.30).
Result<std::vector<std::string>, DialogError> record_routes(const msg::Message& m, int hint) {
  std::vector<std::string> out;
  for (auto v : m.get_all("Record-Route")) {
    if (!msg::parse_name_addr(v)) return fail(DialogErrorCode::Malformed, "unparsable Record-Route", hint);
    out.emplace_back(v);
  }
  return out;
}

bool is_sips(std::string_view uri) {
  return uri.size() >= 5 && iequals(uri.substr(0, 5), "sips:");
}

/// §12.2.1.1 strict routing: "place the first URI from the route set into the
/// Request-URI, stripping any parameters that are not allowed in a
/// Request-URI" (§19.1.1 table: `method` and URI headers are not).
std::string strip_for_request_uri(std::string_view uri_text) {
  auto u = msg::parse_uri(uri_text);
  if (!u) return std::string(uri_text);
  u->headers.clear();
  u->params.erase(std::remove_if(u->params.begin(), u->params.end(),
                                 [](const msg::UriParam& p) { return iequals(p.name, "method"); }),
                  u->params.end());
  return u->to_string();
}

std::string bracket(std::string_view uri) { return "<" + std::string(uri) + ">"; }

}  // namespace

// --- small types ----------------------------------------------------------------

bool operator==(const DialogId& a, const DialogId& b) {
  return a.call_id == b.call_id && a.local_tag == b.local_tag && a.remote_tag == b.remote_tag;
}
bool operator!=(const DialogId& a, const DialogId& b) { return !(a == b); }
bool operator<(const DialogId& a, const DialogId& b) {
  return std::tie(a.call_id, a.local_tag, a.remote_tag) <
         std::tie(b.call_id, b.local_tag, b.remote_tag);
}

const char* to_string(DialogErrorCode code) {
  switch (code) {
    case DialogErrorCode::Malformed: return "Malformed";
    case DialogErrorCode::MissingToTag: return "MissingToTag";
    case DialogErrorCode::NotThisDialog: return "NotThisDialog";
    case DialogErrorCode::NoSuchDialog: return "NoSuchDialog";
    case DialogErrorCode::CSeqOutOfOrder: return "CSeqOutOfOrder";
    case DialogErrorCode::RequestPending: return "RequestPending";
    case DialogErrorCode::CSeqExhausted: return "CSeqExhausted";
    case DialogErrorCode::Terminated: return "Terminated";
    case DialogErrorCode::Duplicate: return "Duplicate";
  }
  return "?";
}

const char* to_string(State s) {
  switch (s) {
    case State::Early: return "Early";
    case State::Confirmed: return "Confirmed";
    case State::Terminated: return "Terminated";
  }
  return "?";
}

const char* to_string(ReinviteVerdict v) {
  switch (v) {
    case ReinviteVerdict::Proceed: return "Proceed";
    case ReinviteVerdict::Glare: return "Glare";
    case ReinviteVerdict::ServerPending: return "ServerPending";
  }
  return "?";
}

bool is_target_refresh(std::string_view method) {
  return method == "INVITE" || method == "UPDATE" || method == "SUBSCRIBE" ||
         method == "NOTIFY" || method == "REFER";
}

namespace {

/// The dialog ID parts of a message (§12): Call-ID, then the From and To
/// tags, accepted exactly when read_core accepts the message. Every
/// in-dialog request and every response to an INVITE is matched with this,
/// so it reads the tags in place instead of building both NameAddrs.
std::optional<DialogId> read_dialog_id(const msg::Message& m, bool from_is_local) {
  const auto call_id = m.get(msg::HeaderId::CallId);
  const auto from = m.get(msg::HeaderId::From);
  const auto to = m.get(msg::HeaderId::To);
  const auto cseq = m.get(msg::HeaderId::CSeq);
  if (!call_id || call_id->empty() || !from || !to || !cseq) return std::nullopt;
  const msg::TagView f = msg::tag_view(*from);
  const msg::TagView t = msg::tag_view(*to);
  if (!f.parsed || !t.parsed || !msg::parse_cseq_view(*cseq)) return std::nullopt;
  std::string ft(f.tag()), tt(t.tag());
  return from_is_local ? DialogId{std::string(*call_id), std::move(ft), std::move(tt)}
                       : DialogId{std::string(*call_id), std::move(tt), std::move(ft)};
}

}  // namespace

std::optional<DialogId> dialog_id_of_request(const msg::Message& request) {
  return read_dialog_id(request, false);  // §12.2.2: our tag is the To tag
}

std::optional<DialogId> dialog_id_of_response(const msg::Message& response) {
  return read_dialog_id(response, true);  // §12.2.1.2: our tag is the From tag
}

// --- creation (§12.1) -------------------------------------------------------------

Result<Dialog, DialogError> Dialog::from_uac(const msg::Message& request,
                                             const msg::Message& response) {
  auto rq = read_core(request, 0);
  if (!rq) return Err<DialogError>{rq.error()};
  auto rs = read_core(response, 0);
  if (!rs) return Err<DialogError>{rs.error()};
  const auto local_tag = rq->from_na.tag();
  const auto remote_tag = rs->to_na.tag();
  if (!local_tag || local_tag->empty())
    return fail(DialogErrorCode::Malformed, "request From has no tag");
  // §12.1.2: "a response ... with a To tag" creates the dialog.
  if (!remote_tag || remote_tag->empty())
    return fail(DialogErrorCode::MissingToTag, "response To has no tag");
  if (response.status() < 101 || response.status() > 299)
    return fail(DialogErrorCode::Malformed, "only 101-299 responses create a dialog");
  if (rs->call_id != rq->call_id || rs->from_na.tag() != local_tag ||
      rs->cseq.seq != rq->cseq.seq)
    return fail(DialogErrorCode::NotThisDialog, "response does not answer this request");

  Dialog d;
  d.uac_ = true;
  d.id_ = DialogId{rq->call_id, std::string(*local_tag), std::string(*remote_tag)};
  // §12.1.2: route set and remote target from the response (below).
  if (auto e = d.take_response_routing(response, rs->to_na.uri)) return Err<DialogError>{std::move(*e)};
  // "The local sequence number MUST be set to the value of the sequence
  // number in the CSeq header field of the request. The remote sequence
  // number MUST be empty".
  d.local_seq_ = rq->cseq.seq;
  d.creating_cseq_ = rq->cseq.seq;
  d.creating_method_ = rq->cseq.method;
  // "The local URI ... From ... the remote URI ... To" (with tags).
  d.local_party_ = rq->from;
  d.remote_party_ = rs->to;
  // "If the request was sent over TLS, and the Request-URI contained a SIPS
  // URI, the "secure" flag is set to TRUE."
  d.secure_ = is_sips(request.request_uri());
  if (auto lc = contact_uri(request, 0); lc && lc->has_value()) d.local_contact_ = bracket(**lc);
  d.state_ = response.status() >= 200 ? State::Confirmed : State::Early;
  if (request.method() == "INVITE" && response.status() < 200) d.outgoing_invite_ = rq->cseq.seq;
  return d;
}

std::optional<DialogError> Dialog::take_response_routing(const msg::Message& response, const std::string& to_uri) {
  // RFC 3261 §12.1.2: "The route set MUST be set to the list of URIs in the
  // Record-Route header field from the response, taken in reverse order".
  auto rr = record_routes(response, 0);
  if (!rr) return rr.error();
  route_set_.assign(rr->rbegin(), rr->rend());
  // "The remote target MUST be set to the URI from the Contact header field
  // of the response." RC note in the header: fall back to the To URI.
  auto target = contact_uri(response, 0);
  if (!target) return target.error();
  target_from_contact_ = target->has_value();
  remote_target_ = target_from_contact_ ? std::string(**target) : to_uri;
  return std::nullopt;
}

Result<Dialog, DialogError> Dialog::from_uac_response(const msg::Message& response) {
  auto rs = read_core(response, 0);
  if (!rs) return Err<DialogError>{rs.error()};
  const auto local_tag = rs->from_na.tag();
  const auto remote_tag = rs->to_na.tag();
  if (!local_tag || local_tag->empty()) return fail(DialogErrorCode::Malformed, "response From has no tag");
  if (!remote_tag || remote_tag->empty())
    return fail(DialogErrorCode::MissingToTag, "response To has no tag");
  if (response.status() < 200 || response.status() > 299)
    return fail(DialogErrorCode::Malformed, "only a 2xx is ACKed and ended without its request");
  Dialog d;
  d.uac_ = true;
  d.id_ = DialogId{rs->call_id, std::string(*local_tag), std::string(*remote_tag)};
  // As in from_uac(): route set and remote target from the response, local
  // seq = the INVITE's CSeq, which the 2xx echoes.
  if (auto e = d.take_response_routing(response, rs->to_na.uri)) return Err<DialogError>{std::move(*e)};
  d.local_seq_ = rs->cseq.seq;
  d.creating_cseq_ = rs->cseq.seq;
  d.creating_method_ = rs->cseq.method;
  d.local_party_ = rs->from;
  d.remote_party_ = rs->to;
  d.state_ = State::Confirmed;
  return d;
}

Result<Dialog, DialogError> Dialog::from_uas(const msg::Message& request, std::string local_tag,
                                             std::string local_contact) {
  auto rq = read_core(request, 400);
  if (!rq) return Err<DialogError>{rq.error()};
  if (rq->to_na.tag())
    return fail(DialogErrorCode::NotThisDialog, "request already has a To tag (in-dialog)", 481);
  if (local_tag.empty()) return fail(DialogErrorCode::Malformed, "empty local tag");
  Dialog d;
  d.uac_ = false;
  // §12.1.1: the dialog ID: "the call identifier ... Call-ID ... The remote tag
  // ... From ... The local tag ... To header field in the response".
  d.id_ = DialogId{rq->call_id, local_tag, std::string(rq->from_na.tag().value_or(""))};
  // "The route set MUST be set to the list of URIs in the Record-Route header
  // field from the request, taken in order and preserving all URI parameters."
  auto rr = record_routes(request, 400);
  if (!rr) return Err<DialogError>{rr.error()};
  d.route_set_ = std::move(rr.value());
  // "The remote sequence number MUST be set to the value of the sequence
  // number in the CSeq header field of the request. The local sequence number
  // MUST be empty."
  d.remote_seq_ = rq->cseq.seq;
  d.creating_cseq_ = rq->cseq.seq;
  d.creating_method_ = rq->cseq.method;
  d.local_party_ = rq->to + ";tag=" + local_tag;
  d.remote_party_ = rq->from;
  d.secure_ = is_sips(request.request_uri());
  if (!local_contact.empty())
    d.local_contact_ = local_contact.find('<') != std::string::npos ? std::move(local_contact)
                                                                    : bracket(local_contact);
  // "The remote target MUST be set to the URI from the Contact header field
  // of the request." RC's INVITEs may have none: use the From URI.
  auto target = contact_uri(request, 400);
  if (!target) return Err<DialogError>{target.error()};
  if (target->has_value()) {
    d.remote_target_ = **target;
    d.target_from_contact_ = true;
  } else {
    d.remote_target_ = rq->from_na.uri;
  }
  d.state_ = State::Early;
  d.incoming_invite_pending_ = request.method() == "INVITE";
  d.incoming_invite_seq_ = d.creating_cseq_;
  return d;
}

// --- state machine ------------------------------------------------------------------

Dialog Dialog::restore(DialogSnapshot s) {
  Dialog d;
  d.id_ = std::move(s.id);
  d.state_ = State::Confirmed;
  d.uac_ = s.uac;
  d.local_party_ = std::move(s.local_party);
  d.remote_party_ = std::move(s.remote_party);
  d.remote_target_ = std::move(s.remote_target);
  d.target_from_contact_ = s.target_from_contact;
  d.route_set_ = std::move(s.route_set);
  d.local_seq_ = s.local_seq;
  d.remote_seq_ = s.remote_seq;
  d.creating_cseq_ = s.creating_cseq;
  d.secure_ = s.secure;
  d.local_contact_ = std::move(s.local_contact);
  return d;
}

DialogSnapshot Dialog::snapshot() const {
  return DialogSnapshot{id_,           uac_,      local_party_,  remote_party_, remote_target_,
                        target_from_contact_, route_set_, local_seq_, remote_seq_, creating_cseq_,
                        secure_,       local_contact_};
}

void Dialog::transition(State next) {
  // Legal moves (see the diagram in dialog.hpp). Anything else is a bug.
  bool legal = false;
  switch (state_) {
    case State::Early: legal = next == State::Confirmed || next == State::Terminated; break;
    case State::Confirmed: legal = next == State::Terminated; break;
    case State::Terminated: legal = false; break;
  }
  if (!legal) std::abort();  // CORE_UNREACHABLE: callers check the state first
  state_ = next;
  if (next == State::Terminated) {
    outgoing_invite_.reset();
    incoming_invite_pending_ = false;
  }
}

void Dialog::terminate() {
  if (state_ != State::Terminated) transition(State::Terminated);
}

void Dialog::set_remote_target_from(const msg::Message& m) {
  auto target = contact_uri(m, 0);
  if (target && target->has_value()) {
    remote_target_ = **target;
    target_from_contact_ = true;
  }
}

DialogStatus Dialog::update_from_response(const msg::Message& response) {
  auto rs = read_core(response, 0);
  if (!rs) return Err<DialogError>{rs.error()};
  const auto id = dialog_id_of_response(response);
  if (!id || *id != id_)
    return fail(DialogErrorCode::NotThisDialog, "response belongs to another dialog");
  const int status = response.status();
  const bool final_response = status >= 200;
  const bool is_invite = rs->cseq.method == "INVITE";
  if (is_invite && final_response && outgoing_invite_ == rs->cseq.seq) outgoing_invite_.reset();
  if (state_ == State::Terminated) return std::monostate{};

  // §13.2.2.4: the creating request's own answer (number and method: the
  // 200 to a CANCEL has the INVITE's number and the early dialog's tag).
  const bool creating = uac_ && rs->cseq.seq == creating_cseq_ && rs->cseq.method == creating_method_ &&
                        state_ == State::Early;
  // §12.2.1.2: "When a UAC receives a 2xx response to a target refresh
  // request, it MUST replace the dialog's remote target URI with the URI from
  // the Contact header field in that response, if present." §12.1.2 and
  // §13.2.2.4 do the same for 1xx/2xx to the creating INVITE (early dialog).
  if (is_target_refresh(rs->cseq.method) && status >= 101 && status <= 299) {
    if (auto t = contact_uri(response, 0); !t) return Err<DialogError>{t.error()};
    set_remote_target_from(response);
  }
  if (creating && status >= 200 && status <= 299) {
    // §13.2.2.4: "the dialog MUST be transitioned to the "confirmed" state,
    // and the route set for the dialog MUST be recomputed based on the 2xx
    // response using the procedures of Section 12.2.1.2" (i.e. reversed).
    auto rr = record_routes(response, 0);
    if (!rr) return Err<DialogError>{rr.error()};
    route_set_.assign(rr->rbegin(), rr->rend());
    transition(State::Confirmed);
  } else if (creating && status >= 300) {
    // §12.3 / §13.2.2.3: a non-2xx final response to the dialog-creating
    // request terminates its early dialogs.
    transition(State::Terminated);
  } else if (!creating && (status == 481 || status == 408)) {
    // §12.2.1.2: "If the response for a request within a dialog is a 481
    // (Call/Transaction Does Not Exist) or a 408 (Request Timeout), the UAC
    // SHOULD terminate the dialog."
    transition(State::Terminated);
  }
  return std::monostate{};
}

// --- building requests (§12.2.1.1) --------------------------------------------------

void apply_routing(msg::Message& m, const std::vector<std::string>& route_set,
                   const std::string& remote_target) {
  if (route_set.empty()) {
    // "If the route set is empty, the UAC MUST place the remote target URI
    // into the Request-URI. The UAC MUST NOT add a Route header field."
    m.set_request_uri(remote_target);
    return;
  }
  auto first = msg::parse_name_addr(route_set.front());
  const std::string first_uri = first ? first->uri : std::string();
  auto first_parsed = msg::parse_uri(first_uri);
  const bool loose = first_parsed && first_parsed->has_param("lr");
  if (loose) {
    // "If the route set is not empty, and the first URI in the route set
    // contains the lr parameter, the UAC MUST place the remote target URI into
    // the Request-URI and MUST include a Route header field containing the
    // route set values in order, including all parameters."
    m.set_request_uri(remote_target);
    for (const auto& r : route_set) m.add("Route", r);
    return;
  }
  // Strict routing: "place the first URI from the route set into the
  // Request-URI ... add a Route header field containing the remainder of the
  // route set values in order ... then place the remote target URI into the
  // Route header field as the last value."
  m.set_request_uri(strip_for_request_uri(first_uri));
  for (std::size_t i = 1; i < route_set.size(); ++i) m.add("Route", route_set[i]);
  m.add("Route", bracket(remote_target));
}


Result<msg::Message, DialogError> Dialog::create_request(std::string_view method) {
  if (!is_token(method) || method == "ACK" || method == "CANCEL")
    return fail(DialogErrorCode::Malformed,
                "create_request: bad method (use create_ack/make_cancel for ACK/CANCEL)");
  if (state_ == State::Terminated) return fail(DialogErrorCode::Terminated, "dialog terminated", 481);
  if (method == "INVITE" && (outgoing_invite_ || incoming_invite_pending_))
    return fail(DialogErrorCode::RequestPending, "an INVITE is already in progress (RFC 3261 §14.1)",
                491);
  // "Requests within a dialog MUST contain strictly monotonically increasing
  // and contiguous CSeq sequence numbers (increasing-by-one) in each
  // direction" (§12.2.1.1). An empty local seq (UAS side) starts at 1.
  std::uint32_t seq = 1;
  if (local_seq_) {
    if (*local_seq_ == 0xFFFFFFFFu) return fail(DialogErrorCode::CSeqExhausted, "CSeq exhausted");
    seq = *local_seq_ + 1;
  }
  local_seq_ = seq;
  msg::Message m = msg::Message::request(std::string(method), {});
  apply_routing(m, route_set_, remote_target_);
  m.add("Max-Forwards", "70");
  // "The URI in the To field of the request MUST be set to the remote URI
  // from the dialog state. The tag ... remote tag ... From ... local URI ...
  // local tag ... Call-ID ... MUST be set to the Call-ID of the dialog."
  m.add("From", local_party_);
  m.add("To", remote_party_);
  m.add("Call-ID", id_.call_id);
  m.add("CSeq", std::to_string(seq) + " " + std::string(method));
  // §12.2.1.1: "A UAC SHOULD include a Contact header field in any target
  // refresh requests within a dialog"; §8.1.1.8 makes it MUST for INVITE.
  if (is_target_refresh(method) && !local_contact_.empty()) m.add("Contact", local_contact_);
  if (method == "INVITE") outgoing_invite_ = seq;
  return m;
}

msg::Message Dialog::create_ack(std::uint32_t invite_cseq) const {
  // §13.2.2.4: "The header fields of the ACK are constructed in the same way
  // as for any request sent within a dialog (see Section 12) with the
  // exception of the CSeq and the header fields related to authentication.
  // The sequence number of the CSeq header field MUST be the same as the
  // INVITE being acknowledged, but the CSeq method MUST be ACK."
  msg::Message m = msg::Message::request("ACK", {});
  apply_routing(m, route_set_, remote_target_);
  m.add("Max-Forwards", "70");
  m.add("From", local_party_);
  m.add("To", remote_party_);
  m.add("Call-ID", id_.call_id);
  m.add("CSeq", std::to_string(invite_cseq) + " ACK");
  return m;
}

Result<msg::Message, DialogError> make_cancel(const msg::Message& request) {
  if (!request.is_request() || request.method() == "ACK" || request.method() == "CANCEL")
    return fail(DialogErrorCode::Malformed, "only a request other than ACK/CANCEL can be cancelled");
  const auto vias = request.get_all("Via");
  const auto call_id = request.get("Call-ID");
  const auto from = request.get("From");
  const auto to = request.get("To");
  const auto cseq_text = request.get("CSeq");
  if (vias.empty() || !call_id || !from || !to || !cseq_text)
    return fail(DialogErrorCode::Malformed, "request lacks Via, Call-ID, From, To or CSeq");
  auto cseq = msg::parse_cseq(*cseq_text);
  if (!cseq) return fail(DialogErrorCode::Malformed, "unparsable CSeq");
  // §9.1: "The Request-URI, Call-ID, To, the numeric part of CSeq, and From
  // header fields in the CANCEL request MUST be identical to those in the
  // request being cancelled, including tags. A CANCEL constructed by a client
  // MUST have only a single Via header field value matching the top Via value
  // in the request being cancelled. ... If the request being cancelled
  // contains a Route header field, the CANCEL request MUST include that Route
  // header field's values."
  msg::Message m = msg::Message::request("CANCEL", request.request_uri());
  m.add("Via", std::string(vias.front()));
  for (auto r : request.get_all("Route")) m.add("Route", std::string(r));
  m.add("Max-Forwards", "70");
  m.add("From", std::string(*from));
  m.add("To", std::string(*to));
  m.add("Call-ID", std::string(*call_id));
  m.add("CSeq", std::to_string(cseq->seq) + " CANCEL");
  return m;
}

// --- requests from the peer (§12.2.2) -------------------------------------------------

DialogStatus Dialog::validate_request(const msg::Message& request) {
  auto rq = read_core(request, 400);
  if (!rq) return Err<DialogError>{rq.error()};
  const auto id = dialog_id_of_request(request);
  if (!id || *id != id_)
    return fail(DialogErrorCode::NotThisDialog, "request belongs to another dialog", 481);
  if (state_ == State::Terminated && request.method() != "ACK")
    return fail(DialogErrorCode::Terminated, "dialog terminated", 481);
  // ACK and CANCEL carry the sequence number of the INVITE they refer to
  // (§13.2.2.4, §9.1); they are not new requests in the CSeq space.
  if (request.method() == "ACK" || request.method() == "CANCEL") return std::monostate{};
  // §12.2.2: "If the remote sequence number was not empty, but the sequence
  // number of the request is lower than the remote sequence number, the
  // request is out of order and MUST be rejected with a 500 (Server Internal
  // Error) response." Equal numbers are retransmissions, which the server
  // transaction absorbs before we get here, so we treat them as out of order.
  if (remote_seq_ && rq->cseq.seq <= *remote_seq_)
    return fail(DialogErrorCode::CSeqOutOfOrder,
                "CSeq " + std::to_string(rq->cseq.seq) + " not above remote sequence number " +
                    std::to_string(*remote_seq_),
                500);
  // "If the remote sequence number is empty, it MUST be set to the value of
  // the sequence number in the CSeq header field value in the request."
  remote_seq_ = rq->cseq.seq;
  // "When a UAS receives a target refresh request, it MUST replace the
  // dialog's remote target URI with the URI from the Contact header field in
  // that request, if present."
  if (is_target_refresh(request.method())) {
    if (auto t = contact_uri(request, 400); !t) return Err<DialogError>{t.error()};
    set_remote_target_from(request);
  }
  return std::monostate{};
}

// --- glare (§14) ------------------------------------------------------------------------

ReinviteVerdict Dialog::on_incoming_reinvite() {
  // §14.2: "A UAS that receives a second INVITE before it sends the final
  // response to a first INVITE with a lower CSeq sequence number on the same
  // dialog MUST return a 500".
  if (incoming_invite_pending_) return ReinviteVerdict::ServerPending;
  // "A UAS that receives an INVITE on a dialog while an INVITE it had sent on
  // that dialog is in progress MUST return a 491 (Request Pending)".
  if (outgoing_invite_) return ReinviteVerdict::Glare;
  incoming_invite_pending_ = true;
  incoming_invite_seq_ = remote_seq_.value_or(0);
  return ReinviteVerdict::Proceed;
}

void Dialog::on_response_sent(const msg::Message& response) {
  auto cseq_text = response.get("CSeq");
  if (!cseq_text) return;
  auto cseq = msg::parse_cseq(*cseq_text);
  if (!cseq) return;
  const int status = response.status();
  if (cseq->method == "INVITE" && status >= 200 && cseq->seq == incoming_invite_seq_) incoming_invite_pending_ = false;
  if (!uac_ && state_ == State::Early && cseq->seq == creating_cseq_ && cseq->method == creating_method_) {
    // §12.1.1: our 2xx establishes the dialog; a non-2xx final response
    // means it never existed (§12.3). Only our answer to the creating
    // request: a 500 to an out-of-order request with its number (§12.2.2)
    // leaves the dialog as it was.
    if (status >= 200 && status <= 299) transition(State::Confirmed);
    else if (status >= 300) transition(State::Terminated);
  }
}

Duration glare_retry_delay(Rng& rng, bool we_own_call_id) {
  // §14.1, in units of 10 ms: owner 2.1–4 s (210..400), else 0–2 s (0..200).
  if (we_own_call_id) return static_cast<Duration>(210 + rng.next_u64() % 191) * 10;
  return static_cast<Duration>(rng.next_u64() % 201) * 10;
}

std::uint32_t server_pending_retry_after(Rng& rng) {
  return static_cast<std::uint32_t>(rng.next_u64() % 11);
}

// --- DialogSet ------------------------------------------------------------------------------

Result<Dialog*, DialogError> DialogSet::insert(Dialog d) {
  const DialogId id = d.id();
  auto [it, inserted] = dialogs_.emplace(id, std::move(d));
  if (!inserted) return fail(DialogErrorCode::Duplicate, "dialog already exists");
  return &it->second;
}

Dialog* DialogSet::find(const DialogId& id) {
  auto it = dialogs_.find(id);
  return it == dialogs_.end() ? nullptr : &it->second;
}

const Dialog* DialogSet::find(const DialogId& id) const {
  auto it = dialogs_.find(id);
  return it == dialogs_.end() ? nullptr : &it->second;
}

RequestMatch DialogSet::match_request(const msg::Message& request) {
  const auto id = dialog_id_of_request(request);
  // §8.2.2.2/§12.2.2: only a request with a To tag claims to be in a dialog.
  if (!id || id->local_tag.empty()) return {RequestMatch::Kind::OutOfDialog, nullptr};
  if (Dialog* d = find(*id)) return {RequestMatch::Kind::InDialog, d};
  // "If the UAS wishes to reject the request because it does not wish to
  // recreate the dialog, it MUST respond to the request with a 481".
  return {RequestMatch::Kind::NoDialog, nullptr};
}

Dialog* DialogSet::match_response(const msg::Message& response) {
  const auto id = dialog_id_of_response(response);
  if (!id || id->remote_tag.empty()) return nullptr;
  return find(*id);
}

bool DialogSet::erase(const DialogId& id) { return dialogs_.erase(id) > 0; }

void DialogSet::end_forks(std::string_view call_id, std::string_view local_tag, std::string_view keep_remote_tag) {
  // A UA holds a handful of dialogs: a plain walk, no key to build.
  for (auto& [id, d] : dialogs_)
    if (id.call_id == call_id && id.local_tag == local_tag && id.remote_tag != keep_remote_tag) d.terminate();
}

std::size_t DialogSet::erase_terminated() {
  std::size_t n = 0;
  for (auto it = dialogs_.begin(); it != dialogs_.end();) {
    if (it->second.state() == State::Terminated) {
      it = dialogs_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

}  // namespace wwp::dialog
