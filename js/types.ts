// Public types, named as in ringcentral-web-phone 2.x (`/types`, spec §2.3).
import type EventEmitter from './event-emitter.js';
import type InboundMessage from './sip-message/inbound.js';
import type SipMessage from './sip-message/index.js';
import type { CoreLoadOptions } from './core/loader.js';
import type { WebRtcSession, WebRtcSessionFactory } from './media/web-rtc-session.js';

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
  /** Stable per-device id for `+sip.instance` (RFC 5626); default `authorizationId`. */
  instanceId?: string;
  /** Log every SIP message to the console. */
  debug?: boolean;
  /** wasm-web-phone: where to load `sip-core.wasm` from (default: next to the SDK). */
  wasm?: CoreLoadOptions;
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
}

export type WebPhoneOptions = SipClientOptions & {
  sipClient?: SipClient;
  deviceManager?: DeviceManager;
  autoAnswer?: boolean;
  /** Delegated media (spec §6.7): the SDK keeps SIP, the app owns WebRTC. */
  webRtcSessionFactory?: WebRtcSessionFactory;
};

export type { InboundMessage, WebRtcSession, WebRtcSessionFactory };
