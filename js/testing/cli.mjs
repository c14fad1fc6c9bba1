#!/usr/bin/env node
// @ts-check
/**
 * `wasm-web-phone-test-server`: the test kit's server for any test runner
 * (README "Testing your app"). Starts the RingCentral-compatible SIP edge on
 * 127.0.0.1, prints one JSON line with its URLs and each extension's sipInfo,
 * and serves the control API until SIGINT/SIGTERM.
 *
 *   wasm-web-phone-test-server [--extensions 101,102,103] [--transport wss|ws]
 *     [--ws-port N] [--wss-port N] [--http-port N] [--debug]
 * @module wasm-web-phone/testing/cli
 */
import { startTestServer } from './server.mjs';
import { farSideMounts, FAR_SIDE_EXT } from './far-side-mounts.mjs';

const USAGE = 'usage: wasm-web-phone-test-server [--extensions 101,102,103] [--transport wss|ws] [--ws-port N] [--wss-port N] [--http-port N] [--debug]';
const argv = process.argv.slice(2);
/** @param {string} name */
function value(name) {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) fail(`--${name} needs a value`);
  return v;
}
/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`wasm-web-phone-test-server: ${message}\n${USAGE}`);
  process.exit(2);
}
/** @param {string} name */
function port(name) {
  const v = value(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`--${name} must be a port number 0-65535`);
  return n;
}
if (argv.includes('--help') || argv.includes('-h')) { console.log(USAGE); process.exit(0); }
const known = new Set(['--extensions', '--transport', '--ws-port', '--wss-port', '--http-port', '--debug']);
for (let i = 0; i < argv.length; i++) {
  if (!known.has(argv[i])) fail(`unknown argument ${argv[i]}`);
  if (argv[i] !== '--debug') i++;
}
const transport = value('transport') ?? 'wss';
if (transport !== 'wss' && transport !== 'ws') fail('--transport must be wss or ws');
let server;
try {
  server = await startTestServer({
    extensions: [...new Set([...(value('extensions') ?? '101,102,103,104').split(',').map((s) => s.trim()).filter(Boolean), FAR_SIDE_EXT])],
    transport, debug: argv.includes('--debug'), static: farSideMounts(),
    ports: { ws: port('ws-port'), wss: port('wss-port'), http: port('http-port') },
  });
} catch (e) {
  fail(String(/** @type {Error} */ (e).message));
}
console.log(JSON.stringify({ ready: true, httpUrl: server.httpUrl, wsUrl: server.wsUrl, wssUrl: server.wssUrl, domain: server.domain,
  extensions: server.extensions, farSide: { ext: FAR_SIDE_EXT, page: `${server.httpUrl}/kit/far-side.html` }, pid: process.pid }));
const stop = async () => { await server.close(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
