// Registration client (RFC 3261 §10.2, §22) in virtual time: a scripted
// registrar answers each REGISTER; no sleeps, no sockets.
#include "core/reg/registration.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/auth/md5.hpp"
#include "core/msg/header_fields.hpp"
#include "core/msg/reply.hpp"
#include "core/txn/transaction_layer.hpp"

namespace wwp::reg {
namespace {

Config test_config() {
  Config c;
  c.username = "16505550101";
  c.authorization_id = "802400000000";
  c.password = "pw";
  c.domain = "sip.example.test";
  c.instance_id = "dev-1";
  c.contact_host = "abc.invalid";
  c.rng_seed = 42;
  return c;
}

class RegistrationTest : public ::testing::Test {
 protected:
  Config config_ = test_config();
  Rng rng_{7};
  Registration reg_{config_, rng_};
  TimePoint now_ = 1000;

  msg::Message take_request() {
    auto m = reg_.poll_transmit();
    EXPECT_TRUE(m.has_value()) << "expected a REGISTER";
    return m ? *m : msg::Message{};
  }
  void expect_no_request() { EXPECT_FALSE(reg_.poll_transmit().has_value()); }
  std::optional<RegEvent> event() { return reg_.poll_event(); }

  msg::Message challenge(const msg::Message& req, const std::string& extra = "") {
    auto r = msg::make_reply(req, 401, "srvtag");
    r.add("WWW-Authenticate", "Digest realm=\"sip.example.test\", nonce=\"n0nce\"" + extra);
    return r;
  }
  msg::Message ok(const msg::Message& req, const std::string& contact_params = ";expires=47") {
    auto r = msg::make_reply(req, 200, "srvtag");
    r.add("Contact", "<" + reg_.contact_uri() + ">" + contact_params);
    return r;
  }
  /// Run virtual time forward to `t`, firing due timers.
  void advance_to(TimePoint t) {
    while (reg_.next_timeout() <= t) {
      now_ = reg_.next_timeout();
      reg_.handle_timeout(now_);
    }
    now_ = t;
  }
};

TEST_F(RegistrationTest, first_register_has_rfc3261_10_2_shape_and_instance) {
  ASSERT_TRUE(reg_.start(now_).ok());
  auto r = take_request();
  EXPECT_EQ(r.start_line(), "REGISTER sip:sip.example.test SIP/2.0");
  EXPECT_EQ(*r.get("To"), "<sip:16505550101@sip.example.test>");
  ASSERT_TRUE(msg::tag_of(*r.get("From")));
  auto via = msg::parse_via(*r.get("Via"));
  ASSERT_TRUE(via);
  EXPECT_EQ(via->branch().substr(0, 7), "z9hG4bK");  // RFC 3261 §8.1.1.7 magic cookie
  EXPECT_NE(r.get("Contact")->find("+sip.instance=\"<urn:uuid:dev-1>\""), std::string_view::npos);
  EXPECT_NE(r.get("Contact")->find(";expires=60"), std::string_view::npos);
  EXPECT_FALSE(r.has("Authorization"));
  EXPECT_EQ(*r.get("Content-Length"), "0");
  EXPECT_EQ(reg_.state(), State::Registering);
}

TEST_F(RegistrationTest, answers_401_with_digest_same_call_id_next_cseq_new_branch_rfc3261_22_2) {
  ASSERT_TRUE(reg_.start(now_).ok());
  auto first = take_request();
  ASSERT_TRUE(reg_.handle_response(challenge(first), now_));
  auto second = take_request();
  EXPECT_EQ(*second.get("Call-ID"), *first.get("Call-ID"));
  EXPECT_EQ(msg::parse_cseq(*second.get("CSeq"))->seq, msg::parse_cseq(*first.get("CSeq"))->seq + 1);
  EXPECT_NE(msg::parse_via(*second.get("Via"))->branch(), msg::parse_via(*first.get("Via"))->branch());
  const std::string auth(*second.get("Authorization"));
  // RFC 2617 §3.2.2.1 without qop: response = MD5(HA1:nonce:HA2).
  const std::string ha1 = auth::md5_hex("802400000000:sip.example.test:pw");
  const std::string ha2 = auth::md5_hex("REGISTER:sip:sip.example.test");
  const std::string expected = auth::md5_hex(ha1 + ":n0nce:" + ha2);
  EXPECT_NE(auth.find("response=\"" + expected + "\""), std::string::npos) << auth;
  EXPECT_NE(auth.find("username=\"802400000000\""), std::string::npos);
}

TEST_F(RegistrationTest, granted_expiry_is_reported_and_refreshed_before_it_lapses) {
  ASSERT_TRUE(reg_.start(now_).ok());
  auto first = take_request();
  reg_.handle_response(challenge(first), now_);
  auto second = take_request();
  ASSERT_TRUE(reg_.handle_response(ok(second), now_));
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<Registered>(*e));
  EXPECT_EQ(std::get<Registered>(*e).expires, 47u);
  EXPECT_EQ(reg_.state(), State::Registered);
  // Refresh at max(47/2, 47-5) = 42 s after the 200.
  EXPECT_EQ(reg_.next_timeout(), now_ + 42000);
  advance_to(now_ + 41999);
  expect_no_request();
  advance_to(now_ + 1);
  auto refresh = take_request();
  EXPECT_EQ(*refresh.get("Call-ID"), *first.get("Call-ID"));  // RFC 3261 §10.2.4
  EXPECT_EQ(reg_.state(), State::Registering);
}

TEST_F(RegistrationTest, second_challenge_after_credentials_fails_without_retry_loop) {
  ASSERT_TRUE(reg_.start(now_).ok());
  reg_.handle_response(challenge(take_request()), now_);
  auto second = take_request();
  reg_.handle_response(challenge(second), now_);
  expect_no_request();
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<RegistrationFailed>(*e));
  EXPECT_EQ(std::get<RegistrationFailed>(*e).message, "Registration failed: SIP/2.0 401 Unauthorized");
  EXPECT_EQ(std::get<RegistrationFailed>(*e).code, RegFailure::Unauthorized);
  EXPECT_EQ(reg_.state(), State::Failed);
  advance_to(now_ + 600000);  // nothing is ever retried by itself
  expect_no_request();
}

