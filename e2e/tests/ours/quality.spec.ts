// Call quality (README "Call quality", issue 14) on real calls between two of
// our phones through Kamailio, in Chromium with fake audio: the report's
// figures on loopback, the ICE state events, and the media watchdog when
// the far side stops sending packets or sends digital silence.
import { test, expect, connect as answered, expectAudio, type Phone } from '../../lib/fixtures';
import { sipInfo } from '../../lib/users.mjs';

const ours = (callQuality: Record<string, number>) => ({ sdk: 'ours' as const, transport: 'ws' as const, options: { callQuality } });

/** Records the session's quality events into window.quality (from the call's creation on). */
async function recordQuality(p: Phone) {
  await p.page.evaluate(() => {
    const w = window as any;
    w.quality = [];
    const watch = (s: any) => {
      for (const name of ['qualityReport', 'mediaStalled', 'mediaResumed', 'mediaConnectionStateChanged'])
        s.on(name, (arg: unknown) => w.quality.push({ name, at: Date.now(), arg }));
    };
    w.webPhone.on('outboundCall', watch);
    w.webPhone.on('inboundCall', watch);
  });
}
const quality = (p: Phone) => p.page.evaluate(() => (window as any).quality as Array<{ name: string; at: number; arg: any }>);
const named = async (p: Phone, name: string) => (await quality(p)).filter((e) => e.name === name);

/** A call from `a` to `b`, answered, with audio both ways. */
async function connect(a: Phone, b: Phone, callee: string) {
  await answered(a, b, callee);
  await expectAudio([a, b]);
}

test('a loopback call reports sane quality: no loss, small RTT, MOS > 4, host pair, Opus, times to INVITE and media', async ({ phonePage }) => {
  const a = await phonePage('101', ours({ reportInterval: 1000 }));
  const b = await phonePage('102', ours({}));
  await recordQuality(a);
  await recordQuality(b);
  await connect(a, b, '102');

  await expect.poll(async () => (await named(a, 'qualityReport')).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
  const r = (await named(a, 'qualityReport')).at(-1)!.arg;
  expect(r.intervalMs).toBeGreaterThan(500);
  expect(r.inbound.packets).toBeGreaterThan(50);
  expect(r.inbound.lossPercent).toBeLessThanOrEqual(1);
  expect(r.inbound.jitterMs).toBeLessThan(30);
  expect(r.inbound.bitrateKbps).toBeGreaterThan(8);
  expect(r.outbound.bitrateKbps).toBeGreaterThan(8);
  expect(r.rttMs).toBeLessThan(50);
  expect(r.mos).toBeGreaterThan(4);
  expect(r.codec.mimeType.toLowerCase()).toBe('audio/opus');
  expect(r.candidatePair.local.type).toBe('host');
  expect(r.candidatePair.local.address).toBe('127.0.0.1');
  expect(r.timeToInviteMs).toBeGreaterThan(0);
  expect(r.timeToMediaMs).toBeGreaterThan(r.timeToInviteMs);
  expect(r.timeToMediaMs).toBeLessThan(10_000);
  // The app's own getStats() on the answering side gives the same shape.
  const s = await b.page.evaluate(() => (window as any).session.getStats());
  expect(s.inbound.packets).toBeGreaterThan(50);
  expect(s.mos).toBeGreaterThan(4);
  expect(s.timeToInviteMs).toBeGreaterThanOrEqual(0);
  // Without reportInterval no report is emitted.
  expect(await named(b, 'qualityReport')).toHaveLength(0);
  // ICE went checking -> connected on both sides.
  for (const p of [a, b]) {
    const states = (await named(p, 'mediaConnectionStateChanged')).map((e) => e.arg.state);
    expect(states).toContain('checking');
    expect(states).toContain('connected');
  }

  // The diagnostics bundles of a live call (README "Diagnostics").
  const d = await a.page.evaluate(() => (window as any).session.diagnostics());
  expect(d.callId).toBe(await a.page.evaluate(() => (window as any).session.callId));
  expect(d.sipTrace.map((m: any) => `${m.direction} ${m.text.split('\r\n')[0]}`)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^out INVITE sip:102@/), 'in SIP/2.0 200 OK', expect.stringMatching(/^out ACK /)]));
  expect(d.localSdp).toContain('m=audio');
  expect(d.remoteSdp).toContain('m=audio');
  const timeline = d.iceTimeline.map((t: any) => t.what);
  for (const what of ['gathering complete', 'ice checking', 'ice connected', 'first media']) expect(timeline).toContain(what);
  expect(d.stats.length).toBeGreaterThanOrEqual(2);
  const phone = await a.page.evaluate(() => (window as any).webPhone.diagnostics());
  expect(phone.calls).toHaveLength(1);
  expect(phone.sdk.wasmSha256).toMatch(/^[0-9a-f]{64}$/);
  expect(phone.sipTrace.some((m: any) => m.text.startsWith('REGISTER '))).toBe(true);
  const text = JSON.stringify(phone);
  expect(text).not.toContain(sipInfo('101').password);
  expect(text).not.toMatch(/response="[0-9a-f]{32}"/);

  await a.hangup();
  await b.waitForState('disposed');
  await expect(a.page.evaluate(() => (window as any).session.getStats())).rejects.toThrow(/the call has ended/);
});

