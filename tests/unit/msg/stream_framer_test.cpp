// StreamFramer (core/msg/stream_framer.hpp): RFC 3261 §18.3 (Content-Length
// frames messages on streams), §7.5 (CRLF keep-alives between messages).
#include "core/msg/stream_framer.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace wwp::msg;

namespace {

const std::string kA =
    "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n"
    "Call-ID: a\r\nCSeq: 1 INVITE\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nbody-A";
const std::string kB = "SIP/2.0 200 OK\r\nCall-ID: b\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
const std::string kC =
    "MESSAGE sip:x@y SIP/2.0\nCall-ID: c\nl: 9\n\n\xC3\xBC\xC3\xBC-utf8";  // LF-only, 9 octets

std::vector<Message> drain(StreamFramer& f) {
  std::vector<Message> out;
  while (auto r = f.next()) {
    EXPECT_TRUE(r->ok()) << to_string(r->error());
    if (!r->ok()) break;
    out.push_back(std::move(r->value()));
  }
  return out;
}

}  // namespace

TEST(MsgStreamFramer, several_messages_in_one_chunk_rfc3261_18_3) {
  StreamFramer f;
  f.feed(kA + kB + "\r\n\r\n" + kC);
  auto ms = drain(f);
  ASSERT_EQ(ms.size(), 3u);
  EXPECT_EQ(ms[0].body(), "body-A");
  EXPECT_EQ(ms[1].status(), 200);
  EXPECT_EQ(ms[2].get("Call-ID").value(), "c");
  EXPECT_EQ(ms[2].body(), "\xC3\xBC\xC3\xBC-utf8");
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(MsgStreamFramer, byte_by_byte_feeding_yields_same_messages_rfc3261_18_3) {
  const std::string all = "\r\n" + kA + "\r\n" + kB + kC + kA;
  StreamFramer f;
  std::vector<Message> got;
  for (char c : all) {
    f.feed(std::string_view(&c, 1));
    for (auto& m : drain(f)) got.push_back(std::move(m));
  }
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0], parse(kA).value());
  EXPECT_EQ(got[1], parse(kB).value());
  EXPECT_EQ(got[2], parse(kC).value());
  EXPECT_EQ(got[3], parse(kA).value());
}

TEST(MsgStreamFramer, every_split_point_yields_same_messages_rfc3261_18_3) {
  const std::string all = kA + kB + kC;
  for (std::size_t cut = 0; cut <= all.size(); ++cut) {
    StreamFramer f;
    f.feed(std::string_view(all).substr(0, cut));
    auto got = drain(f);
    f.feed(std::string_view(all).substr(cut));
    for (auto& m : drain(f)) got.push_back(std::move(m));
    ASSERT_EQ(got.size(), 3u) << cut;
    EXPECT_EQ(got[2].body(), "\xC3\xBC\xC3\xBC-utf8") << cut;
  }
}

TEST(MsgStreamFramer, keepalive_only_input_yields_nothing_rfc3261_7_5) {
  StreamFramer f;
  f.feed("\r\n\r\n\r\n");
  EXPECT_FALSE(f.next());
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(MsgStreamFramer, missing_content_length_is_an_error_on_streams_rfc3261_18_3) {
  StreamFramer f;
  f.feed("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n");
  auto r = f.next();
  ASSERT_TRUE(r);
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().code, ParseErrorCode::MissingContentLength);
  EXPECT_EQ(f.buffered(), 0u);  // framing lost: buffer dropped
}

TEST(MsgStreamFramer, garbage_start_line_reported_before_header_end) {
  StreamFramer f;
  f.feed("HELLO WORLD\r\nmore");
  auto r = f.next();
  ASSERT_TRUE(r);
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().code, ParseErrorCode::BadStartLine);
}

TEST(MsgStreamFramer, oversized_message_is_too_large) {
  ParseLimits l;
  l.max_message_size = 200;
  StreamFramer f(l);
  f.feed("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 500\r\n\r\n");
  auto r = f.next();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->error().code, ParseErrorCode::TooLarge);
  StreamFramer g(l);
  g.feed("MESSAGE sip:a@b SIP/2.0\r\n");
  for (int i = 0; i < 30; ++i) g.feed("X-Filler: 0123456789\r\n");
  auto r2 = g.next();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->error().code, ParseErrorCode::TooLarge);
}

TEST(MsgStreamFramer, waits_for_body_then_continues) {
  StreamFramer f;
  f.feed(kA.substr(0, kA.size() - 3));
  EXPECT_FALSE(f.next());
  EXPECT_FALSE(f.next());
  f.feed(kA.substr(kA.size() - 3) + kB.substr(0, 10));
  auto r = f.next();
  ASSERT_TRUE(r && r->ok());
  EXPECT_EQ(r->value().body(), "body-A");
  EXPECT_FALSE(f.next());
  f.feed(kB.substr(10));
  auto r2 = f.next();
  ASSERT_TRUE(r2 && r2->ok());
  EXPECT_EQ(r2->value().status(), 200);
}

TEST(MsgStreamFramer, reset_drops_buffer) {
  StreamFramer f;
  f.feed(kA.substr(0, 20));
  f.reset();
  f.feed(kB);
  auto r = f.next();
  ASSERT_TRUE(r && r->ok());
  EXPECT_EQ(r->value().status(), 200);
}
