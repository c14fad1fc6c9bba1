// @ts-check
/**
 * rc-edge registrar: REGISTER with digest challenge, single-use nonces (shared with
 * the INVITE challenge) and +sip.instance bindings.
 *
 * These are methods of RcEdge: edge.mjs copies them onto RcEdge.prototype, so
 * `this` is the RcEdge.
 * @module rc-edge/registrar
 */
import { uriOf, userOf, parseAuth, digestOk, nonce as newNonce } from './sip.mjs';

/** @typedef {import('./edge.mjs').RcEdge} RcEdge */
/** @typedef {import('./model.mjs').Conn} Conn */

export class RegistrarMethods {
  // ---------------------------------------------------------------- registrar

  /** @this {RcEdge} */
  issueNonce() {
    const n = newNonce();
    this.nonces.set(n, Date.now() + 5 * 60 * 1000);
    if (this.nonces.size > 10000) for (const [k, t] of this.nonces) if (t < Date.now()) this.nonces.delete(k);
    return n;
  }
  /** @this {RcEdge} @param {string} n */
  nonceValid(n) { const t = this.nonces.get(n); return !!t && t > Date.now(); }

  /** Live (unexpired) bindings of an extension. @this {RcEdge} @param {string} ext */
  liveBindings(ext) {
    const m = this.bindings.get(ext);
    if (!m) return [];
    return [...m.values()].filter((b) => b.expiresAt > Date.now());
  }

  /**
   * Forget a binding when it expires (unless it was refreshed or replaced meanwhile).
   * @this {RcEdge} @param {Map<string, any>} map the extension's bindings
   * @param {{instanceId: string, conn: Conn, expiresAt: number, timer: any}} b
   */
  armBindingExpiry(map, b) {
    b.timer = setTimeout(() => {
      if (map.get(b.instanceId) !== b) return;
      map.delete(b.instanceId);
      this.trace(b.conn, 'event', `binding ${b.instanceId} expired`);
      this.stateChanged();
    }, Math.max(0, b.expiresAt - Date.now()));
  }

  /** @this {RcEdge} @param {Conn} conn @param {any} msg */
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
    // RFC 3261 §10.3 step 7: a REGISTER with the binding's own Call-ID updates
    // it only with a higher CSeq; "If not, the update MUST be aborted and the
    // request fails" (400 "Invalid CSeq number", as Kamailio's registrar says).
    // A phone that continues its registration from another socket (our
    // multi-tab mode's next leader, autoRecover) keeps the Call-ID and must
    // count on; a new Call-ID simply replaces the binding.
    const prev = map.get(inst);
    if (prev && prev.callId === msg.callId && !(msg.cseqNum > prev.cseq)) {
      this.trace(conn, 'event', `REGISTER for ${inst}: CSeq ${msg.cseqNum} not above the binding's ${prev.cseq} (same Call-ID)`);
      return this.respond(conn, msg, 400, { reason: 'Invalid CSeq number' });
    }
    conn.ext = e;
    conn.instanceId = inst;
    if (requested === 0 || contact.trim() === '*') {
      const b = prev;
      if (b) { clearTimeout(b.timer); map.delete(inst); }
      conn.regExpiresAt = 0;
      this.trace(conn, 'event', `unregistered instance ${inst}`);
      return this.respond(conn, msg, 200);
    }
    for (const [k, b] of map) if (b.expiresAt <= Date.now()) { clearTimeout(b.timer); map.delete(k); }
    if (!map.has(inst) && map.size >= this.cfg.maxInstances) return this.respond(conn, msg, 603);
    const granted = Math.max(1, Math.min(requested, this.cfg.grantExpires));
    if (prev) clearTimeout(prev.timer);
    if (prev && prev.conn !== conn) this.trace(conn, 'event', `instance ${inst} taken over from ${prev.conn.id}`);
    const b = { instanceId: inst, conn, contactUri: uriOf(contact), expiresAt: Date.now() + granted * 1000 + this.cfg.expiryGraceMs, granted, callId: msg.callId, cseq: msg.cseqNum, timer: null };
    this.armBindingExpiry(map, b);
    map.set(inst, b);
    conn.regExpiresAt = b.expiresAt;
    // The instance's calls left on a closed connection of it (a dropped socket,
    // a restarted edge) follow it here: the registration names its new flow.
    this.adoptLegs(conn);
    const contacts = [b, ...[...map.values()].filter((x) => x !== b)]
      .map((x) => `<${x.contactUri}>;+sip.instance="<urn:uuid:${x.instanceId}>";expires=${x === b ? granted : Math.max(0, Math.round((x.expiresAt - Date.now()) / 1000))}`);
    // One Contact header, this binding first (spec §4: the published SDK reads
    // the first expires of the Contact *value*; its parser keeps only the last
    // of repeated headers, so one header per binding made every phone refresh
    // at once whenever another binding had < 3 s left).
    return this.respond(conn, msg, 200, { headers: [['Contact', contacts.join(', ')]] });
  }
}
