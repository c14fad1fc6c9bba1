// Message (core/msg/message.hpp): RFC 3261 §7 (format), §7.3.1 (lists,
// header order), §20.14 (Content-Length in octets), §21 (reason phrases).
#include "core/msg/message.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string_view>
#include <utility>

#include "core/msg/parser.hpp"

using namespace wwp::msg;

namespace {
const std::string kCanonical =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/WSS 104.245.57.165:8083;rport=8083;branch=z9hG4bK0Zx9;received=104.245.57.165\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKabc\r\n"
    "From: \"Bell, Alexander\" <sip:a.g.bell@example.com>;tag=43\r\n"
    "To: <sip:bob@example.com>;tag=99\r\n"
    "Call-ID: abc@host\r\n"
    "CSeq: 1 INVITE\r\n"
    "Contact: <sip:a@b>;expires=30, \"x,y\" <sip:c@d;p=1,2>;q=0.5\r\n"
    "Allow: INVITE, ACK,BYE\r\n"
    "Content-Type: text/plain\r\n"
    "Content-Length: 5\r\n"
    "\r\n"
    "hello";
}  // namespace

TEST(MsgMessage, canonical_message_round_trips_byte_exact_rfc3261_7) {
  auto m = parse(kCanonical);
  ASSERT_TRUE(m.ok()) << to_string(m.error());
  EXPECT_EQ(m->to_string(), kCanonical);
  auto again = parse(m->to_string());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *m);
}

TEST(MsgMessage, noncanonical_message_reparses_equal_rfc3261_7_3_1) {
  const std::string s =
      "\r\nINVITE sip:a@b sip/2.0\nVIA :  SIP/2.0/UDP h;branch=z9hG4bK1\n"
      "Subject: a\r\n b\r\nv:SIP/2.0/TCP x\r\ni:\tid\nl:0\n\n";
  auto m = parse(s);
  ASSERT_TRUE(m.ok());
  auto again = parse(m->to_string());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *m);
  EXPECT_EQ(m->get("Subject").value(), "a b");
  EXPECT_EQ(m->start_line(), "INVITE sip:a@b SIP/2.0");
}

TEST(MsgMessage, get_all_keeps_order_and_splits_lists_rfc3261_7_3_1) {
  auto m = parse(kCanonical);
  ASSERT_TRUE(m.ok());
  auto vias = m->get_all("v");
  ASSERT_EQ(vias.size(), 2u);
  EXPECT_EQ(vias[1], "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKabc");
  auto contacts = m->get_all("Contact");
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(contacts[0], "<sip:a@b>;expires=30");
  EXPECT_EQ(contacts[1], "\"x,y\" <sip:c@d;p=1,2>;q=0.5");
  auto allow = m->get_all("allow");
  ASSERT_EQ(allow.size(), 3u);
  EXPECT_EQ(allow[2], "BYE");
  // From is not a list header: the comma in the display name stays.
  EXPECT_EQ(m->get_all("From").size(), 1u);
}

TEST(MsgMessage, authorization_values_are_not_split_rfc3261_20_7) {
  Message m = Message::request("REGISTER", "sip:example.com");
  m.add("Authorization", "Digest username=\"a\", realm=\"b\", nonce=\"c\"");
  EXPECT_EQ(m.get_all("Authorization").size(), 1u);
}

TEST(MsgMessage, add_first_set_remove_keep_wire_spelling) {
  Message m = Message::request("OPTIONS", "sip:a@b");
  m.add("v", "SIP/2.0/WSS a;branch=z9hG4bK1");
  m.add("To", "<sip:a@b>");
  m.add_first("Via", "SIP/2.0/WSS proxy;branch=z9hG4bK2");
  ASSERT_EQ(m.headers().size(), 3u);
  EXPECT_EQ(m.headers()[0].name, "Via");
  EXPECT_EQ(m.get("via").value(), "SIP/2.0/WSS proxy;branch=z9hG4bK2");
  m.set("VIA", "SIP/2.0/WSS only");
  EXPECT_EQ(m.get_all("Via").size(), 1u);
  EXPECT_EQ(m.headers()[0].name, "Via");
  m.set("Call-ID", "x");
  EXPECT_EQ(m.headers().back().name, "Call-ID");
  m.add_first("Route", "<sip:proxy;lr>");  // none yet: goes to the very top (§7.3.1)
  EXPECT_EQ(m.headers()[0].name, "Route");
  EXPECT_EQ(m.remove("i"), 1u);
  EXPECT_EQ(m.remove("Call-ID"), 0u);
  EXPECT_FALSE(m.has("call-id"));
}

TEST(MsgMessage, set_body_content_length_counts_utf8_bytes_rfc3261_20_14) {
  Message m = Message::request("MESSAGE", "sip:a@b");
  m.set_body("M\xC3\xBCnchen \xE4\xBD\xA0", "text/plain;charset=UTF-8");
  EXPECT_EQ(m.get("Content-Length").value(), "12");  // 8 chars, 12 octets
  EXPECT_EQ(m.get("Content-Type").value(), "text/plain;charset=UTF-8");
  auto back = parse(m.to_string());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->body(), m.body());
  m.set_body("");
  EXPECT_EQ(m.get("Content-Length").value(), "0");
  EXPECT_FALSE(m.has("Content-Type"));
}

