// Media behind one interface (spec §2.3 `WebRtcSession`): the SDK-managed
// browser session below, or an app-supplied one (`webRtcSessionFactory`,
// spec §6.7) when WebRTC lives elsewhere (e.g. the tab behind a SharedWorker).
// SDP is produced and consumed here but never edited: hold and direction
// changes, codec preferences and bandwidth lines are done by the core. Codec
// order and the bitrate cap also reach the browser through its own APIs
// (setCodecPreferences, RTCRtpSender.setParameters).
import { setSink } from '../device-error.js';
import type { DeviceManager } from '../types.js';
import type { IceSettings } from './ice-options.js';
import { orderCodecs, type MediaSettings } from './media-options.js';
import { BrowserVideo, type VideoRequest, type WebRtcVideo } from './video.js';

export interface WebRtcSession {
  createOffer(options?: { iceRestart?: boolean }): Promise<string>;
  /** `video: false`: stop the offer's video unless we send on it (the core then writes port 0, RFC 3264 §6). */
  createAnswer(offerSdp: string, options?: { video?: boolean }): Promise<string>;
  applyAnswer(answerSdp: string): Promise<void>;
  /**
   * Optional: the peer's early answer from a 18x (RFC 3261 §13.2.1) as a
   * provisional answer (`pranswer`), so its early media plays while the call
   * rings; `applyAnswer` follows with the 2xx's. Without it (or when it
   * rejects, e.g. a browser without `pranswer`) the call has no early media.
   */
  applyEarlyAnswer?(answerSdp: string): Promise<void>;
  changeInputDevice(deviceId: string): Promise<void>;
  changeOutputDevice(deviceId: string): Promise<void>;
  setMuted(muted: boolean): void;
  /**
   * Send `tones` as RFC 4733 telephone-events. Must throw an Error saying why
   * when they cannot be sent now, rather than drop them: CallSession.sendDtmf
   * passes that on to the app.
   */
  sendDtmf(tones: string, duration?: number, interToneGap?: number): void;
  /** Optional: the session's webrtc-stats, for `CallSession.getStats()` and the watchdog. */
  getStats?(): Promise<RTCStatsReport>;
  /**
   * Optional: false when the last answer this session applied leaves it unable
   * to receive audio (it offered or answered `sendonly`/`inactive`); then
   * `unhold()` renegotiates through `createOffer` instead of the core's SDP.
   */
  receiving?(): boolean;
  /** Optional: video and screen share (README "Video and screen share"); without it a call has no video. */
  video?: WebRtcVideo;
  dispose(): void;
}

/**
 * What the SDK-managed session tells its call about devices (README "Devices"):
 * `deviceLost` when the microphone's track ends or the device in use leaves
 * the browser's list (unplugged), then `deviceSwitched` to the device now in
 * use, or `deviceSwitchFailed`.
 */
export type DeviceEvent =
  | { name: 'deviceLost'; kind: MediaDeviceKind; deviceId: string; label: string }
  | { name: 'deviceSwitched'; kind: MediaDeviceKind; deviceId: string; label: string; from: string }
  | { name: 'deviceSwitchFailed'; kind: MediaDeviceKind; deviceId: string; error: Error };

export type WebRtcSessionFactory = (context: {
  callId: string;
  direction: 'inbound' | 'outbound';
  stunServers: string[];
  /** The call starts with video (our camera): `call(…, { video })`, `answer({ video })`. */
  video?: VideoRequest;
}) => WebRtcSession;


/** The SDK-managed session: RTCPeerConnection + microphone + <audio> (spec §6.1). */
export class BrowserWebRtcSession implements WebRtcSession {
  readonly rtcPeerConnection: RTCPeerConnection;
  readonly audioElement: HTMLAudioElement;
  readonly video: BrowserVideo;
  mediaStream: MediaStream | undefined;
  inputDeviceId: string | undefined;
  outputDeviceId: string | undefined;
  private muted = false;
  /** A fallback to another input is under way (the track's 'ended' and 'devicechange' both report an unplug). */
  private switching = false;
  /** dispose() ran: a microphone that opens after it is stopped at once. */
  private disposed = false;
  private readonly onDeviceChange = () => void this.devicesChanged();

