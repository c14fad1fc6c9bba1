// Video and screen share (README "Video and screen share") with real WebPhones
// from dist/ and the test kit's fake media against its edge in Node: what goes
// on the wire is read from the server's trace (the edge relays a re-INVITE
// that adds or removes a stream to the peer), what the session says from its
// properties and events, what it asked of the media from the fake's videoLog.
// Needs a built dist/ (scripts/build.sh --package-only).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { kitPhones } from './lib/kit-phones.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { fakeVideoStream } = await import(`${root}/dist/testing/index.mjs`);
const kit = kitPhones({ extensions: ['101', '102'] });
const phone = kit.phone;
const event = (emitter, name) => new Promise((resolve) => emitter.once(name, resolve));
const T = { timeout: 20_000 };

/** alice (101) calls bob (102) with `callOptions`; bob answers with `answerOptions`. */
async function call(callOptions, answerOptions, bobOptions) {
  const alice = await phone('101');
  const bob = await phone('102', bobOptions);
  await kit.server.clearTrace();
  const ringing = event(bob, 'inboundCall');
  const outbound = alice.call('102', undefined, callOptions);
  const inbound = await ringing;
  const offeredVideo = inbound.hasRemoteVideo;
  await inbound.answer(answerOptions);
  const a = await outbound;
  assert.equal(a.state, 'answered');
  return { alice, bob, a, b: inbound, offeredVideo, fa: alice.media.session(a), fb: bob.media.session(inbound) };
}

/** SIP messages 101 sent (dir 'in' at the server), by their start line's method or status. */
async function sent(ext, what) {
  return (await kit.server.trace(ext)).filter((m) => m.dir === 'in' && m.line.startsWith(what));
}
const videoLine = (sdp) => /^m=video (\d+)[^\r]*\r\n(?:(?!m=)[^\r]*\r\n)*/m.exec(sdp)?.[0];
const body = (text) => text.slice(text.indexOf('\r\n\r\n') + 4);
/** The SDP of the last message with one from `ext` whose start line begins with `what`. */
async function lastSdp(ext, what) { return body((await sent(ext, what)).filter((m) => /\r\n\r\nv=0/.test(m.text)).at(-1).text); }

test('an audio-only call offers no video and the session says so', T, async () => {
  const { a, b, offeredVideo, fa, fb } = await call(undefined, undefined);
  assert.equal(offeredVideo, false);
  const invite = await lastSdp('101', 'INVITE');
  assert.equal(videoLine(invite), undefined, 'no m=video in an audio-only INVITE');
  assert.equal(invite, fa.sdp[0].sdp, 'the media session\'s offer goes out as it made it');
  assert.equal(fa.videoRequested, false);
  assert.deepEqual(fa.videoLog, []);
  assert.deepEqual(fb.videoLog, []); // nothing asked of video: the offer had none
  const answer = fb.sdp.find((x) => x.kind === 'answer' && x.from === 'local').sdp;
  assert.equal(await lastSdp('102', 'SIP/2.0 200'), answer, 'the answer goes out as the media session made it');
  for (const s of [a, b]) {
    assert.equal(s.hasRemoteVideo, false);
    assert.equal(s.localVideoStream, null);
    assert.equal(s.remoteVideoStream, null);
  }
});

test('a video call: m=video in the INVITE, answered with the camera, streams both ways', T, async () => {
  const { a, b, offeredVideo, fa, fb } = await call({ video: true }, { video: true });
  assert.equal(offeredVideo, true, 'the callee knew the offer had video before answering');
  assert.match(videoLine(await lastSdp('101', 'INVITE')), /^m=video 9 .*\r\n[^]*a=sendrecv/);
  assert.match(videoLine(await lastSdp('102', 'SIP/2.0 200')), /^m=video 9 [^]*a=sendrecv/);
  assert.equal(fa.videoRequested, true);
  assert.equal(fb.videoRequested, true);
  for (const s of [a, b]) {
    assert.equal(s.hasRemoteVideo, true);
    assert.ok(s.localVideoStream, 'we send video');
    assert.ok(s.remoteVideoStream, 'we receive video');
  }
});

