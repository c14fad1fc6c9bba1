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

/** A media session with no media: valid SDP in, valid SDP out, every call recorded. */
export class FakeWebRtcSession {
  /** @param {{callId: string, direction: 'inbound'|'outbound'}} context */
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
  }

  /** @param {'actpass'|'active'} setup @param {string} [direction] */
  describe(setup, direction = 'sendrecv') {
    this.version++;
    return ['v=0', `o=- ${1000 + this.id} ${this.version} IN IP4 127.0.0.1`, 's=-', 't=0 0', 'a=group:BUNDLE 0',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111 0 101', 'c=IN IP4 0.0.0.0', 'a=rtcp:9 IN IP4 0.0.0.0',
      `a=ice-ufrag:${this.ufrag}`, 'a=ice-pwd:fakefakefakefakefakefake',
      'a=fingerprint:sha-256 ' + Array.from({ length: 32 }, (_, i) => ((i * 7 + this.id) & 255).toString(16).padStart(2, '0').toUpperCase()).join(':'),
      `a=setup:${setup}`, 'a=mid:0', `a=${direction}`, 'a=rtcp-mux',
      'a=rtpmap:111 opus/48000/2', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', ''].join('\r\n');
  }

  /** @param {{iceRestart?: boolean}} [options] */
  async createOffer(options = {}) {
    this.alive();
    if (options.iceRestart) this.ufrag = `fake${this.id}r${this.version}`;
    this.localDirection = 'sendrecv';
    const sdp = this.describe('actpass');
    this.sdp.push({ kind: 'offer', from: 'local', sdp });
    return sdp;
  }

  /** @param {string} offerSdp */
  async createAnswer(offerSdp) {
    this.alive();
    this.sdp.push({ kind: 'offer', from: 'remote', sdp: offerSdp });
    this.remoteDirection = directionOf(offerSdp);
    // RFC 3264 §6.1: sendonly is answered recvonly, inactive inactive.
    const mine = { sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive' }[this.remoteDirection] ?? 'sendrecv';
    this.localDirection = mine;
    const sdp = this.describe('active', mine);
    this.sdp.push({ kind: 'answer', from: 'local', sdp });
    return sdp;
  }

  /** @param {string} answerSdp */
  async applyAnswer(answerSdp) {
    this.alive();
    this.sdp.push({ kind: 'answer', from: 'remote', sdp: answerSdp });
    this.remoteDirection = directionOf(answerSdp);
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
    /** @param {{callId: string, direction: 'inbound'|'outbound', stunServers: string[]}} context */
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
