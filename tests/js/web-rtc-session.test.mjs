// BrowserWebRtcSession (js/media/web-rtc-session.ts) against a fake
// RTCPeerConnection: what it asks the browser for, and that sendDtmf() says
// why it cannot send rather than drop the tones (the e2e suite checks the
// real browser: e2e/tests/ours/calls.spec.ts).
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { BrowserWebRtcSession, dtmfUnavailable } = await import(`${root}/dist/es/media/web-rtc-session.js`);
const { iceSettings } = await import(`${root}/dist/es/media/ice-options.js`);

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
  // Offer/answer as far as the ICE gathering wait needs: the local description
  // grows an a=candidate line per candidate event the test fires (candidate()).
  async createOffer() { return { type: 'offer', sdp: 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n' }; }
  async setLocalDescription(d) { this.localDescription = d; this.iceGatheringState = 'gathering'; }
  candidate(c) {
    if (c) this.localDescription = { ...this.localDescription, sdp: `${this.localDescription.sdp}a=candidate:${c.candidate}\r\n` };
    else this.iceGatheringState = 'complete';
    this.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate: c }));
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

test('changeInputDevice() to a microphone that will not open: the one in use is opened again, the call is not left silent, and it rejects why', async () => {
  const opened = [];
  mediaDevices.getUserMedia = async (c) => {
    if (c.audio.deviceId.exact === 'busy') throw Object.assign(new Error('Could not start audio source'), { name: 'NotReadableError' });
    const t = micTrack(c.audio.deviceId.exact);
    opened.push(t);
    return streamOf(t);
  };
  try {
    const session = await BrowserWebRtcSession.create([], deviceManager, () => {});
    const pc = FakePeerConnection.last;
    session.setMuted(true);
    await assert.rejects(session.changeInputDevice('busy'), /Could not start audio source/);
    assert.equal(session.inputDeviceId, 'mic', 'still the microphone in use');
    assert.equal(opened.length, 2, 'the microphone in use was opened again');
    assert.equal(pc.sender.track, opened[1], 'and the sender carries it');
    assert.equal(opened[1].readyState, 'live');
    assert.equal(opened[1].enabled, false, 'still muted');
    await session.changeInputDevice('usb');
    assert.equal(session.inputDeviceId, 'usb');
    assert.equal(pc.sender.track.deviceId, 'usb');
    session.dispose();
  } finally {
    mediaDevices.getUserMedia = async () => stream;
  }
});

// --- the ICE gathering wait (non-trickle: the SDP leaves when it ends) --------

const udpHost = { candidate: '1 1 udp 2122260223 192.0.2.10 50000 typ host', type: 'host', protocol: 'udp' };
const tcpHost = { candidate: '2 1 tcp 1518280447 192.0.2.10 9 typ host tcptype active', type: 'host', protocol: 'tcp' };
const srflx = { candidate: '3 1 udp 1686052607 198.51.100.7 50000 typ srflx raddr 192.0.2.10 rport 50000', type: 'srflx', protocol: 'udp' };

const settle = () => new Promise((r) => setImmediate(r));

/**
 * createOffer() on a session with `ice`, with setTimeout mocked, driven by
 * `steps({ pc, after, sent })`: `after(ms)` lets that much time pass and
 * returns the SDP sent by then (undefined while the wait goes on); `sent()`
 * awaits it. The session is disposed and the timers restored either way.
 */
async function offering(ice, steps) {
  mock.timers.enable({ apis: ['setTimeout'] });
  let session;
  try {
    session = await BrowserWebRtcSession.create(ice, deviceManager, () => {});
    const pc = FakePeerConnection.last;
    let sdp;
    const offer = session.createOffer().then((s) => (sdp = s));
    for (let i = 0; i < 5; i++) await Promise.resolve(); // createOffer and setLocalDescription settle
    const after = async (ms) => {
      mock.timers.tick(ms);
      await settle();
      return sdp;
    };
    await steps({ pc, after, sent: () => offer });
  } finally {
    session?.dispose();
    mock.timers.reset();
  }
}

