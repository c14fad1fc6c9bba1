// codecPreferences, bandwidth and sdpHandlers (README "Codecs, bandwidth and
// SDP hooks") with real WebPhones from dist/ and the test kit's fake media
// against its edge in Node: the SDP on the wire is read from the server's
// trace. The fake media lists opus (111), PCMU (0) and telephone-event (101).
// Needs a built dist/ (scripts/build.sh --package-only).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { kitPhones, wasmBinary, WebPhone } from './lib/kit-phones.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { orderCodecs } = await import(`${root}/dist/es/media/media-options.js`);

const kit = kitPhones({ extensions: ['101', '102'] });
const phone = kit.phone;
const T = { timeout: 20_000 };
const mAudio = (sdp) => /\r\nm=audio \d+ \S+ ([^\r]*)/.exec(sdp)?.[1];
const sipInfo = { username: 'u', password: 'p', authorizationId: 'a', domain: 'example.com', outboundProxy: 'localhost:1' };

test('the INVITE carries the preferred codec order, b=AS/b=TIAS and what the hooks added', T, async () => {
  const seen = [];
  const alice = await phone('101', {
    codecPreferences: { audio: ['PCMU', 'opus'] },
    bandwidth: { audio: 32 },
    sdpHandlers: [
      (sdp, kind, direction) => { seen.push(`${direction} ${kind}`); return sdp; },
      (sdp, kind, direction) => (direction === 'local' ? `${sdp}a=x-test:${kind}\r\n` : sdp),
    ],
  });
  const bob = await phone('102', { codecPreferences: { audio: ['pcmu'] } });
  bob.on('inboundCall', (s) => void s.answer());
  const session = await alice.call('102');
  assert.equal(session.state, 'answered');

  const invite = (await kit.server.trace('101')).find((m) => m.dir === 'in' && /^INVITE /.test(m.text) && /\r\n\r\nv=0/.test(m.text));
  assert.ok(invite, 'an INVITE with SDP');
  const body = invite.text.slice(invite.text.indexOf('\r\n\r\n') + 4);
  assert.equal(mAudio(body), '0 111 101');
  assert.match(body, /\r\nc=IN IP4 0\.0\.0\.0\r\nb=AS:32\r\nb=TIAS:32000\r\n/);
  assert.match(body, /\r\na=x-test:offer\r\n$/);
  // Bob listed only PCMU (and telephone-event) in its 200 OK, opus's rtpmap gone.
  const ok = (await kit.server.trace('102')).find((m) => m.dir === 'in' && /^SIP\/2\.0 200 /.test(m.text) && /\r\nCSeq: \d+ INVITE\r\n/i.test(m.text) && /\r\n\r\nv=0/.test(m.text));
  assert.ok(ok, "bob's 200 OK with SDP");
  assert.equal(mAudio(ok.text), '0 101');
  assert.doesNotMatch(ok.text, /opus/);
  assert.deepEqual(seen, ['local offer', 'remote answer']);
  // A hold re-INVITE is made by the core from the SDP sent: the order stays.
  await session.hold();
  const hold = (await kit.server.trace('101')).filter((m) => m.dir === 'in' && /^INVITE /.test(m.text)).at(-1);
  assert.equal(mAudio(hold.text), '0 111 101');
  assert.match(hold.text, /a=sendonly/);
});

test('a throwing sdpHandler rejects call() with why, and nothing is sent', T, async () => {
  const alice = await phone('101', { sdpHandlers: [() => { throw new Error('boom'); }] });
  const before = (await kit.server.trace('101')).filter((m) => /^INVITE /.test(m.text)).length;
  await assert.rejects(alice.call('102'), /sdpHandlers\[0\] threw on the local offer: boom/);
  assert.equal(alice.callSessions.length, 0);
  assert.equal((await kit.server.trace('101')).filter((m) => /^INVITE /.test(m.text)).length, before);
  const bob = await phone('102', { sdpHandlers: [() => undefined] });
  await assert.rejects(bob.call('101'), /sdpHandlers\[0\] returned undefined for the local offer, not an SDP string/);
});

test('codec preferences with nothing in common reject call() with the core\'s reason', T, async () => {
  const alice = await phone('101', { codecPreferences: { audio: ['G729'] } });
  await assert.rejects(alice.call('102'), /offer: codecPreferences\.audio \[G729\] leaves no codec in m=audio \(it has opus, PCMU\)/);
});

test('bad options throw at construction', () => {
  const bad = [
    [{ codecPreferences: { audio: ['opus/48000'] } }, /codecPreferences\.audio: "opus\/48000" is not a codec name/],
    [{ codecPreferences: { audio: [] } }, /codecPreferences\.audio must be a non-empty array/],
    [{ codecPreferences: { audio: ['*', 'opus'] } }, /'\*' may only be the last entry/],
    [{ codecPreferences: { audoi: ['opus'] } }, /codecPreferences\.audoi is not an option/],
    [{ bandwidth: { audio: -1 } }, /bandwidth\.audio must be a whole number/],
    [{ bandwidth: { audio: 1.5 } }, /bandwidth\.audio must be a whole number/],
    [{ sdpHandlers: ['x'] }, /sdpHandlers must be an array of functions/],
  ];
  for (const [options, message] of bad) assert.throws(() => new WebPhone({ sipInfo, ...options }), message);
  const ok = new WebPhone({ sipInfo, wasm: { wasmBinary }, codecPreferences: { audio: ['opus', 'PCMU', '*'], video: ['VP8'] },
    bandwidth: { audio: 24 }, sdpHandlers: [(s) => s] });
  assert.deepEqual(ok._media.audio, ['opus', 'PCMU', '*']);
});

test('setCodecPreferences gets the browser\'s own capabilities in the preferred order', () => {
  const caps = ['audio/opus', 'audio/red', 'audio/G722', 'audio/PCMU', 'audio/PCMA', 'audio/CN', 'audio/telephone-event']
    .map((mimeType) => ({ mimeType, clockRate: 8000 }));
  const names = (list) => orderCodecs(caps, list).map((c) => c.mimeType.slice(6));
  assert.deepEqual(names(['pcmu', 'opus']), ['PCMU', 'opus', 'red', 'CN', 'telephone-event']);
  assert.deepEqual(names(['PCMA', '*']), ['PCMA', 'opus', 'red', 'G722', 'PCMU', 'CN', 'telephone-event']);
  assert.deepEqual(names(['G729']), [], 'nothing in common: left to the core, which says so');
});
