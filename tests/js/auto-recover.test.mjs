// autoRecover (README "Self-healing"): the JS shim and the real wasm core in
// Node, against a scripted registrar behind a fake WebSocket that can drop,
// refuse and go silent. The core decides (core/flow/supervisor.hpp); these
// tests check that the shim opens and closes the sockets it is told to and
// that the app hears the right events.
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
const fast = { reconnectDelay: 10, reconnectTimeLimit: 40, jitter: 0, pingInterval: 0 };

const header = (text, name) => text.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.replace(/^[^:]+:\s*/, '');
function reply(request, status, reason, extra = []) {
  const lines = request.split('\r\n\r\n')[0].split('\r\n').slice(1);
  const copy = lines.filter((l) => /^(via|from|to|call-id|cseq):/i.test(l))
    .map((l) => (/^to:/i.test(l) && !/;tag=/.test(l) ? `${l};tag=srv` : l));
  return [`SIP/2.0 ${status} ${reason}`, ...copy, ...extra, 'Content-Length: 0', '', ''].join('\r\n');
}
/** A registrar without a challenge; `status` can be changed by a test. */
const server = { status: 200, reason: 'OK', silent: false, pong: true, refuse: () => false, registers: [] };
const respond = (req) => {
  if (req === '\r\n\r\n') return server.pong && !server.silent ? ['\r\n'] : [];
  if (server.silent || !req.startsWith('REGISTER ')) return [];
  server.registers.push(req);
  const contact = header(req, 'Contact').split(';expires')[0];
  return [reply(req, server.status, server.reason, server.status === 200 ? [`Contact: ${contact};expires=60`] : [])];
};

class FakeWebSocket {
  static OPEN = 1;
  static instances = [];
  constructor(url, protocol) {
    this.url = url; this.protocol = protocol; this.readyState = 0; this.sent = [];
    FakeWebSocket.instances.push(this);
    setTimeout(() => {
      if (this.readyState !== 0) return;
      if (server.refuse(url)) { this.readyState = 3; this.onclose?.({ code: 1006 }); return; }
      this.readyState = 1; this.onopen?.();
    }, 1);
  }
  send(text) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(text);
    for (const a of respond(text)) setTimeout(() => this.readyState === 1 && this.onmessage?.({ data: a }), 1);
  }
  close() { this.drop(1000); }
  /** The network (or the server) ends the connection. */
  drop(code = 1006) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code }), 1);
  }
}
globalThis.WebSocket = FakeWebSocket;

const until = async (what, check, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};
const open = () => FakeWebSocket.instances.filter((w) => w.readyState === 1);
function reset() {
  Object.assign(server, { status: 200, reason: 'OK', silent: false, pong: true, refuse: () => false, registers: [] });
  FakeWebSocket.instances = [];
}
function newPhone(autoRecover = fast) {
  const phone = new WebPhone({ sipInfo, autoRecover, wasm: { wasmBinary } });
  const events = [];
  for (const name of ['connectionStateChanged', 'reconnecting', 'recovered', 'failed', 'registrationFailed'])
    phone.on(name, (arg) => events.push({ name, arg }));
  phone.sipClient.on('registrationFailed', (e) => events.push({ name: 'registrationFailed', arg: e }));
  return { phone, events };
}