TEST_F(RegistrationTest, stale_nonce_is_retried_rfc7616_3_3) {
  ASSERT_TRUE(reg_.start(now_).ok());
  reg_.handle_response(challenge(take_request()), now_);
  auto second = take_request();
  reg_.handle_response(challenge(second, ", stale=true"), now_);
  auto third = take_request();
  EXPECT_TRUE(third.has("Authorization"));
  EXPECT_FALSE(event().has_value());
}

TEST_F(RegistrationTest, a_second_stale_nonce_in_a_row_fails_instead_of_looping_rfc7616_3_3) {
  ASSERT_TRUE(reg_.start(now_).ok());
  reg_.handle_response(challenge(take_request()), now_);
  reg_.handle_response(challenge(take_request(), ", stale=true"), now_);
  reg_.handle_response(challenge(take_request(), ", stale=true"), now_);
  expect_no_request();
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<RegistrationFailed>(*e));
  EXPECT_EQ(std::get<RegistrationFailed>(*e).code, RegFailure::Unauthorized);
  EXPECT_EQ(std::get<RegistrationFailed>(*e).message, "Registration failed: SIP/2.0 401 Unauthorized (stale nonce again)");
}

/// The nc=… of an Authorization value.
std::string nc_of(const msg::Message& m) {
  const std::string auth(m.get("Authorization").value_or(""));
  const auto at = auth.find("nc=");
  return at == std::string::npos ? std::string() : auth.substr(at + 3, 8);
}

