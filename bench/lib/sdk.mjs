// Shared pieces of the user-path benchmarks (receive-path, send-path,
// cold-start, sizes): where the two SDKs live, a fake WebSocket that a test
// server would otherwise stand behind, and a minimal "server" that answers
// the requests an SDK sends. Everything here goes through the SDKs' PUBLIC
// API only (DefaultSipClient, RequestMessage, the `wsc` socket they expose),
// so the scripts keep working when the wasm boundary behind it is rewritten.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoDir } from './util.mjs';

export const rcPackageDir = join(repoDir, 'node_modules', 'ringcentral-web-phone');
export const rcDistDir = join(rcPackageDir, 'dist');
export const rcVersion = JSON.parse(readFileSync(join(rcPackageDir, 'package.json'), 'utf8')).version;

/// The built package to measure: `--dist DIR` (a copy of dist/, e.g.
/// /tmp/bench-dist), else the repo's dist/. Fails early with a clear message.
export function resolveDist(dist) {
  const dir = dist ? (isAbsolute(dist) ? dist : resolve(process.cwd(), dist)) : join(repoDir, 'dist');
  for (const f of ['sip-core.wasm', 'es/sip-client.js', 'iife/wasm-web-phone.js']) {
    if (!existsSync(join(dir, f))) throw new Error(`${join(dir, f)} is missing: build the package or pass --dist DIR`);
  }
  return dir;
}

/// A path as results show it: relative to the repo when inside it (no
/// machine-specific absolute paths in committed results).
export function shownPath(p) {
  const r = relative(repoDir, p);
  return r === '' ? '.' : r.startsWith('..') || isAbsolute(r) ? p : r;
}

/// Our version string, read from the built package (dist/es/version.js).
export async function oursVersion(dist) {
  try {
    const v = await import(pathToFileURL(join(dist, 'es', 'version.js')).href);
    return [v.CORE_VERSION, v.CORE_COMMIT && String(v.CORE_COMMIT).slice(0, 9)].filter(Boolean).join(' @ ') || 'unknown';
  } catch {
    return 'unknown';
  }
}

/// sipInfo for both SDKs. authorizationId equals the `Cln` of corpus frame 13
/// (an x-rc/agent MESSAGE): ringcentral-web-phone silently drops such a
/// MESSAGE when Cln differs, and we want the frame delivered by both.
export const sipInfo = {
  username: '16504223344*103', password: 'not-a-secret', authorizationId: '802396108028',
  domain: 'sip.ringcentral.com', outboundProxy: '127.0.0.1:9', stunServers: [],
};

/// Both SDKs' public modules. `ours` is loaded from `dist` (ESM build).
export async function loadSdks(dist) {
  const imp = (p) => import(pathToFileURL(p).href);
  const rc = {
    key: 'rc', short: 'ringcentral-web-phone', name: `ringcentral-web-phone ${rcVersion}`,
    client: await imp(join(rcDistDir, 'sip-client.mjs')),
    RequestMessage: (await imp(join(rcDistDir, 'sip-message', 'outbound', 'request.mjs'))).default,
    options: {},
  };
  const ours = {
    key: 'ours', short: 'wasm-web-phone', name: `wasm-web-phone (${await oursVersion(dist)})`,
    client: await imp(join(dist, 'es', 'sip-client.js')),
    RequestMessage: (await imp(join(dist, 'es', 'sip-message', 'outbound', 'request.js'))).default,
    options: { wasm: { wasmBinary: readFileSync(join(dist, 'sip-core.wasm')) } },
  };
  return { rc, ours };
}

// ------------------------------------------------------------ SIP text helpers (bench side only)

/// Header lines of a SIP text as [name, value] (folded lines joined).
export function headerLines(text) {
  const end = text.indexOf('\r\n\r\n');
  const lines = text.slice(0, end < 0 ? text.length : end).split('\r\n');
  const out = [];
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    if ((l[0] === ' ' || l[0] === '\t') && out.length) { out[out.length - 1][1] += ' ' + l.trim(); continue; }
    const c = l.indexOf(':');
    if (c > 0) out.push([l.slice(0, c).trim(), l.slice(c + 1).trim()]);
  }
  return out;
}
const COMPACT = { v: 'via', f: 'from', t: 'to', i: 'call-id', m: 'contact', l: 'content-length', c: 'content-type' };
const long = (n) => { const l = n.toLowerCase(); return COMPACT[l] ?? l; };
export const header = (text, name) => headerLines(text).find(([n]) => long(n) === name.toLowerCase())?.[1];
export const headers = (text, name) => headerLines(text).filter(([n]) => long(n) === name.toLowerCase()).map(([, v]) => v);
export const startLine = (text) => text.slice(0, text.indexOf('\r\n'));