  private constructor(
    private readonly ice: IceSettings,
    private readonly deviceManager: DeviceManager,
    private readonly onMediaStream: (stream: MediaStream) => void,
    private readonly onDevice: (event: DeviceEvent) => void = () => {},
    private readonly media?: MediaSettings,
    video?: VideoRequest,
  ) {
    this.rtcPeerConnection = new RTCPeerConnection({
      iceServers: ice.iceServers,
      iceTransportPolicy: ice.iceTransportPolicy,
      iceCandidatePoolSize: ice.iceCandidatePoolSize,
    });
    this.audioElement = document.createElement('audio');
    this.audioElement.hidden = true;
    this.audioElement.autoplay = true;
    this.video = new BrowserVideo(this.rtcPeerConnection, deviceManager, () => this.mediaStream, video);
    this.rtcPeerConnection.ontrack = (event) => {
      if (event.track.kind === 'video') return; // this.video's
      this.audioElement.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      // The device manager's output, unless the app chose one already.
      if (this.outputDeviceId === undefined) void this.deviceManager.getOutputDeviceId().then((id) => {
        this.outputDeviceId ??= id;
        if (id === this.outputDeviceId) setSink(this.audioElement, id ?? '').catch(() => {});
      }, () => undefined); // no output chosen: the browser's default plays it
    };
    navigator.mediaDevices.addEventListener?.('devicechange', this.onDeviceChange);
  }

  /** Opens the microphone and adds its track (spec §6.1 steps 2–4). */
  static async create(
    ice: IceSettings,
    deviceManager: DeviceManager,
    onMediaStream: (stream: MediaStream) => void,
    onDevice?: (event: DeviceEvent) => void,
    media?: MediaSettings,
    video?: VideoRequest,
  ): Promise<BrowserWebRtcSession> {
    const session = new BrowserWebRtcSession(ice, deviceManager, onMediaStream, onDevice, media, video);
    try {
      // Without microphone permission enumerateDevices() hides device ids
      // (empty strings): only then ask first, so the id can be chosen. Once
      // permission is granted this saves a getUserMedia round per call.
      let inputId = await deviceManager.getInputDeviceId().catch(() => '');
      if (!inputId) {
        const probe = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
        probe.getTracks().forEach((t) => t.stop());
        inputId = await deviceManager.getInputDeviceId();
      }
      session.inputDeviceId = inputId;
      await session.openMicrophone(session.inputDeviceId);
      for (const track of session.mediaStream!.getAudioTracks()) {
        // With its stream, so our SDP names one (`a=msid:<stream> <track>`,
        // RFC 8830). ringcentral-web-phone 2.x adds the track alone and plays
        // the peer's `event.streams[0]`: a peer whose SDP says `a=msid:- …`
        // (no stream) is never heard there, so without this an RC phone
        // called directly (no media server in between) would not hear us.
        const sender = session.rtcPeerConnection.addTrack(track, session.mediaStream!);
        const params = sender.getParameters();
        // DSCP EF for voice where the browser supports it (ringcentral-web-phone #257).
        params.encodings?.forEach((e) => ((e as RTCRtpEncodingParameters & { priority?: string }).priority = 'high'));
        // `bandwidth.audio`: what we send; the core's b=AS/b=TIAS ask the peer likewise.
        if (media?.audioKbps) params.encodings?.forEach((e) => (e.maxBitrate = media.audioKbps * 1000));
        sender.setParameters(params).catch(() => {});
      }
      if (video) await session.video.send(); // after the audio: m=audio stays first
    } catch (e) {
      session.dispose();
      throw e;
    }
    return session;
  }

  private async openMicrophone(deviceId: string): Promise<void> {
    this.mediaStream?.getTracks().forEach((t) => t.stop()); // stop() fires no 'ended'
    const stream = await navigator.mediaDevices.getUserMedia({
      video: false,
      audio: { deviceId: { exact: deviceId } },
    });
    if (this.disposed) {
      // The call ended while the browser opened it: nobody would stop it.
      stream.getTracks().forEach((t) => t.stop());
      throw new Error('the call ended while its microphone was opening');
    }
    this.mediaStream = stream;
    for (const track of this.mediaStream.getAudioTracks()) track.addEventListener('ended', () => void this.microphoneLost(track));
    this.onMediaStream(this.mediaStream);
  }

