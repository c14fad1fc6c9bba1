// @ts-check
/**
 * rc-edge control API: the actions behind it (call-out, hangup, state snapshot) and
 * the JSON-over-HTTP server with its static file mounts.
 *
 * These are methods of RcEdge: edge.mjs copies them onto RcEdge.prototype, so
 * `this` is the RcEdge.
 * @module rc-edge/control-api
 */
import fs from 'node:fs';
import path from 'node:path';
import { HOST, DEFAULT_CONFIG } from './config.mjs';
import { Session, Call } from './model.mjs';
import { digits, tagOf } from './sip.mjs';

/** @typedef {import('./edge.mjs').RcEdge} RcEdge */

/**
 * A scripted refusal (`POST /api/fail-next`): the next `count` requests that match
 * get `status` instead of their normal handling (503 + Retry-After to a REGISTER,
 * 491 to a re-INVITE, 486 to a call …).
 * @typedef {Object} FailRule
 * @property {string} method       SIP method it applies to (REGISTER, INVITE, BYE, …)
 * @property {number} status       final status to answer, 300-699
 * @property {string} [reason]     reason phrase (default: the standard one)
 * @property {number} [retryAfter] seconds for a Retry-After header
 * @property {number} count        how many requests are still to be refused
 * @property {string} [ext]        only requests from (or, for REGISTER, for) this extension
 * @property {boolean} [inDialog]  true: only in-dialog requests (a re-INVITE); false: only initial ones
 */

/**
 * Why a `POST /api/config` body cannot be applied, or '' when it can: only the
 * known tunables (config.mjs), each of its default's type.
 * @param {any} b
 */
export function configError(b) {
  if (!b || typeof b !== 'object' || Array.isArray(b)) return 'config: send a JSON object of tunables';
  for (const [k, v] of Object.entries(b)) {
    if (!Object.hasOwn(DEFAULT_CONFIG, k)) return `config: unknown tunable ${k} (known: ${Object.keys(DEFAULT_CONFIG).join(', ')})`;
    const d = /** @type {any} */ (DEFAULT_CONFIG)[k];
    const ok = k === 'autoReply' ? v === null || (typeof v === 'object' && !Array.isArray(v))
      : typeof d === 'number' ? typeof v === 'number' && Number.isFinite(v) && v >= 0 : typeof v === typeof d;
    if (!ok) return `config: ${k} must be ${k === 'autoReply' ? 'an object or null' : typeof d === 'number' ? 'a number >= 0' : `a ${typeof d}`}`;
  }
  return '';
}

/** What `POST /api/fail-next` accepts, checked: a clear error for each bad field. @param {any} b @returns {FailRule} */
export function failRule(b) {
  const method = typeof b?.method === 'string' ? b.method.toUpperCase() : '';
  if (!/^[A-Z]+$/.test(method)) throw new Error('fail-next: method must be a SIP method name, e.g. "REGISTER"');
  const status = Number(b.status);
  if (!Number.isInteger(status) || status < 300 || status > 699) throw new Error('fail-next: status must be a final status 300-699');
  if (method === 'ACK') throw new Error('fail-next: an ACK has no response');
  const count = b.count === undefined ? 1 : Number(b.count);
  if (!Number.isInteger(count) || count < 1) throw new Error('fail-next: count must be a positive integer');
  if (b.retryAfter !== undefined && !(Number.isInteger(b.retryAfter) && b.retryAfter >= 0)) throw new Error('fail-next: retryAfter must be whole seconds');
  if (b.inDialog !== undefined && typeof b.inDialog !== 'boolean') throw new Error('fail-next: inDialog must be true or false');
  return { method, status, count, ...(b.reason ? { reason: String(b.reason) } : {}), ...(b.retryAfter !== undefined ? { retryAfter: b.retryAfter } : {}),
    ...(b.ext !== undefined ? { ext: String(b.ext) } : {}), ...(b.inDialog !== undefined ? { inDialog: b.inDialog } : {}) };
}

export class ControlApiMethods {
  // ---------------------------------------------------------------- control-API actions

