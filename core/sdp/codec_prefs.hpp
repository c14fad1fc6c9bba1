// Codec preferences and bandwidth limits applied to our own SDP (README
// "Codecs, bandwidth and SDP hooks").
//
// Contract:
//  - `rewrite_local(sdp, prefs, offer)` rewrites the SDP the browser made
//    (our offer, or with `offer` non-empty our answer to it) and returns the
//    text to send. With no preferences it returns `sdp` unchanged without
//    parsing it. Pure: no state, no I/O.
//  - Codec lists (`audio`, `video`), per `m=` of that media with a non-zero
//    port (a rejected stream, port 0, is left alone; RFC 3264 §6):
//      * names are rtpmap encoding names (`opus`, `PCMU`, `G722`, …), compared
//        case-insensitively (RFC 4855 §3: "media subtype names are
//        case-insensitive"); a static payload type without `a=rtpmap` is
//        named from RFC 3551 §6 (0 PCMU, 3 GSM, 4 G723, 8 PCMA, 9 G722,
//        13 CN, 18 G729);
//      * the named codecs come first, in the list's order (RFC 3264 §5.1:
//        the m-line order is our preference); every payload type of a name
//        keeps its own relative order (opus/48000 before opus/16000 if so);
//      * a codec that is not named is removed, unless the list ends with "*",
//        which keeps the unnamed ones after the named ones, in their order;
//      * helpers are not codecs and follow what they help: `telephone-event`
//        is always kept (DTMF, RFC 4733); `rtx` is kept if its `apt=` payload
//        is, `red` if every payload its fmtp names is, `CN` if a kept codec
//        has its clock rate; `ulpfec`/`flexfec` are kept. Naming a helper
//        places it like a codec;
//      * a removed payload type loses its `a=rtpmap`, `a=fmtp` and
//        `a=rtcp-fb` lines (`a=rtcp-fb:*` stays);
//      * a list that would leave no codec in an `m=` (helpers do not count)
//        is an error, NoCommonCodec, naming what the SDP had: nothing is sent
//        rather than an SDP without audio.
//  - In an answer (`offer` given), a payload our answer lists is kept only if
//    the offer's `m=` at the same index lists the same codec (encoding name
//    and clock rate, or the same static type): RFC 3264 §6.1, "the answerer
//    MUST NOT" list formats the offer did not, and its list order is its own
//    preference, so reordering within that set is allowed.
//  - `audio_kbps` > 0 puts `b=AS:<kbps>` and `b=TIAS:<kbps × 1000>` (RFC 4566
//    §5.8, RFC 3890 §6.2: TIAS is in bit/s) into every live `m=audio`,
//    replacing any `b=AS`/`b=TIAS` there, after its `i=`/`c=` lines (§5: the
//    order is i, c, b, k, a). In our SDP it is what we ask the peer to send
//    us at most.
//  - `reject_video` (answers only): every live `m=video` gets port 0 (RFC
//    3264 §6: "To reject an offered stream, the port number in the
//    corresponding stream in the answer MUST be set to zero") and its mid
//    leaves `a=group:BUNDLE` (RFC 8843 §7.3.3: the answerer "MUST NOT
//    include" a rejected m= section's tag). Why the core: a browser whose
//    video transceiver is stopped while it answers writes the m-line live
//    and `inactive` (Chromium 156), so answer({ video: false }) and
//    `acceptVideo: false` would not refuse on the wire.
//  - Errors (nothing is rewritten): the parse errors of `parse()` for `sdp`
//    or `offer`, and NoCommonCodec.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/sdp/sdp_error.hpp"
#include "core/util/result.hpp"

namespace wwp::sdp {

struct MediaPrefs {
  /// Encoding names in preference order; empty = no preference. A last "*"
  /// keeps the codecs not named.
  std::vector<std::string> audio;
  /// As `audio`, for every live `m=video` (README "Video and screen share").
  std::vector<std::string> video;
  /// `b=AS` for `m=audio`, kbit/s; 0 = none.
  std::uint32_t audio_kbps = 0;

  bool empty() const { return audio.empty() && video.empty() && audio_kbps == 0; }
};

/// Why `list` is not a valid codec list, or "" if it is: every entry an RFC
/// 4566 token (the encoding-name syntax, RFC 4855 §3), "*" only last, and at
/// least one entry.
std::string check_codec_list(const std::vector<std::string>& list);

/// Our SDP with `prefs` applied (see the contract above). `offer`: the remote
/// offer when `sdp` is our answer to it, else empty.
Result<std::string, SdpError> rewrite_local(std::string_view sdp, const MediaPrefs& prefs,
                                            std::string_view offer = {}, bool reject_video = false);

}  // namespace wwp::sdp
