// The test kit for apps (wasm-web-phone/testing, README "Testing your app")
// in Node: the README's example as written, and what a developer's mistake
// gets (a clear error, never a wait for a timeout or a silent no-op).
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const wasmBinary = readFileSync(`${root}/dist/sip-core.wasm`);
const { default: WebPhone } = await import(`${root}/dist/es/index.js`);
const { startTestServer, fakeMedia, useNodeWebSocket } = await import(`${root}/dist/testing/index.mjs`);
useNodeWebSocket();
const T = { timeout: 20_000 };

test("the README's Node example runs as written: two phones, a call, DTMF, the BYE in the trace", T, async () => {
  const server = await startTestServer({ extensions: ['101', '102'], transport: 'ws' });
  const media = fakeMedia();
  const phoneOf = (ext) => new WebPhone({ sipInfo: server.sipInfo(ext), webRtcSessionFactory: media.factory,
    deviceManager: media.deviceManager, wasm: { wasmBinary } }); // (Node: the wasm's bytes, README "Loading the wasm")
  const [alice, bob] = [phoneOf('101'), phoneOf('102')];
  try {
    await alice.start();
    await bob.start();
    bob.on('inboundCall', (session) => session.answer());
    const since = Date.now();
    const call = await alice.call('102');
    call.sendDtmf('1');
    assert.equal(media.session(call).dtmf[0].tones, '1');
    await call.hangup();
    const bye = await server.waitForMessage('101', 'BYE', { dir: 'in', since });
    assert.match(bye.line, /^BYE /);
  } finally {
    await Promise.all([alice.dispose(), bob.dispose()]);
    await server.close();
  }
});

test('an extension the server does not have: trace, waitForMessage, drop and failNext say so at once', T, async () => {
  const server = await startTestServer({ extensions: ['101'], transport: 'ws' });
  try {
    const named = /no extension 999 on this test server \(it has 101/;
    await assert.rejects(server.trace('999'), named);
    const started = Date.now();
    await assert.rejects(server.waitForMessage('999', 'INVITE'), named);
    assert.ok(Date.now() - started < 5000, 'not after waiting out its 10 s');
    await assert.rejects(server.drop('999'), named);
    await assert.rejects(server.failNext({ method: 'INVITE', status: 486, ext: '999' }), named);
    assert.deepEqual(await server.trace('unbound'), [], 'sockets that never registered: a known name');
    assert.throws(() => server.sipInfo('999'), /no extension 999/);
  } finally {
    await server.close();
  }
});

test('a start whose port is taken fails saying so and leaves nothing listening (the test process could not exit)', T, async () => {
  const blocker = net.createServer();
  await new Promise((r) => blocker.listen(0, '127.0.0.1', r));
  const servers = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
  // The earlier tests' servers leave the list a tick after they close: only the blocker first.
  for (let i = 0; i < 100 && servers() > 1; i++) await new Promise((r) => setTimeout(r, 10));
  const before = servers();
  assert.equal(before, 1, 'only the blocker listens');
  try {
    await assert.rejects(startTestServer({ ports: { http: blocker.address().port }, transport: 'ws' }), /cannot listen on 127\.0\.0\.1: .*EADDRINUSE/);
    for (let i = 0; i < 20 && servers() > before; i++) await new Promise((r) => setTimeout(r, 10)); // handles go a tick after close
    assert.equal(servers(), before, 'its ws and wss listeners are closed again');
  } finally {
    blocker.close();
  }
});

// A REGISTER that is not authenticated yet, and its answer, were traced under
// 'unbound': waiting for the extension's 503 timed out.
test("a REGISTER refused before it authenticated is in its extension's trace, not 'unbound'", T, async () => {
  const server = await startTestServer({ extensions: ['101'], transport: 'ws' });
  const phone = new WebPhone({ sipInfo: server.sipInfo('101'), wasm: { wasmBinary } });
  try {
    await server.failNext({ method: 'REGISTER', status: 503, ext: '101' });
    await assert.rejects(phone.start(), /503/);
    const refused = await server.waitForMessage('101', 503, { dir: 'out', timeoutMs: 2000 });
    assert.match(refused.text, /^CSeq: \d+ REGISTER/m);
    assert.match((await server.waitForMessage('101', 'REGISTER', { dir: 'in', timeoutMs: 2000 })).text, /^To: <sip:16505550101@/m);
    assert.deepEqual(await server.trace('unbound'), []);
  } finally {
    await phone.dispose();
    await server.close();
  }
});

test('connectTestServer(url) takes the transport the server was started with, unless told another', T, async () => {
  const { connectTestServer } = await import(`${root}/dist/testing/index.mjs`);
  const server = await startTestServer({ extensions: ['101'], transport: 'ws' });
  try {
    const client = await connectTestServer(server.httpUrl);
    assert.equal(client.transport, 'ws');
    assert.equal(client.sipInfo('101').wsUrl, server.wsUrl);
    const secure = await connectTestServer(server.httpUrl, 'wss');
    assert.equal(secure.transport, 'wss');
    assert.equal(secure.sipInfo('101').wsUrl, undefined);
  } finally {
    await server.close();
  }
});

test("transport 'ws' needs no openssl: the server runs without wss:// and asking for wss says why; 'wss' fails to start", T, async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { connectTestServer } = await import(`${root}/dist/testing/index.mjs`);
  const dir = mkdtempSync(join(tmpdir(), 'wwp-no-openssl-'));
  const path = process.env.PATH;
  process.env.PATH = join(dir, 'empty'); // no openssl on it
  let server;
  try {
    await assert.rejects(startTestServer({ extensions: ['101'], certDir: join(dir, 'cert-wss') }), /is openssl installed\?/);
    server = await startTestServer({ extensions: ['101'], transport: 'ws', certDir: join(dir, 'cert') });
  } finally {
    process.env.PATH = path;
  }
  const phone = new WebPhone({ sipInfo: server.sipInfo('101'), wasm: { wasmBinary } });
  try {
    assert.match(server.wssError, /is openssl installed\?/);
    assert.throws(() => server.sipInfo('101', { transport: 'wss' }), /this test server has no wss:\/\/ \(cannot make the self-signed certificate/);
    await assert.rejects(connectTestServer(server.httpUrl, 'wss'), /no wss:\/\/ .*connect with transport 'ws'/);
    await phone.start();
    assert.equal((await server.state()).registrations.length, 1);
  } finally {
    await phone.dispose();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
