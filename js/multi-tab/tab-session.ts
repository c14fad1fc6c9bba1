// The call as every tab of a multi-tab phone sees it: the 2.x CallSession
// API, carried out by the leader tab's real session (README "Multiple tabs").
// In the leader tab it calls that session directly; elsewhere it asks the
// leader. Its fields follow the leader's state; its events are the real
// session's, re-emitted in every tab. It outlives a change of leader: the
// next leader adopts the call and this object goes on.
import type CallSession from '../call-session/index.js';
import type { CallDiagnostics } from '../diagnostics.js';
import type { CallQualityReport } from '../quality/report.js';

type CallState = CallSession['state'];
import EventEmitter from '../event-emitter.js';
import type { SessionView } from './protocol.js';
import type { AnswerOptions, SendDtmfOptions } from '../types.js';

/** Session methods a tab can call on any call (they run in the leader tab). */
export const SESSION_METHODS = [
  'answer', 'progress', 'decline', 'toVoicemail', 'forward', 'confirmReceive', 'startReply', 'reply', 'cancel',
  'hangup', 'hold', 'unhold', 'reInvite', 'mute', 'unmute', 'sendDtmf', 'transfer',
  'startRecording', 'stopRecording', 'flip', 'park', 'changeInputDevice', 'changeOutputDevice',
  'completeWarmTransfer', 'getStats', 'diagnostics',
  'addVideo', 'removeVideo', 'muteVideo', 'unmuteVideo', 'startScreenShare', 'stopScreenShare',
] as const;
export type SessionMethod = (typeof SESSION_METHODS)[number];

/** Methods that take no argument: whatever the app passes (a click event) is dropped. */
export const NO_ARGUMENTS = [
  'decline', 'toVoicemail', 'confirmReceive', 'startReply', 'cancel', 'hangup', 'hold', 'unhold', 'mute', 'unmute',
  'startRecording', 'stopRecording', 'park', 'getStats', 'diagnostics', 'removeVideo', 'muteVideo', 'unmuteVideo',
  'stopScreenShare',
] as const satisfies readonly SessionMethod[];

/** How a TabCallSession reaches the phone (the MultiTabWebPhone). */
export interface SessionHost {
  _invoke(session: TabCallSession, method: SessionMethod, args: unknown[]): Promise<unknown>;
  call(callee: string, callerId?: string): Promise<TabCallSession>;
}

export class TabCallSession extends EventEmitter {
  callId: string;
  direction: 'inbound' | 'outbound';
  state: CallState;
  remoteNumber: string;
  localNumber: string;
  remotePeer: string | undefined;
  localPeer: string | undefined;
  sessionId: string | undefined;
  partyId: string | undefined;
  /** @internal The real session, when this tab is the leader. */
  _local: CallSession | undefined;
  /** @internal */
  _host: SessionHost;

  constructor(host: SessionHost, view: SessionView) {
    super();
    this._host = host;
    this.callId = view.callId;
    this.direction = view.direction;
    this.state = view.state;
    this.remoteNumber = view.remoteNumber;
    this.localNumber = view.localNumber;
    this._update(view);
  }

  /** This call's media is in this tab (it is the leader). */
  get isLocal(): boolean {
    return this._local !== undefined;
  }
  /** The leader tab's media objects; undefined in the other tabs. */
  get mediaStream(): MediaStream | undefined {
    return this._local?.mediaStream;
  }
  get rtcPeerConnection(): RTCPeerConnection | undefined {
    return this._local?.rtcPeerConnection;
  }
  get audioElement(): HTMLAudioElement | undefined {
    return this._local?.audioElement;
  }
  /** The leader tab's video streams (null elsewhere: media stays in the leader tab). */
  get localVideoStream(): MediaStream | null {
    return this._local?.localVideoStream ?? null;
  }
  get remoteVideoStream(): MediaStream | null {
    return this._local?.remoteVideoStream ?? null;
  }
  /** The peer's last offer or answer has video (every tab knows). */
  hasRemoteVideo = false;
  /** Outbound: the callee's early media plays (a 18x with SDP applied), as on the leader's session. */
  earlyMedia = false;
  /** mute() is in force (kept when another tab takes the call over). */
  muted = false;
  /** hold() is in force. */
  held = false;
  /** muteVideo() is in force. */
  videoMuted = false;
  /** startScreenShare() is in force (the share runs in the leader tab). */
  screenSharing = false;

