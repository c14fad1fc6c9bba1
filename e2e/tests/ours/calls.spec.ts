// Calls with our SDK through the standard-SIP server (Kamailio) in Debian
// Chromium with fake media: ours ⇄ ours, ours ⇄ the published
// ringcentral-web-phone in both directions, and sipp calling ours.
import { test, expect, connect, expectAudio, expectSilence, type Phone } from '../../lib/fixtures';
import { AUDIO_POWER_MIN, expectDtmfDelivered, meanPower, type MediaEnd } from '../../lib/media-checks';
import { waitForQuiet } from '../../lib/quiet';
import { runSipp } from '../../lib/sipp.mjs';

const ours = { sdk: 'ours' as const, transport: 'ws' as const };

// Whether audio reaches `p`, judged by its inbound-rtp packet count (~50 packets
// a second) within the 1.2 s window the checks have always used.
/** Audio arrives: more than 10 packets within 1.2 s. */
async function expectReceiving(p: Phone) {
  const before = await p.inPackets();
  await expect.poll(() => p.inPackets(), { timeout: 1200, intervals: [100], message: `audio into ${p.ext}` }).toBeGreaterThan(before + 10);
}
/** No audio arrives: at most 10 more packets, then none at all for 1.2 s (bounded). */
async function expectNotReceiving(p: Phone) {
  const before = await p.inPackets();
  const settled = await waitForQuiet(() => p.inPackets(), { quietMs: 1200, timeout: 5000, interval: 100, what: `audio into ${p.ext}` });
  expect(settled - before, `packets into ${p.ext} after it stopped receiving`).toBeLessThanOrEqual(10);
}

test('ours ⇄ ours: call, audio both ways, hold stops it, unhold resumes, mute and DTMF send no SIP, hangup', async ({ phonePage }) => {
  const a = await phonePage('101', ours);
  const b = await phonePage('102', ours);
  await connect(a, b, '102');
  await expectAudio([a, b]);

  await a.hold();
  expect(await a.localSdp()).toBeDefined();
  const held = (await a.sipMessages()).filter((m) => m.startsWith('>>> INVITE')).at(-1)!;
  expect(held).toContain('a=sendonly');
  // The held side no longer receives: the other side answered recvonly.
  await expectNotReceiving(a);
  await a.unhold();
  await expectReceiving(a);

  await Promise.all([a.sipQuiet(), b.sipQuiet()]); // the unhold's messages are in before counting
  const before = [(await a.sipLog()).length, (await b.sipLog()).length];
  await b.page.evaluate(() => { (window as any).session.mute(); (window as any).session.unmute(); (window as any).session.sendDtmf('123#'); });
  await Promise.all([a.sipQuiet(), b.sipQuiet()]);
  expect([(await a.sipLog()).length, (await b.sipLog()).length]).toEqual(before);
  await expect(b.page.evaluate(() => (window as any).session.sendDtmf('12<x>'))).rejects.toThrow(/invalid DTMF/);

  await b.hangup();
  await a.waitForState('disposed');
  await b.waitForState('disposed');
  expect(await a.sessionCount()).toBe(0);
  expect(await b.sessionCount()).toBe(0);
});

/** A phone's current call as the media checks need it. */
async function end(p: Phone): Promise<MediaEnd> {
  return { page: p.page, pc: await p.page.evaluateHandle(() => (window as any).session.rtcPeerConnection as RTCPeerConnection | undefined) };
}

