/**
 * @internal The outputs and commands of the core as js/core/abi.ts decodes
 * them from wasm/abi.cpp; the shim never uses anything else.
 */
import type { WireMessage } from './wire-message.js';
import type { RegistrationBinding, RegistrationErrorCode } from '../types.js';
export type { RegistrationBinding };
export interface CoreStatus {
  ok: boolean;
  code?: string;
  message?: string;
  status?: number;
}

export type CoreOutput =
  | { type: 'transmit'; bytes: string }
  | { type: 'timeout'; at: number; reason: string }
  | CoreEvent;

/** A SIP message as the core describes it (the shim never parses SIP text). */
export interface CoreMessage {
  msg: WireMessage;
}

/**
 * The live video of an SDP the peer sent, as its author states its direction
 * (core/sdp live_direction); '' when it has none (not offered, or port 0).
 */
export type CoreVideo = '' | 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** Call events; `call` is the core's call handle. */
export type CoreCallEvent =
  | ({ type: 'event'; name: 'incomingCall'; call: number; callId: string; /** the offer: the body, or the SDP part of a multipart body ('' for none) */ sdp: string; autoAnswerMs: number; rcSid: string; /** the call this one replaces (RFC 3891), 0 for none */ replaces: number; video: CoreVideo } & CoreMessage)
  /** `early`: the body is a fork's early answer not heard before (core/call/call_early.cpp): apply it as `pranswer`. */
  | ({ type: 'event'; name: 'callProgress'; call: number; status: number; early: boolean; /** the SDP in it ('' for none) */ sdp: string } & CoreMessage)
  | ({ type: 'event'; name: 'callAnswered'; call: number; status: number; video: CoreVideo; /** the SDP in it ('' for none) */ sdp: string } & CoreMessage)
  | ({ type: 'event'; name: 'callConfirmed'; call: number; /** the ACK's SDP ('' for none) */ sdp: string } & CoreMessage)
  | { type: 'event'; name: 'callFailed'; call: number; status: number; statusLine: string }
  | { type: 'event'; name: 'callEnded'; call: number; status: number; reason: string }
  | ({ type: 'event'; name: 'reinviteOffer'; call: number; video: CoreVideo; /** the offer ('' for none), of a re-INVITE or of an UPDATE (RFC 3311) */ sdp: string } & CoreMessage)
  | { type: 'event'; name: 'reinviteDone'; call: number; status: number; statusLine: string; sdp: string; /** the answer's, on 2xx */ video: CoreVideo }
  | { type: 'event'; name: 'referDone'; call: number; status: number; statusLine: string }
  | ({ type: 'event'; name: 'referReceived'; call: number; target: string; replaces: string } & CoreMessage)
  | { type: 'event'; name: 'requestDone'; call: number; request: number; status: number; statusLine: string }
  /** An x-rc/agent MESSAGE for this instance (Cln filtered); `call` is 0 when no live call has its Call-ID. */
  | { type: 'event'; name: 'rcMessage'; call: number; cmd: number; sid: string; hdr: [string, string][]; bdy: [string, string][] }
  /**
   * The result INFO of a JSON command (`result` is the JSON text of `response.result`), or, with
   * `status`, the failure answer (>= 300) to the command's INFO: no result follows.
   */
  | { type: 'event'; name: 'rcInfoResult'; call: number; reqid: number; command: string; result: string; status?: number; statusLine?: string }
  /** The peer pressed a key: an INFO with a DTMF body, answered 200 by the core. `digit` `0-9 * # A-D`, `!` for flash; `duration` ms, 0 when not given. */
  | { type: 'event'; name: 'dtmfReceived'; call: number; digit: string; duration: number }
  /** Recovery: the phone registered again and this call survived; restart its media (ICE restart re-INVITE). */
  | { type: 'event'; name: 'recoverMedia'; call: number }
  /**
   * An answered call taken over by `CoreUa.importState` (issue #13): `call`
   * is the handle it had in the exporting UA, `callId` its SIP Call-ID; the
   * peer fields are those its incomingCall/callAnswered carried. `held`: our
   * last SDP had every stream sendonly/inactive. Its media is gone: expect
   * `recoverMedia` for it after the first registration.
   */
  | ({ type: 'event'; name: 'callAdopted'; call: number; callId: string; direction: 'inbound' | 'outbound'; held: boolean; media: string } & CorePeer);

/** Both ends of a call (core/call PeerInfo), as call events carry them. */
export interface CorePeer {
  localPeer: string; remotePeer: string; localTag: string; remoteTag: string;
  localUser: string; remoteUser: string; partyId: string; sessionId: string;
}

