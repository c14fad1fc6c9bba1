// One call's video and screen share (README "Video and screen share"), for
// CallSession: it keeps the 2.x class free of the state. Adding or removing
// video is a re-INVITE with an offer the browser makes (RFC 3264 §8.1, §8.2),
// through the session's own re-INVITE path; screen share only swaps the track
// we send (RTCRtpSender.replaceTrack), with no SIP at all when the call
// already sends video. Whether the peer's SDP has video is the core's to say
// (its call events' `video`); the shim reads no SDP.
import type { CoreVideo } from '../core/sip-core.js';
import type { WebRtcSession } from '../media/web-rtc-session.js';
import type { WebRtcVideo } from '../media/video.js';
import type { VideoChange } from '../types.js';

/** What CallVideo needs of its CallSession. */
export interface VideoHost {
  readonly webRtcSession: WebRtcSession | undefined;
  emit(name: string, ...args: unknown[]): void;
  /** A re-INVITE with a new offer from the media session (no ICE restart), its answer applied. */
  _renegotiate(what: string): Promise<void>;
}

export class CallVideo {
  /** The peer's last offer or answer: its live video's direction, '' for none. */
  peer: CoreVideo = '';
  local: MediaStream | null = null;
  remote: MediaStream | null = null;
  muted = false;
  private screen: { track: MediaStreamTrack; hadVideo: boolean; owned: boolean; ended: () => void } | undefined;

  constructor(private readonly host: VideoHost) {}

  /** The media session's video, hooked up once; throws why there is none. */
  media(what: string): WebRtcVideo {
    const v = this.host.webRtcSession?.video;
    if (!v) throw new Error(`${what}: the call's media has no video`);
    if (!v.onchange) v.onchange = () => this.sync();
    return v;
  }

  get sharing(): boolean {
    return this.screen !== undefined;
  }

  /** The peer's SDP (core event field `video`) as of its last offer or answer. */
  setPeer(video: CoreVideo | undefined): void {
    if (video === undefined || video === this.peer) return;
    this.peer = video;
    this.sync(true);
  }

  /** Emit `videoChanged` when what flows (or the peer's offer) changed. */
  sync(force = false): void {
    const v = this.host.webRtcSession?.video;
    const { local, remote } = v ? v.streams() : { local: null, remote: null };
    if (!force && local === this.local && remote === this.remote) return;
    this.local = local;
    this.remote = remote;
    // The peer removed (or refused) video while we shared: the share is over.
    if (this.screen && !local) this.endShare('ended');
    this.host.emit('videoChanged', { local, remote, hasRemoteVideo: this.peer !== '' } satisfies VideoChange);
  }

  async add(what: string, track?: MediaStreamTrack): Promise<void> {
    const v = this.media(what);
    await v.send(track);
    try {
      await this.host._renegotiate(what);
    } catch (e) {
      await v.undo();
      throw e;
    }
    this.sync();
    // The answer's video had port 0 (RFC 3264 §6): the browser stopped it.
    if (!this.peer) throw new Error(`${what}: the other side refused video (port 0 in its answer)`);
  }

  async remove(): Promise<void> {
    const v = this.media('removeVideo');
    if (this.screen) this.endShare('stopped');
    v.remove();
    await this.host._renegotiate('removeVideo');
    this.sync();
  }

  setMuted(muted: boolean): void {
    this.media(muted ? 'muteVideo' : 'unmuteVideo').setMuted(muted);
    this.muted = muted;
  }

  async startShare(stream?: MediaStream): Promise<void> {
    const v = this.media('startScreenShare');
    if (this.screen) throw new Error('startScreenShare: already sharing the screen');
    const display = globalThis.navigator?.mediaDevices;
    if (!stream && !display?.getDisplayMedia) throw new Error('startScreenShare: no getDisplayMedia here; pass a MediaStream');
    const source = stream ?? (await display!.getDisplayMedia({ video: true, audio: false }));
    const track = source.getVideoTracks()[0];
    if (!track) throw new Error('startScreenShare: the stream has no video track');
    const hadVideo = v.streams().local !== null;
    // Sending video already: the same m-line carries the screen, no SIP.
    // Otherwise the call gains video for it (re-INVITE), and loses it again
    // when sharing stops.
    try {
      if (hadVideo) await v.replace(track);
      else await this.add('startScreenShare', track);
    } catch (e) {
      // Refused (the re-INVITE failed, the peer rejected video): a capture
      // we opened stops, or the browser's sharing bar would stay up for a
      // share the app was told failed.
      if (!stream) track.stop();
      throw e;
    }
    const ended = () => void this.stopShare('ended').catch(() => undefined);
    this.screen = { track, hadVideo, owned: !stream, ended };
    track.addEventListener('ended', ended);
    this.host.emit('screenShareStarted', { stream: source });
    this.sync();
    // "Stop sharing" pressed while the re-INVITE was under way: its 'ended'
    // came before the listener above.
    if (track.readyState === 'ended') ended();
  }

  /** `ended`: the browser's "Stop sharing", the app's stream ended, or the peer removed video; `stopped`: the app. */
  async stopShare(reason: 'stopped' | 'ended' = 'stopped'): Promise<void> {
    if (!this.screen) return;
    const hadVideo = this.screen.hadVideo;
    this.endShare(reason);
    if (hadVideo) await this.media('stopScreenShare').replace();
    else await this.remove();
    this.sync();
  }

  /** The call ended: a screen capture we opened stops (no events: the session is gone). */
  dispose(): void {
    if (this.screen?.owned) this.screen.track.stop();
    this.screen = undefined;
  }

  private endShare(reason: 'stopped' | 'ended'): void {
    const { track, owned, ended } = this.screen!;
    this.screen = undefined;
    track.removeEventListener('ended', ended);
    if (owned) track.stop(); // ours (getDisplayMedia): the browser's sharing bar goes
    this.host.emit('screenShareEnded', { reason });
  }
}