/// A response to `request` as a server would send it: all Via lines, From,
/// To (with a tag), Call-ID, CSeq; for REGISTER the Contact with `expires`.
export function answer(request, { status = '200 OK', registerExpires = 3600, toTag = 'srv1' } = {}) {
  const to = header(request, 'to') ?? '';
  const lines = [`SIP/2.0 ${status}`, ...headers(request, 'via').map((v) => `Via: ${v}`),
    `From: ${header(request, 'from')}`, `To: ${/;tag=/.test(to) ? to : `${to};tag=${toTag}`}`,
    `Call-ID: ${header(request, 'call-id')}`, `CSeq: ${header(request, 'cseq')}`];
  if (request.startsWith('REGISTER ')) {
    const contact = (header(request, 'contact') ?? '').replace(/;expires=\d+/, '');
    lines.push(`Contact: ${contact};expires=${registerExpires}`);
  }
  lines.push('Content-Length: 0');
  return lines.join('\r\n') + '\r\n\r\n';
}

/// Flat, fresh copy of a string, as a browser hands a decoded text frame to
/// JS (UTF-8 bytes -> new sequential string; never a rope or a slice).
const enc = new TextEncoder();
const dec = new TextDecoder();
export const freshString = (s) => dec.decode(enc.encode(s));

// ------------------------------------------------------------ fake WebSocket

/**
 * A stand-in for the browser's WebSocket: opens on the next macrotask,
 * dispatches events to `onX` handlers and addEventListener listeners (both
 * SDKs use one or the other), and records what the SDK sends.
 *
 * Events are plain `{ type, data, target }` objects dispatched by a few lines
 * of JS, not Node's EventTarget/MessageEvent, so the harness adds as little
 * as possible; in a browser the event is built by the browser anyway.
 *
 * `onSend(text, at)` (per instance, optional) sees every frame the SDK sends;
 * `at` is performance.now() taken as send()'s first statement.
 * The default `server` answers REGISTER and MESSAGE with 200 OK on a later
 * macrotask (setImmediate), like a real server would, so nothing piles up.
 */
export class FakeWebSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  static created = [];
  /// Which requests the fake server answers with 200 (others get no answer).
  static answerMethods = new Set(['REGISTER', 'MESSAGE']);
  static registerExpires = 3600;

  constructor(url, protocol) {
    this.url = url;
    this.protocol = typeof protocol === 'string' ? protocol : 'sip';
    this.readyState = FakeWebSocket.CONNECTING;
    this.binaryType = 'blob';
    this.bufferedAmount = 0;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    this.listeners = { open: [], message: [], close: [], error: [] };
    this.sends = 0;
    this.onSend = null;
    this.autoAnswer = true;
    FakeWebSocket.created.push(this);
    setTimeout(() => {
      if (this.readyState !== FakeWebSocket.CONNECTING) return;
      this.readyState = FakeWebSocket.OPEN;
      this.fire('open', { type: 'open', target: this });
    }, 0);
  }

  addEventListener(type, fn, opts) {
    (this.listeners[type] ??= []).push({ fn, once: typeof opts === 'object' && !!opts?.once });
  }

  removeEventListener(type, fn) {
    const l = this.listeners[type];
    if (l) this.listeners[type] = l.filter((x) => x.fn !== fn);
  }

  fire(type, ev) {
    const h = this['on' + type];
    if (h) h.call(this, ev);
    const l = this.listeners[type];
    if (!l || l.length === 0) return;
    for (const x of l.length === 1 ? l : [...l]) {
      if (x.once) this.removeEventListener(type, x.fn);
      x.fn.call(this, ev);
    }
  }

  /// A text frame arrives from the server.
  deliver(data) {
    this.fire('message', { type: 'message', data, target: this });
  }

  send(data) {
    const at = performance.now();
    this.sends++;
    // A binary frame (if an SDK ever sends one) is read as UTF-8 text.
    if (typeof data !== 'string') data = dec.decode(ArrayBuffer.isView(data) || data instanceof ArrayBuffer ? data : new Uint8Array(0));
    if (this.onSend) this.onSend(data, at);
    if (this.autoAnswer && !data.startsWith('SIP/2.0 ')) {
      const method = data.slice(0, data.indexOf(' '));
      if (FakeWebSocket.answerMethods.has(method)) {
        const reply = answer(data, { registerExpires: FakeWebSocket.registerExpires });
        setImmediate(() => { if (this.readyState === FakeWebSocket.OPEN) this.deliver(reply); });
      }
    }
  }

  close(code = 1000) {
    this.closedBySdk = (this.closedBySdk ?? 0) + 1;
    if (this.readyState === FakeWebSocket.CLOSED) return;
    this.readyState = FakeWebSocket.CLOSED;
    setTimeout(() => this.fire('close', { type: 'close', code, reason: '', wasClean: true, target: this }), 0);
  }
}

