// Dialogs (core/dialog/dialog.hpp): RFC 3261 §12.1 (creation), §12.2.1
// (UAC requests and responses in a dialog), §12.2.2 (UAS requests), §13.2.2.4
// (ACK for 2xx), §9.1 (CANCEL), §14 (re-INVITE glare).
// Test names quote the RFC duty they check.
#include "core/dialog/dialog.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/msg/parser.hpp"

using namespace wwp;
using namespace wwp::dialog;

namespace {

msg::Message parse_msg(std::string text) {
  // Tests write LF; SIP wants CRLF.
  std::string out;
  for (char c : text) {
    if (c == '\n') out += "\r\n";
    else out += c;
  }
  auto m = msg::parse(out);
  EXPECT_TRUE(m.ok()) << text;
  return m.ok() ? m.value() : msg::Message{};
}

// An INVITE we sent (UAC side) and the responses to it.
msg::Message our_invite() {
  return parse_msg(
      "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
      "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKnashds7\n"
      "Max-Forwards: 70\n"
      "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
      "To: Bob <sip:bob@biloxi.example.com>\n"
      "Call-ID: a84b4c76e66710\n"
      "CSeq: 314159 INVITE\n"
      "Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws>\n"
      "Content-Length: 0\n\n");
}

msg::Message response_to_invite(int status, std::string extra, std::string to_tag = "a6c85cf") {
  return parse_msg("SIP/2.0 " + std::to_string(status) + " X\n" +
                   "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKnashds7\n"
                   "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
                   "To: Bob <sip:bob@biloxi.example.com>" +
                   (to_tag.empty() ? "" : ";tag=" + to_tag) +
                   "\n"
                   "Call-ID: a84b4c76e66710\n"
                   "CSeq: 314159 INVITE\n" +
                   extra + "Content-Length: 0\n\n");
}

// An INVITE we received (UAS side).
msg::Message their_invite(std::string extra = {}) {
  return parse_msg(
      "INVITE sip:alice@df7jal23ls0d.invalid;transport=ws SIP/2.0\n"
      "Via: SIP/2.0/WSS 10.0.0.1;branch=z9hG4bKkjshdyff\n"
      "Max-Forwards: 69\n"
      "From: Bob <sip:bob@biloxi.example.com>;tag=8321234356\n"
      "To: Alice <sip:alice@atlanta.example.com>\n"
      "Call-ID: 3848276298220188511@biloxi.example.com\n"
      "CSeq: 10 INVITE\n" +
      extra + "Content-Length: 0\n\n");
}

// A request from Bob inside the UAS-side dialog.
msg::Message in_dialog_request(std::string method, std::uint32_t cseq, std::string extra = {},
                               std::string to_tag = "ourtag") {
  return parse_msg(method + " sip:alice@df7jal23ls0d.invalid;transport=ws SIP/2.0\n" +
                   "Via: SIP/2.0/WSS 10.0.0.1;branch=z9hG4bK" + std::to_string(cseq) + method +
                   "\n"
                   "Max-Forwards: 69\n"
                   "From: Bob <sip:bob@biloxi.example.com>;tag=8321234356\n"
                   "To: Alice <sip:alice@atlanta.example.com>;tag=" +
                   to_tag +
                   "\n"
                   "Call-ID: 3848276298220188511@biloxi.example.com\n"
                   "CSeq: " +
                   std::to_string(cseq) + " " + method + "\n" + extra + "Content-Length: 0\n\n");
}

std::vector<std::string> all(const msg::Message& m, std::string_view name) {
  std::vector<std::string> out;
  for (auto v : m.get_all(name)) out.emplace_back(v);
  return out;
}

Dialog confirmed_uac(std::string extra = "Contact: <sip:bob@192.0.2.4>\n") {
  auto d = Dialog::from_uac(our_invite(), response_to_invite(200, extra));
  EXPECT_TRUE(d.ok());
  return std::move(d).value();
}

}  // namespace

// --- §12.1.2 UAC creation ----------------------------------------------------------

