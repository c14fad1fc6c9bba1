#include "core/sdp/codec_prefs.hpp"

#include <algorithm>
#include <optional>

#include "core/sdp/session_description.hpp"

namespace wwp::sdp {
namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

/// RFC 4566 §9 token-char.
bool token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`{|}~").find(c) != std::string_view::npos;
}

/// One payload type of an m-line and what its attributes say about it.
struct Payload {
  std::string pt;
  std::string name;        ///< encoding name ("" if unknown)
  std::string clock;       ///< clock rate ("" if unknown)
  std::string fmtp;        ///< the first a=fmtp value for it
  bool keep = false;
};

/// RFC 3551 §6 static audio types a browser may list without a=rtpmap.
std::pair<const char*, const char*> static_type(std::string_view pt) {
  if (pt == "0") return {"PCMU", "8000"};
  if (pt == "3") return {"GSM", "8000"};
  if (pt == "4") return {"G723", "8000"};
  if (pt == "8") return {"PCMA", "8000"};
  if (pt == "9") return {"G722", "8000"};
  if (pt == "13") return {"CN", "8000"};
  if (pt == "18") return {"G729", "8000"};
  return {"", ""};
}

/// `<pt> <rest>` of an `a=<attr>:` value, if `value` is such an attribute.
std::optional<std::pair<std::string_view, std::string_view>> pt_attr(const SdpLine& l, std::string_view attr) {
  if (l.type != 'a') return std::nullopt;
  std::string_view v = l.value;
  if (v.size() <= attr.size() + 1 || v.compare(0, attr.size(), attr) != 0 || v[attr.size()] != ':') return std::nullopt;
  v.remove_prefix(attr.size() + 1);
  const auto sp = v.find(' ');
  if (sp == std::string_view::npos) return std::make_pair(v, std::string_view());
  return std::make_pair(v.substr(0, sp), v.substr(sp + 1));
}

std::vector<Payload> payloads_of(const MediaDescription& m) {
  std::vector<Payload> out;
  for (const auto& f : m.formats) {
    Payload p;
    p.pt = f;
    const auto s = static_type(f);
    p.name = s.first;
    p.clock = s.second;
    out.push_back(std::move(p));
  }
  for (const auto& l : m.lines) {
    for (auto& p : out) {
      if (auto r = pt_attr(l, "rtpmap"); r && r->first == p.pt) {
        // `<encoding name>/<clock rate>[/<encoding parameters>]` (§6).
        const auto rest = r->second;
        const auto slash = rest.find('/');
        p.name = std::string(rest.substr(0, slash));
        p.clock.clear();
        if (slash != std::string_view::npos) {
          auto c = rest.substr(slash + 1);
          p.clock = std::string(c.substr(0, c.find('/')));
        }
      } else if (auto r2 = pt_attr(l, "fmtp"); r2 && r2->first == p.pt && p.fmtp.empty()) {
        p.fmtp = std::string(r2->second);
      }
    }
  }
  return out;
}

enum class Helper { None, TelephoneEvent, Rtx, Red, Cn, Fec };
Helper helper_of(std::string_view name) {
  if (iequal(name, "telephone-event")) return Helper::TelephoneEvent;
  if (iequal(name, "rtx")) return Helper::Rtx;
  if (iequal(name, "red")) return Helper::Red;
  if (iequal(name, "CN")) return Helper::Cn;
  if (iequal(name, "ulpfec") || iequal(name, "flexfec-03") || iequal(name, "flexfec")) return Helper::Fec;
  return Helper::None;
}

/// Split `s` on any of `seps`, dropping empty pieces.
std::vector<std::string_view> split(std::string_view s, std::string_view seps) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    const auto j = s.find_first_of(seps, i);
    const auto piece = s.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i);
    if (!piece.empty()) out.push_back(piece);
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  return out;
}

bool kept(const std::vector<Payload>& ps, std::string_view pt) {
  for (const auto& p : ps)
    if (p.pt == pt) return p.keep;
  return false;
}

/// Apply `list` to `m` (see the header). `offered`: the offer's payloads for
/// this m-line when answering.
Result<std::monostate, SdpError> apply_codecs(MediaDescription& m, const std::vector<std::string>& list,
                                              const std::vector<Payload>* offered) {
  auto ps = payloads_of(m);
  // RFC 3264 §6.1: only what the offer listed.
  auto allowed = [&](const Payload& p) {
    if (!offered) return true;
    for (const auto& o : *offered) {
      if (!p.name.empty() && iequal(o.name, p.name) && o.clock == p.clock) return true;
      if (p.name.empty() && o.pt == p.pt) return true;
    }
    return false;
  };
  const bool wildcard = !list.empty() && list.back() == "*";
  std::vector<std::size_t> order;  // indexes into ps, in the new order
  auto named = [&](const Payload& p) {
    for (const auto& n : list)
      if (n != "*" && iequal(n, p.name)) return true;
    return false;
  };
  for (const auto& n : list) {
    if (n == "*") continue;
    for (std::size_t i = 0; i < ps.size(); ++i)
      if (iequal(ps[i].name, n) && allowed(ps[i]) && std::find(order.begin(), order.end(), i) == order.end()) {
        ps[i].keep = true;
        order.push_back(i);
      }
  }
  if (wildcard)
    for (std::size_t i = 0; i < ps.size(); ++i)
      if (!ps[i].keep && helper_of(ps[i].name) == Helper::None && allowed(ps[i])) {
        ps[i].keep = true;
        order.push_back(i);
      }
  bool any_codec = false;
  for (const auto& p : ps) any_codec = any_codec || (p.keep && helper_of(p.name) == Helper::None);
  if (!any_codec) {
    std::string had;
    for (const auto& p : ps)
      if (helper_of(p.name) == Helper::None) had += (had.empty() ? "" : ", ") + (p.name.empty() ? p.pt : p.name);
    std::string wanted;
    for (const auto& n : list) wanted += (wanted.empty() ? "" : ", ") + n;
    return err(SdpError{SdpErrorCode::NoCommonCodec,
                        "codecPreferences." + m.media + " [" + wanted + "] leaves no codec in m=" + m.media + " (it has " +
                            (had.empty() ? std::string("none") : had) + ")",
                        0, 488});
  }
  // Helpers not named follow what they help, in their own order.
  for (std::size_t i = 0; i < ps.size(); ++i) {
    auto& p = ps[i];
    if (p.keep || named(p) || !allowed(p)) continue;
    bool keep = false;
    switch (helper_of(p.name)) {
      case Helper::None: break;
      case Helper::TelephoneEvent:
      case Helper::Fec: keep = true; break;
      case Helper::Rtx: {
        for (auto kv : split(p.fmtp, "; "))
          if (kv.substr(0, 4) == "apt=") keep = kept(ps, kv.substr(4));
        break;
      }
      case Helper::Red: {
        const auto refs = split(p.fmtp, "/");
        keep = !refs.empty() && std::all_of(refs.begin(), refs.end(), [&](std::string_view r) { return kept(ps, r); });
        if (refs.empty())
          for (const auto& q : ps) keep = keep || (q.keep && helper_of(q.name) == Helper::None);
        break;
      }
      case Helper::Cn:
        for (const auto& q : ps) keep = keep || (q.keep && helper_of(q.name) == Helper::None && q.clock == p.clock);
        break;
    }
    if (keep) {
      p.keep = true;
      order.push_back(i);
    }
  }
  m.formats.clear();
  for (auto i : order) m.formats.push_back(ps[i].pt);
  m.set_port(m.port);  // rebuilds m_value from the formats
  std::vector<SdpLine> lines;
  for (auto& l : m.lines) {
    bool drop = false;
    for (const char* attr : {"rtpmap", "fmtp", "rtcp-fb"})
      if (auto r = pt_attr(l, attr); r && r->first != "*" && !kept(ps, r->first)) drop = true;
    if (!drop) lines.push_back(std::move(l));
  }
  m.lines = std::move(lines);
  return std::monostate{};
}

void apply_bandwidth(MediaDescription& m, std::uint32_t kbps) {
  std::vector<SdpLine> lines;
  std::size_t at = 0;
  bool placed = false;
  for (auto& l : m.lines) {
    if (l.type == 'b' && (l.value.rfind("AS:", 0) == 0 || l.value.rfind("TIAS:", 0) == 0)) continue;
    if (!placed && l.type != 'i' && l.type != 'c') {
      at = lines.size();
      placed = true;
    }
    lines.push_back(std::move(l));
  }
  if (!placed) at = lines.size();
  const SdpLine as{'b', "AS:" + std::to_string(kbps)};
  const SdpLine tias{'b', "TIAS:" + std::to_string(static_cast<std::uint64_t>(kbps) * 1000)};
  lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), {as, tias});
  m.lines = std::move(lines);
}

}  // namespace

std::string check_codec_list(const std::vector<std::string>& list) {
  if (list.empty()) return "must name at least one codec";
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& n = list[i];
    if (n == "*") {
      if (i + 1 != list.size()) return "'*' may only be the last entry";
      continue;
    }
    if (n.empty() || !std::all_of(n.begin(), n.end(), token_char) || n.find('*') != std::string::npos)
      return "'" + n + "' is not a codec name (an rtpmap encoding name such as opus or PCMU)";
  }
  return "";
}

/// RFC 3264 §6 rejection of `m`, and its mid out of the BUNDLE group.
static void reject(SessionDescription& sdp, MediaDescription& m) {
  m.set_port(0);
  const auto mid = find_attribute(m.lines, "mid");
  if (!mid || mid->empty()) return;
  const std::string tag = " " + std::string(*mid) + " ";
  for (auto& l : sdp.session) {
    if (l.type != 'a' || l.value.rfind("group:BUNDLE", 0) != 0) continue;
    const auto at = (l.value + " ").find(tag);
    if (at != std::string::npos) l.value.erase(at, tag.size() - 1);
  }
}

Result<std::string, SdpError> rewrite_local(std::string_view text, const MediaPrefs& prefs, std::string_view offer_text,
                                            bool reject_video) {
  if (prefs.empty() && !reject_video) return std::string(text);
  auto sdp = parse(text);
  if (!sdp) return err(sdp.error());
  std::optional<SessionDescription> offer;
  if (!offer_text.empty()) {
    auto o = parse(offer_text);
    if (!o) return err(o.error());
    offer = std::move(*o);
  }
  for (std::size_t i = 0; i < sdp->media.size(); ++i) {
    auto& m = sdp->media[i];
    if (m.port == 0) continue;
    if (reject_video && m.media == "video") {
      reject(*sdp, m);
      continue;
    }
    const auto& list = m.media == "audio" ? prefs.audio : m.media == "video" ? prefs.video : std::vector<std::string>{};
    if (!list.empty()) {
      std::optional<std::vector<Payload>> offered;
      if (offer && i < offer->media.size()) offered = payloads_of(offer->media[i]);
      auto r = apply_codecs(m, list, offered ? &*offered : nullptr);
      if (!r) return err(r.error());
    }
    if (m.media == "audio" && prefs.audio_kbps > 0) apply_bandwidth(m, prefs.audio_kbps);
  }
  return sdp->to_string();
}

}  // namespace wwp::sdp
