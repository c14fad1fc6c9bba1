// The output side of the flat ABI (wasm/abi.cpp): what one call into the
// core produced, written as int32 words plus a byte arena that the shim
// reads straight out of linear memory (js/core/abi.ts decodes it).
//
// Why words and offsets instead of JS objects (house style §13): embind
// built one JS object per output and one array per header, and re-serialised
// every received message; that made the receive path 6x slower than a
// plain-JS parser. Here a received message costs a few words per header, and
// its strings are cut by the shim from the frame text it already holds.
//
// Records (each starts with its tag):
//   TRANSMIT  [1, off, len]                  bytes in the arena, one WebSocket frame
//   TRACE     [2, inbound, <message>]        a message crossed the wire
//   OBJECT    [3, name, n, <field> × n]      an event, or a command's result (name = Key::result)
// <field>   = [key, type, payload…] with type
//   kInt [v] · kU53 [lo, hi] · kBool [v] · kStr [off, len] · kMsg [<message>]
//   kPairs [n, (off, len, off, len) × n]
// <message> = [kRef, trace_id]  a message described earlier in the same batch
//           | [src, base, text_len, trace_id, status, a_off, a_len, b_off, b_len,
//              body_off, body_len, n, (id, name_off, name_len, value_off, value_len) × n]
//   src: kFrame (the text the caller passed in: the received frame, or the
//   text given to parse), kTransmit (the TRANSMIT just before), kArena (text
//   at arena offset `base`). For kFrame the message starts at `base` in the
//   text. Offsets are bytes from the message start; a value_off < 0 names
//   arena bytes at -1 - value_off (a folded value, stored unfolded).
//   a/b: method and Request-URI of a request, the reason of a response.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/msg/message.hpp"

namespace wwp::wasm {

/// Every name that crosses (event names and field keys), by index. The shim
/// reads this list from the module at load (`wwp_keys`), so the numbering
/// has one source of truth (house style §17).
#define WWP_KEYS(X)                                                                            \
  X(result) X(ok) X(code) X(message) X(status) X(request) X(call) X(callId) X(value)           \
  X(registered) X(registrationFailed) X(unregistered) X(transportDead) X(dropped)              \
  X(appResponse) X(incomingCall) X(callProgress) X(callAnswered) X(callConfirmed)              \
  X(callFailed) X(callEnded) X(reinviteOffer) X(reinviteDone) X(referDone) X(referReceived)    \
  X(requestDone) X(rcMessage) X(rcInfoResult) X(expires) X(reason) X(detail) X(autoAnswerMs)   \
  X(rcSid) X(replaces) X(statusLine) X(sdp) X(target) X(cmd) X(sid) X(hdr) X(bdy) X(reqid)    \
  X(command) X(localPeer) X(remotePeer) X(localTag) X(remoteTag) X(localUser) X(remoteUser)    \
  X(partyId) X(sessionId) X(msg) X(headerIds) X(calls) X(dialogs) X(transactions)            \
  X(connectionState) X(state) X(server) X(attempt) X(delay) X(openTransport) X(closeTransport) \
  X(recovered) X(recoverMedia) X(retryAfterMs) X(bindings) X(callAdopted) X(direction) X(held) X(media)      \
  X(messageOutcome) X(messageReceived) X(from) X(displayName) X(to) X(contentType) X(body)         \
  X(subscription) X(sub) X(notify) X(event) X(publication) X(expiresIn) X(subscriptions)          \
  X(publications) X(presence) X(entity) X(open) X(note) X(activity) X(contact) X(dialog) X(id)     \
  X(dialogInfo) X(version) X(full) X(localIdentity) X(localDisplay) X(remoteIdentity)             \
  X(remoteDisplay) X(remoteTarget) X(dtmfReceived) X(digit) X(duration) X(video) X(early)

enum class Key : std::int32_t {
#define WWP_KEY_ENUM(k) k,
  WWP_KEYS(WWP_KEY_ENUM)
#undef WWP_KEY_ENUM
};

enum Tag : std::int32_t { kTransmit = 1, kTrace = 2, kObject = 3 };
enum FieldType : std::int32_t { kInt = 0, kU53 = 1, kBool = 2, kStr = 3, kMsg = 4, kPairs = 5 };
enum MessageSrc : std::int32_t { kFrame = 0, kFromTransmit = 1, kArena = 2, kRef = 3 };

class OutWriter {
 public:
  /// Start a batch: forget the previous one (the buffers keep their size).
  void reset() {
    n_ = 0;
    arena_n_ = 0;
    traced_.clear();
  }
  const std::int32_t* words() const { return words_.data(); }
  std::size_t word_count() const { return n_; }
  const char* arena() const { return arena_.data(); }
  std::size_t arena_size() const { return arena_n_; }

