// The wasm boundary (wasm/abi.cpp, wasm/out_writer.hpp, js/core/abi.ts,
// js/core/wire-message.ts): what a message object reads must be exactly what
// crossed the wire, for the cases where offsets into the frame are not enough
// (non-ASCII text, folded values kept unfolded in the arena), events that
// refer back to a traced message, and outputs queued while a listener issues
// another command. The real core, a fake socket, the SDK's public client.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const wasmBinary = readFileSync(`${root}/dist/sip-core.wasm`);
const { DefaultSipClient } = await import(`${root}/dist/es/sip-client.js`);
const { loadCore } = await import(`${root}/dist/es/core/loader.js`);

const sipInfo = { username: '101', authorizationId: '101', password: 'pw', domain: 'example.test', outboundProxy: 'ws://127.0.0.1:9' };
const field = (text, name) => text.match(new RegExp(`^${name}:\\s*(.*)$`, 'mi'))?.[1];

class FakeWebSocket {
  static OPEN = 1;
  static last;
  constructor() {
    this.readyState = 0; this.sent = []; FakeWebSocket.last = this;
    setTimeout(() => { this.readyState = 1; this.onopen?.(); }, 0);
  }
  send(text) {
    this.sent.push(text);
    if (!text.startsWith('REGISTER ')) return;
    const contact = field(text, 'Contact').replace(/;expires=\d+/, '');
    const ok = `SIP/2.0 200 OK\r\nVia: ${field(text, 'Via')}\r\nFrom: ${field(text, 'From')}\r\nTo: ${field(text, 'To')};tag=s\r\nCall-ID: ${field(text, 'Call-ID')}\r\nCSeq: ${field(text, 'CSeq')}\r\nContact: ${contact};expires=60\r\nContent-Length: 0\r\n\r\n`;
    setTimeout(() => this.deliver(ok), 0);
  }
  deliver(data) { this.onmessage?.({ data }); }
  close() { this.readyState = 3; }
}
globalThis.WebSocket = FakeWebSocket;

// Every client a test starts is disposed after it, passed or failed: a
// failed assertion must fail the file, not leave its timers keeping it alive.
const clients = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.dispose();
});

async function started() {
  const client = new DefaultSipClient({ sipInfo, wasm: { wasmBinary } });
  clients.push(client);
  await client.start();
  return { client, ws: FakeWebSocket.last };
}

const utf8Message = (body) => [
  'MESSAGE sip:101@example.test SIP/2.0',
  'Via: SIP/2.0/WSS 127.0.0.1:9;branch=z9hG4bKutf8',
  'From: "Zoë Ångström 👋" <sip:200@example.test>;tag=z1',
  'To: <sip:101@example.test>',
  'Call-ID: utf8-1',
  'CSeq: 1 MESSAGE',
  'Subject: café',
  'Content-Type: text/plain;charset=utf-8',
  `Content-Length: ${Buffer.byteLength(body)}`,
  '',
  body,
].join('\r\n');

test('a non-ASCII frame: header values and body are cut at the right UTF-16 places', async () => {
  const { client, ws } = await started();
  const body = 'héllo wörld – 你好 👋 end';
  let m;
  const out = [];
  client.on('inboundMessage', (x) => { m = x; });
  client.on('outboundMessage', (x) => out.push(x));
  ws.deliver(utf8Message(body));
  assert.ok(m, 'inboundMessage emitted');
  assert.equal(m.subject, 'MESSAGE sip:101@example.test SIP/2.0');
  assert.equal(m.getHeader('from'), '"Zoë Ångström 👋" <sip:200@example.test>;tag=z1');
  assert.equal(m.getHeader('Subject'), 'café');
  assert.equal(m.getHeader('call-id'), 'utf8-1');
  assert.equal(m.body, body);
  assert.equal(m.toString(), utf8Message(body));
  assert.deepEqual(m.headerList.map(([n]) => n), ['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Subject', 'Content-Type', 'Content-Length']);
  // The core answered it (200) with the sender's non-ASCII From copied intact.
  const ok = ws.sent.find((t) => t.startsWith('SIP/2.0 200 ') && field(t, 'Call-ID') === 'utf8-1');
  assert.equal(field(ok, 'From'), '"Zoë Ångström 👋" <sip:200@example.test>;tag=z1');
  // The same answer as a message object: its spans are cut from the text we sent.
  const answer = out.find((x) => x.subject.startsWith('SIP/2.0 200 ') && x.getHeader('Call-ID') === 'utf8-1');
  assert.ok(answer, 'outboundMessage for the 200');
  assert.equal(answer.getHeader('From'), '"Zoë Ångström 👋" <sip:200@example.test>;tag=z1');
  assert.equal(answer.getHeader('CSeq'), '1 MESSAGE');
  assert.equal(answer.toString(), ok);
  await client.dispose();
});

