// Types of `wasm-web-phone/testing` (Node only; README "Testing your app").
// Hand-written for js/testing/*.mjs; the kit's consumer e2e type-checks its
// tests against them (e2e/testing-kit).
import type { SipInfo, WebRtcSession, WebRtcVideo } from '../types.js';

export interface TestExtension {
  /** Extension number ("101"). */
  ext: string;
  name: string;
  /** Its phone number (the SIP username). */
  number: string;
  /** What RingCentral's sip-provision returns, for this server. */
  sipInfo: SipInfo & { wsUrl?: string };
}

export interface TestServerOptions {
  /** Extension numbers (2-5 digits), or `{ ext, name }`. Default 101-104. */
  extensions?: Array<string | { ext: string; name?: string }>;
  /** 0 (default) = any free port. */
  ports?: { ws?: number; wss?: number; http?: number };
  /**
   * What `sipInfo()` points at by default: 'wss' (default; what
   * ringcentral-web-phone always opens, the browser must ignore the
   * self-signed certificate) or 'ws' (wasm-web-phone, through `sipInfo.wsUrl`).
   */
  transport?: 'wss' | 'ws';
  /** Edge tunables, as `configure()` takes them. */
  config?: Partial<EdgeTunables>;
  /** URL prefix → directory served over HTTP by the server. */
  static?: Record<string, string>;
  /** Where the self-signed certificate is kept (made with openssl on first use). */
  certDir?: string;
  /** Log every SIP message to the console. */
  debug?: boolean;
}

export interface EdgeTunables {
  /** Seconds granted in a REGISTER 200 OK (60). */
  grantExpires: number;
  /** A binding lives grantExpires × 1000 + this (2000). */
  expiryGraceMs: number;
  /** Distinct instances per extension; one more gets 603 Too Many Contacts (5). */
  maxInstances: number;
  /** true: REGISTERs get no answer at all. */
  outage: boolean;
  /** Unanswered calls are CANCELled after this; the caller gets 480 (60000). */
  ringTimeoutMs: number;
  /** After decline/voicemail the caller keeps ringing this long, then 480 (8000). */
  unansweredFinalMs: number;
  infoResultDelayMs: number;
  notifyGapMs: number;
  /** An ICE-restart re-INVITE waits this long before it is relayed (0). */
  reinviteRelayDelayMs: number;
  /** Relay a callee's 183 with SDP (early media) to the caller as a second 183 (false: the RC SDK fails a call on a second provisional). */
  earlyMedia: boolean;
  [name: string]: unknown;
}

/** One message or event of the server's per-extension SIP trace. */
export interface TraceEntry {
  /** Date.now() when the server sent or received it. */
  t: number;
  /** 'in': sent by the phone; 'out': sent to it; 'event': socket events. */
  dir: 'in' | 'out' | 'event';
  conn: string;
  instance?: string;
  /** The start line ("INVITE sip:… SIP/2.0", "SIP/2.0 200 OK"). */
  line: string;
  text: string;
}

export interface FailRule {
  /** SIP method (REGISTER, INVITE, BYE, …). */
  method: string;
  /** Final status to answer, 300-699. */
  status: number;
  reason?: string;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  /** How many requests to refuse (1). */
  count?: number;
  /** Only requests from (or, for REGISTER, for) this extension. */
  ext?: string;
  /** true: only in-dialog requests (a re-INVITE); false: only initial ones. */
  inDialog?: boolean;
}

export interface ServerState {
  registrations: Array<{ ext: string; instanceId: string; conn: string; connOpen: boolean; contact: string; expiresInMs: number; live: boolean }>;
  legs: Array<{ id: string; ext?: string; callId: string; state: string; peer: string | null; sessionId: string; partyId: string }>;
  parked: Array<{ park: string; callId: string; telephonySessionId: string; ext?: string }>;
  conns: Array<{ id: string; transport: 'ws' | 'wss'; ext: string | null; instanceId?: string; closed: boolean; keepAlives: number }>;
  [name: string]: unknown;
}

