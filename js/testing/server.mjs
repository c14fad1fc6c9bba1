// @ts-check
/**
 * The test kit's server (README "Testing your app"): the RingCentral-compatible
 * SIP edge of e2e/rc-edge, started on 127.0.0.1 with the extensions a test asks
 * for, and one client for its control API. Node only: `wasm-web-phone/testing`
 * is never part of a browser bundle.
 *
 * One class serves both ways of running it: `startTestServer()` starts the edge
 * in this process; `connectTestServer(url)` talks to one that the
 * `wasm-web-phone-test-server` command started (any other runner uses the same
 * HTTP routes). Every action goes through the HTTP control API, so the two
 * behave the same.
 * @module wasm-web-phone/testing
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { startEdge } from '../../e2e/rc-edge/edge.mjs';

/**
 * @typedef {Object} TestExtension  one extension of the server
 * @property {string} ext       extension number ("101")
 * @property {string} name      display name
 * @property {string} number    its phone number (the SIP username)
 * @property {Record<string, any>} sipInfo  what RingCentral's sip-provision returns, for this server
 */

/**
 * @typedef {Object} TestServerOptions
 * @property {Array<string | {ext: string, name?: string}>} [extensions]  default 101-104
 * @property {{ws?: number, wss?: number, http?: number}} [ports]  0 (default) = any free port
 * @property {'wss' | 'ws'} [transport]  what `sipInfo()` points at by default: 'wss' (what
 *           ringcentral-web-phone always opens; the browser must ignore the self-signed
 *           certificate) or 'ws' (wasm-web-phone, through `sipInfo.wsUrl`)
 * @property {Record<string, unknown>} [config]  edge tunables (see `configure`)
 * @property {Record<string, string>} [static]  URL prefix → directory served over HTTP
 * @property {string} [certDir]  where the self-signed certificate is kept (generated with openssl;
 *           with `transport: 'ws'` a machine without openssl gets a ws-only server, and asking
 *           for wss says why)
 * @property {boolean} [debug]  log every SIP message to the console
 */

/** Start the server in this process. @param {TestServerOptions} [options] */
export async function startTestServer(options = {}) {
  const exts = makeExtensions(options.extensions ?? ['101', '102', '103', '104']);
  const ports = options.ports ?? {};
  const edge = await startEdge({
    wsPort: ports.ws ?? 0, wssPort: ports.wss ?? 0, httpPort: ports.http ?? 0,
    extensions: exts, config: options.config ?? {}, static: options.static ?? {},
    certDir: options.certDir ?? path.join(os.tmpdir(), 'wasm-web-phone-test-server-cert'),
    debug: !!options.debug, quiet: !options.debug,
    transport: options.transport ?? 'wss', tlsOptional: options.transport === 'ws',
  });
  try {
    const server = await TestServer.connect(`http://127.0.0.1:${edge.httpPort}`, options.transport);
    server.stopper = () => edge.close();
    return server;
  } catch (e) {
    await edge.close(); // nothing left listening when the start fails
    throw e;
  }
}

/**
 * A client for a server started elsewhere (`wasm-web-phone-test-server`).
 * `transport` defaults to the one the server was started with (`--transport`).
 * @param {string} httpUrl @param {'wss'|'ws'} [transport]
 */
export function connectTestServer(httpUrl, transport) {
  return TestServer.connect(httpUrl, transport);
}

/**
 * Extension records for the edge: numbers in the same plan as the directory
 * the project's own tests use, a fresh password per run.
 * @param {Array<string | {ext: string, name?: string}>} list
 */
export function makeExtensions(list) {
  if (!Array.isArray(list) || list.length === 0) throw new Error('extensions: give at least one extension number');
  const seen = new Set();
  return list.map((item) => {
    const ext = String(typeof item === 'object' ? item.ext : item);
    if (!/^\d{2,5}$/.test(ext)) throw new Error(`extensions: "${ext}" is not an extension number (2-5 digits)`);
    if (seen.has(ext)) throw new Error(`extensions: ${ext} is listed twice`);
    seen.add(ext);
    return {
      ext, name: (typeof item === 'object' && item.name) || `Extension ${ext}`,
      username: `1650555${ext.padStart(4, '0')}`, authorizationId: `80000000${ext.padStart(4, '0')}`,
      password: `pw-${ext}-${randomBytes(6).toString('hex')}`,
    };
  });
}

