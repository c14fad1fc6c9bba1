// Public types, named as in ringcentral-web-phone 2.x (`/types`, spec §2.3).
import type EventEmitter from './event-emitter.js';
import type InboundMessage from './sip-message/inbound.js';
import type SipMessage from './sip-message/index.js';
import type { CoreLoadOptions } from './core/loader.js';
import type { WebRtcSession, WebRtcSessionFactory } from './media/web-rtc-session.js';
import type { CallDiagnostics, PhoneDiagnostics, TracedMessage } from './diagnostics.js';
import type { IceOptions } from './media/ice-options.js';
import type { BandwidthOptions, CodecPreferences, SdpHandler } from './media/media-options.js';
import type { LogEntry, LogHandler, LogLevel } from './log/logger.js';
import type { CallQualityOptions, MediaConnectionStateChange } from './quality/call-monitor.js';
import type { CallHistory } from './history/call-history.js';
import type { Ringer } from './ringer.js';
import type { CallQualityReport, CandidateInfo } from './quality/report.js';
import type { MediaStall } from './quality/watchdog.js';
import type { VideoRequest, WebRtcVideo } from './media/video.js';

export interface SipInfo {
  /** Digest username; default instance id. */
  authorizationId: string;
  /** AOR host, registrar and digest realm, e.g. `sip.ringcentral.com`. */
  domain: string;
  /**
   * WebSocket host[:port]; the SDK opens `wss://<outboundProxy>` with the `sip`
   * subprotocol. wasm-web-phone also accepts a full `ws://…` or `wss://…` URL
   * here (e.g. `ws://127.0.0.1:25080` for a loopback test server).
   */
  outboundProxy: string;
  outboundProxyBackup?: string;
  /** wasm-web-phone: full WebSocket URL of the primary server; wins over `outboundProxy`. */
  wsUrl?: string;
  /** User part of our AOR. */
  username: string;
  password: string;
  /** `host:port` STUN servers. */
  stunServers?: string[];
  [extra: string]: unknown;
}

export interface SipClientOptions {
  sipInfo: SipInfo;
  /**
   * @internal Multi-tab takeover (`wasm-web-phone/multi-tab`): the previous
   * leader's exported core state; this phone continues its registration and
   * adopts its answered calls.
   */
  _coreState?: string;
  /** Stable per-device id for `+sip.instance` (RFC 5626); default `authorizationId`. */
  instanceId?: string;
  /** Log every SIP message to the console (with digest secrets and the password masked). */
  debug?: boolean;
  /**
   * wasm-web-phone: the lowest level delivered (README "Logs"). Default
   * `'warn'` (`'debug'` with `debug: true`).
   */
  logLevel?: LogLevel;
  /** wasm-web-phone: receives every log entry instead of the console; entries are already redacted. */
  logHandler?: LogHandler;
  /** wasm-web-phone: where to load `sip-core.wasm` from (default: next to the SDK). */
  wasm?: CoreLoadOptions;
  /**
   * wasm-web-phone: keep a started phone connected (README "Self-healing").
   * After the first successful registration, a lost socket, a server that
   * stops answering keep-alives or a refused re-registration is met with
   * reconnects (jittered exponential backoff, failover to
   * `sipInfo.outboundProxyBackup`), a new REGISTER with the same binding and
   * an ICE-restart re-INVITE for each call. `true` takes every default.
   * Off (the default), a lost socket stays lost, as in ringcentral-web-phone.
   */
  autoRecover?: boolean | AutoRecoverOptions;
  /**
   * wasm-web-phone: content types of inbound instant messages the app takes
   * (README "Messages, presence and busy lamps"); others are refused with
   * 415. Default `['text/plain']`; the wildcard type (star, slash, star) takes every type.
   */
  messageTypes?: string[];
  /**
   * wasm-web-phone: SIP session timers (RFC 4028; README "Session timers").
   * Every INVITE and every 2xx to one lists `Supported: timer`; our INVITEs
   * ask for `expires` seconds (default 1800; 0 asks for none but still
   * honours a peer that asks), and an interval below `minSE` (default and
   * floor 90) is refused with 422. The core refreshes or, when the peer stops
   * refreshing, ends the call ("session timer expired").
   */
  sessionTimers?: SessionTimerOptions;
  /**
   * wasm-web-phone: codecs our SDP lists, preferred first, by rtpmap name
   * (README "Codecs, bandwidth and SDP hooks"): `{ audio: ['opus', 'PCMU'] }`
   * lists only those (telephone-event always stays); a last `'*'` keeps the
   * others after them. Checked at construction.
   */
  codecPreferences?: CodecPreferences;
  /** wasm-web-phone: `{ audio: kbps }`: `b=AS`/`b=TIAS` in our `m=audio` and our sender's bitrate cap. */
  bandwidth?: BandwidthOptions;
}