TEST(DialogUac, dialog_state_from_2xx_rfc3261_12_1_2) {
  auto d = Dialog::from_uac(our_invite(), response_to_invite(200, "Contact: <sip:bob@192.0.2.4>\n"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->id(), (DialogId{"a84b4c76e66710", "1928301774", "a6c85cf"}));
  EXPECT_EQ(d->state(), State::Confirmed);
  EXPECT_TRUE(d->is_uac());
  EXPECT_EQ(d->remote_target(), "sip:bob@192.0.2.4");
  EXPECT_TRUE(d->remote_target_from_contact());
  EXPECT_EQ(d->local_seq(), 314159u);
  EXPECT_FALSE(d->remote_seq().has_value());  // "remote sequence number MUST be empty"
  EXPECT_EQ(d->local_party(), "Alice <sip:alice@atlanta.example.com>;tag=1928301774");
  EXPECT_EQ(d->remote_party(), "Bob <sip:bob@biloxi.example.com>;tag=a6c85cf");
  EXPECT_EQ(d->local_contact(), "<sip:alice@df7jal23ls0d.invalid;transport=ws>");
  EXPECT_FALSE(d->secure());
  EXPECT_TRUE(d->route_set().empty());
}

TEST(DialogUac, route_set_MUST_be_record_route_in_reverse_order_rfc3261_12_1_2) {
  auto d = Dialog::from_uac(our_invite(),
                            response_to_invite(200,
                                               "Record-Route: <sip:p3.example.com;lr>\n"
                                               "Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>\n"
                                               "Contact: <sip:bob@192.0.2.4>\n"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->route_set(), (std::vector<std::string>{"<sip:p1.example.com;lr>",
                                                      "<sip:p2.example.com;lr>",
                                                      "<sip:p3.example.com;lr>"}));
}

TEST(DialogUac, a_2xx_alone_gives_the_dialog_from_uac_would_for_its_ack_and_bye_rfc3261_13_2_2_4) {
  const auto ok = response_to_invite(200,
                                     "Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>\n"
                                     "Contact: <sip:bob@192.0.2.4>\n");
  auto alone = Dialog::from_uac_response(ok);
  ASSERT_TRUE(alone.ok()) << alone.error().message;
  auto full = Dialog::from_uac(our_invite(), ok);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(alone->id(), full->id());
  EXPECT_EQ(alone->state(), State::Confirmed);
  EXPECT_EQ(alone->local_party(), full->local_party());
  EXPECT_EQ(alone->remote_party(), full->remote_party());
  EXPECT_EQ(alone->remote_target(), full->remote_target());
  EXPECT_EQ(alone->route_set(), full->route_set());
  EXPECT_EQ(alone->local_seq(), full->local_seq());
  EXPECT_EQ(alone->local_contact(), "");  // the INVITE's Contact is gone with it
  EXPECT_EQ(alone->create_ack(314159).to_string(), full->create_ack(314159).to_string());
  EXPECT_EQ(Dialog::from_uac_response(response_to_invite(200, "", "")).error().code,
            DialogErrorCode::MissingToTag);
  EXPECT_FALSE(Dialog::from_uac_response(response_to_invite(180, "")).ok());  // only a 2xx
}

TEST(DialogUac, provisional_with_to_tag_creates_early_dialog_rfc3261_12_1_2) {
  auto d = Dialog::from_uac(our_invite(), response_to_invite(180, ""));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->state(), State::Early);
  EXPECT_TRUE(d->outgoing_invite_in_progress());
  // RC's 183 has no Contact: the To URI stands in (see dialog.hpp).
  EXPECT_EQ(d->remote_target(), "sip:bob@biloxi.example.com");
  EXPECT_FALSE(d->remote_target_from_contact());
}

TEST(DialogUac, response_without_to_tag_MUST_NOT_create_dialog_rfc3261_12_1_2) {
  auto d = Dialog::from_uac(our_invite(), response_to_invite(180, "", ""));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, DialogErrorCode::MissingToTag);
  auto t = Dialog::from_uac(our_invite(), response_to_invite(100, ""));
  EXPECT_FALSE(t.ok());
}

TEST(DialogUac, malformed_headers_are_error_values) {
  auto bad = response_to_invite(200, "");
  bad.set("From", "<<<");
  EXPECT_EQ(Dialog::from_uac(our_invite(), bad).error().code, DialogErrorCode::Malformed);
  auto bad_contact = response_to_invite(200, "Contact: <bad uri with spaces>\n");
  EXPECT_FALSE(Dialog::from_uac(our_invite(), bad_contact).ok());
  auto no_cseq = response_to_invite(200, "");
  no_cseq.remove("CSeq");
  EXPECT_EQ(Dialog::from_uac(our_invite(), no_cseq).error().code, DialogErrorCode::Malformed);
}

TEST(DialogUac, early_to_confirmed_on_2xx_with_target_refresh_and_route_recompute_rfc3261_13_2_2_4) {
  auto d = Dialog::from_uac(our_invite(),
                            response_to_invite(183, "Record-Route: <sip:old.example.com;lr>\n"));
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d->update_from_response(response_to_invite(
                                          200,
                                          "Record-Route: <sip:b.example.com;lr>, <sip:a.example.com;lr>\n"
                                          "Contact: <sip:bob@192.0.2.4;transport=ws>\n"))
                  .ok());
  EXPECT_EQ(d->state(), State::Confirmed);
  EXPECT_EQ(d->remote_target(), "sip:bob@192.0.2.4;transport=ws");
  EXPECT_EQ(d->route_set(),
            (std::vector<std::string>{"<sip:a.example.com;lr>", "<sip:b.example.com;lr>"}));
  EXPECT_FALSE(d->outgoing_invite_in_progress());
}