export declare class TestServer {
  /** Base URL of the control API (and of the static files). */
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly wssUrl: string;
  /** Why there is no wss:// (a server started with transport 'ws' where openssl is missing); else undefined. */
  readonly wssError?: string;
  readonly domain: string;
  readonly transport: 'wss' | 'ws';
  /** Every extension, with its sipInfo for the default transport. */
  readonly extensions: TestExtension[];
  extension(ext: string, options?: { transport?: 'wss' | 'ws' }): TestExtension;
  /** The sipInfo to give `new WebPhone({ sipInfo })` (a copy). */
  sipInfo(ext: string, options?: { transport?: 'wss' | 'ws' }): SipInfo & { wsUrl?: string };
  /**
   * The server's SIP trace of an extension, a REGISTER not yet authenticated included (under the
   * extension its To names); `'unbound'`: sockets that never sent a REGISTER for a known extension.
   */
  trace(ext: string, options?: { since?: number }): Promise<TraceEntry[]>;
  /**
   * Wait until the trace of `ext` has a matching message, and return it:
   * a request method ("INVITE"), a response status (486), or a predicate.
   */
  waitForMessage(ext: string, match: string | number | ((e: TraceEntry) => boolean),
    options?: { dir?: 'in' | 'out'; since?: number; timeoutMs?: number }): Promise<TraceEntry>;
  clearTrace(): Promise<unknown>;
  state(): Promise<ServerState>;
  configure(patch: Partial<EdgeTunables>): Promise<EdgeTunables>;
  /** Refuse the next matching request(s): 503 + retryAfter to a REGISTER, 491 to a re-INVITE, … */
  failNext(rule: FailRule): Promise<FailRule>;
  /** The result of the next RingCentral call-control command, instead of what the server would do. */
  rcResult(command: 'startcallrecord' | 'stopcallrecord' | 'callflip' | 'callpark',
    result: { code: number; description?: string; [k: string]: unknown }, options?: { count?: number }): Promise<{ ok: true }>;
  /** Kill an extension's sockets (a reset; `graceful`: a 1001 close). */
  drop(ext: string, options?: { instanceId?: string; graceful?: boolean; conn?: string }): Promise<{ dropped: string[] }>;
  outage(on?: boolean): Promise<{ outage: boolean }>;
  hangup(callIdOrSessionId: string): Promise<{ ok: boolean; legs: number }>;
  reinvite(callIdOrSessionId: string, options?: { ext?: string }): Promise<{ ok: boolean }>;
  /**
   * RingCentral call-out: `Alert-Info: Auto Answer` to `ext`, then `to` rings.
   * Resolves once the phone answered (or did not: `ok: false`); rejects for an
   * unknown extension or instance.
   */
  callout(options: { ext: string; to: string; instance?: string; answerAfter?: number; alertInfo?: string }): Promise<{ ok: boolean; callId?: string; sessionId?: string; error?: string }>;
  /** The caller's keypress closing a pending `reply()` (SessionClose: `Sts`, `Resp`, `ExtNfo`). */
  reply(options: { resp: 'yes' | 'no' | 'urgent' | number; ext?: string; sid?: string; sts?: string; extNfo?: string }): Promise<{ ok: true; sid: string }>;
  /** Forget every registration, call and rule, drop every socket, restore the tunables. */
  reset(config?: Partial<EdgeTunables>): Promise<unknown>;
  /** Stop the server if this process started it. */
  close(): Promise<void>;
  /**
   * Any control-API route (e2e/rc-edge/README.md), e.g. `call('POST',
   * '/api/takeover', { agent: '101' })`; a non-2xx answer rejects with its error.
   */
  call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<any>;
  static connect(httpUrl: string, transport?: 'wss' | 'ws'): Promise<TestServer>;
}

/** Start the server in this process, on 127.0.0.1. */
export declare function startTestServer(options?: TestServerOptions): Promise<TestServer>;
/** A client for a server the `wasm-web-phone-test-server` command started; `transport` defaults to its `--transport`. */
export declare function connectTestServer(httpUrl: string, transport?: 'wss' | 'ws'): Promise<TestServer>;
export declare function makeExtensions(list: Array<string | { ext: string; name?: string }>): Array<{ ext: string; name: string; username: string; authorizationId: string; password: string }>;

