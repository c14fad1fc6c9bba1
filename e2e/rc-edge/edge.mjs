// @ts-check
/**
 * rc-edge: a local emulator of the RingCentral WebRTC SIP edge, faithful
 * enough for the published `ringcentral-web-phone` 2.x SDK (and for our own
 * drop-in) to run its live scenarios against 127.0.0.1.
 *
 * It is a B2BUA: every client dialog is a "leg"; legs are paired ("peers").
 * There is no media server, so SDP is relayed end to end and browsers talk
 * to each other directly over loopback. Where RingCentral would re-anchor
 * media on its own servers (transfer, flip, park retrieval, takeover, call
 * switch) the emulator uses third-party call control instead: it gets a
 * fresh offer from the new party (an offer-less INVITE, or the new caller's
 * INVITE) and re-INVITEs the party that stays. See README.md for the list of
 * deliberate differences from the real edge.
 *
 * Everything binds 127.0.0.1 only.
 *
 * Files: this one holds the RcEdge core (lifecycle, directory, transport,
 * requests we originate, request dispatch) and installs the feature methods from
 * registrar.mjs, calls.mjs, rc-commands.mjs, transfers.mjs, control-api.mjs and
 * store.mjs (the state file that keeps calls across a restart); model.mjs has the Conn/Session/Leg/Call state, config.mjs the options and
 * tunables, cert.mjs the TLS certificate, sip.mjs the SIP parser/serializer.
 * @module rc-edge/edge
 */
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { parse, serialize, REASONS, tagOf, hex, rcXml, withStreamId } from './sip.mjs';
import { HOST, DEFAULT_CONFIG } from './config.mjs';
import { ensureCert } from './cert.mjs';
import { Conn, Leg } from './model.mjs';
import { RegistrarMethods } from './registrar.mjs';
import { CallMethods } from './calls.mjs';
import { RcCommandMethods } from './rc-commands.mjs';
import { TransferMethods } from './transfers.mjs';
import { ControlApiMethods } from './control-api.mjs';
import { StoreMethods } from './store.mjs';

export { HOST } from './config.mjs';
export { ensureCert } from './cert.mjs';

/** @typedef {import('./config.mjs').EdgeOptions} EdgeOptions */
/** @typedef {import('./config.mjs').EdgeConfig} EdgeConfig */
/** @typedef {import('./model.mjs').Ext} Ext */
/** @typedef {import('./model.mjs').Session} Session */
/** @typedef {import('./model.mjs').Call} Call */

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');

/** The feature classes whose methods are copied onto RcEdge.prototype (see installMethods). */
const FEATURES = [RegistrarMethods, CallMethods, RcCommandMethods, TransferMethods, ControlApiMethods, StoreMethods];

/**
 * Type-only base class: it is empty at run time, and tells the type checker that an
 * RcEdge also has the methods that installMethods() copies from FEATURES.
 */
const FeatureMethods = /** @type {new () => RegistrarMethods & CallMethods & RcCommandMethods & TransferMethods & ControlApiMethods & StoreMethods} */ (
  /** @type {unknown} */ (class {}));

// ------------------------------------------------------------------ edge

export class RcEdge extends FeatureMethods {
  /** @param {EdgeOptions} opts */
  constructor(opts = {}) {
    super();
    this.opts = opts;
    this.cfg = { ...DEFAULT_CONFIG, ...(opts.config ?? {}) };
    // The test kit (js/testing) passes the extensions a test asked for; the CLI a file.
    const dir = opts.extensions
      ? { domain: opts.domain ?? 'sip.ringcentral.com', mainNumber: opts.mainNumber ?? '16505550100', extensions: opts.extensions }
      : JSON.parse(fs.readFileSync(opts.directory ?? path.join(HERE, 'directory.json'), 'utf8'));
    this.domain = dir.domain;
    this.mainNumber = dir.mainNumber;
    /** @type {Ext[]} */ this.exts = dir.extensions;
    this.wsPort = opts.wsPort ?? 16080;
    this.wssPort = opts.wssPort ?? 16443;
    /** Why there is no wss:// listener (`tlsOptional` and no certificate), else undefined. @type {string|undefined} */
    this.wssError = undefined;
    this.httpPort = opts.httpPort ?? 16081;
    this.debug = !!opts.debug;
    this.storeQueued = false;
    /** @type {string|undefined} */ this.storeLastText = undefined;
    this.resetState();
    this.restoreState();
  }

