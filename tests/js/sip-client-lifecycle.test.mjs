// DefaultSipClient's start/register/unregister/dispose lifecycles at the
// moments a socket or the wasm download can fail, in any order the app can
// call them (from a review of js/sip-client.ts): every promise settles, at
// once and saying why; no socket is left open with nobody reading it; a call
// that is up moves with the phone to a new socket.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const wasmBinary = readFileSync(`${root}/dist/sip-core.wasm`);
const { default: WebPhone } = await import(`${root}/dist/es/index.js`);

const PRIMARY = 'ws://127.0.0.1:9';
const BACKUP = 'ws://127.0.0.1:10';
const sipInfo = {
  username: '101', authorizationId: '101', password: 'secret', domain: 'example.test',
  outboundProxy: PRIMARY, outboundProxyBackup: BACKUP, stunServers: [],
};

function reply(request, status, reason, extra = []) {
  const lines = request.split('\r\n\r\n')[0].split('\r\n').slice(1);
  const copy = lines.filter((l) => /^(via|from|to|call-id|cseq):/i.test(l))
    .map((l) => (/^to:/i.test(l) && !/;tag=/.test(l) ? `${l};tag=srv` : l));
  return [`SIP/2.0 ${status} ${reason}`, ...copy, ...extra, 'Content-Length: 0', '', ''].join('\r\n');
}
const contactOf = (req) => /^contact:\s*(.*?)(;expires.*)?$/im.exec(req)[1];

/** The registrar: 200 to every REGISTER unless silent; `other` answers the rest; `refuse(url)` fails a connection. */
const server = {};
function resetServer() { Object.assign(server, { silent: false, refuse: () => false, other: () => [] }); }
resetServer();
function respond(req) {
  if (server.silent) return [];
  if (!req.startsWith('REGISTER ')) return server.other(req) ?? [];
  if (/;expires=0/.test(req)) return [reply(req, 200, 'OK')];
  return [reply(req, 200, 'OK', [`Contact: ${contactOf(req)};expires=60`])];
}

class FakeWebSocket {
  static OPEN = 1;
  static CLOSED = 3;
  static held = false;
  static instances = [];
  constructor(url, protocol) {
    this.url = url; this.protocol = protocol; this.readyState = 0; this.sent = [];
    FakeWebSocket.instances.push(this);
    if (!FakeWebSocket.held) setTimeout(() => {
      if (this.readyState !== 0) return;
      if (server.refuse(url)) return this.drop(1006);
      this.open();
    }, 1);
  }
  open() { this.readyState = 1; this.onopen?.(); }
  send(text) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(text);
    for (const a of respond(text)) setTimeout(() => this.deliver(a), 1);
  }
  deliver(a) { if (this.readyState === 1) this.onmessage?.({ data: a }); }
  close() { this.drop(1000); }
  drop(code = 1006) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code }), 1);
  }
}
globalThis.WebSocket = FakeWebSocket;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const settledOf = (p) => { const s = { v: 'pending' }; p.then(() => { s.v = 'resolved'; }, (e) => { s.v = `rejected: ${e.message}`; s.error = e; }); return s; };
async function until(what, check, ms = 3000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}
const newPhone = (extra = {}) => new WebPhone({ sipInfo, wasm: { wasmBinary }, ...extra });
/** A wasm download the test releases; `fail` answers 404 instead. */
function slowWasm(fail = false) {
  let release;
  const gate = new Promise((r) => (release = r));
  const saved = globalThis.fetch;
  globalThis.fetch = async () => {
    await gate;
    return fail ? new Response('nope', { status: 404, statusText: 'Not Found' })
      : new Response(wasmBinary, { headers: { 'content-type': 'application/wasm' } });
  };
  return { release: () => release(), restore: () => { globalThis.fetch = saved; } };
}
let slowUrls = 0;
/** A phone whose core comes from slowWasm (a URL of its own: the module is cached per URL). */
const slowPhone = (extra = {}) => new WebPhone({ sipInfo, wasm: { wasmUrl: `http://cdn.invalid/slow-${++slowUrls}.wasm` }, ...extra });

test.beforeEach(() => {
  resetServer();
  FakeWebSocket.instances = [];
  FakeWebSocket.held = false;
});

