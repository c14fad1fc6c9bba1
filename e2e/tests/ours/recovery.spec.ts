// autoRecover (README "Self-healing") in Debian Chromium against Kamailio,
// with the fault injected from outside the page: the SIP server process is
// killed (SIGKILL) in the middle of a call and started again. Both phones
// must register again on their own, keep the call, restart its media with an
// ICE-restart re-INVITE, and end up with exactly one binding each.
import { test, expect, expectAudio, type Phone } from '../../lib/fixtures';
import { killKamailio, registrations, startKamailio } from '../../lib/kamailio.mjs';

const recovering = {
  sdk: 'ours' as const,
  transport: 'ws' as const,
  // Short delays, as a test can afford: the backoff is what bounds "server
  // back -> registered again" (README: defaults 1 s doubling to 10 s).
  options: { autoRecover: { reconnectDelay: 250, reconnectTimeMultiplier: 2, reconnectTimeLimit: 1000, jitter: 0.2 } },
};

async function connect(a: Phone, b: Phone, callee: string) {
  const call = a.call(callee);
  await b.waitForInboundCall();
  await b.answer();
  await call.done;
  await a.waitForState('answered');
  await b.waitForState('answered');
}

const eventTime = async (p: Phone, name: string, after = 0) =>
  (await p.events()).find((e) => e.name === name && (e.t as number) >= after)?.t as number | undefined;

test('the SIP server is killed mid-call and restarted: both phones register again, the call keeps going, one binding each', async ({ phonePage }) => {
  test.setTimeout(90_000);
  const a = await phonePage('101', recovering);
  const b = await phonePage('102', recovering);
  await connect(a, b, '102');
  await expectAudio([a, b]);

  const killedAt = Date.now();
  console.log(`[recovery] ${await killKamailio()}`);
  // Each phone notices (its socket closes) and starts waiting/retrying.
  for (const p of [a, b]) {
    await expect.poll(async () => (await p.events()).some((e) => e.name === 'connectionStateChanged' && e.state === 'waiting' && (e.t as number) >= killedAt),
      { message: `${p.ext} noticed the loss`, timeout: 10_000 }).toBe(true);
  }
  await a.page.waitForTimeout(1500); // the server stays down a while; attempts fail meanwhile
  console.log(`[recovery] ${(await startKamailio()).message}`);
  const backAt = Date.now();

  for (const p of [a, b]) {
    await expect.poll(() => eventTime(p, 'recovered', backAt), { message: `${p.ext} registered again`, timeout: 15_000 }).toBeDefined();
    await expect.poll(() => eventTime(p, 'mediaRecovered', backAt), { message: `${p.ext} restarted the call's media`, timeout: 20_000 }).toBeDefined()
      .catch(async (e) => {
        console.log(`[recovery] ${p.ext} events:`, JSON.stringify((await p.events()).slice(-12)));
        console.log(`[recovery] ${p.ext} sip:`, (await p.sipLog()).slice(-16).join(' | '));
        throw e;
      });
  }
  // Still the same call, audio both ways, no call ended on the way.
  expect(await a.state()).toBe('answered');
  expect(await b.state()).toBe('answered');
  expect((await a.events()).filter((e) => e.name === 'disposed')).toEqual([]);
  await expectAudio([a, b]);
  // The restarted server knows each phone once.
  expect(await registrations('101')).toHaveLength(1);
  expect(await registrations('102')).toHaveLength(1);
  // The re-INVITEs told the server where each end is now: a hangup reaches the other side.
  await a.hangup();
  await b.waitForState('disposed');

  const figures = [];
  for (const p of [a, b]) {
    const reg = (await eventTime(p, 'recovered', backAt))! - backAt;
    const media = (await eventTime(p, 'mediaRecovered', backAt))! - backAt;
    figures.push(`${p.ext}: registered ${reg} ms, media ${media} ms after the server was back`);
  }
  test.info().annotations.push({ type: 'recovery', description: figures.join('; ') });
  console.log(`[recovery] ${figures.join('; ')}`);
});
