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
 * @module rc-edge/edge
 */
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import {
  parse, serialize, REASONS, uriOf, userOf, tagOf, parseAuth, digestOk, hex, digits,
  nonce as newNonce, guid, rcXml, parseRcXml,
} from './sip.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
export const HOST = '127.0.0.1';

/**
 * @typedef {Object} EdgeOptions
 * @property {number} [wsPort=16080]   plain ws:// SIP port (our own SDK's demo)
 * @property {number} [wssPort=16443]  wss:// SIP port (what the RC SDK always opens)
 * @property {number} [httpPort=16081] control API (+ optional static files)
 * @property {string} [certDir]        where cert.pem/key.pem live (generated if missing)
 * @property {string} [directory]      path of the extension directory JSON
 * @property {boolean} [debug]         log every SIP message
 * @property {Record<string,string>} [static] URL prefix → directory served by the control server
 * @property {Partial<EdgeConfig>} [config]
 */

/**
 * Tunables, all changeable at run time with `POST /api/config`.
 * @typedef {Object} EdgeConfig
 * @property {number} grantExpires     seconds granted in REGISTER 200 (`Contact …;expires=`)
 * @property {number} expiryGraceMs    a binding lives grantExpires*1000 + this
 * @property {number} maxInstances     distinct +sip.instance per extension (6th → 603)
 * @property {boolean} outage          true: REGISTERs are read and ignored (no response at all)
 * @property {number} ringTimeoutMs    unanswered forks are CANCELled after this; caller gets 480
 * @property {number} unansweredFinalMs after decline/voicemail the caller keeps ringing this long, then 480
 * @property {number} infoResultDelayMs delay between the INFO 200 and the JSON result INFO
 * @property {number} notifyGapMs      gap between REFER 202 / NOTIFYs / BYEs
 * @property {{sts?:string,resp?:string,extNfo?:string,delayMs?:number}|null} autoReply
 *           when set, a Cmd 14 reply is closed by SessionClose automatically after delayMs
 * @property {string} callIdHeader     spelling of Call-ID in messages we originate (RC SDK needs "Call-Id")
 */

/** @type {EdgeConfig} */
const DEFAULT_CONFIG = {
  grantExpires: 60,
  expiryGraceMs: 2000,
  maxInstances: 5,
  outage: false,
  ringTimeoutMs: 60000,
  unansweredFinalMs: 8000,
  infoResultDelayMs: 30,
  notifyGapMs: 30,
  autoReply: null,
  callIdHeader: 'Call-Id',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Ensure a self-signed cert for localhost/127.0.0.1 exists; returns {key, cert}. @param {string} dir */
export function ensureCert(dir) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  if (!fs.existsSync(key) || !fs.existsSync(cert)) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
      '-days', '825', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: 'ignore' });
  }
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

// ------------------------------------------------------------------ model

let connSeq = 0;
/** One WebSocket connection (one SDK instance). */
class Conn {
  /** @param {import('ws').WebSocket} ws @param {'ws'|'wss'} transport @param {string} remote */
  constructor(ws, transport, remote) {
    this.id = `c${++connSeq}`;
    this.ws = ws;
    this.transport = transport;
    this.remote = remote;
    /** @type {Ext|null} */ this.ext = null;
    /** @type {string|null} */ this.instanceId = null;
    this.regExpiresAt = 0;
    this.closed = false;
    /** @type {Map<string, Leg>} */ this.legs = new Map();
    /** @type {Map<string, {onResponse:(m:any)=>void}>} */ this.pending = new Map();
  }
}

/**
 * @typedef {Object} Ext
 * @property {string} ext @property {string} name @property {string} username
 * @property {string} authorizationId @property {string} password
 */

/** A telephony session (RC `s-…` id) shared by the legs of one call. */
class Session {
  constructor() {
    this.hex = hex(32);
    this.sid = digits(14);
    this.req = guid();
    this.agent = `#${digits(6)}`;
    this.parties = 0;
    this.recording = false;
    this.createdAt = Date.now();
  }
  get id() { return `s-${this.hex}`; }
  newPartyId() { this.parties = (this.parties % 9) + 1; return `p-${this.hex}-${this.parties}`; }
}

let legSeq = 0;
/** One SIP dialog between the edge and a client. */
class Leg {
  /**
   * @param {Conn} conn @param {'out'|'in'} dir 'out': client called us (we are UAS); 'in': we called the client
   * @param {Session} session @param {boolean} [transient] helper leg for one out-of-dialog request (no party id)
   */
  constructor(conn, dir, session, transient = false) {
    this.id = `L${++legSeq}`;
    this.conn = conn;
    this.dir = dir;
    this.session = session;
    this.partyId = transient ? '' : session.newPartyId();
    /** @type {Ext|null} */ this.ext = conn.ext;
    this.callId = '';
    this.localTag = '';
    this.remoteTag = '';
    this.localHdr = '';   // our side (From for 'in', To for 'out'), with our tag
    this.remoteHdr = '';  // the client side, with its tag once known
    this.remoteTarget = '';
    this.cseq = 200000000 + Math.floor(Math.random() * 5e8);
    /** @type {'early'|'confirmed'|'terminated'} */ this.state = 'early';
    /** @type {Leg|null} */ this.peer = null;
    /** @type {any} */ this.invite = null;      // client's INVITE (dir 'out')
    this.inviteCseq = 0; this.inviteBranch = ''; // our INVITE (dir 'in')
    this.remoteSdp = '';   // last SDP received from the client
    this.localSdp = '';    // last SDP sent to the client
    this.hasPrc = false;
    this.offerless = false;
    /** @type {Call|null} */ this.call = null;
    this.flipping = false;
    this.confirmedReceive = false;
    /** @type {{cseq:number, afterAck:()=>Promise<void>}|null} */ this.pendingAck = null;
    this.label = '';
  }
  nextCseq() { this.cseq += 1 + Math.floor(Math.random() * 3); return this.cseq; }
  /** Dialog tags as they appear in From/To. */
  get fromTag() { return this.dir === 'out' ? this.remoteTag : this.localTag; }
  get toTag() { return this.dir === 'out' ? this.localTag : this.remoteTag; }
}

/** The ringing phase of a call: the originating leg (if any) and the forks being rung. */
class Call {
  /** @param {Session} session @param {Leg|null} a */
  constructor(session, a) {
    this.session = session;
    this.a = a;
    /** @type {Leg[]} */ this.forks = [];
    this.round = 0;
    /** @type {Leg|null} */ this.answered = null;
    this.ended = false;
    /** @type {any} */ this.ringTimer = null;
    /** @type {any} */ this.reply = null;
    /** @type {(leg: Leg, sdp: string) => void} */ this.onAnswer = () => {};
    /** @type {(code: number) => void} */ this.onFail = () => {};
  }
}

// ------------------------------------------------------------------ edge

