// StreamFramer (RFC 3261 §18.3 framing on stream transports).
#include "core/msg/stream_framer.hpp"

#include <cstring>

namespace wwp::msg {

StreamFramer::StreamFramer(ParseLimits limits) : limits_(limits) {
  limits_.require_content_length = true;
}

void StreamFramer::feed(std::string_view bytes) { buf_.append(bytes.data(), bytes.size()); }

void StreamFramer::reset() {
  buf_.clear();
  start_ = scanned_ = need_ = 0;
}

std::optional<Result<Message, ParseError>> StreamFramer::next() {
  // §7.5: CRLFs before a start line are keep-alives; drop them here so the
  // header-terminator scan below cannot mistake them for an empty line.
  if (need_ == 0 && scanned_ == 0)
    while (start_ < buf_.size() && (buf_[start_] == '\r' || buf_[start_] == '\n')) ++start_;
  if (start_ == buf_.size()) {
    buf_.clear();
    start_ = 0;
    return std::nullopt;
  }
  const std::string_view avail(buf_.data() + start_, buf_.size() - start_);
  if (need_ != 0 && avail.size() < need_) return std::nullopt;
  if (need_ == 0) {
    // Look for the empty line ending the header section (CRLFCRLF or LFLF,
    // LF-only tolerated); only the new bytes are scanned.
    const std::size_t from = scanned_ > 3 ? scanned_ - 3 : 0;
    bool found = false, new_line = false;
    for (std::size_t i = from; i < avail.size(); ++i) {
      const void* lf = std::memchr(avail.data() + i, '\n', avail.size() - i);
      if (!lf) break;
      i = static_cast<std::size_t>(static_cast<const char*>(lf) - avail.data());
      new_line = new_line || i >= scanned_;
      if (i + 1 < avail.size() &&
          (avail[i + 1] == '\n' || (avail[i + 1] == '\r' && i + 2 < avail.size() && avail[i + 2] == '\n'))) {
        found = true;
        break;
      }
    }
    if (!found) {
      scanned_ = avail.size();
      if (avail.size() > limits_.max_message_size) {
        reset();
        return Result<Message, ParseError>(err(ParseError{ParseErrorCode::TooLarge, 0, 0}));
      }
      // When a new line completed, let the parser judge the partial header
      // section: a garbage start line or header is reported now, not after
      // max_message_size bytes. Re-parsing once per line (not per byte)
      // keeps byte-at-a-time feeding linear in practice.
      if (!new_line) return std::nullopt;
      auto r = parse_view_into(avail, view_, limits_);
      if (r.ok() || r.error().code == ParseErrorCode::Incomplete) return std::nullopt;
      const ParseError e = r.error();
      reset();
      return Result<Message, ParseError>(err(e));
    }
  }
  auto r = parse_view_into(avail, view_, limits_);
  if (!r) {
    const ParseError e = r.error();
    if (e.code == ParseErrorCode::Incomplete) {
      need_ = e.needed;  // header section complete: wait for the body
      scanned_ = avail.size();
      return std::nullopt;
    }
    reset();
    return Result<Message, ParseError>(err(e));
  }
  Message m = to_message(view_);
  start_ += *r;
  scanned_ = need_ = 0;
  // Compact once the consumed prefix dominates, so the buffer stays small.
  if (start_ == buf_.size()) {
    buf_.clear();
    start_ = 0;
  } else if (start_ > 4096 && start_ > buf_.size() / 2) {
    buf_.erase(0, start_);
    start_ = 0;
  }
  return Result<Message, ParseError>(std::move(m));
}

}  // namespace wwp::msg
