// Header-name equivalence for the message objects' lookups: names compare
// case-insensitively (RFC 3261 §7.3.1) and a compact form equals its long
// form (§7.3.3), so `getHeader('Call-ID')` finds `i:`.
/** RFC 3261 §7.3.3 (and RFC 3515, 3903, 4028, 4474) compact header names. */
// A null prototype: no inherited keys, so longName('constructor') is 'constructor'.
const COMPACT: Record<string, string | undefined> = Object.assign(Object.create(null), {
  i: 'call-id', m: 'contact', e: 'content-encoding', l: 'content-length', c: 'content-type',
  f: 'from', s: 'subject', k: 'supported', t: 'to', v: 'via', r: 'refer-to', b: 'referred-by',
  o: 'event', u: 'allow-events', x: 'session-expires', a: 'accept-contact', j: 'reject-contact',
  d: 'request-disposition', y: 'identity',
});
/** A header name in its long lowercase form (`i` → `call-id`, `Via` → `via`). */
export function longName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? lower;
}

/** longName for the names apps pass to getHeader again and again (bounded: names are few). */
const cache = new Map<string, string>();
export function longNameCached(name: string): string {
  let long = cache.get(name);
  if (long === undefined) {
    long = longName(name);
    if (cache.size < 256) cache.set(name, long);
  }
  return long;
}