test('a folded header value reads unfolded (the core keeps it outside the frame text)', async () => {
  const { client, ws } = await started();
  let m;
  client.on('inboundMessage', (x) => { m = x; });
  ws.deliver(utf8Message('x').replace('Subject: café', 'Subject: first\r\n   second\r\n\tthird'));
  assert.equal(m.getHeader('subject'), 'first second third');
  assert.deepEqual(m.headerList.find(([n]) => n === 'Subject'), ['Subject', 'first second third']);
  assert.equal(m.body, 'x');
  await client.dispose();
});

test('compact forms and case: getHeader finds `i`, `v`, `l` by their long names', async () => {
  const { client, ws } = await started();
  let m;
  client.on('inboundMessage', (x) => { m = x; });
  ws.deliver(utf8Message('abc').replace('Call-ID:', 'i:').replace('Via:', 'v:').replace('Content-Length:', 'l:'));
  assert.equal(m.getHeader('Call-ID'), 'utf8-1');
  assert.equal(m.getHeader('VIA'), 'SIP/2.0/WSS 127.0.0.1:9;branch=z9hG4bKutf8');
  assert.equal(m.getHeader('content-length'), '3');
  assert.equal(m.getHeader('x-missing'), undefined);
  assert.equal(m.headers.i, 'utf8-1', '`headers` keeps wire spellings');
  await client.dispose();
});

test('an outbound message reads exactly the frame handed to the socket', async () => {
  const { client, ws } = await started();
  const outs = [];
  client.on('outboundMessage', (x) => outs.push(x));
  ws.deliver(utf8Message('ping'));
  assert.equal(outs.length, 1);
  const sent = ws.sent.at(-1);
  assert.equal(outs[0].toString(), sent);
  assert.equal(outs[0].subject, 'SIP/2.0 200 OK');
  assert.equal(outs[0].getHeader('call-id'), 'utf8-1');
  assert.equal(outs[0].direction, 'outbound');
  await client.dispose();
});

test('an incoming call hands over the traced INVITE (one object behind both), and malformed input is dropped with a reason', async () => {
  const { client, ws } = await started();
  const traces = [];
  const calls = [];
  const dropped = [];
  client.on('inboundMessage', (x) => traces.push(x));
  client.on('dropped', (r) => dropped.push(r));
  client._onCallEvent = (e) => calls.push(e);
  const invite = [
    'INVITE sip:101@example.test SIP/2.0', 'Via: SIP/2.0/WSS 127.0.0.1:9;branch=z9hG4bKinv1', 'Max-Forwards: 70',
    'From: <sip:200@example.test>;tag=a', 'To: <sip:101@example.test>', 'Call-ID: inv-1', 'CSeq: 1 INVITE',
    'Contact: <sip:200@127.0.0.1:9;transport=ws>', 'Content-Type: application/sdp', 'Content-Length: 4', '', 'v=0\n',
  ].join('\r\n');
  ws.deliver(invite);
  const incoming = calls.find((e) => e.name === 'incomingCall');
  assert.ok(incoming, 'incomingCall');
  assert.equal(incoming.callId, 'inv-1');
  assert.equal(incoming.msg.text, invite, 'the event refers to the traced frame');
  assert.equal(incoming.msg.body, 'v=0\n');
  assert.equal(traces.at(-1).toString(), invite);
  // 100 Trying and 180 Ringing went out in that order.
  assert.deepEqual(ws.sent.slice(-2).map((t) => t.split('\r\n')[0]), ['SIP/2.0 100 Trying', 'SIP/2.0 180 Ringing']);
  ws.deliver('INVITE nonsense\r\n\r\n');
  assert.match(dropped.at(-1), /^malformed SIP message: /);
  const stray = (host) => `SIP/2.0 200 OK\r\nVia: SIP/2.0/WSS ${host};branch=z9hG4bKnobody\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: stray\r\nCSeq: 9 OPTIONS\r\nContent-Length: 0\r\n\r\n`;
  ws.deliver(stray('x'));
  assert.equal(dropped.at(-1), 'response not sent to us: its top Via is not ours (RFC 3261 §18.1.2)');
  const ourHost = /^Via: SIP\/2\.0\/WSS? ([^;\s]+)/m.exec(ws.sent.find((t) => t.startsWith('REGISTER ')))[1];
  ws.deliver(stray(ourHost));
  assert.equal(dropped.at(-1), 'response matches no transaction: SIP/2.0 200 OK');
  await client.dispose();
});