test('ours ⇄ ours: the far side hears audio, not just packets; mute brings it below the threshold, unmute back', async ({ phonePage }, testInfo) => {
  const a = await phonePage('101', ours);
  const b = await phonePage('102', ours);
  await connect(a, b, '102');
  await expectAudio([a, b]);
  const before = await b.inboundAudio();
  await expect.poll(async () => (await b.inboundAudio()).duration - before.duration).toBeGreaterThan(1);
  const loud = meanPower(before, await b.inboundAudio());

  await a.page.evaluate(() => (window as any).session.mute());
  const muted = await expectSilence(b);            // A's microphone off: B hears (digital) silence
  // RTP still flows, so a packet count would pass; the audio check must not
  await expect(expectAudio([b], { timeout: 3000 })).rejects.toThrow(/mean power/);
  await expectAudio([a]);                          // B's microphone is still heard by A
  await a.page.evaluate(() => (window as any).session.unmute());
  await expectAudio([b]);

  testInfo.annotations.push({ type: 'mean power at the far side', description: `talking ${loud.toExponential(2)}, muted ${muted.toExponential(2)}, threshold ${AUDIO_POWER_MIN}` });
  expect(loud).toBeGreaterThan(AUDIO_POWER_MIN);
  expect(muted).toBeLessThan(AUDIO_POWER_MIN);
  await a.hangup();
  await b.waitForState('disposed');
});

test('ours ⇄ ours: DTMF reaches the far side: RFC 4733 events on the wire, the digits heard', async ({ phonePage }, testInfo) => {
  const a = await phonePage('101', ours);
  const b = await phonePage('102', ours);
  await connect(a, b, '102');
  await expectAudio([a, b]);
  // With A muted, B hears silence, so any tone B hears came as telephone-events.
  await a.page.evaluate(() => (window as any).session.mute());
  await expectSilence(b);
  const seen = await expectDtmfDelivered(await end(a), await end(b), '159#', () =>
    a.page.evaluate(() => (window as any).session.sendDtmf('159#', 200)));
  testInfo.annotations.push({ type: 'RFC 4733 events', description: JSON.stringify(seen) });
  // and the other way round, B to A
  await a.page.evaluate(() => (window as any).session.unmute());
  await b.page.evaluate(() => (window as any).session.mute());
  await expectSilence(a);
  await expectDtmfDelivered(await end(b), await end(a), '*0', () => b.page.evaluate(() => (window as any).session.sendDtmf('*0', 200)));
  await a.hangup();
  await b.waitForState('disposed');
});

test('sendDtmf says why it cannot send: ringing, put on hold by the other side, ended; sends again after unhold', async ({ phonePage }) => {
  const a = await phonePage('101', ours);
  const b = await phonePage('102', ours);
  const dtmf = (p: Phone) => p.page.evaluate(() => {
    try { (window as any).session.sendDtmf('1'); return 'sent'; } catch (e) { return String(e); }
  });
  const call = a.call('102');
  await b.waitForInboundCall();
  await a.waitForState('ringing');
  expect(await dtmf(a)).toBe('Error: sendDtmf: DTMF cannot be sent: the call is not connected yet (no SDP answer applied)');
  expect(await dtmf(b)).toBe('Error: sendDtmf: the call has no media yet (state: ringing)');
  await b.answer();
  await call.done;
  await expectAudio([a, b]);
  expect(await dtmf(a)).toBe('sent');

  await b.hold();                     // B's offer is sendonly, A answers recvonly: A may not send
  expect(await dtmf(a)).toBe('Error: sendDtmf: DTMF cannot be sent: our audio is not being sent ' +
    '(media direction recvonly: the other side has put the call on hold)');
  expect(await dtmf(b)).toBe('sent'); // the holding side still sends (sendonly)
  await b.unhold();
  expect(await dtmf(a)).toBe('sent');

  await a.hangup();
  await b.waitForState('disposed');
  expect(await dtmf(a)).toBe('Error: sendDtmf: the call has ended (state: disposed)');
});

test('ours → published ringcentral-web-phone: call, audio, caller hangs up', async ({ phonePage }) => {
  const a = await phonePage('103', ours);
  const b = await phonePage('104');
  await connect(a, b, '104');
  await expectAudio([a, b]);
  await a.hangup();
  await b.waitForState('disposed');
});

test('published ringcentral-web-phone → ours: call, audio, callee hangs up', async ({ phonePage }) => {
  const a = await phonePage('104');
  const b = await phonePage('103', ours);
  await connect(a, b, '103');
  await expectAudio([a, b]);
  await b.hangup();
  await a.waitForState('disposed');
});

