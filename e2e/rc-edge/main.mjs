#!/usr/bin/env node
// @ts-check
/**
 * rc-edge command line.
 *
 *   node e2e/rc-edge/main.mjs [--ws-port 16080] [--wss-port 16443] [--http-port 16081]
 *        [--grant 60] [--debug] [--no-static] [--directory file.json] [--cert-dir dir]
 *        [--state-file file.json [--fresh]]
 *
 * --state-file keeps registrations and established calls in that file (written on
 * every change, read at start), so a killed and restarted edge still has them;
 * --fresh deletes it first (an empty store). See store.mjs.
 *
 * Env equivalents: RC_EDGE_WS_PORT, RC_EDGE_WSS_PORT, RC_EDGE_HTTP_PORT, RC_EDGE_DEBUG=1,
 * RC_EDGE_STATE_FILE.
 * Binds 127.0.0.1 only. Prints one JSON line `{"ready":true,...}` when listening.
 * @module rc-edge/main
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEdge } from './edge.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const argv = process.argv.slice(2);
/** @param {string} name @param {string|undefined} [env] */
const opt = (name, env) => {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0 && argv[i + 1] && !argv[i + 1].startsWith('--')) return argv[i + 1];
  return env ? process.env[env] : undefined;
};
const flag = (name) => argv.includes(`--${name}`);
if (flag('help')) {
  console.log('usage: node e2e/rc-edge/main.mjs [--ws-port N] [--wss-port N] [--http-port N] [--grant S] [--debug] [--no-static] [--directory F] [--cert-dir D] [--state-file F [--fresh]]');
  process.exit(0);
}
const stateFile = opt('state-file', 'RC_EDGE_STATE_FILE');
if (stateFile && flag('fresh')) fs.rmSync(stateFile, { force: true });
const num = (v, d) => (v === undefined ? d : Number(v));
const edge = await startEdge({
  wsPort: num(opt('ws-port', 'RC_EDGE_WS_PORT'), 16080),
  wssPort: num(opt('wss-port', 'RC_EDGE_WSS_PORT'), 16443),
  httpPort: num(opt('http-port', 'RC_EDGE_HTTP_PORT'), 16081),
  debug: flag('debug') || process.env.RC_EDGE_DEBUG === '1',
  directory: opt('directory'),
  certDir: opt('cert-dir'),
  config: opt('grant') ? { grantExpires: Number(opt('grant')) } : {},
  stateFile,
  static: flag('no-static') ? {} : {
    '/rc/': path.join(repo, 'node_modules', 'ringcentral-web-phone', 'dist'),
    '/dist/': path.join(repo, 'dist'),
    '/': path.join(repo, 'e2e', 'rc-scenarios', 'pages'),
  },
});
console.log(JSON.stringify({ ready: true, wsPort: edge.wsPort, wssPort: edge.wssPort, httpPort: edge.httpPort, pid: process.pid }));
const stop = async () => { await edge.close(); edge.writeState(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('uncaughtException', (e) => console.error('[rc-edge] uncaught', e?.stack ?? e));
process.on('unhandledRejection', (e) => console.error('[rc-edge] unhandled rejection', e));
