// StreamFramer: cut a byte stream into SIP messages (RFC 3261 §18.3).
//
// For transports where one read may hold part of a message or several
// messages: TCP/TLS, and WebSocket servers that concatenate messages into one
// frame. Content-Length is mandatory on streams (§18.3: "In the case of
// stream-oriented transports such as TCP, the Content-Length header field
// indicates the size of the body. ... MUST be used"); CRLFs between messages
// are skipped (§7.5 keep-alives).
//
// Contract (sans-IO, like everything in core/):
//  - `feed(bytes)` appends; it never parses. Then call `next()` until it
//    returns nullopt ("need more bytes").
//  - `next()` returns one parsed message or one error. After an error other
//    than `Incomplete` the framing is lost: the framer drops everything it
//    buffered and the caller SHOULD close the connection (§18.3: "the
//    transport ... MUST close the connection" when Content-Length is absent).
//  - Waiting for a body or for the end of the header section costs O(new
//    bytes) per feed, not a re-parse, so feeding one byte at a time is fine.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/msg/message.hpp"
#include "core/msg/parser.hpp"

namespace wwp::msg {

class StreamFramer {
 public:
  explicit StreamFramer(ParseLimits limits = {});

  /// Append received bytes.
  void feed(std::string_view bytes);
  /// The next complete message, an error, or nullopt if more bytes are needed.
  std::optional<Result<Message, ParseError>> next();
  /// Bytes buffered and not yet returned as a message.
  std::size_t buffered() const { return buf_.size() - start_; }
  /// Drop all buffered bytes (e.g. on reconnect).
  void reset();

 private:
  ParseLimits limits_;
  std::string buf_;
  std::size_t start_ = 0;      ///< first unconsumed byte in buf_
  std::size_t scanned_ = 0;    ///< bytes after start_ known to hold no header terminator
  std::size_t need_ = 0;       ///< total bytes (from start_) the current message needs, 0 = unknown
  MessageView view_;           ///< reused so framing does not allocate per message
};

}  // namespace wwp::msg
