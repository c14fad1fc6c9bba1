import { branch } from '../../utils.js';
import { longNameCached as longName } from '../header-names.js';
import OutboundMessage from './index.js';

// Spec §3.4: one CSeq counter for every request this module builds, starting
// at a random 0–9999. (Requests the SDK sends come from the core, which keeps
// its own CSeq per dialog; this counter only numbers app-built requests.)
let cseq = globalThis.crypto.getRandomValues(new Uint32Array(1))[0] % 10000;

/** Exact key under which `headers` holds `name` (any case), if it does. */
function keyOf(headers: Record<string, string>, name: string): string | undefined {
  const want = longName(name);
  return Object.keys(headers).find((k) => longName(k) === want);
}

/**
 * A SIP request built by the app (spec §2.10), as in ringcentral-web-phone 2.x:
 * `new RequestMessage('OPTIONS sip:x SIP/2.0', {Via, From, To, 'Call-Id'}, body)`.
 * On top of OutboundMessage's Content-Length, User-Agent and Max-Forwards it
 * adds `CSeq: <n> <METHOD>` from the module-wide counter unless the caller
 * gave a CSeq (in any case: the original only looks for the exact key `CSeq`
 * and would send two).
 */
export default class RequestMessage extends OutboundMessage {
  constructor(subject = '', headers: Record<string, string> = {}, body = '') {
    super(subject, headers, body);
    if (keyOf(this.headers, 'CSeq') === undefined) this.newCseq();
  }

  /** Takes the next number of the global counter: `CSeq: <n> <METHOD>` (METHOD = first word of the subject). */
  newCseq(): void {
    this.headers[keyOf(this.headers, 'CSeq') ?? 'CSeq'] = `${++cseq} ${this.subject.split(' ')[0]}`;
  }

  /**
   * The same request as a new transaction (spec §3.4): a copy with a new CSeq
   * and, in the top Via, everything from `;branch=` on replaced by a new branch.
   * Repeated header lines are copied too.
   */
  fork(): RequestMessage {
    this.syncHeaderList();
    const copy = new RequestMessage(this.subject, Object.assign({}, this.headers), this.body);
    copy.headerList = this.headerList.map(([n, v]) => [n, v]);
    copy.newCseq();
    const via = keyOf(copy.headers, 'Via');
    if (via !== undefined) copy.headers[via] = copy.headers[via].replace(/;branch=.*$/, `;branch=${branch()}`);
    return copy;
  }
}
