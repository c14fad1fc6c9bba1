/**
 * @internal The raw interface of the Emscripten module built from wasm/.
 * Mirrors wasm/bindings.cpp; the shim never uses anything else.
 */
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
  subject: string;
  headers: [string, string][];
  body: string;
  text: string;
}

/** Call events; `call` is the core's call handle. */
export type CoreCallEvent =
  | ({ type: 'event'; name: 'incomingCall'; call: number; callId: string; autoAnswerMs: number; rcSid: string; /** the call this one replaces (RFC 3891), 0 for none */ replaces: number } & CoreMessage)
  | ({ type: 'event'; name: 'callProgress'; call: number; status: number } & CoreMessage)
  | ({ type: 'event'; name: 'callAnswered'; call: number; status: number } & CoreMessage)
  | ({ type: 'event'; name: 'callConfirmed'; call: number } & CoreMessage)
  | { type: 'event'; name: 'callFailed'; call: number; status: number; statusLine: string }
  | { type: 'event'; name: 'callEnded'; call: number; status: number; reason: string }
  | ({ type: 'event'; name: 'reinviteOffer'; call: number } & CoreMessage)
  | { type: 'event'; name: 'reinviteDone'; call: number; status: number; statusLine: string; sdp: string }
  | { type: 'event'; name: 'referDone'; call: number; status: number; statusLine: string }
  | ({ type: 'event'; name: 'referReceived'; call: number; target: string; replaces: string } & CoreMessage)
  | { type: 'event'; name: 'requestDone'; call: number; request: number; status: number; statusLine: string }
  /** An x-rc/agent MESSAGE for this instance (Cln filtered); `call` is 0 when no live call has its Call-ID. */
  | { type: 'event'; name: 'rcMessage'; call: number; cmd: number; sid: string; hdr: [string, string][]; bdy: [string, string][] }
  /** The result INFO of a JSON command (`result` is the JSON text of `response.result`). */
  | { type: 'event'; name: 'rcInfoResult'; call: number; reqid: number; command: string; result: string };

export type CoreEvent =
  | CoreCallEvent
  | { type: 'event'; name: 'registered'; expires: number }
  | { type: 'event'; name: 'registrationFailed'; status: number; message: string }
  | { type: 'event'; name: 'unregistered' }
  | { type: 'event'; name: 'transportDead'; reason: string }
  | { type: 'event'; name: 'dropped'; reason: string }
  /** Final response (or synthetic 408/503, see `detail`) to an app request from sendAppMessage. */
  | ({ type: 'event'; name: 'appResponse'; request: number; detail: string } & CoreMessage)
  | {
      type: 'event';
      name: 'message';
      inbound: boolean;
      subject: string;
      headers: [string, string][];
      body: string;
      text: string;
    };

export interface CoreUaConfig {
  username: string;
  authorizationId: string;
  password: string;
  domain: string;
  instanceId?: string;
  secure?: boolean;
  userAgent?: string;
  registerExpires?: number;
  seedHigh: number;
  seedLow: number;
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
  call?: number;
  callId?: string;
  request?: number;
}

export interface CoreUa {
  invite(params: CoreInvite, now: number): CoreCallResult;
  answer(call: number, sdp: string, now: number): CoreStatus;
  reject(call: number, status: number, now: number): CoreStatus;
  /** RingCentral Cmd 12 (`request` > 0, completes with requestDone) or 603 Decline (`request` 0). */
  decline(call: number, now: number): CoreCallResult;
  hangup(call: number, now: number): CoreStatus;
  hold(call: number, hold: boolean, now: number): CoreStatus;
  reinvite(call: number, sdp: string, toReceive: boolean, now: number): CoreStatus;
  answerReinvite(call: number, sdp: string, now: number): CoreStatus;
  refer(call: number, target: string, now: number): CoreStatus;
  sendRequest(call: number, method: string, contentType: string, body: string, now: number): CoreCallResult;
  /** RingCentral pre-answer command (x-rc MESSAGE); `request` completes with requestDone. */
  rcCommand(call: number, command: RcCommandName, options: RcCommandOptions, now: number): CoreCallResult;
  /** RingCentral JSON INFO command; `request` is the reqid of the rcInfoResult to wait for. */
  rcInfo(call: number, command: string, target: string, now: number): CoreCallResult;
  /** As transferee: NOTIFY the transferor of the new call's status (RFC 3515). */
  referProgress(call: number, status: number, now: number): CoreStatus;
  /** REFER with Replaces pointing at `other`'s dialog (attended transfer, RFC 3891). */
  referReplaces(call: number, other: number, now: number): CoreStatus;
  /** `p-rc-api-call-info` of the call's INVITE as ordered pairs, or null. */
  rcApiCallInfo(call: number): [string, string][] | null;
  /**
   * Send an app-written message: a request on its own non-INVITE client
   * transaction (`request` > 0, completed by appResponse), or a response on the
   * server transaction it answers (`request` 0).
   */
  sendAppMessage(text: string, now: number): CoreCallResult;
  receive(bytes: string, now: number): void;
  tick(now: number): void;
  startRegister(now: number): CoreStatus;
  unregister(now: number): CoreStatus;
  transportClosed(now: number): void;
  poll(): CoreOutput;
  contactHost(): string;
  delete(): void;
}

export interface SipCoreModule {
  Ua: new (config: CoreUaConfig) => CoreUa;
  /** MD5 digest `response` without qop (RFC 2617 §3.2.2). */
  digestResponse(
    username: string, password: string, realm: string, nonce: string, method: string, uri: string,
  ): { ok: boolean; response?: string; message?: string };
  /** Parse one SIP message (as the UA would). */
  parseMessage(text: string): { ok: true } & CoreMessage | { ok: false; message: string };
}

export interface SipCoreModuleOptions {
  locateFile?: (path: string, prefix: string) => string;
  wasmBinary?: ArrayBuffer | Uint8Array;
}