test('cancel while ringing: the callee session goes away, the caller gets 487', async ({ phonePage }) => {
  const a = await phonePage('101', ours);
  const b = await phonePage('102', ours);
  const call = a.call('102');
  await b.waitForInboundCall();
  await a.waitForState('ringing');
  await a.cancel();
  await b.waitForState('disposed');
  await a.waitForState('disposed');
  expect((await a.sipLog())).toContain('<<< SIP/2.0 487 Request Terminated');
  expect((await b.sipLog())).toContain('>>> SIP/2.0 487 Request Terminated');
  void call;
});

test('decline: the caller fails with 603 Decline', async ({ phonePage }) => {
  const a = await phonePage('101', ours);
  const b = await phonePage('102', ours);
  const call = a.call('102');
  await b.waitForInboundCall();
  await b.decline();
  const result = await call.done;
  expect(result.state).toBe('disposed');
  const failed = (await a.events()).find((e) => e.name === 'failed');
  expect(failed).toBeDefined();
  expect((await a.sipLog())).toContain('<<< SIP/2.0 603 Decline');
});

test('custom headers reach the callee; header injection is refused before anything is sent', async ({ phonePage }) => {
  const a = await phonePage('101', ours);
  const b = await phonePage('102', ours);
  const call = a.call('102', { 'X-Custom-Header': 'test-value' });
  await b.waitForInboundCall();
  const invite = (await b.sipMessages()).find((m) => m.startsWith('<<< INVITE'))!;
  expect(invite).toContain('X-Custom-Header: test-value');
  await b.decline();
  await call.done;
  await a.sipQuiet(); // the declined call's last messages are in before counting
  const sent = (await a.sipLog()).length;
  await expect(a.page.evaluate(() => (window as any).webPhone.call('102', undefined, { headers: { 'X-Evil': 'a\r\nBYE sip:x SIP/2.0' } })))
    .rejects.toThrow(/header injection refused/);
  await a.sipQuiet();
  expect((await a.sipLog()).length).toBe(sent);
});

test('auto-answer: Alert-Info: Auto Answer is answered by our SDK', async ({ phonePage }) => {
  const a = await phonePage('101', ours);
  const b = await phonePage('102', ours);
  const call = a.call('102', { 'Alert-Info': 'Auto Answer', 'Call-Info': '<x>;purpose=info;Answer-After=300' });
  await call.done;
  await b.waitForState('answered');
  await expectAudio([a, b]);
});

test('sipp over UDP calls our SDK through Kamailio: answered and hung up by sipp', async ({ phonePage }) => {
  const b = await phonePage('102', ours);
  const r = await runSipp({ service: '102', caller: '103', transport: 'udp' });
  expect(r.code, `sipp exit code\n${r.stderr}\n${r.errors}`).toBe(0);
  expect(await b.eventNames()).toEqual(expect.arrayContaining(['inboundCall', 'answered', 'disposed']));
  expect((await b.sipLog())).toContain('>>> SIP/2.0 200 OK');
});

test('session timers (RFC 4028): sipp asks our SDK to refresh every 90 s; it sends UPDATE at 45 s through Kamailio', async ({ phonePage }) => {
  test.setTimeout(120_000);
  const b = await phonePage('102', ours);
  const r = await runSipp({ scenario: 'uac-session-timer.xml', service: '102', caller: '103', transport: 'udp', timeout: 90, args: ['-p', '5072'] });
  expect(r.code, `sipp exit code\n${r.stderr}\n${r.errors}`).toBe(0);
  const log = await b.sipLog();
  expect(log).toContain('>>> SIP/2.0 200 OK');
  expect(log.some((l) => l.startsWith('>>> UPDATE'))).toBe(true);
  expect(log.some((l) => l.startsWith('>>> INVITE'))).toBe(false);  // no re-INVITE: the peer allows UPDATE
  expect(await b.eventNames()).toEqual(expect.arrayContaining(['inboundCall', 'answered', 'disposed']));
});