  resetState() {
    /** @type {Map<string, Conn>} */ this.conns = this.conns ?? new Map();
    /** @type {Map<string, Map<string, {instanceId:string, conn:Conn, contactUri:string, expiresAt:number, granted:number, callId?:string, cseq?:number, timer:any}>>} */
    this.bindings = new Map();
    /** @type {Map<string, number>} */ this.nonces = new Map();
    /** @type {Map<string, {leg: Leg, parker: string, since: number, kind: 'park'|'private'}>} */ this.parked = new Map();
    /** @type {Map<string, Array<any>>} */ this.traces = new Map();
    /** @type {Set<Leg>} */ this.takeoverPending = new Set();
    /** @type {Set<Call>} */ this.calls = new Set();
    /** @type {import('./control-api.mjs').FailRule[]} */ this.failRules = [];
    /** @type {{command: string, result: object, count: number}[]} */ this.rcResults = [];
    /** @type {Set<(v: any) => void>} pending call-outs' answers */ this.calloutWaiters = new Set();
    this.log = [];
  }

  // ---------------------------------------------------------------- lifecycle

  async start() {
    const certDir = this.opts.certDir ?? path.join(REPO, 'e2e', '.certs', 'rc-edge');
    let tls;
    try {
      tls = ensureCert(certDir);
    } catch (e) {
      if (!this.opts.tlsOptional) throw e;
      // ws:// needs no certificate: a test kit user on plain ws without
      // openssl gets a server, and wss:// says why it is missing.
      this.wssError = String(/** @type {Error} */ (e).message);
      this.wssPort = 0;
    }
    this.httpsServer = tls ? https.createServer(tls) : undefined;
    this.wsHttpServer = http.createServer((q, r) => { r.writeHead(426); r.end('WebSocket only'); });
    this.httpsServer?.on('request', (q, r) => { r.writeHead(426); r.end('WebSocket only'); });
    const mkWss = (server, transport) => {
      const wss = new WebSocketServer({
        server,
        handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
      });
      wss.on('connection', (ws, req) => this.onConnection(ws, transport, `${req.socket.remoteAddress}:${req.socket.remotePort}`));
      wss.on('error', (e) => this.warn('wss error', e.message));
      return wss;
    };
    this.wssSecure = this.httpsServer && mkWss(this.httpsServer, 'wss');
    this.wssPlain = mkWss(this.wsHttpServer, 'ws');
    this.controlServer = http.createServer((q, r) => this.onHttp(q, r).catch((e) => {
      this.warn('control error', e?.stack ?? e);
      try { r.writeHead(500, { 'content-type': 'application/json' }); r.end(JSON.stringify({ error: String(e?.message ?? e) })); } catch { /* closed */ }
    }));
    const listen = (srv, port) => new Promise((res, rej) => { srv.once('error', rej); srv.listen(port, HOST, () => res(srv.address().port)); });
    try {
      if (this.httpsServer) this.wssPort = await listen(this.httpsServer, this.wssPort);
      this.wsPort = await listen(this.wsHttpServer, this.wsPort);
      this.httpPort = await listen(this.controlServer, this.httpPort);
    } catch (e) {
      // A port in use: close what is listening already, or the caller's test
      // process would never exit and those ports would stay taken.
      await Promise.all([this.httpsServer, this.wsHttpServer, this.controlServer]
        .map((srv) => srv?.listening && new Promise((r) => srv.close(() => r(undefined)))));
      throw new Error(`rc-edge: cannot listen on ${HOST}: ${e?.message ?? e}`);
    }
    this.info(`listening ${this.httpsServer ? `wss://${HOST}:${this.wssPort}` : `(no wss: ${this.wssError})`} ws://${HOST}:${this.wsPort} http://${HOST}:${this.httpPort} (domain ${this.domain})`);
    return this;
  }

  async close() {
    for (const c of this.conns.values()) { try { c.ws.terminate(); } catch { /* ignore */ } }
    this.clearTimers();
    await Promise.all([this.httpsServer, this.wsHttpServer, this.controlServer]
      .map((s) => s && new Promise((r) => { s.closeAllConnections?.(); s.close(() => r(undefined)); })));
  }

  clearTimers() {
    for (const m of this.bindings.values()) for (const b of m.values()) clearTimeout(b.timer);
    for (const c of this.calls) clearTimeout(c.ringTimer);
  }

  /** Drop every connection and forget all state (control API `POST /api/reset`). */
  reset(config = {}) {
    for (const answer of [...this.calloutWaiters]) answer({ ok: false, error: 'the server was reset' });
    for (const c of this.conns.values()) { try { c.ws.terminate(); } catch { /* ignore */ } }
    this.clearTimers();
    this.conns = new Map();
    this.resetState();
    this.cfg = { ...DEFAULT_CONFIG, ...(this.opts.config ?? {}), ...config };
    this.stateChanged();
  }

  info(...a) { if (this.opts.quiet !== true) console.log('[rc-edge]', ...a); }
  warn(...a) { if (this.opts.quiet !== true) console.warn('[rc-edge] WARN', ...a); }

  // ---------------------------------------------------------------- directory

  /** Public sipInfo for an extension (what RC's sip-provision returns). @param {Ext} e */
  sipInfo(e, transport = 'wss') {
    return {
      transport: transport.toUpperCase(), username: e.username, password: e.password,
      authorizationId: e.authorizationId, domain: this.domain,
      outboundProxy: `${HOST}:${transport === 'ws' ? this.wsPort : this.wssPort}`,
      outboundProxyBackup: `${HOST}:${transport === 'ws' ? this.wsPort : this.wssPort}`,
      stunServers: [], authorizationTypes: ['SipDigest'],
      // wasm-web-phone reads a full URL here (a bare outboundProxy means wss://);
      // ringcentral-web-phone ignores it and always opens wss://.
      ...(transport === 'ws' ? { wsUrl: `ws://${HOST}:${this.wsPort}` } : {}),
    };
  }

  /**
   * Find an extension by extension number, phone number (with/without +, with/without country 1),
   * `<main>*<ext>`, username or authorizationId.
   * @param {string|undefined} s @returns {Ext|undefined}
   */
  lookup(s) {
    if (!s) return undefined;
    let v = String(s).trim();
    try { v = decodeURIComponent(v); } catch { /* keep */ }
    v = v.replace(/^sips?:/i, '').split('@')[0].replace(/[\s()-]/g, '');
    const star = /^\+?(\d+)\*(\d+)$/.exec(v);
    if (star) return this.exts.find((e) => e.ext === star[2]);
    const n = v.replace(/^\+/, '');
    return this.exts.find((e) => e.ext === n || e.username === n || e.username === `1${n}` || e.authorizationId === n);
  }

  /** name-addr for a party as RC shows it to the other side. @param {Ext|{name:string, username:string}} e */
  identity(e) { return `"${e.name}" <sip:+${e.username}@${this.domain}>`; }

  // ---------------------------------------------------------------- transport

  /** @param {import('ws').WebSocket} ws @param {'ws'|'wss'} transport @param {string} remote */
  onConnection(ws, transport, remote) {
    const conn = new Conn(ws, transport, remote);
    this.conns.set(conn.id, conn);
    if (this.debug) this.info(`${conn.id} open (${transport}, ${remote}, protocol ${ws.protocol || '-'})`);
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? Buffer.from(/** @type {any} */ (data)).toString('utf8') : data.toString();
      try { this.onFrame(conn, text); } catch (e) { this.warn(`${conn.id} handler crashed:`, e?.stack ?? e); }
    });
    ws.on('close', () => this.onClose(conn));
    ws.on('error', (e) => this.warn(`${conn.id} socket error`, e.message));
  }

  /** @param {Conn} conn */
  onClose(conn) {
    conn.closed = true;
    if (this.debug) this.info(`${conn.id} closed`);
    for (const p of conn.pending.values()) { try { p.onResponse(null); } catch { /* ignore */ } }
    conn.pending.clear();
    // Bindings are NOT removed: like RC, a vanished instance keeps its slot until it expires.
    this.trace(conn, 'event', `socket closed`);
    this.stateChanged();
  }

  /** @param {Conn} conn @param {'in'|'out'|'event'} dir @param {string} text */
  trace(conn, dir, text) {
    // Until a socket's REGISTER is authenticated it belongs to no extension;
    // its REGISTER and the challenge are traced under the extension its To
    // names (what a test waiting for that extension's 401 or 503 looks at),
    // and only sockets that never claimed one under `unbound`.
    if (!conn.ext && dir === 'in' && text.startsWith('REGISTER ')) {
      const to = /^(?:to|t)[ \t]*:[^\r\n]*?sips?:([^@>;\s]+)/im.exec(text)?.[1];
      conn.claimed = to ? this.lookup(to) : undefined;
    }
    const key = conn.ext?.ext ?? conn.claimed?.ext ?? `unbound`;
    let t = this.traces.get(key);
    if (!t) this.traces.set(key, (t = []));
    t.push({ t: Date.now(), dir, conn: conn.id, instance: conn.instanceId, line: text.split(/\r?\n/, 1)[0], text });
    if (t.length > 5000) t.splice(0, t.length - 5000);
    if (this.debug && dir !== 'event') this.info(`${dir === 'in' ? '<<' : '>>'} ${conn.id}${conn.ext ? '/' + conn.ext.ext : ''}\n${text}`);
  }

  /** @param {Conn} conn @param {string} text */
  sendRaw(conn, text) {
    if (conn.closed || conn.ws.readyState !== 1) { this.trace(conn, 'event', `dropped (socket closed): ${text.split('\r\n', 1)[0]}`); return false; }
    this.trace(conn, 'out', text);
    conn.ws.send(text);
    this.stateChanged();
    return true;
  }

  /** @param {Conn} conn @param {string} text */
  onFrame(conn, text) {
    if (/^\s*$/.test(text)) { this.onKeepAlive(conn, text); return; }
    this.trace(conn, 'in', text);
    this.stateChanged();
    let msg;
    try {
      msg = parse(text);
    } catch (e) {
      this.warn(`${conn.id} unparsable frame: ${e.message}`);
      this.tryBadRequest(conn, text);
      return;
    }
    if (!msg.isRequest) { this.onResponse(conn, msg); return; }
    for (const h of ['via', 'from', 'to', 'call-id', 'cseq']) {
      if (!msg.get(h)) { this.warn(`${conn.id} ${msg.method} without ${h}`); if (msg.method !== 'ACK') this.respond(conn, msg, 400, { reason: `Missing ${h}` }); return; }
    }
    if (!Number.isFinite(msg.cseqNum)) { if (msg.method !== 'ACK') this.respond(conn, msg, 400, { reason: 'Bad CSeq' }); return; }
    Promise.resolve().then(() => this.onRequest(conn, msg)).catch((e) => {
      this.warn(`${conn.id} error handling ${msg.method}:`, e?.stack ?? e);
      if (msg.method !== 'ACK') { try { this.respond(conn, msg, 500); } catch { /* ignore */ } }
    });
  }

  /**
   * A frame of only whitespace between messages is a keep-alive, not a message.
   * RFC 5626 §3.5.1 (CRLF keep-alive technique): the client sends a double CRLF,
   * the "ping", and waits for a single CRLF, the "pong"; §5.4: a server that
   * receives a double CRLF between SIP messages on a connection-oriented
   * transport "MUST immediately respond with a single CRLF over the same
   * connection". RFC 7118 §6 allows WebSocket Ping frames or this CRLF
   * mechanism on a SIP WebSocket; a page cannot send Ping frames, so a
   * browser phone (wasm-web-phone's autoRecover) uses CRLF. A lone CRLF (a
   * pong) is not answered, or two peers would ping-pong forever.
   * @param {Conn} conn @param {string} text
   */
  onKeepAlive(conn, text) {
    conn.keepAlives.received++;
    if (!text.includes('\r\n\r\n') || conn.closed || conn.ws.readyState !== 1) return;
    conn.ws.send('\r\n');
    conn.keepAlives.answered++;
  }

  /** Best effort 400 for a frame the parser rejected. @param {Conn} conn @param {string} text */
  tryBadRequest(conn, text) {
    const lines = text.split(/\r?\n/);
    if (!/^[A-Z]+ \S+ SIP\/2\.0/i.test(lines[0] ?? '') || /^ACK /i.test(lines[0])) return;
    const pick = (re) => lines.filter((l) => re.test(l));
    const hs = [...pick(/^(via|v)\s*:/i), ...pick(/^(from|f)\s*:/i), ...pick(/^(to|t)\s*:/i), ...pick(/^(call-id|i)\s*:/i), ...pick(/^cseq\s*:/i)];
    if (hs.length < 5) return;
    this.sendRaw(conn, serialize('SIP/2.0 400 Bad Request', hs.map((l) => { const i = l.indexOf(':'); return [l.slice(0, i).trim(), l.slice(i + 1).trim()]; })));
  }

  /**
   * Send a response to a request, echoing Via/From/To/Call-ID/CSeq (Call-ID under our spelling).
   * @param {Conn} conn @param {any} req @param {number} code
   * @param {{reason?: string, toTag?: string, headers?: Array<[string,string]>, body?: string, contentType?: string}} [o]
   */
  respond(conn, req, code, o = {}) {
    /** @type {Array<[string,string]>} */ const hs = [];
    for (const v of req.getAll('via')) hs.push(['Via', v]);
    hs.push(['From', req.get('from')]);
    let to = req.get('to') ?? '';
    if (code > 100 && !tagOf(to)) to += `;tag=${o.toTag ?? hex(10)}`;
    hs.push(['To', to]);
    hs.push([this.cfg.callIdHeader, req.callId]);
    hs.push(['CSeq', req.get('cseq')]);
    for (const h of o.headers ?? []) hs.push(h);
    if (o.body) hs.push(['Content-Type', o.contentType ?? 'application/sdp']);
    const body = o.body && !o.contentType ? withStreamId(o.body) : o.body ?? '';
    this.sendRaw(conn, serialize(`SIP/2.0 ${code} ${o.reason ?? REASONS[code] ?? 'Unknown'}`, hs, body));
  }

  /** @param {Conn} conn @param {any} msg */
  onResponse(conn, msg) {
    const key = `${msg.callId} ${msg.cseqNum} ${msg.cseqMethod}`;
    const p = conn.pending.get(key);
    if (!p) { if (this.debug) this.info(`${conn.id} stray response ${msg.startLine} (${key})`); return; }
    if (msg.status >= 200) conn.pending.delete(key);
    p.onResponse(msg);
  }

  // ---------------------------------------------------------------- requests we originate

  /**
   * Send a request on a leg. Resolves with the final response, or null (timeout / socket gone).
   * @param {Leg} leg @param {string} method
   * @param {{body?: string, contentType?: string, headers?: Array<[string,string]>, cseq?: number, branch?: string,
   *          to?: string, onProvisional?: (m:any)=>void, timeoutMs?: number}} [o]
   * @returns {Promise<any>}
   */
  request(leg, method, o = {}) {
    const conn = leg.conn;
    const cseq = o.cseq ?? leg.nextCseq();
    const branch = o.branch ?? `z9hG4bK${hex(16)}`;
    /** @type {Array<[string,string]>} */
    const hs = [
      ['Via', `SIP/2.0/WSS ${HOST}:${conn.transport === 'ws' ? this.wsPort : this.wssPort};branch=${branch}`],
      ['From', leg.localHdr],
      ['To', o.to ?? leg.remoteHdr],
      [this.cfg.callIdHeader, leg.callId],
      ['CSeq', `${cseq} ${method}`],
      ['Max-Forwards', '70'],
      ...(o.headers ?? []),
    ];
    if (o.body) hs.push(['Content-Type', o.contentType ?? 'application/sdp']);
    const text = serialize(`${method} ${leg.remoteTarget} SIP/2.0`, hs, o.body && !o.contentType ? withStreamId(o.body) : o.body ?? '');
    if (method === 'INVITE') { leg.inviteCseq = leg.inviteCseq || cseq; }
    if (method === 'ACK') { this.sendRaw(conn, text); return Promise.resolve(null); }
    return new Promise((resolve) => {
      const key = `${leg.callId} ${cseq} ${method}`;
      const timer = setTimeout(() => { conn.pending.delete(key); resolve(null); }, o.timeoutMs ?? 32000);
      conn.pending.set(key, {
        onResponse: (m) => {
          if (m && m.status < 200) { o.onProvisional?.(m); return; }
          // RFC 3261 §17.1.1.3: the INVITE client transaction ACKs a non-2xx final itself
          // (same branch, the response's To). 2.5.4 never sends one; an RFC UAS answers a
          // CANCELled INVITE with 487 (§9.2) and keeps retransmitting/waiting until this ACK.
          if (m && method === 'INVITE' && m.status >= 300) this.request(leg, 'ACK', { cseq, branch, to: m.get('to') });
          clearTimeout(timer);
          resolve(m);
        },
      });
      if (!this.sendRaw(conn, text)) { conn.pending.delete(key); clearTimeout(timer); resolve(null); }
    });
  }

  /** ACK a 2xx to one of our INVITEs. @param {Leg} leg @param {number} cseq @param {string} [body] */
  ack(leg, cseq, body) {
    if (body) leg.localSdp = body;
    return this.request(leg, 'ACK', { cseq, body });
  }

  /** In-dialog BYE; optionally followed by RC MESSAGE Cmd 2 (ServerFreeResources). @param {Leg} leg */
  async bye(leg, { cmd2 = false } = {}) {
    if (!leg || leg.state === 'terminated') return;
    leg.state = 'terminated';
    leg.peer = null;
    await this.request(leg, 'BYE', { timeoutMs: 8000 });
    leg.conn.legs.delete(leg.callId);
    if (cmd2 && leg.hasPrc) await this.rcMessage(leg, 2, { Sts: '0' });
  }

  /**
   * Out-of-dialog x-rc MESSAGE to the client of a leg (Cmd 2, 7, 9 …).
   * @param {Leg|{conn:Conn, callId:string, ext:Ext, session:Session}} leg @param {number} cmd @param {Record<string,string>} extra
   */
  async rcMessage(leg, cmd, extra = {}) {
    const s = leg.session;
    const e = /** @type {Ext} */ (leg.ext);
    const tmp = new Leg(leg.conn, 'in', s, true);
    tmp.callId = leg.callId;
    tmp.localHdr = `<sip:${s.agent.replace('#', '%23')}@${this.domain}>;tag=${hex(32)}`;
    tmp.remoteHdr = `<sip:${e.username}@${this.domain}>`;
    const b = this.bindingFor(leg.conn);
    tmp.remoteTarget = b?.contactUri ?? `sip:${e.username}@${this.domain}`;
    const body = rcXml(
      { SID: s.sid, Req: cmd === 7 || cmd === 2 ? '' : s.req, From: `${s.agent}@${this.domain}:5060`, To: `${e.username}@${this.domain}:5060`, Cmd: String(cmd) },
      { Cln: e.authorizationId, ...extra });
    return this.request(tmp, 'MESSAGE', { body, contentType: 'x-rc/agent', timeoutMs: 8000 });
  }

  /** @param {Conn} conn */
  bindingFor(conn) {
    if (!conn.ext || !conn.instanceId) return undefined;
    return this.bindings.get(conn.ext.ext)?.get(conn.instanceId);
  }

  /**
   * Server re-INVITE on an established leg; resolves with the client's answer SDP (or null).
   * @param {Leg} leg @param {string} offer @param {{headers?: Array<[string,string]>}} [o]
   */
  async reinvite(leg, offer, o = {}) {
    return (await this.reinviteFull(leg, offer, o)).answer;
  }

  /**
   * Server re-INVITE on an established leg: the client's answer SDP (null unless
   * a 2xx with a body) and its final status (0: no leg, no connection or no answer).
   * The leg's SDP from us becomes `offer` only once the client accepted it, so a
   * refused offer is never taken later as the base of a local answer.
   * @param {Leg} leg @param {string} offer @param {{headers?: Array<[string,string]>}} [o]
   * @returns {Promise<{answer: string | null, status: number}>}
   */
  async reinviteFull(leg, offer, o = {}) {
    if (!leg || leg.state !== 'confirmed') return { answer: null, status: 0 };
    const cseq = leg.nextCseq();
    const r = await this.request(leg, 'INVITE', { cseq, body: offer, headers: [['Contact', this.contactHdr(leg)], ...(o.headers ?? [])], timeoutMs: 15000 });
    if (!r) return { answer: null, status: 0 };
    if (r.status >= 200 && r.status < 300) {
      leg.localSdp = offer;
      await this.ack(leg, cseq);
      if (r.body) leg.remoteSdp = r.body;
      return { answer: r.body || null, status: r.status };
    }
    return { answer: null, status: r.status };
  }

  /** @param {Leg} leg */
  contactHdr(leg) { return `<sip:${leg.ext?.username ?? 'rc'}@${HOST}:${leg.conn.transport === 'ws' ? this.wsPort : this.wssPort};transport=${leg.conn.transport}>`; }

  /** Pair two legs so BYEs and re-INVITEs are relayed. @param {Leg} a @param {Leg} b */
  pair(a, b) { a.peer = b; b.peer = a; }

  /**
   * An in-dialog request (one with a To tag) on a call this connection has:
   * RFC 3261 §12.2.2, as a real server holds a client to it. Its tags must
   * be the dialog's (else 481), and its CSeq above the client's last in the
   * dialog (else 500); ACK and CANCEL reuse their INVITE's number (§13.2.2.4,
   * §9.1). Out-of-dialog requests sharing the Call-ID (the x-rc MESSAGEs,
   * spec §7.5) carry no To tag and are not checked. null when it is fine.
   * @param {Conn} conn @param {any} msg @returns {{status: number, reason: string}|null}
   */
  dialogMismatch(conn, msg) {
    const toTag = tagOf(msg.get('to'));
    const leg = conn.legs.get(msg.callId);
    if (!toTag || !leg || !leg.remoteTag || !leg.localTag || msg.method === 'CANCEL') return null;
    const fromTag = tagOf(msg.get('from'));
    if (fromTag !== leg.remoteTag || toTag !== leg.localTag)
      return { status: 481, reason: `Call/Transaction Does Not Exist (tags ${fromTag}/${toTag}, dialog ${leg.remoteTag}/${leg.localTag})` };
    if (msg.method === 'ACK') return null;
    if (msg.cseqMethod !== undefined && msg.cseqMethod !== msg.method) return { status: 400, reason: `CSeq method ${msg.cseqMethod} is not ${msg.method}` };
    if (leg.remoteCseq !== undefined && msg.cseqNum <= leg.remoteCseq)
      return { status: 500, reason: `CSeq ${msg.cseqNum} not above ${leg.remoteCseq} (RFC 3261 §12.2.2)` };
    leg.remoteCseq = msg.cseqNum;
    return null;
  }

  // ---------------------------------------------------------------- request dispatch

  /** @param {Conn} conn @param {any} msg */
  async onRequest(conn, msg) {
    if (this.failByRule(conn, msg)) return;
    const wrong = this.dialogMismatch(conn, msg);
    if (wrong) {
      this.warn(`${conn.id} ${msg.method} refused: ${wrong.reason}`);
      if (msg.method !== 'ACK') this.respond(conn, msg, wrong.status, { reason: wrong.reason });
      return;
    }
    switch (msg.method) {
      case 'REGISTER': return this.onRegister(conn, msg);
      case 'INVITE': return this.onInvite(conn, msg);
      case 'ACK': return this.onAck(conn, msg);
      case 'CANCEL': return this.onCancel(conn, msg);
      case 'BYE': return this.onBye(conn, msg);
      case 'MESSAGE': return this.onMessage(conn, msg);
      case 'INFO': return this.onInfo(conn, msg);
      case 'REFER': return this.onRefer(conn, msg);
      case 'NOTIFY': case 'UPDATE': case 'OPTIONS': case 'PRACK':
        return this.respond(conn, msg, 200);
      default:
        return this.respond(conn, msg, 501);
    }
  }
}

/**
 * Copy the methods of feature classes onto a class, as if they had been written in its
 * body (same property descriptors, so non-enumerable). A name defined twice is an error.
 * @param {Function} target @param {Function[]} sources
 */
function installMethods(target, sources) {
  for (const source of sources) {
    for (const name of Object.getOwnPropertyNames(source.prototype)) {
      if (name === 'constructor') continue;
      if (Object.hasOwn(target.prototype, name)) throw new Error(`rc-edge: ${source.name}.${name} is already defined on ${target.name}`);
      Object.defineProperty(target.prototype, name, /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(source.prototype, name)));
    }
  }
}
installMethods(RcEdge, FEATURES);

/** Start an edge (convenience). @param {EdgeOptions} opts */
export async function startEdge(opts = {}) {
  const e = new RcEdge(opts);
  await e.start();
  return e;
}