test('no STUN or TURN server: the SDP leaves hostGrace after the first UDP host candidate, without the TCP ones', () =>
  offering(iceSettings({}, []), async ({ pc, after }) => {
    pc.candidate(udpHost);
    assert.equal(await after(49), undefined, 'still within the 50 ms grace');
    const sdp = await after(1);
    assert.match(sdp, /a=candidate:1 1 udp .* typ host/);
    assert.doesNotMatch(sdp, /tcp/);
    pc.candidate(tcpHost); // ~100 ms later in Chromium: too late, and not waited for
  }));

test('with a STUN server, a host candidate starts no grace: the wait is for the srflx one (gatheringGrace)', () =>
  offering(iceSettings({}, ['stun.example.com:3478']), async ({ pc, after }) => {
    pc.candidate(udpHost);
    assert.equal(await after(1000), undefined, 'the STUN answer is still awaited (cap 2000 ms)');
    pc.candidate(srflx);
    assert.equal(await after(299), undefined);
    assert.match(await after(1), /typ srflx/);
  }));

test('hostGrace set to the cap: the TCP host candidates are waited for, up to gathering complete', () =>
  offering(iceSettings({ hostGrace: 2000 }, []), async ({ pc, after, sent }) => {
    pc.candidate(udpHost);
    assert.equal(await after(113), undefined);
    pc.candidate(tcpHost);
    pc.candidate(null); // gathering complete
    assert.match(await sent(), /typ host tcptype active/);
  }));

test('a STUN server that never answers: the SDP leaves at gatheringTimeout with the host candidates it has', () =>
  offering(iceSettings({}, ['stun.example.com:3478']), async ({ pc, after }) => {
    pc.candidate(udpHost);
    assert.equal(await after(1999), undefined, 'the srflx answer is awaited up to the cap');
    assert.match(await after(1), /a=candidate:1 1 udp .* typ host/);
  }));

test("iceTransportPolicy 'relay' and no candidate by gatheringTimeout: the offer rejects with why (an SDP without one would be a silent call)", () =>
  offering(iceSettings({ iceTransportPolicy: 'relay', iceServers: [{ urls: 'turn:turn.example.com:3478', username: 'u', credential: 'p' }] }, []), async ({ after, sent }) => {
    const outcome = sent().then(() => 'sent', (e) => e.message);
    assert.equal(await after(1999), undefined);
    await after(1);
    assert.equal(await outcome, "ICE gathering found no candidate within 2000 ms (iceTransportPolicy 'relay': is the TURN server reachable, are its credentials right?)");
  }));

/**
 * initMedia on the parts of a CallSession it reaches before the microphone is
 * open (`fields` sets its state), the microphone held until `release()`.
 */
async function initWithHeldMicrophone(label, fields) {
  const { initMedia } = await import(`${root}/dist/es/call-session/call-media.js`);
  let release;
  const gate = new Promise((r) => (release = r));
  const mic = micTrack(label);
  mediaDevices.getUserMedia = async () => { await gate; return streamOf(mic); };
  const session = {
    emit() {}, webPhone: { options: {}, sipInfo: {}, deviceManager }, ...fields,
    _video: { media() { throw new Error('media attached to an ended call'); } },
    quality: { attach() { throw new Error('quality monitor attached to an ended call'); } },
  };
  return { initMedia, session, mic, release, init: initMedia.call(session) };
}

/** What initMedia must leave when the call ended while the microphone opened. */
async function closedAgain({ init, mic, session }) {
  await assert.rejects(init, /the call ended while its media was being set up/);
  assert.equal(mic.readyState, 'ended', 'the microphone is released');
  assert.equal(FakePeerConnection.last.signalingState, 'closed', 'the peer connection is closed');
  assert.equal(session.webRtcSession, undefined);
}

test('a call that ends while its microphone opens (answer() during the permission prompt): the media is closed again and init says why', async () => {
  try {
    const opening = await initWithHeldMicrophone('prompted', { state: 'ringing' });
    opening.session.state = 'disposed'; // the caller hangs up (CANCEL) meanwhile
    opening.release();
    await closedAgain(opening);
  } finally {
    mediaDevices.getUserMedia = async () => stream;
  }
});

