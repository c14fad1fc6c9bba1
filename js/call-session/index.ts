// CallSession (spec §2.5): one inbound or outbound call attempt. All SIP and
// dialog work is done by the core (through `CallCore`); this class keeps the
// ringcentral-web-phone API, drives media, and turns core call events into
// session events and settled promises.
import EventEmitter from '../event-emitter.js';
import { EventWaiters } from '../event-waiters.js';
import type { CoreCallEvent } from '../core/sip-core.js';
import type { WebRtcSession } from '../media/web-rtc-session.js';
import { initMedia } from './call-media.js';
import { callDiagnostics, type CallDiagnostics } from '../diagnostics.js';
import { runSdpHandlers } from '../media/media-options.js';
import type { CallMonitor, MediaConnectionStateChange } from '../quality/call-monitor.js';
import type { CallQualityReport } from '../quality/report.js';
import { CallQuality } from './call-quality.js';
import { CallVideo } from './call-video.js';
import { answerReinvite, awaitingReconnect, changeHold, offerAnew, recoverMedia } from './call-reinvite.js';
import { doSendDtmf } from './call-dtmf.js';
import { TRANSFER_TIMEOUT_MS, actAsTransferee, doCompleteWarmTransfer, doTransfer, doWarmTransfer } from './call-transfer.js';
import { doSendJsonCommand } from './call-rc-info.js';
import type { VideoRequest } from '../media/video.js';
import InboundMessage from '../sip-message/inbound.js';
import type { CallCore, PeerInfo } from './call-core.js';
import type { DtmfEvent, SendDtmfOptions } from '../types.js';
import type WebPhone from '../web-phone.js';
import { CANCELLED_BEFORE_INVITE } from './end-reasons.js';

export type CallState = 'init' | 'ringing' | 'answered' | 'disposed' | 'failed';

export type RcResult = { code: number; description: string; [key: string]: unknown };

export default class CallSession extends EventEmitter {
  webPhone: WebPhone;
  sipMessage: InboundMessage | undefined;
  localPeer: string | undefined;
  remotePeer: string | undefined;
  state: CallState = 'init';
  direction: 'inbound' | 'outbound' = 'outbound';
  inputDeviceId: string | undefined;
  outputDeviceId: string | undefined;
  rtcPeerConnection: RTCPeerConnection | undefined;
  audioElement: HTMLAudioElement | undefined;
  webRtcSession: WebRtcSession | undefined;
  _mediaStream: MediaStream | undefined;

  /** @internal core call handle */
  _call: number | undefined;
  /** @internal */
  protected _callId: string | undefined;
  protected peer: PeerInfo = {};
  private waiters = new EventWaiters<CoreCallEvent>();

  constructor(webPhone: WebPhone) {
    super();
    this.webPhone = webPhone;
  }

  get core(): CallCore {
    return this.webPhone._callCore();
  }

  get mediaStream(): MediaStream | undefined {
    return this._mediaStream;
  }
  set mediaStream(stream: MediaStream | undefined) {
    this._mediaStream = stream;
    this.emit('mediaStreamSet', stream);
  }

  get callId(): string {
    return this._callId ?? '';
  }
  get sessionId(): string | undefined {
    return this.peer.sessionId || undefined;
  }
  get partyId(): string | undefined {
    return this.peer.partyId || undefined;
  }
  get remoteNumber(): string {
    return this.peer.remoteUser ?? '';
  }
  get localNumber(): string {
    return this.peer.localUser || this.webPhone.sipInfo.username;
  }
  get remoteTag(): string | undefined {
    return this.peer.remoteTag || undefined;
  }
  get localTag(): string | undefined {
    return this.peer.localTag || undefined;
  }
  get isConference(): boolean {
    return this.remoteNumber.startsWith('conf_');
  }

  /**
   * Prepare media: the SDK-managed browser session or the app's factory (spec
   * §6.1, §6.7). wasm-web-phone: `video` opens the camera too.
   */
  init(video?: VideoRequest): Promise<void> {
    return initMedia.call(this, video);
  }

  // --- our SDP and the peer's (README "Codecs, bandwidth and SDP hooks") -----

