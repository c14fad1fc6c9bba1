// Devices that come and go (README "Devices"): BrowserWebRtcSession against
// a fake RTCPeerConnection and navigator.mediaDevices (an EventTarget with
// `devicechange`), the output-device errors (DeviceError), and the phone's
// `devicesChanged`. The e2e suite checks the real browser
// (e2e/tests/ours/calls.spec.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { BrowserWebRtcSession } = await import(`${root}/dist/es/media/web-rtc-session.js`);
const { DeviceError } = await import(`${root}/dist/es/device-error.js`);
const { default: WebPhone } = await import(`${root}/dist/es/index.js`);

class FakePeerConnection extends EventTarget { // the session's video listens for 'track' and 'signalingstatechange'
  static last;
  constructor() {
    super();
    FakePeerConnection.last = this;
    this.signalingState = 'stable';
  }
  addTrack(track) {
    this.sender = { track, getParameters: () => ({}), setParameters: async () => {}, replaceTrack: async (t) => { this.replaced.push(t); this.sender.track = t; } };
    this.replaced = [];
    return this.sender;
  }
  getSenders() { return this.sender ? [this.sender] : []; }
  getTransceivers() { return []; }
  close() { this.signalingState = 'closed'; }
}
globalThis.RTCPeerConnection = FakePeerConnection;

/** An <audio> element; `sinks` = the outputs that exist, or null: a browser without setSinkId. */
function fakeAudio(sinks) {
  const el = { sinkId: '', played: 0, paused: true, currentTime: 0, play() { this.played++; this.paused = false; return Promise.resolve(); }, pause() { this.paused = true; } };
  if (sinks) el.setSinkId = async (id) => {
    if (id && !sinks.includes(id)) throw new DOMException('Requested device not found', 'NotFoundError');
    el.sinkId = id;
  };
  return el;
}
let sinks = ['default', 'spk', 'hdmi'];
globalThis.document = { createElement: () => fakeAudio(sinks) };

const micTrack = (deviceId) => Object.assign(new EventTarget(), {
  kind: 'audio', enabled: true, readyState: 'live', label: `Microphone ${deviceId}`, deviceId, stop() { this.readyState = 'ended'; },
});
const opened = [];
let devices = [];
const listeners = new Set();
const mediaDevices = Object.assign(new EventTarget(), {
  getUserMedia: async (c) => { const t = micTrack(c.audio?.deviceId?.exact ?? 'default'); opened.push(t); return { getTracks: () => [t], getAudioTracks: () => [t] }; },
  enumerateDevices: async () => devices,
});
// Count the devicechange listeners, to see that dispose() removes them.
const add = mediaDevices.addEventListener.bind(mediaDevices);
const remove = mediaDevices.removeEventListener.bind(mediaDevices);
mediaDevices.addEventListener = (name, fn) => { if (name === 'devicechange') listeners.add(fn); add(name, fn); };
mediaDevices.removeEventListener = (name, fn) => { if (name === 'devicechange') listeners.delete(fn); remove(name, fn); };
Object.defineProperty(globalThis, 'navigator', { value: { mediaDevices }, configurable: true });

const dev = (kind, deviceId, label = deviceId) => ({ kind, deviceId, label, groupId: '' });
const all = () => [
  dev('audioinput', 'default', 'Default'), dev('audioinput', 'mic'), dev('audioinput', 'usb'),
  dev('audiooutput', 'default', 'Default speaker'), dev('audiooutput', 'spk'), dev('audiooutput', 'hdmi'),
];
const deviceManager = { getInputDeviceId: async () => 'usb', getOutputDeviceId: async () => '' };
const tick = (ms = 10) => new Promise((r) => setTimeout(r, ms));

async function newSession() {
  devices = all();
  opened.length = 0;
  const events = [];
  const session = await BrowserWebRtcSession.create([], deviceManager, () => {}, (e) => events.push(e));
  return { session, events, pc: FakePeerConnection.last };
}

test('changeOutputDevice where setSinkId is missing rejects with DeviceError NotSupported (not a TypeError)', async () => {
  sinks = null;
  try {
    const { session } = await newSession();
    const error = await session.changeOutputDevice('spk').catch((e) => e);
    assert.ok(error instanceof DeviceError, String(error));
    assert.equal(error.code, 'NotSupported');
    assert.equal(error.deviceId, 'spk');
    assert.equal(error.name, 'DeviceError');
    assert.equal(session.outputDeviceId, undefined, 'unchanged');
    await session.changeOutputDevice(''); // the default output: nothing to select
    assert.equal(WebPhone.DeviceError, DeviceError, 'WebPhone.DeviceError for script tags and require');
    session.dispose();
  } finally {
    sinks = ['default', 'spk', 'hdmi'];
  }
});

test('changeOutputDevice with an unknown id rejects with DeviceError NotFound; a known one is used', async () => {
  const { session } = await newSession();
  await assert.rejects(session.changeOutputDevice('nope'), (e) => e instanceof DeviceError && e.code === 'NotFound' && e.deviceId === 'nope');
  await session.changeOutputDevice('hdmi');
  assert.equal(session.audioElement.sinkId, 'hdmi');
  assert.equal(session.outputDeviceId, 'hdmi');
  session.dispose();
});