TEST(DialogUac, provisional_with_contact_refreshes_early_target_rfc3261_12_1_2) {
  auto d = Dialog::from_uac(our_invite(), response_to_invite(180, ""));
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d->update_from_response(response_to_invite(183, "Contact: <sip:bob@198.51.100.7>\n")).ok());
  EXPECT_EQ(d->state(), State::Early);
  EXPECT_EQ(d->remote_target(), "sip:bob@198.51.100.7");
}

TEST(DialogUac, non_2xx_final_terminates_early_dialog_rfc3261_12_3) {
  auto d = Dialog::from_uac(our_invite(), response_to_invite(183, ""));
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d->update_from_response(response_to_invite(486, "")).ok());
  EXPECT_EQ(d->state(), State::Terminated);
  EXPECT_EQ(d->create_request("BYE").error().code, DialogErrorCode::Terminated);
}

TEST(DialogUac, response_from_other_fork_is_not_this_dialog_rfc3261_12_1_2) {
  auto d = Dialog::from_uac(our_invite(), response_to_invite(180, ""));
  ASSERT_TRUE(d.ok());
  auto other = d->update_from_response(response_to_invite(200, "", "otherfork"));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, DialogErrorCode::NotThisDialog);
  EXPECT_EQ(d->state(), State::Early);
}

// §13.2.2.4: only a 2xx *to the INVITE* confirms an early dialog. The 200
// to our CANCEL has the INVITE's CSeq number and SHOULD carry the early
// dialog's To tag (§9.2); it confirmed the dialog and took the CANCEL's
// (empty) Record-Route as the route set (review of core/dialog).
TEST(DialogUac, a_2xx_to_cancel_with_the_invites_cseq_number_does_not_confirm_rfc3261_13_2_2_4) {
  auto d = Dialog::from_uac(our_invite(), response_to_invite(180, "Record-Route: <sip:p1.example;lr>\nContact: <sip:bob@192.0.2.4>\n"));
  ASSERT_TRUE(d.ok());
  auto ok_cancel = parse_msg(
      "SIP/2.0 200 OK\n"
      "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKnashds7\n"
      "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
      "To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\n"
      "Call-ID: a84b4c76e66710\n"
      "CSeq: 314159 CANCEL\n"
      "Content-Length: 0\n\n");
  ASSERT_TRUE(d->update_from_response(ok_cancel).ok());
  EXPECT_EQ(d->state(), State::Early);
  EXPECT_EQ(d->route_set(), std::vector<std::string>{"<sip:p1.example;lr>"});
  ASSERT_TRUE(d->update_from_response(response_to_invite(487, "")).ok());
  EXPECT_EQ(d->state(), State::Terminated);
}

TEST(DialogUac, secure_flag_for_sips_request_uri_rfc3261_12_1_2) {
  auto inv = our_invite();
  inv.set_request_uri("sips:bob@biloxi.example.com");
  auto d = Dialog::from_uac(inv, response_to_invite(200, ""));
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->secure());
}

// --- §12.1.1 UAS creation ----------------------------------------------------------

TEST(DialogUas, route_set_MUST_be_record_route_in_order_rfc3261_12_1_1) {
  auto d = Dialog::from_uas(their_invite("Record-Route: <sip:p1.example.com;lr>\n"
                                         "Record-Route: <sip:p2.example.com;lr;x=1>\n"
                                         "Contact: <sip:bob@192.0.2.4>\n"),
                            "ourtag", "sip:alice@df7jal23ls0d.invalid;transport=ws");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->route_set(), (std::vector<std::string>{"<sip:p1.example.com;lr>",
                                                      "<sip:p2.example.com;lr;x=1>"}));
  EXPECT_EQ(d->id(), (DialogId{"3848276298220188511@biloxi.example.com", "ourtag", "8321234356"}));
  EXPECT_EQ(d->remote_seq(), 10u);
  EXPECT_FALSE(d->local_seq().has_value());  // "local sequence number MUST be empty"
  EXPECT_EQ(d->remote_target(), "sip:bob@192.0.2.4");
  EXPECT_EQ(d->local_party(), "Alice <sip:alice@atlanta.example.com>;tag=ourtag");
  EXPECT_EQ(d->remote_party(), "Bob <sip:bob@biloxi.example.com>;tag=8321234356");
  EXPECT_EQ(d->local_contact(), "<sip:alice@df7jal23ls0d.invalid;transport=ws>");
  EXPECT_EQ(d->state(), State::Early);
  EXPECT_TRUE(d->incoming_invite_in_progress());
}