test('a listener that sends while outputs are being handed out keeps the core\'s wire order', async () => {
  const { client, ws } = await started();
  const { default: RequestMessage } = await import(`${root}/dist/es/sip-message/outbound/request.js`);
  let sentFromListener = false;
  client.on('inboundMessage', (m) => {
    if (sentFromListener || m.getHeader('call-id') !== 'utf8-1') return;
    sentFromListener = true;
    // The core's 200 for this MESSAGE is still queued behind this event.
    client.send(new RequestMessage('OPTIONS sip:200@example.test SIP/2.0', {
      From: '<sip:101@example.test>;tag=o1', To: '<sip:200@example.test>', 'Call-ID': 'from-listener',
    }));
  });
  const before = ws.sent.length;
  ws.deliver(utf8Message('hi'));
  const after = ws.sent.slice(before).map((t) => t.split('\r\n')[0]);
  assert.deepEqual(after, ['SIP/2.0 200 OK', 'OPTIONS sip:200@example.test SIP/2.0']);
  await client.dispose();
});

test('the core reports its heap and the module is loaded once per page', async () => {
  const a = await loadCore({ wasmBinary });
  const b = await loadCore({ wasmBinary });
  assert.equal(a, b);
  const { heapUsed, memoryBytes } = a.memory();
  assert.ok(heapUsed > 0 && heapUsed < memoryBytes, `${heapUsed} of ${memoryBytes}`);
  await assert.rejects(loadCore({ wasmBinary: new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]) }), /Failed to load the SIP core \(sip-core\.wasm from wasmBinary\)/);
});

test('frames keep flowing while the core\'s memory grows (a detached input view once swallowed every later frame)', async () => {
  const { client, ws } = await started();
  const { loadedCore } = await import(`${root}/dist/es/core/loader.js`);
  const startBytes = loadedCore().memory().memoryBytes;
  let seen = 0;
  client.on('inboundMessage', () => seen++);
  // Unique INVITEs: each leaves a ringing call (its INVITE, dialog and
  // server transaction) in the core, so the heap grows past the initial
  // memory within a few hundred frames, during the core's own work.
  const invite = (k) => utf8Message(`v=0 ${k}`).replace(/MESSAGE/g, 'INVITE').replace('Call-ID: utf8-1', `Call-ID: grow-${k}`)
    .replace('z9hG4bKutf8', `z9hG4bKg${k}`).replace('Content-Type: text/plain;charset=utf-8', 'Contact: <sip:200@127.0.0.1>\r\nContent-Type: text/plain');
  let k = 0;
  while (loadedCore().memory().memoryBytes === startBytes && k < 5000) {
    ws.deliver(invite(k));
    k++;
    assert.equal(seen, k, `frame ${k} gave an inboundMessage`);
  }
  assert.ok(loadedCore().memory().memoryBytes > startBytes, 'memory grew');
  for (let j = 0; j < 50; j++, k++) ws.deliver(utf8Message('after').replace('Call-ID: utf8-1', `Call-ID: after-${j}`).replace('z9hG4bKutf8', `z9hG4bKa${j}`));
  assert.equal(seen, k, 'every frame after the growth was read');
  await client.dispose();
});

test('a cancelled inbound call and its transactions are let go: the core holds nothing afterwards', async () => {
  const { client, ws } = await started();
  const live = () => client.ua_.live();
  const turn = () => new Promise((r) => setTimeout(r, 5)); // zero-length timers (Timer I/J/K on a reliable transport) fire
  try {
    await turn();
    assert.deepEqual(live(), { calls: 0, dialogs: 0, transactions: 0, subscriptions: 0, publications: 0 }, 'registered and idle');
    const head = (method, cseq, extra = []) => [
      `${method} sip:101@example.test SIP/2.0`, 'Via: SIP/2.0/WSS 127.0.0.1:9;branch=z9hG4bKleft1', 'From: <sip:200@example.test>;tag=f1',
      ...extra, 'Call-ID: left-1', `CSeq: ${cseq}`, 'Max-Forwards: 70',
    ];
    ws.deliver([...head('INVITE', '1 INVITE', ['To: <sip:101@example.test>']), 'Contact: <sip:200@127.0.0.1>', 'Content-Length: 0', '', ''].join('\r\n'));
    assert.deepEqual(live(), { calls: 1, dialogs: 1, transactions: 1, subscriptions: 0, publications: 0 }, 'ringing: the call, its early dialog, the INVITE server transaction');
    ws.deliver([...head('CANCEL', '1 CANCEL', ['To: <sip:101@example.test>']), 'Content-Length: 0', '', ''].join('\r\n'));
    const final = ws.sent.find((t) => t.startsWith('SIP/2.0 487 '));
    assert.ok(final, 'the INVITE got 487 Request Terminated');
    ws.deliver([...head('ACK', '1 ACK', [`To: ${field(final, 'To')}`]), 'Content-Length: 0', '', ''].join('\r\n'));
    await turn();
    assert.deepEqual(live(), { calls: 0, dialogs: 0, transactions: 0, subscriptions: 0, publications: 0 });
  } finally {
    await client.dispose();
  }
});