  /**
   * The SDP the media session made, as it goes on the wire: the core applies
   * codecPreferences and bandwidth (`offer`: the peer's offer it answers, so
   * the answer stays within it), then the app's sdpHandlers run. Throws why.
   */
  protected wireSdp(sdp: string, kind: 'offer' | 'answer', offer = '', rejectVideo = false): string {
    const r = this.core.ua().rewriteSdp(sdp, offer, rejectVideo);
    if (!r.ok) throw new Error(`${kind}: ${r.message}`);
    return runSdpHandlers(this.webPhone._media?.handlers ?? [], r.sdp, kind, 'local');
  }
  /** The peer's SDP through the app's sdpHandlers, before the media session gets it. Throws why. */
  protected peerSdp(sdp: string, kind: 'offer' | 'answer'): string {
    return runSdpHandlers(this.webPhone._media?.handlers ?? [], sdp, kind, 'remote');
  }

  // --- call quality (README "Call quality") ------------------------------------

  /** @internal */
  readonly quality: CallQuality = new CallQuality(this);
  /**
   * This call's quality now: RTT, jitter and loss both ways, bitrate, audio
   * levels, codec, the selected candidate pair, an estimated MOS, and the
   * call's time to INVITE and to media. Loss and bitrate cover the time
   * since the previous report of this call.
   */
  getStats(): Promise<CallQualityReport> {
    return this.quality.report();
  }

  /**
   * One JSON-ready bundle for a support ticket: this call's SIP messages,
   * SDP, ICE timeline and stats samples, redacted (README "Diagnostics").
   */
  diagnostics(): Promise<CallDiagnostics> {
    return callDiagnostics(this);
  }

  /** @internal The quality monitor (diagnostics reads its timeline and samples). */
  _monitor(): CallMonitor | undefined {
    return this.quality.monitor;
  }

  /** @internal Which directions should carry media now (the watchdog judges only those). */
  expectedMedia(): { inbound: boolean; outbound: boolean } {
    return this.quality.expectedMedia();
  }

  private onMediaConnectionState(change: MediaConnectionStateChange): void {
    this.emit('mediaConnectionStateChanged', change);
    // ICE gave up on every candidate pair (RFC 8445 §8.1.2): with autoRecover,
    // restart it through a re-INVITE, as after a lost connection. With the
    // socket down too, the core asks for that once registered again.
    if (change.state === 'failed' && this.webPhone.options.autoRecover && this.state === 'answered' && !awaitingReconnect(this))
      void recoverMedia.call(this);
  }

  /**
   * @internal Multi-tab takeover: continue an answered call of the tab that
   * led before (core `callAdopted`). Its media went with that tab: this tab
   * makes its own now, and the core's `recoverMedia` (after the phone has
   * registered) re-INVITEs the peer with it.
   */
  _adopt(e: CoreCallEvent & { name: 'callAdopted' }): void {
    this._call = e.call;
    this._callId = e.callId;
    this.state = 'answered';
    this.adopted = true;
    // Held in the tab that led: held here too (`held`, and the media
    // restart below keeps it so), until unhold().
    this.quality.localHeld = e.held;
    this.updatePeer(e as unknown as PeerInfo);
    // The call's video m-line comes along, received only: the re-INVITE
    // offers as many m-lines as the call had (RFC 3264 §8).
    const video = e.media.split(' ').slice(1).includes('video');
    this.answerApplied = this.init()
      .then(() => { if (video) this.webRtcSession?.video?.receive?.(); })
      .catch(() => undefined); // a failure shows in the re-INVITE
  }
  /** Continued from another tab: its peer is not recovering, nobody else re-INVITEs. */
  private adopted = false;

  /** @internal Settles once the remote answer of our INVITE is applied (outbound calls). */
  protected answerApplied: Promise<void> = Promise.resolve();
  /** @internal call() has resolved but the browser is still applying the answer. */
  protected answerPending = false;

  protected media(): WebRtcSession {
    if (!this.webRtcSession) throw new Error('WebRTC session is not initialized');
    return this.webRtcSession;
  }

  /** @internal Feed a core call event for this call. */
  _handleCoreEvent(e: CoreCallEvent): void {
    if ('localPeer' in e || 'remotePeer' in e) this.updatePeer(e as unknown as PeerInfo);
    // The peer's offer or answer: whether it has video (the core read it).
    // (An offerless re-INVITE says nothing about video: no SDP.)
    if (e.name === 'callAnswered' || (e.name === 'reinviteOffer' && e.sdp) || (e.name === 'reinviteDone' && e.status < 300)) this._video.setPeer(e.video);
    this.waiters.feed(e);
    if (e.name === 'reinviteOffer') this.peerOfferAnswered = answerReinvite.call(this, e);
    if (e.name === 'referReceived') void actAsTransferee.call(this, e);
    if (e.name === 'recoverMedia') void recoverMedia.call(this);
    if (e.name === 'dtmfReceived') this.emit('dtmf', { digit: e.digit, duration: e.duration, transport: 'info' } satisfies DtmfEvent);
    if (e.name === 'callEnded') this.ended(e.reason);
  }

