// Video of the SDK-managed media session (README "Video and screen share"):
// the camera, the RTCPeerConnection's video transceiver and the peer's video.
// The browser writes every SDP; video is steered only through its APIs:
//  - adding video puts a track on a transceiver, so the browser's next offer
//    has a live m=video (RFC 3264 §8.1: a new m-line goes at the end);
//  - removing it stops the transceiver: the next offer keeps the m-line with
//    port 0 (§8.2). An offered video we refuse is stopped before the answer,
//    so nothing flows; the browser still writes that m-line live (`inactive`,
//    Chromium 156), and the core gives it port 0 on the wire (§6: "To reject
//    an offered stream, the port number ... MUST be set to zero");
//  - screen share replaces the sender's track: no SDP changes at all.
// What the peer's SDP holds is the core's to say (the call events' `video`).
import type { DeviceManager } from '../types.js';

/** `video` of call()/answer(): the camera, with these constraints when an object. */
export type VideoRequest = boolean | MediaTrackConstraints;

/**
 * A WebRtcSession's video (optional: a `webRtcSessionFactory` session without
 * it makes calls without video, and the video methods reject).
 */
export interface WebRtcVideo {
  /** Send `track` (default: the camera, opened now) from the next offer on: on the video m-line, or a new one. */
  send(track?: MediaStreamTrack): Promise<void>;
  /** The offer `send` prepared was refused: back to the video there was before it. */
  undo(): Promise<void>;
  /** End video both ways: every video m-line gets port 0 in the next offer; the camera closes. */
  remove(): void;
  /** Called after the peer's offer is applied and before the answer: stop the video we do not send on. */
  reject(): void;
  /**
   * Optional: a video m-line we only receive on (`recvonly`) in the next
   * offer, unless there is one. A call taken over from another tab offers
   * as many m-lines as it had (RFC 3264 §8: "the number of m lines MUST NOT
   * be less"); the camera stays off until `send()`.
   */
  receive?(): void;
  /** Send `track` instead, with no renegotiation (screen share); without one, the camera again. */
  replace(track?: MediaStreamTrack): Promise<void>;
  /** Disable or enable what we send (`track.enabled`; the peer gets black frames). Carries over to a replaced track. */
  setMuted(muted: boolean): void;
  /** Our video (null while the call has none we send) and the peer's (null while we receive none). */
  streams(): { local: MediaStream | null; remote: MediaStream | null };
  /** Set by the call: `streams()` may have changed (an exchange completed, a track came or went). */
  onchange?: () => void;
}

const isVideo = (t: RTCRtpTransceiver) => t.receiver.track?.kind === 'video';
const stopped = (t: RTCRtpTransceiver) => t.direction === 'stopped' || t.currentDirection === 'stopped';
const flows = (d: RTCRtpTransceiverDirection | null | undefined, way: 'send' | 'recv') => d === 'sendrecv' || d === `${way}only`;

export class BrowserVideo implements WebRtcVideo {
  onchange?: () => void;
  private camera: MediaStreamTrack | undefined;
  /** The track on the sender (the camera, or the app's / the screen's). */
  private sending: MediaStreamTrack | undefined;
  private muted = false;
  private before: { t: RTCRtpTransceiver; added: boolean; direction: RTCRtpTransceiverDirection; track: MediaStreamTrack | null } | undefined;
  private shown = { local: null as MediaStream | null, remote: null as MediaStream | null };

  constructor(
    private readonly pc: RTCPeerConnection,
    private readonly deviceManager: DeviceManager,
    /** The microphone's stream: our video is sent in it too (one `a=msid` stream, RFC 8830), so the peer can sync them. */
    private readonly audioStream: () => MediaStream | undefined,
    private readonly request: VideoRequest = true,
  ) {
    pc.addEventListener('track', (e) => isVideo(e.transceiver) && this.changed());
    pc.addEventListener('signalingstatechange', () => pc.signalingState === 'stable' && this.negotiated());
  }

  /** The video transceiver in use (not stopped). */
  private transceiver(): RTCRtpTransceiver | undefined {
    return this.pc.getTransceivers().find((t) => isVideo(t) && !stopped(t));
  }

