// An app's unit tests in plain Node (no browser, no WebRTC), written as an app
// developer would with the kit: wasm-web-phone and wasm-web-phone/testing come
// from the packed package installed in this project (e2e/testing-kit/run.mjs).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import WebPhone from 'wasm-web-phone';
import { startTestServer, fakeMedia, useNodeWebSocket } from 'wasm-web-phone/testing';

useNodeWebSocket();
let server;
before(async () => { server = await startTestServer({ extensions: ['101', '102'], transport: 'ws' }); });
after(() => server.close());
// Every test starts with no registration, call or rule left by the one before.
beforeEach(() => server.reset());

/** A WebPhone with fake media for `ext`. */
function phone(ext, options = {}) {
  const media = fakeMedia();
  const wp = new WebPhone({ sipInfo: server.sipInfo(ext), webRtcSessionFactory: media.factory, deviceManager: media.deviceManager, ...options });
  return { wp, media };
}
const event = (emitter, name) => new Promise((resolve) => emitter.once(name, resolve));

test('register, an inbound call answered, DTMF, hold and unhold, hangup by the far side', async () => {
  const alice = phone('101');
  const bob = phone('102');
  await Promise.all([alice.wp.start(), bob.wp.start()]);
  const regs = (await server.state()).registrations.filter((r) => r.live).map((r) => r.ext).sort();
  assert.deepEqual(regs, ['101', '102']);

  const ringing = event(bob.wp, 'inboundCall');
  const placing = alice.wp.call('102');
  const inbound = await ringing;
  assert.equal(inbound.state, 'ringing');
  assert.equal(inbound.remoteNumber, `+${server.extension('101').number}`);
  await inbound.answer();
  const outbound = await placing;
  assert.equal(outbound.state, 'answered');
  assert.equal(inbound.state, 'answered');
  // Each side's fake session saw one offer/answer: SDP really crossed the server.
  const aliceMedia = alice.media.session(outbound);
  assert.deepEqual(aliceMedia.sdp.map((x) => `${x.from} ${x.kind}`), ['local offer', 'remote answer']);

  outbound.sendDtmf('12#');
  assert.deepEqual(aliceMedia.dtmf.map((d) => d.tones), ['12#']);
  assert.throws(() => outbound.sendDtmf('x'), /DTMF/);

  const since = Date.now();
  await outbound.hold();
  const hold = await server.waitForMessage('101', (e) => e.line.startsWith('INVITE ') && /a=sendonly/.test(e.text), { dir: 'in', since });
  assert.match(hold.text, /a=sendonly/);
  await outbound.unhold();
  await server.waitForMessage('101', (e) => e.line.startsWith('INVITE ') && /a=sendrecv/.test(e.text), { dir: 'in', since });

  const ended = event(outbound, 'disposed');
  await inbound.hangup();
  await ended;
  assert.equal(outbound.state, 'disposed');
  await server.waitForMessage('101', 'BYE', { dir: 'out', since });
  await Promise.all([alice.wp.dispose(), bob.wp.dispose()]);
});

test('a REGISTER refused with 503 + Retry-After reaches the app as a RegistrationError', async () => {
  await server.failNext({ method: 'REGISTER', status: 503, retryAfter: 30, ext: '101' });
  const alice = phone('101');
  await assert.rejects(alice.wp.start(), (e) => {
    assert.ok(e instanceof WebPhone.RegistrationError);
    assert.equal(e.status, 503);
    assert.equal(e.retryAfterMs, 30_000);
    return true;
  });
  await alice.wp.dispose();
});

test('the sixth instance of an extension gets 603 Too Many Contacts', async () => {
  const phones = Array.from({ length: 6 }, (_, i) => phone('102', { instanceId: `kit-device-${i}` }));
  for (const p of phones.slice(0, 5)) await p.wp.start();
  await assert.rejects(phones[5].wp.start(), (e) => e.status === 603 && /Too Many Contacts/.test(e.message));
  await Promise.all(phones.map((p) => p.wp.dispose()));
});

test('the control API refuses a bad rule with a clear error', async () => {
  await assert.rejects(server.failNext({ method: 'REGISTER', status: 200 }), /status must be a final status 300-699/);
  await assert.rejects(server.failNext({ method: 'REGISTER', status: 503, retryAfter: 1.5 }), /retryAfter must be whole seconds/);
  assert.throws(() => server.sipInfo('999'), /no extension 999 on this test server \(it has 101, 102\)/);
  await assert.rejects(startTestServer({ extensions: ['1x1'] }), /"1x1" is not an extension number/);
});

/** Two phones in a call: 101 called 102, 102 answered. */
async function inCall() {
  const alice = phone('101', { autoRecover: true });
  const bob = phone('102');
  await Promise.all([alice.wp.start(), bob.wp.start()]);
  const ringing = event(bob.wp, 'inboundCall');
  const placing = alice.wp.call('102');
  await (await ringing).answer();
  return { alice, bob, call: await placing };
}

test('a re-INVITE refused with 491 (crossing requests) is retried, and hold() still resolves', async () => {
  const { alice, bob, call } = await inCall();
  const since = Date.now();
  await server.failNext({ method: 'INVITE', status: 491, ext: '101', inDialog: true });
  await call.hold();
  const trace = (await server.trace('101', { since })).filter((e) => e.dir !== 'event');
  const lines = trace.map((e) => `${e.dir} ${e.line.split(' ').slice(0, 2).join(' ')}`);
  // RFC 3261 §14.1: after a 491 the UAC tries again after a random wait.
  assert.equal(lines.filter((l) => l.startsWith('in INVITE')).length, 2, lines.join('\n'));
  assert.ok(lines.includes('out SIP/2.0 491'), lines.join('\n'));
  const again = trace.filter((e) => e.line.startsWith('INVITE '))[1];
  assert.ok(again.t - trace.find((e) => e.line.startsWith('SIP/2.0 491')).t >= 2000, 'the retry waited');
  assert.match(again.text, /a=sendonly/);
  await Promise.all([alice.wp.dispose(), bob.wp.dispose()]);
});

test('a dropped socket: the phone reconnects, registers again and keeps its call (autoRecover)', async () => {
  const { alice, bob, call } = await inCall();
  const recovered = event(alice.wp, 'recovered');
  const { dropped } = await server.drop('101');
  assert.equal(dropped.length, 1);
  await recovered;
  const state = await server.state();
  const conns = state.conns.filter((c) => c.ext === '101');
  assert.deepEqual(conns.map((c) => c.closed), [true, false]);
  const binding = state.registrations.filter((r) => r.ext === '101' && r.live);
  assert.equal(binding.length, 1);
  assert.equal(binding[0].conn, conns[1].id, 'the binding moved to the new socket');
  // The call survived: the far side's hangup reaches the reconnected phone.
  assert.equal(call.state, 'answered');
  const ended = event(call, 'disposed');
  await bob.wp.callSessions[0].hangup();
  await ended;
  await Promise.all([alice.wp.dispose(), bob.wp.dispose()]);
});

test('a scripted call-control result reaches startRecording(); the next one is the server\'s own', async () => {
  const { alice, bob, call } = await inCall();
  await server.rcResult('startcallrecord', { code: -6, description: 'The same operation in progress' });
  assert.deepEqual(await call.startRecording(), { code: -6, description: 'The same operation in progress' });
  assert.deepEqual(await call.startRecording(), { code: 0, description: 'Succeeded' });
  await assert.rejects(server.rcResult('startcall', { code: 0 }), /command must be one of/);
  await Promise.all([alice.wp.dispose(), bob.wp.dispose()]);
});
