// The diagnostics bundle (README "Diagnostics"): one JSON-ready object a user
// can attach to a support ticket instead of "send webrtc-internals". The
// phone's recent SIP trace, each call's SDP, ICE timeline and stats
// samples, and the build's identity; the whole bundle passes through
// `redact` last, so no password or digest response can be in it.
import type CallSession from './call-session/index.js';
import type { DefaultSipClient, TraceEntry } from './sip-client.js';
import { redactDeep, secretsOf } from './log/redact.js';
import { CORE_COMMIT, CORE_VERSION, WASM_SHA256 } from './version.js';
import type WebPhone from './web-phone.js';

export interface TracedMessage {
  /** ISO time the message was sent or received. */
  time: string;
  direction: 'in' | 'out';
  text: string;
}

export interface CallDiagnostics {
  callId: string;
  direction: 'inbound' | 'outbound';
  state: string;
  endReason: string | undefined;
  remoteNumber: string;
  localSdp: string | undefined;
  remoteSdp: string | undefined;
  /** ICE connection and gathering states, candidates, first media: `{ time (ISO), what }`. */
  iceTimeline: Array<{ time: string; what: string }>;
  /** The watchdog's recent quality reports, then one taken now (while the call lives). */
  stats: unknown[];
  /** This call's SIP messages among the phone's recent trace. */
  sipTrace: TracedMessage[];
}

export interface PhoneDiagnostics {
  generatedAt: string;
  sdk: { name: 'wasm-web-phone'; version: string; commit: string; wasmSha256: string };
  userAgent: string;
  phone: { username: string; domain: string; connectionState: string | undefined; registrations: unknown[] };
  calls: CallDiagnostics[];
  /** The phone's last SIP messages (up to 500), oldest first. */
  sipTrace: TracedMessage[];
}

const traced = (e: TraceEntry): TracedMessage => ({
  time: new Date(e.time).toISOString(),
  direction: e.inbound ? 'in' : 'out',
  text: e.message.text,
});

function traceOf(webPhone: WebPhone): TraceEntry[] {
  const client = webPhone.sipClient as Partial<DefaultSipClient>;
  return typeof client._trace === 'function' ? client._trace() : [];
}

/** Everything the bundle holds, as one redacted copy. */
function redacted<T>(bundle: T, webPhone: WebPhone): T {
  // String by string: inside JSON text a line break is "\r\n" and a quote
  // is escaped, so the Authorization lines and secrets would not be found.
  return redactDeep(bundle, secretsOf(webPhone.sipInfo));
}

/** @internal `CallSession.diagnostics()`: unredacted parts, for the phone bundle to reuse. */
export async function collectCall(session: CallSession, trace: TraceEntry[]): Promise<CallDiagnostics> {
  const pc = session.rtcPeerConnection;
  const monitor = session._monitor();
  const stats: unknown[] = [...(monitor?.samples ?? [])];
  // Its own baseline: a bundle must not shorten the app's next getStats() interval.
  if (session.state !== 'disposed') {
    stats.push(await session.quality.stats().then((s) => session.quality.reportFrom(s, 'diagnostics'), (e: Error) => ({ error: e.message })));
  }
  const callId = session.callId;
  const callTrace = callId ? trace.filter((e) => e.message.get('call-id', (n) => n.toLowerCase()) === callId) : [];
  return {
    callId,
    direction: session.direction,
    state: session.state,
    endReason: session.endReason,
    remoteNumber: session.remoteNumber,
    // An app's webRtcSessionFactory session has no peer connection to ask:
    // then the last SDP each side put on the wire in this call.
    localSdp: pc ? pc.localDescription?.sdp : lastSdp(callTrace, false),
    remoteSdp: pc ? pc.remoteDescription?.sdp : lastSdp(callTrace, true),
    iceTimeline: (monitor?.timeline ?? []).map((t) => ({ time: new Date(t.time).toISOString(), what: t.what })),
    stats,
    sipTrace: callTrace.map(traced),
  };
}

/** The body of the last message with an SDP body sent (or received) in `callTrace`. */
function lastSdp(callTrace: TraceEntry[], inbound: boolean): string | undefined {
  for (let i = callTrace.length - 1; i >= 0; i--) {
    const e = callTrace[i];
    if (e.inbound === inbound && /^application\/sdp\b/i.test(e.message.get('content-type', (n) => n.toLowerCase()) ?? '') && e.message.body) return e.message.body;
  }
  return undefined;
}

export async function callDiagnostics(session: CallSession): Promise<CallDiagnostics> {
  return redacted(await collectCall(session, traceOf(session.webPhone)), session.webPhone);
}

export async function phoneDiagnostics(webPhone: WebPhone): Promise<PhoneDiagnostics> {
  const trace = traceOf(webPhone);
  const client = webPhone.sipClient as Partial<DefaultSipClient>;
  const bundle: PhoneDiagnostics = {
    generatedAt: new Date().toISOString(),
    sdk: { name: 'wasm-web-phone', version: CORE_VERSION, commit: CORE_COMMIT, wasmSha256: WASM_SHA256 },
    userAgent: typeof navigator === 'undefined' ? '' : navigator.userAgent,
    phone: {
      username: webPhone.sipInfo.username,
      domain: webPhone.sipInfo.domain,
      connectionState: client.connectionState,
      registrations: webPhone.registrations,
    },
    calls: await Promise.all(webPhone.callSessions.map((s) => collectCall(s, trace))),
    sipTrace: trace.map(traced),
  };
  return redacted(bundle, webPhone);
}
