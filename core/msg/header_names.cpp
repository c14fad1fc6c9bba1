// Header-name tables: compact forms, list-valued headers, reason phrases.
#include "core/msg/header_names.hpp"

#include <cstddef>
#include <cstdint>
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

namespace {

// RFC 3261 §21 reason phrases and the registered extensions, sorted by code.
// Only read at compile time: kReasonTable below packs it into one string and
// two small arrays, which is what the module ships (a switch over 73 codes
// compiled to ~1.5 KB of wasm plus a pointer and a length per phrase).
struct Reason {
  int status;
  std::string_view phrase;
};
constexpr Reason kReasons[] = {
    // §21.1 Provisional 1xx
    {100, "Trying"},
    {180, "Ringing"},
    {181, "Call Is Being Forwarded"},
    {182, "Queued"},
    {183, "Session Progress"},
    {199, "Early Dialog Terminated"},  // RFC 6228
    // §21.2 Successful 2xx
    {200, "OK"},
    {202, "Accepted"},         // RFC 3265 (deprecated by RFC 6665, still seen)
    {204, "No Notification"},  // RFC 5839
    // §21.3 Redirection 3xx
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Moved Temporarily"},
    {305, "Use Proxy"},
    {380, "Alternative Service"},
    // §21.4 Request Failure 4xx
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
    {412, "Conditional Request Failed"},  // RFC 3903
    {413, "Request Entity Too Large"},
    {414, "Request-URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Unsupported URI Scheme"},
    {417, "Unknown Resource-Priority"},  // RFC 4412
    {420, "Bad Extension"},
    {421, "Extension Required"},
    {422, "Session Interval Too Small"},  // RFC 4028
    {423, "Interval Too Brief"},
    {428, "Use Identity Header"},               // RFC 4474
    {429, "Provide Referrer Identity"},         // RFC 3892
    {430, "Flow Failed"},                       // RFC 5626
    {433, "Anonymity Disallowed"},              // RFC 5079
    {436, "Bad Identity-Info"},                 // RFC 4474
    {437, "Unsupported Certificate"},           // RFC 4474
    {438, "Invalid Identity Header"},           // RFC 4474
    {439, "First Hop Lacks Outbound Support"},  // RFC 5626
    {440, "Max-Breadth Exceeded"},              // RFC 5393
    {469, "Bad Info Package"},                  // RFC 6086
    {470, "Consent Needed"},                    // RFC 5360
    {480, "Temporarily Unavailable"},
    {481, "Call/Transaction Does Not Exist"},
    {482, "Loop Detected"},
    {483, "Too Many Hops"},
    {484, "Address Incomplete"},
    {485, "Ambiguous"},
    {486, "Busy Here"},
    {487, "Request Terminated"},
    {488, "Not Acceptable Here"},
    {489, "Bad Event"},  // RFC 6665
    {491, "Request Pending"},
    {493, "Undecipherable"},
    {494, "Security Agreement Required"},  // RFC 3329
    // §21.5 Server Failure 5xx
    {500, "Server Internal Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Server Time-out"},
    {505, "Version Not Supported"},
    {513, "Message Too Large"},
    {555, "Push Notification Service Not Supported"},  // RFC 8599
    {580, "Precondition Failure"},                     // RFC 3312
    // §21.6 Global Failures 6xx
    {600, "Busy Everywhere"},
    {603, "Decline"},
    {604, "Does Not Exist Anywhere"},
    {606, "Not Acceptable"},
    {607, "Unwanted"},  // RFC 8197
    {608, "Rejected"},  // RFC 8688
};
constexpr std::size_t kReasonCount = sizeof(kReasons) / sizeof(kReasons[0]);

constexpr std::size_t reason_text_size() {
  std::size_t n = 0;
  for (const Reason& r : kReasons) n += r.phrase.size();
  return n;
}

// The phrases back to back; phrase i is text[end[i-1], end[i]) (end[-1] = 0).
struct ReasonTable {
  std::uint16_t status[kReasonCount];
  std::uint16_t end[kReasonCount];
  char text[reason_text_size()];
};

constexpr ReasonTable pack_reasons() {
  ReasonTable t{};
  std::size_t at = 0;
  for (std::size_t i = 0; i < kReasonCount; ++i) {
    t.status[i] = static_cast<std::uint16_t>(kReasons[i].status);
    for (char c : kReasons[i].phrase) t.text[at++] = c;
    t.end[i] = static_cast<std::uint16_t>(at);
  }
  return t;
}
constexpr ReasonTable kReasonTable = pack_reasons();
static_assert(reason_text_size() <= 0xFFFF, "phrase offsets fit 16 bits");

}  // namespace

std::string_view default_reason(int status) {
  for (std::size_t i = 0; i < kReasonCount; ++i) {
    if (kReasonTable.status[i] != status) continue;
    const std::size_t begin = i == 0 ? 0 : kReasonTable.end[i - 1];
    return {kReasonTable.text + begin, kReasonTable.end[i] - begin};
  }
  return {};
}

}  // namespace wwp::msg