test('a caller that requires 100rel (RFC 3262) gets 420 Bad Extension, Unsupported: 100rel, and no call rings; its retry without it is answered (RFC 3261 §8.2.2.3)', async ({ phonePage }) => {
  const b = await phonePage('102', ours);
  const r = await runSipp({ scenario: 'uac-require-100rel.xml', service: '102', caller: '103', transport: 'udp', args: ['-p', '5073'] });
  expect(r.code, `sipp exit code\n${r.stderr}\n${r.errors}`).toBe(0); // sipp checked the 420's Unsupported and the call
  const log = await b.sipLog();
  expect(log.filter((l) => l.startsWith('>>> SIP/2.0 420 Bad Extension'))).toHaveLength(1);
  expect(log.filter((l) => l.startsWith('<<< INVITE '))).toHaveLength(2); // the refused one and the retry
  // One inboundCall: the refused INVITE reached no call.
  expect((await b.eventNames()).filter((n) => n === 'inboundCall')).toHaveLength(1);
  expect(await b.eventNames()).toEqual(expect.arrayContaining(['inboundCall', 'answered', 'disposed']));
});

test('an offerless re-INVITE (RFC 3261 §14.2, 3pcc): the browser makes the offer for our 200 and applies the answer in the ACK', async ({ phonePage }) => {
  const b = await phonePage('102', ours);
  const run = runSipp({ scenario: 'uac-offerless-reinvite.xml', service: '102', caller: '103', transport: 'udp', args: ['-p', '5076'] });
  // While sipp holds the call (3 s after its ACK): the browser has the ACK's
  // answer, session version 2 (the INVITE's offer was 1; Chrome keeps the
  // o= numbers of a remote description, not its username or s= line).
  await expect.poll(async () => (await b.remoteSdp()) ?? '', { timeout: 15_000 }).toMatch(/^o=\S+ 1 2 IN IP4/m);
  const local = (await b.localSdp()) ?? '';
  const r = await run;
  expect(r.code, `sipp exit code\n${r.stderr}\n${r.errors}`).toBe(0); // sipp checked the offer in our 200
  const msgs = await b.sipMessages();
  const ok = msgs.filter((m) => m.startsWith('>>> SIP/2.0 200 ') && /^CSeq: 3 INVITE/m.test(m));
  expect(ok).toHaveLength(1);
  const offer = ok[0].slice(ok[0].indexOf('\r\n\r\n') + 4);
  const ufrag = offer.split('\r\n').find((l) => l.startsWith('a=ice-ufrag:'));
  expect(ufrag).toBeTruthy();
  expect(local, 'the offer in our 200 is the one the browser made').toContain(ufrag!);
  expect(await b.eventNames()).toEqual(expect.arrayContaining(['inboundCall', 'answered', 'disposed']));
});

test('a SIP-T caller (RFC 3204): the offer in a multipart/mixed INVITE beside ISUP is found, answered with plain SDP, and the call completes', async ({ phonePage }) => {
  const b = await phonePage('102', ours);
  const r = await runSipp({ scenario: 'uac-multipart-sdp.xml', service: '102', caller: '103', transport: 'udp', args: ['-p', '5075'] });
  expect(r.code, `sipp exit code\n${r.stderr}\n${r.errors}`).toBe(0); // sipp checked the 200's plain SDP answer
  const invite = (await b.sipMessages()).filter((m) => m.startsWith('<<< INVITE ')).at(-1)!;
  expect(invite).toMatch(/^Content-Type: multipart\/mixed/m);
  expect(invite).toContain('Content-Type: application/ISUP');
  // Answered means the browser took the offer: a multipart body is no SDP to it.
  expect(await b.eventNames()).toEqual(expect.arrayContaining(['inboundCall', 'answered', 'disposed']));
});

