// @ts-check
/**
 * rc-edge transfers: REFER (blind, warm with Replaces, private park) and the INVITEs
 * that take over existing calls (Replaces / call switch, park retrieval, *83 takeover).
 *
 * These are methods of RcEdge: edge.mjs copies them onto RcEdge.prototype, so
 * `this` is the RcEdge.
 * @module rc-edge/transfers
 */
import { HOST } from './config.mjs';
import { uriOf, userOf, hex, digits } from './sip.mjs';
import { sleep } from './sleep.mjs';

/** @typedef {import('./edge.mjs').RcEdge} RcEdge */
/** @typedef {import('./model.mjs').Conn} Conn */
/** @typedef {import('./model.mjs').Leg} Leg */
/** @typedef {import('./model.mjs').Ext} Ext */

export class TransferMethods {
  // ---------------------------------------------------------------- REFER

  /** @this {RcEdge} @param {Conn} conn @param {any} msg */
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
   * @this {RcEdge}
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

  /** Find an established leg by telephony session id or Call-ID, preferring legs of `ext`. @this {RcEdge} @param {string} id @param {string} [ext] */
  findLeg(id, ext) {
    const all = [...this.conns.values()].flatMap((c) => [...c.legs.values()]).filter((l) => l.state === 'confirmed');
    const match = all.filter((l) => l.session.id === id || l.callId === id);
    return match.find((l) => l.ext?.ext === ext) ?? match[0];
  }

  /**
   * INVITE with a Replaces header: "switch call to this device", or private-park retrieval
   * (R-URI `prk<id>`). @this {RcEdge} @param {Leg} a @param {string} replaces @param {(code:number)=>void} fail
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

  /** Dialled `*<park ext>`. @this {RcEdge} @param {Leg} a @param {string} parkExt @param {(code:number)=>void} fail */
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
   * @this {RcEdge}
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
}