test('devicechange without the microphone in use: deviceLost, the default input by replaceTrack, deviceSwitched', async () => {
  const { session, events, pc } = await newSession();
  session.setMuted(true);
  assert.equal(session.inputDeviceId, 'usb');
  devices = all().filter((d) => d.deviceId !== 'usb');
  mediaDevices.dispatchEvent(new Event('devicechange'));
  await tick();
  assert.deepEqual(events.map((e) => [e.name, e.kind, e.deviceId, e.from]),
    [['deviceLost', 'audioinput', 'usb', undefined], ['deviceSwitched', 'audioinput', 'default', 'usb']]);
  assert.equal(pc.replaced.length, 1, 'one replaceTrack, no renegotiation');
  assert.equal(pc.replaced[0].deviceId, 'default');
  assert.equal(pc.replaced[0].enabled, false, 'still muted');
  assert.equal(session.inputDeviceId, 'default');
  // The old track ending now (the same unplug, seen late) changes nothing more.
  opened[0].dispatchEvent(new Event('ended'));
  mediaDevices.dispatchEvent(new Event('devicechange'));
  await tick();
  assert.equal(events.length, 2);
  session.dispose();
});

test('the track ending and devicechange for the same unplug switch once', async () => {
  const { session, events, pc } = await newSession();
  devices = all().filter((d) => d.deviceId !== 'usb');
  opened[0].dispatchEvent(new Event('ended'));
  mediaDevices.dispatchEvent(new Event('devicechange'));
  await tick();
  assert.deepEqual(events.map((e) => e.name), ['deviceLost', 'deviceSwitched']);
  assert.equal(pc.replaced.length, 1);
  session.dispose();
});

test('devicechange without the output in use: playback moves to the default, deviceSwitched audiooutput', async () => {
  const { session, events } = await newSession();
  await session.changeOutputDevice('hdmi');
  devices = all().filter((d) => d.deviceId !== 'hdmi');
  mediaDevices.dispatchEvent(new Event('devicechange'));
  await tick();
  assert.deepEqual(events.map((e) => [e.name, e.kind, e.deviceId, e.from]),
    [['deviceLost', 'audiooutput', 'hdmi', undefined], ['deviceSwitched', 'audiooutput', 'default', 'hdmi']]);
  assert.equal(events[1].label, 'Default speaker');
  assert.equal(session.audioElement.sinkId, 'default');
  assert.equal(session.outputDeviceId, 'default');
  // A device arriving, or one not in use leaving: nothing.
  devices = all().filter((d) => d.deviceId !== 'spk' && d.deviceId !== 'mic');
  mediaDevices.dispatchEvent(new Event('devicechange'));
  await tick();
  assert.equal(events.length, 2);
  session.dispose();
});

test('ids hidden (no permission: empty deviceIds) are no reason to switch', async () => {
  const { session, events } = await newSession();
  devices = all().map((d) => ({ ...d, deviceId: '' }));
  mediaDevices.dispatchEvent(new Event('devicechange'));
  await tick();
  assert.deepEqual(events, []);
  session.dispose();
});

test('dispose() removes the devicechange listener; a disposed session ignores changes', async () => {
  const before = listeners.size;
  const { session, events } = await newSession();
  assert.equal(listeners.size, before + 1);
  session.dispose();
  assert.equal(listeners.size, before);
  devices = [];
  mediaDevices.dispatchEvent(new Event('devicechange'));
  await tick();
  assert.deepEqual(events, []);
});

test('webPhone emits devicesChanged with the audio inputs and outputs, and stops listening on dispose', async () => {
  const sipClient = { on() {}, start: async () => {}, dispose: async () => {} };
  const before = listeners.size;
  const phone = new WebPhone({ sipInfo: { username: '101', domain: 'x', authorizationId: '101', password: 'p', outboundProxy: 'x' }, sipClient });
  // Chromium's first devicechange listener costs the page ~10 ms of main
  // thread at start-up: only a phone whose app listens for devicesChanged adds one.
  assert.equal(listeners.size, before, 'no devicechange listener until the app asks for devicesChanged');
  const seen = [];
  phone.on('devicesChanged', (lists) => seen.push(lists));
  assert.equal(listeners.size, before + 1);
  phone.once('devicesChanged', () => {});
  assert.equal(listeners.size, before + 1, 'one listener however many the app adds');
  devices = [...all(), { kind: 'videoinput', deviceId: 'cam', label: 'Camera' }];
  mediaDevices.dispatchEvent(new Event('devicechange'));
  await tick();
  assert.equal(seen.length, 1);
  assert.deepEqual(seen[0].inputs.map((d) => d.deviceId), ['default', 'mic', 'usb']);
  assert.deepEqual(seen[0].outputs.map((d) => d.deviceId), ['default', 'spk', 'hdmi']);
  await phone.dispose();
  assert.equal(listeners.size, before, 'no listener left behind');
});