export class RcEdge {
  /** @param {EdgeOptions} opts */
  constructor(opts = {}) {
    this.opts = opts;
    this.cfg = { ...DEFAULT_CONFIG, ...(opts.config ?? {}) };
    const dirPath = opts.directory ?? path.join(HERE, 'directory.json');
    const dir = JSON.parse(fs.readFileSync(dirPath, 'utf8'));
    this.domain = dir.domain;
    this.mainNumber = dir.mainNumber;
    /** @type {Ext[]} */ this.exts = dir.extensions;
    this.wsPort = opts.wsPort ?? 16080;
    this.wssPort = opts.wssPort ?? 16443;
    this.httpPort = opts.httpPort ?? 16081;
    this.debug = !!opts.debug;
    this.resetState();
  }

  resetState() {
    /** @type {Map<string, Conn>} */ this.conns = this.conns ?? new Map();
    /** @type {Map<string, Map<string, {instanceId:string, conn:Conn, contactUri:string, expiresAt:number, granted:number, timer:any}>>} */
    this.bindings = new Map();
    /** @type {Map<string, number>} */ this.nonces = new Map();
    /** @type {Map<string, {leg: Leg, parker: string, since: number, kind: 'park'|'private'}>} */ this.parked = new Map();
    /** @type {Map<string, Array<any>>} */ this.traces = new Map();
    /** @type {Set<Leg>} */ this.takeoverPending = new Set();
    /** @type {Set<Call>} */ this.calls = new Set();
    this.log = [];
  }

  // ---------------------------------------------------------------- lifecycle

  async start() {
    const certDir = this.opts.certDir ?? path.join(REPO, 'e2e', '.certs', 'rc-edge');
    const tls = ensureCert(certDir);
    this.httpsServer = https.createServer(tls);
    this.wsHttpServer = http.createServer((q, r) => { r.writeHead(426); r.end('WebSocket only'); });
    this.httpsServer.on('request', (q, r) => { r.writeHead(426); r.end('WebSocket only'); });
    const mkWss = (server, transport) => {
      const wss = new WebSocketServer({
        server,
        handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
      });
      wss.on('connection', (ws, req) => this.onConnection(ws, transport, `${req.socket.remoteAddress}:${req.socket.remotePort}`));
      wss.on('error', (e) => this.warn('wss error', e.message));
      return wss;
    };
    this.wssSecure = mkWss(this.httpsServer, 'wss');
    this.wssPlain = mkWss(this.wsHttpServer, 'ws');
    this.controlServer = http.createServer((q, r) => this.onHttp(q, r).catch((e) => {
      this.warn('control error', e?.stack ?? e);
      try { r.writeHead(500, { 'content-type': 'application/json' }); r.end(JSON.stringify({ error: String(e?.message ?? e) })); } catch { /* closed */ }
    }));
    const listen = (srv, port) => new Promise((res, rej) => { srv.once('error', rej); srv.listen(port, HOST, () => res(srv.address().port)); });
    this.wssPort = await listen(this.httpsServer, this.wssPort);
    this.wsPort = await listen(this.wsHttpServer, this.wsPort);
    this.httpPort = await listen(this.controlServer, this.httpPort);
    this.info(`listening wss://${HOST}:${this.wssPort} ws://${HOST}:${this.wsPort} http://${HOST}:${this.httpPort} (domain ${this.domain})`);
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
    for (const c of this.conns.values()) { try { c.ws.terminate(); } catch { /* ignore */ } }
    this.clearTimers();
    this.conns = new Map();
    this.resetState();
    this.cfg = { ...DEFAULT_CONFIG, ...(this.opts.config ?? {}), ...config };
  }

  info(...a) { console.log('[rc-edge]', ...a); }
  warn(...a) { console.warn('[rc-edge] WARN', ...a); }

  // ---------------------------------------------------------------- directory

  /** Public sipInfo for an extension (what RC's sip-provision returns). @param {Ext} e */
  sipInfo(e, transport = 'wss') {
    return {
      transport: transport.toUpperCase(), username: e.username, password: e.password,
      authorizationId: e.authorizationId, domain: this.domain,
      outboundProxy: `${HOST}:${transport === 'ws' ? this.wsPort : this.wssPort}`,
      outboundProxyBackup: `${HOST}:${transport === 'ws' ? this.wsPort : this.wssPort}`,
      stunServers: [], authorizationTypes: ['SipDigest'],
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
  }

  /** @param {Conn} conn @param {'in'|'out'|'event'} dir @param {string} text */
  trace(conn, dir, text) {
    const key = conn.ext?.ext ?? `unbound`;
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
    return true;
  }

  /** @param {Conn} conn @param {string} text */
  onFrame(conn, text) {
    if (/^\s*$/.test(text)) return; // CRLF keep-alive
    this.trace(conn, 'in', text);
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
    this.sendRaw(conn, serialize(`SIP/2.0 ${code} ${o.reason ?? REASONS[code] ?? 'Unknown'}`, hs, o.body ?? ''));
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
    const text = serialize(`${method} ${leg.remoteTarget} SIP/2.0`, hs, o.body ?? '');
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
    if (!leg || leg.state !== 'confirmed') return null;
    const cseq = leg.nextCseq();
    leg.localSdp = offer;
    const r = await this.request(leg, 'INVITE', { cseq, body: offer, headers: [['Contact', this.contactHdr(leg)], ...(o.headers ?? [])], timeoutMs: 15000 });
    if (!r) return null;
    if (r.status >= 200 && r.status < 300) {
      await this.ack(leg, cseq);
      if (r.body) leg.remoteSdp = r.body;
      return r.body || null;
    }
    return null;
  }

  /** @param {Leg} leg */
  contactHdr(leg) { return `<sip:${leg.ext?.username ?? 'rc'}@${HOST}:${leg.conn.transport === 'ws' ? this.wsPort : this.wssPort};transport=${leg.conn.transport}>`; }

  /** Pair two legs so BYEs and re-INVITEs are relayed. @param {Leg} a @param {Leg} b */
  pair(a, b) { a.peer = b; b.peer = a; }

  // ---------------------------------------------------------------- request dispatch

  /** @param {Conn} conn @param {any} msg */
  async onRequest(conn, msg) {
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

  // ---------------------------------------------------------------- registrar

  issueNonce() {
    const n = newNonce();
    this.nonces.set(n, Date.now() + 5 * 60 * 1000);
    if (this.nonces.size > 10000) for (const [k, t] of this.nonces) if (t < Date.now()) this.nonces.delete(k);
    return n;
  }
  /** @param {string} n */
  nonceValid(n) { const t = this.nonces.get(n); return !!t && t > Date.now(); }

  /** Live (unexpired) bindings of an extension. @param {string} ext */
  liveBindings(ext) {
    const m = this.bindings.get(ext);
    if (!m) return [];
    return [...m.values()].filter((b) => b.expiresAt > Date.now());
  }

  /** @param {Conn} conn @param {any} msg */
  onRegister(conn, msg) {
    if (this.cfg.outage) { this.trace(conn, 'event', 'outage: REGISTER ignored'); return; }
    this.respond(conn, msg, 100);
    const e = this.exts.find((x) => x.username === userOf(msg.get('to')) || x.username === userOf(msg.get('from')));
    if (!e) return this.respond(conn, msg, 404);
    const auth = msg.get('authorization');
    const challenge = () => this.respond(conn, msg, 401, { headers: [['Www-Authenticate', `Digest realm="${this.domain}", nonce="${this.issueNonce()}"`]] });
    if (!auth) return challenge();
    const p = parseAuth(auth);
    if (!this.nonceValid(p.nonce)) return challenge();
    if (p.username !== e.authorizationId || !digestOk(p, 'REGISTER', e.password)) return this.respond(conn, msg, 403);
    this.nonces.delete(p.nonce);
    const contact = msg.get('contact') ?? '';
    const inst = /\+sip\.instance\s*=\s*"?<?(?:urn:uuid:)?([^>"]+)>?"?/i.exec(contact)?.[1] ?? uriOf(contact);
    const expParam = /;\s*expires\s*=\s*(\d+)/i.exec(contact.slice(contact.indexOf('>') + 1))?.[1];
    const requested = Number(expParam ?? msg.get('expires') ?? 3600);
    let map = this.bindings.get(e.ext);
    if (!map) this.bindings.set(e.ext, (map = new Map()));
    conn.ext = e;
    conn.instanceId = inst;
    if (requested === 0 || contact.trim() === '*') {
      const b = map.get(inst);
      if (b) { clearTimeout(b.timer); map.delete(inst); }
      conn.regExpiresAt = 0;
      this.trace(conn, 'event', `unregistered instance ${inst}`);
      return this.respond(conn, msg, 200);
    }
    for (const [k, b] of map) if (b.expiresAt <= Date.now()) { clearTimeout(b.timer); map.delete(k); }
    if (!map.has(inst) && map.size >= this.cfg.maxInstances) return this.respond(conn, msg, 603);
    const granted = Math.max(1, Math.min(requested, this.cfg.grantExpires));
    const prev = map.get(inst);
    if (prev) clearTimeout(prev.timer);
    if (prev && prev.conn !== conn) this.trace(conn, 'event', `instance ${inst} taken over from ${prev.conn.id}`);
    const b = { instanceId: inst, conn, contactUri: uriOf(contact), expiresAt: Date.now() + granted * 1000 + this.cfg.expiryGraceMs, granted, timer: null };
    b.timer = setTimeout(() => {
      if (map.get(inst) === b) { map.delete(inst); this.trace(conn, 'event', `binding ${inst} expired`); }
    }, granted * 1000 + this.cfg.expiryGraceMs);
    map.set(inst, b);
    conn.regExpiresAt = b.expiresAt;
    const contacts = [b, ...[...map.values()].filter((x) => x !== b)]
      .map((x) => `<${x.contactUri}>;+sip.instance="<urn:uuid:${x.instanceId}>";expires=${x === b ? granted : Math.max(0, Math.round((x.expiresAt - Date.now()) / 1000))}`);
    return this.respond(conn, msg, 200, { headers: contacts.map((c) => ['Contact', c]) });
  }