// RFC 7616 §3.4: nc counts the requests sent with *this* nonce. A registrar
// that challenges every refresh with a new nonce must see 00000001 each
// time; a count carried over from earlier nonces reaches 256 after ~4 h of
// 60 s refreshes, past which Kamailio's nonce_count check refuses it.
TEST_F(RegistrationTest, nc_restarts_at_1_for_each_new_nonce_and_counts_a_reused_one_rfc7616_3_4) {
  ASSERT_TRUE(reg_.start(now_).ok());
  for (int cycle = 0; cycle < 3; ++cycle) {
    auto bare = take_request();
    auto c = msg::make_reply(bare, 401, "srvtag");
    c.add("WWW-Authenticate", "Digest realm=\"sip.example.test\", qop=\"auth\", nonce=\"n" + std::to_string(cycle) + "\"");
    reg_.handle_response(c, now_);
    auto authed = take_request();
    EXPECT_EQ(nc_of(authed), "00000001") << "cycle " << cycle;
    reg_.handle_response(ok(authed), now_);
    ASSERT_EQ(reg_.state(), State::Registered);
    advance_to(reg_.next_timeout());
  }
  // The same nonce again, flagged stale: a second request with it counts 2.
  auto bare = take_request();
  auto c = msg::make_reply(bare, 401, "srvtag");
  c.add("WWW-Authenticate", "Digest realm=\"sip.example.test\", qop=\"auth\", nonce=\"same\"");
  reg_.handle_response(c, now_);
  auto first = take_request();
  EXPECT_EQ(nc_of(first), "00000001");
  auto again = msg::make_reply(first, 401, "srvtag");
  again.add("WWW-Authenticate", "Digest realm=\"sip.example.test\", qop=\"auth\", nonce=\"same\", stale=true");
  reg_.handle_response(again, now_);
  EXPECT_EQ(nc_of(take_request()), "00000002");
}

// RFC 3261 §10.2.8 after authentication: Kamailio and Asterisk check the
// credentials before the interval, so the 423 comes to an authorized
// REGISTER; its retry goes without credentials and is challenged afresh,
// which is no refusal (it was reported as a wrong password).
TEST_F(RegistrationTest, a_423_after_credentials_is_retried_and_its_fresh_challenge_answered_rfc3261_10_2_8) {
  ASSERT_TRUE(reg_.start(now_).ok());
  reg_.handle_response(challenge(take_request()), now_);
  auto authed = take_request();
  auto brief = msg::make_reply(authed, 423, "t");
  brief.add("Min-Expires", "300");
  reg_.handle_response(brief, now_);
  auto retry = take_request();
  EXPECT_NE(retry.get("Contact")->find(";expires=300"), std::string_view::npos);
  reg_.handle_response(challenge(retry), now_);
  auto answered = take_request();
  EXPECT_TRUE(answered.has("Authorization"));
  EXPECT_FALSE(event().has_value()) << "no failure";
  reg_.handle_response(ok(answered, ";expires=300"), now_);
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<Registered>(*e));
  EXPECT_EQ(std::get<Registered>(*e).expires, 300u);
}

TEST_F(RegistrationTest, final_errors_fail_with_the_status_line) {
  for (int status : {403, 603, 488, 500}) {
    Registration reg(config_, rng_);
    ASSERT_TRUE(reg.start(now_).ok());
    auto req = *reg.poll_transmit();
    auto r = msg::make_reply(req, status, "t");
    reg.handle_response(r, now_);
    auto e = reg.poll_event();
    ASSERT_TRUE(e && std::holds_alternative<RegistrationFailed>(*e)) << status;
    EXPECT_EQ(std::get<RegistrationFailed>(*e).message, "Registration failed: " + r.start_line());
    EXPECT_FALSE(reg.poll_transmit().has_value());
  }
}

TEST_F(RegistrationTest, no_answer_in_5s_reports_dead_transport) {
  ASSERT_TRUE(reg_.start(now_).ok());
  take_request();
  advance_to(now_ + 4999);
  EXPECT_FALSE(event().has_value());
  advance_to(now_ + 1);
  auto dead = event();
  ASSERT_TRUE(dead && std::holds_alternative<TransportDead>(*dead));
  auto failed = event();
  ASSERT_TRUE(failed && std::holds_alternative<RegistrationFailed>(*failed));
  EXPECT_EQ(std::get<RegistrationFailed>(*failed).status, 408);
}

