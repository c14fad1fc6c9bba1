// @ts-check
/**
 * rc-edge data model: a client connection (Conn), a telephony session (Session),
 * one SIP dialog between the edge and a client (Leg), and the ringing phase of a
 * call (Call). Plain state holders; the behaviour lives in RcEdge.
 * @module rc-edge/model
 */
import { hex, digits, guid } from './sip.mjs';

let connSeq = 0;
/** One WebSocket connection (one SDK instance). */
export class Conn {
  /** @param {import('ws').WebSocket} ws @param {'ws'|'wss'} transport @param {string} remote */
  constructor(ws, transport, remote) {
    this.id = `c${++connSeq}`;
    this.ws = ws;
    this.transport = transport;
    this.remote = remote;
    /** @type {Ext|null} */ this.ext = null;
    /** The extension the last REGISTER's To named, before one authenticated (traces only). @type {Ext|undefined} */
    this.claimed = undefined;
    /** @type {string|null} */ this.instanceId = null;
    this.regExpiresAt = 0;
    this.closed = false;
    /** @type {Map<string, Leg>} */ this.legs = new Map();
    /** @type {Map<string, {onResponse:(m:any)=>void}>} */ this.pending = new Map();
    /** RFC 5626 CRLF keep-alives: pings received, pongs sent. */
    this.keepAlives = { received: 0, answered: 0 };
  }
}

/**
 * @typedef {Object} Ext
 * @property {string} ext @property {string} name @property {string} username
 * @property {string} authorizationId @property {string} password
 */

/** A telephony session (RC `s-…` id) shared by the legs of one call. */
export class Session {
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
export class Leg {
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
    /** @type {number|undefined} the client's last CSeq in this dialog (RFC 3261 §12.2.2); undefined: none yet */
    this.remoteCseq = undefined;
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
export class Call {
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
    /** A callee's early media (183 with SDP), relayed when `earlyMedia` is on. @type {(leg: Leg, sdp: string) => void} */
    this.onEarly = () => {};
    /** @type {(code: number) => void} */ this.onFail = () => {};
  }
}