test('DTMF by SIP INFO from sipp through Kamailio: dtmf events with the digits; a bad Signal is refused 400 and the call goes on', async ({ phonePage }) => {
  const b = await phonePage('102', ours);
  // The harness records session events it knows; `dtmf` is ours (README "DTMF").
  await b.page.evaluate(() => (window as any).webPhone.on('inboundCall', (s: any) =>
    s.on('dtmf', (d: any) => (window as any).events.push({ name: 'dtmf', digit: d.digit, duration: d.duration, transport: d.transport }))));
  const r = await runSipp({ scenario: 'uac-info-dtmf.xml', service: '102', caller: '103', transport: 'udp' });
  expect(r.code, `sipp exit code\n${r.stderr}\n${r.errors}`).toBe(0);   // each INFO got the status the scenario expects
  const dtmf = (await b.events()).filter((e) => e.name === 'dtmf').map(({ digit, duration, transport }) => ({ digit, duration, transport }));
  expect(dtmf).toEqual([
    { digit: '5', duration: 160, transport: 'info' },
    { digit: '#', duration: 100, transport: 'info' },
    { digit: '9', duration: 0, transport: 'info' },
  ]);
  const log = await b.sipLog();
  expect(log.filter((l) => l.startsWith('<<< INFO '))).toHaveLength(4);
  expect(log.filter((l) => l.startsWith('>>> SIP/2.0 400 '))).toHaveLength(1);
  expect(await b.eventNames()).toEqual(expect.arrayContaining(['inboundCall', 'answered', 'disposed']));
});

test('codecPreferences { audio: [PCMU] } is on the wire and in use: the INVITE offers only PCMU (+ its helpers) and b=AS, both sides send PCMU, audio flows', async ({ phonePage }) => {
  const a = await phonePage('101', { ...ours, options: { codecPreferences: { audio: ['PCMU'] }, bandwidth: { audio: 64 } } });
  const b = await phonePage('102', ours);
  await connect(a, b, '102');
  await expectAudio([a, b]);
  const invite = (await a.sipMessages()).find((m) => m.startsWith('>>> INVITE '))!;
  const mline = /^m=audio \d+ \S+ ([\d ]+)\r?$/m.exec(invite)?.[1].split(' ') ?? [];
  const rtpmap = (pt: string) => new RegExp(`^a=rtpmap:${pt} ([^/\r\n]+)`, 'm').exec(invite)?.[1];
  // PCMU first and the only codec; its helpers stay (README: telephone-event always, CN at 8 kHz).
  const names = mline.map(rtpmap);
  expect(names[0]).toBe('PCMU');
  expect(new Set(names)).toEqual(new Set(['PCMU', 'CN', 'telephone-event']));
  expect(invite).toMatch(/^b=AS:64\r?$/m);
  // What each browser encodes with, from its own stats (not from the SDP).
  const sendCodec = (p: Phone) => p.page.evaluate(async () => {
    const stats = await (window as any).session.rtcPeerConnection.getStats();
    let mime = '';
    stats.forEach((r: any) => { if (r.type === 'outbound-rtp' && r.kind === 'audio' && r.codecId) mime = stats.get(r.codecId)?.mimeType ?? ''; });
    return mime;
  });
  await expect.poll(() => sendCodec(a)).toBe('audio/PCMU');
  await expect.poll(() => sendCodec(b)).toBe('audio/PCMU');
  await a.hangup();
});

test('blind transfer on a standard server: B refers A to C; A calls C, NOTIFYs 200, B hangs up', async ({ phonePage }) => {
  const a = await phonePage('101', ours);
  const b = await phonePage('102', ours);
  const c = await phonePage('103', ours);
  await connect(a, b, '102');
  const transferred = b.page.evaluate(() => (window as any).session.transfer('103'));
  await c.waitForInboundCall();
  await c.answer();
  await transferred;                       // resolves when B's leg ended
  await b.waitForState('disposed');
  await a.waitForState('answered');        // A's current session is the new call to C
  await expectAudio([a, c]);
  const aLog = await a.sipLog();
  expect(aLog).toContain('<<< REFER sip:101@' + aLog.find((l) => l.startsWith('<<< REFER'))!.slice('<<< REFER sip:101@'.length));
  expect(aLog.some((l) => l.startsWith('>>> SIP/2.0 202'))).toBe(true);
  expect((await a.sipMessages()).some((m) => m.startsWith('>>> NOTIFY') && m.includes('SIP/2.0 200 OK'))).toBe(true);
});

