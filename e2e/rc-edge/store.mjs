// @ts-check
/**
 * rc-edge state store: what a real edge keeps in a store shared by its
 * processes (and by the next process after a crash) so that registrations and
 * established calls outlive the process that accepted them. Here the store is
 * one JSON file (`EdgeOptions.stateFile`), rewritten whenever the state may
 * have changed and read once at start.
 *
 * Kept: the run-time config, the bindings (+sip.instance, contact, expiry,
 * the registration's Call-ID and CSeq),
 * and every established (confirmed) leg with its dialog (Call-ID, tags,
 * route set stand-ins, CSeq, both SDPs, its peer) and telephony session, plus
 * parked calls. Not kept: the connections themselves (a WebSocket dies with
 * the process; the phones open new ones), nonces, ringing calls and every
 * transaction in flight (a ringing call is lost with the process, as on a
 * server without replicated transaction state), traces.
 *
 * After a restart each kept leg sits on a closed stand-in connection of its
 * instance until the phone registers again as that instance; the call then
 * follows it to the new connection (registrar.mjs / calls.mjs adoptLegs), as
 * on a server with RFC 5626 flow recovery.
 *
 * These are methods of RcEdge: edge.mjs copies them onto RcEdge.prototype, so
 * `this` is the RcEdge.
 * @module rc-edge/store
 */
import fs from 'node:fs';
import path from 'node:path';
import { Conn, Leg, Session } from './model.mjs';
import { parse, serialize } from './sip.mjs';

/** @typedef {import('./edge.mjs').RcEdge} RcEdge */

/** Bump when the file's shape changes; a file of another version is ignored. */
const VERSION = 1;

export class StoreMethods {
  /**
   * The state may have changed: write it once the current burst of work (this
   * frame and the microtasks it queued) is done. No-op without a state file.
   * @this {RcEdge}
   */
  stateChanged() {
    if (!this.opts.stateFile || this.storeQueued) return;
    this.storeQueued = true;
    setImmediate(() => { this.storeQueued = false; this.writeState(); });
  }