TEST_F(RegistrationTest, provisional_then_silence_is_a_408_not_a_dead_transport_rfc3261_17_1_2_2) {
  // Timer F belongs to the NICT (core/txn); drive the REGISTER through one.
  txn::TransactionLayer txns(txn::TxnConfig{config_.t1});
  ASSERT_TRUE(reg_.start(now_).ok());
  auto req = take_request();
  ASSERT_TRUE(txns.start_client(req, now_).ok());
  reg_.handle_response(msg::make_reply(req, 100), now_);
  const TimePoint timer_f = now_ + 64 * config_.t1;
  while (std::min(reg_.next_timeout(), txns.next_timeout()) <= timer_f) {
    now_ = std::min(reg_.next_timeout(), txns.next_timeout());
    reg_.handle_timeout(now_);
    txns.handle_timeout(now_);
    while (auto te = txns.poll_event())
      if (auto* cr = std::get_if<txn::ClientResponse>(&*te)) reg_.handle_response(cr->response, now_, cr->source);
  }
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<RegistrationFailed>(*e));  // not TransportDead
  EXPECT_EQ(std::get<RegistrationFailed>(*e).message, "Registration failed: SIP/2.0 408 Request Timeout");
  EXPECT_EQ(std::get<RegistrationFailed>(*e).code, RegFailure::Timeout);
  EXPECT_EQ(now_, timer_f);
}

TEST_F(RegistrationTest, interval_too_brief_is_retried_with_min_expires_rfc3261_10_2_8) {
  ASSERT_TRUE(reg_.start(now_).ok());
  auto req = take_request();
  auto r = msg::make_reply(req, 423, "t");
  r.add("Min-Expires", "3600");
  reg_.handle_response(r, now_);
  auto retry = take_request();
  EXPECT_NE(retry.get("Contact")->find(";expires=3600"), std::string_view::npos);
}

TEST_F(RegistrationTest, unregister_sends_expires_0_and_completes) {
  ASSERT_TRUE(reg_.start(now_).ok());
  reg_.handle_response(ok(take_request()), now_);
  ASSERT_TRUE(event().has_value());
  ASSERT_TRUE(reg_.stop(now_).ok());
  auto bye = take_request();
  EXPECT_NE(bye.get("Contact")->find(";expires=0"), std::string_view::npos);
  reg_.handle_response(challenge(bye), now_);
  auto authed = take_request();
  reg_.handle_response(msg::make_reply(authed, 200, "t"), now_);
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<Unregistered>(*e));
  EXPECT_EQ(reg_.state(), State::Idle);
  EXPECT_EQ(reg_.next_timeout(), kNever);  // no refresh after unregistering
}

TEST_F(RegistrationTest, unregister_with_no_answer_still_completes) {
  ASSERT_TRUE(reg_.start(now_).ok());
  reg_.handle_response(ok(take_request()), now_);
  event();
  ASSERT_TRUE(reg_.stop(now_).ok());
  take_request();
  advance_to(now_ + 5000);
  bool unregistered = false;
  while (auto e = event()) unregistered |= std::holds_alternative<Unregistered>(*e);
  EXPECT_TRUE(unregistered);
}

TEST_F(RegistrationTest, response_for_another_branch_is_not_ours) {
  ASSERT_TRUE(reg_.start(now_).ok());
  auto req = take_request();
  req.set("Via", "SIP/2.0/WSS abc.invalid;branch=z9hG4bKother");
  EXPECT_FALSE(reg_.handle_response(msg::make_reply(req, 200, "t"), now_));
  EXPECT_EQ(reg_.state(), State::Registering);
}