  protected updatePeer(info: PeerInfo): void {
    for (const [k, v] of Object.entries(info)) {
      if (v !== undefined && v !== '' && k in emptyPeer) (this.peer as Record<string, string>)[k] = v as string;
    }
    this.localPeer = this.peer.localPeer ?? this.localPeer;
    this.remotePeer = this.peer.remotePeer ?? this.remotePeer;
  }

  /** Resolve with the first core event for this call that `match` accepts. */
  protected waitFor<T extends CoreCallEvent>(match: (e: CoreCallEvent) => e is T, timeoutMs?: number): Promise<T>;
  protected waitFor(match: (e: CoreCallEvent) => boolean, timeoutMs?: number): Promise<CoreCallEvent>;
  protected waitFor(match: (e: CoreCallEvent) => boolean, timeoutMs?: number): Promise<CoreCallEvent> {
    return this.waiters.wait(match, timeoutMs);
  }

  protected requireCall(action: string): number {
    if (this._call === undefined || this.state === 'disposed')
      throw new Error(`${action}: the call has ended (state: ${this.state})`);
    return this._call;
  }

  /** End the call: BYE when answered, CANCEL while an outbound call rings, 603 for a ringing inbound call. */
  async hangup(): Promise<void> {
    if (this.state === 'disposed') return;
    if (this._call === undefined && this.direction === 'outbound' && this.state === 'init') {
      // call() is still setting up media: no INVITE is on the wire, so
      // nothing goes out; call() sees the session ended and sends none.
      this.ended(CANCELLED_BEFORE_INVITE);
      return;
    }
    const call = this.requireCall('hangup');
    const ended = this.waitFor((e) => e.name === 'callEnded' || e.name === 'callFailed');
    this.core.check(this.core.ua().hangup(call, performance.now()), 'hangup');
    // RFC 3261 §15.1.1: the session is over once the BYE (or CANCEL) is
    // passed on, "stop sending or listening for media": not when its answer
    // comes, which a dead socket or a peer yet to ACK delays by up to 32 s
    // while the far end would still hear the microphone.
    this.releaseMedia();
    await ended;
  }

  /** Media, quality monitor and video stopped, once (hangup(), then dispose()). */
  private releaseMedia(): void {
    if (this.mediaReleased) return;
    this.mediaReleased = true;
    this.quality.stop();
    this._video.dispose();
    this.webRtcSession?.dispose();
  }
  private mediaReleased = false;

  /** wasm-web-phone: true while we hold this call (hold() succeeded, unhold() not yet). */
  get held(): boolean {
    return this.quality.localHeld;
  }

  /** Put the remote party on hold: re-INVITE with our media `sendonly` (RFC 3264 §8.4). */
  hold(): Promise<void> {
    return changeHold.call(this, true);
  }

  unhold(): Promise<void> {
    return changeHold.call(this, false);
  }

  /** New offer with an ICE restart (network change), `sendonly` unless `toReceive` (spec §7.8). */
  async reInvite(toReceive = true): Promise<void> {
    return offerAnew.call(this, toReceive, true, 'reInvite');
  }

  // The re-INVITE state that call-reinvite.ts reads and writes:
  /** The answer to the peer's last re-INVITE (answerReinvite), once given. */
  private peerOfferAnswered: Promise<void> = Promise.resolve();
  /** When we last accepted the peer's re-INVITE offer (performance.now()). */
  private peerReinviteAnsweredAt = -1;
  /** recoverMedia() is under way. */
  private mediaRecovery = false;

  mute(): void {
    this.media().setMuted(true);
    this._muted = true;
  }

  unmute(): void {
    this.media().setMuted(false);
    this._muted = false;
  }

  /** wasm-web-phone: true while mute() is in force (unmute() not yet). */
  get muted(): boolean {
    return this._muted;
  }
  /** @internal */
  _muted = false;
  /**
   * @internal Multi-tab takeover of a call that was muted: muted from the
   * first track of the media this tab opens for it.
   */
  _keepMuted(): void {
    this._muted = true;
    this.webRtcSession?.setMuted(true);
  }