test('unregister() while start() or register() waits for its REGISTER: that call rejects at once, saying so (it hung)', async () => {
  let hold = true;
  server.other = () => [];
  const respondBefore = server.silent;
  const phone = newPhone();
  // Hold the first REGISTER's answer.
  const origSend = FakeWebSocket.prototype.send;
  FakeWebSocket.prototype.send = function (text) {
    if (hold && text.startsWith('REGISTER ') && !/;expires=0/.test(text)) { this.sent.push(text); return; }
    return origSend.call(this, text);
  };
  try {
    const started = settledOf(phone.start());
    await until('REGISTER sent', () => FakeWebSocket.instances[0]?.sent.length === 1);
    await phone.sipClient.unregister();
    await until('start() settles', () => started.v !== 'pending', 1000);
    assert.equal(started.v, 'rejected: Registration cancelled by unregister()');
    // register(3600) then register(0): the same.
    hold = false;
    await phone.sipClient.register(60);
    hold = true;
    const reg = settledOf(phone.sipClient.register(3600));
    await sleep(5);
    await phone.sipClient.register(0);
    await until('register() settles', () => reg.v !== 'pending', 1000);
    assert.equal(reg.v, 'rejected: Registration cancelled by unregister()');
  } finally {
    FakeWebSocket.prototype.send = origSend;
    server.silent = respondBefore;
    await phone.dispose();
  }
});

test('start() again while the first REGISTER is unanswered, and the new socket fails: both starts reject (the first hung)', async () => {
  server.silent = true;
  const phone = newPhone();
  const first = settledOf(phone.start());
  await until('REGISTER sent', () => FakeWebSocket.instances[0]?.sent.length === 1);
  server.refuse = () => true;
  phone.sipClient.toggleBackupOutboundProxy(true);
  const second = settledOf(phone.sipClient.start());
  await until('both settle', () => first.v !== 'pending' && second.v !== 'pending', 1000);
  assert.equal(first.v, 'rejected: Registration superseded by a new start()');
  assert.match(second.v, /^rejected: WebSocket connection to ws:\/\/127\.0\.0\.1:10 closed \(code 1006\)$/);
  await phone.dispose();
});

test('dispose() after the socket opened, while the wasm still downloads: start() rejects at once (it waited for the download)', async () => {
  const wasm = slowWasm();
  try {
    const phone = slowPhone();
    const started = settledOf(phone.start());
    await until('socket open', () => FakeWebSocket.instances[0]?.readyState === 1);
    await phone.dispose();
    await until('start() settles', () => started.v !== 'pending', 500);
    assert.equal(started.v, 'rejected: SipClient was disposed before start() completed');
    assert.equal(FakeWebSocket.instances[0].readyState, 3, 'its socket is closed');
  } finally {
    wasm.release();
    wasm.restore();
  }
});

test('a socket that opens and closes while the wasm downloads: start() rejects once the core is in, saying so (it said timeout 5 s later)', async () => {
  FakeWebSocket.held = true;
  const wasm = slowWasm();
  try {
    const phone = slowPhone();
    const started = settledOf(phone.start());
    await until('socket', () => FakeWebSocket.instances.length === 1);
    const ws = FakeWebSocket.instances[0];
    ws.open();
    await sleep(5);
    ws.drop(1006);
    await sleep(10);
    wasm.release();
    await until('start() settles', () => started.v !== 'pending', 1000);
    assert.equal(started.v, 'rejected: WebSocket connection to ws://127.0.0.1:9 closed (code 1006)');
    assert.equal(ws.sent.length, 0);
    await phone.dispose();
  } finally {
    wasm.restore();
  }
});

test('a wasm that fails to load rejects start() and closes its socket (it stayed open until dispose())', async () => {
  const wasm = slowWasm(true);
  try {
    const phone = slowPhone();
    const started = phone.start();
    await until('socket open', () => FakeWebSocket.instances[0]?.readyState === 1);
    wasm.release();
    await assert.rejects(started, /Failed to load the SIP core .*404/);
    assert.equal(FakeWebSocket.instances[0].readyState, 3);
    await phone.dispose();
  } finally {
    wasm.restore();
  }
});