test('answer() without video refuses it with port 0 (RFC 3264 §6); the caller stops its camera', T, async () => {
  const { a, b, offeredVideo, fa } = await call({ video: true }, undefined);
  assert.equal(offeredVideo, true);
  assert.match(videoLine(await lastSdp('102', 'SIP/2.0 200')), /^m=video 0 /);
  assert.equal(a.hasRemoteVideo, false);
  assert.equal(a.localVideoStream, null);
  assert.equal(fa.videoPort, 0);
  assert.equal(fa.videoTrack, null);
  assert.equal(b.remoteVideoStream, null);
});

test('addVideo() and removeVideo() re-INVITE; the peer takes added video receive-only and hears of it', T, async () => {
  const { a, b } = await call(undefined, undefined);
  const bobSees = [];
  b.on('videoChanged', (v) => bobSees.push(v));
  await a.addVideo();
  const added = await lastSdp('101', 'INVITE');
  assert.match(videoLine(added), /^m=video 9 [^]*a=sendrecv/);
  assert.match(videoLine(await lastSdp('102', 'SIP/2.0 200')), /a=recvonly/, 'accepted receive-only: no camera opened at bob');
  assert.ok(a.localVideoStream);
  assert.equal(a.remoteVideoStream, null, 'bob sends none');
  assert.equal(b.hasRemoteVideo, true);
  assert.ok(b.remoteVideoStream);
  assert.equal(b.localVideoStream, null);
  assert.ok(bobSees.some((v) => v.remote && v.hasRemoteVideo), JSON.stringify(bobSees.map((v) => !!v.remote)));

  // bob sends his camera too, on the same m-line
  await b.addVideo();
  assert.ok(b.localVideoStream);
  assert.ok(a.remoteVideoStream);

  const invites = (await sent('101', 'INVITE')).length;
  await a.removeVideo();
  assert.equal((await sent('101', 'INVITE')).length, invites + 1);
  const removed = await lastSdp('101', 'INVITE');
  assert.match(videoLine(removed), /^m=video 0 /, 'removed by port 0, the m-line kept (RFC 3264 §8.2)');
  for (const s of [a, b]) {
    assert.equal(s.localVideoStream, null);
    assert.equal(s.remoteVideoStream, null);
    assert.equal(s.hasRemoteVideo, false);
  }
  // hold afterwards: the core's offer keeps the removed stream at port 0
  await a.hold();
  const held = await lastSdp('101', 'INVITE');
  assert.match(held, /a=sendonly/);
  assert.match(videoLine(held), /^m=video 0 /);
});

