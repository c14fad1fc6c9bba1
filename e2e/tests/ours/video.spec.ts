// Video and screen share (README "Video and screen share") between two of our
// phones through Kamailio, in Debian Chromium with its fake camera
// (--use-fake-device-for-media-stream). Video is judged by what the far side
// decodes: inbound-rtp `framesDecoded` (kind video) grows, and the frames'
// shape says which source it is: the fake camera is 4:3, the fake screen
// 16:9, the test's canvas square (the sizes themselves vary: WebRTC scales
// down on a busy machine).
import { test, expect, type Phone } from '../../lib/fixtures';
import { CAMERA, CANVAS, SCREEN, expectFrames, expectNoFrames, video } from '../../lib/video-checks';

const ours = { sdk: 'ours' as const, transport: 'ws' as const };

/** The SDP bodies of the INVITEs `p` sent (initial and re-INVITEs), in order. */
async function invitesSent(p: Phone) {
  return (await p.sipMessages()).filter((m) => m.startsWith('>>> INVITE ')).map((m) => m.slice(m.indexOf('\r\n\r\n') + 4));
}
const mLines = (sdp: string) => sdp.match(/^m=\S+ \d+/gm) ?? [];
const session = (p: Phone, fn: string, ...args: unknown[]) =>
  p.page.evaluate(([f, a]) => (window as any).session[f as string](...(a as unknown[])), [fn, args] as const);
const prop = (p: Phone, name: string) => p.page.evaluate((n) => {
  const v = (window as any).session[n];
  return v instanceof MediaStream ? `stream:${v.getVideoTracks()[0]?.readyState}` : v;
}, name);

/** a calls 102 (with `video`), b answers (with `answerVideo`); both answered. */
async function connect(a: Phone, b: Phone, videoCall: boolean, answerVideo: boolean) {
  const done = a.page.evaluate((v) => (window as any).webPhone.call('102', undefined, v ? { video: true } : undefined).then((s: any) => s.state), videoCall);
  await b.waitForInboundCall();
  const offered = await prop(b, 'hasRemoteVideo');
  await b.page.evaluate((v) => (window as any).session.answer(v ? { video: true } : undefined), answerVideo);
  expect(await done).toBe('answered');
  return offered;
}

test('a video call decodes frames both ways; the callee knew it was offered video', async ({ phonePage }) => {
  const a = await phonePage('101', ours);
  const b = await phonePage('102', ours);
  expect(await connect(a, b, true, true)).toBe(true);
  const [invite] = await invitesSent(a);
  expect(mLines(invite)).toEqual([expect.stringMatching(/^m=audio [1-9]/), expect.stringMatching(/^m=video [1-9]/)]);
  await Promise.all([expectFrames(a, CAMERA), expectFrames(b, CAMERA)]);
  for (const p of [a, b]) {
    expect(await prop(p, 'localVideoStream')).toBe('stream:live');
    expect(await prop(p, 'remoteVideoStream')).toBe('stream:live');
    expect(await prop(p, 'hasRemoteVideo')).toBe(true);
  }
  // Hold with video: every m-line of the hold offer is sendonly (RFC 3264 §8.4).
  await a.hold();
  const held = (await invitesSent(a)).at(-1)!;
  expect(held.match(/^a=(sendonly|sendrecv|recvonly|inactive)/gm)).toEqual(['a=sendonly', 'a=sendonly']);
  await a.unhold();
  await a.hangup();
  await b.waitForState('disposed');
});

test('answering without video refuses it with port 0; audio flows, no video either way', async ({ phonePage }) => {
  const a = await phonePage('101', ours);
  const b = await phonePage('102', ours);
  expect(await connect(a, b, true, false)).toBe(true);
  const ok = (await b.sipMessages()).find((m) => m.startsWith('>>> SIP/2.0 200') && m.includes('\r\n\r\nv=0'))!;
  expect(mLines(ok.slice(ok.indexOf('\r\n\r\n')))).toEqual([expect.stringMatching(/^m=audio [1-9]/), 'm=video 0']);
  await expect.poll(() => prop(a, 'localVideoStream')).toBe(null); // the caller's camera closed
  expect(await prop(a, 'hasRemoteVideo')).toBe(false);
  expect((await video(a)).frames + (await video(b)).frames).toBe(0);
});