for (const [label, extra] of [['default limit', {}], ['connectTimeout 0', { autoRecover: { connectTimeout: 0 } }]]) {
  test(`_abandon() (multi-tab handover) while start() waits for its socket: start() rejects at once (${label})`, async () => {
    FakeWebSocket.held = true;
    const phone = newPhone(extra);
    const started = settledOf(phone.start());
    await until('UA made', () => phone.sipClient.ua_);
    phone._abandon();
    await until('start() settles', () => started.v !== 'pending', 500);
    assert.equal(started.v, 'rejected: the phone moved to another tab');
  });
}

test('register() or request() with no open socket rejects at once, as a transport failure (it went nowhere and timed out)', async () => {
  const phone = newPhone();
  await phone.start();
  FakeWebSocket.instances[0].drop(1006);
  await sleep(10);
  const t0 = Date.now();
  const err = await phone.sipClient.register(60).then(() => null, (e) => e);
  assert.ok(err, 'rejected');
  assert.equal(err.message, 'Registration failed: transport closed');
  assert.equal(err.code, 'transport');
  assert.ok(Date.now() - t0 < 500);
  await assert.rejects(phone.sipClient.request('OPTIONS sip:example.test SIP/2.0\r\nContent-Length: 0\r\n\r\n'), /^Error: send: the WebSocket is not open/);
  await phone.dispose();
});

test('autoRecover: register() during an outage rejects at once and leaves the recovery attempt alone', async () => {
  const phone = newPhone({ autoRecover: { reconnectDelay: 50, jitter: 0, pingInterval: 0, connectTimeout: 8000 } });
  await phone.start();
  FakeWebSocket.held = true; // the next attempt hangs in its handshake
  FakeWebSocket.instances[0].drop(1006);
  await until('a recovery attempt', () => FakeWebSocket.instances.length === 2);
  await assert.rejects(phone.sipClient.register(60), (e) => e.code === 'transport');
  await sleep(5500); // past the REGISTER no-answer time that used to close the attempt
  assert.equal(FakeWebSocket.instances[1].readyState, 0, 'the attempt is still connecting');
  FakeWebSocket.instances[1].open();
  await until('recovered', () => phone.sipClient.connectionState === 'connected', 1000);
  await phone.dispose();
});

test('dispose() twice: the second settles with the first, once the phone is gone (it resolved at once)', async () => {
  let answerUnregister;
  const phone = newPhone();
  await phone.start();
  const origSend = FakeWebSocket.prototype.send;
  FakeWebSocket.prototype.send = function (text) {
    if (/;expires=0/.test(text)) { this.sent.push(text); answerUnregister = () => this.deliver(reply(text, 200, 'OK')); return; }
    return origSend.call(this, text);
  };
  try {
    const first = settledOf(phone.dispose());
    const second = settledOf(phone.dispose());
    await until('un-REGISTER sent', () => answerUnregister);
    await sleep(20);
    assert.equal(second.v, 'pending', 'not before the un-REGISTER is answered');
    answerUnregister();
    await until('both settle', () => first.v !== 'pending' && second.v !== 'pending', 1000);
    assert.deepEqual([first.v, second.v], ['resolved', 'resolved']);
  } finally {
    FakeWebSocket.prototype.send = origSend;
  }
});

test('unregister() before start() rejects (it threw synchronously)', async () => {
  const phone = newPhone();
  let threw = false;
  let p;
  try {
    p = phone.sipClient.unregister();
  } catch {
    threw = true;
  }
  assert.equal(threw, false);
  await assert.rejects(p, /not started/);
});

// --- a call that is up moves with the phone to a new socket -------------------

const offer = 'v=0\r\no=- 7 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=sendrecv\r\n';
const fakeMedia = () => ({
  createOffer: async () => offer.replace('o=- 7', 'o=- 1'),
  createAnswer: async () => offer.replace('o=- 7', 'o=- 2'),
  applyAnswer: async () => {}, changeInputDevice: async () => {}, changeOutputDevice: async () => {},
  setMuted: () => {}, sendDtmf: () => {}, dispose: () => {},
});
const invite = (callId) => ['INVITE sip:101@abc.invalid;transport=ws SIP/2.0',
  'Via: SIP/2.0/WSS 127.0.0.1:9;branch=z9hG4bKinv1', 'Max-Forwards: 70',
  'From: "Caller" <sip:+15550100@example.test>;tag=c1', 'To: <sip:101@example.test>',
  `Call-ID: ${callId}`, 'CSeq: 1 INVITE', 'Contact: <sip:+15550100@127.0.0.1:9;transport=ws>',
  'Content-Type: application/sdp', `Content-Length: ${offer.length}`, '', offer].join('\r\n');