TEST(DialogUas, our_2xx_confirms_and_non_2xx_terminates_rfc3261_12_1_1) {
  auto inv = their_invite("Contact: <sip:bob@192.0.2.4>\n");
  auto d = Dialog::from_uas(inv, "ourtag");
  ASSERT_TRUE(d.ok());
  auto ringing = parse_msg("SIP/2.0 180 Ringing\nCSeq: 10 INVITE\n\n");
  d->on_response_sent(ringing);
  EXPECT_EQ(d->state(), State::Early);
  d->on_response_sent(parse_msg("SIP/2.0 200 OK\nCSeq: 10 INVITE\n\n"));
  EXPECT_EQ(d->state(), State::Confirmed);
  EXPECT_FALSE(d->incoming_invite_in_progress());

  auto d2 = Dialog::from_uas(inv, "ourtag");
  ASSERT_TRUE(d2.ok());
  d2->on_response_sent(parse_msg("SIP/2.0 603 Decline\nCSeq: 10 INVITE\n\n"));
  EXPECT_EQ(d2->state(), State::Terminated);
}

// Only the answer to the dialog-creating INVITE decides the early dialog's
// fate (§12.1.1, §12.3): a 500 to an INFO that reused its CSeq number
// (refused as out of order, §12.2.2) ended it (review of core/dialog).
TEST(DialogUas, a_final_response_to_another_method_with_the_invites_cseq_number_keeps_the_early_dialog_rfc3261_12_1_1) {
  auto d = Dialog::from_uas(their_invite("Contact: <sip:bob@192.0.2.4>\n"), "ourtag");
  ASSERT_TRUE(d.ok());
  const auto info = in_dialog_request("INFO", 10);
  const auto v = d->validate_request(info);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().sip_status_hint, 500);
  d->on_response_sent(parse_msg("SIP/2.0 500 Server Internal Error\nCSeq: 10 INFO\n\n"));
  EXPECT_EQ(d->state(), State::Early);
  d->on_response_sent(parse_msg("SIP/2.0 200 OK\nCSeq: 10 INFO\n\n"));
  EXPECT_EQ(d->state(), State::Early);
  d->on_response_sent(parse_msg("SIP/2.0 200 OK\nCSeq: 10 INVITE\n\n"));
  EXPECT_EQ(d->state(), State::Confirmed);
}

TEST(DialogUas, rc_invite_without_contact_targets_from_uri) {
  // rc-web-phone-spec §14: RC's INVITE to the client may carry no Contact.
  auto d = Dialog::from_uas(their_invite(), "ourtag");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->remote_target(), "sip:bob@biloxi.example.com");
  EXPECT_FALSE(d->remote_target_from_contact());
}

TEST(DialogUas, request_with_to_tag_does_not_create_dialog_rfc3261_12_1_1) {
  auto d = Dialog::from_uas(in_dialog_request("INVITE", 11), "x");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, DialogErrorCode::NotThisDialog);
}

// --- §12.2.1.1 requests within a dialog ----------------------------------------------

TEST(DialogRequest, empty_route_set_puts_remote_target_in_request_uri_without_route_rfc3261_12_2_1_1) {
  Dialog d = confirmed_uac();
  auto bye = d.create_request("BYE");
  ASSERT_TRUE(bye.ok());
  EXPECT_EQ(bye->method(), "BYE");
  EXPECT_EQ(bye->request_uri(), "sip:bob@192.0.2.4");
  EXPECT_FALSE(bye->has("Route"));
  EXPECT_EQ(bye->get("From").value(), "Alice <sip:alice@atlanta.example.com>;tag=1928301774");
  EXPECT_EQ(bye->get("To").value(), "Bob <sip:bob@biloxi.example.com>;tag=a6c85cf");
  EXPECT_EQ(bye->get("Call-ID").value(), "a84b4c76e66710");
  EXPECT_EQ(bye->get("CSeq").value(), "314160 BYE");
  EXPECT_EQ(bye->get("Max-Forwards").value(), "70");
  EXPECT_FALSE(bye->has("Via"));      // the transaction layer adds it
  EXPECT_FALSE(bye->has("Contact"));  // BYE is not a target refresh
  // It serialises and parses back as a SIP message.
  auto text = bye->to_string();
  EXPECT_TRUE(msg::parse(text).ok()) << text;
}

TEST(DialogRequest, loose_routing_keeps_target_in_request_uri_and_full_route_set_rfc3261_12_2_1_1) {
  Dialog d = confirmed_uac(
      "Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr;ob>\n"
      "Contact: <sip:bob@192.0.2.4>\n");
  auto r = d.create_request("INFO");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->request_uri(), "sip:bob@192.0.2.4");
  EXPECT_EQ(all(*r, "Route"),
            (std::vector<std::string>{"<sip:p1.example.com;lr;ob>", "<sip:p2.example.com;lr>"}));
}