  // --- video and screen share (README "Video and screen share") ------------------

  /** @internal */
  readonly _video: CallVideo = new CallVideo(this);
  /** @internal A re-INVITE with the media session's new offer (no ICE restart), its answer applied. */
  _renegotiate(what: string): Promise<void> {
    return offerAnew.call(this, !this.held, false, what); // a held call stays held (the core makes it sendonly)
  }
  /** wasm-web-phone: the video we send (camera or screen), or null. */
  get localVideoStream(): MediaStream | null {
    return this._video.local;
  }
  /** wasm-web-phone: the peer's video we receive, or null. */
  get remoteVideoStream(): MediaStream | null {
    return this._video.remote;
  }
  /** wasm-web-phone: the peer's last offer or answer has live video (the core read it; inbound: the INVITE's offer). */
  get hasRemoteVideo(): boolean {
    return this._video.peer !== '';
  }
  /** wasm-web-phone: muteVideo() is in force. */
  get videoMuted(): boolean {
    return this._video.muted;
  }
  /** wasm-web-phone: startScreenShare() is in force. */
  get screenSharing(): boolean {
    return this._video.sharing;
  }
  /**
   * wasm-web-phone: start sending video (the camera, or `options.track`) by
   * re-INVITE: on the call's video m-line or a new one (RFC 3264 §8.1).
   * Rejects (and sends no video) when the peer refuses the offer.
   */
  addVideo(options?: { track?: MediaStreamTrack }): Promise<void> {
    this.requireCall('addVideo');
    return this._video.add('addVideo', options?.track);
  }
  /** wasm-web-phone: end video both ways by re-INVITE (port 0, RFC 3264 §8.2); the camera closes. */
  removeVideo(): Promise<void> {
    this.requireCall('removeVideo');
    return this._video.remove();
  }
  /** wasm-web-phone: the peer gets black frames (`track.enabled`); no SIP. */
  muteVideo(): void {
    this._video.setMuted(true);
  }
  unmuteVideo(): void {
    this._video.setMuted(false);
  }
  /**
   * wasm-web-phone: send the screen (`getDisplayMedia`) or `stream`'s video
   * track in place of the camera, with no re-INVITE (replaceTrack); a call
   * without video gains it by re-INVITE first. Emits `screenShareStarted`.
   */
  startScreenShare(stream?: MediaStream): Promise<void> {
    this.requireCall('startScreenShare');
    return this._video.startShare(stream);
  }
  /**
   * wasm-web-phone: back to the camera (no re-INVITE), or no video when the
   * call had none before sharing (re-INVITE). Also done by itself when the
   * shared track ends (the browser's "Stop sharing"). Emits `screenShareEnded`.
   */
  stopScreenShare(): Promise<void> {
    return this._video.stopShare();
  }

  /**
   * Send DTMF. By default as RFC 4733 telephone-events through the browser's
   * RTCDTMFSender (spec §6.4), no SIP sent: `tones` `0-9 A-D * #`, and `,`
   * for a 2 s pause; `duration` (default 100 ms) and `interToneGap`
   * (default 70 ms) as in `RTCDTMFSender.insertDTMF`, which replaces tones
   * still waiting from an earlier call. The promise resolves at once.
   *
   * wasm-web-phone: with `transport: 'info'` (the third argument as options,
   * or the phone's `dtmfTransport` option) each digit goes as one SIP INFO
   * (`application/dtmf-relay`, `Signal=<digit>`, `Duration=<ms>`), the next
   * once the one before is answered; the promise resolves when the last is
   * answered 2xx and rejects with the first refusal's status line (the
   * digits after it are not sent). `,` pauses and `interToneGap` do not apply.
   *
   * @throws Error when the tones cannot be sent now, where
   * ringcentral-web-phone 2.x drops them silently: invalid characters; the
   * call has ended; it has no media yet (an inbound call not answered); or
   * the browser cannot insert DTMF: not connected yet (no answer applied),
   * put on hold by the other side (our media direction `recvonly` or
   * `inactive`), or telephone-event not accepted by the other side. With a
   * `webRtcSessionFactory`, the app's `WebRtcSession.sendDtmf` decides.
   * Tones sent between call() resolving and the browser applying the answer
   * wait for it; if they cannot be sent then, the session emits `mediaError`
   * with the Error.
   */
  sendDtmf(tones: string, duration?: number, interToneGapOrOptions?: number | SendDtmfOptions): Promise<void> {
    return doSendDtmf.call(this, tones, duration, interToneGapOrOptions);
  }