export type CoreEvent =
  | CoreCallEvent
  /**
   * `bindings`: the 2xx's bindings, a line each, `<expires> <ours 0|1> <uri>
   * <instance>` (wasm/abi.cpp); `parseBindings` (core/abi.ts) reads it.
   */
  | { type: 'event'; name: 'registered'; expires: number; bindings: string }
  /** `code`: core/reg RegFailure's name; `retryAfterMs` 0 when the server sent no Retry-After. */
  | { type: 'event'; name: 'registrationFailed'; status: number; message: string; code: RegistrationErrorCode; reason: string; retryAfterMs: number }
  | { type: 'event'; name: 'unregistered' }
  | { type: 'event'; name: 'transportDead'; reason: string }
  /** Recovery (core/flow/supervisor.hpp): a connection state change; server 0 primary, 1 backup. */
  | { type: 'event'; name: 'connectionState'; state: 'idle' | 'connected' | 'waiting' | 'connecting' | 'failed'; server: number; attempt: number; delay: number; reason: string }
  /** Recovery: open a socket to the primary (0) or backup (1) server. */
  | { type: 'event'; name: 'openTransport'; server: number }
  /** Recovery: close the current socket (a silent server, a refused registration). */
  | { type: 'event'; name: 'closeTransport'; reason: string }
  /** Recovery: registered again after an outage. */
  | { type: 'event'; name: 'recovered' }
  | { type: 'event'; name: 'dropped'; reason: string }
  /** Final response (or synthetic 408/503, see `detail`) to an app request from sendAppMessage. */
  | ({ type: 'event'; name: 'appResponse'; request: number; detail: string } & CoreMessage)
  | { type: 'event'; name: 'message'; inbound: boolean; message: WireMessage }
  | CoreUsageEvent;

/** Messages, subscriptions and publications (core/event/, wasm/abi.cpp). */
export type CoreUsageEvent =
  /** The final response to sendMessage's MESSAGE (a synthetic 408/503 sets `detail`). */
  | { type: 'event'; name: 'messageOutcome'; request: number; status: number; reason: string; detail: string }
  /** An inbound plain MESSAGE the core accepted (and answered 200). */
  | { type: 'event'; name: 'messageReceived'; from: string; displayName: string; to: string; contentType: string; body: string; callId: string }
  /** `state`: core/event SubState's name; retryAfterMs from a terminated NOTIFY. */
  | { type: 'event'; name: 'subscription'; sub: number; state: 'pending' | 'active' | 'terminated'; reason: string; status: number; expiresIn: number; retryAfterMs: number }
  /** A NOTIFY body of a package the core does not read itself (or could not). */
  | { type: 'event'; name: 'notify'; sub: number; event: string; contentType: string; body: string }
  /** A PIDF NOTIFY, read by the core (core/pres/pidf.hpp). */
  | { type: 'event'; name: 'presence'; sub: number; entity: string; open: boolean; note: string; activity: string; contact: string }
  /** One dialog of a dialog-info NOTIFY (core/pres/dialog_info.hpp); its `dialogInfo` follows the last. */
  | { type: 'event'; name: 'dialog'; sub: number; id: string; callId: string; localTag: string; remoteTag: string; direction: 'unknown' | 'initiator' | 'recipient'; state: 'trying' | 'proceeding' | 'early' | 'confirmed' | 'terminated'; event: string; code: number; localIdentity: string; localDisplay: string; remoteIdentity: string; remoteDisplay: string; remoteTarget: string; /** the local target (our Contact) */ contact: string }
  | { type: 'event'; name: 'dialogInfo'; sub: number; entity: string; version: number; full: boolean }
  /** `request`: the newest publish generation (wwp_publish's result) a `published` state includes. */
  | { type: 'event'; name: 'publication'; event: string; state: 'published' | 'removed' | 'failed'; status: number; reason: string; expiresIn: number; request: number };

export interface CoreUaConfig {
  username: string;
  authorizationId: string;
  password: string;
  domain: string;
  instanceId?: string;
  secure?: boolean;
  userAgent?: string;
  registerExpires?: number;
  /** RFC 4028 Session-Expires we ask for, seconds; 0 = ask for none (default 1800). */
  sessionExpires?: number;
  /** RFC 4028 Min-SE, seconds (default and floor 90). */
  minSE?: number;
  seedHigh: number;
  seedLow: number;
  /** Keep the phone connected (core/flow/supervisor.hpp); absent: off. Durations in ms. */
  recovery?: {
    baseDelay: number; multiplierPct: number; maxDelay: number; maxAttempts: number; jitterPct: number;
    keepAliveInterval: number; keepAliveTimeout: number; failoverAfter: number; hasBackup: boolean;
    primaryReturn: number; callGrace: number; connectTimeout: number;
  };
}

export interface CoreInvite {
  callee: string;
  callerId?: string;
  headers?: [string, string][];
  sdp: string;
}

export type RcCommandName = 'confirm' | 'decline' | 'voicemail' | 'forward' | 'startReply' | 'reply';

export interface RcCommandOptions {
  target?: string;
  reply?: { type?: string; direction?: string; delay?: number; unit?: string; text?: string };
}

export interface CoreCallResult extends CoreStatus {
  /** wwp_subscribe's subscription id */
  sub?: number;
  call?: number;
  callId?: string;
  request?: number;
}

export type { CoreUa, SipCore as SipCoreModule } from './abi.js';
