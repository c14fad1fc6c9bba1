import SipMessage from '../index.js';

// What the core puts in User-Agent by default (core/ua/config.hpp), so that
// messages built here look like the ones the SDK sends.
const USER_AGENT = 'wasm-web-phone';

// RFC 3261 §25.1: field-name = token.
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** CR, LF or NUL in `v` (a header value or start line that would not stay one line). */
function breaksLine(v: string): boolean {
  return v.indexOf('\r') !== -1 || v.indexOf('\n') !== -1 || v.indexOf('\0') !== -1;
}

/** Bytes of `s` in UTF-8 (what Content-Length counts, RFC 3261 §20.14), without encoding it. */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 2 units, 4 bytes
      i++;
    } else n += 2; // 3 bytes (a lone surrogate is encoded as U+FFFD, also 3)
  }
  return n;
}

/** Throws on a header that would not stay one header line (header injection). */
function checkHeader(name: string, value: string): void {
  if (!TOKEN.test(name)) throw new Error(`Invalid SIP header name ${JSON.stringify(name)}`);
  if (breaksLine(String(value))) {
    throw new Error(`Invalid value for SIP header ${name}: CR, LF and NUL are not allowed`);
  }
}

/**
 * A message we sent (spec §2.10). Two ways to get one:
 * - from the SDK's `outboundMessage` events (`fromCore`): exactly the bytes the
 *   core sent, nothing added;
 * - built by an app, `new OutboundMessage(subject, headers, body)`, or through
 *   RequestMessage/ResponseMessage: like the original, the body is normalised
 *   (trimmed, line breaks made CRLF, one trailing CRLF) and `Content-Length`,
 *   `User-Agent` and `Max-Forwards: 70` are added. Unlike the original,
 *   `Content-Length` counts UTF-8 bytes (not UTF-16 code units, which is
 *   wrong for non-ASCII bodies) and `User-Agent` is `wasm-web-phone` (not
 *   `ringcentral-web-phone-2`). Header names must be tokens and values may
 *   not contain CR or LF: the constructor and `toString()` throw otherwise.
 *
 * `headers` stays the editable view (first value per spelling) as in the
 * original; `headerList` also keeps repeated lines such as a Via stack, and
 * follows edits made to `headers`.
 */
export default class OutboundMessage extends SipMessage {
  /** @internal `direction` of messages built by `fromCore`. */
  static readonly wireDirection = 'outbound';
  constructor(subject = '', headers: Record<string, string> = {}, body = '') {
    if (breaksLine(subject)) throw new Error('Invalid SIP start line: CR, LF and NUL are not allowed');
    // Spec §3.3: trim, collapse runs of CR/LF into one CRLF, end with CRLF.
    let text = body.trim().split(/[\r\n]+/).join('\r\n');
    if (text.length > 0) text += '\r\n';
    super(subject, headers, text);
    this.direction = 'outbound';
    const h = this.headers;
    for (const name in h) checkHeader(name, h[name]);
    h['Content-Length'] = String(utf8Length(this.body));
    h['User-Agent'] = USER_AGENT;
    h['Max-Forwards'] = '70';
    // `headerList` follows from `headers` when first read (SipMessage).
  }

  /**
   * Brings `headerList` in line with `headers` after app edits: the first line
   * of each name takes the `headers` value, names deleted from `headers` go,
   * new names are appended. Lines taken from `headers` are checked when
   * `validate` is set. A no-op for messages from the core, whose `headers` is
   * derived from `headerList`.
   */
  protected syncHeaderList(validate = false): void {
    // From the core and `headers` never read: nothing can have been edited.
    if (this._wire && this._headers === undefined) return;
    if (this._headerList === undefined && !this._wire) {
      // Built by the app and no line list yet: it is `headers` as it is now,
      // edits since construction included, so check every line.
      const list = Object.entries(this.headers);
      if (validate) for (const [name, value] of list) checkHeader(name, value);
      this._headerList = list;
      return;
    }
    const seen = new Set<string>();
    const list: [string, string][] = [];
    let changed = false;
    for (const [name, value] of this.headerList) {
      if (!Object.prototype.hasOwnProperty.call(this.headers, name)) {
        changed = true;
        continue;
      }
      const v = seen.has(name) ? value : this.headers[name];
      if (v !== value) {
        if (validate) checkHeader(name, v);
        changed = true;
      }
      seen.add(name);
      list.push([name, v]);
    }
    for (const [name, value] of Object.entries(this.headers)) {
      if (seen.has(name)) continue;
      if (validate) checkHeader(name, value);
      list.push([name, value]);
      changed = true;
    }
    if (changed) this.headerList = list;
  }

  getHeader(name: string): string | undefined {
    this.syncHeaderList();
    return super.getHeader(name);
  }

  toString(): string {
    // Built by the app and no line list yet (an app's RequestMessage on its
    // way to request()): the lines are `headers` as it is now, checked and
    // written in one pass, without the entries and lines arrays of the
    // general path (about a fifth of request()'s time).
    if (this._headerList === undefined && !this._wire) {
      const h = this.headers;
      let text = this.subject;
      for (const name of Object.keys(h)) {
        const value = h[name];
        checkHeader(name, value);
        text += `\r\n${name}: ${value}`;
      }
      return `${text}\r\n\r\n${this.body}`;
    }
    this.syncHeaderList(true);
    return super.toString();
  }
}