TEST_F(RegistrationTest, ok_without_contact_expires_fails_clearly) {
  ASSERT_TRUE(reg_.start(now_).ok());
  auto req = take_request();
  reg_.handle_response(msg::make_reply(req, 200, "t"), now_);
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<RegistrationFailed>(*e));
  EXPECT_EQ(std::get<RegistrationFailed>(*e).message,
            "Registration failed: SIP/2.0 200 OK (missing Contact expires)");
}

TEST_F(RegistrationTest, our_binding_is_chosen_among_several_contacts_rfc3261_10_2_4) {
  ASSERT_TRUE(reg_.start(now_).ok());
  auto req = take_request();
  auto r = msg::make_reply(req, 200, "t");
  r.add("Contact", "<sip:other@x.invalid;transport=wss>;expires=30");
  r.add("Contact", "<" + reg_.contact_uri() + ">;expires=90");
  reg_.handle_response(r, now_);
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<Registered>(*e));
  EXPECT_EQ(std::get<Registered>(*e).expires, 90u);
}

TEST_F(RegistrationTest, transport_closed_while_registering_fails_start) {
  ASSERT_TRUE(reg_.start(now_).ok());
  take_request();
  reg_.handle_transport_closed(now_);
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<RegistrationFailed>(*e));
  EXPECT_EQ(reg_.next_timeout(), kNever);
}

// A second start() replaces the socket (how ringcentral-web-phone apps
// re-register): what it cut short is no failure, and start() goes on.
TEST_F(RegistrationTest, a_socket_replaced_by_start_ends_the_registration_quietly_and_start_registers_again) {
  ASSERT_TRUE(reg_.start(now_).ok());
  (void)reg_.handle_response(ok(take_request()), now_);
  ASSERT_EQ(reg_.state(), State::Registered);
  while (event()) {
  }
  reg_.handle_transport_closed(now_, true);
  EXPECT_FALSE(event().has_value()) << "no RegistrationFailed for a socket the app replaced";
  EXPECT_EQ(reg_.next_timeout(), kNever) << "no refresh on the old socket";
  ASSERT_TRUE(reg_.start(now_).ok());
  EXPECT_EQ(take_request().method(), "REGISTER");
}

// --- classified failures (house style §6, §12) ---------------------------------

struct FailureCase {
  int status;
  const char* reason;
  txn::ResponseSource source;
  RegFailure code;
};

class RegistrationFailureTest : public RegistrationTest,
                                public ::testing::WithParamInterface<FailureCase> {};

TEST_P(RegistrationFailureTest, final_response_is_classified_and_keeps_the_2x_message) {
  const FailureCase c = GetParam();
  ASSERT_TRUE(reg_.start(now_).ok());
  auto req = take_request();
  auto r = msg::make_reply(req, c.status, "t", c.reason);
  ASSERT_TRUE(reg_.handle_response(r, now_, c.source));
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<RegistrationFailed>(*e)) << c.status;
  const auto& f = std::get<RegistrationFailed>(*e);
  EXPECT_EQ(f.code, c.code) << c.status << " -> " << to_string(f.code);
  EXPECT_EQ(f.status, c.status);
  EXPECT_EQ(f.reason, c.reason);
  // 2.x text, unchanged (a 401 without a challenge adds why in parentheses).
  EXPECT_EQ(f.message.rfind("Registration failed: " + r.start_line(), 0), 0u) << f.message;
  EXPECT_EQ(f.retry_after_ms, 0u);
  expect_no_request();
}