export class TestServer {
  /** @param {string} httpUrl @param {any} health @param {any} directory @param {any} wsDirectory @param {'wss'|'ws'} transport */
  constructor(httpUrl, health, directory, wsDirectory, transport) {
    /** Base URL of the control API (and of the static files). */
    this.httpUrl = httpUrl;
    this.wsUrl = `ws://127.0.0.1:${health.wsPort}`;
    this.wssUrl = `wss://127.0.0.1:${health.wssPort}`;
    /** Why the server has no wss:// (started with transport 'ws' where openssl is missing). @type {string|undefined} */
    this.wssError = health.wssError;
    this.domain = health.domain;
    this.transport = transport;
    /** @type {Map<string, TestExtension>} */ this.byExt = new Map();
    /** @type {Map<string, TestExtension>} */ this.byExtWs = new Map();
    for (const e of directory.extensions) this.byExt.set(e.ext, e);
    for (const e of wsDirectory.extensions) this.byExtWs.set(e.ext, e);
    /** @type {(() => Promise<void>) | undefined} set when this process owns the server */
    this.stopper = undefined;
  }

  /** @param {string} httpUrl @param {'wss'|'ws'} [transport] */
  static async connect(httpUrl, transport) {
    if (transport !== undefined && transport !== 'wss' && transport !== 'ws') throw new Error(`transport must be 'wss' or 'ws', not ${JSON.stringify(transport)}`);
    const base = httpUrl.replace(/\/+$/, '');
    const get = (p) => request(base, 'GET', p);
    const [health, directory, wsDirectory] = await Promise.all([get('/api/health'), get('/api/directory'), get('/api/directory?transport=ws')]);
    const t = transport ?? (health.transport === 'ws' ? 'ws' : 'wss');
    if (t === 'wss' && health.wssError) throw new Error(`this test server has no wss:// (${health.wssError}); connect with transport 'ws'`);
    return new TestServer(base, health, directory, wsDirectory, t);
  }

  /** Every extension, with its sipInfo for the default transport. @returns {TestExtension[]} */
  get extensions() {
    return [...this.byExt.keys()].map((ext) => this.extension(ext));
  }

  /** @param {string} ext @param {{transport?: 'wss'|'ws'}} [o] @returns {TestExtension} */
  extension(ext, o = {}) {
    const t = o.transport ?? this.transport;
    if (t === 'wss' && this.wssError) throw new Error(`this test server has no wss:// (${this.wssError})`);
    const e = (t === 'ws' ? this.byExtWs : this.byExt).get(String(ext));
    if (!e) throw new Error(`no extension ${ext} on this test server (it has ${[...this.byExt.keys()].join(', ')})`);
    return structuredClone(e);
  }

  /**
   * The `sipInfo` to give `new WebPhone({ sipInfo })` for an extension (a copy:
   * change it freely).
   * @param {string} ext @param {{transport?: 'wss'|'ws'}} [o]
   */
  sipInfo(ext, o = {}) {
    return this.extension(ext, o).sipInfo;
  }

  /**
   * The server's SIP trace of one extension: its sockets' messages, a REGISTER that is not
   * authenticated yet included (traced under the extension its To names); `unbound`: sockets
   * that never sent a REGISTER for a known extension.
   * @param {string} ext @param {{since?: number}} [o]
   */
  trace(ext, o = {}) {
    const unknown = this.unknownExt(ext, 'trace', true);
    if (unknown) return Promise.reject(unknown);
    return this.call('GET', `/api/trace?ext=${encodeURIComponent(ext)}&since=${o.since ?? 0}`);
  }

  /**
   * The error for an extension this server does not have (a typo would
   * otherwise wait out a timeout, or do nothing at all); undefined if known.
   * @param {unknown} ext @param {string} what @param {boolean} [unbound] whether 'unbound' (never-registered sockets) is allowed
   */
  unknownExt(ext, what, unbound = false) {
    if (this.byExt.has(String(ext)) || (unbound && ext === 'unbound')) return undefined;
    return new Error(`${what}: no extension ${ext} on this test server (it has ${[...this.byExt.keys()].join(', ')}${unbound ? ', and unbound for sockets that never sent a REGISTER' : ''})`);
  }