  /**
   * CallSession.warmTransfer from any tab: hold this call, call `target`
   * (both in the leader tab); `complete()` joins them (REFER with Replaces),
   * `cancel()` hangs up the consultation and unholds this call.
   */
  async warmTransfer(
    target: string,
    options: { callerId?: string; timeout?: number } = {},
  ): Promise<{ complete: () => Promise<void>; cancel: () => Promise<void>; newSession: TabCallSession }> {
    await this.hold();
    const newSession = await this._host.call(target, options.callerId);
    return {
      newSession,
      complete: () => this.completeWarmTransfer(newSession, options.timeout),
      cancel: async () => {
        await newSession.hangup();
        await this.unhold();
      },
    };
  }

  /** @internal Take the leader's view of the call. */
  _update(view: SessionView): void {
    this.state = view.state;
    this.remotePeer = view.remotePeer;
    this.localPeer = view.localPeer;
    this.sessionId = view.sessionId;
    this.partyId = view.partyId;
    this.hasRemoteVideo = view.hasRemoteVideo ?? false;
    this.earlyMedia = view.earlyMedia ?? false;
    this.muted = view.muted ?? false;
    this.held = view.held ?? false;
    this.videoMuted = view.videoMuted ?? false;
    this.screenSharing = view.screenSharing ?? false;
    if (view.remoteNumber) this.remoteNumber = view.remoteNumber;
    if (view.localNumber) this.localNumber = view.localNumber;
  }
}

export interface TabCallSession {
  answer(options?: AnswerOptions): Promise<void>;
  /** Inbound: InboundCallSession.progress in the leader tab (183, with early media if asked; the media stays there). */
  progress(options?: { earlyMedia?: boolean } & AnswerOptions): Promise<void>;
  decline(): Promise<void>;
  toVoicemail(): Promise<void>;
  forward(target: string): Promise<void>;
  confirmReceive(): Promise<void>;
  startReply(): Promise<void>;
  reply(arg: string | { replyType: number; [k: string]: unknown }): Promise<unknown>;
  cancel(): Promise<void>;
  hangup(): Promise<void>;
  hold(): Promise<void>;
  unhold(): Promise<void>;
  reInvite(toReceive?: boolean): Promise<void>;
  mute(): Promise<void>;
  unmute(): Promise<void>;
  /** CallSession.sendDtmf in the leader tab; rejects with its Error when the tones cannot be sent. */
  sendDtmf(tones: string, duration?: number, interToneGapOrOptions?: number | SendDtmfOptions): Promise<void>;
  transfer(target: string, timeout?: number): Promise<void>;
  startRecording(): Promise<unknown>;
  stopRecording(): Promise<unknown>;
  flip(target: string): Promise<unknown>;
  park(): Promise<unknown>;
  changeInputDevice(deviceId: string): Promise<void>;
  changeOutputDevice(deviceId: string): Promise<void>;
  completeWarmTransfer(existing: TabCallSession, timeout?: number): Promise<void>;
  /** The call's quality, read where its media is (the leader tab). */
  getStats(): Promise<CallQualityReport>;
  /** The call's redacted diagnostics bundle, from the leader tab. */
  diagnostics(): Promise<CallDiagnostics>;
  /** Video (README "Video and screen share"), carried out in the leader tab; its streams stay there. */
  addVideo(): Promise<void>;
  removeVideo(): Promise<void>;
  muteVideo(): Promise<void>;
  unmuteVideo(): Promise<void>;
  /** Without a stream: the leader tab's getDisplayMedia (a stream cannot cross tabs). */
  startScreenShare(): Promise<void>;
  stopScreenShare(): Promise<void>;
}

for (const method of SESSION_METHODS) {
  (TabCallSession.prototype as unknown as Record<string, unknown>)[method] = function (this: TabCallSession, ...args: unknown[]) {
    return this._host._invoke(this, method, args);
  };
}

/** The leader's view of one of its sessions (undefined until it has a Call-ID). */
export function viewOf(s: CallSession): SessionView | undefined {
  let callId: string;
  try {
    callId = s.callId;
  } catch {
    return undefined;
  }
  if (!callId) return undefined;
  return {
    callId, direction: s.direction, state: s.state, remoteNumber: s.remoteNumber, localNumber: s.localNumber,
    remotePeer: s.remotePeer, localPeer: s.localPeer, sessionId: s.sessionId, partyId: s.partyId,
    hasRemoteVideo: s.hasRemoteVideo, earlyMedia: (s as { earlyMedia?: boolean }).earlyMedia === true,
    muted: s.muted, held: s.held, videoMuted: s.videoMuted, screenSharing: s.screenSharing,
  };
}