  void transmit(std::string_view bytes) {
    put(kTransmit);
    put_str(bytes);
  }
  /// A traced message. Inbound ones are described against the frame the
  /// caller passed (`frame_offset` bytes in), outbound ones against the
  /// TRANSMIT written just before.
  void trace(bool inbound, const msg::Message& m, std::size_t frame_offset) {
    put(kTrace);
    put(inbound ? 1 : 0);
    message(m, inbound ? kFrame : kFromTransmit, frame_offset);
    if (m.trace_id() != 0) traced_.push_back(m.trace_id());
  }

  /// An object record: `begin(name, n)` then exactly n fields.
  void begin(Key name, int fields) {
    put(kObject);
    put(static_cast<std::int32_t>(name));
    put(fields);
  }
  void field(Key k, std::int32_t v) { head(k, kInt); put(v); }
  void field_u53(Key k, std::uint64_t v) {
    head(k, kU53);
    put(static_cast<std::int32_t>(v & 0xffffffffu));
    put(static_cast<std::int32_t>(v >> 32));
  }
  void field_bool(Key k, bool v) { head(k, kBool); put(v ? 1 : 0); }
  void field(Key k, std::string_view s) { head(k, kStr); put_str(s); }
  void field(Key k, const msg::Message& m) {
    head(k, kMsg);
    if (m.trace_id() != 0 && was_traced(m.trace_id())) {
      put(kRef);
      put(static_cast<std::int32_t>(m.trace_id()));
      return;
    }
    // Not traced in this batch (a synthetic 408, say): its text goes along.
    msg::Message copy = m;
    const std::string_view text = copy.to_wire();
    message(copy, kArena, put_bytes(text));
  }
  /// A message described against the text the caller passed in.
  void field_frame(Key k, const msg::Message& m, std::size_t frame_offset) {
    head(k, kMsg);
    message(m, kFrame, frame_offset);
  }
  void field(Key k, const std::vector<std::pair<std::string, std::string>>& pairs) {
    head(k, kPairs);
    put(static_cast<std::int32_t>(pairs.size()));
    for (const auto& [a, b] : pairs) {
      put_str(a);
      put_str(b);
    }
  }

 private:
  bool was_traced(std::uint32_t id) const {
    for (std::uint32_t t : traced_)
      if (t == id) return true;
    return false;
  }
  void head(Key k, FieldType t) {
    put(static_cast<std::int32_t>(k));
    put(t);
  }
  // Plain stores into buffers that only grow: a batch is written word by
  // word on every frame, and the module is built for size (-Oz), where
  // vector::push_back would stay a call chain per word.
  void put(std::int32_t v) {
    if (n_ == words_.size()) words_.resize(words_.size() * 2 + 256);
    words_[n_++] = v;
  }
  std::size_t put_bytes(std::string_view s) {
    const std::size_t at = arena_n_;
    if (arena_n_ + s.size() > arena_.size()) arena_.resize((arena_n_ + s.size()) * 2 + 1024);
    if (!s.empty()) std::memcpy(&arena_[at], s.data(), s.size());
    arena_n_ += s.size();
    return at;
  }
  void put_str(std::string_view s) {
    put(static_cast<std::int32_t>(put_bytes(s)));
    put(static_cast<std::int32_t>(s.size()));
  }
  /// A span at `w`: its offset in the text, or (outside it: a folded value
  /// stored unfolded) its bytes in the arena.
  std::int32_t* span(std::int32_t* w, const msg::Message& m, msg::Span s, std::size_t wire) {
    w[0] = s.off + s.len <= wire ? static_cast<std::int32_t>(s.off)
                                 : -1 - static_cast<std::int32_t>(put_bytes(m.view(s)));
    w[1] = static_cast<std::int32_t>(s.len);
    return w + 2;
  }
  void message(const msg::Message& m, MessageSrc src, std::size_t base) {
    // The table's size is known: make room once, then plain stores (this
    // runs for every message, and the module is built -Oz).
    const auto& fields = m.fields();
    const std::size_t need = 12 + 5 * fields.size();
    if (n_ + need > words_.size()) words_.resize((n_ + need) * 2 + 256);
    std::int32_t* w = words_.data() + n_;
    n_ += need;
    const std::size_t wire = m.wire_size();
    w[0] = src;
    w[1] = static_cast<std::int32_t>(base);
    w[2] = static_cast<std::int32_t>(wire);
    w[3] = static_cast<std::int32_t>(m.trace_id());
    w[4] = m.status();
    w = span(w + 5, m, m.is_request() ? m.method_span() : m.reason_span(), wire);
    w = span(w, m, m.is_request() ? m.request_uri_span() : msg::Span{}, wire);
    w = span(w, m, m.body_span(), wire);
    *w++ = static_cast<std::int32_t>(fields.size());
    for (const auto& f : fields) {
      *w++ = static_cast<std::int32_t>(f.id);
      w = span(w, m, f.name, wire);
      w = span(w, m, f.value, wire);
    }
  }

  std::vector<std::int32_t> words_;
  std::size_t n_ = 0;
  std::vector<char> arena_;
  std::size_t arena_n_ = 0;
  std::vector<std::uint32_t> traced_;  ///< trace ids described in this batch (a handful)
};

}  // namespace wwp::wasm
