// Helpers that ringcentral-web-phone 2.x exports as `/utils` (spec §2.1, §3.4),
// kept so that apps importing them keep working after switching packages.
//
// The SDK itself never calls them: the wasm core builds and parses all SIP and
// makes its own Call-IDs, tags, branches and digest responses from its seeded
// RNG (house style §10, §14). These are for apps that build or inspect SIP
// text themselves, e.g. with RequestMessage/ResponseMessage.
import type { SipInfo } from './types.js';

const RADIX36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `n` random base-36 characters, uniformly drawn (bytes ≥ 252 are redrawn). */
function randomBase36(n: number): string {
  let out = '';
  const bytes = new Uint8Array(n * 2);
  while (out.length < n) {
    globalThis.crypto.getRandomValues(bytes);
    for (const b of bytes) {
      if (b < 252 && out.length < n) out += RADIX36[b % 36];
    }
  }
  return out;
}

let counter = 0;

/**
 * A short unique id: base-36 epoch ms, then a process-wide counter (bumped
 * before use), then 6 random base-36 characters, e.g. `mwt1tawf32bs9hj`.
 * Unlike the original (`Math.random()`, sometimes fewer than 6 characters),
 * the random part is always 6 characters from `crypto.getRandomValues`.
 */
export const uuid = (): string => {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${Date.now().toString(36)}${counter.toString(36)}${randomBase36(6)}`;
};

/** A Via branch: the RFC 3261 §8.1.1.7 magic cookie `z9hG4bK`, `-`, then `uuid()`. */
export const branch = (): string => 'z9hG4bK-' + uuid();

/**
 * Not provided: the original computes an MD5 digest `Authorization` value here,
 * but this SDK has no MD5 in JavaScript; the wasm core answers 401/407
 * challenges itself (spec §4.4). Always throws.
 */
export const generateAuthorization = (
  _sipInfo: SipInfo,
  _nonce: string,
  _method: 'REGISTER' | 'INVITE',
): string => {
  // TODO(core): export a digest function from the wasm module so this can be
  // implemented without an MD5 in JS.
  throw new Error(
    'generateAuthorization is not provided by wasm-web-phone: the SIP core computes digest authentication itself',
  );
};

/** `s` without `;tag=…` and everything after it (a From/To value → its address part). */
export const withoutTag = (s: string): string => s.replace(/;tag=.*$/, '');

function firstGroup(fn: string, pattern: RegExp, s: string): string {
  const m = pattern.exec(s);
  // The original fails here with a TypeError on `null[1]`; say what was missing.
  if (!m) throw new Error(`${fn}: no match for ${pattern} in ${JSON.stringify(s)}`);
  return m[1];
}

/** The `sip:` URI between `<` and `>`: `"Bob" <sip:101@x>;tag=1` → `sip:101@x`. Throws if absent. */
export const extractAddress = (s: string): string => firstGroup('extractAddress', /<(sip:.+?)>/, s);

/** The user part of the first `<sip:user@…>`: `<sip:101@x>` → `101`. Throws if absent. */
export const extractNumber = (s: string): string => firstGroup('extractNumber', /<sip:(.+?)@/, s);

/** Everything after the first `;tag=`: `<sip:101@x>;tag=abc` → `abc`. Throws if absent. */
export const extractTag = (peer: string): string => firstGroup('extractTag', /;tag=(.*)/, peer);

/** `<uuid>.invalid` (RFC 6761 reserved name), fixed for the lifetime of this module. */
export const fakeDomain: string = uuid() + '.invalid';

/** `<uuid>@<fakeDomain>`, fixed for the lifetime of this module. */
export const fakeEmail: string = uuid() + '@' + fakeDomain;