test('a dropped socket is reopened and the phone registers again with the same binding', async () => {
  reset();
  const { phone, events } = newPhone();
  await phone.start();
  const first = server.registers.at(-1);
  FakeWebSocket.instances[0].drop();
  await until('recovered', () => events.some((e) => e.name === 'recovered'));
  assert.equal(FakeWebSocket.instances.length, 2);
  assert.equal(FakeWebSocket.instances[1].url, PRIMARY);
  assert.equal(FakeWebSocket.instances[1].protocol, 'sip');
  const again = server.registers.at(-1);
  assert.equal(header(again, 'Call-ID'), header(first, 'Call-ID'));
  assert.equal(header(again, 'Contact'), header(first, 'Contact'), 'same Contact and +sip.instance: one binding');
  const states = events.filter((e) => e.name === 'connectionStateChanged').map((e) => e.arg.state);
  assert.deepEqual(states, ['connected', 'waiting', 'connecting', 'connected']);
  const waiting = events.find((e) => e.name === 'reconnecting').arg;
  assert.deepEqual({ attempt: waiting.attempt, delay: waiting.delay, server: waiting.server, reason: waiting.reason },
    { attempt: 1, delay: 10, server: 'primary', reason: 'WebSocket closed (code 1006)' });
  assert.equal(events.filter((e) => e.name === 'registrationFailed').length, 0, 'no registrationFailed during recovery');
  assert.equal(phone.sipClient.connectionState, 'connected');
  await phone.dispose();
});

test('without autoRecover a dropped socket stays dropped, as in ringcentral-web-phone', async () => {
  reset();
  const { phone, events } = newPhone(false);
  await phone.start();
  FakeWebSocket.instances[0].drop();
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(FakeWebSocket.instances.length, 1);
  assert.deepEqual(events.filter((e) => e.name !== 'registrationFailed'), []);
  await phone.dispose();
});

test('a refusing primary: backoff, then the backup, then the primary again on the next outage', async () => {
  reset();
  const { phone, events } = newPhone();
  await phone.start();
  server.refuse = (url) => url === PRIMARY;
  FakeWebSocket.instances[0].drop();
  await until('recovered on the backup', () => events.some((e) => e.name === 'recovered'));
  assert.deepEqual(FakeWebSocket.instances.map((w) => w.url), [PRIMARY, PRIMARY, PRIMARY, BACKUP]);
  const delays = events.filter((e) => e.name === 'reconnecting').map((e) => e.arg.delay);
  assert.deepEqual(delays, [10, 20, 40], 'exponential, capped at reconnectTimeLimit');
  server.refuse = () => false;
  open()[0].drop();
  await until('recovered again', () => events.filter((e) => e.name === 'recovered').length === 2);
  assert.equal(FakeWebSocket.instances.at(-1).url, PRIMARY);
  await phone.dispose();
});

test('a server that answered keep-alives and goes silent is left for a new connection', async () => {
  reset();
  const { phone, events } = newPhone({ ...fast, pingInterval: 30, pongTimeout: 60 });
  await phone.start();
  const first = FakeWebSocket.instances[0];
  await until('a ping answered', () => first.sent.includes('\r\n\r\n'));
  await new Promise((r) => setTimeout(r, 10));
  server.silent = true; // SIGSTOP: the socket stays open, nothing comes back
  await until('the core gives up on the silent socket', () => first.readyState === 3, 2000);
  const waiting = events.find((e) => e.name === 'reconnecting').arg;
  assert.match(waiting.reason, /no answer to the keep-alive/);
  server.silent = false;
  await until('recovered', () => events.some((e) => e.name === 'recovered'));
  await phone.dispose();
});

test('a server that never answers keep-alives is not declared dead', async () => {
  reset();
  server.pong = false;
  const { phone, events } = newPhone({ ...fast, pingInterval: 20, pongTimeout: 20 });
  await phone.start();
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(FakeWebSocket.instances[0].sent.filter((t) => t === '\r\n\r\n').length >= 5, 'pings went out');
  assert.equal(FakeWebSocket.instances.length, 1);
  assert.equal(events.filter((e) => e.name === 'reconnecting').length, 0);
  await phone.dispose();
});

