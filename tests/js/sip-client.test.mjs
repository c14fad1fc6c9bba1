// The JS shim driving the real wasm core in Node, against a scripted
// registrar behind a fake WebSocket. Covers what a browser test cannot
// force cheaply: a silent server, a dropped socket, wrong credentials, misuse.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mock, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const wasmBinary = readFileSync(`${root}/dist/sip-core.wasm`);
const { default: WebPhone } = await import(`${root}/dist/es/index.js`);

const sipInfo = {
  username: '101', authorizationId: '101', password: 'secret', domain: 'example.test',
  outboundProxy: 'ws://127.0.0.1:9', stunServers: [],
};

// --- a scripted registrar behind a fake WebSocket (test-side SIP handling) ---
function headerLines(text) {
  const head = text.split('\r\n\r\n')[0].split('\r\n');
  return { startLine: head[0], lines: head.slice(1) };
}
function reply(request, status, reason, extra = []) {
  const { lines } = headerLines(request);
  const copy = lines.filter((l) => /^(via|from|to|call-id|cseq):/i.test(l))
    .map((l) => (/^to:/i.test(l) && !/;tag=/.test(l) ? `${l};tag=srv` : l));
  return [`SIP/2.0 ${status} ${reason}`, ...copy, ...extra, 'Content-Length: 0', '', ''].join('\r\n');
}
const contactOf = (req) => headerLines(req).lines.find((l) => /^contact:/i.test(l)).replace(/^contact:\s*/i, '').split(';expires')[0];

class FakeWebSocket {
  static OPEN = 1;
  static script = () => {};
  static instances = [];
  constructor(url, protocol) {
    this.url = url; this.protocol = protocol; this.readyState = 0; this.sent = [];
    FakeWebSocket.instances.push(this);
    if (!FakeWebSocket.held) setTimeout(() => this.open(), 1);
  }
  /** Held sockets (FakeWebSocket.held) open only when the test calls this. */
  open() { this.readyState = 1; this.onopen?.(); }
  send(text) {
    this.sent.push(text);
    const answers = FakeWebSocket.script(text, this) ?? [];
    for (const a of answers) setTimeout(() => this.readyState === 1 && this.onmessage?.({ data: a }), 1);
  }
  close() {
    if (this.readyState === 3) return;
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code: 1000 }), 1);
  }
}
globalThis.WebSocket = FakeWebSocket;

const challenge = (req) => [reply(req, 401, 'Unauthorized', ['WWW-Authenticate: Digest realm="example.test", nonce="abc"'])];
const newPhone = () => new WebPhone({ sipInfo, wasm: { wasmBinary } });
/** A registrar whose 200 lists `contacts(req)`, one Contact header each. */
const registrarWith = (contacts) => (req) => {
  if (!/^REGISTER /.test(req)) return [];
  if (!/^Authorization:/im.test(req)) return challenge(req);
  if (/;expires=0/.test(req)) return [reply(req, 200, 'OK')];
  return [reply(req, 200, 'OK', contacts(req).map((c) => `Contact: ${c}`))];
};

test('start() registers through a 401 challenge and dispose() unregisters with expires=0', async () => {
  FakeWebSocket.script = (req) => {
    if (!/^Authorization:/im.test(req)) return challenge(req);
    const expires = /;expires=0/.test(req) ? '0' : '60';
    return [reply(req, 200, 'OK', [`Contact: ${contactOf(req)};expires=${expires}`])];
  };
  const phone = newPhone();
  const seen = [];
  phone.sipClient.on('outboundMessage', (m) => seen.push(m));
  await phone.start();
  const ws = FakeWebSocket.instances.at(-1);
  assert.equal(ws.protocol, 'sip');
  assert.equal(ws.url, 'ws://127.0.0.1:9');
  assert.equal(seen.length, 2);
  assert.match(seen[0].getHeader('contact'), /;expires=60$/);
  assert.match(seen[1].getHeader('AUTHORIZATION'), /^Digest /);
  await phone.dispose();
  assert.match(ws.sent.at(-1), /;expires=0/);
  assert.equal(ws.readyState, 3, 'socket closed after dispose');
});

test('wrong password: start() rejects with the status line and nothing is retried', async () => {
  FakeWebSocket.script = (req) => challenge(req);
  const phone = newPhone();
  await assert.rejects(phone.start(), { message: 'Registration failed: SIP/2.0 401 Unauthorized' });
  const ws = FakeWebSocket.instances.at(-1);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(ws.sent.length, 2, 'one REGISTER and one authenticated retry, no loop');
  await phone.dispose();
});

test('403 and 603 reject with their status lines', async () => {
  for (const [code, reason] of [[403, 'Forbidden'], [603, 'Too Many Contacts']]) {
    FakeWebSocket.script = (req) => (/^Authorization:/im.test(req) ? [reply(req, code, reason)] : challenge(req));
    const phone = newPhone();
    await assert.rejects(phone.start(), { message: `Registration failed: SIP/2.0 ${code} ${reason}` });
    await phone.dispose();
  }
});

// --- registration errors say what happened (README "Registration errors") ---
const { RegistrationError } = await import(`${root}/dist/es/registration-error.js`);

test('403: start() rejects with a RegistrationError, code forbidden, message unchanged', async () => {
  FakeWebSocket.script = (req) => (/^Authorization:/im.test(req) ? [reply(req, 403, 'Forbidden')] : challenge(req));
  const phone = newPhone();
  const err = await phone.start().catch((e) => e);
  assert.ok(err instanceof RegistrationError);
  assert.ok(err instanceof WebPhone.RegistrationError);
  assert.ok(err instanceof Error);
  assert.equal(err.message, 'Registration failed: SIP/2.0 403 Forbidden');
  assert.equal(String(err), 'Error: Registration failed: SIP/2.0 403 Forbidden', 'reads as in 2.x');
  assert.deepEqual({ ...err }, { code: 'forbidden', status: 403, reason: 'Forbidden', retryAfterMs: 0 });
  assert.deepEqual(phone.registrations, []);
  await phone.dispose();
});

test('603 with Retry-After: 60: code tooManyContacts, retryAfterMs 60000', async () => {
  FakeWebSocket.script = (req) => (/^Authorization:/im.test(req)
    ? [reply(req, 603, 'Too Many Contacts', ['Retry-After: 60'])] : challenge(req));
  const phone = newPhone();
  await assert.rejects(phone.start(), {
    message: 'Registration failed: SIP/2.0 603 Too Many Contacts',
    code: 'tooManyContacts', status: 603, reason: 'Too Many Contacts', retryAfterMs: 60000,
  });
  await phone.dispose();
});

test('wrong password (a second 401): code unauthorized', async () => {
  FakeWebSocket.script = (req) => challenge(req);
  const phone = newPhone();
  await assert.rejects(phone.start(), (e) => e instanceof RegistrationError && e.code === 'unauthorized' &&
    e.status === 401 && e.message === 'Registration failed: SIP/2.0 401 Unauthorized');
  await phone.dispose();
});

