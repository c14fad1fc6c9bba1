// Node helpers for the rc-edge as its own process (scripts/rc-edge.sh, so
// there is one way to run it): start it, stop it, and inject faults from
// outside the page, as e2e/lib/kamailio.mjs does for Kamailio. Only inside
// the loopback-only netns the tests run in (scripts/netns-run.sh).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RC_EDGE_SH = path.join(ROOT, 'scripts', 'rc-edge.sh');

/** @param {string[]} args @param {Record<string, string>} [env] */
function sh(args, env = {}) {
  return new Promise((resolve) => {
    execFile(RC_EDGE_SH, args, { timeout: 20_000, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}
/** @param {string[]} args @param {Record<string, string>} [env] */
async function must(args, env) {
  const r = await sh(args, env);
  if (r.code !== 0) throw new Error(`scripts/rc-edge.sh ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

/** Run dir of this network namespace's edge (same rule as rc-edge.sh). */
export function rcEdgeRunDir() {
  return process.env.RC_EDGE_RUN_DIR || `/tmp/wwp-rc-edge-${fs.statSync('/proc/self/ns/net').ino}`;
}

/**
 * A second edge process, the backup (`sipInfo.outboundProxyBackup`), on its
 * own ports and run dir. A standby edge of a real deployment reads the
 * store the primary wrote: `start()` begins from a copy of the primary's
 * state file (e2e/rc-edge/store.mjs), so it knows the bindings and calls.
 */
export const backupRcEdge = {
  wssPort: 17443,
  httpPort: 17081,
  env() {
    return { RC_EDGE_RUN_DIR: `${rcEdgeRunDir()}-backup`, RC_EDGE_WSS_PORT: '17443', RC_EDGE_WS_PORT: '17080', RC_EDGE_HTTP_PORT: '17081' };
  },
  /** Start it from the primary's current store. */
  async start() {
    const dir = this.env().RC_EDGE_RUN_DIR;
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(rcEdgeRunDir(), 'state.json'), path.join(dir, 'state.json'));
    return must(['start'], this.env());
  },
  stop() { return must(['stop'], this.env()); },
};

/** Last `lines` lines of the edge's log (for failure diagnostics). */
export function rcEdgeLogTail(lines = 60) {
  try { return fs.readFileSync(path.join(rcEdgeRunDir(), 'rc-edge.log'), 'utf8').split('\n').slice(-lines).join('\n'); } catch { return ''; }
}

/** true if this netns has a running edge. */
export async function rcEdgeRunning() {
  return (await sh(['status'])).code === 0;
}

/**
 * Start the edge (no-op if one runs in this netns) and resolve once its ports
 * accept. `fresh`: with an empty state file; otherwise it picks up the
 * registrations and calls its previous process kept (e2e/rc-edge/store.mjs).
 * Extra args go to e2e/rc-edge/main.mjs.
 */
export async function startRcEdge({ fresh = false, args = [] } = {}) {
  const alreadyRunning = await rcEdgeRunning();
  const message = await must(['start', ...(fresh ? ['--fresh'] : []), ...args]);
  return { alreadyRunning, message };
}

/** SIGKILL the edge: a crash, as a fault-injection test needs it. */
export const killRcEdge = () => must(['kill']);

/** SIGSTOP (pause) or SIGCONT (resume) the edge: an edge that stops answering. */
export const pauseRcEdge = (paused = true) => must([paused ? 'pause' : 'resume']);

export const stopRcEdge = () => must(['stop']);
