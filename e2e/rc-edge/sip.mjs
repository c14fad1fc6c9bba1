// @ts-check
/**
 * Small, forgiving SIP message parser/serializer for the rc-edge emulator.
 *
 * Robustness rules (this is a test server: it must never throw on input it
 * did not expect):
 *  - CRLF or bare LF line endings, header folding (continuation lines),
 *  - any header-name casing, compact forms (i, f, t, v, m, l, c, ...),
 *  - repeated headers (kept in order; `get` returns the first),
 *  - `Name:value` with or without the space after the colon,
 *  - Content-Length is honoured when present and sane, otherwise the rest of
 *    the frame is the body (one SIP message per WebSocket frame).
 * @module rc-edge/sip
 */
import crypto from 'node:crypto';

/** Compact header forms (RFC 3261 §7.3.3 and friends) → canonical lower-case name. */
export const COMPACT = {
  i: 'call-id', f: 'from', t: 'to', v: 'via', m: 'contact', l: 'content-length',
  c: 'content-type', k: 'supported', e: 'content-encoding', s: 'subject',
  o: 'event', r: 'refer-to', b: 'referred-by', x: 'session-expires', u: 'allow-events',
  a: 'accept-contact', j: 'reject-contact', d: 'request-disposition', y: 'identity',
};

/**
 * @typedef {Object} SipHeader
 * @property {string} name  name as seen on the wire
 * @property {string} key   canonical lower-case long form (compact forms expanded)
 * @property {string} value trimmed value
 */

/** A parsed SIP message (request or response). */
export class SipMessage {
  constructor() {
    /** @type {boolean} */ this.isRequest = false;
    /** @type {string} */ this.method = '';
    /** @type {string} */ this.uri = '';
    /** @type {number} */ this.status = 0;
    /** @type {string} */ this.reason = '';
    /** @type {string} */ this.startLine = '';
    /** @type {SipHeader[]} */ this.headers = [];
    /** @type {string} */ this.body = '';
  }
  /**
   * First value of a header, case-insensitive, compact forms understood.
   * @param {string} name
   * @returns {string|undefined}
   */
  get(name) {
    const k = canonicalKey(name);
    return this.headers.find((h) => h.key === k)?.value;
  }
  /** All values of a header (repeated lines and comma lists are NOT split). @param {string} name */
  getAll(name) {
    const k = canonicalKey(name);
    return this.headers.filter((h) => h.key === k).map((h) => h.value);
  }
  /** Wire spelling of the first occurrence of a header. @param {string} name */
  wireName(name) {
    const k = canonicalKey(name);
    return this.headers.find((h) => h.key === k)?.name;
  }
  get callId() { return this.get('call-id') ?? ''; }
  /** CSeq number (NaN if missing/garbled). */
  get cseqNum() { return Number.parseInt((this.get('cseq') ?? '').trim().split(/\s+/)[0], 10); }
  /** CSeq method, upper-case. */
  get cseqMethod() { return ((this.get('cseq') ?? '').trim().split(/\s+/)[1] ?? '').toUpperCase(); }
}

/** @param {string} name */
export function canonicalKey(name) {
  const n = name.trim().toLowerCase();
  return COMPACT[n] ?? n;
}

/**
 * Parse one SIP message. Throws `SipParseError` for text that is not SIP at all.
 * @param {string} text
 * @returns {SipMessage}
 */