INSTANTIATE_TEST_SUITE_P(
    Codes, RegistrationFailureTest,
    ::testing::Values(
        FailureCase{403, "Forbidden", txn::ResponseSource::Wire, RegFailure::Forbidden},
        FailureCase{603, "Too Many Contacts", txn::ResponseSource::Wire, RegFailure::TooManyContacts},
        FailureCase{423, "Interval Too Brief", txn::ResponseSource::Wire, RegFailure::IntervalTooBrief},
        FailureCase{408, "Request Timeout", txn::ResponseSource::Wire, RegFailure::Timeout},
        FailureCase{408, "Request Timeout", txn::ResponseSource::TimerF, RegFailure::Timeout},
        FailureCase{503, "Service Unavailable", txn::ResponseSource::TransportClosed, RegFailure::Transport},
        FailureCase{503, "Service Unavailable", txn::ResponseSource::Wire, RegFailure::ServerError},
        FailureCase{500, "Server Internal Error", txn::ResponseSource::Wire, RegFailure::ServerError},
        FailureCase{504, "Server Time-out", txn::ResponseSource::Wire, RegFailure::ServerError},
        // A 401 before we sent credentials, with no challenge to answer.
        FailureCase{401, "Unauthorized", txn::ResponseSource::Wire, RegFailure::Rejected},
        FailureCase{302, "Moved Temporarily", txn::ResponseSource::Wire, RegFailure::Rejected},
        FailureCase{404, "Not Found", txn::ResponseSource::Wire, RegFailure::Rejected},
        FailureCase{488, "Not Acceptable Here", txn::ResponseSource::Wire, RegFailure::Rejected},
        FailureCase{600, "Busy Everywhere", txn::ResponseSource::Wire, RegFailure::Rejected}));

TEST(RegFailureNames, are_the_js_codes) {
  EXPECT_STREQ(to_string(RegFailure::Unauthorized), "unauthorized");
  EXPECT_STREQ(to_string(RegFailure::Forbidden), "forbidden");
  EXPECT_STREQ(to_string(RegFailure::TooManyContacts), "tooManyContacts");
  EXPECT_STREQ(to_string(RegFailure::IntervalTooBrief), "intervalTooBrief");
  EXPECT_STREQ(to_string(RegFailure::Timeout), "timeout");
  EXPECT_STREQ(to_string(RegFailure::Transport), "transport");
  EXPECT_STREQ(to_string(RegFailure::ServerError), "serverError");
  EXPECT_STREQ(to_string(RegFailure::Rejected), "rejected");
}

TEST_F(RegistrationTest, proxy_challenge_after_credentials_is_unauthorized) {
  ASSERT_TRUE(reg_.start(now_).ok());
  reg_.handle_response(challenge(take_request()), now_);
  auto second = take_request();
  auto r = msg::make_reply(second, 407, "srvtag");
  r.add("Proxy-Authenticate", "Digest realm=\"sip.example.test\", nonce=\"n1\"");
  reg_.handle_response(r, now_);
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<RegistrationFailed>(*e));
  EXPECT_EQ(std::get<RegistrationFailed>(*e).code, RegFailure::Unauthorized);
  EXPECT_EQ(std::get<RegistrationFailed>(*e).status, 407);
}

TEST_F(RegistrationTest, interval_too_brief_after_the_retry_is_classified) {
  ASSERT_TRUE(reg_.start(now_).ok());
  auto r = msg::make_reply(take_request(), 423, "t");
  r.add("Min-Expires", "3600");
  reg_.handle_response(r, now_);
  auto again = msg::make_reply(take_request(), 423, "t");
  again.add("Min-Expires", "7200");
  reg_.handle_response(again, now_);
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<RegistrationFailed>(*e));
  EXPECT_EQ(std::get<RegistrationFailed>(*e).code, RegFailure::IntervalTooBrief);
  expect_no_request();
}

TEST_F(RegistrationTest, no_answer_watchdog_is_a_timeout_with_a_408_phrase) {
  ASSERT_TRUE(reg_.start(now_).ok());
  take_request();
  advance_to(now_ + 5000);
  ASSERT_TRUE(std::holds_alternative<TransportDead>(*event()));
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<RegistrationFailed>(*e));
  const auto& f = std::get<RegistrationFailed>(*e);
  EXPECT_EQ(f.code, RegFailure::Timeout);
  EXPECT_EQ(f.status, 408);
  EXPECT_EQ(f.reason, "Request Timeout");
  EXPECT_EQ(f.message, "Registration failed: no response from the server (timeout)");
}

