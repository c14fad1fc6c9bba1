// BrowserWebRtcSession (js/media/web-rtc-session.ts) against a fake
// RTCPeerConnection: what it asks the browser for (the e2e suite checks the
// real browser: e2e/tests/ours/calls.spec.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { BrowserWebRtcSession } = await import(`${root}/dist/es/media/web-rtc-session.js`);

/** One audio m-line as the browser would have it; the test sets its state. */
class FakePeerConnection {
  static last;
  constructor() {
    FakePeerConnection.last = this;
    this.signalingState = 'stable';
    this.added = [];
    this.inserted = [];
    this.dtmf = { canInsertDTMF: false, insertDTMF: (...a) => this.inserted.push(a) };
    this.transceiver = { currentDirection: null };
  }
  addTrack(track, ...streams) {
    this.added.push({ track, streams });
    this.sender = { track, dtmf: this.dtmf, getParameters: () => ({ encodings: [{}] }), setParameters: async () => {} };
    this.transceiver.sender = this.sender;
    return this.sender;
  }
  getSenders() { return this.sender ? [this.sender] : []; }
  getTransceivers() { return [this.transceiver]; }
  close() { this.signalingState = 'closed'; }
}

globalThis.RTCPeerConnection = FakePeerConnection;
globalThis.document = { createElement: () => ({}) };
const track = { kind: 'audio', enabled: true, stop() {} };
const stream = { getTracks: () => [track], getAudioTracks: () => [track] };
Object.defineProperty(globalThis, 'navigator', {
  value: { mediaDevices: { getUserMedia: async () => stream } }, configurable: true,
});
const deviceManager = { getInputDeviceId: async () => 'mic', getOutputDeviceId: async () => '' };

async function newSession() {
  const session = await BrowserWebRtcSession.create([], deviceManager, () => {});
  return { session, pc: FakePeerConnection.last };
}

test('the microphone track is added with its stream, so the SDP names one (a=msid:<stream> <track>)', async () => {
  const { pc } = await newSession();
  assert.equal(pc.added.length, 1);
  assert.equal(pc.added[0].track, track);
  assert.deepEqual(pc.added[0].streams, [stream]);
});