  // ---------------------------------------------------------------- INVITE from a client

  /** @param {Conn} conn @param {any} msg */
  async onInvite(conn, msg) {
    const existing = conn.legs.get(msg.callId);
    if (existing && existing.state !== 'terminated') {
      if (existing.dir === 'out' && !tagOf(msg.get('to')) && existing.state === 'early') {
        // Retransmission / second INVITE of a call still being set up.
        return this.respond(conn, msg, 100);
      }
      return this.onReInvite(conn, msg, existing);
    }
    this.respond(conn, msg, 100);
    if (!conn.ext || conn.regExpiresAt <= Date.now()) return this.respond(conn, msg, 403);
    const pa = msg.get('proxy-authorization');
    const challenge = () => this.respond(conn, msg, 407, { headers: [['Proxy-Authenticate', `Digest realm="${this.domain}", nonce="${this.issueNonce()}"`]] });
    if (!pa) return challenge();
    const p = parseAuth(pa);
    if (!this.nonceValid(p.nonce)) return challenge();
    if (p.username !== conn.ext.authorizationId || !digestOk(p, 'INVITE', conn.ext.password)) return this.respond(conn, msg, 403);
    this.nonces.delete(p.nonce);
    return this.newCall(conn, msg);
  }

  /** Identity of a calling leg (P-Asserted-Identity overrides the number). @param {Leg} a */
  callerIdentity(a) {
    const e = /** @type {Ext} */ (a.ext);
    const pai = a.invite?.get('p-asserted-identity');
    const num = pai ? userOf(pai).replace(/^\+/, '') : e.username;
    return { name: e.name, username: num };
  }

  /** @param {Conn} conn @param {any} msg */
  async newCall(conn, msg) {
    const session = new Session();
    const a = new Leg(conn, 'out', session);
    a.callId = msg.callId;
    a.invite = msg;
    a.remoteHdr = msg.get('from');
    a.remoteTag = tagOf(a.remoteHdr) ?? '';
    a.localTag = `gK${hex(8)}`;
    a.localHdr = `${msg.get('to')};tag=${a.localTag}`;
    a.remoteTarget = uriOf(msg.get('contact')) || uriOf(a.remoteHdr);
    a.remoteSdp = msg.body;
    a.label = `${conn.ext?.ext}→${userOf(msg.uri)}`;
    conn.legs.set(a.callId, a);
    const callee = userOf(msg.uri);
    const replaces = msg.get('replaces');
    const send183 = () => this.respond(conn, msg, 183, { toTag: a.localTag, headers: [['p-rc-api-ids', `party-id=${a.partyId};session-id=${session.id}`]] });
    const finalFail = (code) => { if (a.state !== 'early') return; a.state = 'terminated'; conn.legs.delete(a.callId); this.respond(conn, msg, code, { toTag: a.localTag }); };
    send183();
    if (replaces) return this.replacesCall(a, replaces, finalFail);
    if (/^\*83\d*$/.test(callee)) {
      this.takeoverPending.add(a);
      const agentExt = callee.slice(3);
      if (agentExt) setTimeout(() => this.takeover({ callId: a.callId, agent: agentExt }).catch((e) => this.warn('takeover', e.message)), 300);
      return;
    }
    if (/^\*\d+$/.test(callee) && this.parked.has(callee.slice(1))) return this.retrieve(a, callee.slice(1), finalFail);
    const target = this.lookup(callee);
    if (!target) return finalFail(486);
    const call = new Call(session, a);
    a.call = call;
    call.onAnswer = (b, sdp) => {
      if (a.state !== 'early') { this.bye(b, { cmd2: true }); return; }
      this.calls.delete(call);
      a.state = 'confirmed';
      a.localSdp = sdp;
      this.pair(a, b);
      this.respond(conn, msg, 200, { toTag: a.localTag, body: sdp, headers: [['Contact', this.contactHdr(a)]] });
    };
    call.onFail = (code) => { this.calls.delete(call); finalFail(code); };
    this.calls.add(call);
    this.ring(call, target, { offer: msg.body, from: this.callerIdentity(a) });
  }

