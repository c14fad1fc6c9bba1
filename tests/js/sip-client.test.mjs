// The JS shim driving the real wasm core in Node, against a scripted
// registrar behind a fake WebSocket. Covers what a browser test cannot
// force cheaply: a silent server, a dropped socket, wrong credentials, misuse.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
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
    setTimeout(() => { this.readyState = 1; this.onopen?.(); }, 1);
  }
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

test('a silent server: start() rejects after 5 s and the socket is closed', async () => {
  FakeWebSocket.script = () => [];
  const phone = newPhone();
  const t0 = performance.now();
  await assert.rejects(phone.start(), /Registration failed: no response from the server \(timeout\)/);
  assert.ok(performance.now() - t0 >= 4900);
  assert.equal(FakeWebSocket.instances.at(-1).readyState, 3);
  await phone.dispose(); // must not hang on a dead socket
});

test('the socket drops while registering: start() rejects instead of hanging', async () => {
  FakeWebSocket.script = (req, ws) => { ws.close(); return []; };
  const phone = newPhone();
  await assert.rejects(phone.start(), /Registration failed: transport closed/);
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
