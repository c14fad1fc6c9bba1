// SIP message objects as ringcentral-web-phone exposes them (spec §2.10):
// `subject` (start line), `headers` (wire-case keys, insertion order), `body`,
// `getHeader()` (case-insensitive, first match), `toString()`.
// They are built from the wasm core's structured output: the shim never
// parses SIP text.
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

  getHeader(name: string): string | undefined {
    const lower = name.toLowerCase();
    for (const [n, v] of this.headerList) if (n.toLowerCase() === lower) return v;
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
