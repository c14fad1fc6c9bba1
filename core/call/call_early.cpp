// Forked early dialogs of our INVITE and their early media (RFC 3261
// §12.1.2, §13.2.2.1, §13.2.2.4; RFC 3264; RFC 6337 §3.1).
//
// A forking proxy may pass on 1xx from several UAS: each To tag is a dialog
// of its own (§13.2.2.1: "multiple early dialogs" may exist for one INVITE).
// A 18x with SDP is that fork's early answer: §13.2.1 lets the UAS place
// "that same exact answer" in its provisionals before the 2xx. Without
// 100rel the 18x is unreliable, so the 2xx stays the answer (RFC 6337 §3.1):
// if it equals the early one nothing changes, if it differs it replaces it;
// either way the shim applies it as the final answer (a `pranswer` never
// completes the offer/answer).
#include "core/call/call.hpp"
#include "core/msg/scan.hpp"
#include "core/sdp/sdp_body.hpp"

namespace wwp::call {

void Call::on_provisional(CallContext& ctx, const msg::Message& r, CallProgress& e) {
  dialog::Dialog* d = ctx.dialogs.match_response(r);
  if (d) {
    (void)d->update_from_response(r);  // its remote target may move (§12.1.2)
  } else if (auto made = dialog::Dialog::from_uac(invite_, r)) {
    // §13.2.2.1: a new To tag, a new early dialog (none without a tag).
    made->set_local_contact("<" + ctx.contact_uri + ">");
    if (auto inserted = ctx.dialogs.insert(std::move(*made))) d = *inserted;
  }
  if (!d) return;
  // An SDP body, or an SDP part of a multipart one (core/sdp/sdp_body.hpp).
  const std::string_view sdp = sdp::sdp_body(r).value_or("");
  e.has_sdp = !sdp.empty();
  // `dialog_id_` is the fork the caller hears once early media plays (and
  // where in-dialog requests, INFO and DTMF, go), else the latest fork.
  if (e.has_sdp && (sdp != early_sdp_ || dialog_id_ != d->id())) {
    // A new early answer (a fork repeats its own in every 18x): its media
    // is the one to play now.
    early_sdp_ = std::string(sdp);
    e.early_answer = true;
    dialog_id_ = d->id();
  } else if (early_sdp_.empty()) {
    dialog_id_ = d->id();
  }
}

void Call::take_winner(CallContext& ctx, const msg::Message& r) {
  dialog_id_.reset();
  if (const dialog::Dialog* d = ctx.dialogs.match_response(r)) dialog_id_ = d->id();
  drop_forks(ctx);
}

void Call::drop_forks(CallContext& ctx) {
  // §13.2.2.4: once a 2xx confirmed one dialog the other early dialogs are
  // over; the forking proxy CANCELs their branches (§16.7 step 10), so no
  // BYE is due. A 2xx that still comes from one of them finds no dialog
  // and is ACKed and BYEd (end_unwanted_2xx).
  ctx.dialogs.end_forks(call_id_, local_tag_, dialog_id_ ? std::string_view(dialog_id_->remote_tag) : std::string_view());
}

}  // namespace wwp::call