// --- from a review of the boundary (wasm/abi.cpp, js/core/abi.ts) -----------------

const uaConfig = (user) => ({ username: user, authorizationId: user, password: 'pw', domain: 'example.test', seedHigh: 1, seedLow: 2 });
function drainUa(ua) {
  const out = [];
  let o;
  while ((o = ua.poll()).type !== 'timeout') out.push(o);
  out.deadline = o.at;
  return out;
}

function registeredUa(core, user) {
  const ua = new core.Ua(uaConfig(user));
  ua.transportOpen(false, 0);
  drainUa(ua);
  ua.startRegister(0);
  const reg = drainUa(ua).find((o) => o.type === 'transmit').bytes;
  const contact = field(reg, 'Contact').replace(/;expires=\d+/, '');
  ua.receive(`SIP/2.0 200 OK\r\nVia: ${field(reg, 'Via')}\r\nFrom: ${field(reg, 'From')}\r\nTo: ${field(reg, 'To')};tag=s\r\nCall-ID: ${field(reg, 'Call-ID')}\r\nCSeq: ${field(reg, 'CSeq')}\r\nContact: ${contact};expires=60\r\nContent-Length: 0\r\n\r\n`, 1);
  drainUa(ua);
  return ua;
}

test('a call with many custom headers sends them all, and the core stays whole (the argument table once overflowed into the allocator)', async () => {
  const core = await loadCore({ wasmBinary });
  const ua = registeredUa(core, '101');
  const headers = Array.from({ length: 40 }, (_, i) => [`X-H${i}`, `value ${i}`]);
  const r = ua.invite({ callee: 'sip:200@example.test', sdp: 'v=0\r\n', headers }, 0);
  assert.equal(r.ok, true, r.message);
  const invite = drainUa(ua).find((o) => o.type === 'transmit').bytes;
  for (let i = 0; i < 40; i++) assert.equal(field(invite, `X-H${i}`), `value ${i}`);
  // The module still works: another UA registers and a frame parses.
  const other = new core.Ua(uaConfig('102'));
  other.transportOpen(false, 0);
  drainUa(other);
  assert.equal(other.startRegister(0).ok, true);
  assert.match(drainUa(other).find((o) => o.type === 'transmit').bytes, /^REGISTER /);
  ua.receive(`SIP/2.0 100 Trying\r\nVia: ${field(invite, 'Via')}\r\nFrom: ${field(invite, 'From')}\r\nTo: ${field(invite, 'To')}\r\nCall-ID: ${field(invite, 'Call-ID')}\r\nCSeq: ${field(invite, 'CSeq')}\r\nContent-Length: 0\r\n\r\n`, 1);
  assert.ok(drainUa(ua).some((o) => o.name === 'message' && o.message.subject === 'SIP/2.0 100 Trying'));
});

test('each UA on one module keeps its own timer deadline when another is called in between', async () => {
  const core = await loadCore({ wasmBinary });
  const a = new core.Ua(uaConfig('101'));
  const b = new core.Ua(uaConfig('102'));
  a.transportOpen(false, 0);
  drainUa(a);
  b.transportOpen(false, 0);
  drainUa(b);
  a.startRegister(1000); // its REGISTER's Timer F (and the no-answer timer) arm
  const first = a.poll(); // the SDK's pump hands this out; a listener may call b here
  assert.equal(first.type, 'transmit');
  b.unregister(1000);
  const rest = drainUa(a);
  assert.ok(rest.deadline > 1000, `A's deadline after B was called: ${rest.deadline}`);
});