test('attended transfer on a standard server: B consults C and completes; A calls C with Replaces, C takes it over unasked', async ({ phonePage }) => {
  const a = await phonePage('101', ours);
  const b = await phonePage('102', ours);
  const c = await phonePage('103', ours);
  await connect(a, b, '102');
  // B holds A and calls C (warmTransfer); C answers the consultation by hand.
  await b.page.evaluate(() => { (window as any).orig = (window as any).session; });
  const consulting = b.page.evaluate(async () => {
    const w = ((window as any).warm = await (window as any).orig.warmTransfer('103'));
    return w.newSession.state;
  });
  await c.waitForInboundCall();
  await c.answer();
  expect(await consulting).toBe('answered');
  await expectAudio([b, c]);
  // complete(): REFER A with Refer-To <C?Replaces=B–C dialog>; resolves when B's leg to A ended.
  await b.page.evaluate(() => (window as any).warm.complete());
  await b.waitForState('disposed');
  await a.waitForState('answered');                 // A's current session is its new call to C
  await c.waitForState('answered');                 // C's current session is the replacing call
  await expectAudio([a, c]);
  // RFC 3891 §3: C rang once (the consultation), took A's INVITE as its replacement
  // without asking, and ended the consultation itself; B is left with nothing.
  const cEvents = await c.eventNames();
  expect(cEvents.filter((e) => e === 'inboundCall')).toHaveLength(2);
  expect(cEvents).toContain('replaced');
  expect(await c.sessionCount()).toBe(1);
  expect(await b.sessionCount()).toBe(0);
  expect(await a.sessionCount()).toBe(1);
  expect(await a.eventNames()).toContain('referred');
  const cIn = (await c.sipMessages()).filter((m) => m.startsWith('<<< INVITE'));
  expect(cIn.at(-1)).toMatch(/\r\nReplaces: [^\r]+;to-tag=[^;\r]+;from-tag=/i);
  expect((await c.sipLog()).some((l) => l.startsWith('>>> BYE'))).toBe(true);
  await a.hangup();
  await c.waitForState('disposed');
});

test('the microphone is unplugged mid-call (its track ends): deviceLost, deviceSwitched to another input, the far side keeps hearing us, no re-INVITE', async ({ phonePage }) => {
  const a = await phonePage('103', ours);
  const b = await phonePage('104', ours);
  await connect(a, b, '104');
  await expectAudio([a, b]);
  const before = await a.page.evaluate(() => ({
    device: (window as any).session.inputDeviceId,
    track: (window as any).session.rtcPeerConnection.getSenders()[0].track.id,
  }));
  const invites = (await a.sipMessages()).filter((m) => /^(>>>|<<<) INVITE/.test(m)).length;
  // What the browser does when a device goes away: the track ends (readyState
  // 'ended') and fires 'ended'. stop() alone fires nothing, so dispatch it.
  await a.page.evaluate(() => {
    const t = (window as any).session.rtcPeerConnection.getSenders()[0].track;
    t.stop();
    t.dispatchEvent(new Event('ended'));
  });
  await expect.poll(async () => (await a.page.evaluate(() => (window as any).events)).filter((e: any) => e.name.startsWith('device')).map((e: any) => e.name))
    .toEqual(['deviceLost', 'deviceSwitched']);
  const evs = (await a.page.evaluate(() => (window as any).events)).filter((e: any) => e.name.startsWith('device'));
  expect(evs[0].deviceId).toBe(before.device);
  expect(evs[1].from).toBe(before.device);
  expect(evs[1].deviceId).not.toBe(before.device);
  const after = await a.page.evaluate(() => {
    const t = (window as any).session.rtcPeerConnection.getSenders()[0].track;
    return { device: (window as any).session.inputDeviceId, track: t.id, live: t.readyState, setting: t.getSettings().deviceId };
  });
  expect(after.track).not.toBe(before.track);
  expect(after.live).toBe('live');
  expect(after.device).toBe(evs[1].deviceId);
  await expectAudio([b]); // b hears a through the new microphone
  expect((await a.sipMessages()).filter((m) => /^(>>>|<<<) INVITE/.test(m))).toHaveLength(invites); // replaceTrack, no renegotiation
  await a.hangup();
  await b.waitForState('disposed');
});