  /**
   * The microphone's track ended without us stopping it: the device was
   * unplugged (or revoked). Carry on with another input, the default one
   * first, by replacing the sender's track: no renegotiation, the peer hears
   * the new microphone at once (mute carries over).
   */
  private async microphoneLost(track: MediaStreamTrack): Promise<void> {
    if (!this.mediaStream?.getTracks().includes(track)) return;
    await this.inputLost(track.label);
  }

  /** deviceLost, then the default input (else the first other one) in its place. */
  private async inputLost(label: string): Promise<void> {
    if (this.switching || this.rtcPeerConnection.signalingState === 'closed') return;
    this.switching = true;
    const lost = this.inputDeviceId ?? '';
    this.onDevice({ name: 'deviceLost', kind: 'audioinput', deviceId: lost, label });
    const inputs = (await navigator.mediaDevices.enumerateDevices().catch(() => []))
      .filter((d) => d.kind === 'audioinput' && d.deviceId && d.deviceId !== lost);
    const next = inputs.find((d) => d.deviceId === 'default') ?? inputs[0];
    try {
      if (!next) throw new Error('no other microphone to switch to');
      await this.changeInputDevice(next.deviceId);
      this.onDevice({ name: 'deviceSwitched', kind: 'audioinput', deviceId: next.deviceId, label: next.label, from: lost });
    } catch (e) {
      this.onDevice({ name: 'deviceSwitchFailed', kind: 'audioinput', deviceId: next?.deviceId ?? lost, error: e instanceof Error ? e : new Error(String(e)) });
    } finally {
      this.switching = false;
    }
  }

  /**
   * `devicechange`: the input or output in use may have left the list
   * without its track ending (some browsers and drivers). Ids hidden
   * (no permission yet) or the default device: nothing to compare.
   */
  private async devicesChanged(): Promise<void> {
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
    const gone = (kind: MediaDeviceKind, id: string | undefined) => id && id !== 'default' && devices.some((d) => d.kind === kind && d.deviceId) &&
      !devices.some((d) => d.kind === kind && d.deviceId === id);
    if (gone('audioinput', this.inputDeviceId)) await this.inputLost(this.mediaStream?.getAudioTracks()[0]?.label ?? '');
    const lost = this.outputDeviceId!;
    if (!gone('audiooutput', lost) || this.rtcPeerConnection.signalingState === 'closed') return;
    const next = devices.find((d) => d.kind === 'audiooutput' && d.deviceId === 'default');
    const to = next?.deviceId ?? '';
    this.onDevice({ name: 'deviceLost', kind: 'audiooutput', deviceId: lost, label: '' });
    try {
      await this.changeOutputDevice(to);
      this.onDevice({ name: 'deviceSwitched', kind: 'audiooutput', deviceId: to, label: next?.label ?? '', from: lost });
    } catch (e) {
      this.onDevice({ name: 'deviceSwitchFailed', kind: 'audiooutput', deviceId: to, error: e as Error });
    }
  }

  /**
   * `codecPreferences.audio` and `.video` through RTCRtpTransceiver.setCodecPreferences
   * where the browser has it, so its own SDP and what it sends follow the
   * preference; the core applies the same rule to the SDP text either way.
   */
  private preferCodecs(): void {
    for (const kind of ['audio', 'video'] as const) {
      const list = this.media?.[kind] ?? [];
      const caps = list.length ? globalThis.RTCRtpReceiver?.getCapabilities?.(kind)?.codecs : undefined;
      const ordered = caps ? orderCodecs(caps, list) : [];
      if (!ordered.length) continue; // none asked, or nothing in common: the core says so
      for (const t of this.rtcPeerConnection.getTransceivers()) {
        if (t.receiver.track?.kind !== kind || typeof t.setCodecPreferences !== 'function') continue;
        try {
          t.setCodecPreferences(ordered);
        } catch {
          /* the core's rewrite still applies */
        }
      }
    }
  }

  async createOffer(options?: { iceRestart?: boolean }): Promise<string> {
    this.preferCodecs();
    const offer = await this.rtcPeerConnection.createOffer({ iceRestart: options?.iceRestart ?? true });
    await this.rtcPeerConnection.setLocalDescription(offer);
    await this.iceGathered();
    return this.rtcPeerConnection.localDescription!.sdp;
  }

