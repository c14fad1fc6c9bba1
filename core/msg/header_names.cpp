// Header-name tables: compact forms, list-valued headers, reason phrases.
#include "core/msg/header_names.hpp"

#include <cstring>

#include "core/msg/header_classify.hpp"
#include "core/msg/message.hpp"
#include "core/msg/scan.hpp"
#include "core/msg/swar.hpp"

namespace wwp::msg {

namespace {

struct Compact {
  char letter;
  std::string_view name;
};
// RFC 3261 §7.3.3 (i m e l c f s k t v) and the compact forms registered
// since: o/u (RFC 6665 Event, Allow-Events), r (RFC 3515 Refer-To),
// b (RFC 3892 Referred-By), x (RFC 4028 Session-Expires), y/n (RFC 4474
// Identity, Identity-Info), a/j/d (RFC 3841 Accept-Contact, Reject-Contact,
// Request-Disposition).
constexpr Compact kCompact[] = {
    {'i', "Call-ID"},        {'m', "Contact"},          {'e', "Content-Encoding"},
    {'l', "Content-Length"}, {'c', "Content-Type"},     {'f', "From"},
    {'s', "Subject"},        {'k', "Supported"},        {'t', "To"},
    {'v', "Via"},            {'o', "Event"},            {'u', "Allow-Events"},
    {'r', "Refer-To"},       {'b', "Referred-By"},      {'x', "Session-Expires"},
    {'y', "Identity"},       {'n', "Identity-Info"},    {'a', "Accept-Contact"},
    {'j', "Reject-Contact"}, {'d', "Request-Disposition"},
};

// Headers whose ABNF is a comma list (`#element` / `*(COMMA ...)`), §20 and
// extensions. Deliberately absent: WWW-Authenticate, Authorization,
// Proxy-Authenticate, Proxy-Authorization (one challenge with commas inside),
// Date, Retry-After, Subject, and everything single-valued.
constexpr std::string_view kListHeaders[] = {
    "Via", "Route", "Record-Route", "Contact", "Allow", "Supported", "Require",
    "Proxy-Require", "Unsupported", "Accept", "Accept-Encoding", "Accept-Language",
    "Content-Encoding", "Content-Language", "Allow-Events", "Alert-Info", "Call-Info",
    "Error-Info", "In-Reply-To", "Warning", "Path", "Service-Route", "P-Associated-URI",
    "P-Asserted-Identity", "P-Preferred-Identity", "History-Info", "Reason",
    "Accept-Contact", "Reject-Contact", "Request-Disposition", "Security-Client",
    "Security-Server", "Security-Verify", "Accept-Resource-Priority", "Resource-Priority",
};

}  // namespace

std::string_view expand_compact_name(std::string_view name) {
  if (name.size() != 1) return name;
  const char c = scan::lower(name[0]);
  for (const Compact& k : kCompact)
    if (k.letter == c) return k.name;
  return name;
}

bool header_name_equals(std::string_view a, std::string_view b) {
  if (a.size() == b.size()) return scan::iequals(a, b);
  return scan::iequals(expand_compact_name(a), expand_compact_name(b));
}

const std::string_view* header_id_names() {
  static constexpr std::string_view kNames[kHeaderIdCount] = {
      "", "via", "from", "to", "call-id", "cseq", "content-length", "content-type", "contact",
      "max-forwards", "route", "record-route"};
  static_assert(static_cast<std::size_t>(HeaderId::RecordRoute) + 1 == kHeaderIdCount, "one name per HeaderId");
  return kNames;
}

HeaderId classify_header(std::string_view name) {
  // Any byte may arrive here (lookups by caller-supplied name), so letters
  // are lower-cased exactly rather than with the parser's `| 0x20`.
  if (name.empty() || name.size() > 16) return HeaderId::Other;
  char buf[16] = {};
  std::memcpy(buf, name.data(), name.size());
  return detail::classify_lower_words(swar::to_lower(swar::load(buf)),
                                      swar::to_lower(swar::load(buf + 8)), name.size());
}

bool is_list_header(std::string_view name) {
  const std::string_view n = expand_compact_name(name);
  for (std::string_view h : kListHeaders)
    if (scan::iequals(h, n)) return true;
  return false;
}

std::string_view default_reason(int status) {
  switch (status) {
    // RFC 3261 §21.1 Provisional 1xx
    case 100: return "Trying";
    case 180: return "Ringing";
    case 181: return "Call Is Being Forwarded";
    case 182: return "Queued";
    case 183: return "Session Progress";
    case 199: return "Early Dialog Terminated";  // RFC 6228
    // §21.2 Successful 2xx
    case 200: return "OK";
    case 202: return "Accepted";         // RFC 3265 (deprecated by RFC 6665, still seen)
    case 204: return "No Notification";  // RFC 5839
    // §21.3 Redirection 3xx
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Moved Temporarily";
    case 305: return "Use Proxy";
    case 380: return "Alternative Service";
    // §21.4 Request Failure 4xx
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 412: return "Conditional Request Failed";  // RFC 3903
    case 413: return "Request Entity Too Large";
    case 414: return "Request-URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Unsupported URI Scheme";
    case 417: return "Unknown Resource-Priority";  // RFC 4412
    case 420: return "Bad Extension";
    case 421: return "Extension Required";
    case 422: return "Session Interval Too Small";  // RFC 4028
    case 423: return "Interval Too Brief";
    case 428: return "Use Identity Header";          // RFC 4474
    case 429: return "Provide Referrer Identity";   // RFC 3892
    case 430: return "Flow Failed";                 // RFC 5626
    case 433: return "Anonymity Disallowed";        // RFC 5079
    case 436: return "Bad Identity-Info";           // RFC 4474
    case 437: return "Unsupported Certificate";     // RFC 4474
    case 438: return "Invalid Identity Header";     // RFC 4474
    case 439: return "First Hop Lacks Outbound Support";  // RFC 5626
    case 440: return "Max-Breadth Exceeded";        // RFC 5393
    case 469: return "Bad Info Package";            // RFC 6086
    case 470: return "Consent Needed";              // RFC 5360
    case 480: return "Temporarily Unavailable";
    case 481: return "Call/Transaction Does Not Exist";
    case 482: return "Loop Detected";
    case 483: return "Too Many Hops";
    case 484: return "Address Incomplete";
    case 485: return "Ambiguous";
    case 486: return "Busy Here";
    case 487: return "Request Terminated";
    case 488: return "Not Acceptable Here";
    case 489: return "Bad Event";                   // RFC 6665
    case 491: return "Request Pending";
    case 493: return "Undecipherable";
    case 494: return "Security Agreement Required"; // RFC 3329
    // §21.5 Server Failure 5xx
    case 500: return "Server Internal Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Server Time-out";
    case 505: return "Version Not Supported";
    case 513: return "Message Too Large";
    case 555: return "Push Notification Service Not Supported";  // RFC 8599
    case 580: return "Precondition Failure";        // RFC 3312
    // §21.6 Global Failures 6xx
    case 600: return "Busy Everywhere";
    case 603: return "Decline";
    case 604: return "Does Not Exist Anywhere";
    case 606: return "Not Acceptable";
    case 607: return "Unwanted";                    // RFC 8197
    case 608: return "Rejected";                    // RFC 8688
    default: return {};
  }
}

}  // namespace wwp::msg
