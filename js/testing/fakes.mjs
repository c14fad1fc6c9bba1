// @ts-check
/**
 * Fakes for an app's unit tests without a browser (README "Testing your app"):
 * a `WebPhone` in Node, Vitest or Jest (jsdom or not) registers with the test
 * server, places and takes calls, holds, mutes and sends DTMF, all over real
 * SIP, with no WebRTC. The fake media session writes SDP that parses (so the
 * core's offer/answer and hold logic run as in a browser) and records what the
 * SDK asked of it, so a test can check it.
 *
 *   import WebPhone from 'wasm-web-phone';
 *   import { startTestServer, fakeMedia, useNodeWebSocket } from 'wasm-web-phone/testing';
 *   useNodeWebSocket();
 *   const media = fakeMedia();
 *   const phone = new WebPhone({ sipInfo: server.sipInfo('101', { transport: 'ws' }),
 *     webRtcSessionFactory: media.factory, deviceManager: media.deviceManager });
 * @module wasm-web-phone/testing/fakes
 */
import { WebSocket as NodeWebSocket } from 'ws';

/**
 * Give Node a browser-style global `WebSocket` when it has none (Node < 22),
 * the one the SDK opens. Returns the class in use.
 */
export function useNodeWebSocket() {
  const g = /** @type {any} */ (globalThis);
  if (typeof g.WebSocket !== 'function') g.WebSocket = NodeWebSocket;
  return g.WebSocket;
}

let sessions = 0;
let tracks = 0;

/**
 * A video track for Node (no MediaStreamTrack there): what the fake session
 * sends, and what a test hands `startScreenShare(fakeVideoStream('screen'))`.
 * `stop()` ends it quietly, as in a browser; `end()` ends it with an `ended`
 * event, as the browser's "Stop sharing" button does.
 */
export class FakeVideoTrack extends EventTarget {
  /** @param {string} label */
  constructor(label) {
    super();
    this.kind = 'video';
    this.id = `fake-video-track-${++tracks}`;
    this.label = label;
    this.enabled = true;
    /** @type {'live'|'ended'} */ this.readyState = 'live';
  }
  stop() { this.readyState = 'ended'; }
  end() { this.readyState = 'ended'; this.dispatchEvent(new Event('ended')); }
}

/** A MediaStream-like holder of one fake video track (a `startScreenShare()` argument in Node). @param {string} [label] */
export function fakeVideoStream(label = 'fake screen') {
  const track = new FakeVideoTrack(label);
  return { id: `fake-stream-${track.id}`, track, getTracks: () => [track], getVideoTracks: () => [track], getAudioTracks: () => [] };
}

/** @param {string} sdp @returns {{port: number, direction: string} | undefined} the first m=video */
function videoOf(sdp) {
  const at = sdp.search(/^m=video /m);
  if (at < 0) return undefined;
  const section = sdp.slice(at).split(/\r?\n(?=m=)/)[0];
  return { port: Number(/^m=video (\d+)/.exec(section)?.[1]), direction: directionOf(section) };
}
const sends = (/** @type {string} */ d) => d === 'sendrecv' || d === 'sendonly';