async function phoneInCall(callId, extra = {}) {
  const phone = newPhone({ webRtcSessionFactory: fakeMedia, ...extra });
  const events = [];
  await phone.start();
  const ws = FakeWebSocket.instances[0];
  const arrived = new Promise((r) => phone.on('inboundCall', r));
  const inv = invite(callId);
  ws.deliver(inv);
  const session = await arrived;
  await session.answer();
  const ok = ws.sent.find((t) => /^SIP\/2\.0 200 /.test(t) && /CSeq: 1 INVITE/.test(t));
  ws.deliver(inv.replace(/^INVITE /, 'ACK ').replace('CSeq: 1 INVITE', 'CSeq: 1 ACK').replace(/^To: .*$/m, /^To: .*$/m.exec(ok)[0])
    .replace(/Content-Type[^]*$/, 'Content-Length: 0\r\n\r\n'));
  for (const n of ['mediaRecovering', 'mediaRecovered', 'mediaRecoveryFailed']) session.on(n, () => events.push(n));
  server.other = (req) => (/^INVITE /.test(req)
    ? [reply(req, 200, 'OK', ['Contact: <sip:+15550100@127.0.0.1:9;transport=ws>', 'Content-Type: application/sdp', `Content-Length: ${offer.length}`]).replace(/Content-Length: 0\r\n\r\n$/, '\r\n') + offer]
    : []);
  return { phone, session, events, ws };
}
const reInvitesOn = (ws) => ws.sent.filter((t) => /^INVITE /.test(t)).length;

for (const [label, extra, how] of [
  ['autoRecover, start() while it waits to reconnect', { autoRecover: { reconnectDelay: 5000, jitter: 0, pingInterval: 0 } }, 'drop'],
  ['toggleBackupOutboundProxy() then start()', {}, 'toggle'],
]) {
  test(`a call that is up moves with start() to the new socket: an ICE-restart re-INVITE goes through it (${label})`, async () => {
    const { phone, session, events, ws } = await phoneInCall(`moved-${how}`, extra);
    if (how === 'drop') {
      ws.drop(1006);
      await until('waiting to reconnect', () => phone.sipClient.connectionState === 'waiting');
    } else {
      phone.sipClient.toggleBackupOutboundProxy(true);
    }
    await phone.start();
    const now = FakeWebSocket.instances.at(-1);
    assert.equal(now.url, how === 'toggle' ? BACKUP : PRIMARY);
    await until('mediaRecovered', () => events.includes('mediaRecovered'), 2000);
    assert.equal(reInvitesOn(now), 1);
    assert.match(now.sent.find((t) => /^INVITE /.test(t)), /^Call-ID: moved-/m);
    assert.deepEqual(events, ['mediaRecovering', 'mediaRecovered']);
    assert.equal(session.state, 'answered');
    await phone.dispose();
  });
}

test('a listener that throws: the frames and events behind it still go out, and the error still reaches the caller (they waited for the next frame)', async () => {
  const phone = newPhone();
  await phone.start();
  const ws = FakeWebSocket.instances[0];
  const options = ['OPTIONS sip:101@example.test SIP/2.0', 'Via: SIP/2.0/WSS 192.0.2.1;branch=z9hG4bK-throw1',
    'From: <sip:srv@example.test>;tag=a1', 'To: <sip:101@example.test>', 'Call-ID: throwing-listener-1',
    'CSeq: 1 OPTIONS', 'Max-Forwards: 70', 'Content-Length: 0', '', ''].join('\r\n');
  const boom = new Error('app listener failed');
  const seen = [];
  const thrower = () => { throw boom; };
  phone.sipClient.on('inboundMessage', thrower);
  phone.sipClient.on('outboundMessage', (m) => seen.push(m.subject));
  try {
    const before = ws.sent.length;
    // The socket handler is the emitter's caller here: the error reaches it (spec §2.12).
    assert.throws(() => ws.deliver(options), (e) => e === boom);
    // The core's 200 OK was queued behind the inbound message event: sent all the same, and its event emitted.
    assert.equal(ws.sent.length, before + 1);
    assert.match(ws.sent[before], /^SIP\/2\.0 200 OK\r\n/);
    assert.deepEqual(seen, ['SIP/2.0 200 OK']);
  } finally {
    phone.sipClient.off('inboundMessage', thrower); // the un-REGISTER's answer would throw too
    await phone.dispose();
  }
});