test('acceptVideo: false refuses the peer\'s added video; addVideo() rejects saying so', T, async () => {
  const { a, b, fa } = await call(undefined, undefined, { acceptVideo: false });
  await assert.rejects(a.addVideo(), /refused video \(port 0/);
  assert.match(videoLine(await lastSdp('102', 'SIP/2.0 200')), /^m=video 0 /);
  assert.equal(a.localVideoStream, null);
  assert.equal(fa.videoTrack, null);
  assert.equal(b.remoteVideoStream, null);
});

test('screen share swaps the track with no SIP when the call has video; its end restores the camera', T, async () => {
  const { a, fa } = await call({ video: true }, { video: true });
  const camera = a.localVideoStream;
  await new Promise((r) => setTimeout(r, 300)); // the ACK and anything else of the setup is out
  const before = (await kit.server.trace('101')).length;
  const screen = fakeVideoStream('screen 1');
  const started = event(a, 'screenShareStarted');
  await a.startScreenShare(screen);
  await started;
  assert.equal(a.screenSharing, true);
  assert.equal(a.localVideoStream.getVideoTracks()[0], screen.track);
  assert.notEqual(a.localVideoStream, camera);
  const ended = event(a, 'screenShareEnded');
  screen.track.end(); // the browser's "Stop sharing"
  assert.deepEqual(await ended, { reason: 'ended' });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(a.screenSharing, false);
  assert.equal(a.localVideoStream.getVideoTracks()[0].label, 'fake camera');
  assert.equal((await kit.server.trace('101')).length, before, 'no SIP for a track swap');
  assert.deepEqual(fa.videoLog, ['send camera', 'replace screen 1', 'replace camera']);
  await a.stopScreenShare(); // not sharing: nothing happens
  assert.equal(fa.videoLog.length, 3);
});

test('screen share on an audio-only call adds video by re-INVITE and removes it when it stops', T, async () => {
  const { a, b, fa } = await call(undefined, undefined);
  const invites = (await sent('101', 'INVITE')).length;
  await a.startScreenShare(fakeVideoStream('screen 2'));
  assert.equal((await sent('101', 'INVITE')).length, invites + 1);
  assert.match(videoLine(await lastSdp('101', 'INVITE')), /^m=video 9 /);
  assert.ok(b.remoteVideoStream);
  await a.stopScreenShare();
  assert.equal((await sent('101', 'INVITE')).length, invites + 2);
  assert.match(videoLine(await lastSdp('101', 'INVITE')), /^m=video 0 /);
  assert.equal(a.localVideoStream, null);
  assert.equal(b.remoteVideoStream, null);
  assert.deepEqual(fa.videoLog, ['send screen 2', 'remove']);
});

test('the peer removing video ends our screen share too', T, async () => {
  const { a, b } = await call({ video: true }, { video: true });
  await a.startScreenShare(fakeVideoStream('screen 3'));
  const ended = event(a, 'screenShareEnded');
  await b.removeVideo();
  assert.deepEqual(await ended, { reason: 'ended' });
  assert.equal(a.screenSharing, false);
  assert.equal(a.localVideoStream, null);
  assert.equal(a.remoteVideoStream, null);
});

test('muteVideo() disables the track we send with no SIP; hold with video holds both m-lines', T, async () => {
  const { a, fa } = await call({ video: true }, { video: true });
  const before = (await sent('101', '')).length;
  a.muteVideo();
  assert.equal(a.videoMuted, true);
  assert.equal(fa.videoTrack.enabled, false);
  a.unmuteVideo();
  assert.equal(fa.videoTrack.enabled, true);
  assert.equal((await sent('101', '')).length, before);
  await a.hold();
  const held = await lastSdp('101', 'INVITE');
  assert.equal(held.match(/a=sendonly/g)?.length, 2, held);
  await a.unhold();
  assert.equal((await lastSdp('101', 'INVITE')).match(/a=sendrecv/g)?.length, 2);
});

/** navigator.mediaDevices.getDisplayMedia for `run`, handing out `stream` (Node has none). */
async function withDisplayMedia(stream, run) {
  const had = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value: { mediaDevices: { getDisplayMedia: async () => stream } }, configurable: true });
  try {
    return await run();
  } finally {
    if (had) Object.defineProperty(globalThis, 'navigator', had);
    else delete globalThis.navigator;
  }
}

test('a screen share the peer refuses rejects and stops the capture the SDK opened (the browser\'s sharing bar goes)', T, async () => {
  const { a } = await call(undefined, undefined, { acceptVideo: false });
  const screen = fakeVideoStream('refused screen');
  let started = false;
  a.on('screenShareStarted', () => (started = true));
  await withDisplayMedia(screen, () => assert.rejects(a.startScreenShare(), /refused video \(port 0/));
  assert.equal(screen.track.readyState, 'ended', 'getDisplayMedia\'s capture is stopped');
  assert.equal(a.screenSharing, false);
  assert.equal(started, false);
  // A stream the app passed is the app's: refused, it is left as it was.
  const own = fakeVideoStream('app screen');
  await assert.rejects(a.startScreenShare(own), /refused video/);
  assert.equal(own.track.readyState, 'live');
});

test('"Stop sharing" pressed while the share\'s re-INVITE is under way ends the share once it is up', T, async () => {
  const { a } = await call(undefined, undefined);
  const screen = fakeVideoStream('short screen');
  const ended = event(a, 'screenShareEnded');
  const sharing = a.startScreenShare(screen);
  screen.track.end(); // before the re-INVITE's answer, so before the SDK listens
  await sharing;
  assert.deepEqual(await ended, { reason: 'ended' });
  await new Promise((r) => setTimeout(r, 300)); // the re-INVITE that removes it
  assert.equal(a.screenSharing, false);
  assert.equal(a.localVideoStream, null);
});