test('a frame far past the size limit is refused from its head (513), costing no wasm memory for its size', async () => {
  const { client, ws } = await started();
  const dropped = [];
  client.on('dropped', (why) => dropped.push(why));
  const core = await loadCore({ wasmBinary });
  const before = core.abi.x.memory.buffer.byteLength;
  const body = 'x'.repeat(20 * 1024 * 1024);
  ws.sent.length = 0;
  ws.deliver(`MESSAGE sip:101@example.test SIP/2.0\r\nVia: SIP/2.0/WSS 127.0.0.1:9;branch=z9hG4bKbig\r\nFrom: <sip:200@example.test>;tag=b1\r\nTo: <sip:101@example.test>\r\nCall-ID: big-1\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  assert.equal(dropped.length, 1);
  assert.match(dropped[0], /too-large/);
  assert.match(dropped[0], /a frame of 209717\d\d bytes/);
  assert.match(ws.sent.at(-1), /^SIP\/2\.0 513 /);
  const grown = core.abi.x.memory.buffer.byteLength - before;
  assert.ok(grown < 4 * 1024 * 1024, `wasm memory grew by ${grown} bytes for one refused frame`);
  // Bytes past Content-Length are discarded as before (RFC 3261 §18.3): a
  // small message with a huge tail still arrives.
  const got = [];
  client.on('inboundMessage', (m) => got.push(m));
  ws.deliver(`MESSAGE sip:101@example.test SIP/2.0\r\nVia: SIP/2.0/WSS 127.0.0.1:9;branch=z9hG4bKtail\r\nFrom: <sip:200@example.test>;tag=b2\r\nTo: <sip:101@example.test>\r\nCall-ID: big-2\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc${body}`);
  assert.equal(got.length, 1);
  assert.equal(got[0].body, 'abc');
  assert.equal(got[0].getHeader('Call-ID'), 'big-2');
});

test('a subscription\'s large retry-after crosses exactly (it wrapped to a negative in 32 bits)', async () => {
  const core = await loadCore({ wasmBinary });
  const ua = registeredUa(core, '101');
  assert.equal(ua.subscribe('sip:200@example.test', 'presence', 'application/pidf+xml', 3600, 10).ok, true);
  const sub = drainUa(ua).find((o) => o.type === 'transmit').bytes;
  const to = field(sub, 'To');
  const from = field(sub, 'From');
  const notify = (n, state) => `NOTIFY sip:101@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WSS 127.0.0.1:9;branch=z9hG4bKn${n}\r\nFrom: ${to};tag=n1\r\nTo: ${from}\r\nCall-ID: ${field(sub, 'Call-ID')}\r\nCSeq: ${n} NOTIFY\r\nContact: <sip:200@127.0.0.1>\r\nEvent: presence\r\nSubscription-State: ${state}\r\nContent-Length: 0\r\n\r\n`;
  ua.receive(notify(1, 'active;expires=3000'), 20);
  assert.equal(drainUa(ua).find((o) => o.name === 'subscription').expiresIn, 3000);
  ua.receive(notify(2, 'terminated;reason=noresource;retry-after=3000000'), 30);
  const ended = drainUa(ua).find((o) => o.name === 'subscription');
  assert.equal(ended.retryAfterMs, 3000000000);
});

test('an event\'s message: read, it is the frame as it came; edited, getHeader() and toString() follow the edit', async () => {
  const { client, ws } = await started();
  const inbound = [];
  const outbound = [];
  client.on('inboundMessage', (m) => inbound.push(m));
  client.on('outboundMessage', (m) => outbound.push(m));
  const frame = utf8Message('hello');
  ws.deliver(frame);
  const [m] = inbound;
  void m.headers;
  assert.equal(m.toString(), frame);
  m.headers['X-Added'] = 'yes';
  m.body = 'changed';
  assert.equal(m.getHeader('x-added'), 'yes');
  assert.match(m.toString(), /\r\nX-Added: yes\r\n/);
  assert.ok(m.toString().endsWith('\r\n\r\nchanged'));
  const [o] = outbound; // our 200 OK to it
  o.headers['X-Added'] = 'yes';
  assert.equal(o.getHeader('X-Added'), 'yes');
  assert.match(o.toString(), /\r\nX-Added: yes\r\n/);
});

// Last in this file: it loads the core under another key (a second module).
test('a failed load does not drop the shared load that replaced it meanwhile', async () => {
  const bad = loadCore({ wasmBinary: new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]) });
  const copy = Uint8Array.from(wasmBinary);
  const good = loadCore({ wasmBinary: copy });
  await assert.rejects(bad, /Failed to load the SIP core/);
  assert.equal(loadCore({ wasmBinary: copy }), good, 'a second module was loaded for the same options');
  await good;
});
