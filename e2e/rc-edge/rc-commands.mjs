// @ts-check
/**
 * rc-edge RingCentral call-control commands: x-rc MESSAGEs before answer (reject,
 * voicemail, forward, reply, SessionClose) and JSON INFO requests (recording, flip,
 * park), plus connectTo(), the third-party call control that flip and REFER use.
 *
 * These are methods of RcEdge: edge.mjs copies them onto RcEdge.prototype, so
 * `this` is the RcEdge.
 * @module rc-edge/rc-commands
 */
import { Call } from './model.mjs';
import { parseRcXml } from './sip.mjs';
import { sleep } from './sleep.mjs';

/** @typedef {import('./edge.mjs').RcEdge} RcEdge */
/** @typedef {import('./model.mjs').Conn} Conn */
/** @typedef {import('./model.mjs').Leg} Leg */
/** @typedef {import('./model.mjs').Ext} Ext */

export class RcCommandMethods {
  // ---------------------------------------------------------------- x-rc MESSAGE (call control before answer)

  /** @this {RcEdge} @param {Conn} conn @param {any} msg */
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
    // Spec §7.5: the reply names the INVITE's P-rc session (SID, Req) with
    // From/To swapped and Cln = the sender's authorizationId. A client that
    // gets one of them wrong is refused here, so an SDK bug shows in the
    // test rather than as a command the real server would not act on.
    const wrong = leg.hasPrc ? rcReplyMismatch(leg, conn, rc, this.domain) : '';
    if (wrong) {
      this.warn(`${conn.id} x-rc MESSAGE Cmd ${rc.hdr.Cmd} refused: ${wrong}`);
      return this.respond(conn, msg, 400, { reason: `x-rc message does not match the call (${wrong})` });
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
   * @this {RcEdge}
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

  /** @this {RcEdge} @param {Conn} conn @param {any} msg */
  async onInfo(conn, msg) {
    const leg = conn.legs.get(msg.callId);
    if (!leg) return this.respond(conn, msg, 481);
    this.respond(conn, msg, 200);
    if (!/json/i.test(msg.get('content-type') ?? '')) return;
    let req;
    try { req = JSON.parse(msg.body)?.request; } catch { this.warn('INFO with bad JSON'); return; }
    if (!req || typeof req.command !== 'string') return;
    /** @type {any} */ let result = this.takeRcResult(req.command); // POST /api/rc-result
    const answered = leg.state === 'confirmed';
    if (!result) switch (req.command) {
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
   * @this {RcEdge}
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

  /** @this {RcEdge} @param {Leg} p flipper @param {Leg} x the party being flipped @param {Ext} target */
  async flip(p, x, target) {
    if (!x || x.state !== 'confirmed') return;
    p.flipping = true;
    await this.connectTo(x, target, {
      onConnected: () => { if (p.state !== 'terminated') { p.peer = null; } },
      onFailed: () => { p.flipping = false; if (p.state === 'terminated' && x.state === 'confirmed') this.bye(x, { cmd2: true }); },
    });
  }
}

/**
 * Why a client's x-rc MESSAGE does not answer the P-rc of the INVITE we sent
 * on `leg` (spec §7.5: Hdr SID and Req copied, From/To swapped, Bdy Cln =
 * the sender's authorizationId); '' when it does.
 * @param {Leg} leg @param {Conn} conn @param {{hdr: Record<string,string>, bdy: Record<string,string>}} rc @param {string} domain
 */
function rcReplyMismatch(leg, conn, rc, domain) {
  const s = leg.session;
  const want = { SID: s.sid, Req: s.req, From: leg.ext?.username, To: `${s.agent}@${domain}:5060` };
  for (const [k, v] of Object.entries(want)) if (v !== undefined && rc.hdr[k] !== v) return `Hdr ${k}="${rc.hdr[k] ?? ''}", expected "${v}"`;
  const cln = conn.ext?.authorizationId;
  if (cln !== undefined && rc.bdy.Cln !== cln) return `Bdy Cln="${rc.bdy.Cln ?? ''}", expected "${cln}"`;
  return '';
}