test('watchdog: the far side stops sending -> mediaStalled within the timeout on both ends, mediaResumed when it sends again', async ({ phonePage }) => {
  const watchdog = { stallTimeout: 2000, sampleInterval: 500 };
  const a = await phonePage('103', ours(watchdog));
  const b = await phonePage('104', ours(watchdog));
  await recordQuality(a);
  await recordQuality(b);
  await connect(a, b, '104');
  expect(await named(a, 'mediaStalled')).toHaveLength(0);

  // b's sender stops putting packets on the wire.
  const stoppedAt = await b.page.evaluate(async () => {
    const w = window as any;
    const sender = w.session.rtcPeerConnection.getSenders().find((s: RTCRtpSender) => s.track?.kind === 'audio');
    w.savedTrack = sender.track;
    await sender.replaceTrack(null);
    return Date.now();
  });
  await expect.poll(async () => (await named(a, 'mediaStalled')).length, { timeout: 8000 }).toBe(1);
  const stalled = (await named(a, 'mediaStalled'))[0];
  expect(stalled.arg).toMatchObject({ direction: 'inbound', reason: 'noPackets' });
  const latency = stalled.at - stoppedAt;
  console.log(`watchdog: inbound stall detected ${latency} ms after the far side stopped (stallTimeout 2000, sampleInterval 500)`);
  expect(latency).toBeGreaterThanOrEqual(2000 - 100);
  expect(latency).toBeLessThan(2000 + 2500);
  // The sender's own watchdog sees its outbound packets stop.
  await expect.poll(async () => (await named(b, 'mediaStalled')).map((e) => e.arg.direction), { timeout: 8000 }).toContain('outbound');

  await b.page.evaluate(async () => {
    const w = window as any;
    const sender = w.session.rtcPeerConnection.getSenders().find((s: RTCRtpSender) => !s.track);
    await sender.replaceTrack(w.savedTrack);
  });
  await expect.poll(async () => (await named(a, 'mediaResumed')).length, { timeout: 8000 }).toBe(1);
  expect((await named(a, 'mediaResumed'))[0].arg).toMatchObject({ direction: 'inbound', reason: 'noPackets' });
  await expect.poll(async () => (await named(b, 'mediaResumed')).length, { timeout: 8000 }).toBe(1);
  await a.hangup();
});

