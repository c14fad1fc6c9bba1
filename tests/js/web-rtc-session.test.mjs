// BrowserWebRtcSession (js/media/web-rtc-session.ts) against a fake
// RTCPeerConnection: what it asks the browser for, and that sendDtmf() says
// why it cannot send rather than drop the tones (the e2e suite checks the
// real browser: e2e/tests/ours/calls.spec.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { BrowserWebRtcSession, dtmfUnavailable } = await import(`${root}/dist/es/media/web-rtc-session.js`);

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

test('sendDtmf inserts the tones when the browser can send them', async () => {
  const { session, pc } = await newSession();
  pc.transceiver.currentDirection = 'sendrecv';
  pc.dtmf.canInsertDTMF = true;
  session.sendDtmf('12#', 200, 80);
  session.sendDtmf('*');
  assert.deepEqual(pc.inserted, [['12#', 200, 80], ['*', undefined, undefined]]);
});

test('sendDtmf throws why the tones cannot be sent, and inserts nothing', async () => {
  const { session, pc } = await newSession();
  const cases = [
    [null, /DTMF cannot be sent: the call is not connected yet \(no SDP answer applied\)/],
    ['recvonly', /our audio is not being sent \(media direction recvonly: the other side has put the call on hold\)/],
    ['inactive', /media direction inactive/],
    ['sendrecv', /the other side did not accept telephone-event \(RFC 4733\) in its SDP/],
    ['sendonly', /did not accept telephone-event/],
    ['stopped', /the call has ended/],
  ];
  for (const [direction, message] of cases) {
    pc.transceiver.currentDirection = direction;
    assert.throws(() => session.sendDtmf('1'), message, String(direction));
  }
  session.dispose();
  assert.throws(() => session.sendDtmf('1'), /sendDtmf: DTMF cannot be sent: the call has ended/);
  assert.deepEqual(pc.inserted, []);
});

test('dtmfUnavailable: no audio sender, or a browser without RTCDTMFSender', () => {
  const pc = new FakePeerConnection();
  assert.equal(dtmfUnavailable(pc, []), 'the call has no audio sender');
  assert.equal(dtmfUnavailable(pc, [{ track, dtmf: null }]), 'this browser has no RTCDTMFSender');
});
