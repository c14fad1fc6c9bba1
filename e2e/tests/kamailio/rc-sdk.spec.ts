// The e2e Kamailio proven with the published ringcentral-web-phone 2.5.4
// (its IIFE, unpatched, in e2e/pages/rc-phone.html), registered over wss.
import { test, expect, expectRtp, type Phone } from '../../lib/fixtures';

/**
 * Two published-SDK phones through a plain SIP proxy exchange RTP but play
 * nothing: 2.5.4 adds its microphone track without a stream (SDP
 * `a=msid:- <track>`) and plays the peer's `event.streams[0]`, which such an
 * SDP leaves empty, so its <audio> element never gets a source. (Against RC
 * the SDP comes from RC's media servers; our SDK names its stream, so the
 * published SDK hears it: e2e/tests/ours/calls.spec.ts.) If a release fixes
 * this, expectAudio() from the fixtures is the check to use here.
 */
async function rtpButNothingPlayed(phones: Phone[]) {
  await expectRtp(phones);
  for (const p of phones) {
    expect(await p.page.evaluate(() => (window as any).session.audioElement?.srcObject ?? null), `${p.ext} plays nothing`).toBeNull();
  }
}
import { registrations, waitForRegistrations } from '../../lib/kamailio.mjs';

test.describe('ringcentral-web-phone against the local Kamailio', () => {
  test('registers; the binding is in the location table; dispose removes it', async ({ phonePage }) => {
    const a = await phonePage('101');
    const [binding] = await waitForRegistrations('101');
    expect(binding.userAgent).toBe('ringcentral-web-phone-2');
    expect(binding.socket).toBe('tls:127.0.0.1:25443');                    // came in over WSS
    expect(binding.received).toMatch(/^sip:127\.0\.0\.1:\d+;transport=ws$/); // reached over its own connection
    expect(binding.expires).toBeGreaterThan(0);
    expect(binding.expires).toBeLessThanOrEqual(60);                        // the SDK asks for 60 s
    expect(await a.sipLog()).toEqual(expect.arrayContaining(['<<< SIP/2.0 401 Unauthorized', '<<< SIP/2.0 200 OK']));

    await a.dispose();                                                       // unREGISTER (expires=0)
    await waitForRegistrations('101', (b) => b.length === 0);
  });

  test('wrong password: start() rejects with "Registration failed: SIP/2.0 401 ..."', async ({ phonePage }) => {
    const a = await phonePage('103', { start: false, sipInfo: { password: 'not-the-password' } });
    await expect(a.start()).rejects.toThrow(/Registration failed: SIP\/2\.0 401 Unauthorized/);
    expect(await registrations('103')).toEqual([]);
  });

  test('A calls B, B answers, RTP flows both ways (neither plays it: SDK quirk), A hangs up, both sessions end', async ({ phonePage }) => {
    const a = await phonePage('101');
    const b = await phonePage('102');
    const call = a.call('102');
    const inbound = await b.waitForInboundCall();
    expect(inbound.from).toBe('101');
    expect(await b.answer()).toBe('answered');
    expect((await call.done).state).toBe('answered');
    await rtpButNothingPlayed([a, b]);

    await a.hangup();
    await a.waitForState('disposed');
    await b.waitForState('disposed');
    expect(await a.sessionCount()).toBe(0);
    expect(await b.sessionCount()).toBe(0);
  });

  test('callee hangs up (BYE to sip:<domain> without Route: RC2)', async ({ phonePage }) => {
    const a = await phonePage('101');
    const b = await phonePage('102');
    const call = a.call('102', { 'Alert-Info': 'Auto Answer' });   // the SDK auto-answers on this header
    expect((await call.done).state).toBe('answered');
    await rtpButNothingPlayed([a, b]);
    await b.hangup();
    await b.waitForState('disposed');
    await a.waitForState('disposed');
  });

  test('caller cancels while ringing; Kamailio sends the 487 the SDK never sends (RC5)', async ({ phonePage }) => {
    const a = await phonePage('101');
    const b = await phonePage('102');
    a.call('102');                          // never settles for a cancelled call (SDK behaviour)
    await b.waitForInboundCall();
    await b.waitForState('ringing');
    await a.cancel();
    await a.waitForState('disposed');
    await b.waitForState('disposed');
    await expect.poll(async () => (await a.sipLog()).some((l) => l.startsWith('<<< SIP/2.0 487 '))).toBe(true);
  });

  test('callee declines: x-rc MESSAGE Cmd 12 -> CANCEL to B, 603 to A (RC6)', async ({ phonePage }) => {
    const a = await phonePage('101');
    const b = await phonePage('102');
    const call = a.call('102');
    await b.waitForInboundCall();
    await b.decline();
    await b.waitForState('disposed');
    expect((await call.done).state).toBe('disposed');
    expect(await a.sipLog()).toContain('<<< SIP/2.0 603 Decline');
  });
});