  /**
   * RC "call-out": auto-answer INVITE (no SDP) to one instance of `ext`, then ring `to`.
   * @this {RcEdge}
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
    const result = new Promise((settle) => {
      // A reset of the server answers a waiting call-out too (edge.mjs reset()).
      const resolve = (/** @type {any} */ v) => { this.calloutWaiters.delete(resolve); settle(v); };
      this.calloutWaiters.add(resolve);
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

  /** Server-initiated BYE on every established leg of a Call-ID / session. @this {RcEdge} @param {string} id */
  async hangup(id) {
    const legs = [...this.conns.values()].flatMap((c) => [...c.legs.values()]).filter((l) => (l.callId === id || l.session.id === id) && l.state === 'confirmed');
    for (const l of legs) { const p = l.peer; l.peer = null; await this.bye(l, { cmd2: true }); if (p) { p.peer = null; await this.bye(p, { cmd2: true }); } }
    return { ok: legs.length > 0, legs: legs.length };
  }

  /**
   * The first fail rule `msg` matches, used up by one; undefined when none does.
   * @this {RcEdge} @param {import('./model.mjs').Conn} conn @param {any} msg
   */
  takeFailRule(conn, msg) {
    if (msg.method === 'ACK' || this.failRules.length === 0) return undefined;
    const inDialog = !!tagOf(msg.get('to') ?? '');
    const user = /sips?:([^@>;]+)/i.exec(msg.get(msg.method === 'REGISTER' ? 'to' : 'from') ?? '')?.[1];
    const ext = conn.ext?.ext ?? this.lookup(user)?.ext;
    const rule = this.failRules.find((r) => r.method === msg.method && (r.ext === undefined || r.ext === ext) &&
      (r.inDialog === undefined || r.inDialog === inDialog));
    if (!rule) return undefined;
    if (--rule.count === 0) this.failRules.splice(this.failRules.indexOf(rule), 1);
    this.info(`${conn.id} ${msg.method} refused by a fail-next rule: ${rule.status}`);
    return rule;
  }

  /**
   * A scripted result for the next JSON INFO `command` (`POST /api/rc-result`),
   * used up by one; undefined when none is waiting.
   * @this {RcEdge} @param {string} command
   */
  takeRcResult(command) {
    const i = this.rcResults.findIndex((r) => r.command === command);
    if (i < 0) return undefined;
    const r = this.rcResults[i];
    if (--r.count === 0) this.rcResults.splice(i, 1);
    return r.result;
  }

  /** The headers and reason a fail rule's response carries. @param {FailRule} rule */
  failResponse(rule) {
    return { ...(rule.reason ? { reason: rule.reason } : {}),
      headers: /** @type {Array<[string,string]>} */ (rule.retryAfter !== undefined ? [['Retry-After', String(rule.retryAfter)]] : []) };
  }

  /**
   * Answer `msg` from a fail rule; true when it was answered here. A new INVITE
   * is left to newCall, which refuses it as RingCentral refuses a call: after the
   * proxy challenge, 100 and one 183 (ringcentral-web-phone waits for that 183).
   * @this {RcEdge} @param {import('./model.mjs').Conn} conn @param {any} msg
   */
  failByRule(conn, msg) {
    if (msg.method === 'INVITE' && !tagOf(msg.get('to') ?? '')) return false;
    const rule = this.takeFailRule(conn, msg);
    if (!rule) return false;
    this.respond(conn, msg, rule.status, this.failResponse(rule));
    return true;
  }

  /** @this {RcEdge} */
  snapshot() {
    const regs = [];
    for (const [ext, m] of this.bindings) for (const b of m.values()) {
      regs.push({ ext, instanceId: b.instanceId, conn: b.conn.id, connOpen: !b.conn.closed, contact: b.contactUri, callId: b.callId, cseq: b.cseq, granted: b.granted, expiresInMs: b.expiresAt - Date.now(), live: b.expiresAt > Date.now() });
    }
    const legs = [...this.conns.values()].flatMap((c) => [...c.legs.values()]).map((l) => ({
      id: l.id, ext: l.ext?.ext, conn: l.conn.id, dir: l.dir, callId: l.callId, state: l.state, peer: l.peer?.id ?? null,
      sessionId: l.session.id, partyId: l.partyId, fromTag: l.fromTag, toTag: l.toTag, label: l.label,
    }));
    const parked = [...this.parked.entries()].map(([k, p]) => ({ park: k, kind: p.kind, parker: p.parker, callId: p.leg.callId, telephonySessionId: p.leg.session.id, sipData: { fromTag: p.leg.fromTag, toTag: p.leg.toTag }, ext: p.leg.ext?.ext }));
    const conns = [...this.conns.values()].map((c) => ({ id: c.id, transport: c.transport, ext: c.ext?.ext ?? null, instanceId: c.instanceId, closed: c.closed, keepAlives: c.keepAlives }));
    const replies = [...this.calls].filter((c) => c.reply && !c.reply.closed).map((c) => ({ sid: c.session.sid, sessionId: c.session.id, ext: c.reply.ext?.ext, bdy: c.reply.bdy }));
    return { registrations: regs, legs, parked, conns, replies, takeoverPending: [...this.takeoverPending].map((l) => ({ callId: l.callId, ext: l.ext?.ext })) };
  }

  // ---------------------------------------------------------------- control HTTP API

  /** @this {RcEdge} @param {import('node:http').IncomingMessage} q @param {import('node:http').ServerResponse} r */
  async onHttp(q, r) {
    const url = new URL(q.url ?? '/', `http://${HOST}`);
    // Only pages from this machine may use the API: a website open in the same
    // browser must not reset the server or read the extensions' passwords
    // (browsers send Origin on cross-site requests; Node clients send none).
    const origin = q.headers.origin;
    const local = !origin || /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(origin);
    const cors = origin && local ? { 'access-control-allow-origin': origin, vary: 'origin' } : {};
    const send = (code, obj) => { r.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store', ...cors }); r.end(JSON.stringify(obj, null, 1)); };
    if (q.method === 'OPTIONS') { r.writeHead(204, { ...cors, 'access-control-allow-headers': 'content-type', 'access-control-allow-methods': 'GET,POST,DELETE' }); return r.end(); }
    if (!url.pathname.startsWith('/api/')) return this.serveStatic(url.pathname, r);
    if (!local) return send(403, { error: `the control API answers pages from this machine only, not ${origin}` });
    let body = {};
    if (q.method === 'POST') {
      const chunks = [];
      for await (const c of q) chunks.push(c);
      const txt = Buffer.concat(chunks).toString('utf8');
      if (txt.trim()) { try { body = JSON.parse(txt); } catch { return send(400, { error: 'bad JSON' }); } }
    }
    const b = /** @type {any} */ (body);
    const route = `${q.method} ${url.pathname}`;
    if (q.method !== 'GET') this.stateChanged(); // config, reset, drop …: keep the state file current
    switch (route) {
      case 'GET /api/health': return send(200, {
        ok: true, wsPort: this.wsPort, wssPort: this.wssPort, httpPort: this.httpPort, domain: this.domain,
        transport: this.opts.transport ?? 'wss', ...(this.wssError ? { wssError: this.wssError } : {}),
      });
      case 'GET /api/config': return send(200, this.cfg);
      case 'POST /api/config': {
        const bad = configError(b);
        if (bad) return send(400, { error: bad });
        Object.assign(this.cfg, b);
        return send(200, this.cfg);
      }
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
      case 'POST /api/reset': {
        const bad = b.config === undefined ? '' : configError(b.config);
        if (bad) return send(400, { error: bad });
        this.reset(b.config ?? {});
        return send(200, { ok: true });
      }
      case 'POST /api/outage': this.cfg.outage = b.on !== false; return send(200, { outage: this.cfg.outage });
      case 'POST /api/drop': {
        const cs = [...this.conns.values()].filter((c) => !c.closed && (b.conn ? c.id === b.conn : (c.ext?.ext === String(b.ext) && (!b.instanceId || c.instanceId === b.instanceId))));
        for (const c of cs) { if (b.graceful) c.ws.close(1001, 'dropped'); else c.ws.terminate(); }
        return send(200, { dropped: cs.map((c) => c.id) });
      }
      case 'GET /api/fail-next': return send(200, this.failRules);
      case 'POST /api/fail-next': {
        let rule;
        try { rule = failRule(b); } catch (e) { return send(400, { error: String(/** @type {Error} */ (e).message) }); }
        this.failRules.push(rule);
        return send(200, rule);
      }
      case 'DELETE /api/fail-next': this.failRules.length = 0; return send(200, { ok: true });
      case 'POST /api/rc-result': {
        const commands = ['startcallrecord', 'stopcallrecord', 'callflip', 'callpark'];
        if (!commands.includes(b.command)) return send(400, { error: `rc-result: command must be one of ${commands.join(', ')}` });
        if (!b.result || typeof b.result !== 'object' || !Number.isInteger(b.result.code)) return send(400, { error: 'rc-result: result must be an object with an integer code' });
        const count = b.count === undefined ? 1 : Number(b.count);
        if (!Number.isInteger(count) || count < 1) return send(400, { error: 'rc-result: count must be a positive integer' });
        this.rcResults.push({ command: b.command, result: b.result, count });
        return send(200, { ok: true });
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

  /** @this {RcEdge} @param {string} p @param {import('node:http').ServerResponse} r */
  serveStatic(p, r) {
    const mounts = Object.entries(this.opts.static ?? {}).sort((a, b) => b[0].length - a[0].length);
    for (const [prefix, dir] of mounts) {
      if (!p.startsWith(prefix)) continue;
      let rel = decodeURIComponent(p.slice(prefix.length)) || 'index.html';
      if (rel.endsWith('/')) rel += 'index.html';
      const root = path.resolve(dir);
      const file = path.resolve(root, rel);
      if (file !== root && !file.startsWith(root + path.sep)) break; // no ../ out of the mount
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) break;
      const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.map': 'application/json', '.png': 'image/png' };
      const stream = fs.createReadStream(file);
      stream.once('open', () => {
        r.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        stream.pipe(r);
      });
      stream.once('error', (e) => {
        this.warn('static', file, e.message);
        if (!r.headersSent) { r.writeHead(500, { 'content-type': 'text/plain' }); r.end('cannot read the file'); } else r.destroy();
      });
      return;
    }
    r.writeHead(404, { 'content-type': 'text/plain' });
    r.end('not found');
  }
}