  /**
   * Ring every live instance of an extension (one "round" of a call).
   * @param {Call} call @param {Ext} target
   * @param {{offer?: string, from: {name:string, username:string}, headers?: Array<[string,string]>,
   *          instance?: string, autoAck?: boolean}} o
   */
  ring(call, target, o) {
    const round = ++call.round;
    const binds = this.liveBindings(target.ext).filter((b) => !b.conn.closed && (!o.instance || b.instanceId === o.instance));
    clearTimeout(call.ringTimer);
    if (!binds.length) { setTimeout(() => { if (call.round === round && !call.answered) call.onFail(480); }, 0); return; }
    const callId = hex(32);
    const fromTag = hex(10);
    const s = call.session;
    const forks = [];
    for (const b of binds) {
      const leg = new Leg(b.conn, 'in', s);
      leg.ext = target;
      leg.call = call;
      leg.callId = callId;
      leg.localTag = fromTag;
      leg.localHdr = `${this.identity(o.from)};tag=${fromTag}`;
      leg.remoteHdr = `"${target.name}" <sip:${target.username}@${this.domain}>`;
      leg.remoteTarget = b.contactUri;
      leg.hasPrc = true;
      leg.offerless = !o.offer;
      leg.localSdp = o.offer ?? '';
      leg.label = `${o.from.username}→${target.ext}`;
      b.conn.legs.set(callId, leg);
      forks.push(leg);
    }
    call.forks = forks;
    call.ringTimer = setTimeout(() => {
      if (call.round !== round || call.answered) return;
      this.cancelForks(call);
      call.onFail(480);
    }, this.cfg.ringTimeoutMs);
    const prc = rcXml(
      { SID: s.sid, Req: s.req, From: `${s.agent}@${this.domain}:5060`, To: target.username, Cmd: '6' },
      { SrvLvl: '-149699523', SrvLvlExt: '406', Phn: `+${o.from.username}`, Nm: o.from.name, ToPhn: `+${target.username}`, ToNm: target.name, RecUrl: '' });
    let failed = 0;
    for (const leg of forks) {
      const cseq = leg.nextCseq();
      leg.inviteCseq = cseq;
      const branch = `z9hG4bK${hex(16)}`;
      leg.inviteBranch = branch;
      this.request(leg, 'INVITE', {
        cseq, branch, body: o.offer ?? '', timeoutMs: this.cfg.ringTimeoutMs + 5000,
        headers: [
          ['Contact', `<sip:+${o.from.username}@${HOST}:${leg.conn.transport === 'ws' ? this.wsPort : this.wssPort};transport=${leg.conn.transport}>`],
          ['P-rc', prc],
          ['p-rc-api-ids', `party-id=${leg.partyId};session-id=${s.id}`],
          ['p-rc-api-call-info', `callAttributes=reject,send-vm;callerIdName=${o.from.name}`],
          ...(o.headers ?? []),
        ],
        onProvisional: (m) => {
          const tag = tagOf(m.get('to'));
          if (tag && !leg.remoteTag) { leg.remoteTag = tag; leg.remoteHdr = m.get('to'); }
        },
      }).then((r) => {
        if (leg.state === 'terminated') {
          if (r && r.status >= 200 && r.status < 300) { // late 200 after CANCEL: ACK then BYE
            leg.state = 'confirmed'; leg.remoteHdr = r.get('to'); this.ack(leg, cseq).then(() => this.bye(leg));
          }
          return;
        }
        if (!r || r.status >= 300) {
          leg.state = 'terminated';
          leg.conn.legs.delete(leg.callId);
          if (++failed === forks.length && call.round === round && !call.answered) { clearTimeout(call.ringTimer); call.onFail(r ? r.status : 480); }
          return;
        }
        leg.remoteHdr = r.get('to');
        leg.remoteTag = tagOf(leg.remoteHdr) ?? leg.remoteTag;
        leg.remoteSdp = r.body;
        if (call.round !== round || call.answered || call.ended) {
          leg.state = 'confirmed';
          this.ack(leg, cseq).then(() => this.bye(leg));
          return;
        }
        call.answered = leg;
        clearTimeout(call.ringTimer);
        leg.state = 'confirmed';
        const afterAck = async () => {
          // RC: Cmd 7 (AlreadyProcessed) to every instance that was rung, each with its own Cln.
          for (const f of forks) await this.rcMessage(f.state === 'terminated' ? { conn: f.conn, callId: f.callId, ext: target, session: s } : f, 7,
            { IP: '4294967295', Sts: '0', CtrlCln: '' }).catch(() => {});
        };
        for (const f of forks) if (f !== leg && f.state === 'early') this.cancelLeg(f);
        if (leg.offerless) {
          // Offer came in the 200; the creator ACKs with the answer (3PCC).
          leg.pendingAck = { cseq, afterAck };
          call.onAnswer(leg, r.body);
        } else {
          this.ack(leg, cseq).then(afterAck);
          call.onAnswer(leg, r.body);
        }
      });
    }
  }

  /** Complete an offer-less INVITE's 2xx with the answer. @param {Leg} leg @param {string} [answer] */
  async ackOfferless(leg, answer) {
    const p = leg.pendingAck;
    if (!p) return;
    leg.pendingAck = null;
    await this.ack(leg, p.cseq, answer);
    await p.afterAck();
  }

  /** CANCEL one ringing fork (the SDK answers the CANCEL with 200 and never sends 487). @param {Leg} leg */
  cancelLeg(leg) {
    if (leg.state !== 'early') return;
    leg.state = 'terminated';
    leg.conn.legs.delete(leg.callId);
    this.request(leg, 'CANCEL', { cseq: leg.inviteCseq, branch: leg.inviteBranch, to: leg.remoteHdr.replace(/;\s*tag=[^;]*/, ''), timeoutMs: 8000 });
  }
  /** @param {Call} call */
  cancelForks(call) { call.round++; for (const f of call.forks) this.cancelLeg(f); }

  // ---------------------------------------------------------------- in-dialog requests from clients

  /** Client re-INVITE (hold/unhold/ICE restart). @param {Conn} conn @param {any} msg @param {Leg} leg */
  async onReInvite(conn, msg, leg) {
    this.respond(conn, msg, 100);
    const offer = msg.body;
    const ufrag = (s) => /a=ice-ufrag:(\S+)/.exec(s ?? '')?.[1];
    let answer = null;
    const peer = leg.peer;
    if (offer && peer && peer.state === 'confirmed' && ufrag(offer) !== ufrag(leg.remoteSdp)) {
      // ICE restart (reInvite()): the transport changed, so the peer must learn it.
      answer = await this.reinvite(peer, offer);
    }
    if (offer) leg.remoteSdp = offer;
    if (!answer) answer = this.localAnswer(offer, leg);
    if (!answer) return this.respond(conn, msg, 488);
    leg.localSdp = answer;
    this.respond(conn, msg, 200, { body: answer, headers: [['Contact', this.contactHdr(leg)]] });
  }