test('ours ⇄ ours: ICE-restart reInvite, reInvite(false) then unhold, hold from the callee, microphone and speaker changes keep the call (mute survives)', async ({ phonePage }) => {
  const a = await phonePage('103', ours);
  const b = await phonePage('104', ours);
  await connect(a, b, '104');
  await expectAudio([a, b]);

  // reInvite(): a new offer with fresh ICE credentials (RFC 8839 §4.4.1.1.1), answer applied, audio continues
  const ufrag = (sdp: string | undefined) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];
  const before = ufrag(await a.localSdp());
  expect(before).toBeTruthy();
  await a.page.evaluate(() => (window as any).session.reInvite());
  const reinvite = (await a.sipMessages()).filter((m) => m.startsWith('>>> INVITE')).at(-1)!;
  expect(ufrag(reinvite)).toBeTruthy();
  expect(ufrag(reinvite)).not.toBe(before);
  expect(ufrag(await b.page.evaluate(() => (window as any).remoteSdp()))).toBe(ufrag(reinvite));
  await expectAudio([a, b]);

  // reInvite(false) holds through the browser (our offer sendonly, the far
  // side's recvonly answer applied): unhold() then renegotiates through the
  // browser too, so a hears b again, not only the reverse
  await a.page.evaluate(() => (window as any).session.reInvite(false));
  await expectNotReceiving(a);
  await a.unhold();
  expect(await a.page.evaluate(() => (window as any).session.rtcPeerConnection.getTransceivers()[0].currentDirection)).toBe('sendrecv');
  await expectAudio([a, b]);

  // hold and unhold from the callee's side this time
  await b.hold();
  await expectNotReceiving(b);
  await b.unhold();
  await expectReceiving(b);

  // a new microphone: the sender's track comes from it, the peer keeps hearing us; mute carries over
  const inputs: string[] = await a.page.evaluate(async () =>
    (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput').map((d) => d.deviceId));
  expect(inputs.length).toBeGreaterThan(1);
  const mic = inputs.at(-1)!;
  await a.page.evaluate(() => (window as any).session.mute());
  await a.page.evaluate((id) => (window as any).session.changeInputDevice(id), mic);
  const sender = () => a.page.evaluate(() => {
    const t = (window as any).session.rtcPeerConnection.getSenders()[0].track;
    return { device: t.getSettings().deviceId, enabled: t.enabled, live: t.readyState };
  });
  expect(await sender()).toEqual({ device: mic, enabled: false, live: 'live' });
  await a.page.evaluate(() => (window as any).session.unmute());
  expect((await sender()).enabled).toBe(true);
  expect(await a.page.evaluate(() => (window as any).session.inputDeviceId)).toBe(mic);
  await expectAudio([b]);

  // a speaker: the <audio> element plays to the chosen output; an unknown id is refused clearly
  const outputs: string[] = await a.page.evaluate(async () =>
    (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audiooutput').map((d) => d.deviceId));
  if (outputs.length > 0) {
    const out = outputs.at(-1)!;
    await a.page.evaluate((id) => (window as any).session.changeOutputDevice(id), out);
    expect(await a.page.evaluate(() => (window as any).session.audioElement.sinkId)).toBe(out);
  }
  await expect(a.page.evaluate(() => (window as any).session.changeOutputDevice('no-such-speaker'))).rejects.toThrow(/NotFound|not found|device/i);

  await a.hangup();
  await b.waitForState('disposed');
});