/** A media session with no media: valid SDP in, valid SDP out, every call recorded. */
export class FakeWebRtcSession {
  /** @param {{callId: string, direction: 'inbound'|'outbound', video?: unknown}} context */
  constructor(context) {
    /** The Call-ID the SDK gave (empty for an outbound call: it is chosen later). */
    this.callId = context.callId;
    this.direction = context.direction;
    this.id = ++sessions;
    this.version = 0;
    this.ufrag = `fake${this.id}x${Math.random().toString(36).slice(2, 8)}`;
    /** The SDP this side sent and received, in order (`pranswer`: a 18x's early answer). */
    /** @type {{kind: 'offer'|'answer'|'pranswer', from: 'local'|'remote', sdp: string}[]} */
    this.sdp = [];
    this.muted = false;
    /** DTMF the SDK asked for, each as `{tones, duration, interToneGap}`. */
    /** @type {{tones: string, duration?: number, interToneGap?: number}[]} */
    this.dtmf = [];
    this.inputDeviceId = 'default';
    /** @type {string | undefined} */ this.outputDeviceId = undefined;
    this.disposed = false;
    /** Direction of the last SDP from the far side, and of our last answer. */
    this.remoteDirection = 'sendrecv';
    this.localDirection = 'sendrecv';
    /** The SDK asked for video when it made the session (`call(…, { video })`, `answer({ video })`). */
    this.videoRequested = Boolean(context.video);
    /** What the SDK asked of the session's video, in order ('send camera', 'replace fake screen', 'remove', 'reject', 'mute', …). */
    /** @type {string[]} */
    this.videoLog = [];
    /** The video track we send (a FakeVideoTrack, or the app's), or null. */
    /** @type {any} */ this.videoTrack = null;
    this.videoMuted = false;
    /** Our m=video: undefined (none yet), 9 (live) or 0 (rejected or removed, RFC 3264 §6, §8.2). */
    /** @type {number | undefined} */ this.videoPort = undefined;
    /** The peer's last SDP sends us video. */
    this.remoteSendsVideo = false;
    /** @type {Record<string, any>} */
    this.shown = {};
    const self = this;
    /** WebRtcSession.video: a fake camera, fake streams; every request in `videoLog`. */
    this.video = {
      /** @type {(() => void) | undefined} */ onchange: undefined,
      /** @param {any} [track] */
      async send(track) {
        self.alive();
        self.videoLog.push(`send ${track?.label ?? 'camera'}`);
        self.videoTrack = track ?? new FakeVideoTrack('fake camera');
        self.videoTrack.enabled = !self.videoMuted;
        self.videoChanged();
      },
      async undo() { self.videoLog.push('undo'); self.videoTrack = null; self.videoChanged(); },
      remove() {
        self.videoLog.push('remove');
        if (self.videoPort !== undefined) self.videoPort = 0;
        self.videoTrack = null;
        self.videoChanged();
      },
      reject() { self.videoLog.push('reject'); },
      /** @param {any} [track] */
      async replace(track) {
        if (!self.videoTrack) throw new Error('the call sends no video');
        self.videoLog.push(`replace ${track?.label ?? 'camera'}`);
        self.videoTrack = track ?? new FakeVideoTrack('fake camera');
        self.videoTrack.enabled = !self.videoMuted;
        self.videoChanged();
      },
      /** @param {boolean} muted */
      setMuted(muted) {
        self.videoLog.push(muted ? 'mute' : 'unmute');
        self.videoMuted = muted;
        if (self.videoTrack) self.videoTrack.enabled = !muted;
      },
      streams() {
        const stream = (/** @type {string} */ side, /** @type {any} */ track) => {
          if (!track) return (self.shown[side] = null);
          if (self.shown[side]?.track !== track) self.shown[side] = { id: `fake-${side}-video-${self.id}`, track, getTracks: () => [track], getVideoTracks: () => [track], getAudioTracks: () => [] };
          return self.shown[side];
        };
        self.remoteTrack ??= new FakeVideoTrack('fake remote video');
        return {
          local: stream('local', self.videoPort !== 0 ? self.videoTrack : null),
          remote: stream('remote', self.videoPort === 9 && self.remoteSendsVideo ? self.remoteTrack : null),
        };
      },
    };
    if (context.video) void this.video.send();
  }

  /** @internal */
  videoChanged() { this.video.onchange?.(); }

  /** Our m=video for the next SDP: `direction` when live, nothing when we never had one. @param {string} direction */
  describeVideo(direction) {
    if (this.videoPort === undefined) return '';
    if (this.videoPort === 0) return 'm=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\n';
    return ['m=video 9 UDP/TLS/RTP/SAVPF 96 97', 'c=IN IP4 0.0.0.0', 'a=mid:1', `a=${direction}`, 'a=rtcp-mux',
      'a=rtpmap:96 VP8/90000', 'a=rtpmap:97 rtx/90000', 'a=fmtp:97 apt=96', ''].join('\r\n');
  }