TEST(DialogRequest, strict_routing_puts_first_route_in_request_uri_and_target_last_rfc3261_12_2_1_1) {
  Dialog d = confirmed_uac(
      "Record-Route: <sip:p3.example.com;lr>, <sip:p2.example.com;lr>, "
      "<sip:p1.example.com;maddr=10.0.0.1;method=INVITE?X-H=1>\n"
      "Contact: <sip:bob@192.0.2.4>\n");
  auto r = d.create_request("BYE");
  ASSERT_TRUE(r.ok());
  // "stripping any parameters that are not allowed in a Request-URI"
  EXPECT_EQ(r->request_uri(), "sip:p1.example.com;maddr=10.0.0.1");
  EXPECT_EQ(all(*r, "Route"),
            (std::vector<std::string>{"<sip:p2.example.com;lr>", "<sip:p3.example.com;lr>",
                                      "<sip:bob@192.0.2.4>"}));
}

TEST(DialogRequest, cseq_MUST_increase_by_one_per_request_rfc3261_12_2_1_1) {
  Dialog d = confirmed_uac();
  EXPECT_EQ(d.create_request("INFO")->get("CSeq").value(), "314160 INFO");
  EXPECT_EQ(d.create_request("UPDATE")->get("CSeq").value(), "314161 UPDATE");
  EXPECT_EQ(d.local_seq(), 314161u);
}

TEST(DialogRequest, uas_empty_local_seq_starts_at_one_rfc3261_12_2_1_1) {
  auto d = Dialog::from_uas(their_invite("Contact: <sip:bob@192.0.2.4>\n"), "ourtag");
  ASSERT_TRUE(d.ok());
  d->on_response_sent(parse_msg("SIP/2.0 200 OK\nCSeq: 10 INVITE\n\n"));
  auto bye = d->create_request("BYE");
  ASSERT_TRUE(bye.ok());
  EXPECT_EQ(bye->get("CSeq").value(), "1 BYE");
  EXPECT_EQ(bye->get("From").value(), "Alice <sip:alice@atlanta.example.com>;tag=ourtag");
  EXPECT_EQ(bye->get("To").value(), "Bob <sip:bob@biloxi.example.com>;tag=8321234356");
}

TEST(DialogRequest, target_refresh_requests_carry_contact_rfc3261_12_2_1_1) {
  Dialog d = confirmed_uac();
  auto inv = d.create_request("INVITE");
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->get("Contact").value(), "<sip:alice@df7jal23ls0d.invalid;transport=ws>");
  EXPECT_TRUE(d.outgoing_invite_in_progress());
}

TEST(DialogRequest, ack_MUST_reuse_invite_cseq_number_rfc3261_13_2_2_4) {
  Dialog d = confirmed_uac("Record-Route: <sip:p1.example.com;lr>\nContact: <sip:bob@192.0.2.4>\n");
  auto ack = d.create_ack(314159);
  EXPECT_EQ(ack.method(), "ACK");
  EXPECT_EQ(ack.get("CSeq").value(), "314159 ACK");
  EXPECT_EQ(ack.request_uri(), "sip:bob@192.0.2.4");
  EXPECT_EQ(all(ack, "Route"), (std::vector<std::string>{"<sip:p1.example.com;lr>"}));
  EXPECT_EQ(d.local_seq(), 314159u);  // not incremented
  EXPECT_EQ(d.create_request("BYE")->get("CSeq").value(), "314160 BYE");
}

TEST(DialogRequest, ack_and_cancel_are_refused_by_create_request) {
  Dialog d = confirmed_uac();
  EXPECT_EQ(d.create_request("ACK").error().code, DialogErrorCode::Malformed);
  EXPECT_EQ(d.create_request("CANCEL").error().code, DialogErrorCode::Malformed);
  EXPECT_EQ(d.create_request("BAD METHOD").error().code, DialogErrorCode::Malformed);
  EXPECT_EQ(d.local_seq(), 314159u);
}

TEST(DialogRequest, cancel_MUST_copy_request_uri_tags_cseq_number_and_top_via_rfc3261_9_1) {
  auto inv = our_invite();
  inv.add("Route", "<sip:edge.example.com;lr>");
  auto c = make_cancel(inv);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->method(), "CANCEL");
  EXPECT_EQ(c->request_uri(), "sip:bob@biloxi.example.com");
  EXPECT_EQ(c->get("CSeq").value(), "314159 CANCEL");
  EXPECT_EQ(c->get("Via").value(), "SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKnashds7");
  EXPECT_EQ(c->get("To").value(), "Bob <sip:bob@biloxi.example.com>");
  EXPECT_EQ(c->get("From").value(), "Alice <sip:alice@atlanta.example.com>;tag=1928301774");
  EXPECT_EQ(c->get("Route").value(), "<sip:edge.example.com;lr>");
  EXPECT_FALSE(make_cancel(confirmed_uac().create_ack(1)).ok());  // never CANCEL an ACK
}