  /** Write the state file now if it changed (atomically: a crash leaves the old or the new file). @this {RcEdge} */
  writeState() {
    const file = this.opts.stateFile;
    if (!file) return;
    const text = JSON.stringify(this.stateSnapshot());
    if (text === this.storeLastText) return;
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, file);
      this.storeLastText = text;
    } catch (e) {
      this.warn(`state file ${file} not written: ${/** @type {Error} */ (e).message}`);
    }
  }

  /** The persistent part of the state as plain JSON data. @this {RcEdge} */
  stateSnapshot() {
    const now = Date.now();
    const bindings = [];
    for (const [ext, m] of this.bindings) {
      for (const b of m.values()) {
        if (b.expiresAt <= now) continue;
        bindings.push({ ext, instanceId: b.instanceId, contactUri: b.contactUri, expiresAt: b.expiresAt, granted: b.granted, callId: b.callId, cseq: b.cseq, transport: b.conn.transport });
      }
    }
    const legs = [...this.conns.values()].flatMap((c) => [...c.legs.values()]).filter((l) => l.state === 'confirmed' && l.conn.instanceId);
    /** @type {Map<Session, number>} */ const sessions = new Map();
    for (const l of legs) if (!sessions.has(l.session)) sessions.set(l.session, sessions.size);
    const legData = legs.map((l) => ({
      instanceId: l.conn.instanceId, transport: l.conn.transport, ext: l.ext?.ext ?? null, session: sessions.get(l.session),
      dir: l.dir, partyId: l.partyId, callId: l.callId, localTag: l.localTag, remoteTag: l.remoteTag,
      localHdr: l.localHdr, remoteHdr: l.remoteHdr, remoteTarget: l.remoteTarget, cseq: l.cseq,
      peer: l.peer ? legs.indexOf(l.peer) : -1, remoteSdp: l.remoteSdp, localSdp: l.localSdp,
      hasPrc: l.hasPrc, label: l.label, flipping: l.flipping,
      invite: l.invite ? serialize(l.invite.startLine, l.invite.headers.map((h) => [h.name, h.value]), l.invite.body) : null,
    }));
    const sessionData = [...sessions.keys()].map((s) => ({ hex: s.hex, sid: s.sid, req: s.req, agent: s.agent, parties: s.parties, recording: s.recording, createdAt: s.createdAt }));
    const parked = [...this.parked.entries()].filter(([, p]) => legs.includes(p.leg))
      .map(([k, p]) => ({ park: k, leg: legs.indexOf(p.leg), parker: p.parker, since: p.since, kind: p.kind }));
    return { version: VERSION, savedAt: now, config: this.cfg, bindings, sessions: sessionData, legs: legData, parked };
  }

  /**
   * Load the state file, if there is one, into a freshly constructed edge
   * (before it listens). A missing file is an empty store; an unreadable one
   * is reported and ignored.
   * @this {RcEdge}
   */
  restoreState() {
    const file = this.opts.stateFile;
    if (!file || !fs.existsSync(file)) return;
    let st;
    try { st = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { this.warn(`state file ${file} unreadable, starting empty: ${/** @type {Error} */ (e).message}`); return; }
    if (st?.version !== VERSION) { this.warn(`state file ${file} has version ${st?.version}, not ${VERSION}: starting empty`); return; }
    const now = Date.now();
    this.cfg = { ...this.cfg, ...st.config };
    /** One closed stand-in connection per instance: where its calls wait for it. */
    /** @type {Map<string, Conn>} */ const ghosts = new Map();
    const ghost = (/** @type {string} */ ext, /** @type {string} */ instanceId, /** @type {'ws'|'wss'} */ transport) => {
      let c = ghosts.get(instanceId);
      if (!c) {
        c = new Conn(/** @type {any} */ (null), transport, 'restored');
        c.closed = true;
        c.ext = this.exts.find((e) => e.ext === ext) ?? null;
        c.instanceId = instanceId;
        ghosts.set(instanceId, c);
        this.conns.set(c.id, c);
      }
      return c;
    };
    let nb = 0;
    for (const d of st.bindings ?? []) {
      if (d.expiresAt <= now) continue;
      let map = this.bindings.get(d.ext);
      if (!map) this.bindings.set(d.ext, (map = new Map()));
      const b = { instanceId: d.instanceId, conn: ghost(d.ext, d.instanceId, d.transport), contactUri: d.contactUri, expiresAt: d.expiresAt, granted: d.granted, callId: d.callId, cseq: d.cseq, timer: null };
      this.armBindingExpiry(map, b);
      map.set(d.instanceId, b);
      nb++;
    }
    const sessions = (st.sessions ?? []).map((d) => Object.assign(new Session(), d));
    // A call is kept only for instances still registered: a phone whose binding
    // expired is gone, and nothing could reach its end of the call.
    const legs = (st.legs ?? []).map((d) => {
      const live = this.bindings.get(d.ext ?? '')?.has(d.instanceId);
      if (!live) return null;
      const conn = ghost(d.ext, d.instanceId, d.transport);
      const l = new Leg(conn, d.dir, sessions[d.session], true);
      Object.assign(l, {
        partyId: d.partyId, callId: d.callId, localTag: d.localTag, remoteTag: d.remoteTag, localHdr: d.localHdr,
        remoteHdr: d.remoteHdr, remoteTarget: d.remoteTarget, cseq: d.cseq, remoteSdp: d.remoteSdp, localSdp: d.localSdp,
        hasPrc: d.hasPrc, label: d.label, flipping: d.flipping, state: 'confirmed',
      });
      l.ext = this.exts.find((e) => e.ext === d.ext) ?? null;
      if (d.invite) { try { l.invite = parse(d.invite); } catch { /* keep null */ } }
      conn.legs.set(l.callId, l);
      return l;
    });
    (st.legs ?? []).forEach((d, i) => { const l = legs[i]; if (l && d.peer >= 0) l.peer = legs[d.peer] ?? null; });
    for (const p of st.parked ?? []) {
      const leg = legs[p.leg];
      if (leg) this.parked.set(p.park, { leg, parker: p.parker, since: p.since, kind: p.kind });
    }
    this.info(`restored from ${file}: ${nb} binding(s), ${legs.filter(Boolean).length} call leg(s), ${this.parked.size} parked (saved ${now - st.savedAt} ms ago)`);
  }
}
