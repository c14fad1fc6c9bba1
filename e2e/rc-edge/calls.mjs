// @ts-check
/**
 * rc-edge calls: a client's new INVITE (proxy auth, 183, forking to every live
 * instance of the callee, answer/cancel/timeout) and the in-dialog requests from
 * clients (re-INVITE, ACK, CANCEL, BYE).
 *
 * These are methods of RcEdge: edge.mjs copies them onto RcEdge.prototype, so
 * `this` is the RcEdge.
 * @module rc-edge/calls
 */
import { HOST } from './config.mjs';
import { Session, Leg, Call } from './model.mjs';
import { uriOf, userOf, tagOf, parseAuth, digestOk, hex, rcXml } from './sip.mjs';
import { sleep } from './sleep.mjs';

/** @typedef {import('./edge.mjs').RcEdge} RcEdge */
/** @typedef {import('./model.mjs').Conn} Conn */
/** @typedef {import('./model.mjs').Ext} Ext */

export class CallMethods {
  // ---------------------------------------------------------------- INVITE from a client

  /**
   * An in-dialog INVITE for a call of this instance that lives on one of its
   * closed connections: the phone reconnected (e.g. wasm-web-phone
   * autoRecover) and restarts the call's media. The call follows it to the new
   * connection, as on a server with RFC 5626 flow recovery.
   * @this {RcEdge} @param {Conn} conn @param {string} callId
   */
  adoptLeg(conn, callId) {
    if (!conn.instanceId) return undefined;
    for (const old of this.conns.values()) {
      const leg = old !== conn && old.closed && old.instanceId === conn.instanceId ? old.legs.get(callId) : undefined;
      if (!leg || leg.state === 'terminated') continue;
      old.legs.delete(callId);
      leg.conn = conn;
      conn.legs.set(callId, leg);
      this.trace(conn, 'event', `call ${callId} follows instance ${conn.instanceId} from ${old.id}`);
      return leg;
    }
    return undefined;
  }

  /**
   * Every call of this instance that lives on one of its closed connections
   * moves to `conn` (its new registration). Returns how many moved.
   * @this {RcEdge} @param {Conn} conn
   */
  adoptLegs(conn) {
    if (!conn.instanceId) return 0;
    let n = 0;
    for (const old of [...this.conns.values()]) {
      if (old === conn || !old.closed || old.instanceId !== conn.instanceId) continue;
      for (const callId of [...old.legs.keys()]) if (this.adoptLeg(conn, callId)) n++;
    }
    return n;
  }