  async createAnswer(offerSdp: string, options?: { video?: boolean }): Promise<string> {
    const pc = this.rtcPeerConnection;
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
      if (options?.video === false) this.video.reject();
      this.preferCodecs();
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
    } catch (e) {
      // An offer we could not answer (the core then rejects it with 488) must
      // not leave the connection half-way (have-remote-offer): every later
      // offer of ours, e.g. the ICE restart after a reconnect, would fail.
      if (pc.signalingState === 'have-remote-offer') await pc.setRemoteDescription({ type: 'rollback' }).catch(() => undefined);
      throw e;
    }
    await this.iceGathered();
    return pc.localDescription!.sdp;
  }

  async applyAnswer(answerSdp: string): Promise<void> {
    await this.rtcPeerConnection.setRemoteDescription({ type: 'answer', sdp: answerSdp });
  }

  // The browser queues setRemoteDescription calls (its operations chain), so
  // a 2xx's answer that comes while this one still applies waits for it.
  async applyEarlyAnswer(answerSdp: string): Promise<void> {
    await this.rtcPeerConnection.setRemoteDescription({ type: 'pranswer', sdp: answerSdp });
  }

  receiving(): boolean {
    const audio = this.rtcPeerConnection.getTransceivers().find((t) => t.receiver.track?.kind === 'audio');
    const now = audio?.currentDirection;
    return !now || now === 'sendrecv' || now === 'recvonly'; // null: nothing negotiated yet
  }

  /**
   * One change at a time, in the order asked: two that overlapped (a device
   * picker stepped through, the app's change racing the switch after an
   * unplug) each stored the stream they opened, and the first one's track
   * was never stopped.
   */
  changeInputDevice(deviceId: string): Promise<void> {
    const change = this.inputChanges.then(() => this.switchInput(deviceId));
    this.inputChanges = change.catch(() => undefined);
    return change;
  }
  private inputChanges: Promise<void> = Promise.resolve();

  private async switchInput(deviceId: string): Promise<void> {
    const previous = this.inputDeviceId;
    try {
      await this.openMicrophone(deviceId);
    } catch (e) {
      // The old track is stopped already (one microphone at a time is all
      // some systems allow): without it back the peer would hear silence
      // from a call that says nothing. Reopen it, then say why.
      if (!this.disposed && previous !== undefined && previous !== deviceId) await this.useMicrophone(previous).catch(() => undefined);
      throw e;
    }
    this.inputDeviceId = deviceId;
    await this.sendMicrophone();
  }

  private async useMicrophone(deviceId: string): Promise<void> {
    await this.openMicrophone(deviceId);
    await this.sendMicrophone();
  }

  /** The open microphone's track on the audio sender (mute carries over). */
  private async sendMicrophone(): Promise<void> {
    const track = this.mediaStream!.getAudioTracks()[0];
    track.enabled = !this.muted; // a muted call stays muted on the new microphone
    const sender = this.rtcPeerConnection.getSenders().find((s) => s.track?.kind === 'audio' || !s.track);
    await sender?.replaceTrack(track);
    track.enabled = !this.muted; // setMuted() during the await reached the sender's old track
  }

  /** Rejects with a DeviceError: `NotSupported` (no setSinkId), `NotFound`, `NotAllowed`. */
  async changeOutputDevice(deviceId: string): Promise<void> {
    await setSink(this.audioElement, deviceId);
    this.outputDeviceId = deviceId;
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    for (const sender of this.rtcPeerConnection.getSenders()) if (sender.track?.kind === 'audio') sender.track.enabled = !muted;
    // And the open microphone, which a device change may be putting on the sender.
    for (const track of this.mediaStream?.getAudioTracks() ?? []) track.enabled = !muted;
  }

  /**
   * Insert the tones into the audio sender's RTCDTMFSender. The browser sends
   * them only while `canInsertDTMF`: the answer applied, our media flowing
   * (sendrecv or sendonly) and telephone-event (RFC 4733) accepted by the
   * other side. Otherwise throw why, where the original SDK drops them.
   */
  sendDtmf(tones: string, duration?: number, interToneGap?: number): void {
    const pc = this.rtcPeerConnection;
    const senders = pc.getSenders().filter((s) => s.track?.kind === 'audio');
    const ready = senders.filter((s) => s.dtmf?.canInsertDTMF);
    if (ready.length === 0) throw new Error(`sendDtmf: DTMF cannot be sent: ${dtmfUnavailable(pc, senders)}`);
    for (const sender of ready) sender.dtmf!.insertDTMF(tones, duration, interToneGap);
  }

  dispose(): void {
    this.disposed = true;
    navigator.mediaDevices.removeEventListener?.('devicechange', this.onDeviceChange);
    this.rtcPeerConnection.close();
    this.video.close();
    this.mediaStream?.getTracks().forEach((t) => t.stop());
    this.audioElement.srcObject = null;
  }

  /**
   * Non-trickle (spec §6.2): resolve when gathering completes, at most
   * `gatheringGrace` after the first srflx/relay candidate (or, with no
   * STUN/TURN server, `hostGrace` after the first UDP host candidate: see
   * ice-options.ts), or at `gatheringTimeout`, whichever is first. Rejects
   * when it ends with no candidate at all: an SDP without one would make a
   * call with no audio.
   */
  private iceGathered(): Promise<void> {
    const pc = this.rtcPeerConnection;
    const { gatheringTimeout, gatheringGrace, hostGrace, iceTransportPolicy } = this.ice;
    const hostOnly = this.ice.iceServers.length === 0;
    // Already complete (an offer without an ICE restart): nothing new to wait for.
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    let found = 0;
    return new Promise((resolve, reject) => {
      let timer = setTimeout(done, gatheringTimeout);
      let graced = false;
      const started = performance.now();
      function done() {
        clearTimeout(timer);
        pc.removeEventListener('icecandidate', onCandidate);
        // What is sent is the local description: it counts, not the events
        // seen here. After an ICE restart that follows an answered offer,
        // Chromium may end gathering before the restarted generation's first
        // candidate event, with the candidate already in the description.
        if (found || hasCandidate()) return resolve();
        const waited = Math.round(performance.now() - started);
        reject(new Error((ended ? `ICE gathering ended with no candidate after ${waited} ms` : `ICE gathering found no candidate within ${gatheringTimeout} ms`) +
          (iceTransportPolicy === 'relay' ? " (iceTransportPolicy 'relay': is the TURN server reachable, are its credentials right?)" : '')));
      }
      let ended = false;
      const hasCandidate = () => /\na=candidate:/.test(pc.localDescription?.sdp ?? '');
      function onCandidate(e: RTCPeerConnectionIceEvent) {
        if (e.candidate === null) {
          if (found || hasCandidate()) return done();
          // Ended with nothing seen yet: a candidate may still be on its way
          // (the case above); give it the grace, not the whole cap.
          ended = true;
          clearTimeout(timer);
          timer = setTimeout(done, gatheringGrace);
          return;
        }
        if (!e.candidate.candidate) return; // end-of-generation marker
        found++;
        if (ended) return done();
        if (graced) return;
        const { type, protocol } = e.candidate;
        const grace = type === 'srflx' || type === 'relay' ? gatheringGrace
          : hostOnly && type === 'host' && protocol === 'udp' ? hostGrace : -1;
        if (grace >= 0) {
          graced = true;
          clearTimeout(timer);
          timer = setTimeout(done, grace);
        }
      }
      pc.addEventListener('icecandidate', onCandidate);
    });
  }
}

/** Why no sender of `pc` can insert DTMF now (W3C webrtc §7.2 canInsertDTMF). */
export function dtmfUnavailable(pc: RTCPeerConnection, audioSenders: RTCRtpSender[]): string {
  if (pc.signalingState === 'closed') return 'the call has ended';
  const sender = audioSenders[0];
  if (!sender) return 'the call has no audio sender';
  if (!sender.dtmf) return 'this browser has no RTCDTMFSender';
  const direction = pc.getTransceivers().find((t) => t.sender === sender)?.currentDirection ?? null;
  if (direction === null) return 'the call is not connected yet (no SDP answer applied)';
  if (direction === 'stopped') return 'the call has ended';
  if (direction === 'recvonly' || direction === 'inactive')
    return `our audio is not being sent (media direction ${direction}: the other side has put the call on hold)`;
  return 'the other side did not accept telephone-event (RFC 4733) in its SDP';
}
