// Messages between the tabs of one multi-tab phone (README "Multiple tabs").
// One tab, the leader, runs the real phone; every tab (the leader too) shows
// it through the same API. The leader says what is (`state`) and what
// happened (`event`); any tab asks it to act (`cmd`) and hears back
// (`result`). Everything here survives structured cloning.
import type CallSession from '../call-session/index.js';

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
}

/** What every tab knows of the phone. */
export interface PhoneView {
  /** The leader's phone is registered. */
  registered: boolean;
  /** autoRecover's connection state ('idle' without it). */
  connectionState: string;
  /** The last `connectionStateChanged` (autoRecover), for a tab that joins later. */
  connection?: unknown;
}

export type TabMessage =
  /** A tab joined: the leader answers with `state`. */
  | { t: 'hello'; from: string }
  /** A tab is leaving on purpose (not sent by a crash). */
  | { t: 'bye'; from: string }
  /**
   * The leader's full state, after every change. `core` is the SIP core's
   * exported state (registration and answered dialogs): the tab that leads
   * next continues from it.
   */
  | { t: 'state'; from: string; phone: PhoneView; sessions: SessionView[]; core?: string }
  /** A phone event (`callId` absent) or a call's event, for every tab to emit. */
  | { t: 'event'; from: string; callId?: string; name: string; args: unknown[] }
  /** Ask the leader to act: a phone method (`callId` absent) or a call's. */
  | { t: 'cmd'; from: string; to: string; id: number; callId?: string; method: string; args: unknown[] }
  | { t: 'result'; from: string; to: string; id: number; ok: boolean; value?: unknown; error?: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  /** RegistrationError's fields, when it is one. */
  code?: string;
  status?: number;
  reason?: string;
  retryAfterMs?: number;
}

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const { code, status, reason, retryAfterMs } = e as Error & Partial<SerializedError>;
  return { name: e.name, message: e.message, code, status, reason, retryAfterMs };
}

/**
 * An event argument as another tab can receive it: plain data as is, a SIP
 * message as its text, anything else (a session, a MediaStream) as undefined
 * unless it has a `callId` (a session: the receiving tab looks it up).
 */
export function serializeArg(arg: unknown): unknown {
  if (arg === null || typeof arg !== 'object') return typeof arg === 'function' ? undefined : arg;
  if (arg instanceof Error) return { __error: serializeError(arg) };
  const callId = (arg as { callId?: unknown }).callId;
  if (typeof callId === 'string' && 'direction' in arg) return { __session: callId };
  if (typeof (arg as { toString?: unknown }).toString === 'function' && 'headers' in arg) return String(arg);
  try {
    return structuredClone(arg);
  } catch {
    return undefined;
  }
}
