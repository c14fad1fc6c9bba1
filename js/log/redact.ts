// What may never reach a log line, an event or a diagnostics bundle
// (README "Logs"): the password and anything else the app marks secret, and
// an SDP's a=ice-pwd, and the parts of a digest Authorization that allow an offline guess at the
// password (RFC 7616 §5.12): `response` and `cnonce`, and in the server's
// (Proxy-)Authentication-Info (§3.5) `rspauth`, built from the same HA1, and
// the `cnonce` it echoes. The rest of the header (realm, nonce, username,
// uri) stays: it is what one debugs with.

const REDACTED = '<redacted>';
// `response="…"` / `rspauth=…` / `cnonce=…`, quoted or not, inside one of those values.
const DIGEST_SECRET = /\b(response|rspauth|cnonce)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]+)/gi;
const AUTH_LINE = /^((?:proxy-)?(?:authorization|authentication-info)[ \t]*:)(.*)$/gim;
const ICE_PWD = /^(a=ice-pwd:)[^\r\n]*/gm;

/** `text` with the digest secrets of every Authorization line and every listed secret masked. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(AUTH_LINE, (_, name: string, value: string) => name + value.replace(DIGEST_SECRET, `$1="${REDACTED}"`));
  // The ICE password (RFC 8839 §5.4): with the ufrag it authenticates
  // connectivity checks to the call's media; the ufrag stays, to match logs.
  out = out.replace(ICE_PWD, `$1${REDACTED}`);
  for (const secret of secrets) {
    // Short values would mask ordinary text ("1" as a password); 4 is the floor.
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** The secrets of a sipInfo: its password, and any field the app lists in `sipInfo.secretFields`. */
export function secretsOf(sipInfo: Record<string, unknown> | undefined): string[] {
  if (!sipInfo) return [];
  const names = ['password', ...(Array.isArray(sipInfo.secretFields) ? (sipInfo.secretFields as unknown[]).map(String) : [])];
  return names.map((n) => sipInfo[n]).filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** A copy of `value` with `redact` applied to every string in it (objects and arrays walked). */
export function redactDeep<T>(value: T, secrets: readonly string[] = []): T {
  if (typeof value === 'string') return redact(value, secrets) as unknown as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as unknown as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, secrets);
    return out as T;
  }
  return value;
}

/**
 * `text` with the digest `response` and `cnonce` values of its Authorization
 * lines overwritten by `*`, keeping every length, so that the core's table of
 * offsets into the text still holds (the message objects of
 * `outboundMessage` events read through it).
 */
export function maskDigestSecrets(text: string): string {
  if (!/authorization/i.test(text)) return text;
  return text.replace(AUTH_LINE, (_, name: string, value: string) =>
    name + value.replace(DIGEST_SECRET, (m: string, key: string, v: string) => {
      const quoted = v.startsWith('"');
      const inner = quoted ? v.slice(1, -1) : v;
      const masked = '*'.repeat(inner.length);
      return m.slice(0, m.length - v.length) + (quoted ? `"${masked}"` : masked);
    }));
}