TEST(DialogRequest, cseq_exhaustion_is_an_error_rfc3261_8_1_1_5) {
  auto inv = our_invite();
  inv.set("CSeq", "4294967295 INVITE");
  auto resp = response_to_invite(200, "");
  resp.set("CSeq", "4294967295 INVITE");
  auto d = Dialog::from_uac(inv, resp);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->create_request("BYE").error().code, DialogErrorCode::CSeqExhausted);
}

// --- §12.2.1.2 responses within a dialog --------------------------------------------

TEST(DialogResponse, reinvite_2xx_replaces_remote_target_rfc3261_12_2_1_2) {
  Dialog d = confirmed_uac();
  auto inv = d.create_request("INVITE");
  ASSERT_TRUE(inv.ok());
  auto ok = response_to_invite(200, "Contact: <sip:bob@203.0.113.9>\n");
  ok.set("CSeq", "314160 INVITE");
  ASSERT_TRUE(d.update_from_response(ok).ok());
  EXPECT_EQ(d.remote_target(), "sip:bob@203.0.113.9");
  EXPECT_FALSE(d.outgoing_invite_in_progress());
  EXPECT_EQ(d.state(), State::Confirmed);
}

TEST(DialogResponse, non_target_refresh_2xx_keeps_remote_target_rfc3261_12_2_1_2) {
  Dialog d = confirmed_uac();
  auto ok = response_to_invite(200, "Contact: <sip:bob@203.0.113.9>\n");
  ok.set("CSeq", "314160 INFO");
  ASSERT_TRUE(d.update_from_response(ok).ok());
  EXPECT_EQ(d.remote_target(), "sip:bob@192.0.2.4");
}

TEST(DialogResponse, response_481_or_408_SHOULD_terminate_dialog_rfc3261_12_2_1_2) {
  for (int status : {481, 408}) {
    Dialog d = confirmed_uac();
    auto r = response_to_invite(status, "");
    r.set("CSeq", "314160 INFO");
    ASSERT_TRUE(d.update_from_response(r).ok());
    EXPECT_EQ(d.state(), State::Terminated) << status;
  }
  Dialog d = confirmed_uac();
  auto r = response_to_invite(486, "");
  r.set("CSeq", "314160 INVITE");
  ASSERT_TRUE(d.update_from_response(r).ok());
  EXPECT_EQ(d.state(), State::Confirmed);  // a failed re-INVITE keeps the dialog
}

// --- §12.2.2 UAS behaviour ------------------------------------------------------------

TEST(DialogValidate, lower_cseq_MUST_be_rejected_with_500_rfc3261_12_2_2) {
  auto d = Dialog::from_uas(their_invite(), "ourtag");
  ASSERT_TRUE(d.ok());
  auto low = d->validate_request(in_dialog_request("INFO", 9));
  ASSERT_FALSE(low.ok());
  EXPECT_EQ(low.error().code, DialogErrorCode::CSeqOutOfOrder);
  EXPECT_EQ(low.error().sip_status_hint, 500);
  EXPECT_FALSE(d->validate_request(in_dialog_request("INFO", 10)).ok());  // equal: not a new request
  EXPECT_EQ(d->remote_seq(), 10u);
}

TEST(DialogValidate, higher_cseq_is_in_order_even_if_not_contiguous_rfc3261_12_2_2) {
  auto d = Dialog::from_uas(their_invite(), "ourtag");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->validate_request(in_dialog_request("INFO", 17)).ok());  // RC: gaps allowed
  EXPECT_EQ(d->remote_seq(), 17u);
  EXPECT_TRUE(d->validate_request(in_dialog_request("BYE", 18)).ok());
  EXPECT_FALSE(d->validate_request(in_dialog_request("INFO", 16)).ok());
}

TEST(DialogValidate, empty_remote_seq_MUST_be_set_from_request_rfc3261_12_2_2) {
  Dialog d = confirmed_uac();
  auto req = parse_msg(
      "BYE sip:alice@df7jal23ls0d.invalid SIP/2.0\n"
      "Via: SIP/2.0/WSS 10.0.0.1;branch=z9hG4bK1\n"
      "From: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\n"
      "To: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
      "Call-ID: a84b4c76e66710\n"
      "CSeq: 7 BYE\n\n");
  ASSERT_TRUE(d.validate_request(req).ok());
  EXPECT_EQ(d.remote_seq(), 7u);
}

TEST(DialogValidate, ack_and_cancel_are_not_sequence_checked_rfc3261_13_2_2_4) {
  auto d = Dialog::from_uas(their_invite(), "ourtag");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->validate_request(in_dialog_request("ACK", 10)).ok());
  EXPECT_EQ(d->remote_seq(), 10u);
}

