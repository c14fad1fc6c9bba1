// The test server as a command, for test runners other than Playwright: start
// it the way package.json's "bin" does, read its one JSON line, drive it over
// HTTP with connectTestServer, register a phone with it, stop it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebPhone from 'wasm-web-phone';
import { connectTestServer, fakeMedia, useNodeWebSocket } from 'wasm-web-phone/testing';

useNodeWebSocket();
const pkgFile = fileURLToPath(import.meta.resolve('wasm-web-phone/package.json'));
const bin = path.join(path.dirname(pkgFile), JSON.parse(readFileSync(pkgFile, 'utf8')).bin['wasm-web-phone-test-server']);

/** Run the command; resolve with its first stdout line (or its exit). */
function run(args) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out, err })));
  const line = new Promise((resolve) => child.stdout.on('data', (d) => {
    out += d;
    if (out.includes('\n')) resolve(out.split('\n')[0]);
  }));
  // A server that never prints its line fails the test (15 s) instead of hanging it.
  const late = new Promise((resolve) => { setTimeout(() => { child.kill(); resolve(undefined); }, 15_000).unref(); });
  return { child, exited, first: Promise.race([line, exited.then(() => undefined), late]) };
}

test('wasm-web-phone-test-server prints its URLs and sipInfos, serves the control API, stops on SIGTERM', async () => {
  const { child, exited, first } = run(['--extensions', '201,202', '--transport', 'ws']);
  const line = await first;
  assert.ok(line, 'the server printed its JSON line');
  const info = JSON.parse(line);
  assert.equal(info.ready, true);
  assert.deepEqual(info.extensions.map((e) => e.ext), ['201', '202', '199']);
  assert.match(info.extensions[0].sipInfo.wsUrl, /^ws:\/\/127\.0\.0\.1:\d+$/);

  const server = await connectTestServer(info.httpUrl, 'ws');
  const media = fakeMedia();
  const wp = new WebPhone({ sipInfo: server.sipInfo('201'), webRtcSessionFactory: media.factory, deviceManager: media.deviceManager });
  await wp.start();
  const regs = (await server.state()).registrations;
  assert.deepEqual(regs.map((r) => r.ext), ['201']);
  await server.waitForMessage('201', 200, { dir: 'out' });
  await wp.dispose();
  await server.close(); // not ours to stop: the process keeps serving
  assert.ok((await server.state()).registrations);

  child.kill('SIGTERM');
  assert.equal((await exited).code, 0);
});

test('wasm-web-phone-test-server refuses bad arguments with a usage line', async () => {
  for (const [args, text] of [[['--transport', 'udp'], /--transport must be wss or ws/], [['--ws-port', 'x'], /--ws-port must be a port number/],
    [['--bogus'], /unknown argument --bogus/], [['--extensions', '12345678'], /is not an extension number/]]) {
    const r = await run(args).exited;
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, text);
    assert.match(r.err, /usage: wasm-web-phone-test-server/);
  }
});