  /** @param {'actpass'|'active'} setup @param {string} [direction] @param {string} [videoDirection] */
  describe(setup, direction = 'sendrecv', videoDirection = 'sendrecv') {
    this.version++;
    return ['v=0', `o=- ${1000 + this.id} ${this.version} IN IP4 127.0.0.1`, 's=-', 't=0 0', `a=group:BUNDLE 0${this.videoPort === 9 ? ' 1' : ''}`,
      'm=audio 9 UDP/TLS/RTP/SAVPF 111 0 101', 'c=IN IP4 0.0.0.0', 'a=rtcp:9 IN IP4 0.0.0.0',
      `a=ice-ufrag:${this.ufrag}`, 'a=ice-pwd:fakefakefakefakefakefake',
      'a=fingerprint:sha-256 ' + Array.from({ length: 32 }, (_, i) => ((i * 7 + this.id) & 255).toString(16).padStart(2, '0').toUpperCase()).join(':'),
      `a=setup:${setup}`, 'a=mid:0', `a=${direction}`, 'a=rtcp-mux',
      'a=rtpmap:111 opus/48000/2', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', ''].join('\r\n') +
      this.describeVideo(videoDirection);
  }

  /** @param {{iceRestart?: boolean}} [options] */
  async createOffer(options = {}) {
    this.alive();
    if (options.iceRestart) this.ufrag = `fake${this.id}r${this.version}`;
    this.localDirection = 'sendrecv';
    if (this.videoTrack) this.videoPort = 9; // a track to send: video is offered (RFC 3264 §8.1)
    const sdp = this.describe('actpass', 'sendrecv', this.videoTrack ? 'sendrecv' : 'recvonly');
    this.sdp.push({ kind: 'offer', from: 'local', sdp });
    return sdp;
  }

  /** @param {string} offerSdp @param {{video?: boolean}} [options] */
  async createAnswer(offerSdp, options) {
    this.alive();
    this.sdp.push({ kind: 'offer', from: 'remote', sdp: offerSdp });
    this.remoteDirection = directionOf(offerSdp);
    // RFC 3264 §6.1: sendonly is answered recvonly, inactive inactive.
    const mine = { sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive' }[this.remoteDirection] ?? 'sendrecv';
    this.localDirection = mine;
    // Video as Chromium answers it: gone when the offer removed it (port 0);
    // refused on request when we do not send: stopped, yet written live and
    // inactive (the core gives it port 0 on the wire); else what both send.
    const offered = videoOf(offerSdp);
    if (options?.video === false) this.video.reject();
    const refused = options?.video === false && !this.videoTrack && offered?.port;
    if (!offered || offered.port === 0) {
      this.videoPort = offered ? 0 : undefined;
      this.videoTrack = null;
    } else this.videoPort = 9;
    this.remoteSendsVideo = this.videoPort === 9 && sends(offered?.direction ?? '');
    const theirs = refused ? 'inactive' : offered?.direction ?? 'inactive';
    const video = (this.videoTrack && (theirs === 'sendrecv' || theirs === 'recvonly') ? 'send' : '') + (sends(theirs) ? 'recv' : '');
    const sdp = this.describe('active', mine, { sendrecv: 'sendrecv', send: 'sendonly', recv: 'recvonly' }[video] ?? 'inactive');
    this.sdp.push({ kind: 'answer', from: 'local', sdp });
    if (refused) [this.videoPort, this.remoteSendsVideo] = [0, false];
    this.videoChanged();
    return sdp;
  }

  /** @param {string} answerSdp */
  async applyAnswer(answerSdp) {
    this.alive();
    this.sdp.push({ kind: 'answer', from: 'remote', sdp: answerSdp });
    this.remoteDirection = directionOf(answerSdp);
    const answered = videoOf(answerSdp);
    if (this.videoPort === 9 && (!answered || answered.port === 0)) { // refused (RFC 3264 §6)
      this.videoPort = 0;
      this.videoTrack = null;
    }
    this.remoteSendsVideo = this.videoPort === 9 && sends(answered?.direction ?? '');
    this.videoChanged();
  }

  /** An early answer (18x), as a browser takes it: `pranswer`. @param {string} answerSdp */
  async applyEarlyAnswer(answerSdp) {
    this.alive();
    this.sdp.push({ kind: 'pranswer', from: 'remote', sdp: answerSdp });
    this.remoteDirection = directionOf(answerSdp);
  }

  /** @param {string} deviceId */
  async changeInputDevice(deviceId) { this.alive(); this.inputDeviceId = deviceId; }
  /** @param {string} deviceId */
  async changeOutputDevice(deviceId) { this.alive(); this.outputDeviceId = deviceId; }
  /** @param {boolean} muted */
  setMuted(muted) { this.muted = muted; }
  /** @param {string} tones @param {number} [duration] @param {number} [interToneGap] */
  sendDtmf(tones, duration, interToneGap) {
    this.alive();
    if (!/^[0-9A-D#*,]+$/i.test(tones)) throw new Error(`sendDtmf: "${tones}" has characters DTMF cannot carry`);
    this.dtmf.push({ tones, duration, interToneGap });
  }

  /** As WebRtcSession.receiving(): false when our last answer cannot receive (sendonly, inactive). */
  receiving() { return this.localDirection === 'sendrecv' || this.localDirection === 'recvonly'; }
  dispose() { this.disposed = true; }
  alive() { if (this.disposed) throw new Error(`fake media session of call ${this.callId} is disposed`); }
}

/** @param {string} sdp */
function directionOf(sdp) {
  return /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(sdp)?.[1] ?? 'sendrecv';
}

/**
 * A `webRtcSessionFactory` and a `deviceManager` for `new WebPhone(...)`, and
 * the sessions they made (newest last), to check what the SDK did.
 */
export function fakeMedia() {
  /** @type {FakeWebRtcSession[]} */
  const made = [];
  return {
    sessions: made,
    /** @param {{callId: string, direction: 'inbound'|'outbound', stunServers: string[], video?: unknown}} context */
    factory: (context) => {
      const s = new FakeWebRtcSession(context);
      made.push(s);
      return s;
    },
    deviceManager: {
      getInputDeviceId: async () => 'default',
      getOutputDeviceId: async () => undefined,
    },
    /**
     * The fake session of a call: give the CallSession (an outbound call's
     * Call-ID is chosen after its media session is made), or an inbound Call-ID.
     * @param {string | {webRtcSession?: unknown}} call
     */
    session: (call) => (typeof call === 'object' && call
      ? made.find((s) => s === call.webRtcSession)
      : made.find((s) => s.callId === call)),
  };
}
