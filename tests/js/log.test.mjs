// Logs (js/log, README "Logs"): levels, the app's handler, debug: true's SIP
// trace, and redaction: the password and the digest response/cnonce never
// reach an entry, through a real REGISTER challenge answered by the core.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const wasmBinary = readFileSync(`${root}/dist/sip-core.wasm`);
const { default: WebPhone } = await import(`${root}/dist/es/index.js`);
const { redact, secretsOf } = await import(`${root}/dist/es/log/redact.js`);

const password = 'Pa55-w0rd"x';
const sipInfo = { username: '101', authorizationId: '101', password, domain: 'example.test', outboundProxy: 'ws://127.0.0.1:9', stunServers: [] };

test('redact: digest response and cnonce of (Proxy-)Authorization lines, rspauth and cnonce of (Proxy-)Authentication-Info, and the listed secrets', () => {
  const text = [
    'REGISTER sip:example.test SIP/2.0',
    'Authorization: Digest username="101", realm="example.test", nonce="abc", uri="sip:example.test", response="0123456789abcdef0123456789abcdef", cnonce="c1c2", qop=auth, nc=00000001',
    'proxy-authorization:Digest response=deadbeef,cnonce=xyz1',
    'Authentication-Info: qop=auth, rspauth="fedcba9876543210fedcba9876543210", cnonce="c3c4", nc=00000001',
    'Proxy-Authentication-Info: rspauth=abad1dea',
    'X-Note: response="not a credential here"',
    'a=ice-ufrag:Ab12',
    'a=ice-pwd:0123456789abcdefghijklmn',
    `X-Leak: ${password} twice ${password}`,
  ].join('\r\n');
  const out = redact(text, [password]);
  assert.match(out, /username="101", realm="example.test", nonce="abc"/, 'what one debugs with stays');
  assert.equal(/0123456789abcdef|deadbeef|c1c2|xyz1|fedcba98|c3c4|abad1dea/.test(out), false, out);
  assert.match(out, /Authentication-Info: qop=auth, rspauth="<redacted>", cnonce="<redacted>", nc=00000001/, 'the server\'s rspauth (RFC 7616 §3.5) too');
  assert.match(out, /response="<redacted>".*cnonce="<redacted>"/);
  assert.match(out, /X-Note: response="not a credential here"/, 'only Authorization lines are touched');
  assert.match(out, /a=ice-ufrag:Ab12\r\na=ice-pwd:<redacted>\r\n/, 'the ICE password goes, its ufrag stays');
  assert.equal(out.includes(password), false);
  assert.match(out, /X-Leak: <redacted> twice <redacted>/);
  assert.equal(redact('user 1 pw 1', ['1']), 'user 1 pw 1', 'a secret shorter than 4 is not masked everywhere');
  assert.deepEqual(secretsOf({ password: 'abcd', apiKey: 'k-123456', secretFields: ['apiKey', 'missing'] }), ['abcd', 'k-123456']);
});

const wire = []; // every frame the phones handed to a socket
class FakeWebSocket {
  static OPEN = 1;
  constructor() { this.readyState = 0; setTimeout(() => { this.readyState = 1; this.onopen?.(); }, 1); }
  send(text) {
    wire.push(text);
    const lines = text.split('\r\n\r\n')[0].split('\r\n').slice(1).filter((l) => /^(via|from|to|call-id|cseq):/i.test(l))
      .map((l) => (/^to:/i.test(l) && !/;tag=/.test(l) ? `${l};tag=srv` : l));
    const answer = /^Authorization:/im.test(text)
      ? ['SIP/2.0 200 OK', ...lines, `Contact: <sip:101@x.invalid;transport=ws>;expires=60`]
      : ['SIP/2.0 401 Unauthorized', ...lines, 'WWW-Authenticate: Digest realm="example.test", nonce="abc", qop="auth"'];
    if (/^REGISTER /.test(text)) setTimeout(() => this.onmessage?.({ data: [...answer, 'Content-Length: 0', '', ''].join('\r\n') }), 1);
  }
  close() { this.readyState = 3; setTimeout(() => this.onclose?.({ code: 1000 }), 1); }
}
globalThis.WebSocket = FakeWebSocket;

test('debug: true delivers the SIP trace at level debug, with the digest secrets and the password masked', async () => {
  const entries = [];
  const sent = [];
  const phone = new WebPhone({ sipInfo, debug: true, logHandler: (e) => entries.push(e), wasm: { wasmBinary } });
  phone.sipClient.on('outboundMessage', (m) => sent.push(m.toString()));
  await phone.start();
  await phone.dispose();
  const sip = entries.filter((e) => e.category === 'sip');
  assert.ok(sip.length >= 4, `REGISTER, 401, REGISTER with Authorization, 200 (got ${sip.length})`);
  for (const e of entries) {
    assert.equal(e.level === 'debug' || e.level === 'info' || e.level === 'warn', true);
    assert.equal(typeof e.time, 'number');
  }
  const authorized = sip.find((e) => /^Authorization:/m.test(e.message));
  assert.ok(authorized, 'the authorized REGISTER was logged');
  assert.match(authorized.message, /response="<redacted>"/);
  assert.match(authorized.message, /cnonce="<redacted>"/);
  // The real response on the wire, for the check below.
  const response = /response="([0-9a-f]{32})"/.exec(wire.findLast((t) => /^Authorization:/m.test(t)))[1];
  const all = JSON.stringify(entries);
  assert.equal(all.includes(response), false, 'the digest response never reaches a log entry');
  assert.equal(all.includes(password), false);
});

