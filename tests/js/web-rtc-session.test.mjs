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
class FakePeerConnection extends EventTarget { // the session's video listens for 'track' and 'signalingstatechange'
  static last;
  constructor() {
    super();
    FakePeerConnection.last = this;
    this.signalingState = 'stable';
    this.added = [];
    this.inserted = [];
    this.dtmf = { canInsertDTMF: false, insertDTMF: (...a) => this.inserted.push(a) };
    this.transceiver = { currentDirection: null };
  }
  addTrack(track, ...streams) {
    this.added.push({ track, streams });
    this.sender = { track, dtmf: this.dtmf, getParameters: () => ({ encodings: [{}] }), setParameters: async () => {},
      replaceTrack: async (t) => { this.sender.track = t; } };
    this.transceiver.sender = this.sender;
    return this.sender;
  }
  getSenders() { return this.sender ? [this.sender] : []; }
  getTransceivers() { return [this.transceiver]; }
  close() { this.signalingState = 'closed'; }
}

globalThis.RTCPeerConnection = FakePeerConnection;
globalThis.document = { createElement: () => ({}) };
/** A microphone track: an EventTarget, as the browser's is (it fires 'ended' when unplugged). */
const micTrack = (deviceId = 'mic') => Object.assign(new EventTarget(), {
  kind: 'audio', enabled: true, readyState: 'live', label: `Microphone ${deviceId}`, deviceId,
  stop() { this.readyState = 'ended'; }, // no 'ended' event, as in the browser
});
const streamOf = (t) => ({ getTracks: () => [t], getAudioTracks: () => [t] });
const track = micTrack();
const stream = streamOf(track);
const mediaDevices = { getUserMedia: async () => stream, enumerateDevices: async () => [] };
Object.defineProperty(globalThis, 'navigator', { value: { mediaDevices }, configurable: true });
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

test('an unplugged microphone (its track ends): deviceLost, then the default input replaces the track; none left: deviceSwitchFailed', async () => {
  const opened = [];
  mediaDevices.getUserMedia = async (c) => { const t = micTrack(c.audio.deviceId.exact); opened.push(t); return streamOf(t); };
  mediaDevices.enumerateDevices = async () => [
    { kind: 'audioinput', deviceId: 'mic', label: 'Headset' },
    { kind: 'audioinput', deviceId: 'usb', label: 'USB' },
    { kind: 'audioinput', deviceId: 'default', label: 'Default' },
    { kind: 'audiooutput', deviceId: 'spk', label: 'Speaker' },
  ];
  try {
    const events = [];
    const session = await BrowserWebRtcSession.create([], deviceManager, () => {}, (e) => events.push(e));
    const pc = FakePeerConnection.last;
    session.setMuted(true);
    const first = opened[0];
    first.stop(); // the app (or a device change) stopping it: nothing happens
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(events, []);
    first.dispatchEvent(new Event('ended')); // the browser: the device went away
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(events.map((e) => [e.name, e.deviceId, e.from]), [['deviceLost', 'mic', undefined], ['deviceSwitched', 'default', 'mic']]);
    assert.equal(pc.sender.track, opened[1], 'the sender carries the new microphone');
    assert.equal(opened[1].deviceId, 'default');
    assert.equal(opened[1].enabled, false, 'still muted');
    assert.equal(session.inputDeviceId, 'default');
    // The default input goes too, and nothing else is left.
    mediaDevices.enumerateDevices = async () => [{ kind: 'audioinput', deviceId: 'default', label: 'Default' }];
    opened[1].dispatchEvent(new Event('ended'));
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(events.slice(2).map((e) => [e.name, e.deviceId]), [['deviceLost', 'default'], ['deviceSwitchFailed', 'default']]);
    assert.match(events.at(-1).error.message, /no other microphone/);
    session.dispose();
  } finally {
    mediaDevices.getUserMedia = async () => stream;
    mediaDevices.enumerateDevices = async () => [];
  }
});
