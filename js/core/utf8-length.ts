// Bytes of a string in UTF-8, counted without encoding it: what a message's
// Content-Length counts (RFC 3261 §20.14), and a received frame's size when
// only its head crosses into the core (js/core/abi.ts).

/** UTF-8 bytes of `s`; a lone surrogate counts as U+FFFD's 3, as TextEncoder writes it. */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 2 units, 4 bytes
      i++;
    } else n += 2; // 3 bytes (a lone surrogate is encoded as U+FFFD, also 3)
  }
  return n;
}
