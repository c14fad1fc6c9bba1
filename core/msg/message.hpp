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
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wwp::msg {

struct Header {
  std::string name;   ///< as on the wire, e.g. "Call-ID", "call-id" or "i"
  std::string value;  ///< trimmed, unfolded
};

class Message {
 public:
  Message() = default;
  /// A request with the given method and Request-URI (as text).
  static Message request(std::string method, std::string request_uri);
  /// A response; an empty `reason` picks the RFC 3261 §21 default phrase.
  static Message response(int status, std::string reason = {});

  // --- start line -----------------------------------------------------------
  bool is_request() const { return status_ == 0; }
  bool is_response() const { return status_ != 0; }
  const std::string& method() const { return method_; }            ///< "" for responses
  const std::string& request_uri() const { return request_uri_; }  ///< "" for responses
  int status() const { return status_; }                           ///< 0 for requests
  const std::string& reason() const { return reason_; }            ///< "" for requests
  /// "INVITE sip:a@b SIP/2.0" or "SIP/2.0 200 OK" (no CRLF).
  std::string start_line() const;
  void set_request_uri(std::string uri) { request_uri_ = std::move(uri); }

  // --- headers --------------------------------------------------------------
  const std::vector<Header>& headers() const { return headers_; }
  /// First value of the named header (case-insensitive, compact-form aware).
  std::optional<std::string_view> get(std::string_view name) const;
  /// Every value of the named header in order; list-valued headers
  /// (Via, Route, Record-Route, Contact, Allow, Supported, …) are split on
  /// top-level commas.
  std::vector<std::string_view> get_all(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  /// Append a header line.
  void add(std::string name, std::string value);
  /// Insert a header line before all others of the same name (a new top Via),
  /// or at the very top when there is none (RFC 3261 §7.3.1 recommends Via,
  /// Route, Max-Forwards… towards the top for proxies).
  void add_first(std::string name, std::string value);
  /// Replace the value of the first header of that name (keeping its wire
  /// spelling) and remove the others; append if absent.
  void set(std::string_view name, std::string value);
  /// Remove every header of that name; returns how many were removed.
  std::size_t remove(std::string_view name);

  // --- body -----------------------------------------------------------------
  const std::string& body() const { return body_; }
  /// Set the body and Content-Length (bytes); a non-empty `content_type` also
  /// sets Content-Type, an empty body removes Content-Type.
  void set_body(std::string body, std::string_view content_type = {});

  /// Serialise: start line, headers as stored, CRLF, body.
  std::string to_string() const;

 private:
  friend class MessageParser;
  std::string method_;
  std::string request_uri_;
  int status_ = 0;
  std::string reason_;
  std::vector<Header> headers_;
  std::string body_;
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
bool operator==(const Header& a, const Header& b);
bool operator!=(const Header& a, const Header& b);
bool operator==(const Message& a, const Message& b);
bool operator!=(const Message& a, const Message& b);

/// Split a list-valued header value on top-level commas (not inside a
/// quoted-string or <...>), trimming LWS and skipping empty elements
/// (RFC 3261 §7.3.1). Views point into `value`.
std::vector<std::string_view> split_list(std::string_view value);

}  // namespace wwp::msg