test('dispose() while an auto-answer waits: its timer goes with the phone (it stayed armed and answered a disposed phone)', async () => {
  const invite = readFileSync(`${root}/tests/vectors/msg/10-inbound-invite.sip`, 'latin1').replace(/\r?\n/g, '\r\n')
    .replace('Answer-After=0', 'Answer-After=600000');
  const saved = { set: globalThis.setTimeout, clear: globalThis.clearTimeout };
  const long = new Set();
  globalThis.setTimeout = (fn, ms, ...a) => { const t = saved.set(fn, ms, ...a); if (ms === 600000) long.add(t); return t; };
  globalThis.clearTimeout = (t) => { long.delete(t); saved.clear(t); };
  const phone = newPhone();
  try {
    await phone.start();
    const ringing = new Promise((r) => phone.once('inboundCall', r));
    FakeWebSocket.instances[0].deliver(invite);
    const session = await ringing;
    assert.equal(session.state, 'ringing');
    assert.equal(long.size, 1, 'the auto-answer delay (Answer-After=600000) is armed');
    await phone.dispose();
    assert.equal(long.size, 0, 'dispose() cleared it');
  } finally {
    globalThis.setTimeout = saved.set;
    globalThis.clearTimeout = saved.clear;
    await phone.dispose();
  }
});

test('autoRecover: hold() while the socket is down rejects at once and the call lives on to recover (the lost re-INVITE ended it 32 s after recovery)', async () => {
  const { phone, session, events, ws } = await phoneInCall('outage-hold', { autoRecover: { reconnectDelay: 300, jitter: 0, pingInterval: 0 } });
  try {
    ws.drop(1006);
    await until('waiting to reconnect', () => phone.sipClient.connectionState === 'waiting');
    const held = settledOf(session.hold());
    await until('hold() settles', () => held.v !== 'pending', 500);
    assert.match(held.v, /^rejected: .*503/);
    assert.equal(session.state, 'answered');
    // Recovered on a new socket: the core's ICE-restart re-INVITE goes through it (it was
    // refused, "another re-INVITE is in progress", behind the lost one).
    await until('mediaRecovered', () => events.includes('mediaRecovered'), 3000);
    const now = FakeWebSocket.instances.at(-1);
    assert.notEqual(now, ws);
    assert.equal(reInvitesOn(now), 1);
    assert.equal(reInvitesOn(ws), 0, 'nothing was written to the dead socket');
    assert.equal(session.state, 'answered');
  } finally {
    await phone.dispose();
  }
});

test('autoRecover: ICE fails with the socket down: no media recovery of its own, no mediaRecoveryFailed; the core\'s after re-registration restores it (it failed 3 times, then recovered)', async () => {
  // The outage outlasts recoverMedia's three tries (0, 1 and 3 s): the phone is back after 4 s.
  const { phone, session, events, ws } = await phoneInCall('outage-ice', { autoRecover: { reconnectDelay: 4000, jitter: 0, pingInterval: 0 } });
  const answerInvites = server.other;
  try {
    // ICE fails first, its re-INVITE goes out and gets no answer; then the socket drops.
    server.other = () => [];
    session.onMediaConnectionState({ state: 'failed' });
    await until('the ICE-restart re-INVITE', () => reInvitesOn(ws) === 1);
    ws.drop(1006);
    await until('waiting to reconnect', () => phone.sipClient.connectionState === 'waiting');
    // ICE fails again while the socket is down: nothing to try now.
    session.onMediaConnectionState({ state: 'failed' });
    server.other = answerInvites;
    await until('mediaRecovered', () => events.includes('mediaRecovered'), 8000);
    assert.deepEqual(events, ['mediaRecovering', 'mediaRecovering', 'mediaRecovered']);
    assert.equal(reInvitesOn(FakeWebSocket.instances.at(-1)), 1);
    assert.equal(session.state, 'answered');
  } finally {
    server.other = answerInvites;
    await phone.dispose();
  }
});