  /** @this {RcEdge} @param {Conn} conn @param {any} msg */
  async onInvite(conn, msg) {
    const existing = conn.legs.get(msg.callId) ?? (tagOf(msg.get('to')) ? this.adoptLeg(conn, msg.callId) : undefined);
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

  /** Identity of a calling leg (P-Asserted-Identity overrides the number). @this {RcEdge} @param {Leg} a */
  callerIdentity(a) {
    const e = /** @type {Ext} */ (a.ext);
    const pai = a.invite?.get('p-asserted-identity');
    const num = pai ? userOf(pai).replace(/^\+/, '') : e.username;
    return { name: e.name, username: num };
  }

  /** @this {RcEdge} @param {Conn} conn @param {any} msg */
  async newCall(conn, msg) {
    const session = new Session();
    const a = new Leg(conn, 'out', session);
    a.callId = msg.callId;
    a.invite = msg;
    a.remoteHdr = msg.get('from');
    a.remoteTag = tagOf(a.remoteHdr) ?? '';
    a.remoteCseq = msg.cseqNum;
    a.localTag = `gK${hex(8)}`;
    a.localHdr = `${msg.get('to')};tag=${a.localTag}`;
    a.remoteTarget = uriOf(msg.get('contact')) || uriOf(a.remoteHdr);
    a.remoteSdp = msg.body;
    a.label = `${conn.ext?.ext}→${userOf(msg.uri)}`;
    conn.legs.set(a.callId, a);
    const callee = userOf(msg.uri);
    const replaces = msg.get('replaces');
    const send183 = () => this.respond(conn, msg, 183, { toTag: a.localTag, headers: [['p-rc-api-ids', `party-id=${a.partyId};session-id=${session.id}`]] });
    /** @param {number} code @param {{reason?: string, headers?: Array<[string,string]>}} [o] */
    const finalFail = (code, o = {}) => { if (a.state !== 'early') return; a.state = 'terminated'; conn.legs.delete(a.callId); this.respond(conn, msg, code, { ...o, toTag: a.localTag }); };
    send183();
    const rule = this.takeFailRule(conn, msg); // POST /api/fail-next
    if (rule) return finalFail(rule.status, this.failResponse(rule));
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
    call.onEarly = (b, sdp) => {
      if (a.state === 'early') this.respond(conn, msg, 183, { toTag: a.localTag, body: sdp, headers: [['p-rc-api-ids', `party-id=${a.partyId};session-id=${session.id}`]] });
    };
    this.calls.add(call);
    this.ring(call, target, { offer: msg.body, from: this.callerIdentity(a) });
  }

  /**
   * Ring every live instance of an extension (one "round" of a call).
   * @this {RcEdge}
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
          if (this.cfg.earlyMedia && m.status === 183 && m.body && call.round === round && !call.answered) call.onEarly(leg, m.body);
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

  /** Complete an offer-less INVITE's 2xx with the answer. @this {RcEdge} @param {Leg} leg @param {string} [answer] */
  async ackOfferless(leg, answer) {
    const p = leg.pendingAck;
    if (!p) return;
    leg.pendingAck = null;
    await this.ack(leg, p.cseq, answer);
    await p.afterAck();
  }

  /** CANCEL one ringing fork (the SDK answers the CANCEL with 200 and never sends 487). @this {RcEdge} @param {Leg} leg */
  cancelLeg(leg) {
    if (leg.state !== 'early') return;
    leg.state = 'terminated';
    leg.conn.legs.delete(leg.callId);
    this.request(leg, 'CANCEL', { cseq: leg.inviteCseq, branch: leg.inviteBranch, to: leg.remoteHdr.replace(/;\s*tag=[^;]*/, ''), timeoutMs: 8000 });
  }
  /** @this {RcEdge} @param {Call} call */
  cancelForks(call) { call.round++; for (const f of call.forks) this.cancelLeg(f); }

  // ---------------------------------------------------------------- in-dialog requests from clients

  /** Client re-INVITE (hold/unhold/ICE restart/video added or removed). @this {RcEdge} @param {Conn} conn @param {any} msg @param {Leg} leg */
  async onReInvite(conn, msg, leg) {
    this.respond(conn, msg, 100);
    const offer = msg.body;
    const ufrag = (s) => /a=ice-ufrag:(\S+)/.exec(s ?? '')?.[1];
    let answer = null;
    const peer = leg.peer;
    // Video is not anchored here: an offer that adds or removes a stream (its
    // m-lines, live or port 0, RFC 3264 §8.1/§8.2) or has live video goes to
    // the peer, whose answer alone says what it will send.
    const streams = (s) => ((s ?? '').match(/^m=\S+ \d+/gm) ?? []).map((m) => m.replace(/ [1-9]\d*$/, ' live')).join();
    const relay = ufrag(offer) !== ufrag(leg.remoteSdp) || streams(offer) !== streams(leg.remoteSdp) || /^m=video [1-9]/m.test(offer ?? '');
    if (offer && peer && peer.state === 'confirmed' && relay) {
      if (peer.conn.closed) {
        // The peer's phone lost its connection too and has not registered again
        // yet: its end cannot learn the new transport now, and an answer made up
        // here would carry its stale ICE credentials. RFC 3261 §21.4.18: 480, the
        // callee is "currently unavailable"; §14.1: the session stays as it was,
        // and the phone tries again (wasm-web-phone's recovery does, a few times).
        this.trace(conn, 'event', `re-INVITE ${leg.callId}: peer ${peer.conn.instanceId ?? '?'} not reconnected yet, 480`);
        return this.respond(conn, msg, 480, { headers: [['Retry-After', '1']] });
      }
      // ICE restart (reInvite()): the transport changed, so the peer must learn it.
      if (this.cfg.reinviteRelayDelayMs > 0) await sleep(this.cfg.reinviteRelayDelayMs);
      const relayed = await this.reinviteFull(peer, offer);
      if (!relayed.answer) {
        // The peer did not take the offer: most often its own ICE-restart
        // re-INVITE crossed this one (it answers 491, RFC 3261 §14.1), or it is
        // gone. No answer may be made up here: the last SDP this client got from
        // us can be that very crossing offer (a=setup:actpass), and a made-up
        // answer would carry the peer's stale ICE credentials. 491 lets the
        // phone retry after its §14.1 back-off; anything else is 480 + Retry-After.
        const status = relayed.status === 491 ? 491 : 480;
        this.trace(conn, 'event', `re-INVITE ${leg.callId}: the peer answered ${relayed.status || 'nothing'}, ${status}`);
        return this.respond(conn, msg, status, status === 480 ? { headers: [['Retry-After', '1']] } : {});
      }
      answer = relayed.answer;
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
   * @this {RcEdge}
   * @param {string} offer @param {Leg} leg
   */
  localAnswer(offer, leg) {
    const base = leg.localSdp || leg.peer?.remoteSdp;
    if (!base) return null;
    const dir = /a=(sendonly|recvonly|inactive|sendrecv)/.exec(offer ?? '')?.[1] ?? 'sendrecv';
    const mirror = { sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive', sendrecv: 'sendrecv' }[dir];
    return base.replace(/a=(sendonly|recvonly|inactive|sendrecv)/g, `a=${mirror}`);
  }

  /** @this {RcEdge} @param {Conn} conn @param {any} msg */
  onAck(conn, msg) {
    const leg = conn.legs.get(msg.callId);
    if (leg && leg.dir === 'out' && leg.state === 'confirmed' && msg.body) leg.remoteSdp = msg.body;
  }

  /** @this {RcEdge} @param {Conn} conn @param {any} msg */
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

  /** @this {RcEdge} @param {Conn} conn @param {any} msg */
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
}
