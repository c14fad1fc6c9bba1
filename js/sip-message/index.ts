// SIP message objects as ringcentral-web-phone exposes them (spec §2.10):
// `subject` (start line), `headers` (wire-case keys, insertion order), `body`,
// `getHeader()` (case-insensitive, first match), `toString()`.
// They are read lazily from the wasm core's description of a message (the
// text plus offsets, js/core/wire-message.ts; fromString too): the shim never
// parses SIP text.
import { loadedCore } from '../core/loader.js';
import { longName, longNameCached } from './header-names.js';
import type { WireMessage } from '../core/wire-message.js';

/**
 * Whether `headers` differs from the view `lines` gives (the first value per
 * name, the same names), without allocating: a message has a few dozen lines
 * at most, so the quadratic first-of-name test is cheaper than a Set.
 */
function edited(headers: Record<string, string>, lines: [string, string][]): boolean {
  let names = 0;
  for (let i = 0; i < lines.length; i++) {
    const name = lines[i][0];
    let first = true;
    for (let j = 0; j < i; j++) {
      if (lines[j][0] === name) {
        first = false;
        break;
      }
    }
    if (!first) continue;
    names++;
    if (headers[name] !== lines[i][1] || !Object.prototype.hasOwnProperty.call(headers, name)) return true;
  }
  let keys = 0;
  for (const name in headers) if (Object.prototype.hasOwnProperty.call(headers, name)) keys++;
  return keys !== names;
}

export default class SipMessage {
  direction: 'inbound' | 'outbound' | undefined;
  /** @internal The core's description this message reads from lazily (see fromCore). */
  protected _wire: WireMessage | undefined;
  private _subject: string | undefined;
  protected _headers: Record<string, string> | undefined;
  private _body: string | undefined;
  protected _headerList: [string, string][] | undefined;
  private text: string | undefined;

  constructor(subject = '', headers: Record<string, string> = {}, body = '') {
    this._subject = subject;
    // Object.assign, not a spread: V8 gives a spread copy a shape that makes
    // every header added later (Content-Length, CSeq, …) cost ~1 µs.
    this._headers = Object.assign({}, headers);
    this._body = body;
    this._headerList = undefined; // built from `headers` when first read
    this.direction = undefined;
  }

  /** Start line, e.g. `INVITE sip:101@example.com SIP/2.0` or `SIP/2.0 200 OK`. */
  get subject(): string {
    return (this._subject ??= this._wire!.subject);
  }
  set subject(value: string) {
    this._subject = value;
    this.text = undefined;
  }
  /** First value per header name as spelled on the wire (editable). */
  get headers(): Record<string, string> {
    if (this._headers === undefined) {
      const headers: Record<string, string> = {};
      // `headers` keeps the first value per exact spelling, as `getHeader` does.
      for (const [name, value] of this.headerList) if (!(name in headers)) headers[name] = value;
      this._headers = headers;
    }
    return this._headers;
  }
  set headers(value: Record<string, string>) {
    this._headers = value;
    this.text = undefined;
  }
  get body(): string {
    return (this._body ??= this._wire!.body);
  }
  set body(value: string) {
    this._body = value;
    this.text = undefined;
  }
  /** Every header line in wire order, repeated names included (Via stack). */
  get headerList(): [string, string][] {
    return (this._headerList ??= this._wire ? this._wire.headerList() : Object.entries(this.headers));
  }
  set headerList(value: [string, string][]) {
    this._headerList = value;
    this.text = undefined;
  }

  /**
   * Brings `headerList` in line with `headers` after app edits (`headers` is
   * the editable view, as in the original, where getHeader and toString read
   * it): the first line of each name takes the `headers` value, names deleted
   * from `headers` go, new names are appended, and the wire text toString()
   * returned is dropped. `check` sees every line taken from `headers`.
   * Nothing to do while `headers` of a message from the core was never read.
   */
  protected syncHeaderList(check?: (name: string, value: string) => void): void {
    if (this._wire && this._headers === undefined) return;
    const headers = this.headers;
    if (this._headerList === undefined && !this._wire) {
      // Built by the app and no line list yet: it is `headers` as it is now.
      const list = Object.entries(headers);
      if (check) for (const [name, value] of list) check(name, value);
      this._headerList = list;
      return;
    }
    // Read but not edited (the common case: a listener that reads
    // `headers`, then getHeader() or toString()): nothing to build.
    if (!edited(headers, this.headerList)) return;
    const seen = new Set<string>();
    const list: [string, string][] = [];
    let changed = false;
    for (const [name, value] of this.headerList) {
      if (!Object.prototype.hasOwnProperty.call(headers, name)) {
        changed = true;
        continue;
      }
      const v = seen.has(name) ? value : headers[name];
      if (v !== value) {
        check?.(name, v);
        changed = true;
      }
      seen.add(name);
      list.push([name, v]);
    }
    for (const name of Object.keys(headers)) {
      if (seen.has(name)) continue;
      check?.(name, headers[name]);
      list.push([name, headers[name]]);
      changed = true;
    }
    if (changed) this.headerList = list;
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
    const m = SipMessage.fromCore.call(this, r.message) as T;
    // no cached text: an app that parses a message usually edits it next
    m.text = undefined;
    return m;
  }

  /**
   * @internal A message read lazily from the core's description: nothing is
   * cut from the text until a property is read, and no constructor runs.
   */
  static fromCore<T extends SipMessage>(this: new () => T, wire: WireMessage): T {
    const msg = Object.create(this.prototype) as T;
    msg.direction = (this as unknown as { wireDirection?: 'inbound' | 'outbound' }).wireDirection;
    msg._wire = wire;
    msg.text = wire.text;
    return msg;
  }

  /** First value of a header: case-insensitive, compact forms included (`i` is `Call-ID`). */
  getHeader(name: string): string | undefined {
    this.syncHeaderList();
    const want = longNameCached(name);
    // Not materialised (so not edited): ask the core's table.
    if (this._headerList === undefined && this._wire) return this._wire.get(want, longName);
    for (const [n, v] of this.headerList) if (longName(n) === want) return v;
    return undefined;
  }

  get shortString(): string {
    return `${this.direction} - ${this.subject}`;
  }

  toString(): string {
    this.syncHeaderList();
    if (this.text !== undefined) return this.text;
    const lines = [this.subject, ...this.headerList.map(([n, v]) => `${n}: ${v}`)];
    return lines.join('\r\n') + '\r\n\r\n' + this.body;
  }
}