/**
 * A media session with no media: valid SDP, every request recorded. Its
 * methods are WebRtcSession's (merged in from the interface below), with
 * `receiving()` always present.
 */
export interface FakeWebRtcSession extends WebRtcSession {}
export declare class FakeWebRtcSession {
  constructor(context: { callId: string; direction: 'inbound' | 'outbound'; video?: unknown });
  /** The Call-ID the SDK gave (empty for an outbound call: it is chosen later). */
  readonly callId: string;
  readonly direction: 'inbound' | 'outbound';
  /** The SDP this side sent and received, in order (`pranswer`: a 18x's early answer, applyEarlyAnswer). */
  readonly sdp: Array<{ kind: 'offer' | 'answer' | 'pranswer'; from: 'local' | 'remote'; sdp: string }>;
  muted: boolean;
  readonly dtmf: Array<{ tones: string; duration?: number; interToneGap?: number }>;
  inputDeviceId: string;
  outputDeviceId: string | undefined;
  disposed: boolean;
  remoteDirection: string;
  localDirection: string;
  receiving(): boolean;
  /** README "Video and screen share": the SDK asked for video when it made the session (call/answer with `video`). */
  readonly videoRequested: boolean;
  /** What the SDK asked of `video`, in order: 'send camera', 'send <label>', 'replace <label>', 'replace camera', 'remove', 'reject', 'undo', 'mute', 'unmute'. */
  readonly videoLog: string[];
  /** The video track we send (a FakeVideoTrack unless the app gave one), or null. */
  videoTrack: FakeVideoTrack | { label: string; enabled: boolean } | null;
  videoMuted: boolean;
  /** Our m=video in the next SDP: undefined (none), 9 (live) or 0 (refused or removed). */
  videoPort: 0 | 9 | undefined;
  /** The peer's last SDP sends us video. */
  remoteSendsVideo: boolean;
  /** Its streams are plain objects `{ id, track, getTracks(), getVideoTracks() }` (Node has no MediaStream). */
  readonly video: WebRtcVideo;
  applyEarlyAnswer(answerSdp: string): Promise<void>;
}

/** A video track for Node: `stop()` ends it quietly, `end()` fires `ended` (the browser's "Stop sharing"). */
export declare class FakeVideoTrack extends EventTarget {
  constructor(label: string);
  readonly kind: 'video';
  readonly id: string;
  readonly label: string;
  enabled: boolean;
  readyState: 'live' | 'ended';
  stop(): void;
  end(): void;
}
/** A MediaStream stand-in with one FakeVideoTrack, for `session.startScreenShare(fakeVideoStream())` in Node. */
export declare function fakeVideoStream(label?: string): MediaStream & { track: FakeVideoTrack };

/** A webRtcSessionFactory and deviceManager for `new WebPhone(...)` in Node. */
export declare function fakeMedia(): {
  sessions: FakeWebRtcSession[];
  factory: (context: { callId: string; direction: 'inbound' | 'outbound'; stunServers: string[]; video?: unknown }) => FakeWebRtcSession;
  deviceManager: { getInputDeviceId(): Promise<string>; getOutputDeviceId(): Promise<string | undefined> };
  /** The fake session of a call (the CallSession, or an inbound Call-ID). */
  session(call: string | { webRtcSession?: unknown }): FakeWebRtcSession | undefined;
};

/** A global WebSocket for Node < 22 (the `ws` package, bundled); returns the class in use. */
export declare function useNodeWebSocket(): unknown;

/** Chromium flags for fake media and WebRTC over loopback. */
export declare const CHROMIUM_ARGS: string[];
export declare function chromiumExecutable(bundled?: string): string | undefined;
export declare function launchOptions(options?: { bundled?: string; args?: string[] }): { executablePath?: string; args: string[] };
