// Header-name equivalence for the message objects' lookups: names compare
// case-insensitively (RFC 3261 §7.3.1) and a compact form equals its long
// form (§7.3.3), so `getHeader('Call-ID')` finds `i:`.
/** RFC 3261 §7.3.3 (and RFC 3515, 3903, 4028, 4474) compact header names. */
const COMPACT: Record<string, string> = {
  i: 'call-id', m: 'contact', e: 'content-encoding', l: 'content-length', c: 'content-type',
  f: 'from', s: 'subject', k: 'supported', t: 'to', v: 'via', r: 'refer-to', b: 'referred-by',
  o: 'event', u: 'allow-events', x: 'session-expires', a: 'accept-contact', j: 'reject-contact',
  d: 'request-disposition', y: 'identity',
};
/** A header name in its long lowercase form (`i` → `call-id`, `Via` → `via`). */
export function longName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? lower;
}