export function parse(text) {
  if (typeof text !== 'string') throw new SipParseError('not text');
  // Skip leading CRLF keep-alives.
  const src = text.replace(/^(\r?\n)+/, '');
  if (!src) throw new SipParseError('empty frame');
  let sep = src.indexOf('\r\n\r\n');
  let sepLen = 4;
  const lfSep = src.indexOf('\n\n');
  if (sep < 0 || (lfSep >= 0 && lfSep < sep)) { sep = lfSep; sepLen = 2; }
  const head = sep < 0 ? src : src.slice(0, sep);
  let body = sep < 0 ? '' : src.slice(sep + sepLen);
  const lines = head.split(/\r?\n/);
  const msg = new SipMessage();
  msg.startLine = (lines.shift() ?? '').trim();
  let m = /^SIP\/2\.0\s+(\d{3})(?:\s+(.*))?$/i.exec(msg.startLine);
  if (m) {
    msg.status = Number(m[1]);
    msg.reason = m[2] ?? '';
  } else if ((m = /^([A-Za-z][A-Za-z0-9._!%*+`'~-]*)\s+(\S+)\s+SIP\/2\.0$/i.exec(msg.startLine))) {
    msg.isRequest = true;
    msg.method = m[1].toUpperCase();
    msg.uri = m[2];
  } else {
    throw new SipParseError(`bad start line: ${JSON.stringify(msg.startLine.slice(0, 80))}`);
  }
  /** @type {string[]} */ const unfolded = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && unfolded.length) unfolded[unfolded.length - 1] += ' ' + line.trim();
    else if (line.length) unfolded.push(line);
  }
  for (const line of unfolded) {
    const c = line.indexOf(':');
    if (c <= 0) { msg.headers.push({ name: line.trim(), key: '_malformed', value: '' }); continue; }
    const name = line.slice(0, c).trim();
    msg.headers.push({ name, key: canonicalKey(name), value: line.slice(c + 1).trim() });
  }
  const cl = msg.get('content-length');
  if (cl !== undefined && /^\d+$/.test(cl)) {
    const n = Number(cl);
    // Content-Length counts bytes; the RC SDK writes UTF-16 units. Only trim
    // when the declared length is shorter than what arrived (never pad).
    const bytes = Buffer.from(body, 'utf8');
    if (n < bytes.length) body = bytes.subarray(0, n).toString('utf8');
  }
  msg.body = body;
  return msg;
}

export class SipParseError extends Error {}

/**
 * Serialize a message. `headers` is an ordered list of [name, value]; the
 * Content-Length header is computed here (bytes) and appended last.
 * @param {string} startLine
 * @param {Array<[string, string|number|undefined]>} headers
 * @param {string} [body]
 */
export function serialize(startLine, headers, body = '') {
  const out = [startLine];
  for (const [k, v] of headers) if (v !== undefined && v !== null && k.toLowerCase() !== 'content-length') out.push(`${k}: ${v}`);
  out.push(`Content-Length: ${Buffer.byteLength(body, 'utf8')}`);
  return out.join('\r\n') + '\r\n\r\n' + body;
}

/**
 * An SDP as the edge sends it: the other browser's, except that a media
 * stream id of `-` (`a=msid:- <track>`, "no stream", RFC 8830 §2; Chromium
 * writes it for a track added without a stream, as ringcentral-web-phone
 * 2.x does) gets a stream id. RingCentral anchors media, so a phone never
 * sees another browser's SDP; the SDK plays the peer's `event.streams[0]`,
 * which `-` leaves empty, and the spec (§6.1 step 5) asks an emulator to
 * name a stream. Other SDP passes through unchanged.
 * @param {string} sdp
 */
export function withStreamId(sdp) {
  return sdp.replace(/^(a=msid:|a=ssrc:\d+ msid:)- /gm, '$1rc-edge ');
}

/** Standard reason phrases used by the emulator. */
export const REASONS = {
  100: 'Trying', 180: 'Ringing', 183: 'Session Progress', 200: 'OK', 202: 'Accepted',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 407: 'Proxy Authentication Required', 408: 'Request Timeout',
  480: 'Temporarily Unavailable', 481: 'Call/Transaction Does Not Exist', 486: 'Busy Here',
  487: 'Request Terminated', 488: 'Not Acceptable Here', 500: 'Server Internal Error',
  501: 'Not Implemented', 503: 'Service Unavailable', 603: 'Too Many Contacts',
};

// ---------------------------------------------------------------- helpers

/** URI inside angle brackets, or the bare URI before any `;param`. @param {string|undefined} v */
export function uriOf(v) {
  if (!v) return '';
  const m = /<([^>]*)>/.exec(v);
  if (m) return m[1];
  return v.trim().split(';')[0].trim();
}
/** User part of a SIP URI / name-addr (`sip:user@host` → `user`). @param {string|undefined} v */
export function userOf(v) {
  const u = uriOf(v).replace(/^sips?:/i, '');
  const at = u.indexOf('@');
  return decodeURIComponent(at >= 0 ? u.slice(0, at) : u.split(';')[0]);
}
/** `tag` parameter of a From/To value (outside the angle brackets). @param {string|undefined} v */
export function tagOf(v) {
  if (!v) return undefined;
  const rest = v.includes('>') ? v.slice(v.lastIndexOf('>') + 1) : v;
  return /;\s*tag=([^;\s]+)/i.exec(rest)?.[1];
}
/** Parse `key=value` / `key="value"` comma-separated auth params. @param {string} v */
export function parseAuth(v) {
  /** @type {Record<string,string>} */ const out = {};
  const s = v.replace(/^\s*Digest\s+/i, '');
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  let m;
  while ((m = re.exec(s))) out[m[1].toLowerCase()] = m[2] ?? m[3] ?? '';
  return out;
}
/** @param {string} s */
export const md5 = (s) => crypto.createHash('md5').update(s, 'utf8').digest('hex');
/** Random lower-case hex string. @param {number} n */
export const hex = (n) => crypto.randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);
/** Random decimal digits. @param {number} n */
export const digits = (n) => Array.from(crypto.randomBytes(n), (b) => String(b % 10)).join('').replace(/^0/, '1');
/** RC-style nonce (32 chars of base64). */
export const nonce = () => crypto.randomBytes(24).toString('base64').replace(/\+/g, 'x').slice(0, 32);
/** `{GUID}` upper-case. */
export const guid = () => `{${crypto.randomUUID().toUpperCase()}}`;

/**
 * Verify a Digest response as the RC SDK computes it (§4.4): realm and uri are
 * taken from the Authorization header itself, no qop.
 * @param {Record<string,string>} p parsed auth params
 * @param {string} method
 * @param {string} password
 */
export function digestOk(p, method, password) {
  if (!p.username || !p.nonce || !p.response) return false;
  const ha1 = md5(`${p.username}:${p.realm ?? ''}:${password}`);
  const ha2 = md5(`${method}:${p.uri ?? ''}`);
  const expected = p.qop
    ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`)
    : md5(`${ha1}:${p.nonce}:${ha2}`);
  return expected === p.response.toLowerCase();
}

// ---------------------------------------------------------------- RC XML

/** @param {string} s */
const xmlEsc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
/** @param {string} s */
const xmlUnesc = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, d) => String.fromCharCode(Number(d))).replace(/&amp;/g, '&');

/**
 * Build `<Msg><Hdr …/><Bdy …/></Msg>` (attribute order = key order).
 * @param {Record<string,string|number>} hdr
 * @param {Record<string,string|number>} bdy
 */
export function rcXml(hdr, bdy) {
  const attrs = (o) => Object.entries(o).map(([k, v]) => ` ${k}="${xmlEsc(String(v))}"`).join('');
  return `<Msg><Hdr${attrs(hdr)}/><Bdy${attrs(bdy)}/></Msg>`;
}

/**
 * Parse RC XML; returns null if it is not `<Msg><Hdr/><Bdy/></Msg>`.
 * @param {string} xml
 * @returns {{hdr: Record<string,string>, bdy: Record<string,string>}|null}
 */
export function parseRcXml(xml) {
  if (typeof xml !== 'string') return null;
  const s = xml.replace(/^P-rc:\s*/i, '');
  const el = (tag) => {
    const m = new RegExp(`<${tag}((?:\\s+[A-Za-z_][\\w.-]*\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*/?>`).exec(s);
    if (!m) return null;
    /** @type {Record<string,string>} */ const o = {};
    const re = /([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
    let a;
    while ((a = re.exec(m[1]))) o[a[1]] = xmlUnesc(a[2] ?? a[3] ?? '');
    return o;
  };
  if (!/<Msg[\s>]/.test(s)) return null;
  const hdr = el('Hdr');
  if (!hdr) return null;
  return { hdr, bdy: el('Bdy') ?? {} };
}