TEST(DialogValidate, target_refresh_request_MUST_replace_remote_target_rfc3261_12_2_2) {
  auto d = Dialog::from_uas(their_invite("Contact: <sip:bob@192.0.2.4>\n"), "ourtag");
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d->validate_request(in_dialog_request("INFO", 11, "Contact: <sip:x@9.9.9.9>\n")).ok());
  EXPECT_EQ(d->remote_target(), "sip:bob@192.0.2.4");  // INFO is no target refresh
  ASSERT_TRUE(d->validate_request(in_dialog_request("INVITE", 12, "Contact: <sip:bob@198.51.100.1>\n")).ok());
  EXPECT_EQ(d->remote_target(), "sip:bob@198.51.100.1");
  ASSERT_TRUE(d->validate_request(in_dialog_request("UPDATE", 13)).ok());  // no Contact: kept
  EXPECT_EQ(d->remote_target(), "sip:bob@198.51.100.1");
}

TEST(DialogValidate, wrong_tags_are_481_and_terminated_dialog_is_481_rfc3261_12_2_2) {
  auto d = Dialog::from_uas(their_invite(), "ourtag");
  ASSERT_TRUE(d.ok());
  auto wrong = d->validate_request(in_dialog_request("BYE", 11, {}, "othertag"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().sip_status_hint, 481);
  d->terminate();
  auto dead = d->validate_request(in_dialog_request("BYE", 12));
  ASSERT_FALSE(dead.ok());
  EXPECT_EQ(dead.error().code, DialogErrorCode::Terminated);
  EXPECT_EQ(dead.error().sip_status_hint, 481);
}

// --- DialogSet ---------------------------------------------------------------------------

TEST(DialogSet, request_with_unknown_to_tag_MUST_get_481_rfc3261_12_2_2) {
  DialogSet set;
  auto d = Dialog::from_uas(their_invite(), "ourtag");
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(set.insert(std::move(d).value()).ok());
  EXPECT_EQ(set.size(), 1u);

  auto in = set.match_request(in_dialog_request("BYE", 11));
  EXPECT_EQ(in.kind, RequestMatch::Kind::InDialog);
  ASSERT_NE(in.dialog, nullptr);
  EXPECT_EQ(in.dialog->id().local_tag, "ourtag");

  EXPECT_EQ(set.match_request(in_dialog_request("BYE", 11, {}, "gone")).kind,
            RequestMatch::Kind::NoDialog);
  EXPECT_EQ(set.match_request(their_invite()).kind, RequestMatch::Kind::OutOfDialog);
}

TEST(DialogSet, forked_early_dialogs_are_distinct_and_duplicates_refused_rfc3261_12_1_2) {
  DialogSet set;
  auto a = Dialog::from_uac(our_invite(), response_to_invite(180, "", "forkA"));
  auto b = Dialog::from_uac(our_invite(), response_to_invite(180, "", "forkB"));
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(set.insert(a.value()).ok());
  ASSERT_TRUE(set.insert(b.value()).ok());
  EXPECT_EQ(set.insert(a.value()).error().code, DialogErrorCode::Duplicate);
  Dialog* fb = set.match_response(response_to_invite(200, "", "forkB"));
  ASSERT_NE(fb, nullptr);
  EXPECT_EQ(fb->id().remote_tag, "forkB");
  EXPECT_EQ(set.match_response(response_to_invite(200, "", "forkC")), nullptr);
  set.find(a->id())->terminate();
  EXPECT_EQ(set.erase_terminated(), 1u);
  EXPECT_TRUE(set.erase(b->id()));
  EXPECT_EQ(set.size(), 0u);
}

// --- §14 glare --------------------------------------------------------------------------

TEST(DialogGlare, reinvite_while_our_invite_pending_MUST_get_491_rfc3261_14_2) {
  Dialog d = confirmed_uac();
  ASSERT_TRUE(d.create_request("INVITE").ok());
  EXPECT_EQ(d.on_incoming_reinvite(), ReinviteVerdict::Glare);
  d.abandon_outgoing_invite();
  EXPECT_EQ(d.on_incoming_reinvite(), ReinviteVerdict::Proceed);
}

TEST(DialogGlare, second_incoming_invite_before_final_MUST_get_500_rfc3261_14_2) {
  auto d = Dialog::from_uas(their_invite(), "ourtag");
  ASSERT_TRUE(d.ok());
  d->on_response_sent(parse_msg("SIP/2.0 200 OK\nCSeq: 10 INVITE\n\n"));
  ASSERT_TRUE(d->validate_request(in_dialog_request("INVITE", 11)).ok());
  EXPECT_EQ(d->on_incoming_reinvite(), ReinviteVerdict::Proceed);
  ASSERT_TRUE(d->validate_request(in_dialog_request("INVITE", 12)).ok());
  EXPECT_EQ(d->on_incoming_reinvite(), ReinviteVerdict::ServerPending);
  // The 500 to the second leaves the first in progress: a third gets 500 too.
  d->on_response_sent(parse_msg("SIP/2.0 500 Server Internal Error\nCSeq: 12 INVITE\n\n"));
  ASSERT_TRUE(d->validate_request(in_dialog_request("INVITE", 13)).ok());
  EXPECT_EQ(d->on_incoming_reinvite(), ReinviteVerdict::ServerPending);
  d->on_response_sent(parse_msg("SIP/2.0 500 Server Internal Error\nCSeq: 13 INVITE\n\n"));
  // The first's final ends it.
  d->on_response_sent(parse_msg("SIP/2.0 200 OK\nCSeq: 11 INVITE\n\n"));
  ASSERT_TRUE(d->validate_request(in_dialog_request("INVITE", 14)).ok());
  EXPECT_EQ(d->on_incoming_reinvite(), ReinviteVerdict::Proceed);
}

TEST(DialogGlare, uac_MUST_NOT_start_invite_while_one_in_progress_either_direction_rfc3261_14_1) {
  Dialog d = confirmed_uac();
  ASSERT_TRUE(d.create_request("INVITE").ok());
  auto second = d.create_request("INVITE");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, DialogErrorCode::RequestPending);
  EXPECT_EQ(d.local_seq(), 314160u);  // the refused request consumed no CSeq
  d.abandon_outgoing_invite();
  EXPECT_EQ(d.on_incoming_reinvite(), ReinviteVerdict::Proceed);
  EXPECT_EQ(d.create_request("INVITE").error().code, DialogErrorCode::RequestPending);
  EXPECT_TRUE(d.create_request("INFO").ok());  // non-INVITE requests are fine
}