/** `sessionTimers` settings, in seconds. */
export interface SessionTimerOptions {
  /** Session-Expires our INVITEs ask for; 0 = none. Default 1800. */
  expires?: number;
  /** The shortest interval we accept (Min-SE). Default 90, never lower. */
  minSE?: number;
}

/** `autoRecover` settings; durations in ms (names after Ribbon's `connectivity`). */
export interface AutoRecoverOptions {
  /** First reconnect delay. Default 1000. */
  reconnectDelay?: number;
  /** Each later delay is multiplied by this. Default 2. */
  reconnectTimeMultiplier?: number;
  /** Delays stop growing here. Default 10000. */
  reconnectTimeLimit?: number;
  /** Attempts per outage before `failed`; 0 = unlimited (the default). */
  reconnectLimit?: number;
  /** Each delay varies by ± this fraction (0–1), so phones do not return all at once. Default 0.2. */
  jitter?: number;
  /** RFC 5626 CRLF keep-alive period; each keep-alive goes at a random 80–100 % of it (§4.4.1). 0 = none. Default 25000. */
  pingInterval?: number;
  /** A server that answers keep-alives and then stays silent this long is dead. Default 10000. */
  pongTimeout?: number;
  /** Failed attempts on the primary before one on `outboundProxyBackup`. Default 2. */
  failoverAfter?: number;
  /** Idle (no calls) on the backup this long: move back to the primary; 0 = stay. Default 300000. */
  primaryReturnDelay?: number;
  /** Calls not recovered within this time after the loss end (reason on `disposed`). Default 60000. */
  callRecoveryWindow?: number;
  /**
   * An attempt whose socket is not open by then is given up (a stopped server still accepts TCP).
   * Default 10000; 0 waits for the browser. It also bounds `start()`'s own socket, which is given
   * 10 s when `autoRecover` is off.
   */
  connectTimeout?: number;
}

/** `connectionStateChanged`'s argument. */
export interface ConnectionStateChange {
  state: 'idle' | 'connected' | 'waiting' | 'connecting' | 'failed';
  server: 'primary' | 'backup';
  /** waiting/connecting: attempt number in this outage */
  attempt: number;
  /** waiting: ms until the attempt */
  delay: number;
  reason: string;
}

/**
 * `RegistrationError.code` (core/reg/registration.hpp `RegFailure`; a test
 * keeps the two lists equal). What each asks of the app: README
 * "Registration errors".
 */
export type RegistrationErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'tooManyContacts'
  | 'intervalTooBrief'
  | 'timeout'
  | 'transport'
  | 'serverError'
  | 'rejected';

/** One binding of our AOR as the registrar's last REGISTER 2xx lists it (RFC 3261 §10.3). */
export interface RegistrationBinding {
  /** The Contact URI (`sip:101@abc.invalid;transport=wss`). */
  uri: string;
  /** Seconds left, as the registrar said (0 if it did not say). */
  expires: number;
  /** The `+sip.instance` URN (`urn:uuid:…`), when the binding has one. */
  instance?: string;
  /** This phone's binding (our instance id or our Contact). */
  ours: boolean;
}

export interface SipClient extends EventEmitter {
  start(): Promise<void>;
  /** wasm-web-phone: the bindings of the last REGISTER 2xx; [] when not registered. */
  readonly registrations?: RegistrationBinding[];
  dispose(): Promise<void>;
  /** Send an app-written request; resolves with its final response. */
  request?(msg: SipMessage | string): Promise<InboundMessage>;
  /** Send an app-written response. */
  reply?(msg: SipMessage | string): Promise<void>;
}

export interface DeviceManager {
  getInputDeviceId(): Promise<string>;
  getOutputDeviceId(): Promise<string | undefined>;
  /** wasm-web-phone, optional: the camera for video calls; undefined (or no method): the browser's default. */
  getVideoInputDeviceId?(): Promise<string | undefined>;
}

/** wasm-web-phone: how DTMF is sent (README "DTMF"). */
export type DtmfTransport = 'rfc4733' | 'info';
/** wasm-web-phone: `session.sendDtmf(tones, duration, options)`. */
export interface SendDtmfOptions {
  /** RFC 4733 only: the gap between tones, ms (default 70). */
  interToneGap?: number;
  /** Overrides the phone's `dtmfTransport` for this call of sendDtmf. */
  transport?: DtmfTransport;
}
/**
 * wasm-web-phone: an outbound session's `progress` event, for each
 * provisional response while it rings (after `ringing` for the first).
 * `earlyMedia`: the callee's early media plays (a 18x carried an early
 * answer, now applied; see `OutboundCallSession.earlyMedia`).
 */
