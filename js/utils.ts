// Helpers that ringcentral-web-phone 2.x exports as `/utils` (spec §2.1, §3.4),
// kept so that apps importing them keep working after switching packages.
//
// The SDK itself never calls them: the wasm core builds and parses all SIP and
// makes its own Call-IDs, tags, branches and digest responses from its seeded
// RNG (house style §10, §14). These are for apps that build or inspect SIP
// text themselves, e.g. with RequestMessage/ResponseMessage.
import { loadedCore } from './core/loader.js';
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
 * The original's `Authorization` value for a REGISTER or INVITE challenge:
 * `Digest algorithm="MD5", username=…, realm=<domain>, nonce=…,
 * uri="sip:<domain>", response=…` (RFC 2617 §3.2.2, no qop). The MD5 comes from
 * the wasm core, so this works once the core is loaded (`loadCore()` from
 * `wasm-web-phone/core/loader`, or any `webPhone.start()`); before that it
 * throws. The SDK itself answers challenges inside the core (qop, SHA-256…).
 */
export const generateAuthorization = (sipInfo: SipInfo, nonce: string, method: 'REGISTER' | 'INVITE'): string => {
  const core = loadedCore();
  if (!core) throw new Error('generateAuthorization needs the wasm SIP core: await loadCore() or webPhone.start() first');
  const uri = `sip:${sipInfo.domain}`;
  const r = core.digestResponse(sipInfo.authorizationId, sipInfo.password, sipInfo.domain, nonce, method, uri);
  if (!r.ok) throw new Error(`generateAuthorization: ${r.message}`);
  const fields: [string, string][] = [
    ['Digest algorithm', 'MD5'], ['username', sipInfo.authorizationId], ['realm', sipInfo.domain],
    ['nonce', nonce], ['uri', uri], ['response', r.response!],
  ];
  return fields.map(([k, v]) => `${k}="${v}"`).join(', ');
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