test('a refresh refused with 503 emits registrationFailed with code serverError and Retry-After', async () => {
  let registers = 0;
  FakeWebSocket.script = (req) => {
    if (!/^REGISTER /.test(req)) return [];
    registers++;
    if (/;expires=0/.test(req)) return [reply(req, 200, 'OK')];
    if (registers > 2) return [reply(req, 503, 'Service Unavailable', ['Retry-After: 120 (maintenance)'])];
    if (!/^Authorization:/im.test(req)) return challenge(req);
    return [reply(req, 200, 'OK', [`Contact: ${contactOf(req)};expires=6`])];
  };
  const phone = newPhone();
  await phone.start();
  assert.equal(phone.registrations.length, 1);
  const failed = await new Promise((resolve) => phone.sipClient.once('registrationFailed', resolve));
  assert.ok(failed instanceof RegistrationError);
  assert.deepEqual({ ...failed }, { code: 'serverError', status: 503, reason: 'Service Unavailable', retryAfterMs: 120000 });
  assert.deepEqual(phone.registrations, [], 'no binding after a failed refresh');
  await phone.dispose();
});

test('registrations lists the bindings of the last 2xx, ours marked', async () => {
  FakeWebSocket.script = registrarWith((req) => [
    '<sip:101@other.invalid;transport=wss>;+sip.instance="<urn:uuid:other-device>";expires=42',
    `${contactOf(req)};expires=60`,
  ]);
  const phone = new WebPhone({ sipInfo, instanceId: 'my-device', wasm: { wasmBinary } });
  assert.deepEqual(phone.registrations, []);
  await phone.start();
  const ours = contactOf(FakeWebSocket.instances.at(-1).sent.at(-1));
  assert.deepEqual(phone.registrations, [
    { uri: 'sip:101@other.invalid;transport=wss', expires: 42, instance: 'urn:uuid:other-device', ours: false },
    { uri: ours.replace(/^<([^>]*)>.*$/, '$1'), expires: 60, instance: 'urn:uuid:my-device', ours: true },
  ]);
  assert.equal(phone.sipClient.registrations, phone.registrations);
  await phone.dispose();
  assert.deepEqual(phone.registrations, [], 'none after dispose');
});

test('a silent server: start() rejects after 5 s and the socket is closed', async () => {
  FakeWebSocket.script = () => [];
  const phone = newPhone();
  const t0 = performance.now();
  await assert.rejects(phone.start(), { message: 'Registration failed: no response from the server (timeout)', code: 'timeout', status: 408 });
  assert.ok(performance.now() - t0 >= 4900);
  assert.equal(FakeWebSocket.instances.at(-1).readyState, 3);
  await phone.dispose(); // must not hang on a dead socket
});