  async changeInputDevice(deviceId: string): Promise<void> {
    await this.media().changeInputDevice(deviceId);
    this.inputDeviceId = deviceId; // only once it is the one in use
  }

  /**
   * Play the call on another output. Rejects with a `DeviceError`:
   * `NotSupported` where the browser has no `setSinkId`, `NotFound` for an
   * unknown id, `NotAllowed` (README "Devices").
   */
  async changeOutputDevice(deviceId: string): Promise<void> {
    await this.media().changeOutputDevice(deviceId);
    this.outputDeviceId = deviceId;
  }

  /** Blind transfer (REFER, RFC 3515); resolves when the server ends our leg (spec §7.10). */
  transfer(target: string, timeout = TRANSFER_TIMEOUT_MS): Promise<void> {
    return doTransfer.call(this, target, timeout);
  }

  /**
   * @internal The app's action that ends this call other than by a hangup,
   * while it runs and after it succeeded (the call history's `result`; the
   * core reports a declined or forwarded RingCentral call as cancelled).
   */
  _ending: 'decline' | 'reply' | 'voicemail' | 'forward' | 'transfer' | undefined;

  /** @internal Note `_ending` while `action` runs; forget it if it fails. */
  protected async ending<T>(what: NonNullable<CallSession['_ending']>, action: () => Promise<T>): Promise<T> {
    this._ending = what;
    try {
      return await action();
    } catch (e) {
      this._ending = undefined;
      throw e;
    }
  }

  // --- RingCentral JSON INFO commands (spec §7.12) -----------------------------

  startRecording(): Promise<RcResult> {
    return this.sendJsonCommand('startcallrecord');
  }

  stopRecording(): Promise<RcResult> {
    return this.sendJsonCommand('stopcallrecord');
  }

  /** Flip the call to another of the user's numbers; the app hangs up after it rings there. */
  flip(target: string): Promise<RcResult> {
    return this.sendJsonCommand('callflip', String(target));
  }

  /** Park the call; on success the SDK hangs up, as the original does. */
  async park(): Promise<RcResult> {
    const result = await this.sendJsonCommand('callpark');
    if (result.code === 0) await this.hangup();
    return result;
  }

  protected sendJsonCommand(command: string, target = ''): Promise<RcResult> {
    return doSendJsonCommand.call(this, command, target);
  }

  // --- warm transfer (spec §7.11) ------------------------------------------------

  /** Hold this call, call `target`; `complete()` joins them, `cancel()` hangs up and unholds. */
  warmTransfer(
    target: string,
    options: { callerId?: string; timeout?: number } = {},
  ): Promise<{ complete: () => Promise<void>; cancel: () => Promise<void>; newSession: CallSession }> {
    return doWarmTransfer.call(this, target, options);
  }

  /** REFER this call's peer to `existing`'s peer (Refer-To with Replaces, RFC 3891). */
  completeWarmTransfer(existing: CallSession, timeout = TRANSFER_TIMEOUT_MS): Promise<void> {
    return doCompleteWarmTransfer.call(this, existing, timeout);
  }

  /** @internal The core reports the call is over (BYE, CANCEL, failure, our hangup). */
  protected ended(reason: string): void {
    this.endReason = reason;
    this.webPhone._removeSession(this);
    this.dispose();
  }

  /**
   * Why the call ended, as the core said it ("remote hangup", "local hangup",
   * "connection lost and not recovered in time", …); also the `disposed`
   * event's argument. Undefined while the call lives, or when the app disposed it.
   */
  endReason: string | undefined;

  dispose(): void {
    if (this.state === 'disposed') return;
    this.state = 'disposed';
    this.releaseMedia();
    this.emit('disposed', this.endReason);
    this.removeAllListeners();
    // Whatever an action still waits for can no longer come: settle it.
    this.waiters.rejectAll(new Error('the call has ended'));
  }
}

const emptyPeer: Required<PeerInfo> = {
  localPeer: '', remotePeer: '', localTag: '', remoteTag: '', localUser: '', remoteUser: '',
  partyId: '', sessionId: '',
};
