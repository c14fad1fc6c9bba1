// Messages between the tabs of one multi-tab phone (README "Multiple tabs").
// One tab, the leader, runs the real phone; every tab (the leader too) shows
// it through the same API. The leader says what is (`state`) and what
// happened (`event`); any tab asks it to act (`cmd`) and hears back
// (`result`). Everything here survives structured cloning.
import type CallSession from '../call-session/index.js';
import { DeviceError, type DeviceErrorCode } from '../device-error.js';
import { RegistrationError } from '../registration-error.js';
import type { RegistrationErrorCode } from '../types.js';

type CallState = CallSession['state'];

/** What every tab knows of a call (the leader's CallSession, flattened). */
export interface SessionView {
  callId: string;
  direction: 'inbound' | 'outbound';
  state: CallState;
  remoteNumber: string;
  localNumber: string;
  remotePeer?: string;
  localPeer?: string;
  sessionId?: string;
  partyId?: string;
  hasRemoteVideo?: boolean;
  earlyMedia?: boolean;
  /** mute() is in force: the tab that leads next keeps the microphone muted. */
  muted?: boolean;
  /** hold() is in force. */
  held?: boolean;
  /** muteVideo() is in force. */
  videoMuted?: boolean;
  /** startScreenShare() is in force. */
  screenSharing?: boolean;
}

/** What every tab knows of the phone. */
export interface PhoneView {
  /** The leader's phone is registered. */
  registered: boolean;
  /** autoRecover's connection state ('idle' without it). */
  connectionState: string;
  /** The last `connectionStateChanged` (autoRecover), for a tab that joins later. */
  connection?: unknown;
  /** Why the phone's last start() failed, until one succeeds: a tab that joins later hears it. */
  startError?: SerializedError;
}

export type TabMessage =
  /** A tab joined: the leader answers with `state`. */
  | { t: 'hello'; from: string }
  /** A tab stood for leader (start()): the leader counts its successors again. */
  | { t: 'join'; from: string }
  /** A tab is leaving on purpose (not sent by a crash). */
  | { t: 'bye'; from: string }
  /**
   * The leader's full state, after every change. `core` is the SIP core's
   * exported state (registration and answered dialogs): the tab that leads
   * next continues from it.
   */
  | { t: 'state'; from: string; phone: PhoneView; sessions: SessionView[]; core?: string }
  /** A phone event (`callId` absent) or a call's event, for every tab to emit. */
  | { t: 'event'; from: string; callId?: string; name: string; args: unknown[]; view?: SessionView }
  /** Ask the leader to act: a phone method (`callId` absent) or a call's. */
  | { t: 'cmd'; from: string; to: string; id: number; callId?: string; method: string; args: unknown[] }
  | { t: 'result'; from: string; to: string; id: number; ok: boolean; value?: unknown; error?: SerializedError; view?: SessionView };

export interface SerializedError {
  name: string;
  message: string;
  /** The class to rebuild: a RegistrationError (whose `name` is "Error", as in 2.x) or a DeviceError. */
  kind?: 'registration' | 'device';
  /** RegistrationError's and DeviceError's fields, when it is one. */
  code?: string;
  deviceId?: string;
  status?: number;
  reason?: string;
  retryAfterMs?: number;
}

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const kind = e instanceof RegistrationError ? 'registration' : e instanceof DeviceError ? 'device' : undefined;
  const { code, status, reason, retryAfterMs, deviceId } = e as Error & Partial<SerializedError>;
  // A DOMException's numeric legacy `code` (8 for NotFoundError) says nothing its name does not.
  return { name: e.name, message: e.message, kind, code: typeof code === 'string' ? code : undefined, deviceId, status, reason, retryAfterMs };
}

/** The error a SerializedError stands for, of its class when it had one of ours. */
export function deserializeError(e: SerializedError): Error {
  if (e.kind === 'registration' || (e.kind === undefined && e.code && e.name === 'Error'))
    return new RegistrationError(e.message, {
      code: e.code as RegistrationErrorCode, status: e.status ?? 0, reason: e.reason ?? '', retryAfterMs: e.retryAfterMs ?? 0,
    });
  if (e.kind === 'device') return new DeviceError(e.code as DeviceErrorCode, e.message, e.deviceId ?? '');
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/**
 * An event argument or a result as another tab can receive it: plain data as
 * is, a SIP message as its text, a session as a reference the receiving tab
 * looks up, an Error as a SerializedError; an object with parts that cannot
 * cross (a MediaStream in videoChanged's argument) keeps the parts that can.
 */
export function serializeArg(arg: unknown): unknown {
  if (arg === null || typeof arg !== 'object') return typeof arg === 'function' ? undefined : arg;
  if (arg instanceof Error) return { __error: serializeError(arg) };
  const o = arg as Record<string, unknown>;
  // A CallSession (or a tab's wrapper of one): it has methods, a diagnostics bundle does not.
  if (typeof o.callId === 'string' && 'direction' in o && typeof o.hangup === 'function') return { __session: o.callId };
  // A SIP message (subject, headers, body): its text. (RcMessage has headers but no subject.)
  if (typeof o.subject === 'string' && 'headers' in o) return String(arg);
  try {
    return structuredClone(arg);
  } catch {
    if (Array.isArray(arg) || Object.getPrototypeOf(arg) !== Object.prototype) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      try {
        out[k] = structuredClone(v);
      } catch {
        /* a MediaStream, a function: stays in the tab that has it */
      }
    }
    return out;
  }
}
