// A SIP message (RFC 3261 §7): start line, headers in wire order and wire case,
// and a body. This is the one message type the whole core passes around.
//
// Contract:
//  - Header names are stored exactly as received or added (a compact form such
//    as `v` stays `v`); lookups are case-insensitive and treat a compact form
//    and its long name as the same header (RFC 3261 §7.3.1, §7.3.3).
//  - Repeated headers are kept as separate entries in order (the Via stack
//    survives intact). `get_all()` also splits comma-separated values of
//    headers that allow lists (RFC 3261 §7.3.1), respecting quotes and <>.
//  - Values are stored with leading/trailing LWS removed and line folding
//    collapsed to a single SP.
//  - `body` holds raw bytes (UTF-8 for text bodies); Content-Length is a byte
//    count. `set_body()` keeps Content-Length (and optionally Content-Type) in
//    step; `to_string()` writes headers as stored.
//  - No member throws. Parsing lives in core/msg/parser.hpp and returns errors
//    as values.
//
// Storage (why it looks like this): every string of a message lives in one
// append-only byte buffer, and the start line parts, header names, values and
// body are spans into it. Parsing a frame is then one copy of its bytes plus
// one vector of spans, not two allocations per header, and a copy of a
// message is two allocations. Edits append; bytes already in the buffer never
// change, so the first `wire_size()` bytes stay exactly the text the message
// was parsed from (or serialised to by `to_wire()`), and the wasm boundary can
// hand the shim offsets into the text it already holds instead of strings.
// Every `std::string_view` a Message returns is valid until the next edit.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/msg/header_names.hpp"

namespace wwp::msg {

/// A range of a message's buffer.
struct Span {
  std::uint32_t off = 0;
  std::uint32_t len = 0;
};

/// One header line as stored: views into the message (valid until its next edit).
struct HeaderRef {
  std::string_view name;   ///< as on the wire, e.g. "Call-ID", "call-id" or "i"
  std::string_view value;  ///< trimmed, unfolded
};

class Message {
 public:
  /// One stored header line: spans into the buffer plus its classified name.
  struct Field {
    Span name, value;
    HeaderId id = HeaderId::Other;
  };

  /// Read-only range over the header lines (`for (HeaderRef h : m.headers())`).
  class HeaderList {
   public:
    class iterator {
     public:
      iterator(const Message* m, std::size_t i) : m_(m), i_(i) {}
      HeaderRef operator*() const { return m_->header(i_); }
      iterator& operator++() { ++i_; return *this; }
      bool operator!=(const iterator& o) const { return i_ != o.i_; }
      bool operator==(const iterator& o) const { return i_ == o.i_; }
     private:
      const Message* m_;
      std::size_t i_;
    };
    explicit HeaderList(const Message* m) : m_(m) {}
    iterator begin() const { return {m_, 0}; }
    iterator end() const { return {m_, size()}; }
    std::size_t size() const { return m_->fields_.size(); }
    bool empty() const { return size() == 0; }
    HeaderRef operator[](std::size_t i) const { return m_->header(i); }
    HeaderRef back() const { return m_->header(size() - 1); }
   private:
    const Message* m_;
  };

  Message() = default;
  /// A request with the given method and Request-URI (as text).
  static Message request(std::string_view method, std::string_view request_uri);
  /// A response; an empty `reason` picks the RFC 3261 §21 default phrase.
  static Message response(int status, std::string_view reason = {});

  // --- start line -----------------------------------------------------------
  bool is_request() const { return status_ == 0; }
  bool is_response() const { return status_ != 0; }
  std::string_view method() const { return view(method_); }            ///< "" for responses
  std::string_view request_uri() const { return view(request_uri_); }  ///< "" for responses
  int status() const { return status_; }                               ///< 0 for requests
  std::string_view reason() const { return view(reason_); }            ///< "" for requests
  /// "INVITE sip:a@b SIP/2.0" or "SIP/2.0 200 OK" (no CRLF).
  std::string start_line() const;
  void set_request_uri(std::string_view uri);