export interface ProgressEvent {
  status: number;
  reason: string;
  earlyMedia: boolean;
}
/** wasm-web-phone: the session's `dtmf` event: a key the peer pressed, reported by SIP INFO. */
export interface DtmfEvent {
  /** `0-9 * # A-D`, or `!` for flash */
  digit: string;
  /** ms; 0 when the INFO gave none */
  duration: number;
  transport: 'info';
}

export type WebPhoneOptions = SipClientOptions & {
  sipClient?: SipClient;
  deviceManager?: DeviceManager;
  autoAnswer?: boolean;
  /** Delegated media (spec §6.7): the SDK keeps SIP, the app owns WebRTC. */
  webRtcSessionFactory?: WebRtcSessionFactory;
  /**
   * wasm-web-phone: per-call quality monitoring (README "Call quality"):
   * periodic `qualityReport` events and the media watchdog
   * (`mediaStalled` / `mediaResumed`). The watchdog is on by default.
   */
  callQuality?: CallQualityOptions;
  /**
   * wasm-web-phone: ICE gathering for the SDK-managed media (README "ICE"):
   * TURN servers, relay-only policy, candidate pool, and how long call setup
   * waits for candidates (default 2000 ms cap, 300 ms after the first
   * srflx/relay candidate).
   */
  ice?: IceOptions;
  /**
   * wasm-web-phone: the app's SDP hooks, in order: local SDP after the
   * core's rewriting, just before it is sent; remote SDP before the browser
   * gets it. A hook that throws or returns no string fails the call/answer.
   */
  sdpHandlers?: SdpHandler[];
  /**
   * wasm-web-phone: record every call of this phone (README "Call history").
   * A `CallHistory` from `wasm-web-phone/call-history`, with the store of
   * your choice; off by default. Also `webPhone.callHistory`.
   */
  callHistory?: CallHistory;
  /**
   * wasm-web-phone: ring inbound calls on an output of your choice (README
   * "Devices"). A `Ringer` from `wasm-web-phone/ringer`; off by default, as
   * in ringcentral-web-phone. Also `webPhone.ringer`.
   */
  ringer?: Ringer;
  /**
   * wasm-web-phone: how `session.sendDtmf` sends by default: `'rfc4733'`
   * (default, telephone-events in the RTP, what RingCentral takes) or
   * `'info'` (one SIP INFO per digit, for servers that want it).
   */
  dtmfTransport?: DtmfTransport;
  /**
   * wasm-web-phone: video the peer adds by re-INVITE is accepted receive-only
   * (`true`, the default: `videoChanged` hands over its stream, and
   * `addVideo()` sends ours too) or refused with port 0 (`false`). README
   * "Video and screen share".
   */
  acceptVideo?: boolean;
};

/** `webPhone.call(callee, callerId, options)`. */
export interface CallOptions {
  /** Extra headers on the INVITE. */
  headers?: Record<string, string>;
  /** wasm-web-phone: offer video too, with our camera (constraints if an object). */
  video?: VideoRequest;
}
/** wasm-web-phone: `inboundSession.answer(options)`. */
export interface AnswerOptions {
  /** Send our camera on the offered video (constraints if an object); without it the offered video is refused (port 0). */
  video?: VideoRequest;
}
/** wasm-web-phone: the session's `videoChanged` event (also its `localVideoStream`, `remoteVideoStream`, `hasRemoteVideo`). */
export interface VideoChange {
  /** What we send (camera or screen), null when we send no video. */
  local: MediaStream | null;
  /** The peer's video we receive, null when none. */
  remote: MediaStream | null;
  /** The peer's last offer or answer has live video. */
  hasRemoteVideo: boolean;
}

/** `devicesChanged`'s argument: the browser's audio devices after a `devicechange`. */
export interface DevicesChange {
  inputs: MediaDeviceInfo[];
  outputs: MediaDeviceInfo[];
}

export type {
  DialogInfo, DialogStateEntry, DialogStateName, InstantMessage, MessageDelivery, PresenceStatus, PublishPresenceOptions,
  SendMessageOptions, SubscribeOptions, SubscriptionStateChange,
} from './usages/types.js';
export type { Subscription } from './usages/subscription.js';
export type { MessageError } from './usages/message-error.js';
export type { DeviceError, DeviceErrorCode } from './device-error.js';
export type { Ringer, RingerOptions } from './ringer.js';

export type {
  CallDiagnostics, CallQualityOptions, CallQualityReport, CandidateInfo, IceOptions, PhoneDiagnostics, TracedMessage, InboundMessage, LogEntry, LogHandler, LogLevel, MediaConnectionStateChange, MediaStall, WebRtcSession,
  WebRtcSessionFactory, VideoRequest, WebRtcVideo,
};