TEST_F(RegistrationTest, transport_loss_is_a_transport_failure) {
  ASSERT_TRUE(reg_.start(now_).ok());
  reg_.handle_response(ok(take_request()), now_);
  ASSERT_TRUE(std::holds_alternative<Registered>(*event()));
  reg_.handle_transport_closed(now_);
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<RegistrationFailed>(*e));
  const auto& f = std::get<RegistrationFailed>(*e);
  EXPECT_EQ(f.code, RegFailure::Transport);
  EXPECT_EQ(f.status, 503);
  EXPECT_EQ(f.message, "Registration failed: transport closed");
}

TEST_F(RegistrationTest, ok_that_does_not_bind_us_is_rejected) {
  ASSERT_TRUE(reg_.start(now_).ok());
  reg_.handle_response(msg::make_reply(take_request(), 200, "t"), now_);
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<RegistrationFailed>(*e));
  EXPECT_EQ(std::get<RegistrationFailed>(*e).code, RegFailure::Rejected);
}

// --- Retry-After (RFC 3261 §20.33) ---------------------------------------------

TEST(RetryAfter, delta_seconds_with_comment_and_params_rfc3261_20_33) {
  const std::pair<const char*, std::uint32_t> cases[] = {
      {"60", 60000},
      {"18000;duration=3600", 18000000},
      {"120 (I'm in a meeting)", 120000},
      {"120 (lunch) ;duration=60", 120000},
      {"0", 0},
      // Malformed: 0, never a crash.
      {"", 0},
      {"soon", 0},
      {"-5", 0},
      {"6O", 0},
      {"60.5", 0},
      {"(comment) 60", 0},
      {";duration=10", 0},
      // Saturates: it crosses to JS as an int32 of ms.
      {"99999999999999999999999", 0x7fffffffu},
      {"2147484", 0x7fffffffu},
      {"2147483", 2147483000u},
  };
  for (const auto& [value, ms] : cases) {
    auto r = msg::Message::response(603, "Too Many Contacts");
    r.add("Retry-After", value);
    EXPECT_EQ(retry_after_ms(r), ms) << "'" << value << "'";
  }
  EXPECT_EQ(retry_after_ms(msg::Message::response(503, "Service Unavailable")), 0u);
}

TEST_F(RegistrationTest, too_many_contacts_carries_retry_after) {
  ASSERT_TRUE(reg_.start(now_).ok());
  reg_.handle_response(challenge(take_request()), now_);
  auto r = msg::make_reply(take_request(), 603, "t", "Too Many Contacts");
  r.add("Retry-After", "60");
  reg_.handle_response(r, now_);
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<RegistrationFailed>(*e));
  const auto& f = std::get<RegistrationFailed>(*e);
  EXPECT_EQ(f.code, RegFailure::TooManyContacts);
  EXPECT_EQ(f.retry_after_ms, 60000u);
  EXPECT_EQ(f.message, "Registration failed: " + r.start_line());
}

TEST_F(RegistrationTest, real_503_carries_retry_after_and_is_a_server_error) {
  ASSERT_TRUE(reg_.start(now_).ok());
  auto r = msg::make_reply(take_request(), 503, "t");
  r.add("Retry-After", "30 (maintenance)");
  reg_.handle_response(r, now_);
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<RegistrationFailed>(*e));
  EXPECT_EQ(std::get<RegistrationFailed>(*e).code, RegFailure::ServerError);
  EXPECT_EQ(std::get<RegistrationFailed>(*e).retry_after_ms, 30000u);
}

// --- bindings of the 2xx (RFC 3261 §10.3 step 8) --------------------------------

