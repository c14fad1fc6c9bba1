// Early media (README "Early media"): the callee's progress({ earlyMedia: true })
// sends 183 with its answer, the caller applies it as `pranswer` and emits
// `progress`, then the 2xx's answer as the final `answer`; with real WebPhones
// from dist/ and the test kit's fake media against its edge in Node (its
// `earlyMedia` tunable relays the callee's 183 with SDP). Needs a built dist/
// (scripts/build.sh --package-only).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kitPhones } from './lib/kit-phones.mjs';

const kit = kitPhones({ extensions: ['101', '102'], config: { earlyMedia: true } });
/** A started phone of `ext` and its fake media. */
async function phone(ext) {
  const wp = await kit.phone(ext);
  return { wp, media: wp.media };
}
const event = (emitter, name) => new Promise((resolve) => emitter.once(name, resolve));
async function until(what, check, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const T = { timeout: 20_000 };

/** bob (102) calls alice (101); resolves once alice's phone rings. */
async function ringingCall() {
  const alice = await phone('101');
  const bob = await phone('102');
  const ringing = event(alice.wp, 'inboundCall');
  const outbound = event(bob.wp, 'outboundCall');
  const calling = bob.wp.call('101');
  const caller = await outbound;
  const progress = [];
  caller.on('progress', (p) => progress.push({ ...p, sdp: bob.media.session(caller).sdp.map((s) => `${s.from} ${s.kind}`) }));
  const callee = await ringing;
  return { alice, bob, caller, callee, calling, progress };
}

test('early media: the callee\'s 183 answer is the caller\'s pranswer, the 200 repeats it as the answer', T, async () => {
  const { alice, bob, caller, callee, calling, progress } = await ringingCall();
  await kit.server.clearTrace();
  await callee.progress({ earlyMedia: true });
  await until('the early progress event', () => progress.some((p) => p.earlyMedia));
  assert.equal(caller.state, 'ringing');
  assert.equal(caller.earlyMedia, true);
  const early = progress.find((p) => p.earlyMedia);
  assert.equal(early.status, 183);
  assert.equal(early.reason, 'Session Progress');
  assert.deepEqual(early.sdp, ['local offer', 'remote pranswer'], 'the pranswer was applied when progress fired');
  // Before it, the edge's own 183 (no body): progress, no early media.
  assert.deepEqual(progress.map((p) => p.earlyMedia), [false, true]);
  assert.equal(callee.state, 'ringing');

  await callee.answer();
  assert.equal(await calling, caller);
  await until('the answer applied', () => bob.media.session(caller).sdp.length === 3);
  const sent = bob.media.session(caller).sdp;
  assert.deepEqual(sent.map((s) => `${s.from} ${s.kind}`), ['local offer', 'remote pranswer', 'remote answer']);
  assert.equal(sent[2].sdp, sent[1].sdp, 'the 200 carried the 183\'s SDP');
  // The callee made one answer, for the 183, and the 200 took it as it was.
  const made = alice.media.session(callee.callId).sdp;
  assert.deepEqual(made.map((s) => `${s.from} ${s.kind}`), ['remote offer', 'local answer']);
  const fromAlice = (await kit.server.trace('101')).filter((m) => m.dir === 'in');
  const p183 = fromAlice.find((m) => m.line.startsWith('SIP/2.0 183 '));
  const ok = fromAlice.find((m) => m.line.startsWith('SIP/2.0 200 ') && /\r\nCSeq: \d+ INVITE/i.test(m.text));
  assert.ok(p183 && ok, 'a 183 then a 200 from the callee');
  const body = (m) => m.text.slice(m.text.indexOf('\r\n\r\n') + 4);
  assert.equal(body(ok), body(p183));
  assert.match(body(p183), /^v=0/);
  // No renegotiation: no INVITE in the dialog from either phone.
  for (const ext of ['101', '102'])
    assert.equal((await kit.server.trace(ext)).filter((m) => m.dir === 'in' && /^INVITE .*\r\nTo:[^\r]*;tag=/s.test(m.text)).length, 0);
  assert.equal(caller.state, 'answered');
  assert.equal(callee.state, 'answered');
});

test('progress() without early media sends 183 without a body; the caller has no early media', T, async () => {
  const { caller, callee, calling, progress } = await ringingCall();
  await kit.server.clearTrace();
  await callee.progress();
  const p183 = await kit.server.waitForMessage('101', 183, { dir: 'in' });
  assert.equal(p183.text.slice(p183.text.indexOf('\r\n\r\n') + 4), '');
  await callee.answer();
  await calling;
  assert.equal(caller.earlyMedia, false);
  assert.ok(progress.length >= 1 && progress.every((p) => !p.earlyMedia));
  assert.equal(progress[0].status, 183);
});

test('progress() refuses a call that is not ringing', T, async () => {
  const { callee, calling } = await ringingCall();
  await callee.answer();
  await calling;
  await assert.rejects(callee.progress({ earlyMedia: true }), /^Error: progress: the call is answered, not ringing$/);
});

/** 102 calls 101 with video; 101's session once it rings, and 102's call(). */
async function videoCallRinging() {
  const alice = await phone('101');
  const bob = await phone('102');
  await kit.server.clearTrace(); // the earlier tests' 183s from 101
  const ringing = event(alice.wp, 'inboundCall');
  const calling = bob.wp.call('101', undefined, { video: true });
  return { alice, callee: await ringing, calling };
}

test('early media on a video call: progress({ earlyMedia, video: true }) sends the camera in the 183; answer() repeats it', T, async () => {
  const { alice, callee, calling } = await videoCallRinging();
  assert.equal(callee.hasRemoteVideo, true);
  await callee.progress({ earlyMedia: true, video: true });
  await callee.answer(); // no options: the early answer decided the video
  const caller = await calling;
  const fa = alice.media.session(callee.callId);
  assert.equal(fa.videoRequested, true, 'the camera was asked for by progress()');
  assert.deepEqual(fa.sdp.map((s) => `${s.from} ${s.kind}`), ['remote offer', 'local answer'], 'one answer, made for the 183');
  const fromAlice = (await kit.server.trace('101')).filter((m) => m.dir === 'in');
  const body = (line) => { const m = fromAlice.find((x) => x.line.startsWith(line) && /\r\nCSeq: \d+ INVITE/i.test(x.text)); return m.text.slice(m.text.indexOf('\r\n\r\n') + 4); };
  assert.match(body('SIP/2.0 183 '), /^m=video 9 /m, 'the 183 takes the video');
  assert.equal(body('SIP/2.0 200 '), body('SIP/2.0 183 '));
  await until('the caller sees video', () => caller.hasRemoteVideo);
});

test('early media without video on a video offer refuses it (port 0) in the 183 and the 200', T, async () => {
  const { alice, callee, calling } = await videoCallRinging();
  await callee.progress({ earlyMedia: true });
  await callee.answer({ video: true }); // too late: the 183 refused it
  const caller = await calling;
  const fromAlice = (await kit.server.trace('101')).filter((m) => m.dir === 'in');
  const ok = fromAlice.find((m) => m.line.startsWith('SIP/2.0 200 ') && /\r\nCSeq: \d+ INVITE/i.test(m.text));
  assert.match(ok.text, /^m=video 0 /m);
  assert.equal(alice.media.session(callee.callId).videoRequested, false);
  await until('the caller knows', () => caller.state === 'answered');
  assert.equal(caller.hasRemoteVideo, false);
});