test('video added mid-call and removed again: re-INVITEs, frames start and then stop, m=video 0 stays', async ({ phonePage }) => {
  const a = await phonePage('101', ours);
  const b = await phonePage('102', ours);
  await connect(a, b, false, false);
  const initial = (await invitesSent(a)).length; // the INVITE (twice when challenged)

  await session(a, 'addVideo');
  expect(await invitesSent(a)).toHaveLength(initial + 1);
  expect(mLines((await invitesSent(a)).at(-1)!)).toEqual([expect.stringMatching(/^m=audio [1-9]/), expect.stringMatching(/^m=video [1-9]/)]);
  await expectFrames(b, CAMERA); // b takes it receive-only (acceptVideo's default)
  expect(await prop(b, 'remoteVideoStream')).toBe('stream:live');
  expect(await prop(b, 'localVideoStream')).toBe(null);
  await session(b, 'addVideo'); // and sends its camera back on the same m-line
  expect(mLines((await invitesSent(b)).at(-1)!)).toEqual([expect.stringMatching(/^m=audio [1-9]/), expect.stringMatching(/^m=video [1-9]/)]);
  await expectFrames(a, CAMERA);

  await session(a, 'removeVideo');
  const removed = (await invitesSent(a)).at(-1)!;
  expect(mLines(removed)).toEqual([expect.stringMatching(/^m=audio [1-9]/), 'm=video 0']);
  await Promise.all([expectNoFrames(a), expectNoFrames(b)]);
  for (const p of [a, b]) {
    expect(await prop(p, 'localVideoStream')).toBe(null);
    expect(await prop(p, 'remoteVideoStream')).toBe(null);
  }
  // The core's hold offer keeps the removed m-line at port 0 (RFC 3264 §8.2).
  await a.hold();
  expect(mLines((await invitesSent(a)).at(-1)!)).toEqual([expect.stringMatching(/^m=audio [1-9]/), 'm=video 0']);
  await a.unhold();
  await a.hangup();
});

test('screen share swaps the sent track with no re-INVITE; the far side keeps decoding; its end restores the camera', async ({ phonePage }) => {
  const a = await phonePage('101', ours);
  const b = await phonePage('102', ours);
  await connect(a, b, true, true);
  await expectFrames(b, CAMERA);
  await Promise.all([a.sipQuiet(), b.sipQuiet()]);
  const invites = [(await invitesSent(a)).length, (await invitesSent(b)).length];

  // The SDK's own getDisplayMedia (Chromium's fake screen), stopped by the app.
  await session(a, 'startScreenShare');
  expect(await prop(a, 'screenSharing')).toBe(true);
  await expectFrames(b, SCREEN);
  await session(a, 'stopScreenShare');
  await expectFrames(b, CAMERA);

  // A stream the app gives (a square canvas), ended as by the browser's "Stop sharing".
  await a.page.evaluate(async () => {
    const canvas = Object.assign(document.createElement('canvas'), { width: 360, height: 360 });
    const g = canvas.getContext('2d')!;
    let n = 0;
    setInterval(() => { g.fillStyle = `hsl(${(n += 7) % 360} 80% 50%)`; g.fillRect(0, 0, 360, 360); }, 33);
    const stream = canvas.captureStream(30);
    (window as any).screen1 = stream;
    (window as any).session.on('screenShareEnded', (e: any) => ((window as any).shareEnded = e.reason));
    await (window as any).session.startScreenShare(stream);
  });
  expect(await prop(a, 'screenSharing')).toBe(true);
  await expectFrames(b, CANVAS);
  // The user's "Stop sharing": the track's `ended` (dispatched: a canvas track has no such button).
  await a.page.evaluate(() => (window as any).screen1.getVideoTracks()[0].dispatchEvent(new Event('ended')));
  await expect.poll(() => a.page.evaluate(() => (window as any).shareEnded)).toBe('ended');
  expect(await prop(a, 'screenSharing')).toBe(false);
  await expectFrames(b, CAMERA);
  await Promise.all([a.sipQuiet(), b.sipQuiet()]);
  expect([(await invitesSent(a)).length, (await invitesSent(b)).length]).toEqual(invites);
  await a.hangup();
});

test('an audio-only call: the INVITE carries the browser\'s SDP as it made it, one m=audio and no m=video', async ({ phonePage }) => {
  // hostGrace as long as the cap: the INVITE waits for gathering to complete,
  // so the local description is final when it leaves and can be compared
  // byte for byte (by default it leaves before the TCP host candidates,
  // which the browser adds to the description afterwards: README "ICE").
  const a = await phonePage('101', { ...ours, options: { ice: { hostGrace: 2000 } } });
  const b = await phonePage('102', ours);
  await connect(a, b, false, false);
  const [invite] = await invitesSent(a);
  expect(mLines(invite)).toEqual([expect.stringMatching(/^m=audio [1-9]/)]);
  expect(invite).toBe(await a.localSdp()); // byte for byte: no rewriting without codecPreferences
  const inviteHead = (await a.sipMessages()).find((m) => m.startsWith('>>> INVITE '))!.split('\r\n\r\n')[0];
  expect(inviteHead).not.toMatch(/video/i);
  await a.hangup();
});