test('levels: the default (warn) delivers no SIP trace; logLevel trace does; a throwing handler breaks nothing; bad options throw', async () => {
  const quiet = [];
  const phone = new WebPhone({ sipInfo, logHandler: (e) => quiet.push(e), wasm: { wasmBinary } });
  await phone.start();
  await phone.dispose();
  assert.deepEqual(quiet.filter((e) => e.level === 'debug' || e.level === 'info'), []);

  let calls = 0;
  const loud = new WebPhone({ sipInfo, logLevel: 'trace', logHandler: () => { calls++; throw new Error('handler bug'); }, wasm: { wasmBinary } });
  await loud.start();
  await loud.dispose();
  assert.ok(calls >= 4, 'every SIP message reached the handler, and its throws were contained');

  assert.throws(() => new WebPhone({ sipInfo, logLevel: 'verbose' }), /logLevel must be one of silent, error, warn, info, debug, trace/);
  assert.throws(() => new WebPhone({ sipInfo, logHandler: 'console' }), /logHandler must be a function/);
});

test('webPhone.diagnostics(): build identity and the SIP trace, redacted like the logs', async () => {
  const sent = [];
  const phone = new WebPhone({ sipInfo, wasm: { wasmBinary } });
  phone.sipClient.on('outboundMessage', (m) => sent.push(m.toString()));
  await phone.start();
  const d = await phone.diagnostics();
  await phone.dispose();
  assert.equal(d.sdk.name, 'wasm-web-phone');
  assert.match(d.sdk.wasmSha256, /^[0-9a-f]{64}$/);
  assert.equal(d.phone.username, '101');
  assert.deepEqual(d.sipTrace.map((m) => `${m.direction} ${m.text.split('\r\n')[0]}`), [
    'out REGISTER sip:example.test SIP/2.0', 'in SIP/2.0 401 Unauthorized', 'out REGISTER sip:example.test SIP/2.0', 'in SIP/2.0 200 OK',
  ]);
  assert.ok(!Number.isNaN(Date.parse(d.sipTrace[0].time)));
  assert.deepEqual(d.calls, []);
  const response = /response="([0-9a-f]{32})"/.exec(wire.findLast((t) => /^Authorization:/m.test(t)))[1];
  const text = JSON.stringify(d);
  assert.equal(text.includes(response), false, 'no digest response in the bundle');
  assert.equal(text.includes(password), false, 'no password in the bundle');
  assert.match(d.sipTrace[2].text, /response="<redacted>"/);
});

test('redactDeep and log data: secrets inside structured data are masked too (a quote in the password included)', async () => {
  const { redactDeep } = await import(`${root}/dist/es/log/redact.js`);
  const out = redactDeep({ a: [`x ${password} y`, { b: 'Authorization: Digest response="abcdef0123"' }], n: 3, ok: true, none: null }, [password]);
  assert.deepEqual(out, { a: ['x <redacted> y', { b: 'Authorization: Digest response="<redacted>"' }], n: 3, ok: true, none: null });
  const entries = [];
  const phone = new WebPhone({ sipInfo, logLevel: 'info', logHandler: (e) => entries.push(e), wasm: { wasmBinary } });
  phone.sipClient.log.info('core', `pw ${password}`, { nested: { pw: password } });
  assert.deepEqual(entries.map((e) => [e.message, e.data]), [['pw <redacted>', { nested: { pw: '<redacted>' } }]]);
});

test('outboundMessage events: the digest response and cnonce are masked, lengths and every other header kept', async () => {
  const events = [];
  const phone = new WebPhone({ sipInfo, wasm: { wasmBinary } });
  phone.sipClient.on('outboundMessage', (m) => events.push(m));
  await phone.start();
  await phone.dispose();
  const onWire = wire.findLast((t) => /^Authorization:/m.test(t) && !/expires=0/.test(t));
  const m = events.find((e) => e.getHeader('Authorization') && e.getHeader('Call-ID') && e.toString().length === onWire.length && !/expires=0/.test(e.toString()));
  assert.ok(m, 'the authorized REGISTER reached the event');
  const auth = m.getHeader('Authorization');
  assert.match(auth, /response="\*{32}"/);
  assert.match(auth, /cnonce="\*+"/);
  assert.match(auth, /username="101", realm="example.test", nonce="abc"/);
  assert.equal(/response="[0-9a-f]{32}"/.test(m.toString()), false);
  assert.equal(m.toString().length, onWire.length, 'same length: the core\'s offsets still hold');
  assert.equal(m.getHeader('CSeq'), /^CSeq: (.*)$/m.exec(onWire)[1]);
  assert.equal(m.getHeader('Contact'), /^Contact: (.*)$/m.exec(onWire)[1]);
});
