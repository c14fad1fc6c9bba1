// SIP message objects as ringcentral-web-phone exposes them (spec §2.10):
// `subject` (start line), `headers` (wire-case keys, insertion order), `body`,
// `getHeader()` (case-insensitive, first match), `toString()`.
// They are built from the wasm core's structured output (fromString too):
// the shim never parses SIP text.
import { loadedCore } from '../core/loader.js';
import { longName } from './header-names.js';

export default class SipMessage {
  subject: string;
  headers: Record<string, string>;
  body: string;
  direction: 'inbound' | 'outbound' | undefined;
  /** Every header line in wire order, repeated names included (Via stack). */
  headerList: [string, string][];
  private text: string | undefined;

  constructor(subject = '', headers: Record<string, string> = {}, body = '') {
    this.subject = subject;
    this.headers = { ...headers };
    this.body = body;
    this.headerList = Object.entries(this.headers);
    this.direction = undefined;
  }

  /**
   * Parse SIP text with the wasm core's parser (spec §2.10 `fromString`). It
   * works once the core is loaded (`loadCore()` from `wasm-web-phone/core/loader`,
   * or any `webPhone.start()`) and throws a clear Error for malformed text.
   * Unlike the original, repeated headers (the Via stack), compact forms and
   * folding are read per RFC 3261 §7.3, and no To tag is invented.
   */
  static fromString<T extends SipMessage>(this: new () => T, text: string): T {
    const core = loadedCore();
    if (!core) throw new Error('fromString needs the wasm SIP core: await loadCore() or webPhone.start() first');
    const r = core.parseMessage(text);
    if (!r.ok) throw new Error(`fromString: ${r.message}`);
    const m = SipMessage.fromCore.call(this, r) as T;
    // no cached text: an app that parses a message usually edits it next
    (m as unknown as { text: string | undefined }).text = undefined;
    return m;
  }

  /** @internal Build from the core's `{subject, headers:[[n,v]…], body, text}`. */
  static fromCore<T extends SipMessage>(
    this: new () => T,
    m: { subject: string; headers: [string, string][]; body: string; text: string },
  ): T {
    const msg = new this();
    msg.subject = m.subject;
    msg.headerList = m.headers;
    msg.headers = {};
    // `headers` keeps the first value per exact spelling, as `getHeader` does.
    for (const [name, value] of m.headers) if (!(name in msg.headers)) msg.headers[name] = value;
    msg.body = m.body;
    msg.text = m.text;
    return msg;
  }

  /** First value of a header: case-insensitive, compact forms included (`i` is `Call-ID`). */
  getHeader(name: string): string | undefined {
    const want = longName(name);
    for (const [n, v] of this.headerList) if (longName(n) === want) return v;
    return undefined;
  }

  get shortString(): string {
    return `${this.direction} - ${this.subject}`;
  }

  toString(): string {
    if (this.text !== undefined) return this.text;
    const lines = [this.subject, ...this.headerList.map(([n, v]) => `${n}: ${v}`)];
    return lines.join('\r\n') + '\r\n\r\n' + this.body;
  }
}
