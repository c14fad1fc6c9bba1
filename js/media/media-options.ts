// `codecPreferences`, `bandwidth` and `sdpHandlers` (README "Codecs,
// bandwidth and SDP hooks"). The SDP rewriting itself is the core's
// (core/sdp/codec_prefs.hpp); this file checks the options, orders the
// browser's codec capability list for RTCRtpTransceiver.setCodecPreferences
// (an API call, no SDP text), and runs the app's own hooks.

/** Encoding names (rtpmap), preferred first; a last `'*'` keeps the codecs not named. */
export interface CodecPreferences {
  audio?: string[];
  /** For `m=video` (README "Video and screen share"). */
  video?: string[];
}

/** Bandwidth limits, kbit/s: `b=AS` and `b=TIAS` (RFC 3890) in our `m=audio`, and our sender's maxBitrate. */
export interface BandwidthOptions {
  audio?: number;
}

/**
 * An app's SDP hook (as Ribbon's and SIP.js's modifiers): gets the SDP and
 * returns it, changed or not. Local SDP: after the core's rewriting, just
 * before it is sent. Remote SDP: before the browser is given it.
 */
export type SdpHandler = (sdp: string, kind: 'offer' | 'answer', direction: 'local' | 'remote') => string;

export interface MediaSettings {
  audio: string[];
  video: string[];
  audioKbps: number;
  handlers: SdpHandler[];
}

/** What the core's args table holds per list (wasm/abi.cpp wwp_set_media_prefs). */
const MAX_NAMES = 15;
const TOKEN = /^[A-Za-z0-9!#$%&'+\-.^_`{|}~]+$/;

function codecList(list: unknown, where: string): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${where} must be a non-empty array of codec names`);
  if (list.length > MAX_NAMES) throw new Error(`${where} may name at most ${MAX_NAMES} codecs`);
  list.forEach((n, i) => {
    if (n === '*' && i === list.length - 1) return;
    if (n === '*') throw new Error(`${where}: '*' may only be the last entry`);
    if (typeof n !== 'string' || !TOKEN.test(n))
      throw new Error(`${where}: ${JSON.stringify(n)} is not a codec name (an rtpmap encoding name such as 'opus' or 'PCMU')`);
  });
  return [...list] as string[];
}

/** The checked options; throws a clear error for a bad one (at `new WebPhone()`). */
export function mediaSettings(o: { codecPreferences?: CodecPreferences; bandwidth?: BandwidthOptions; sdpHandlers?: SdpHandler[] }): MediaSettings {
  const prefs = o.codecPreferences;
  if (prefs !== undefined && (prefs === null || typeof prefs !== 'object')) throw new Error('codecPreferences must be an object');
  for (const k of Object.keys(prefs ?? {}))
    if (k !== 'audio' && k !== 'video') throw new Error(`codecPreferences.${k} is not an option (audio, video)`);
  const bw = o.bandwidth;
  if (bw !== undefined && (bw === null || typeof bw !== 'object')) throw new Error('bandwidth must be an object');
  for (const k of Object.keys(bw ?? {})) if (k !== 'audio') throw new Error(`bandwidth.${k} is not an option (audio)`);
  const kbps = bw?.audio ?? 0;
  if (typeof kbps !== 'number' || !Number.isInteger(kbps) || kbps < 0 || kbps > 1_000_000)
    throw new Error(`bandwidth.audio must be a whole number of kbit/s (0 = no limit), got ${String(kbps)}`);
  const handlers = o.sdpHandlers ?? [];
  if (!Array.isArray(handlers) || handlers.some((h) => typeof h !== 'function'))
    throw new Error('sdpHandlers must be an array of functions (sdp, kind, direction) => sdp');
  return {
    audio: codecList(prefs?.audio, 'codecPreferences.audio'),
    video: codecList(prefs?.video, 'codecPreferences.video'),
    audioKbps: kbps,
    handlers: [...handlers],
  };
}

/** The app's hooks over `sdp`, in order; a hook that throws or returns no string rejects with why. */
export function runSdpHandlers(handlers: SdpHandler[], sdp: string, kind: 'offer' | 'answer', direction: 'local' | 'remote'): string {
  handlers.forEach((handler, i) => {
    let out: unknown;
    try {
      out = handler(sdp, kind, direction);
    } catch (e) {
      throw new Error(`sdpHandlers[${i}] threw on the ${direction} ${kind}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (typeof out !== 'string') throw new Error(`sdpHandlers[${i}] returned ${typeof out} for the ${direction} ${kind}, not an SDP string`);
    sdp = out;
  });
  return sdp;
}

const HELPERS = ['telephone-event', 'rtx', 'red', 'cn', 'ulpfec', 'flexfec-03'];

/**
 * The browser's own codec capabilities in the preferred order, for
 * setCodecPreferences: the named ones first, then helpers (and, with '*', the
 * rest) in the browser's order. The core applies the same rule to the SDP
 * text, so where this call is missing the wire still says the same.
 */
export function orderCodecs<C extends { mimeType: string }>(caps: C[], list: string[]): C[] {
  const name = (c: C) => c.mimeType.slice(c.mimeType.indexOf('/') + 1).toLowerCase();
  const wanted = list.filter((n) => n !== '*').map((n) => n.toLowerCase());
  const named = wanted.flatMap((n) => caps.filter((c) => name(c) === n));
  if (!named.length && list[list.length - 1] !== '*') return [];
  const rest = caps.filter((c) => !wanted.includes(name(c)) && (list[list.length - 1] === '*' || HELPERS.includes(name(c))));
  return [...named, ...rest];
}