TEST_F(RegistrationTest, ok_lists_every_binding_ours_marked_rfc3261_10_3) {
  ASSERT_TRUE(reg_.start(now_).ok());
  auto r = msg::make_reply(take_request(), 200, "t");
  r.add("Expires", "45");
  r.add("Contact", "<sip:16505550101@other.invalid;transport=wss>;+sip.instance=\"<urn:uuid:dev-2>\";expires=30");
  r.add("Contact", "<" + reg_.contact_uri() + ">;+sip.instance=\"<urn:uuid:dev-1>\";expires=90");
  // Two in one line (get_all splits), one without expires (the Expires
  // header applies), one garbled (skipped), and a wildcard (skipped).
  r.add("Contact", "\"Desk\" <sip:16505550101@desk.invalid>, <sip:bad@x;expires=1, *");
  r.add("Contact", "sip:16505550101@bare.invalid;expires=12");
  reg_.handle_response(r, now_);
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<Registered>(*e));
  const auto& reg = std::get<Registered>(*e);
  EXPECT_EQ(reg.expires, 90u);  // ours, not the first
  ASSERT_EQ(reg.bindings.size(), 4u);
  EXPECT_EQ(reg.bindings[0].uri, "sip:16505550101@other.invalid;transport=wss");
  EXPECT_EQ(reg.bindings[0].expires, 30u);
  EXPECT_EQ(reg.bindings[0].instance, "urn:uuid:dev-2");
  EXPECT_FALSE(reg.bindings[0].ours);
  EXPECT_EQ(reg.bindings[1].uri, reg_.contact_uri());
  EXPECT_EQ(reg.bindings[1].expires, 90u);
  EXPECT_EQ(reg.bindings[1].instance, "urn:uuid:dev-1");
  EXPECT_TRUE(reg.bindings[1].ours);
  EXPECT_EQ(reg.bindings[2].uri, "sip:16505550101@desk.invalid");
  EXPECT_EQ(reg.bindings[2].expires, 45u);
  EXPECT_EQ(reg.bindings[2].instance, "");
  EXPECT_FALSE(reg.bindings[2].ours);
  EXPECT_EQ(reg.bindings[3].uri, "sip:16505550101@bare.invalid");
  EXPECT_EQ(reg.bindings[3].expires, 12u);
}

TEST_F(RegistrationTest, our_instance_under_another_contact_is_ours) {
  ASSERT_TRUE(reg_.start(now_).ok());
  auto r = msg::make_reply(take_request(), 200, "t");
  r.add("Contact", "<sip:16505550101@old.invalid;transport=wss>;+sip.instance=\"<URN:UUID:dev-1>\";expires=20");
  reg_.handle_response(r, now_);
  auto e = event();
  ASSERT_TRUE(e && std::holds_alternative<Registered>(*e));
  ASSERT_EQ(std::get<Registered>(*e).bindings.size(), 1u);
  EXPECT_TRUE(std::get<Registered>(*e).bindings[0].ours);
  EXPECT_EQ(std::get<Registered>(*e).expires, 20u);
}

TEST_F(RegistrationTest, every_prefix_of_a_contact_is_survived) {
  // House style §19: a truncated or garbled Contact never crashes; the 2xx
  // either binds us or fails clearly.
  const std::string full = "\"A \\\"b\\\"\" <" + reg_.contact_uri() +
                           ">;+sip.instance=\"<urn:uuid:dev-1>\";expires=60;q=0.5, <sip:x@y>;expires=9";
  for (std::size_t n = 0; n <= full.size(); ++n) {
    Registration reg(config_, rng_);
    ASSERT_TRUE(reg.start(now_).ok());
    auto r = msg::make_reply(*reg.poll_transmit(), 200, "t");
    r.add("Contact", full.substr(0, n));
    reg.handle_response(r, now_);
    auto e = reg.poll_event();
    ASSERT_TRUE(e && (std::holds_alternative<Registered>(*e) || std::holds_alternative<RegistrationFailed>(*e)))
        << n;
    if (auto* ok = std::get_if<Registered>(&*e)) {
      EXPECT_GT(ok->expires, 0u);
      for (const auto& b : ok->bindings) EXPECT_FALSE(b.uri.empty());
    }
  }
}

}  // namespace
}  // namespace wwp::reg