TEST(DialogGlare, retry_delay_ranges_in_10ms_units_rfc3261_14_1) {
  Rng rng(42);
  Duration lo_owner = 1 << 30, hi_owner = 0, lo = 1 << 30, hi = 0;
  for (int i = 0; i < 5000; ++i) {
    Duration o = glare_retry_delay(rng, true);
    Duration n = glare_retry_delay(rng, false);
    EXPECT_EQ(o % 10, 0);
    EXPECT_EQ(n % 10, 0);
    lo_owner = std::min(lo_owner, o);
    hi_owner = std::max(hi_owner, o);
    lo = std::min(lo, n);
    hi = std::max(hi, n);
    auto ra = server_pending_retry_after(rng);
    EXPECT_LE(ra, 10u);
  }
  EXPECT_EQ(lo_owner, 2100);
  EXPECT_EQ(hi_owner, 4000);
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 2000);
}

// §12: the dialog ID is Call-ID plus local and remote tag. A response names
// our tag in From, a request sent to us names it in To; a message whose
// From, To or CSeq does not parse belongs to no dialog.
TEST(DialogId, of_response_and_request_sides_quoted_tags_and_malformed_parties) {
  const auto r = dialog_id_of_response(response_to_invite(200, ""));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->call_id, "a84b4c76e66710");
  EXPECT_EQ(r->local_tag, "1928301774");
  EXPECT_EQ(r->remote_tag, "a6c85cf");
  const auto q = dialog_id_of_request(parse_msg(
      "BYE sip:alice@df7jal23ls0d.invalid SIP/2.0\n"
      "Via: SIP/2.0/WSS 10.0.0.1;branch=z9hG4bKbye1\n"
      "From: Bob <sip:bob@biloxi.example.com>;TAG=\"b\\\"q\"\n"
      "To: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
      "Call-ID: c1\n"
      "CSeq: 2 BYE\n"
      "Content-Length: 0\n\n"));
  ASSERT_TRUE(q);
  EXPECT_EQ(q->local_tag, "1928301774");
  EXPECT_EQ(q->remote_tag, "b\"q");  // a quoted tag, unescaped as parse_name_addr reads it
  const auto bad = [](const std::string& from, const std::string& cseq) {
    return dialog_id_of_request(parse_msg("BYE sip:a@b SIP/2.0\nVia: SIP/2.0/WSS h;branch=z9hG4bKx\nFrom: " + from +
                                          "\nTo: <sip:a@b>;tag=1\nCall-ID: c2\nCSeq: " + cseq +
                                          "\nContent-Length: 0\n\n"));
  };
  EXPECT_TRUE(bad("<sip:b@c>;tag=2", "3 BYE"));
  EXPECT_FALSE(bad("Bell, Alexander <sip:b@c>;tag=2", "3 BYE"));  // RFC 4475 baddn
  EXPECT_FALSE(bad("<sip:b@c>;tag=2", "99999999999 BYE"));         // RFC 4475 scalar02
}
