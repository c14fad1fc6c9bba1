#!/bin/bash
# Size budgets (house style §18): what a web page downloads, gzip -9. Raising a
# budget is a decision to make in review, with the reason in the commit.
set -uo pipefail
cd "$(dirname "$0")/.."
WASM_GZ_BUDGET=${WASM_GZ_BUDGET:-147400}   # dist/sip-core.wasm (147,306 B after the receive-path work of issue 11 (147,316 B as benchmarked; one shared scan::decimal since): one sized write per serialised message, transaction keys filled in place, dialog IDs from the From/To tags read in place (tag_view, scan_params), +757 B for about 1.1-1.4x on received frames (bench/receive-path.mjs); 146,559 B before; 146,273 B on the merged main: issue 15 item 1 early media, forked early dialogs (core/call/call_early.cpp, DialogSet::end_forks) and the callee's 183 (Call::answer early), +587 B measured on its branch; 145,762 B when raised by the +697 B measured: issue 15 item 2 video, the 'video' field of four call events (core/sdp live_direction) and the rejection of an answer's m=video with port 0 and out of BUNDLE (codec_prefs.cpp reject, wwp_rewrite_sdp's flag); 145,065 B before, built on 2ac6db5; 145,500 B budget set at 145,003 B: issue 15 item 3 DTMF by SIP INFO both ways (core/call/dtmf_info.cpp parser, call_dtmf.cpp one-INFO-at-a-time queue, the DtmfReceived event in every event path), +2,981 B; 142,022 B before: issue 15 item 4 codec preferences and b=AS/b=TIAS on our SDP (core/sdp/codec_prefs.cpp, wwp_set_media_prefs, wwp_rewrite_sdp), +4,033 B over the figure below, measured on the merged main; 137,989 B before: issue 16 added instant messages, the RFC 6665 subscription and RFC 3903 publication machines, PIDF/dialog-info reading and PIDF writing with pugixml, NOTIFY routing, session timers (RFC 4028) and their ABI events and commands, ~19.5 KB for the usages and pres, ~3.4 KB for session timers; 114,844 B before: the rest of issue 18, quote() escaping controls, folds in quoted-strings and token display names read as one SP, an unwanted 2xx retransmission ACKed without a second BYE (~600 B); 114,250 B before, when issue 18 added the parser audit, the §8.2 request checks and replies to malformed requests (~1.5 KB) and the call machine loose ends (~1.3 KB); 111,532 B when set before that; 103,860 B before issue 13 added export/import of the UA state (~7.7 KB: JSON writing and checked reading of the state, dialog/call adoption); 103,567 B when set before that; 98,843 B before issue 12 added the flow supervisor (~3.2 KB) and classified registration errors with bindings (~1.5 KB). Size work so far: emmalloc, no RTTI/exceptions, our own strtod/snprintf for nlohmann, no static destructors, packed reason table, second wasm-opt pass)
IIFE_GZ_BUDGET=${IIFE_GZ_BUDGET:-27000}    # dist/iife/wasm-web-phone.js (26,945 B with ice.hostGrace: with no STUN or TURN server the SDP leaves 50 ms after the first UDP host candidate instead of after Chromium's TCP ones ~100 ms later, call() to answered 0.99 -> 0.63 of the original on loopback Kamailio, +73 B; 26,845 B after the cold-start fixes (devicechange listened to only for devicesChanged, the IIFE's wasm URL without a throw, the seed taken in the constructor), multi-tab progress()/earlyMedia and the takeover's video m-line, +148 B; 26,677 B on the merged main: issue 15 item 1 early media, the pranswer and the progress event of outbound calls, inbound progress(), +280 B measured on its branch; 26,402 B when raised by the +1,852 B measured: issue 15 item 2 video and screen share: js/media/video.ts (camera, video transceiver, replaceTrack, rollback), js/call-session/call-video.ts (addVideo/removeVideo, screen share and its end, videoChanged), the session's video properties and methods, call()/answer() options, setCodecPreferences per kind; 24,550 B before, built on 2ac6db5; 24,700 B budget set at 24,539 B: issue 15 item 3 the dtmf event, sendDtmf by INFO and the dtmfTransport option, +0.3 KB; 24,211 B before: issue 15 item 4 codecPreferences/bandwidth/sdpHandlers option checks, the hooks runner, setCodecPreferences ordering and maxBitrate; 23,043 B before: issue 15 item 5 devices that come and go: DeviceError (NotSupported/NotFound/NotAllowed) for output devices, devicechange fallbacks for the input and output in use, the phone's devicesChanged, the ringer option hook (the Ringer itself is the add-on below), +0.64 KB; 22,402 B before: issue 16 sendMessage/subscribePresence/subscribeDialog/publishPresence (js/usages: Subscription, MessageError, the events into promises and lamps), the callHistory hook, sessionTimers option checks, +2.2 KB; 20,139 B before: issue 15 an unplugged microphone falls back to another input (deviceLost/deviceSwitched), +0.3 KB; 19,847 B before: reInvite() offers afresh when the peer's re-INVITE superseded ours (RFC 3261 §14.1), unhold() through the browser after it negotiated sendonly, ICE gathering that ends before its first candidate event, +0.35 KB; 19,497 B when set before: issue 18 sendDtmf says why it cannot send, the stream named in our SDP, CallQuality split out, +0.4 KB; 18,940 B before: issue 14 diagnostics bundle and SIP trace ring, +0.8 KB; 18,151 B before: issue 14 ICE options and the redacting logger, +1.2 KB; 16,951 B before: issue 14 call quality, +2.5 KB: the stats report (its field names do not minify), E-model MOS, media watchdog, monitor and option checks; 14,388 B when set before that: multi-tab takeover hooks in the client and sessions, adopt/abandon/export; 14,101 B before; 13,864 B with autoRecover, RegistrationError and the script-tag preload; 12,465 B before those)
# The call history script-tag add-on (README "Call history"; 2,373 B when set): CallHistory, its
# memory and IndexedDB stores. A file of its own so that the main script pays only for the
# WebPhone option (+70 B).
HISTORY_GZ_BUDGET=${HISTORY_GZ_BUDGET:-2600}  # dist/iife/wasm-web-phone-call-history.js
# The ringer script-tag add-on (README "Devices"; 1,205 B when set): WebPhone.Ringer with its own copy
# of the EventEmitter and setSink. Its own file for the same reason.
RINGER_GZ_BUDGET=${RINGER_GZ_BUDGET:-1300}  # dist/iife/wasm-web-phone-ringer.js
rc=0
check() { # file budget
  [ -f "$1" ] || { echo "size: $1 missing (run scripts/build.sh)"; rc=1; return; }
  local raw gz
  raw=$(stat -c %s "$1"); gz=$(gzip -9c "$1" | wc -c)
  if [ "$gz" -le "$2" ]; then echo "size: $1 ${raw} B, gzip -9 ${gz} B (budget ${2} B) ok"
  else echo "size: $1 gzip -9 ${gz} B is over its budget of ${2} B"; rc=1; fi
}
check dist/sip-core.wasm "$WASM_GZ_BUDGET"
check dist/iife/wasm-web-phone.js "$IIFE_GZ_BUDGET"
check dist/iife/wasm-web-phone-call-history.js "$HISTORY_GZ_BUDGET"
check dist/iife/wasm-web-phone-ringer.js "$RINGER_GZ_BUDGET"
# The test kit (dist/testing, Node only) must add nothing to what a browser
# loads: no kit module among the inputs of the browser builds' metafile, and
# none of its code (the test server, ws) in the bundles or per-file modules.
kit() {
  [ -f build/esm-meta.json ] || { echo "size: build/esm-meta.json missing (run scripts/build.sh)"; return 1; }
  local inputs found
  inputs=$(node -e 'const m=require("./build/esm-meta.json"); console.log(Object.keys(m.inputs).filter((f) => f.startsWith("js/testing/") || f.startsWith("e2e/") || f.includes("node_modules/ws/")).join(" "))')
  found=$(grep -rlE 'WebSocketServer|startTestServer|wasm-web-phone-test-server|__wwpKitPeerConnections' dist/iife dist/es dist/cjs 2>/dev/null)
  if [ -n "$inputs$found" ]; then echo "size: test kit code reached the browser builds: ${inputs} ${found}"; return 1; fi
  echo "size: the browser builds hold no test kit code ($(du -sk dist/testing | cut -f1) KB of it in dist/testing, Node only)"
}
kit || rc=1
exit $rc