test('a socket slower than the core: the UA is made while the handshake runs, the REGISTER goes out on open; a socket that fails then rejects start() with its error', async () => {
  FakeWebSocket.held = true;
  const sockets = FakeWebSocket.instances;
  sockets.length = 0;
  try {
    FakeWebSocket.script = (req) => (req.startsWith('REGISTER ') ? [reply(req, 200, 'OK', [`Contact: ${contactOf(req)};expires=60`])] : []);
    const phone = newPhone();
    const started = phone.start();
    for (let i = 0; i < 100 && !phone.sipClient.ua_; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(phone.sipClient.ua_, 'the UA exists before the socket is open');
    assert.equal(sockets[0].sent.length, 0, 'nothing sent before open');
    sockets[0].open();
    await started;
    assert.match(sockets[0].sent[0], /^REGISTER /);
    await phone.dispose();

    // The core is ready, the socket fails: start() says why.
    const failing = newPhone();
    const refused = failing.start();
    for (let i = 0; i < 100 && !failing.sipClient.ua_; i++) await new Promise((r) => setTimeout(r, 10));
    sockets.at(-1).onerror?.();
    await assert.rejects(refused, /WebSocket connection to ws:\/\/127\.0\.0\.1:9 failed/);
    await failing.dispose();
  } finally {
    FakeWebSocket.held = false;
    FakeWebSocket.script = () => {};
  }
});

test('the socket drops while registering: start() rejects instead of hanging', async () => {
  FakeWebSocket.script = (req, ws) => { ws.close(); return []; };
  const phone = newPhone();
  await assert.rejects(phone.start(), { message: 'Registration failed: transport closed', code: 'transport', status: 503 });
  await phone.dispose();
});

test('malformed SIP from the server is dropped with a reason, never a crash', async () => {
  FakeWebSocket.script = (req) => ['GARBAGE\r\n\r\n', 'SIP/2.0 200\r\nVia: x\r\n\r\n', ...challenge(req)].slice(0, 3);
  const phone = newPhone();
  const dropped = [];
  phone.sipClient.on('dropped', (r) => dropped.push(r));
  const started = phone.start().catch((e) => e);
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(dropped.length >= 2, `dropped: ${dropped}`);
  assert.match(dropped[0], /malformed SIP message/);
  FakeWebSocket.instances.at(-1).close();
  await started;
  await phone.dispose();
});

test('misuse: missing sipInfo fields and start() after dispose() throw clear errors', async () => {
  assert.throws(() => new WebPhone({}), /sipInfo is required/);
  assert.throws(() => new WebPhone({ sipInfo: { ...sipInfo, password: '' } }), /sipInfo.password/);
  const phone = newPhone();
  await phone.dispose();
  await assert.rejects(phone.start(), /disposed/);
});

// --- app-written messages: sipClient.request / reply / send (spec §2.8) ---
const registrar = (onOther) => (req, ws) => {
  if (/^REGISTER /.test(req)) {
    if (!/^Authorization:/im.test(req)) return challenge(req);
    const expires = /;expires=0/.test(req) ? '0' : '60';
    return [reply(req, 200, 'OK', [`Contact: ${contactOf(req)};expires=${expires}`])];
  }
  return onOther(req, ws);
};

test('request() sends an app-built MESSAGE on its own transaction and resolves with the final response', async () => {
  const { default: RequestMessage } = await import(`${root}/dist/es/sip-message/outbound/request.js`);
  FakeWebSocket.script = registrar((req) => [reply(req, 100, 'Trying'), reply(req, 202, 'Accepted', ['X-Seen: yes'])]);
  const phone = newPhone();
  await phone.start();
  const msg = new RequestMessage('MESSAGE sip:102@example.test SIP/2.0', {
    From: '<sip:101@example.test>;tag=app1', To: '<sip:102@example.test>', 'Call-ID': 'app-call-1',
    'Content-Type': 'text/plain',
  }, 'hello');
  const response = await phone.sipClient.request(msg);
  assert.equal(response.subject, 'SIP/2.0 202 Accepted');
  assert.equal(response.getHeader('x-seen'), 'yes');
  const sent = FakeWebSocket.instances.at(-1).sent.find((t) => t.startsWith('MESSAGE '));
  assert.match(sent, /^MESSAGE [^\r]+\r\nVia: SIP\/2\.0\/WS \S+;branch=z9hG4bK/, 'the core added its Via, on top');
  assert.match(sent, /\r\n\r\nhello\r\n$/);
  await phone.dispose();
});

test('request() rejects clearly: foreign methods, malformed text, a dropped socket', async () => {
  let hold = false;
  FakeWebSocket.script = registrar((req, ws) => (hold ? [] : [reply(req, 200, 'OK')]));
  const phone = newPhone();
  await assert.rejects(phone.sipClient.request('OPTIONS sip:x SIP/2.0\r\n\r\n'), /not started/);
  await phone.start();
  const head = 'From: <sip:101@example.test>;tag=a\r\nTo: <sip:102@example.test>\r\nCall-ID: c1\r\n';
  await assert.rejects(phone.sipClient.request(`INVITE sip:102@example.test SIP/2.0\r\n${head}CSeq: 1 INVITE\r\n\r\n`),
    /INVITE belongs to a call; use webPhone\.call\(\)/);
  await assert.rejects(phone.sipClient.request('not sip at all'), /malformed SIP message/);
  await assert.rejects(phone.sipClient.reply(`SIP/2.0 200 OK\r\nVia: SIP/2.0/WSS p;branch=z9hG4bKx\r\n${head}CSeq: 9 MESSAGE\r\n\r\n`),
    /no request is waiting for this response/);
  hold = true;
  const pending = phone.sipClient.request(`OPTIONS sip:102@example.test SIP/2.0\r\n${head}CSeq: 2 OPTIONS\r\n\r\n`);
  setTimeout(() => FakeWebSocket.instances.at(-1).close(), 20);
  await assert.rejects(pending, /request\(\): SIP\/2\.0 503 .*\(/);
  await phone.dispose();
});

test('DummySipClient: request() resolves with an empty message, reply() is a no-op', async () => {
  const { DummySipClient } = await import(`${root}/dist/es/sip-client.js`);
  const dummy = new DummySipClient();
  const m = await dummy.request('OPTIONS sip:x SIP/2.0\r\n\r\n');
  assert.equal(m.subject, '');
  assert.equal(await dummy.reply('SIP/2.0 200 OK\r\n\r\n'), undefined);
});

// --- settled promises when the call ends under an action (issue: never hang) ---
const fakeMedia = () => ({
  createOffer: async () => 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=sendrecv\r\n',
  createAnswer: async () => 'v=0\r\no=- 2 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=sendrecv\r\n',
  applyAnswer: async () => {}, changeInputDevice: async () => {}, changeOutputDevice: async () => {},
  setMuted: () => {}, sendDtmf: () => {}, dispose: () => {},
});
const offer = 'v=0\r\no=- 7 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=sendrecv\r\n';
const invite = (callId) => {
  const prc = '<Msg><Hdr SID="sid-1" Req="req-1" From="#77@example.test:5060" To="101" Cmd="6"/>' +
    '<Bdy Phn="+15550100" Nm="Caller" ToPhn="+101" ToNm="Me"/></Msg>';
  return [`INVITE sip:101@abc.invalid;transport=ws SIP/2.0`,
    'Via: SIP/2.0/WSS 127.0.0.1:9;branch=z9hG4bKinv1', 'Max-Forwards: 70',
    'From: "Caller" <sip:+15550100@example.test>;tag=c1', 'To: <sip:101@example.test>',
    `Call-ID: ${callId}`, 'CSeq: 1 INVITE', 'Contact: <sip:+15550100@127.0.0.1:9;transport=ws>',
    `P-rc: ${prc}`, 'Content-Type: application/sdp', `Content-Length: ${offer.length}`, '', offer].join('\r\n');
};
const cancelOf = (inv) => inv.replace(/^INVITE /, 'CANCEL ').replace('CSeq: 1 INVITE', 'CSeq: 1 CANCEL')
  .replace(/Content-Type[^]*$/, 'Content-Length: 0\r\n\r\n');

/** A started phone with `media` as its webRtcSessionFactory, and an inbound call `callId` ringing in it. */
async function ringingPhone(callId, media) {
  const phone = new WebPhone({ sipInfo, wasm: { wasmBinary }, webRtcSessionFactory: media });
  await phone.start();
  const ws = FakeWebSocket.instances.at(-1);
  const arrived = new Promise((resolve) => phone.on('inboundCall', resolve));
  const inv = invite(callId);
  ws.onmessage({ data: inv });
  return { phone, ws, inv, session: await arrived };
}

test('the server CANCELs before answering the voicemail MESSAGE: toVoicemail() is done, never hangs', async () => {
  FakeWebSocket.script = registrar((req) => {
    // answer confirmReceive (Cmd 17), ignore the voicemail command (Cmd 11)
    if (/^MESSAGE /.test(req) && /Cmd="17"/.test(req)) return [reply(req, 200, 'OK')];
    return [];
  });
  const { phone, ws, inv, session } = await ringingPhone('vm-call-1', fakeMedia);
  await new Promise((r) => setTimeout(r, 20));
  const pending = session.toVoicemail();
  await new Promise((r) => setTimeout(r, 20));
  assert.ok(ws.sent.some((t) => /Cmd="11"/.test(t)), 'Cmd 11 sent');
  ws.onmessage({ data: cancelOf(inv) });
  await pending; // Cmd 11 took effect: RingCentral carries it out by CANCELing the INVITE
  assert.equal(session.state, 'disposed');
  assert.equal(phone.callSessions.length, 0);
  await phone.dispose();
});

test('a reply() whose MESSAGE is refused rejects and leaves no SessionClose waiter behind', async () => {
  FakeWebSocket.script = registrar((req) => {
    if (/^MESSAGE /.test(req) && /Cmd="17"/.test(req)) return [reply(req, 200, 'OK')];
    if (/^MESSAGE /.test(req)) return [reply(req, 480, 'Temporarily Unavailable')];
    return [];
  });
  const { phone, ws, session } = await ringingPhone('reply-call-1', fakeMedia);
  await assert.rejects(session.reply('busy, later'), /reply failed: SIP\/2\.0 480 Temporarily Unavailable/);
  assert.equal(phone.rcWaiters.size, 0, 'no SessionClose waiter (and no 120 s timer) left');
  await assert.rejects(session.reply({ type: 'callYouBack' }), /^Error: Invalid reply options$/);
  assert.equal(phone.rcWaiters.size, 0);
  await phone.dispose();
});

// --- mute state: kept by the session, and onto media opened later (multi-tab takeover) ---
test('muted follows mute()/unmute(); a call marked muted before its media opens starts muted', async () => {
  FakeWebSocket.script = registrar((req) => (/^(MESSAGE|BYE) /.test(req) ? [reply(req, 200, 'OK')] : []));
  const calls = [];
  const media = () => ({ ...fakeMedia(), setMuted: (m) => calls.push(m) });
  const { phone, ws, inv, session } = await ringingPhone('mute-call-1', media);
  assert.equal(session.muted, false);
  session._keepMuted(); // what the multi-tab leader does for an adopted call that was muted
  await session.answer();
  ws.onmessage({ data: ackFor(inv, ws.sent) });
  assert.deepEqual(calls, [true], 'the media session was muted as it was made');
  assert.equal(session.muted, true);
  session.unmute();
  assert.equal(session.muted, false);
  session.mute();
  assert.deepEqual(calls, [true, false, true]);
  assert.equal(session.muted, true);
  await session.hangup();
  await phone.dispose();
});

// --- JSON INFO commands (startRecording, park, flip): the result, or the refusal at once ---
test('startRecording(): resolves with the result INFO; a refused INFO rejects at once with its status line', async () => {
  let refuse = false;
  const infos = [];
  FakeWebSocket.script = registrar((req) => {
    if (/^MESSAGE /.test(req)) return [reply(req, 200, 'OK')];
    if (!/^INFO /.test(req)) return [];
    infos.push(req);
    if (refuse) return [reply(req, 403, 'Forbidden')];
    const body = JSON.parse(req.slice(req.indexOf('\r\n\r\n') + 4));
    const result = JSON.stringify({ response: { reqid: body.request.reqid, command: body.request.command, result: { code: 0, description: 'Succeeded' } } });
    const to = /^From: .*$/m.exec(req)[0].replace(/^From/, 'To');
    const from = /^To: .*$/m.exec(req)[0].replace(/^To/, 'From');
    const callId = /^Call-ID: .*$/m.exec(req)[0];
    const resultInfo = ['INFO sip:101@abc.invalid;transport=ws SIP/2.0', 'Via: SIP/2.0/WSS 127.0.0.1:9;branch=z9hG4bKri' + infos.length,
      from, to, callId, `CSeq: ${90 + infos.length} INFO`, 'Content-Type: application/json;charset=utf-8',
      `Content-Length: ${Buffer.byteLength(result)}`, '', result].join('\r\n');
    return [reply(req, 200, 'OK'), resultInfo];
  });
  const { phone, ws, inv, session } = await ringingPhone('rec-call-1', fakeMedia);
  await session.answer();
  ws.onmessage({ data: ackFor(inv, ws.sent) });
  assert.deepEqual(await session.startRecording(), { code: 0, description: 'Succeeded' });
  refuse = true;
  const t0 = Date.now();
  await assert.rejects(session.stopRecording(), /^Error: stopcallrecord: the server refused it \(SIP\/2\.0 403 Forbidden\)$/);
  assert.ok(Date.now() - t0 < 5000, 'rejected at the 403, not at the 15 s timeout');
  assert.equal(infos.length, 2);
  assert.equal(session.state, 'answered', 'the call goes on');
  await session.hangup();
  await phone.dispose();
});

// --- sendDtmf: sent, or refused with the reason; never dropped silently ---
/** `resp` (from reply()) carrying an SDP body. */
const withSdp = (resp, sdp) => resp.replace('Content-Length: 0\r\n\r\n',
  `Content-Type: application/sdp\r\nContent-Length: ${Buffer.byteLength(sdp)}\r\n\r\n${sdp}`);
/** The server's ACK for our 2xx to `inv` (its To tag from what we sent). */
const ackFor = (inv, sent) => {
  const ok = sent.find((t) => /^SIP\/2\.0 200 /.test(t) && /CSeq: 1 INVITE/.test(t));
  const to = /^To: .*$/m.exec(ok)[0];
  return inv.replace(/^INVITE /, 'ACK ').replace('CSeq: 1 INVITE', 'CSeq: 1 ACK').replace(/^To: .*$/m, to)
    .replace(/Content-Type[^]*$/, 'Content-Length: 0\r\n\r\n');
};

test('sendDtmf: no media before answer(), the media layer sends or says why, the call ended: clear errors', async () => {
  FakeWebSocket.script = registrar((req) => (/^(MESSAGE|BYE) /.test(req) ? [reply(req, 200, 'OK')] : []));
  const sent = [];
  let refusal = null;
  const media = () => ({ ...fakeMedia(), sendDtmf: (...a) => { if (refusal) throw new Error(refusal); sent.push(a); } });
  const { phone, ws, inv, session } = await ringingPhone('dtmf-call-1', media);
  assert.throws(() => session.sendDtmf('1'), /^Error: sendDtmf: the call has no media yet \(state: ringing\)$/);
  await session.answer();
  ws.onmessage({ data: ackFor(inv, ws.sent) });
  session.sendDtmf('12#', 150, 90);
  assert.deepEqual(sent, [['12#', 150, 90]]);
  refusal = 'sendDtmf: DTMF cannot be sent: our audio is not being sent (media direction recvonly: ...)';
  assert.throws(() => session.sendDtmf('3'), /media direction recvonly/); // the media layer's reason, unchanged
  assert.throws(() => session.sendDtmf('1x'), /invalid DTMF tones "1x"/);
  await session.hangup();
  assert.throws(() => session.sendDtmf('1'), /^Error: sendDtmf: the call has ended \(state: disposed\)$/);
  assert.deepEqual(sent, [['12#', 150, 90]]);
  await phone.dispose();
});

/** A registrar that answers every INVITE (re-INVITEs too) 200 with an SDP, and BYE 200. */
const answeringRegistrar = registrar((req) => {
  const answer = 'v=0\r\no=- 9 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=sendrecv\r\n';
  if (/^INVITE /.test(req)) return [withSdp(reply(req, 200, 'OK', ['Contact: <sip:102@127.0.0.1:9;transport=ws>']), answer)];
  if (/^BYE /.test(req)) return [reply(req, 200, 'OK')];
  return [];
});

test('sendDtmf right after call() resolves waits for the answer to be applied; a refusal then is a mediaError', async () => {
  FakeWebSocket.script = answeringRegistrar;
  const sent = [];
  let refusal = null;
  let apply;
  const media = () => ({
    ...fakeMedia(),
    applyAnswer: () => new Promise((resolve) => (apply = resolve)), // the browser is still applying it
    sendDtmf: (...a) => { if (refusal) throw new Error(refusal); sent.push(a); },
  });
  const phone = new WebPhone({ sipInfo, wasm: { wasmBinary }, webRtcSessionFactory: media });
  await phone.start();

  const session = await phone.call('102');
  assert.equal(session.state, 'answered');
  session.sendDtmf('5', 200);
  assert.deepEqual(sent, [], 'not before the answer is applied');
  apply();
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(sent, [['5', 200, undefined]]);
  session.sendDtmf('6');
  assert.deepEqual(sent, [['5', 200, undefined], ['6', undefined, undefined]], 'applied: sent at once');
  await session.hangup();

  const second = await phone.call('102');
  const errors = [];
  second.on('mediaError', (e) => errors.push(e));
  refusal = 'sendDtmf: DTMF cannot be sent: the other side did not accept telephone-event (RFC 4733) in its SDP';
  second.sendDtmf('7'); // nothing to throw yet
  apply();
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /did not accept telephone-event/);
  await second.hangup();
  await phone.dispose();
});

test("diagnostics() of a webRtcSessionFactory call: no peer connection, so each side's last SDP on the wire", async () => {
  FakeWebSocket.script = registrar(() => []);
  const { phone, ws, session } = await ringingPhone('diag-factory-1', fakeMedia);
  const ringing = await session.diagnostics();
  assert.equal(ringing.calls?.length, undefined, 'a call bundle, not a phone bundle');
  assert.equal(ringing.remoteSdp, offer, "the INVITE's offer");
  assert.equal(ringing.localSdp, undefined, 'nothing sent with SDP yet');
  await session.answer();
  const answered = await session.diagnostics();
  assert.match(answered.localSdp, /^v=0\r\no=- 2 1 /, 'our 200 OK answer');
  assert.equal(answered.remoteSdp, offer);
  assert.deepEqual(answered.iceTimeline, []);
  await phone.dispose();
});

// --- DTMF by SIP INFO (README "DTMF"): the core reads and builds the INFOs ---
/** An in-dialog INFO from the callee of our INVITE in `sent` (its To tag "srv", as reply() adds). */
const peerInfo = (sent, cseq, type, body) => {
  const inv = sent.find((t) => /^INVITE /.test(t) && /^Authorization:|^Proxy-Authorization:/im.test(t)) ?? sent.find((t) => /^INVITE /.test(t));
  const h = (name) => new RegExp(`^${name}: (.*)$`, 'mi').exec(inv)[1];
  return [`INFO sip:101@abc.invalid;transport=ws SIP/2.0`, `Via: SIP/2.0/WSS 127.0.0.1:9;branch=z9hG4bKdtmf${cseq}`,
    'Max-Forwards: 70', `From: ${h('To')};tag=srv`, `To: ${h('From')}`, `Call-ID: ${h('Call-ID')}`, `CSeq: ${cseq} INFO`,
    `Content-Type: ${type}`, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
};
const settle = () => new Promise((r) => setTimeout(r, 20));

test("DTMF INFO in: the session emits dtmf and the core answers 200; a malformed one gets 400 and 'dropped'", async () => {
  FakeWebSocket.script = answeringRegistrar;
  const phone = new WebPhone({ sipInfo, wasm: { wasmBinary }, webRtcSessionFactory: fakeMedia });
  await phone.start();
  const ws = FakeWebSocket.instances.at(-1);
  const session = await phone.call('102');
  const digits = [];
  session.on('dtmf', (d) => digits.push(d));
  const dropped = [];
  phone.sipClient.on('dropped', (r) => dropped.push(r));
  ws.onmessage({ data: peerInfo(ws.sent, 20, 'application/dtmf-relay', 'Signal=1\r\nDuration=160\r\n') });
  ws.onmessage({ data: peerInfo(ws.sent, 21, 'application/dtmf-relay', 'Signal= 11\nDuration=90\n') });
  ws.onmessage({ data: peerInfo(ws.sent, 22, 'application/dtmf', '2') });
  ws.onmessage({ data: peerInfo(ws.sent, 23, 'application/dtmf-relay', 'Signal=Q\r\n') });
  ws.onmessage({ data: peerInfo(ws.sent, 24, 'application/json', '{"request":{}}') });
  await settle();
  assert.deepEqual(digits, [
    { digit: '1', duration: 160, transport: 'info' },
    { digit: '#', duration: 90, transport: 'info' },
    { digit: '2', duration: 0, transport: 'info' },
  ]);
  const answer = (cseq) => ws.sent.find((t) => /^SIP\/2\.0 /.test(t) && t.includes(`CSeq: ${cseq} INFO`))?.split('\r\n')[0];
  assert.deepEqual([20, 21, 22, 23, 24].map(answer), [
    'SIP/2.0 200 OK', 'SIP/2.0 200 OK', 'SIP/2.0 200 OK', 'SIP/2.0 400 Bad Request', 'SIP/2.0 200 OK']);
  assert.deepEqual(dropped, ['DTMF INFO refused (400): dtmf-relay Signal is not a DTMF digit']);
  assert.equal(session.state, 'answered', 'a bad INFO does not end the call');
  await session.hangup();
  await phone.dispose();
});

test("sendDtmf by INFO: one INFO per digit, each after the last is answered; a refusal rejects with its status", async () => {
  let refuse = null;
  const held = [];
  FakeWebSocket.script = (req, ws) => {
    if (/^INFO /.test(req)) {
      if (refuse && req.includes(`Signal=${refuse}`)) return [reply(req, 415, 'Unsupported Media Type')];
      held.push(req); // answered by the test, one at a time
      return [];
    }
    return answeringRegistrar(req, ws);
  };
  const rtp = [];
  const media = () => ({ ...fakeMedia(), sendDtmf: (...a) => rtp.push(a) });
  assert.throws(() => new WebPhone({ sipInfo, dtmfTransport: 'sip' }), /dtmfTransport must be 'rfc4733' or 'info'/);
  const phone = new WebPhone({ sipInfo, wasm: { wasmBinary }, webRtcSessionFactory: media, dtmfTransport: 'info' });
  await phone.start();
  const ws = FakeWebSocket.instances.at(-1);
  const session = await phone.call('102');
  let done = false;
  const sending = session.sendDtmf('1a#', 120).then(() => (done = true));
  await settle();
  assert.equal(held.length, 1, 'one INFO outstanding at a time (RFC 6086)');
  const bodies = [];
  while (held.length) {
    const req = held.shift();
    assert.match(req, /^Content-Type: application\/dtmf-relay$/m);
    bodies.push(req.split('\r\n\r\n')[1]);
    assert.equal(done, false);
    ws.onmessage({ data: reply(req, 200, 'OK') });
    await settle();
  }
  await sending;
  assert.deepEqual(bodies, ['Signal=1\r\nDuration=120\r\n', 'Signal=A\r\nDuration=120\r\n', 'Signal=#\r\nDuration=120\r\n']);
  refuse = '9';
  await assert.rejects(session.sendDtmf('9'), /^Error: sendDtmf: SIP\/2\.0 415 Unsupported Media Type$/);
  assert.throws(() => session.sendDtmf('1,2'), /INFO carries only 0-9 \* # A-D/);
  await session.sendDtmf('5', 200, { transport: 'rfc4733', interToneGap: 80 });
  assert.deepEqual(rtp, [['5', 200, 80]], 'the per-call transport wins over the phone option');
  assert.equal(ws.sent.filter((t) => /^INFO /.test(t)).length, 4);
  await session.hangup();
  await phone.dispose();
});

test('unhold(): through the media session when it negotiated itself deaf (receiving() false), else from the core', async () => {
  FakeWebSocket.script = answeringRegistrar;
  let receiving = true;
  const offers = [];
  const applied = [];
  const media = () => ({
    ...fakeMedia(),
    // Each offer the media session makes says which it is (a=label: offerN).
    createOffer: async (o) => { offers.push(o); return `${await fakeMedia().createOffer()}a=label:offer${offers.length}\r\n`; },
    applyAnswer: async (sdp) => { applied.push(sdp); },
    receiving: () => receiving,
  });
  const phone = new WebPhone({ sipInfo, wasm: { wasmBinary }, webRtcSessionFactory: media });
  await phone.start();
  const ws = FakeWebSocket.instances.at(-1);
  const session = await phone.call('102');
  const invites = () => ws.sent.filter((t) => /^INVITE /.test(t));
  // Receiving: hold/unhold are the core's (the 2.x wire: direction changed, answer not applied).
  await session.hold();
  await session.unhold();
  assert.equal(offers.length, 1, 'only the INVITE offer came from the media session');
  assert.equal(applied.length, 1, 'only the INVITE answer was applied');
  assert.match(invites().at(-1), /a=sendrecv/);
  // Deaf (e.g. after reInvite(false)): unhold asks the media for an offer, no ICE restart, applies the answer.
  receiving = false;
  await session.unhold();
  assert.deepEqual(offers.at(-1), { iceRestart: false });
  assert.equal(applied.length, 2);
  assert.match(invites().at(-1), /a=sendrecv/);
  assert.match(invites().at(-1), /a=label:offer2/, "the media session's own offer");
  assert.match(invites().at(-1), /o=- 1 4 IN IP4/, 'the call\'s o= line, one on from the unhold (RFC 3264 §8)');
  await session.hangup();
  await phone.dispose();
});

test('sessionTimers (RFC 4028) reach the INVITE through the core config; nonsense throws at once', async () => {
  FakeWebSocket.script = answeringRegistrar;
  const phone = new WebPhone({ sipInfo, wasm: { wasmBinary }, webRtcSessionFactory: fakeMedia, sessionTimers: { expires: 600, minSE: 120 } });
  await phone.start();
  const session = await phone.call('102');
  const invite = FakeWebSocket.instances.at(-1).sent.find((t) => /^INVITE /.test(t));
  const { lines } = headerLines(invite);
  assert.ok(lines.includes('Supported: replaces, timer'), invite);
  assert.ok(lines.includes('Session-Expires: 600'), invite);
  assert.ok(lines.includes('Min-SE: 120'), invite);
  await session.hangup();
  await phone.dispose();

  const off = new WebPhone({ sipInfo, wasm: { wasmBinary }, webRtcSessionFactory: fakeMedia, sessionTimers: { expires: 0 } });
  await off.start();
  const s2 = await off.call('102');
  const invite2 = FakeWebSocket.instances.at(-1).sent.find((t) => /^INVITE /.test(t));
  assert.ok(!/^Session-Expires:/im.test(invite2) && /^Supported: replaces, timer$/im.test(invite2), invite2);
  await s2.hangup();
  await off.dispose();

  assert.throws(() => new WebPhone({ sipInfo, sessionTimers: { expires: -1 } }), /sessionTimers\.expires must be a whole number of seconds/);
  assert.throws(() => new WebPhone({ sipInfo, sessionTimers: { minSE: 1.5 } }), /sessionTimers\.minSE/);
});

// --- dispose() and hangup() while something is still under way ---------------

test('dispose() while start() waits for the socket: start() rejects at once and the socket is closed', async () => {
  FakeWebSocket.held = true; // the handshake never completes by itself
  try {
    FakeWebSocket.script = () => [];
    const phone = newPhone();
    const started = phone.start().then(() => 'resolved', (e) => e);
    for (let i = 0; i < 100 && FakeWebSocket.instances.at(-1)?.readyState !== 0; i++) await new Promise((r) => setTimeout(r, 5));
    const ws = FakeWebSocket.instances.at(-1);
    await phone.dispose();
    const outcome = await Promise.race([started, new Promise((r) => setTimeout(() => r('still pending'), 1000))]);
    assert.ok(outcome instanceof Error, `start() ${outcome}`);
    assert.match(outcome.message, /disposed before start\(\) completed/);
    assert.equal(ws.readyState, 3, 'the socket is closed');
    assert.equal(phone.sipClient.ua_, undefined, 'no core UA is left behind');
  } finally {
    FakeWebSocket.held = false;
  }
});

test('dispose() while the REGISTER waits for its answer: start() rejects at once, not after the 5 s timeout', async () => {
  // The server takes the un-REGISTER (expires=0) and never answers the REGISTER.
  FakeWebSocket.script = (req) => (/^REGISTER /.test(req) && /;expires=0/.test(req) ? [reply(req, 200, 'OK')] : []);
  const phone = newPhone();
  const started = phone.start().then(() => 'resolved', (e) => e);
  for (let i = 0; i < 100 && !FakeWebSocket.instances.at(-1)?.sent.length; i++) await new Promise((r) => setTimeout(r, 5));
  assert.match(FakeWebSocket.instances.at(-1).sent[0], /^REGISTER /);
  const t0 = performance.now();
  await phone.dispose();
  const outcome = await Promise.race([started, new Promise((r) => setTimeout(() => r('still pending'), 1000))]);
  assert.ok(outcome instanceof Error, `start() ${outcome}`);
  assert.match(outcome.message, /disposed before start\(\) completed/);
  assert.ok(performance.now() - t0 < 4000, 'settled by dispose(), not by the registration timeout');
});

test('hangup() while call() sets up its media: no INVITE goes out, call() resolves with the ended session', async () => {
  FakeWebSocket.script = registrar(() => []);
  let release;
  const gate = new Promise((r) => (release = r));
  const slowOffer = () => ({ ...fakeMedia(), createOffer: async () => { await gate; return fakeMedia().createOffer(); } });
  const phone = new WebPhone({ sipInfo, wasm: { wasmBinary }, webRtcSessionFactory: slowOffer });
  await phone.start();
  const ws = FakeWebSocket.instances.at(-1);
  let session;
  phone.once('outboundCall', (s) => (session = s)); // emitted before call()'s first await
  const calling = phone.call('102');
  assert.ok(session, 'outboundCall came synchronously');
  // ICE gathering (createOffer) is still running: the app cancels.
  await session.hangup();
  assert.equal(session.state, 'disposed');
  assert.equal(session.endReason, 'cancelled before the INVITE was sent');
  release();
  assert.equal(await calling, session, 'call() resolves with the session it hung up');
  assert.ok(!ws.sent.some((t) => /^INVITE /.test(t)), 'no INVITE on the wire');
  assert.equal(phone.callSessions.length, 0);
  await phone.dispose();
});

test('answer() twice (a double click, autoAnswer plus the app): one media session, one 200, both settle', async () => {
  FakeWebSocket.script = registrar(() => []);
  let made = 0;
  const counting = () => (made++, fakeMedia());
  const { phone, ws, session } = await ringingPhone('double-answer-1', counting);
  await Promise.all([session.answer(), session.answer()]);
  assert.equal(made, 1, 'one media session');
  assert.equal(ws.sent.filter((t) => /^SIP\/2\.0 200 /.test(t) && /INVITE\r\n/.test(t)).length, 1, 'one 200 to the INVITE');
  await assert.rejects(session.answer(), /answer: the call is answered, not ringing/);
  await session.hangup();
  await phone.dispose();
});

test('unregister() twice, then dispose() while it waits: every promise settles and the socket is closed', async () => {
  let answer; // the server answers the un-REGISTER only when the test says
  FakeWebSocket.script = (req, ws) => {
    if (!/^REGISTER /.test(req)) return [];
    if (/;expires=0/.test(req)) { answer = () => ws.onmessage?.({ data: reply(req, 200, 'OK') }); return []; }
    return [reply(req, 200, 'OK', [`Contact: ${contactOf(req)};expires=60`])];
  };
  const phone = newPhone();
  await phone.start();
  const ws = FakeWebSocket.instances.at(-1);
  const first = phone.sipClient.unregister();
  const second = phone.sipClient.register(0);
  const disposed = phone.dispose();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(ws.sent.filter((t) => /;expires=0/.test(t)).length, 1, 'one un-REGISTER on the wire');
  answer();
  await Promise.all([first, second, disposed]);
  assert.equal(ws.readyState, 3, 'the socket is closed');
});

test('multi-tab handover (_abandon): each call ends here without a BYE, its media is closed and a pending hold() settles', async () => {
  FakeWebSocket.script = registrar(() => []); // the re-INVITE for hold() is never answered
  let closed = 0;
  const media = () => ({ ...fakeMedia(), dispose: () => { closed++; } });
  const { phone, ws, inv, session } = await ringingPhone('handover-1', media);
  await session.answer();
  ws.onmessage({ data: ackFor(inv, ws.sent) });
  const holding = session.hold();
  const ended = new Promise((resolve) => session.on('disposed', resolve));
  phone._abandon();
  assert.equal(await ended, 'the phone moved to another tab');
  await assert.rejects(holding, /the call has ended/);
  assert.equal(session.state, 'disposed');
  assert.ok(closed >= 1, 'the media session is closed');
  assert.ok(!ws.sent.some((t) => /^BYE /.test(t)), 'nothing on the wire: the next tab keeps the call');
});

// --- an offerless re-INVITE (RFC 3261 §14.2; a server moving the media, RFC 3725) ---
test('an offerless re-INVITE: the browser makes the offer for our 200 (no ICE restart) and gets the ACK\'s answer', async () => {
  FakeWebSocket.script = registrar((req) => (/^(MESSAGE|BYE) /.test(req) ? [reply(req, 200, 'OK')] : []));
  const offers = [];
  const answers = [];
  const fresh = 'v=0\r\no=- 5 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=sendrecv\r\n';
  const media = () => ({
    ...fakeMedia(),
    createOffer: async (o) => { offers.push(o); return fresh; },
    applyAnswer: async (sdp) => { answers.push(sdp); },
  });
  const { phone, ws, inv, session } = await ringingPhone('offerless-re-1', media);
  await session.answer();
  const ack = ackFor(inv, ws.sent);
  ws.onmessage({ data: ack });
  const reinvite = ack.replace(/^ACK /, 'INVITE ').replace('CSeq: 1 ACK', 'CSeq: 2 INVITE').replace('branch=z9hG4bKinv1', 'branch=z9hG4bKre2');
  ws.onmessage({ data: reinvite });
  await settle();
  assert.deepEqual(offers, [{ iceRestart: false }], 'the browser made one offer, on the same ICE session');
  const ok = ws.sent.find((t) => /^SIP\/2\.0 200 /.test(t) && /CSeq: 2 INVITE/.test(t));
  assert.ok(ok, 'the re-INVITE got its 200');
  const noOrigin = (sdp) => sdp.replace(/^o=.*\r\n/m, '');
  assert.equal(noOrigin(ok.slice(ok.indexOf('\r\n\r\n') + 4)), noOrigin(fresh), "the browser's offer, not our last answer");
  // Our answer's o= line; the same description, so the same version (RFC 3264 §8).
  assert.match(ok, /\r\no=- 2 1 IN IP4 127\.0\.0\.1\r\n/, 'the call\'s o= line');
  assert.deepEqual(answers, [], 'nothing to apply before the ACK');
  const peerAnswer = 'v=0\r\no=- 8 3 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP4 127.0.0.2\r\na=sendrecv\r\n';
  ws.onmessage({ data: withSdp(reinvite.replace(/^INVITE /, 'ACK ').replace('CSeq: 2 INVITE', 'CSeq: 2 ACK').replace(/Content-Type[^]*$/, 'Content-Length: 0\r\n\r\n'), peerAnswer) });
  await settle();
  assert.deepEqual(answers, [peerAnswer], "the ACK's answer reached the browser");
  assert.equal(session.state, 'answered');
  await session.hangup();
  await phone.dispose();
});

// --- register(expires) asks for that interval (spec §2.8), refreshes too ---
test('register(3600) asks for 3600 s and keeps asking for it; a bad interval is a RangeError, not a silent 60', async () => {
  const granted = [];
  FakeWebSocket.script = (req) => {
    if (!/^REGISTER /.test(req)) return [];
    if (!/^Authorization:/im.test(req)) return challenge(req);
    const asked = /;expires=(\d+)/.exec(req)[1];
    granted.push(asked);
    // Grants a short 6 s, whatever was asked, so the refresh comes soon.
    return [reply(req, 200, 'OK', [`Contact: ${contactOf(req)};expires=${asked === '0' ? 0 : 6}`])];
  };
  const phone = newPhone();
  await phone.start();
  assert.deepEqual(granted, ['60'], 'start() asks for 60 s, as ringcentral-web-phone does');
  await phone.sipClient.register(3600);
  assert.deepEqual(granted, ['60', '3600']);
  await new Promise((r) => setTimeout(r, 3500)); // refreshed at max(6/2, 6-5) = 3 s
  assert.equal(granted.at(-1), '3600', 'the refresh asks for the same interval');
  for (const bad of [-1, 1.5, NaN, '60']) await assert.rejects(phone.sipClient.register(bad), RangeError);
  await phone.dispose();
});

// --- a later review: media, holds and sessions at the edges of a call ---
test('hangup(): the media stops when the BYE goes out, not when its answer comes (RFC 3261 §15.1.1)', async () => {
  let byeSeen = null;
  FakeWebSocket.script = registrar((req) => { if (/^BYE /.test(req)) byeSeen = req; return []; }); // the BYE waits
  let disposed = 0;
  const media = () => ({ ...fakeMedia(), dispose: () => { disposed++; } });
  const { phone, ws, inv, session } = await ringingPhone('bye-media-1', media);
  await session.answer();
  ws.onmessage({ data: ackFor(inv, ws.sent) });
  const hungUp = session.hangup();
  assert.equal(disposed, 1, 'media released at once');
  assert.ok(byeSeen, 'the BYE is out');
  assert.equal(session.state, 'answered', 'the session ends with the BYE answered');
  ws.onmessage({ data: reply(byeSeen, 200, 'OK') });
  await hungUp;
  assert.equal(session.state, 'disposed');
  assert.equal(disposed, 1, 'released once');
  await phone.dispose();
});

test('progress({ earlyMedia }) and answer() without waiting for it share one answer: the 200 repeats the 183', async () => {
  FakeWebSocket.script = registrar(() => []);
  let answers = 0;
  const media = () => ({ ...fakeMedia(), createAnswer: async () => { answers++; return fakeMedia().createAnswer(); } });
  const { phone, session } = await ringingPhone('early-answer-1', media);
  const early = session.progress({ earlyMedia: true });
  await session.answer();
  await early;
  assert.equal(answers, 1, 'one answer made');
  await phone.dispose();
});

test('an INVITE that arrives while dispose() hangs up: 480 at once, no inboundCall, no session left', async () => {
  let byeSeen = null;
  FakeWebSocket.script = registrar((req) => { if (/^BYE /.test(req)) byeSeen = req; return []; });
  const { phone, ws, inv, session } = await ringingPhone('dispose-race-1', fakeMedia);
  await session.answer();
  ws.onmessage({ data: ackFor(inv, ws.sent) });
  const calls = [];
  phone.on('inboundCall', (s) => calls.push(s));
  const disposing = phone.dispose();
  await settle();
  assert.ok(byeSeen);
  const second = invite('dispose-race-2').replace('branch=z9hG4bKinv1', 'branch=z9hG4bKinv2');
  ws.onmessage({ data: second });
  const refused = ws.sent.find((t) => /^SIP\/2\.0 480 /.test(t) && /Call-ID: dispose-race-2/.test(t));
  assert.ok(refused, 'the new call is refused 480');
  assert.deepEqual(calls, []);
  ws.onmessage({ data: reply(byeSeen, 200, 'OK') });
  await disposing;
  assert.equal(phone.callSessions.length, 0);
});

test('a held call stays held in its answer to the peer\'s re-INVITE (RFC 3264 §8.4): sendonly on the wire, though the browser answered sendrecv', async () => {
  const answer = 'v=0\r\no=- 9 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=sendrecv\r\n';
  FakeWebSocket.script = registrar((req) => (/^INVITE /.test(req) ? [withSdp(reply(req, 200, 'OK'), answer)] : /^BYE /.test(req) ? [reply(req, 200, 'OK')] : []));
  const { phone, ws, inv, session } = await ringingPhone('held-answer-1', fakeMedia);
  await session.answer();
  const ack = ackFor(inv, ws.sent);
  ws.onmessage({ data: ack });
  await session.hold();
  assert.equal(session.held, true);
  const reinvite = withSdp(ack.replace(/^ACK /, 'INVITE ').replace('CSeq: 1 ACK', 'CSeq: 2 INVITE').replace('branch=z9hG4bKinv1', 'branch=z9hG4bKre3'), offer);
  ws.onmessage({ data: reinvite });
  await settle();
  const ok = ws.sent.find((t) => /^SIP\/2\.0 200 /.test(t) && /CSeq: 2 INVITE/.test(t));
  assert.ok(ok, 'the re-INVITE was answered');
  assert.match(ok, /a=sendonly/);
  assert.doesNotMatch(ok, /a=sendrecv/);
  await session.hangup();
  await phone.dispose();
});

// --- presence publication (RFC 3903): publish and unpublish calls that overlap ---

/**
 * `run` with a phone registered through `registrarWith`, whose PUBLISHes wait
 * in `held` until the test answers them (`answer`); the phone is disposed after.
 */
async function withPublishingPhone(run) {
  const held = [];
  FakeWebSocket.script = (req) => {
    if (/^PUBLISH /.test(req)) { held.push(req); return []; }
    return registrarWith((r) => [`${contactOf(r)};expires=60`])(req);
  };
  const phone = newPhone();
  try {
    await phone.start();
    const ws = FakeWebSocket.instances.at(-1);
    const answer = (status, reason, extra = []) => ws.onmessage({ data: reply(held.shift(), status, reason, extra) });
    await run({ phone, held, answer });
  } finally {
    await phone.dispose();
  }
}
const settle5 = () => new Promise((r) => setTimeout(r, 5));
/** 'resolved', 'rejected: <message>' or 'pending' after the event loop has run. */
async function outcome(p) {
  const r = await Promise.race([
    p.then(() => 'resolved', (e) => `rejected: ${e.message}`),
    new Promise((ok) => setTimeout(() => ok('pending'), 50)),
  ]);
  return r;
}
const expiresOf = (req) => /^Expires: (\d+)/im.exec(req)?.[1];

test('unpublishPresence() behind a PUBLISH the server refuses settles: nothing is published (it hung)', () => withPublishingPhone(async ({ phone, held, answer }) => {
  const published = phone.publishPresence({ status: 'open' });
  const unpublished = phone.unpublishPresence();
  await settle5();
  assert.equal(held.length, 1, 'the removal waits for the PUBLISH');
  answer(403, 'Forbidden');
  assert.equal(await outcome(published), 'rejected: publishPresence: 403 Forbidden');
  assert.equal(await outcome(unpublished), 'resolved');
  assert.equal(held.length, 0, 'no removal goes out: nothing was published');
}));

test('publishPresence() after the removal went out is not failed by the removal: it publishes afresh and resolves', () => withPublishingPhone(async ({ phone, held, answer }) => {
  const first = phone.publishPresence({ status: 'open' });
  await settle5();
  answer(200, 'OK', ['SIP-ETag: e1', 'Expires: 60']);
  assert.equal(await outcome(first), 'resolved');
  const unpublished = phone.unpublishPresence();
  await settle5();
  assert.equal(expiresOf(held[0]), '0', 'the removal is out');
  const again = phone.publishPresence({ status: 'closed', note: 'back later' });
  answer(200, 'OK'); // the removal
  assert.equal(await outcome(unpublished), 'resolved');
  assert.equal(await outcome(again), 'pending', 'not rejected as withdrawn: it is the next PUBLISH');
  assert.equal(held.length, 1);
  assert.equal(expiresOf(held[0]), '3600', 'a publication (the default expiry), not a removal');
  assert.match(held[0], /back later/);
  answer(200, 'OK', ['SIP-ETag: e2', 'Expires: 60']);
  assert.equal(await outcome(again), 'resolved');
}));

test('publishPresence() that takes the turn of a removal still waiting: the removal never goes and unpublishPresence() says so (it hung)', () => withPublishingPhone(async ({ phone, held, answer }) => {
  const first = phone.publishPresence({ status: 'open' });
  const unpublished = phone.unpublishPresence();
  const again = phone.publishPresence({ status: 'open', note: 'changed my mind' });
  await settle5();
  answer(200, 'OK', ['SIP-ETag: e1', 'Expires: 60']);
  assert.equal(await outcome(first), 'resolved');
  assert.equal(held.length, 1);
  assert.equal(expiresOf(held[0]), '60', 'the newer publication goes (the expiry granted before), not the removal');
  answer(200, 'OK', ['SIP-ETag: e2', 'Expires: 60']);
  assert.equal(await outcome(again), 'resolved');
  assert.equal(await outcome(unpublished), 'rejected: unpublishPresence: replaced by a later publishPresence() before the removal was sent');
}));

// A server that accepts the TCP connection but never completes the WebSocket
// handshake left start() to the browser's own limit (Chromium: 4 minutes).
test('start() whose socket never opens rejects after 10 s (autoRecover.connectTimeout when set), closes that socket, and a later start() registers', async () => {
  const sockets = FakeWebSocket.instances;
  FakeWebSocket.held = true;
  FakeWebSocket.script = (req) => (req.startsWith('REGISTER ') ? [reply(req, 200, 'OK', [`Contact: ${contactOf(req)};expires=60`])] : []);
  const settledOf = (p) => { const s = { v: 'pending' }; p.then(() => { s.v = 'resolved'; }, (e) => { s.v = `rejected: ${e.message}`; }); return s; };
  const turns = async (n = 20) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };
  try {
    // The default, in virtual time: not before 10 s, then with why.
    mock.timers.enable({ apis: ['setTimeout'] });
    let phone;
    try {
      sockets.length = 0;
      phone = newPhone();
      const started = settledOf(phone.start());
      for (let i = 0; i < 100 && !sockets.length; i++) await turns(1);
      assert.equal(sockets.length, 1);
      mock.timers.tick(9999);
      await turns();
      assert.equal(started.v, 'pending');
      mock.timers.tick(1);
      await turns();
      assert.equal(started.v, 'rejected: WebSocket connection to ws://127.0.0.1:9 not open within 10 s');
      assert.equal(sockets[0].readyState, 3, 'the socket given up is closed');
    } finally {
      mock.timers.reset();
    }
    // Then a server that answers: start() again registers on a new socket.
    FakeWebSocket.held = false;
    await phone.start();
    assert.equal(sockets.length, 2);
    assert.match(sockets[1].sent[0], /^REGISTER /);
    assert.equal(sockets[0].sent.length, 0);
    await phone.dispose();

    // autoRecover's connectTimeout bounds start()'s socket too, and 0 leaves it to the browser.
    FakeWebSocket.held = true;
    sockets.length = 0;
    const quick = new WebPhone({ sipInfo, wasm: { wasmBinary }, autoRecover: { connectTimeout: 200 } });
    const t0 = Date.now();
    await assert.rejects(quick.start(), /^Error: WebSocket connection to ws:\/\/127\.0\.0\.1:9 not open within 0\.2 s$/);
    assert.ok(Date.now() - t0 >= 190, 'not before the limit');
    await quick.dispose();
    sockets.length = 0;
    const patient = new WebPhone({ sipInfo, wasm: { wasmBinary }, autoRecover: { connectTimeout: 0 } });
    const waiting = settledOf(patient.start());
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(waiting.v, 'pending');
    sockets[0].open();
    for (let i = 0; i < 100 && waiting.v === 'pending'; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(waiting.v, 'resolved');
    await patient.dispose();
  } finally {
    FakeWebSocket.held = false;
    FakeWebSocket.script = () => {};
  }
});

test('start() again while the first socket is still connecting: the first start() rejects as superseded (it waited for ever), the second registers', async () => {
  FakeWebSocket.held = true;
  const sockets = FakeWebSocket.instances;
  sockets.length = 0;
  try {
    FakeWebSocket.script = (req) => (req.startsWith('REGISTER ') ? [reply(req, 200, 'OK', [`Contact: ${contactOf(req)};expires=60`])] : []);
    const phone = newPhone();
    const first = phone.start();
    for (let i = 0; i < 100 && !phone.sipClient.ua_; i++) await new Promise((r) => setTimeout(r, 10));
    const second = phone.sipClient.start();
    await assert.rejects(first, /WebSocket connection superseded by a new start\(\)/);
    for (let i = 0; i < 100 && sockets.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    sockets.at(-1).open();
    await second;
    assert.match(sockets.at(-1).sent[0], /^REGISTER /);
    assert.equal(sockets[0].sent.length, 0, 'nothing on the retired socket');
    await phone.dispose();
  } finally {
    FakeWebSocket.held = false;
    FakeWebSocket.script = () => {};
  }
});