  /**
   * Wait until the trace of `ext` has a message that matches, and return it.
   * `match`: a request method ("INVITE"), a response code (486), or a function
   * of the trace entry `{t, dir, line, text}`. `dir`: 'in' = sent by the phone.
   * @param {string} ext @param {string | number | ((e: any) => boolean)} match
   * @param {{dir?: 'in'|'out', since?: number, timeoutMs?: number}} [o]
   */
  async waitForMessage(ext, match, o = {}) {
    const unknown = this.unknownExt(ext, 'waitForMessage', true);
    if (unknown) throw unknown;
    const test = typeof match === 'function' ? match
      : typeof match === 'number' ? (e) => e.line.startsWith(`SIP/2.0 ${match} `)
        : (e) => e.line.startsWith(`${match} `);
    const deadline = Date.now() + (o.timeoutMs ?? 10_000);
    for (;;) {
      const hit = (await this.trace(ext, { since: o.since })).find((e) => e.dir !== 'event' && (!o.dir || e.dir === o.dir) && test(e));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no ${typeof match === 'function' ? 'matching message' : match} in the trace of ${ext} within ${o.timeoutMs ?? 10_000} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  clearTrace() { return this.call('POST', '/api/trace/clear'); }
  /** Registrations, call legs, parked calls, sockets. */
  state() { return this.call('GET', '/api/state'); }
  /** Change tunables: grantExpires, maxInstances, ringTimeoutMs, … (README of e2e/rc-edge). @param {Record<string, unknown>} patch */
  configure(patch) { return this.call('POST', '/api/config', patch); }
  /**
   * Refuse the next matching request(s) with `status`: 503 + retryAfter to a
   * REGISTER, 491 to a re-INVITE (`inDialog: true`), 486 to a call, …
   * @param {{method: string, status: number, reason?: string, retryAfter?: number, count?: number, ext?: string, inDialog?: boolean}} rule
   */
  failNext(rule) {
    const unknown = rule?.ext !== undefined ? this.unknownExt(rule.ext, 'failNext') : undefined;
    return unknown ? Promise.reject(unknown) : this.call('POST', '/api/fail-next', rule);
  }
  /**
   * The result of the next RingCentral call-control command (JSON INFO:
   * startcallrecord, stopcallrecord, callflip, callpark), instead of what the
   * server would do: e.g. `{ code: -6, description: 'The same operation in progress' }`.
   * @param {string} command @param {{code: number, description?: string, [k: string]: unknown}} result @param {{count?: number}} [o]
   */
  rcResult(command, result, o = {}) { return this.call('POST', '/api/rc-result', { command, result, ...o }); }
  /** Kill the sockets of an extension (a reset; `graceful`: a 1001 close). @param {string} ext @param {{instanceId?: string, graceful?: boolean}} [o] */
  drop(ext, o = {}) {
    const unknown = this.unknownExt(ext, 'drop');
    return unknown ? Promise.reject(unknown) : this.call('POST', '/api/drop', { ext, ...o });
  }
  /** Stop answering REGISTERs at all (true), or answer again (false). */
  outage(on = true) { return this.call('POST', '/api/outage', { on }); }
  /** End a call from the server side: BYE to every leg. @param {string} callIdOrSessionId */
  hangup(callIdOrSessionId) { return this.call('POST', '/api/hangup', { callId: callIdOrSessionId }); }
  /** Re-INVITE a phone's leg with its peer's SDP (what a takeover or transfer does). @param {string} callIdOrSessionId @param {{ext?: string}} [o] */
  reinvite(callIdOrSessionId, o = {}) { return this.call('POST', '/api/reinvite', { callId: callIdOrSessionId, ...o }); }
  /**
   * RingCentral call-out: an INVITE with `Alert-Info: Auto Answer` to `ext`'s
   * phone; once it answers, `to` rings. Resolves when the phone answered (or not).
   * @param {{ext: string, to: string, instance?: string, answerAfter?: number, alertInfo?: string}} o
   */
  callout(o) { return this.call('POST', '/api/callout', { ...o, wait: true }); }
  /** Close a pending `reply()` as the caller's keypress would. @param {{resp: 'yes'|'no'|'urgent'|number, ext?: string}} o */
  reply(o) { return this.call('POST', '/api/reply', o); }
  /** Forget every registration, call and rule; drop every socket. @param {Record<string, unknown>} [config] */
  reset(config) { return this.call('POST', '/api/reset', config ? { config } : {}); }

  /** Stop the server if this process started it. */
  async close() {
    const stop = this.stopper;
    this.stopper = undefined;
    if (stop) await stop();
  }

  /** @param {'GET'|'POST'|'DELETE'} method @param {string} p @param {unknown} [body] */
  call(method, p, body) {
    return request(this.httpUrl, method, p, body);
  }
}

/** One control-API request; a non-2xx answer throws with the server's error text. */
async function request(base, method, p, body) {
  const res = await fetch(base + p, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch((e) => { throw new Error(`test server at ${base} did not answer ${method} ${p}: ${e.cause?.message ?? e.message}`); });
  const text = await res.text();
  let data;
  try { data = JSON.parse(text); } catch { data = text; }
  if (!res.ok) throw new Error(`test server: ${method} ${p} → ${res.status}: ${data?.error ?? text}`);
  return data;
}