  // --- headers --------------------------------------------------------------
  HeaderList headers() const { return HeaderList(this); }
  HeaderRef header(std::size_t i) const { return {view(fields_[i].name), view(fields_[i].value)}; }
  /// The stored lines with their spans and ids (for the wasm boundary).
  const std::vector<Field>& fields() const { return fields_; }
  /// First value of the named header (case-insensitive, compact-form aware).
  std::optional<std::string_view> get(std::string_view name) const;
  /// First value of a header by id (`HeaderId::Other` matches nothing).
  std::optional<std::string_view> get(HeaderId id) const;
  /// Every value of the named header in order; list-valued headers
  /// (Via, Route, Record-Route, Contact, Allow, Supported, …) are split on
  /// top-level commas.
  std::vector<std::string_view> get_all(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  /// Append a header line.
  void add(std::string_view name, std::string_view value);
  /// Insert a header line before all others of the same name (a new top Via),
  /// or at the very top when there is none (RFC 3261 §7.3.1 recommends Via,
  /// Route, Max-Forwards… towards the top for proxies).
  void add_first(std::string_view name, std::string_view value);
  /// Replace the value of the first header of that name (keeping its wire
  /// spelling) and remove the others; append if absent.
  void set(std::string_view name, std::string_view value);
  /// Remove every header of that name; returns how many were removed.
  std::size_t remove(std::string_view name);

  // --- body -----------------------------------------------------------------
  std::string_view body() const { return view(body_); }
  /// Set the body and Content-Length (bytes); a non-empty `content_type` also
  /// sets Content-Type, an empty body removes Content-Type.
  void set_body(std::string_view body, std::string_view content_type = {});

  /// Serialise: start line, headers as stored, CRLF, body.
  std::string to_string() const;
  /// Serialise in place: afterwards the buffer holds exactly the wire text
  /// (`wire()`), every span points into it, and nothing else is stored.
  /// Returns `wire()`.
  std::string_view to_wire();

  // --- where the text came from (the wasm boundary) -------------------------
  /// The buffer's first `wire_size()` bytes are the message's wire text, as
  /// parsed or as written by `to_wire()`; spans that end inside it are
  /// offsets into that text. 0 for a message built field by field.
  std::size_t wire_size() const { return wire_size_; }
  std::string_view wire() const { return std::string_view(buf_).substr(0, wire_size_); }
  Span method_span() const { return method_; }
  Span request_uri_span() const { return request_uri_; }
  Span reason_span() const { return reason_; }
  Span body_span() const { return body_; }
  std::string_view view(Span s) const { return std::string_view(buf_.data() + s.off, s.len); }
  /// A number the UA gives each message it traces (0: never traced), so the
  /// boundary can say "the message traced above" instead of copying it.
  std::uint32_t trace_id() const { return trace_id_; }
  void set_trace_id(std::uint32_t id) { trace_id_ = id; }

 private:
  friend class MessageParser;
  /// Append bytes to the buffer (safe when `s` points into it).
  Span append(std::string_view s);
  /// An edit: the message is no longer the text it was parsed from.
  void edited() {
    trace_id_ = 0;
    wire_size_ = 0;
  }
  std::size_t find_field(std::string_view name, std::size_t from) const;
  /// Bytes to_string() writes.
  std::size_t wire_length() const;
  /// Write the wire text at `out` (wire_length() bytes); with `repoint`, set
  /// its spans to where each part landed. Returns the bytes written.
  std::size_t write_wire(char* out, Message* repoint) const;

  std::string buf_;
  std::vector<Field> fields_;
  Span method_, request_uri_, reason_, body_;
  int status_ = 0;
  std::uint32_t wire_size_ = 0;
  std::uint32_t trace_id_ = 0;
};

/// Case-insensitive header-name equality that treats compact forms
/// (RFC 3261 §7.3.3 and the registered extensions) as their long names.
bool header_name_equals(std::string_view a, std::string_view b);
/// The long form of a compact header name ("i" → "Call-ID"), or `name` itself.
std::string_view expand_compact_name(std::string_view name);
/// The RFC 3261 §21 reason phrase for a status code ("" if unknown).
std::string_view default_reason(int status);

/// Field-wise equality (start line, headers with their wire names in order,
/// body). `parse(m.to_string()) == m` holds for every parsed `m` (serialising
/// may add a CR per LF-only line and a SP per header, so a message parsed at a
/// ParseLimits edge may need slightly larger limits to re-parse).
bool operator==(const HeaderRef& a, const HeaderRef& b);
bool operator!=(const HeaderRef& a, const HeaderRef& b);
bool operator==(const Message& a, const Message& b);
bool operator!=(const Message& a, const Message& b);

/// Split a list-valued header value on top-level commas (not inside a
/// quoted-string or <...>), trimming LWS and skipping empty elements
/// (RFC 3261 §7.3.1). Views point into `value`.
std::vector<std::string_view> split_list(std::string_view value);

}  // namespace wwp::msg
