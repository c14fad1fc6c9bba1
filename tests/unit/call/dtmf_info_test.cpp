// DTMF INFO bodies (core/call/dtmf_info.hpp): application/dtmf-relay and
// application/dtmf as senders write them, and hostile ones.
#include "core/call/dtmf_info.hpp"

#include <gtest/gtest.h>

namespace wwp::call {
namespace {

DtmfInfo relay_ok(std::string_view body) {
  auto r = parse_dtmf_info(DtmfBody::Relay, body);
  EXPECT_TRUE(r.ok()) << body << ": " << (r.ok() ? "" : r.error());
  return r.ok() ? *r : DtmfInfo{};
}
std::string relay_error(std::string_view body) {
  auto r = parse_dtmf_info(DtmfBody::Relay, body);
  EXPECT_FALSE(r.ok()) << body;
  return r.ok() ? std::string() : r.error();
}

TEST(DtmfInfo, content_types_are_matched_case_insensitively_with_params) {
  EXPECT_EQ(dtmf_body_of("application/dtmf-relay"), DtmfBody::Relay);
  EXPECT_EQ(dtmf_body_of("Application/DTMF-Relay ;charset=utf-8"), DtmfBody::Relay);
  EXPECT_EQ(dtmf_body_of("application/dtmf"), DtmfBody::Plain);
  EXPECT_EQ(dtmf_body_of("application/json;charset=utf-8"), DtmfBody::None);  // RingCentral's INFO
  EXPECT_EQ(dtmf_body_of("application/dtmf-relayx"), DtmfBody::None);
  EXPECT_EQ(dtmf_body_of(""), DtmfBody::None);
  EXPECT_EQ(dtmf_body_of("garbage"), DtmfBody::None);
}

TEST(DtmfInfo, relay_signal_and_duration_with_crlf_lf_or_cr) {
  for (const char* body : {"Signal=5\r\nDuration=160\r\n", "Signal=5\nDuration=160\n", "Signal=5\rDuration=160",
                           "Signal=5\r\nDuration=160", "\r\n\r\nSignal=5\r\n\r\nDuration=160\r\n\r\n"}) {
    const auto d = relay_ok(body);
    EXPECT_EQ(d.digit, '5') << body;
    EXPECT_EQ(d.duration_ms, 160u) << body;
  }
}

TEST(DtmfInfo, relay_spaces_case_and_extra_fields) {
  auto d = relay_ok("signal = *\r\n  DURATION=  250 \r\nVolume=10\r\n");
  EXPECT_EQ(d.digit, '*');
  EXPECT_EQ(d.duration_ms, 250u);
  d = relay_ok("Signal=\t#\t\r\n");
  EXPECT_EQ(d.digit, '#');
  EXPECT_EQ(d.duration_ms, 0u);  // no Duration: 0, "not given"
}

TEST(DtmfInfo, every_digit_and_the_rfc4733_event_codes) {
  for (char c : std::string("0123456789*#ABCD")) EXPECT_EQ(relay_ok(std::string("Signal=") + c).digit, c);
  EXPECT_EQ(relay_ok("Signal=a").digit, 'A');
  EXPECT_EQ(relay_ok("Signal=d").digit, 'D');
  EXPECT_EQ(relay_ok("Signal=10").digit, '*');  // RFC 4733 §3.2 Table 3
  EXPECT_EQ(relay_ok("Signal=11").digit, '#');
  EXPECT_EQ(relay_ok("Signal=12").digit, 'A');
  EXPECT_EQ(relay_ok("Signal=15").digit, 'D');
  EXPECT_EQ(relay_ok("Signal=16").digit, '!');  // flash
  EXPECT_EQ(relay_ok("Signal=!").digit, '!');
}

TEST(DtmfInfo, hostile_relay_bodies_are_errors_not_guesses) {
  EXPECT_EQ(relay_error(""), "dtmf-relay body has no Signal");
  EXPECT_EQ(relay_error("Duration=100\r\n"), "dtmf-relay body has no Signal");
  EXPECT_EQ(relay_error("Signal=\r\n"), "dtmf-relay Signal is not a DTMF digit");
  for (const char* s : {"Signal=E", "Signal=x", "Signal=17", "Signal=05", "Signal=55", "Signal=1 2", "Signal=-1",
                        "Signal=99999999999999999999"})
    EXPECT_EQ(relay_error(s), "dtmf-relay Signal is not a DTMF digit") << s;
  EXPECT_EQ(relay_error("Signal=1\r\nSignal=2\r\n"), "dtmf-relay body has two Signal lines");
  for (const char* s : {"Signal=1\r\nDuration=60001", "Signal=1\r\nDuration=99999999999999999999999",
                        "Signal=1\r\nDuration=-5", "Signal=1\r\nDuration=1e3", "Signal=1\r\nDuration="})
    EXPECT_EQ(relay_error(s), "dtmf-relay Duration is not a number of ms up to 60000") << s;
  EXPECT_EQ(relay_ok("Signal=1\r\nDuration=60000").duration_ms, 60000u);
  EXPECT_EQ(relay_error("Signal=1\r\nDuration=1\r\nDuration=2"), "dtmf-relay body has two Duration lines");
  EXPECT_EQ(relay_error("Signal 5\r\n"), "dtmf-relay line without '='");
  EXPECT_EQ(relay_error(std::string("Signal=5\0", 9)), "dtmf-relay Signal is not a DTMF digit");
}

TEST(DtmfInfo, every_prefix_of_a_body_parses_or_errors_without_crashing) {
  const std::string body = "Signal = 11\r\nDuration= 160\r\nVolume=7\r\n";
  for (std::size_t n = 0; n <= body.size(); ++n) (void)parse_dtmf_info(DtmfBody::Relay, body.substr(0, n));
}

TEST(DtmfInfo, plain_body_is_the_digit_alone) {
  auto d = parse_dtmf_info(DtmfBody::Plain, "7\r\n");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->digit, '7');
  EXPECT_EQ(d->duration_ms, 0u);
  EXPECT_EQ(parse_dtmf_info(DtmfBody::Plain, " # ")->digit, '#');
  EXPECT_EQ(parse_dtmf_info(DtmfBody::Plain, "16")->digit, '!');
  EXPECT_EQ(parse_dtmf_info(DtmfBody::Plain, "12")->digit, 'A');  // an RFC 4733 event code, as in Signal=
  for (const char* s : {"", "17", "55", "Signal=1", "x"}) {
    auto r = parse_dtmf_info(DtmfBody::Plain, s);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.error(), "application/dtmf body is not a DTMF digit");
  }
}

TEST(DtmfInfo, relay_body_as_sent_and_send_digits) {
  EXPECT_EQ(dtmf_relay_body('#', 100), "Signal=#\r\nDuration=100\r\n");
  EXPECT_EQ(dtmf_send_digit('b'), 'B');
  EXPECT_EQ(dtmf_send_digit('9'), '9');
  EXPECT_EQ(dtmf_send_digit(','), 0);
  EXPECT_EQ(dtmf_send_digit('!'), 0);  // flash is received, never sent
  // What we send, we read back.
  EXPECT_EQ(relay_ok(dtmf_relay_body('C', 250)).digit, 'C');
}

}  // namespace
}  // namespace wwp::call