  /**
   * Answer a hold/unhold offer locally (RC anchors media: the peer hears nothing of it).
   * The answer is the last SDP this client got from us, with the direction mirrored.
   * @param {string} offer @param {Leg} leg
   */
  localAnswer(offer, leg) {
    const base = leg.localSdp || leg.peer?.remoteSdp;
    if (!base) return null;
    const dir = /a=(sendonly|recvonly|inactive|sendrecv)/.exec(offer ?? '')?.[1] ?? 'sendrecv';
    const mirror = { sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive', sendrecv: 'sendrecv' }[dir];
    return base.replace(/a=(sendonly|recvonly|inactive|sendrecv)/g, `a=${mirror}`);
  }

  /** @param {Conn} conn @param {any} msg */
  onAck(conn, msg) {
    const leg = conn.legs.get(msg.callId);
    if (leg && leg.dir === 'out' && leg.state === 'confirmed' && msg.body) leg.remoteSdp = msg.body;
  }

  /** @param {Conn} conn @param {any} msg */
  onCancel(conn, msg) {
    const leg = conn.legs.get(msg.callId);
    if (!leg || leg.dir !== 'out') return this.respond(conn, msg, 481);
    this.respond(conn, msg, 200);
    if (leg.state !== 'early') return;
    leg.state = 'terminated';
    conn.legs.delete(leg.callId);
    this.respond(conn, leg.invite, 487, { toTag: leg.localTag });
    this.takeoverPending.delete(leg);
    const call = leg.call;
    if (call) {
      call.ended = true;
      this.calls.delete(call);
      clearTimeout(call.ringTimer);
      this.cancelForks(call);
      if (call.reply && !call.reply.closed) this.sessionClose(call, { sts: '1', resp: '', extNfo: '' });
    }
  }

  /** @param {Conn} conn @param {any} msg */
  async onBye(conn, msg) {
    const leg = conn.legs.get(msg.callId);
    if (!leg) return this.respond(conn, msg, 481);
    this.respond(conn, msg, 200);
    leg.state = 'terminated';
    conn.legs.delete(leg.callId);
    for (const [k, p] of this.parked) if (p.leg === leg) this.parked.delete(k);
    const peer = leg.peer;
    leg.peer = null;
    if (peer && !leg.flipping) { peer.peer = null; await this.bye(peer, { cmd2: true }); }
  }

  // ---------------------------------------------------------------- x-rc MESSAGE (call control before answer)

  /** @param {Conn} conn @param {any} msg */
  async onMessage(conn, msg) {
    this.respond(conn, msg, 100);
    const rc = parseRcXml(msg.body);
    if (!rc) return this.respond(conn, msg, 400, { reason: 'Not an x-rc message' });
    const leg = conn.legs.get(msg.callId);
    if (!leg || !leg.call) {
      // Unknown / finished call: RC still acknowledges.
      this.respond(conn, msg, 200);
      return;
    }
    this.respond(conn, msg, 200);
    const call = leg.call;
    const cmd = Number(rc.hdr.Cmd);
    await sleep(10);
    switch (cmd) {
      case 17: leg.confirmedReceive = true; return;
      case 13: // ClientStartReply: give the user more time
        clearTimeout(call.ringTimer);
        call.ringTimer = setTimeout(() => { if (!call.answered && !call.ended) { this.cancelForks(call); call.onFail(480); } }, this.cfg.ringTimeoutMs * 2);
        return;
      case 12: case 11: { // ClientReject / ClientVoicemail
        if (call.answered) return;
        this.cancelForks(call);
        clearTimeout(call.ringTimer);
        call.ringTimer = setTimeout(() => { if (!call.answered && !call.ended) call.onFail(480); }, this.cfg.unansweredFinalMs);
        return;
      }
      case 10: { // ClientForward
        if (call.answered) return;
        const target = this.lookup(rc.bdy.Phn);
        this.cancelForks(call);
        if (!target) { call.onFail(404); return; }
        const from = call.a ? this.callerIdentity(call.a) : { name: 'Unknown', username: '0' };
        this.ring(call, target, { offer: call.a?.remoteSdp, from });
        return;
      }
      case 14: { // ClientReply
        if (call.answered) return;
        this.cancelForks(call);
        clearTimeout(call.ringTimer);
        call.reply = { conn, callId: leg.callId, ext: leg.ext, session: call.session, bdy: rc.bdy, closed: false, at: Date.now() };
        const auto = this.cfg.autoReply;
        if (auto) setTimeout(() => this.sessionClose(call, auto), auto.delayMs ?? 1000);
        return;
      }
      default: return;
    }
  }

  /**
   * Send SessionClose (Cmd 9) for a call in reply mode, then end the caller's leg.
   * @param {Call} call @param {{sts?:string, resp?:string, extNfo?:string}} outcome
   */
  async sessionClose(call, outcome) {
    const r = call.reply;
    if (!r || r.closed) return false;
    r.closed = true;
    const from = call.a ? this.callerIdentity(call.a) : { name: '', username: '' };
    await this.rcMessage(r, 9, { Sts: outcome.sts ?? '0', Resp: outcome.resp ?? '1', ExtNfo: outcome.extNfo ?? '', Phn: `+${from.username}`, Nm: from.name });
    if (call.a && call.a.state === 'early') setTimeout(() => call.onFail(480), 200);
    return true;
  }

  // ---------------------------------------------------------------- JSON INFO (recording, flip, park)

  /** @param {Conn} conn @param {any} msg */
  async onInfo(conn, msg) {
    const leg = conn.legs.get(msg.callId);
    if (!leg) return this.respond(conn, msg, 481);
    this.respond(conn, msg, 200);
    if (!/json/i.test(msg.get('content-type') ?? '')) return;
    let req;
    try { req = JSON.parse(msg.body)?.request; } catch { this.warn('INFO with bad JSON'); return; }
    if (!req || typeof req.command !== 'string') return;
    /** @type {any} */ let result;
    const answered = leg.state === 'confirmed';
    switch (req.command) {
      case 'startcallrecord':
        if (!answered) result = { code: -4, description: 'State is not accepted for processing' };
        else if (leg.session.recording) result = { code: -6, description: 'The same operation in progress' };
        else { leg.session.recording = true; result = { code: 0, description: 'Succeeded' }; }
        break;
      case 'stopcallrecord':
        if (!answered) result = { code: -4, description: 'State is not accepted for processing' };
        else { leg.session.recording = false; result = { code: 0, description: 'Succeeded' }; }
        break;
      case 'callflip': {
        const target = this.lookup(req.target);
        if (!answered || !leg.peer) result = { code: -4, description: 'State is not accepted for processing' };
        else if (!target) result = { code: -1, description: 'Invalid target' };
        else { result = { code: 0, description: 'Succeeded', number: `+${target.username}`, target: String(req.target) }; const x = leg.peer; leg.flipping = true; setTimeout(() => this.flip(leg, x, target).catch((e) => this.warn('flip', e.message)), 50); }
        break;
      }
      case 'callpark': {
        if (!answered || !leg.peer) { result = { code: -4, description: 'State is not accepted for processing' }; break; }
        let n = 801;
        while (this.parked.has(String(n))) n++;
        const peer = leg.peer;
        this.parked.set(String(n), { leg: peer, parker: leg.ext?.ext ?? '', since: Date.now(), kind: 'park' });
        peer.peer = null; leg.peer = null;
        result = { code: 0, description: 'Succeeded', 'park extension': String(n) };
        break;
      }
      default:
        result = { code: -2, description: `Unknown command ${req.command}` };
    }
    await sleep(this.cfg.infoResultDelayMs);
    await this.request(leg, 'INFO', {
      contentType: 'application/json;charset=utf-8',
      body: JSON.stringify({ response: { reqid: req.reqid, command: req.command, result } }),
      timeoutMs: 8000,
    });
  }

  /**
   * Connect an established leg to an extension via an offer-less INVITE to the target (3PCC).
   * @param {Leg} x the leg that stays @param {Ext} target
   * @param {{headers?: Array<[string,string]>, instance?: string, conn?: Conn, onConnected?: (t: Leg) => void, onFailed?: () => void}} [o]
   */
  connectTo(x, target, o = {}) {
    const call = new Call(x.session, null);
    const from = { name: x.ext?.name ?? 'Unknown', username: x.ext?.username ?? '0' };
    return new Promise((resolve) => {
      call.onAnswer = async (t, offer) => {
        this.calls.delete(call);
        const answer = x.state === 'confirmed' ? await this.reinvite(x, offer) : null;
        if (!answer) { await this.ackOfferless(t, offer ? this.localAnswer(offer, t) ?? undefined : undefined); await this.bye(t, { cmd2: true }); o.onFailed?.(); return resolve(null); }
        await this.ackOfferless(t, answer);
        this.pair(x, t);
        o.onConnected?.(t);
        resolve(t);
      };
      call.onFail = () => { this.calls.delete(call); o.onFailed?.(); resolve(null); };
      this.calls.add(call);
      this.ring(call, target, { from, headers: o.headers, instance: o.instance });
    });
  }

  /** @param {Leg} p flipper @param {Leg} x the party being flipped @param {Ext} target */
  async flip(p, x, target) {
    if (!x || x.state !== 'confirmed') return;
    p.flipping = true;
    await this.connectTo(x, target, {
      onConnected: () => { if (p.state !== 'terminated') { p.peer = null; } },
      onFailed: () => { p.flipping = false; if (p.state === 'terminated' && x.state === 'confirmed') this.bye(x, { cmd2: true }); },
    });
  }

  // ---------------------------------------------------------------- REFER

  /** @param {Conn} conn @param {any} msg */
  async onRefer(conn, msg) {
    const leg = conn.legs.get(msg.callId);
    if (!leg || leg.state !== 'confirmed') return this.respond(conn, msg, 481);
    const referTo = msg.get('refer-to') ?? '';
    this.respond(conn, msg, 202);
    const notify = (frag, terminated) => this.request(leg, 'NOTIFY', {
      contentType: 'message/sipfrag;version=2.0', body: frag,
      headers: [['Event', 'refer'], ['Subscription-State', terminated ? 'terminated;reason=noresource' : 'active;expires=60']],
      timeoutMs: 8000,
    });
    const gap = () => sleep(this.cfg.notifyGapMs);
    const uri = uriOf(referTo);
    const rep = /[?&]Replaces=([^&>]*)/i.exec(uri)?.[1];
    const x = leg.peer;
    await gap();
    if (rep) return this.warmTransfer(leg, decodeURIComponent(rep), notify, gap);
    const targetUser = userOf(uri);
    await notify('SIP/2.0 100 Trying', false);
    await gap();
    if (!x) { await notify('SIP/2.0 481 Call/Transaction Does Not Exist', true); return; }
    if (/^prk\d+$/i.test(targetUser)) {
      // Private park (transfer to "prk<parkLocationId>").
      await notify('SIP/2.0 200 OK', true);
      await gap();
      this.parked.set(targetUser.toLowerCase(), { leg: x, parker: leg.ext?.ext ?? '', since: Date.now(), kind: 'private' });
      x.peer = null; leg.peer = null;
      await this.bye(leg);
      return;
    }
    const target = this.lookup(targetUser);
    if (!target) { await notify('SIP/2.0 404 Not Found', true); return; }
    await notify('SIP/2.0 200 OK', true);
    await gap();
    x.peer = null; leg.peer = null;
    await this.bye(leg);
    const t = await this.connectTo(x, target);
    if (!t && x.state === 'confirmed') await this.bye(x, { cmd2: true });
  }

  /**
   * Warm transfer: Refer-To carries Replaces=<consult Call-ID>;to-tag=…;from-tag=….
   * @param {Leg} orig transferor's original leg @param {string} replaces
   * @param {(frag: string, terminated: boolean) => Promise<any>} notify @param {() => Promise<void>} gap
   */
  async warmTransfer(orig, replaces, notify, gap) {
    const [cid, ...params] = replaces.split(';');
    const consult = orig.conn.legs.get(cid) ?? [...this.conns.values()].map((c) => c.legs.get(cid)).find(Boolean);
    await notify('SIP/2.0 100 Trying', false);
    await gap();
    const a = orig.peer;
    const t = consult?.peer;
    if (!consult || !a || !t) { await notify('SIP/2.0 481 Call/Transaction Does Not Exist', true); return; }
    const p = Object.fromEntries(params.map((s) => s.split('=')));
    if ((p['to-tag'] && p['to-tag'] !== consult.toTag && p['to-tag'] !== consult.fromTag)) this.warn('warm transfer: Replaces tags do not match the consultation dialog');
    orig.peer = null; consult.peer = null; a.peer = null; t.peer = null;
    await this.bye(consult);
    await gap();
    await notify('SIP/2.0 200 OK', true);
    await gap();
    await this.bye(orig);
    // Connect the transferee with the target: a new auto-answered, offer-less INVITE to the
    // target's instance (RFC 3891 Replaces of its consultation dialog), then re-INVITE the transferee.
    const tExt = /** @type {Ext} */ (t.ext);
    const b = this.bindingFor(t.conn);
    const nt = await this.connectTo(a, tExt, {
      instance: b?.instanceId,
      headers: [
        ['Replaces', `${t.callId};to-tag=${t.toTag};from-tag=${t.fromTag}`],
        ['Alert-Info', 'Auto Answer'],
        ['Call-Info', `<${hex(8)}_${digits(9)}@${HOST}>;purpose=info;Answer-After=0`],
      ],
    });
    await this.bye(t);
    if (!nt && a.state === 'confirmed') await this.bye(a, { cmd2: true });
  }

  // ---------------------------------------------------------------- INVITEs that take over existing calls

  /** Find an established leg by telephony session id or Call-ID, preferring legs of `ext`. @param {string} id @param {string} [ext] */
  findLeg(id, ext) {
    const all = [...this.conns.values()].flatMap((c) => [...c.legs.values()]).filter((l) => l.state === 'confirmed');
    const match = all.filter((l) => l.session.id === id || l.callId === id);
    return match.find((l) => l.ext?.ext === ext) ?? match[0];
  }

  /**
   * INVITE with a Replaces header: "switch call to this device", or private-park retrieval
   * (R-URI `prk<id>`). @param {Leg} a @param {string} replaces @param {(code:number)=>void} fail
   */
  async replacesCall(a, replaces, fail) {
    const [id, ...params] = replaces.split(';').map((s) => s.trim());
    const p = Object.fromEntries(params.map((s) => s.split('=')));
    const callee = userOf(a.invite.uri).toLowerCase();
    /** @type {Leg|undefined} */ let stay;
    /** @type {Leg|undefined} */ let old;
    const tagsMatch = (l) => !p['to-tag'] || [l.fromTag, l.toTag].includes(p['to-tag']) || [l.fromTag, l.toTag].includes(p['from-tag']);
    const pk = [...this.parked.entries()].find(([k, v]) => (k === callee || v.leg.session.id === id || v.leg.callId === id) && tagsMatch(v.leg));
    if (pk) {
      stay = pk[1].leg;
      this.parked.delete(pk[0]);
    } else {
      old = this.findLeg(id, a.ext?.ext);
      if (old && !tagsMatch(old)) old = undefined;
      stay = old?.peer ?? undefined;
    }
    if (!stay) return fail(481);
    const answer = await this.reinvite(stay, a.remoteSdp);
    if (!answer || a.state !== 'early') return fail(480);
    if (old) { old.peer = null; stay.peer = null; await this.bye(old, { cmd2: true }); }
    a.state = 'confirmed';
    a.localSdp = answer;
    this.pair(a, stay);
    this.respond(a.conn, a.invite, 200, { toTag: a.localTag, body: answer, headers: [['Contact', this.contactHdr(a)]] });
  }

  /** Dialled `*<park ext>`. @param {Leg} a @param {string} parkExt @param {(code:number)=>void} fail */
  async retrieve(a, parkExt, fail) {
    const p = this.parked.get(parkExt);
    if (!p) return fail(404);
    this.parked.delete(parkExt);
    const answer = await this.reinvite(p.leg, a.remoteSdp);
    if (!answer || a.state !== 'early') return fail(480);
    a.state = 'confirmed';
    a.localSdp = answer;
    this.pair(a, p.leg);
    this.respond(a.conn, a.invite, 200, { toTag: a.localTag, body: answer, headers: [['Contact', this.contactHdr(a)]] });
  }

  /**
   * `*83` takeover, triggered by the control API (stands in for the DTMF "<ext>#").
   * The supervisor is connected to the agent's peer, the agent gets BYE, and the supervisor
   * receives a server re-INVITE from `*83` with the same Call-ID (as on RC).
   * @param {{callId?: string, supervisor?: string, agent: string}} o
   */
  async takeover(o) {
    const s = [...this.takeoverPending].find((l) => (o.callId ? l.callId === o.callId : true) && (!o.supervisor || l.ext?.ext === o.supervisor));
    if (!s) return { ok: false, error: 'no pending *83 call' };
    const agentLeg = [...this.conns.values()].flatMap((c) => [...c.legs.values()])
      .find((l) => l.ext?.ext === String(o.agent) && l.state === 'confirmed' && l.peer && l !== s);
    if (!agentLeg || !agentLeg.peer) return { ok: false, error: `extension ${o.agent} has no active call` };
    this.takeoverPending.delete(s);
    const customer = agentLeg.peer;
    const answer = await this.reinvite(customer, s.remoteSdp);
    if (!answer) return { ok: false, error: 'customer did not answer the re-INVITE' };
    agentLeg.peer = null;
    customer.peer = null;
    s.state = 'confirmed';
    s.localSdp = answer;
    this.pair(s, customer);
    this.respond(s.conn, s.invite, 200, { toTag: s.localTag, body: answer, headers: [['Contact', this.contactHdr(s)]] });
    await this.bye(agentLeg, { cmd2: true });
    await sleep(200);
    // Server re-INVITE from *83, same Call-ID. Media already flows, so the offer is the
    // customer's current SDP (no ICE/DTLS change): the SDK just answers it.
    await this.reinvite(s, customer.remoteSdp);
    return { ok: true, callId: s.callId };
  }

  // ---------------------------------------------------------------- control-API actions

  /**
   * RC "call-out": auto-answer INVITE (no SDP) to one instance of `ext`, then ring `to`.
   * @param {{ext: string, to: string, instance?: string, answerAfter?: number, alertInfo?: string}} o
   */
  async callout(o) {
    const dev = this.lookup(o.ext);
    const to = this.lookup(o.to);
    if (!dev || !to) return { ok: false, error: 'unknown extension' };
    const b = o.instance ? this.liveBindings(dev.ext).find((x) => x.instanceId === o.instance) : this.liveBindings(dev.ext).filter((x) => !x.conn.closed).at(-1);
    if (!b) return { ok: false, error: 'instance not registered' };
    const session = new Session();
    const call = new Call(session, null);
    const result = new Promise((resolve) => {
      call.onAnswer = (d, offer) => {
        this.calls.delete(call);
        resolve({ ok: true, callId: d.callId, sessionId: session.id });
        const c2 = new Call(session, null);
        c2.onAnswer = async (t, answer) => { this.calls.delete(c2); await this.ackOfferless(d, answer); this.pair(d, t); };
        c2.onFail = async () => { this.calls.delete(c2); await this.ackOfferless(d, this.localAnswer(offer, d) ?? undefined); await this.bye(d, { cmd2: true }); };
        this.calls.add(c2);
        this.ring(c2, to, { offer, from: dev });
      };
      call.onFail = (code) => { this.calls.delete(call); resolve({ ok: false, error: `device did not answer (${code})` }); };
    });
    this.calls.add(call);
    this.ring(call, dev, {
      from: to, instance: b.instanceId,
      headers: [
        ['Alert-Info', o.alertInfo ?? 'Auto Answer'],
        ['Call-Info', `<${digits(9)}_${digits(9)}@${HOST}>;purpose=info;Answer-After=${o.answerAfter ?? 0}`],
      ],
    });
    return { ok: true, pending: true, sessionId: session.id, result };
  }

  /** Server-initiated BYE on every established leg of a Call-ID / session. @param {string} id */
  async hangup(id) {
    const legs = [...this.conns.values()].flatMap((c) => [...c.legs.values()]).filter((l) => (l.callId === id || l.session.id === id) && l.state === 'confirmed');
    for (const l of legs) { const p = l.peer; l.peer = null; await this.bye(l, { cmd2: true }); if (p) { p.peer = null; await this.bye(p, { cmd2: true }); } }
    return { ok: legs.length > 0, legs: legs.length };
  }

  snapshot() {
    const regs = [];
    for (const [ext, m] of this.bindings) for (const b of m.values()) {
      regs.push({ ext, instanceId: b.instanceId, conn: b.conn.id, connOpen: !b.conn.closed, contact: b.contactUri, granted: b.granted, expiresInMs: b.expiresAt - Date.now(), live: b.expiresAt > Date.now() });
    }
    const legs = [...this.conns.values()].flatMap((c) => [...c.legs.values()]).map((l) => ({
      id: l.id, ext: l.ext?.ext, conn: l.conn.id, dir: l.dir, callId: l.callId, state: l.state, peer: l.peer?.id ?? null,
      sessionId: l.session.id, partyId: l.partyId, fromTag: l.fromTag, toTag: l.toTag, label: l.label,
    }));
    const parked = [...this.parked.entries()].map(([k, p]) => ({ park: k, kind: p.kind, parker: p.parker, callId: p.leg.callId, telephonySessionId: p.leg.session.id, sipData: { fromTag: p.leg.fromTag, toTag: p.leg.toTag }, ext: p.leg.ext?.ext }));
    const conns = [...this.conns.values()].map((c) => ({ id: c.id, transport: c.transport, ext: c.ext?.ext ?? null, instanceId: c.instanceId, closed: c.closed }));
    const replies = [...this.calls].filter((c) => c.reply && !c.reply.closed).map((c) => ({ sid: c.session.sid, sessionId: c.session.id, ext: c.reply.ext?.ext, bdy: c.reply.bdy }));
    return { registrations: regs, legs, parked, conns, replies, takeoverPending: [...this.takeoverPending].map((l) => ({ callId: l.callId, ext: l.ext?.ext })) };
  }

  // ---------------------------------------------------------------- control HTTP API

  /** @param {http.IncomingMessage} q @param {http.ServerResponse} r */
  async onHttp(q, r) {
    const url = new URL(q.url ?? '/', `http://${HOST}`);
    const send = (code, obj) => { r.writeHead(code, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'no-store' }); r.end(JSON.stringify(obj, null, 1)); };
    if (q.method === 'OPTIONS') { r.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type', 'access-control-allow-methods': 'GET,POST,DELETE' }); return r.end(); }
    if (!url.pathname.startsWith('/api/')) return this.serveStatic(url.pathname, r);
    let body = {};
    if (q.method === 'POST') {
      const chunks = [];
      for await (const c of q) chunks.push(c);
      const txt = Buffer.concat(chunks).toString('utf8');
      if (txt.trim()) { try { body = JSON.parse(txt); } catch { return send(400, { error: 'bad JSON' }); } }
    }
    const b = /** @type {any} */ (body);
    const route = `${q.method} ${url.pathname}`;
    switch (route) {
      case 'GET /api/health': return send(200, { ok: true, wsPort: this.wsPort, wssPort: this.wssPort, httpPort: this.httpPort, domain: this.domain });
      case 'GET /api/config': return send(200, this.cfg);
      case 'POST /api/config': Object.assign(this.cfg, b); return send(200, this.cfg);
      case 'GET /api/directory': {
        const transport = url.searchParams.get('transport') ?? 'wss';
        return send(200, { domain: this.domain, mainNumber: this.mainNumber, extensions: this.exts.map((e) => ({ ext: e.ext, name: e.name, number: e.username, sipInfo: this.sipInfo(e, transport) })) });
      }
      case 'GET /api/state': return send(200, this.snapshot());
      case 'GET /api/registrations': return send(200, this.snapshot().registrations);
      case 'GET /api/calls': return send(200, this.snapshot().legs);
      case 'GET /api/parked': return send(200, this.snapshot().parked);
      case 'GET /api/trace': {
        const ext = url.searchParams.get('ext') ?? 'unbound';
        const since = Number(url.searchParams.get('since') ?? 0);
        return send(200, (this.traces.get(ext) ?? []).filter((t) => t.t >= since));
      }
      case 'DELETE /api/trace': case 'POST /api/trace/clear': this.traces.clear(); return send(200, { ok: true });
      case 'POST /api/reset': this.reset(b.config ?? {}); return send(200, { ok: true });
      case 'POST /api/outage': this.cfg.outage = b.on !== false; return send(200, { outage: this.cfg.outage });
      case 'POST /api/drop': {
        const cs = [...this.conns.values()].filter((c) => !c.closed && (b.conn ? c.id === b.conn : (c.ext?.ext === String(b.ext) && (!b.instanceId || c.instanceId === b.instanceId))));
        for (const c of cs) { if (b.graceful) c.ws.close(1001, 'dropped'); else c.ws.terminate(); }
        return send(200, { dropped: cs.map((c) => c.id) });
      }
      case 'POST /api/callout': {
        const res = await this.callout(b);
        if (b.wait && res.result) return send(200, await res.result);
        const { result, ...rest } = res;
        return send(res.ok ? 200 : 404, rest);
      }
      case 'POST /api/reply': {
        const call = [...this.calls].find((c) => c.reply && !c.reply.closed && (!b.sid || c.session.sid === String(b.sid)) && (!b.ext || c.reply.ext?.ext === String(b.ext)));
        if (!call) return send(404, { error: 'no call waiting for a reply outcome' });
        const map = { yes: '1', no: '2', urgent: '3' };
        await this.sessionClose(call, { sts: b.sts ?? '0', resp: map[b.resp] ?? String(b.resp ?? '1'), extNfo: b.extNfo ?? '' });
        return send(200, { ok: true, sid: call.session.sid });
      }
      case 'POST /api/takeover': return send(200, await this.takeover(b));
      case 'POST /api/hangup': return send(200, await this.hangup(String(b.callId ?? b.sessionId ?? '')));
      case 'POST /api/reinvite': {
        const leg = this.findLeg(String(b.callId ?? b.sessionId ?? ''), b.ext);
        if (!leg) return send(404, { error: 'no such leg' });
        const sdp = leg.peer?.remoteSdp ?? leg.localSdp;
        return send(200, { ok: !!(await this.reinvite(leg, sdp)) });
      }
      default: return send(404, { error: `no route ${route}` });
    }
  }

  /** @param {string} p @param {http.ServerResponse} r */
  serveStatic(p, r) {
    const mounts = Object.entries(this.opts.static ?? {}).sort((a, b) => b[0].length - a[0].length);
    for (const [prefix, dir] of mounts) {
      if (!p.startsWith(prefix)) continue;
      let rel = decodeURIComponent(p.slice(prefix.length)) || 'index.html';
      if (rel.endsWith('/')) rel += 'index.html';
      const file = path.resolve(dir, rel);
      if (!file.startsWith(path.resolve(dir))) break;
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) break;
      const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.map': 'application/json' };
      r.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      fs.createReadStream(file).pipe(r);
      return;
    }
    r.writeHead(404, { 'content-type': 'text/plain' });
    r.end('not found');
  }
}

/** Start an edge (convenience). @param {EdgeOptions} opts */
export async function startEdge(opts = {}) {
  const e = new RcEdge(opts);
  await e.start();
  return e;
}