  private async openCamera(): Promise<MediaStreamTrack> {
    if (this.camera?.readyState === 'live') return this.camera;
    const id = await this.deviceManager.getVideoInputDeviceId?.().catch(() => undefined);
    const asked = typeof this.request === 'object' ? this.request : {};
    const stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: id ? { ...asked, deviceId: { exact: id } } : { ...asked } });
    if (this.closed) {
      // The call ended while the browser opened it: nobody would stop it,
      // and its light would stay on.
      stream.getTracks().forEach((t) => t.stop());
      throw new Error('the call ended while its camera was opening');
    }
    return (this.camera = stream.getVideoTracks()[0]);
  }

  async send(track?: MediaStreamTrack): Promise<void> {
    const next = track ?? (await this.openCamera());
    next.enabled = !this.muted;
    const t = this.transceiver();
    const stream = this.audioStream();
    if (t) {
      // The peer's video we only receive (recvonly), or one we stopped sending on.
      this.before = { t, added: false, direction: t.direction, track: t.sender.track };
      await t.sender.replaceTrack(next);
      if (stream) t.sender.setStreams?.(stream);
      t.direction = 'sendrecv';
    } else {
      const sender = this.pc.addTrack(next, ...(stream ? [stream] : []));
      const added = this.pc.getTransceivers().find((x) => x.sender === sender)!;
      this.before = { t: added, added: true, direction: 'sendrecv', track: null };
    }
    this.sending = next;
    this.changed();
  }

  async undo(): Promise<void> {
    const b = this.before;
    this.before = undefined;
    if (this.pc.signalingState === 'have-local-offer') await this.pc.setLocalDescription({ type: 'rollback' }).catch(() => undefined);
    if (!b) return;
    if (b.added) b.t.stop();
    else {
      await b.t.sender.replaceTrack(b.track).catch(() => undefined);
      b.t.direction = b.direction;
    }
    this.drop(b.track ?? undefined);
  }

  remove(): void {
    for (const t of this.pc.getTransceivers()) if (isVideo(t) && !stopped(t)) t.stop();
    this.drop();
  }

  reject(): void {
    for (const t of this.pc.getTransceivers()) if (isVideo(t) && !stopped(t) && !t.sender.track) t.stop();
  }

  receive(): void {
    if (!this.transceiver()) this.pc.addTransceiver('video', { direction: 'recvonly' });
  }

  async replace(track?: MediaStreamTrack): Promise<void> {
    const t = this.transceiver();
    if (!t) throw new Error('the call sends no video');
    const next = track ?? (await this.openCamera());
    next.enabled = !this.muted;
    await t.sender.replaceTrack(next);
    this.sending = next;
    this.changed();
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    if (this.sending) this.sending.enabled = !muted;
  }

  streams(): { local: MediaStream | null; remote: MediaStream | null } {
    const t = this.transceiver();
    const local = t && this.sending && t.sender.track === this.sending ? this.sending : undefined;
    const remote = t && flows(t.currentDirection, 'recv') ? t.receiver.track : undefined;
    // The same MediaStream while the track is the same: an app compares them.
    const keep = (s: MediaStream | null, track?: MediaStreamTrack) => (!track ? null : s?.getTracks()[0] === track ? s : new MediaStream([track]));
    this.shown = { local: keep(this.shown.local, local), remote: keep(this.shown.remote, remote) };
    return this.shown;
  }

  /** Close the camera (the call ends). */
  close(): void {
    this.closed = true;
    this.drop();
  }
  private closed = false;

  /** Stop sending (camera closed) unless `keep` is the track to go on with. */
  private drop(keep?: MediaStreamTrack): void {
    if (this.camera && this.camera !== keep) this.camera.stop();
    if (this.camera !== keep) this.camera = undefined;
    this.sending = keep;
    this.changed();
  }

  /**
   * An offer/answer exchange completed. A video m-line the peer rejected or
   * removed (port 0) has stopped its transceiver, and one our answer left out
   * (an offer without video) never got a mid: the camera goes.
   */
  private negotiated(): void {
    this.before = undefined;
    const t = this.sending && this.pc.getTransceivers().find((x) => x.sender.track === this.sending);
    if (this.sending && (!t || stopped(t) || t.mid === null)) {
      if (t && !stopped(t)) t.stop();
      this.drop();
    } else this.changed();
  }

  private changed(): void {
    this.onchange?.();
  }
}
