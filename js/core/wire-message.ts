// A SIP message as the core described it: the text the shim already holds
// (a received frame, a frame it sent) plus the core's table of where each
// part lies in it (wasm/out_writer.hpp). Nothing is cut from the text until
// someone asks, so a message nobody reads costs one small table copy.
// The shim never parses SIP: every offset here comes from the core.

/** Long lowercase name → the core's HeaderId (read from the module at load). */
let headerIds: Map<string, number> = new Map();

/** @internal Set once by the module loader from the core's own table. */
export function setHeaderIds(names: string[]): void {
  headerIds = new Map();
  names.forEach((name, id) => {
    if (name) headerIds.set(name, id);
  });
}

/** @internal The core's id for a long lowercase header name (0: not one it classifies). */
export function headerIdOf(longLowerName: string): number {
  return headerIds.get(longLowerName) ?? 0;
}

// Table layout (offsets and lengths in UTF-16 units of `text`; a negative
// offset -1-i names extra[i], a value the core stored unfolded):
//   [status, a_off, a_len, b_off, b_len, body_off, body_len, n, (id, name_off, name_len, value_off, value_len) × n]
const N = 7;
const H = 8;

export class WireMessage {
  /** @internal */
  constructor(
    /** The message's text exactly as it crossed the wire. */
    readonly text: string,
    private readonly t: number[],
    private readonly extra: string[] | undefined,
  ) {}

  /** @internal The same message over `text` of the same length (a masked copy for events). */
  withText(text: string): WireMessage {
    return new WireMessage(text, this.t, this.extra);
  }

  private cut(off: number, len: number): string {
    return off >= 0 ? this.text.substring(off, off + len) : this.extra![-1 - off];
  }

  /** 0 for a request. */
  get status(): number {
    return this.t[0];
  }
  get method(): string {
    return this.t[0] === 0 ? this.cut(this.t[1], this.t[2]) : '';
  }
  /** "INVITE sip:a@b SIP/2.0" or "SIP/2.0 200 OK", as the core writes start lines. */
  get subject(): string {
    const t = this.t;
    return t[0] === 0
      ? `${this.cut(t[1], t[2])} ${this.cut(t[3], t[4])} SIP/2.0`
      : `SIP/2.0 ${t[0]} ${this.cut(t[1], t[2])}`;
  }
  /** The reason phrase of a response ('' for a request). */
  get reason(): string {
    return this.t[0] ? this.cut(this.t[1], this.t[2]) : '';
  }
  get body(): string {
    return this.cut(this.t[5], this.t[6]);
  }
  get headerCount(): number {
    return this.t[N];
  }
  headerName(i: number): string {
    const at = H + 5 * i;
    return this.cut(this.t[at + 1], this.t[at + 2]);
  }
  headerValue(i: number): string {
    const at = H + 5 * i;
    return this.cut(this.t[at + 3], this.t[at + 4]);
  }
  /** Every header line in wire order, repeated names included (the Via stack). */
  headerList(): [string, string][] {
    const list: [string, string][] = new Array(this.t[N]);
    for (let i = 0; i < list.length; i++) list[i] = [this.headerName(i), this.headerValue(i)];
    return list;
  }
  /**
   * First value of a header given by its long lowercase name (compact forms
   * already expanded by the caller). Headers the core classifies compare one
   * integer; others compare names.
   */
  get(longLowerName: string, longName: (name: string) => string): string | undefined {
    const id = headerIdOf(longLowerName);
    const n = this.t[N];
    for (let i = 0, at = H; i < n; i++, at += 5) {
      const hid = this.t[at];
      if (id !== 0 ? hid === id : hid === 0 && longName(this.headerName(i)) === longLowerName) return this.headerValue(i);
    }
    return undefined;
  }
}
