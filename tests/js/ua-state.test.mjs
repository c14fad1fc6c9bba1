// CoreUa.exportState / importState through the real sip-core.wasm (issue
// #13 "multi-tab"): a second UA continues the first one's registration and
// adopts its answered call, which arrives as a `callAdopted` event and gets
// `recoverMedia` once registered; bad state throws the core's message.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const wasmBinary = readFileSync(`${root}/dist/sip-core.wasm`);
const { loadCore } = await import(`${root}/dist/es/core/loader.js`);
const core = await loadCore({ wasmBinary });

const config = (seedLow) => ({
  username: '101', authorizationId: '101001', password: 'pw', domain: 'example.test', seedHigh: 0, seedLow,
});
const field = (text, name) => text.match(new RegExp(`^${name}:\\s*(.*)$`, 'mi'))?.[1];
const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=sendrecv\r\n';

/** Every output until the deadline: [transmits, events]. */
function drain(ua) {
  const sent = [];
  const events = [];
  for (let o = ua.poll(); o.type !== 'timeout'; o = ua.poll()) {
    if (o.type === 'transmit') sent.push(o.bytes);
    else if (o.name !== 'message') events.push(o);
  }
  return [sent, events];
}

/** Register `ua` (200 with its Contact); returns [REGISTER text, events after the 200]. */
function register(ua, now) {
  assert.equal(ua.startRegister(now).ok, true);
  const [sent] = drain(ua);
  const reg = sent.find((t) => t.startsWith('REGISTER '));
  const ok = `SIP/2.0 200 OK\r\nVia: ${field(reg, 'Via')}\r\nFrom: ${field(reg, 'From')}\r\nTo: ${field(reg, 'To')};tag=s\r\n` +
    `Call-ID: ${field(reg, 'Call-ID')}\r\nCSeq: ${field(reg, 'CSeq')}\r\nContact: ${field(reg, 'Contact').replace(/;expires=\d+/, '')};expires=60\r\n` +
    'Content-Length: 0\r\n\r\n';
  ua.receive(ok, now);
  return [reg, drain(ua)[1]];
}

/** An answered inbound call from "Zoë" <sip:102@…> on `ua`; returns its handle. */
function answeredInbound(ua, now) {
  const invite = ['INVITE sip:101@x.invalid;transport=wss SIP/2.0', 'Via: SIP/2.0/WSS proxy.test;branch=z9hG4bKi1',
    'Max-Forwards: 70', 'From: "Zoë" <sip:102@example.test>;tag=caller', 'To: <sip:101@example.test>', 'Call-ID: js-call-1',
    'CSeq: 10 INVITE', 'Contact: <sip:102@10.0.0.2;transport=ws>', 'Record-Route: <sip:p1.example.test;lr>',
    'Content-Type: application/sdp', `Content-Length: ${Buffer.byteLength(SDP)}`, '', SDP].join('\r\n');
  ua.receive(invite, now);
  const incoming = drain(ua)[1].find((e) => e.name === 'incomingCall');
  assert.equal(ua.answer(incoming.call, SDP, now).ok, true);
  const ok = drain(ua)[0].find((t) => t.startsWith('SIP/2.0 200'));
  ua.receive(['ACK sip:101@x.invalid;transport=wss SIP/2.0', 'Via: SIP/2.0/WSS proxy.test;branch=z9hG4bKa1',
    'From: "Zoë" <sip:102@example.test>;tag=caller', `To: ${field(ok, 'To')}`, 'Call-ID: js-call-1', 'CSeq: 10 ACK',
    'Content-Length: 0', '', ''].join('\r\n'), now);
  assert.ok(drain(ua)[1].some((e) => e.name === 'callConfirmed'));
  return incoming.call;
}

test('a second UA continues the registration and adopts the answered call', () => {
  const a = new core.Ua(config(1));
  const [firstRegister] = register(a, 1000);
  const call = answeredInbound(a, 1000);
  const state = a.exportState();
  const doc = JSON.parse(state);
  assert.equal(doc.type, 'wwp-ua-state');
  assert.equal(doc.version, 1);
  assert.equal(doc.calls.length, 1);
  assert.equal(doc.calls[0].peer.remotePeer, '"Zoë" <sip:102@example.test>;tag=caller');

  const b = new core.Ua(config(2));
  b.importState(state, 2000);
  const adopted = drain(b)[1];
  assert.equal(adopted.length, 1);
  const e = adopted[0];
  assert.equal(e.name, 'callAdopted');
  assert.equal(e.call, call);
  assert.equal(e.callId, 'js-call-1');
  assert.equal(e.direction, 'inbound');
  assert.equal(e.held, false);
  assert.equal(e.remoteUser, '102');
  assert.equal(e.remotePeer, '"Zoë" <sip:102@example.test>;tag=caller');
  assert.equal(e.remoteTag, 'caller');

  const [reg, events] = register(b, 2000);
  assert.equal(field(reg, 'Call-ID'), field(firstRegister, 'Call-ID'));
  assert.equal(field(reg, 'Contact'), field(firstRegister, 'Contact'));
  assert.equal(parseInt(field(reg, 'CSeq')), parseInt(field(firstRegister, 'CSeq')) + 1);
  assert.deepEqual(events.filter((x) => x.name === 'recoverMedia').map((x) => x.call), [call]);

  assert.equal(b.reinvite(call, SDP, true, 2000).ok, true);
  const reinvite = drain(b)[0].find((t) => t.startsWith('INVITE '));
  assert.match(reinvite, /^INVITE sip:102@10\.0\.0\.2;transport=ws SIP\/2\.0\r\n/);
  assert.equal(field(reinvite, 'Call-ID'), 'js-call-1');
  assert.equal(field(reinvite, 'Route'), '<sip:p1.example.test;lr>');
  a.delete();
  b.delete();
});

test('importState throws the core\'s reason and imports nothing', () => {
  const a = new core.Ua(config(3));
  register(a, 1000);
  const state = a.exportState();
  const b = new core.Ua(config(4));
  assert.throws(() => b.importState(state.slice(0, state.length >> 1), 1000),
    (e) => e instanceof Error && /^importState: not JSON/.test(e.message) && e.code === 'invalid argument');
  assert.throws(() => b.importState(JSON.stringify({ ...JSON.parse(state), version: 9 }), 1000), /unsupported state version 9/);
  assert.throws(() => b.importState('', 1000), /empty state/);
  b.importState(state, 1000);
  assert.throws(() => b.importState(state, 1000), (e) => e.code === 'invalid state');
  assert.throws(() => a.importState(state, 1000), (e) => e.code === 'invalid state');
  a.delete();
  b.delete();
});