/// Replace the global WebSocket (both SDKs call `new WebSocket(url, 'sip')`).
export function installFakeWebSocket() {
  globalThis.WebSocket = FakeWebSocket;
  return FakeWebSocket;
}

/// Start an SDK's own DefaultSipClient against the fake socket; resolves
/// once it is registered (the fake server answered the REGISTER).
export async function startClient(sdk) {
  const client = new sdk.client.DefaultSipClient({ sipInfo, ...sdk.options });
  await client.start();
  const ws = client.wsc;
  if (!(ws instanceof FakeWebSocket)) throw new Error(`${sdk.name}: client.wsc is not the fake WebSocket`);
  return { client, ws };
}

export const tick = () => new Promise((r) => setImmediate(r));

export const macrotask = () => new Promise((r) => setTimeout(r, 0));

/// The interleaved loop for async workloads. Each workload has
/// `run(passes) -> Promise<timed ms>` (it times only its own timed region)
/// and `units` (frames or calls per pass). Warm-up, calibration to about
/// `targetMs` of timed work per sample, then `reps` rounds, each running
/// every workload once in an order rotated per round, so drift hits all
/// alike. Pushes µs per unit to `w.samples`; calls `w.reset()` after warm-up.
/// A macrotask runs between samples (untimed) so the SDKs' timers can fire.
/// A workload whose run() throws (e.g. an SDK stopped answering) gets
/// `w.error` and is skipped from then on; the others carry on.
export async function measureAsyncInterleaved(workloads, { reps, targetMs, warmupMs, log = () => {} }) {
  const fail = (w, e) => { w.error = String(e?.message ?? e); log(`  FAILED ${w.name} ${w.kind ?? ''}: ${w.error}`); };
  for (const w of workloads) {
    w.samples = [];
    try {
      const tEnd = performance.now() + warmupMs;
      let passes = 0, ms = 0;
      do { ms += await w.run(1); passes++; } while (performance.now() < tEnd);
      w.passes = Math.max(1, Math.ceil(targetMs / Math.max(ms / passes, 1e-3)));
      w.reset?.();
    } catch (e) { fail(w, e); }
    await macrotask();
  }
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < workloads.length; k++) {
      const w = workloads[(k + r) % workloads.length];
      if (w.error) continue;
      try {
        const ms = await w.run(w.passes);
        w.samples.push((ms * 1000) / (w.passes * w.units));
      } catch (e) { fail(w, e); }
      await macrotask();
    }
    log(`  round ${r + 1}/${reps} done`);
  }
  return workloads;
}

/// What a page downloads for each SDK: RC's browser IIFE as shipped in its
/// npm package (unminified), the same minified with esbuild (no re-bundling;
/// what a site that minifies its assets would serve), and ours: the minified
/// IIFE plus sip-core.wasm. Returns name -> [{ path, url, type, bytes }].
export async function pageAssets(dist) {
  const rcShipped = readFileSync(join(rcDistDir, 'index.iife.js'));
  const esbuild = await import('esbuild');
  const rcMin = Buffer.from((await esbuild.transform(rcShipped.toString('utf8'), { minify: true, legalComments: 'none' })).code);
  return {
    rc: [{ path: join(rcDistDir, 'index.iife.js'), label: 'ringcentral-web-phone/dist/index.iife.js', url: '/rc/index.iife.js', type: 'text/javascript; charset=utf-8', bytes: rcShipped }],
    'rc-min': [{ path: join(rcDistDir, 'index.iife.js'), label: 'ringcentral-web-phone/dist/index.iife.js, esbuild --minify', url: '/rc-min/index.iife.min.js', type: 'text/javascript; charset=utf-8', bytes: rcMin }],
    ours: oursAssets(dist, '/ours'),
  };
}

/** Our script-tag build and its wasm from `dist`, served under `prefix` (the wasm next to iife/, where the SDK looks by default). */
export function oursAssets(dist, prefix) {
  return [
    { path: join(dist, 'iife', 'wasm-web-phone.js'), label: 'dist/iife/wasm-web-phone.js', url: `${prefix}/iife/wasm-web-phone.js`, type: 'text/javascript; charset=utf-8', bytes: readFileSync(join(dist, 'iife', 'wasm-web-phone.js')) },
    { path: join(dist, 'sip-core.wasm'), label: 'dist/sip-core.wasm', url: `${prefix}/sip-core.wasm`, type: 'application/wasm', bytes: readFileSync(join(dist, 'sip-core.wasm')) },
  ];
}