test('403 on re-registration: failed once, registrationFailed with the status line, no more attempts', async () => {
  reset();
  const { phone, events } = newPhone();
  await phone.start();
  server.status = 403; server.reason = 'Forbidden';
  FakeWebSocket.instances[0].drop();
  await until('failed', () => events.some((e) => e.name === 'failed'));
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(FakeWebSocket.instances.length, 2);
  assert.equal(open().length, 0, 'the refused connection is closed');
  assert.equal(events.filter((e) => e.name === 'failed').length, 1);
  assert.match(events.find((e) => e.name === 'failed').arg.message, /Connection recovery failed: Registration failed: SIP\/2.0 403 Forbidden/);
  const failed = events.filter((e) => e.name === 'registrationFailed');
  assert.ok(failed.length >= 1);
  assert.equal(failed[0].arg.message, 'Registration failed: SIP/2.0 403 Forbidden');
  await phone.dispose();
});

test('reconnectLimit: gives up once with a reason', async () => {
  reset();
  const { phone, events } = newPhone({ ...fast, reconnectLimit: 2 });
  await phone.start();
  server.refuse = () => true;
  FakeWebSocket.instances[0].drop();
  await until('failed', () => events.some((e) => e.name === 'failed'));
  assert.equal(FakeWebSocket.instances.length, 3);
  assert.match(events.find((e) => e.name === 'failed').arg.message, /gave up after 2 attempts/);
  await phone.dispose();
});

test('the browser coming back online ends the wait at once', async () => {
  reset();
  const target = new EventTarget();
  const saved = { add: globalThis.addEventListener, remove: globalThis.removeEventListener };
  globalThis.addEventListener = target.addEventListener.bind(target);
  globalThis.removeEventListener = target.removeEventListener.bind(target);
  try {
    const { phone, events } = newPhone({ ...fast, reconnectDelay: 60000, reconnectTimeLimit: 60000 });
    await phone.start();
    FakeWebSocket.instances[0].drop();
    await until('waiting', () => events.some((e) => e.name === 'reconnecting'));
    assert.equal(events.find((e) => e.name === 'reconnecting').arg.delay, 60000);
    target.dispatchEvent(new Event('online'));
    await until('recovered', () => events.some((e) => e.name === 'recovered'), 1000);
    await phone.dispose();
    assert.equal(target.dispatchEvent(new Event('online')), true); // listeners are gone: nothing happens
    assert.equal(FakeWebSocket.instances.length, 2);
  } finally {
    globalThis.addEventListener = saved.add;
    globalThis.removeEventListener = saved.remove;
  }
});

test('50 drop/recover cycles: one open socket, one registration in flight, nothing left behind', async () => {
  reset();
  const { phone, events } = newPhone();
  await phone.start();
  for (let i = 1; i <= 50; i++) {
    open()[0].drop();
    await until(`recovery ${i}`, () => events.filter((e) => e.name === 'recovered').length === i);
  }
  assert.equal(open().length, 1);
  assert.equal(FakeWebSocket.instances.filter((w) => w.readyState !== 3).length, 1, 'every old socket is closed');
  const contacts = new Set(server.registers.map((r) => header(r, 'Contact')));
  assert.equal(contacts.size, 1, 'every REGISTER names the same binding');
  const live = phone.sipClient.ua().live();
  assert.deepEqual({ calls: live.calls, dialogs: live.dialogs }, { calls: 0, dialogs: 0 });
  assert.ok(live.transactions <= 1, `transactions: ${live.transactions}`);
  await phone.dispose();
});

test('autoRecover options are checked', () => {
  for (const [bad, msg] of [
    [{ reconnectDelay: -1 }, /autoRecover.reconnectDelay must be a number/],
    [{ jitter: 2 }, /autoRecover.jitter must be a number from 0 to 1/],
    [{ reconnectTimeMultiplier: 0.5 }, /reconnectTimeMultiplier must be a number from 1/],
    [{ pingInterval: 'often' }, /autoRecover.pingInterval must be a number/],
    ['yes', /autoRecover must be true, false or an options object/],
  ]) assert.throws(() => new WebPhone({ sipInfo, autoRecover: bad, wasm: { wasmBinary } }), msg);
});
