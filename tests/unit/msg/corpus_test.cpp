// The 25-message SIP-over-WebSocket corpus (tests/vectors/msg/, copied from
// the benchmark corpus with its manifest.json): every expected field parses,
// through both the view parser (the benchmark path) and parse().
// RFC 3261 §7.3.1 (HCOLON, folding), §7.3.3 (compact forms), §20.14 (bytes).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/msg/header_fields.hpp"
#include "core/msg/parser.hpp"
#include "core/msg/stream_framer.hpp"
#include "tests/unit/msg/vector_io.hpp"

using namespace wwp::msg;
using namespace wwp::msg::testing;

namespace {
nlohmann::json manifest() {
  return nlohmann::json::parse(read_file(vectors_dir() + "/msg/manifest.json"), nullptr, false);
}
std::string corpus(const std::string& file) { return read_file(vectors_dir() + "/msg/" + file); }
}  // namespace

TEST(MsgCorpus, manifest_lists_25_messages) {
  auto m = manifest();
  ASSERT_FALSE(m.is_discarded());
  EXPECT_EQ(m.size(), 25u);
}

TEST(MsgCorpus, every_expected_field_parses_rfc3261_7) {
  for (const auto& e : manifest()) {
    const std::string file = e["file"].get<std::string>();
    SCOPED_TRACE(file);
    const std::string bytes = corpus(file);
    ASSERT_EQ(bytes.size(), e["bytes"].get<std::size_t>());
    // View parser: what the wasm benchmark calls.
    auto v = parse_view(bytes);
    ASSERT_TRUE(v.ok()) << to_string(v.error());
    const bool request = e["kind"] == "request";
    EXPECT_EQ(v->is_request(), request);
    if (request)
      EXPECT_EQ(v->method, e["method"].get<std::string>());
    else
      EXPECT_EQ(v->status, e["status"].get<int>());
    ASSERT_NE(v->find(HeaderId::CallId), nullptr);
    EXPECT_EQ(v->find(HeaderId::CallId)->value, e["callId"].get<std::string>());
    ASSERT_NE(v->find(HeaderId::CSeq), nullptr);
    auto cseq = parse_cseq(v->find(HeaderId::CSeq)->value);
    ASSERT_TRUE(cseq.ok());
    EXPECT_EQ(cseq->seq, e["cseq"].get<std::uint32_t>());
    EXPECT_EQ(cseq->method, e["cseqMethod"].get<std::string>());
    EXPECT_EQ(v->body, e["body"].get<std::string>());  // UTF-8 bytes
    EXPECT_EQ(v->size, bytes.size());
    // Owning parse agrees and round-trips.
    auto m = parse(bytes);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->get("Call-ID").value(), e["callId"].get<std::string>());
    EXPECT_EQ(m->body(), e["body"].get<std::string>());
    auto again = parse(m->to_string());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *m);
    // Every From/To/Via/Contact in real traffic parses with the helpers.
    for (auto via : m->get_all("Via")) EXPECT_TRUE(parse_via(via).ok()) << via;
    EXPECT_TRUE(parse_name_addr(*m->get("From")).ok());
    EXPECT_TRUE(parse_name_addr(*m->get("To")).ok());
    for (auto c : m->get_all("Contact")) EXPECT_TRUE(parse_name_addr(c).ok()) << c;
    if (auto ct = m->get("Content-Type")) EXPECT_TRUE(parse_media_type(*ct).ok()) << *ct;
  }
}

TEST(MsgCorpus, compact_forms_notify_rfc3261_7_3_3) {
  const std::string bytes = corpus("21-compact-forms-notify.sip");
  auto m = parse(bytes);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->get("Call-ID").value(), "3c4d5e6f7a8b@10.13.22.249");
  EXPECT_EQ(m->get("Event").value(), "message-summary");
  EXPECT_EQ(m->get("Supported").value(), "timer");
  EXPECT_EQ(m->get("Content-Type").value(), "application/simple-message-summary");
  EXPECT_EQ(m->body().size(), 95u);
}

TEST(MsgCorpus, folded_multivalue_bye_rfc3261_7_3_1) {
  const std::string bytes = corpus("22-folded-multivalue-bye.sip");
  auto m = parse(bytes);
  ASSERT_TRUE(m.ok());
  auto vias = m->get_all("Via");
  ASSERT_EQ(vias.size(), 3u);
  EXPECT_EQ(parse_via(vias[1])->rport().value(), 5060);
  auto allow = m->get_all("Allow");
  EXPECT_EQ(allow.size(), 9u);
  EXPECT_EQ(allow.back(), "MESSAGE");
  EXPECT_EQ(m->get_all("Supported").size(), 3u);
  EXPECT_EQ(m->get("Subject").value(), "call ended by the remote party");
  auto reason = parse_params(m->get("Reason")->substr(5));
  ASSERT_TRUE(reason.ok());
  EXPECT_EQ(find_param(*reason, "text").value(), "Normal call clearing");
}

TEST(MsgCorpus, hcolon_whitespace_rfc3261_25_1) {
  auto m = parse(corpus("24-hcolon-whitespace-200.sip"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->get("From").value(), "<sip:ping@sip.ringcentral.com>;tag=0a1b2c3d");
  EXPECT_EQ(m->get("To").value(), "<sip:16504223344*103@sip.ringcentral.com>;tag=lm2xh0j3k6");
  EXPECT_EQ(m->get("CSeq").value(), "55 OPTIONS");
  EXPECT_EQ(m->get("Content-Length").value(), "0");
}

TEST(MsgCorpus, utf8_body_content_length_counts_bytes_rfc3261_20_14) {
  auto m = parse(corpus("25-message-text-utf8.sip"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->get("Content-Length").value(), "54");
  EXPECT_EQ(m->body().size(), 54u);
  auto ct = parse_media_type(*m->get("Content-Type"));
  EXPECT_EQ(ct->param("charset").value(), "UTF-8");
}

TEST(MsgCorpus, whole_corpus_as_one_stream_in_odd_chunks_rfc3261_18_3) {
  std::string all;
  std::size_t count = 0;
  for (const auto& e : manifest()) {
    all += corpus(e["file"].get<std::string>());
    ++count;
  }
  for (std::size_t chunk : {1u, 7u, 100u, 1500u, 100000u}) {
    StreamFramer f;
    std::size_t got = 0;
    for (std::size_t i = 0; i < all.size(); i += chunk) {
      f.feed(std::string_view(all).substr(i, chunk));
      while (auto r = f.next()) {
        ASSERT_TRUE(r->ok()) << to_string(r->error());
        ++got;
      }
    }
    EXPECT_EQ(got, count) << "chunk " << chunk;
  }
}
