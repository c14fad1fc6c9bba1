import { longName } from '../header-names.js';
import responseCodes from '../response-codes.js';
import OutboundMessage from './index.js';

// RFC 3261 §8.2.6.2: a response copies these from the request.
const COPIED = ['via', 'from', 'to', 'call-id', 'cseq'];

/**
 * A SIP response built by the app to an inbound request (spec §2.10), as in
 * ringcentral-web-phone 2.x: `new ResponseMessage(inbound, {responseCode, headers, body})`.
 *
 * `inboundMessage` is usually an InboundMessage; any object with `headers` (and
 * optionally `headerList`, for repeated lines) will do.
 *
 * Header order: the given `headers`, Content-Length, User-Agent, Max-Forwards,
 * then Via, From, To, Call-Id and CSeq copied from `inboundMessage` under its
 * own spelling (e.g. `Call-ID`). Differences from the original, all toward
 * RFC 3261:
 * - every Via line is copied, in order (RFC 3261 §8.2.6.2; the original's
 *   parser keeps only the last Via line, so its responses carry one).
 *   `headers.Via` holds the top one, `headerList` and `toString()` have all;
 * - a copied header replaces a given header of the same name in any case;
 * - an unknown `responseCode` gets the reason phrase `Unknown` instead of the
 *   text `undefined`.
 */
export default class ResponseMessage extends OutboundMessage {
  constructor(
    inboundMessage: { headers: Record<string, string>; headerList?: [string, string][] },
    { responseCode, headers = {}, body = '' }: { responseCode: number; headers?: Record<string, string>; body?: string },
  ) {
    const given = Object.fromEntries(
      Object.entries(headers).filter(([name]) => !COPIED.includes(longName(name))),
    );
    super(`SIP/2.0 ${responseCode} ${responseCodes[responseCode] ?? 'Unknown'}`, given, body);
    // headerList carries repeated lines; fall back to `headers` for plain objects.
    const lines = inboundMessage.headerList ?? Object.entries(inboundMessage.headers);
    const own = this.headerList; // the lines so far, before the copied ones are added

    for (const name of COPIED) {
      for (const [key, value] of lines) {
        if (longName(key) !== name) continue; // compact forms too (`v`, `f`, `t`, `i`)
        if (/[\r\n\0]/.test(value)) throw new Error(`Invalid value for SIP header ${key}: CR, LF and NUL are not allowed`);
        if (!(key in this.headers)) this.headers[key] = value;
        own.push([key, value]);
      }
    }
  }
}