test('watchdog: a muted far end (packets of digital silence) -> mediaStalled "silence"; hold is never a stall', async ({ phonePage }) => {
  const watchdog = { stallTimeout: 2000, sampleInterval: 500 };
  const a = await phonePage('101', ours(watchdog));
  const b = await phonePage('102', ours(watchdog));
  await recordQuality(a);
  await recordQuality(b);
  await connect(a, b, '102');

  await b.page.evaluate(() => (window as any).session.mute());
  await expect.poll(async () => (await named(a, 'mediaStalled')).map((e) => e.arg), { timeout: 8000 })
    .toEqual([{ direction: 'inbound', reason: 'silence', silentForMs: expect.any(Number) }]);
  expect(await a.inPackets()).toBeGreaterThan(0); // packets kept coming: it is silence, not a dead path
  await b.page.evaluate(() => (window as any).session.unmute());
  await expect.poll(async () => (await named(a, 'mediaResumed')).length, { timeout: 8000 }).toBe(1);

  // Hold for three stall timeouts: neither side calls it a stall.
  const before = { a: (await named(a, 'mediaStalled')).length, b: (await named(b, 'mediaStalled')).length };
  await a.hold();
  const heldAt = Date.now();
  await expect.poll(() => Date.now() - heldAt, { timeout: 10_000, intervals: [500] }).toBeGreaterThan(6000);
  expect((await named(a, 'mediaStalled')).length).toBe(before.a);
  expect((await named(b, 'mediaStalled')).length).toBe(before.b);
  await a.unhold();
  await expectAudio([a, b]);
  await a.hangup();
});

test('ICE failed with autoRecover on: an ICE-restart re-INVITE restores the call (mediaRecovering -> mediaRecovered)', async ({ phonePage }) => {
  const a = await phonePage('103', { sdk: 'ours', transport: 'ws', options: { autoRecover: true } });
  const b = await phonePage('104', { sdk: 'ours', transport: 'ws', options: { autoRecover: true } });
  await recordQuality(a);
  await a.page.evaluate(() => {
    const w = window as any;
    w.webPhone.on('outboundCall', (s: any) => {
      for (const name of ['mediaRecovering', 'mediaRecovered', 'mediaRecoveryFailed']) s.on(name, () => w.quality.push({ name, at: Date.now() }));
    });
  });
  await connect(a, b, '104');
  const invitesBefore = (await a.sipMessages()).filter((m) => m.startsWith('>>> INVITE')).length;
  // The browser gives up on every candidate pair. Chromium will not fail ICE
  // on loopback, so the page reports `failed` as it would (the state and its
  // event); what follows — the re-INVITE, the ICE restart — is real.
  await a.page.evaluate(() => {
    const pc = (window as any).session.rtcPeerConnection as RTCPeerConnection;
    Object.defineProperty(pc, 'iceConnectionState', { get: () => 'failed', configurable: true });
    pc.dispatchEvent(new Event('iceconnectionstatechange'));
    delete (pc as any).iceConnectionState; // back to the real getter for the restart
  });
  await expect.poll(async () => (await quality(a)).map((e) => e.name).filter((n) => n.startsWith('mediaRecover')), { timeout: 15_000 })
    .toEqual(['mediaRecovering', 'mediaRecovered']);
  const reinvite = (await a.sipMessages()).filter((m) => m.startsWith('>>> INVITE')).slice(invitesBefore);
  expect(reinvite).toHaveLength(1);
  expect((await named(a, 'mediaConnectionStateChanged')).map((e) => e.arg.state)).toContain('failed');
  // A new ICE ufrag: the restart was real (RFC 8839 §4.4.1.1.2), and audio flows again.
  const ufrags = (await a.sipMessages()).filter((m) => m.startsWith('>>> INVITE')).map((m) => /a=ice-ufrag:(\S+)/.exec(m)?.[1]);
  expect(ufrags.at(-1)).toBeTruthy();
  expect(ufrags.at(-1)).not.toBe(ufrags[0]); // (the first INVITE and its challenged retry share one)
  await expectAudio([a, b]);
  await a.hangup();
});
