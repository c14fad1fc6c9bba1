import { utf8Length } from '../../core/utf8-length.js';
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
    this.syncHeaderList(checkHeader);
    return super.toString();
  }
}
