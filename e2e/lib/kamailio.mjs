// Node helpers for the e2e Kamailio: start/stop it (through scripts/kamailio.sh,
// so there is one way to run it) and read its location table over JSON-RPC.
// Like the server itself, these only work inside the loopback-only netns
// the tests run in (scripts/netns-run.sh).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RPC_URL, BACKUP_RPC_URL } from './users.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KAMAILIO_SH = path.join(ROOT, 'scripts', 'kamailio.sh');

// `instance`: 'primary' (users.json "server") or 'backup' ("server.backup"),
// a second Kamailio that the failover tests start (scripts/kamailio.sh).
function sh(cmd, instance = 'primary') {
  return new Promise((resolve) => {
    const env = { ...process.env, KAMAILIO_INSTANCE: instance };
    execFile(KAMAILIO_SH, [cmd], { timeout: 20_000, env }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

/** Run dir of this network namespace's instance (same rule as kamailio.sh). */
export function kamailioRunDir() {
  return process.env.KAMAILIO_RUNDIR || `/tmp/wwp-kamailio-${fs.statSync('/proc/self/ns/net').ino}`;
}
export function kamailioLogFile() {
  return process.env.KAMAILIO_LOG || path.join(kamailioRunDir(), 'kamailio.log');
}
/**
 * Last `lines` lines of the Kamailio log (for failure diagnostics). By default
 * only the routing script's xlog lines and errors, without start-up chatter and
 * the one harmless TLS "certificate unknown" error per browser page.
 */
export function kamailioLogTail(lines = 80, { all = false } = {}) {
  let text;
  try { text = fs.readFileSync(kamailioLogFile(), 'utf8'); } catch { return ''; }
  let l = text.split('\n');
  if (!all) l = l.filter((x) => /<script>|ERROR|CRITICAL|WARNING/.test(x) && !/tls|openssl|pass_fd|tcp_read_req/.test(x));
  return l.slice(-lines).join('\n');
}

/** true if this netns has a running instance. */
export async function kamailioRunning(instance = 'primary') {
  return (await sh('status', instance)).code === 0;
}

/**
 * Start Kamailio (no-op if already running in this netns). Resolves once its
 * SIP/WS/WSS/RPC ports accept. Returns { alreadyRunning, message }.
 */
export async function startKamailio(instance = 'primary') {
  const alreadyRunning = await kamailioRunning(instance);
  const r = await sh('start', instance);
  if (r.code !== 0) throw new Error(`scripts/kamailio.sh start failed:\n${r.stdout}${r.stderr}`);
  return { alreadyRunning, message: r.stdout.trim() };
}

/** SIGKILL Kamailio and its workers at once: a crash, as a fault-injection test needs it. */
export async function killKamailio(instance = 'primary') {
  const r = await sh('kill', instance);
  if (r.code !== 0) throw new Error(`scripts/kamailio.sh kill failed:\n${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

/** SIGSTOP (pause) or SIGCONT (resume) Kamailio and its workers: a server that stops answering. */
export async function pauseKamailio(paused = true, instance = 'primary') {
  const r = await sh(paused ? 'pause' : 'resume', instance);
  if (r.code !== 0) throw new Error(`scripts/kamailio.sh ${paused ? 'pause' : 'resume'} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

export async function stopKamailio(instance = 'primary') {
  const r = await sh('stop', instance);
  if (r.code !== 0) throw new Error(`scripts/kamailio.sh stop failed:\n${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

let rpcId = 0;
/** Call a Kamailio RPC command (e.g. rpc('ul.dump')); resolves with `result`, throws on error. */
export async function rpc(method, ...params) {
  return rpcOn('primary', method, ...params);
}

/**
 * rpc() on the given instance ('primary' or 'backup'). Every RPC the tests use
 * only reads (ul.lookup, ul.dump, core.version), so a request whose connection
 * the server closed under it is sent once more: fetch() reuses an idle
 * keep-alive connection, and Kamailio sometimes closes that one just as a
 * phone's WebSocket to it closes ("other side closed"; seen in the failover
 * test while the phones leave the backup; the retry at once succeeds).
 */
export async function rpcOn(instance, method, ...params) {
  const send = () => fetch(instance === 'backup' ? BACKUP_RPC_URL : RPC_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method, params, id: ++rpcId }),
  });
  const res = await send().catch((e) => {
    if (e?.cause?.code !== 'UND_ERR_SOCKET') throw e;
    return send();
  });
  const body = await res.json();
  if (body.error) {
    const e = new Error(`kamailio rpc ${method}: ${body.error.message}`);
    e.code = body.error.code;
    throw e;
  }
  return body.result;
}

/**
 * Current bindings of an AoR in the location table ([] if none). `aor` is the
 * user part ('101'); 'sip:101@localhost' and '101@localhost' are accepted too
 * (usrloc runs with use_domain=0). Each binding:
 *   { contact, expires, received, userAgent, instance, regId, socket, callId, cseq, q, flags, raw }
 * `contact` is the Contact URI as registered (a WS client's is a *.invalid host),
 * `received` is where Kamailio actually reaches it (sip:127.0.0.1:PORT;transport=ws).
 */
export async function registrations(aor, instance = 'primary') {
  const user = String(aor).replace(/^sips?:/, '').replace(/@.*$/, '');
  let result;
  try {
    result = await rpcOn(instance, 'ul.lookup', 'location', user);
  } catch (e) {
    if (/not found|no contacts/i.test(e.message)) return [];
    throw e;
  }
  const contacts = result?.Contacts ?? result?.AoR?.Contacts ?? [];
  return contacts.map((c) => c.Contact ?? c).map((c) => ({
    contact: c.Address,
    expires: typeof c.Expires === 'number' ? c.Expires : Number.parseInt(c.Expires, 10),
    received: c.Received || undefined,
    userAgent: c['User-Agent'] || undefined,
    instance: c.Instance || undefined,
    regId: c['Reg-Id'],
    socket: c.Socket,
    callId: c['Call-ID'],
    cseq: c.CSeq,
    q: c.Q,
    flags: c.Flags,
    raw: c,
  }));
}

/** All AoRs that have at least one binding, e.g. ['101', '102']. */
export async function registeredAors() {
  const dump = await rpc('ul.dump');
  const domains = dump?.Domains ?? [];
  const out = [];
  for (const d of domains) {
    for (const a of d.Domain?.AoRs ?? []) out.push(a.Info?.AoR ?? a.AoR);
  }
  return out.filter(Boolean);
}

/** Poll until registrations(aor) satisfies `pred` (default: at least one binding). */
export async function waitForRegistrations(aor, pred = (b) => b.length > 0, { timeout = 5000, interval = 50 } = {}) {
  const t0 = Date.now();
  for (;;) {
    const b = await registrations(aor);
    if (pred(b)) return b;
    if (Date.now() - t0 > timeout) throw new Error(`registrations(${aor}) did not reach the expected state in ${timeout} ms: ${JSON.stringify(b)}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * Reset, from the server's side, the connection an AoR's (only) binding was
 * registered over: `ss -K` destroys Kamailio's socket, so the phone gets a
 * TCP RST, as when a NAT box or load balancer drops the flow. Resolves with
 * the phone's port. (Kamailio's own `ws.close` RPC sends a close frame but
 * keeps the TCP connection; Chromium then reports the close only after its
 * 2 s closing-handshake timeout.)
 */
export async function resetConnectionOf(aor, instance = 'primary') {
  const bindings = await registrations(aor, instance);
  if (bindings.length !== 1) throw new Error(`resetConnectionOf(${aor}): expected one binding, have ${bindings.length}`);
  const port = /:(\d+)/.exec(String(bindings[0].received ?? '').replace(/^sips?:/, ''))?.[1];
  if (!port) throw new Error(`resetConnectionOf(${aor}): binding has no received address: ${JSON.stringify(bindings[0].raw)}`);
  const out = await new Promise((resolve, reject) =>
    execFile('ss', ['-K', '-H', '-t', 'dst', '127.0.0.1', 'dport', '=', port], (err, stdout, stderr) =>
      (err ? reject(new Error(`ss -K: ${stderr || err.message}`)) : resolve(stdout))));
  if (!String(out).trim()) throw new Error(`resetConnectionOf(${aor}): no connection to 127.0.0.1:${port}`);
  return Number(port);
}