TEST(MsgMessage, response_default_reason_rfc3261_21) {
  EXPECT_EQ(Message::response(180).reason(), "Ringing");
  EXPECT_EQ(Message::response(486, "Busy").reason(), "Busy");
  EXPECT_EQ(Message::response(200).start_line(), "SIP/2.0 200 OK");
  EXPECT_EQ(default_reason(603), "Decline");
  EXPECT_EQ(default_reason(202), "Accepted");
  EXPECT_EQ(default_reason(204), "No Notification");
  EXPECT_EQ(default_reason(422), "Session Interval Too Small");
  EXPECT_EQ(default_reason(481), "Call/Transaction Does Not Exist");
  EXPECT_EQ(default_reason(489), "Bad Event");
  EXPECT_EQ(default_reason(491), "Request Pending");
  EXPECT_EQ(default_reason(494), "Security Agreement Required");
  EXPECT_EQ(default_reason(580), "Precondition Failure");
  EXPECT_EQ(default_reason(600), "Busy Everywhere");
  EXPECT_EQ(default_reason(299), "");
}

TEST(MsgMessage, every_rfc3261_21_code_has_a_reason) {
  for (int c : {100, 180, 181, 182, 183, 200, 300, 301, 302, 305, 380, 400, 401, 402, 403, 404,
                405, 406, 407, 408, 410, 413, 414, 415, 416, 420, 421, 423, 480, 481, 482, 483,
                484, 485, 486, 487, 488, 491, 493, 500, 501, 502, 503, 504, 505, 513, 600, 603,
                604, 606})
    EXPECT_FALSE(default_reason(c).empty()) << c;
}

// Every code the phrase table knows, with its phrase as the old switch had it
// (the table is packed at compile time; this pins it entry by entry), and
// every other code, in range or not, still maps to "".
TEST(MsgMessage, default_reason_table_is_exact) {
  const std::pair<int, std::string_view> known[] = {
      {100, "Trying"},
      {180, "Ringing"},
      {181, "Call Is Being Forwarded"},
      {182, "Queued"},
      {183, "Session Progress"},
      {199, "Early Dialog Terminated"},
      {200, "OK"},
      {202, "Accepted"},
      {204, "No Notification"},
      {300, "Multiple Choices"},
      {301, "Moved Permanently"},
      {302, "Moved Temporarily"},
      {305, "Use Proxy"},
      {380, "Alternative Service"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {402, "Payment Required"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {406, "Not Acceptable"},
      {407, "Proxy Authentication Required"},
      {408, "Request Timeout"},
      {410, "Gone"},
      {412, "Conditional Request Failed"},
      {413, "Request Entity Too Large"},
      {414, "Request-URI Too Long"},
      {415, "Unsupported Media Type"},
      {416, "Unsupported URI Scheme"},
      {417, "Unknown Resource-Priority"},
      {420, "Bad Extension"},
      {421, "Extension Required"},
      {422, "Session Interval Too Small"},
      {423, "Interval Too Brief"},
      {428, "Use Identity Header"},
      {429, "Provide Referrer Identity"},
      {430, "Flow Failed"},
      {433, "Anonymity Disallowed"},
      {436, "Bad Identity-Info"},
      {437, "Unsupported Certificate"},
      {438, "Invalid Identity Header"},
      {439, "First Hop Lacks Outbound Support"},
      {440, "Max-Breadth Exceeded"},
      {469, "Bad Info Package"},
      {470, "Consent Needed"},
      {480, "Temporarily Unavailable"},
      {481, "Call/Transaction Does Not Exist"},
      {482, "Loop Detected"},
      {483, "Too Many Hops"},
      {484, "Address Incomplete"},
      {485, "Ambiguous"},
      {486, "Busy Here"},
      {487, "Request Terminated"},
      {488, "Not Acceptable Here"},
      {489, "Bad Event"},
      {491, "Request Pending"},
      {493, "Undecipherable"},
      {494, "Security Agreement Required"},
      {500, "Server Internal Error"},
      {501, "Not Implemented"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Server Time-out"},
      {505, "Version Not Supported"},
      {513, "Message Too Large"},
      {555, "Push Notification Service Not Supported"},
      {580, "Precondition Failure"},
      {600, "Busy Everywhere"},
      {603, "Decline"},
      {604, "Does Not Exist Anywhere"},
      {606, "Not Acceptable"},
      {607, "Unwanted"},
      {608, "Rejected"},
  };
  for (const auto& [code, phrase] : known) EXPECT_EQ(default_reason(code), phrase) << code;
  for (int c = -1000; c <= 70000; ++c) {
    bool is_known = false;
    for (const auto& k : known) is_known = is_known || k.first == c;
    if (!is_known) EXPECT_EQ(default_reason(c), "") << c;
  }
  EXPECT_EQ(default_reason(std::numeric_limits<int>::min()), "");
  EXPECT_EQ(default_reason(std::numeric_limits<int>::max()), "");
  EXPECT_EQ(default_reason(65536 + 200), "");  // not truncated to 16 bits
}

TEST(MsgMessage, empty_reason_keeps_trailing_sp_rfc4475_noreason) {
  auto m = parse("SIP/2.0 100 \r\nl: 0\r\n\r\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->reason(), "");
  EXPECT_EQ(m->start_line(), "SIP/2.0 100 ");
}

TEST(MsgMessage, split_list_respects_quotes_escapes_and_angles_rfc3261_7_3_1) {
  auto v = split_list(" a , \"b\\\",c\" <x,y> ,, <z>;p=\"1,2\" ");
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], "a");
  EXPECT_EQ(v[1], "\"b\\\",c\" <x,y>");
  EXPECT_EQ(v[2], "<z>;p=\"1,2\"");
}