test('hangup() while the microphone opens (a call taken over from another tab): the BYE released the media, so the new microphone is closed again', async () => {
  try {
    // Answered (adopted) and still 'answered' after hangup(): the call is
    // disposed only when the BYE's answer comes, up to 32 s later.
    const opening = await initWithHeldMicrophone('adopted', { state: 'answered', mediaReleased: false });
    opening.session.mediaReleased = true; // hangup(): BYE sent, releaseMedia() found nothing to close yet
    opening.release();
    await closedAgain(opening);
    // A later init() (an app retrying) opens nothing at all.
    let asked = 0;
    mediaDevices.getUserMedia = async () => { asked++; return streamOf(micTrack('again')); };
    await assert.rejects(opening.initMedia.call(opening.session), /the call ended while its media was being set up/);
    assert.equal(asked, 0);
  } finally {
    mediaDevices.getUserMedia = async () => stream;
  }
});

/** getUserMedia that the test answers by hand, one request at a time. */
function gatedMicrophones() {
  const asked = [];
  mediaDevices.getUserMedia = (c) => new Promise((resolve) => {
    const t = micTrack(c.audio.deviceId.exact);
    asked.push({ track: t, open: () => resolve(streamOf(t)) });
  });
  return asked;
}
const tick = () => new Promise((r) => setTimeout(r, 0));

test('two microphone changes that overlap run one after the other: the last one asked for is in use, every other microphone is stopped', async () => {
  const { session, pc } = await newSession();
  const asked = gatedMicrophones();
  try {
    const a = session.changeInputDevice('usb');
    const b = session.changeInputDevice('headset');
    await tick();
    assert.equal(asked.length, 1, 'the second change waits for the first');
    asked[0].open();
    await a;
    await tick();
    assert.equal(asked.length, 2);
    asked[1].open();
    await b;
    assert.equal(session.inputDeviceId, 'headset');
    assert.equal(pc.sender.track, asked[1].track);
    assert.equal(asked[0].track.readyState, 'ended', 'the first change\'s microphone is stopped');
    assert.equal(asked[1].track.readyState, 'live');
    session.dispose();
    assert.equal(asked[1].track.readyState, 'ended');
  } finally {
    mediaDevices.getUserMedia = async () => stream;
  }
});

test('a microphone change under way when the call ends: the microphone it opens is stopped and the change says why', async () => {
  const { session } = await newSession();
  const asked = gatedMicrophones();
  try {
    const change = session.changeInputDevice('usb');
    await tick();
    session.dispose(); // hang-up while the browser opens the device
    asked[0].open();
    await assert.rejects(change, /the call ended while its microphone was opening/);
    assert.equal(asked[0].track.readyState, 'ended');
  } finally {
    mediaDevices.getUserMedia = async () => stream;
  }
});

test('mute() while a microphone change puts the new track on the sender: the new microphone goes out muted', async () => {
  const { session, pc } = await newSession();
  const mic = micTrack('usb');
  mediaDevices.getUserMedia = async () => streamOf(mic);
  let sendTrack;
  const gate = new Promise((r) => (sendTrack = r));
  const replaceTrack = pc.sender.replaceTrack;
  pc.sender.replaceTrack = async (t) => { await gate; return replaceTrack(t); };
  try {
    const change = session.changeInputDevice('usb');
    await tick();
    session.setMuted(true); // the sender still has the old track
    sendTrack();
    await change;
    assert.equal(pc.sender.track, mic);
    assert.equal(mic.enabled, false, 'muted as the UI says');
    session.setMuted(false);
    assert.equal(mic.enabled, true);
  } finally {
    mediaDevices.getUserMedia = async () => stream;
    session.dispose();
  }
});

test('addVideo() whose camera opens after the call ended: the camera is stopped and the send rejects', async () => {
  const { BrowserVideo } = await import(`${root}/dist/es/media/video.js`);
  let open;
  const camera = Object.assign(new EventTarget(), { kind: 'video', enabled: true, readyState: 'live', stop() { this.readyState = 'ended'; } });
  mediaDevices.getUserMedia = () => new Promise((r) => (open = () => r({ getTracks: () => [camera], getVideoTracks: () => [camera] })));
  try {
    const pc = new FakePeerConnection();
    const video = new BrowserVideo(pc, deviceManager, () => undefined);
    const sending = video.send();
    await tick();
    video.close(); // the call ends (BrowserWebRtcSession.dispose)
    open();
    await assert.rejects(sending, /the call ended while its camera was opening/);
    assert.equal(camera.readyState, 'ended', 'the camera light goes off');
    assert.equal(pc.added.length, 0, 'nothing added to the closed connection');
  } finally {
    mediaDevices.getUserMedia = async () => stream;
  }
});
