// The shipped multi-tab mode (wasm-web-phone/multi-tab, README "Multiple
// tabs") in Debian Chromium against Kamailio: any number of tabs of one
// browser context are one phone with one registration; every tab has the
// whole API; a call survives the tab that carried it.
import type { Browser, BrowserContext } from '@playwright/test';
import { test, expect, expectAudio, Phone, secretLeaks } from '../../lib/fixtures';
import { recordWireSecrets } from '../../lib/secrets-check';
import type { PageErrors } from '../../lib/page-errors';
import { registrations } from '../../lib/kamailio.mjs';
import { sipInfo } from '../../lib/users.mjs';
import { CAMERA, expectFrames } from '../../lib/video-checks';

const ours = { sdk: 'ours' as const, transport: 'ws' as const };

// The secrets check of the phones (fixtures.ts, issue 14) for the tabs: each
// context's open tabs are read before it closes, and what they hold fails the test.
// A crashed tab has nothing to read (and would not answer).
const tabsOf = new WeakMap<BrowserContext, Phone[]>();
const crashed = new WeakSet<Phone>();
let leaks: string[] = [];
test.beforeEach(() => { leaks = []; });
test.afterEach(() => {
  if (leaks.length) throw new Error(`secrets reached the SDK's logs, events or diagnostics:\n${leaks.join('\n')}`);
});

/** A tab of the multi-tab phone of `ext` in `context`, started (joined). */
async function openTab(context: BrowserContext, ext: string, { start = true, options = {} as Record<string, unknown> } = {}) {
  const page = await context.newPage();
  await page.goto('/e2e/multi-tab-phone.html');
  const tab = new Phone(page, context, ext, 'ours');
  tab.wireSecrets = recordWireSecrets(page);
  page.once('crash', () => crashed.add(tab));
  tabsOf.get(context)?.push(tab);
  await page.evaluate(([si, o]) => (window as any).setup(si, o), [sipInfo(ext, { transport: 'ws' }), options] as const);
  if (start) await tab.start();
  return tab;
}

/** A browser context for the tabs of one phone; errors in any of its pages fail the test. */
async function newContext(browser: Browser, baseURL: string | undefined, pageErrors: PageErrors, { noSharedWorker = false } = {}) {
  const context = await browser.newContext({ baseURL });
  pageErrors.watchContext(context, 'multi-tab');
  tabsOf.set(context, []);
  const close = context.close.bind(context);
  context.close = async (...args) => {
    const tabs = tabsOf.get(context) ?? [];
    // Whichever tab led sent the digests; any tab's log or events may hold them.
    const sent = tabs.flatMap((t) => t.wireSecrets);
    for (const t of tabs) {
      if (t.page.isClosed() || crashed.has(t)) continue;
      t.wireSecrets = sent;
      leaks.push(...(await secretLeaks(t)).map((l) => `${t.ext} tab: ${l}`));
    }
    return close(...args);
  };
  // The mode must not depend on SharedWorker (Chrome on Android has none).
  if (noSharedWorker) await context.addInitScript(() => { delete (window as any).SharedWorker; });
  return context;
}

const isLeader = (t: Phone) => t.page.evaluate(() => (window as any).webPhone.isLeader as boolean);
async function leaderOf(tabs: Phone[]) {
  let found: Phone[] = [];
  await expect.poll(async () => {
    found = [];
    for (const t of tabs) if (!t.page.isClosed() && (await isLeader(t))) found.push(t);
    return found.length;
  }, { message: 'exactly one tab leads' }).toBe(1);
  return found[0];
}

/** Two tabs of 101: the one that does not lead calls `far` (102), which answers. */
async function callFromFollower(context: BrowserContext, far: Phone) {
  const tabs = [await openTab(context, '101'), await openTab(context, '101')];
  const leader = await leaderOf(tabs);
  const follower = tabs.find((t) => t !== leader)!;
  const call = follower.call('102');
  await far.waitForInboundCall();
  await far.answer();
  expect((await call.done).state).toBe('answered');
  return { leader, follower };
}

/** Close the leader tab; resolves with the ms from then to the follower's mediaRecovered. */
async function closeLeaderUntilRecovered(leader: Phone, follower: Phone): Promise<number> {
  const gone = Date.now();
  await leader.page.close();
  await leaderOf([follower]);
  const recovered = async () => (await follower.events()).find((e) => e.name === 'mediaRecovered' && (e.t as number) >= gone);
  await expect.poll(async () => (await recovered()) !== undefined,
    { message: 'the new leader restarted the media', timeout: 20_000 }).toBe(true);
  return ((await recovered())!.t as number) - gone;
}

test('3 tabs register once; 20 tabs still once; every tab says it is registered', async ({ browser, baseURL, pageErrors }) => {
  test.setTimeout(120_000);
  const context = await newContext(browser, baseURL, pageErrors);
  try {
    const tabs = [await openTab(context, '101'), await openTab(context, '101'), await openTab(context, '101')];
    await leaderOf(tabs);
    expect(await registrations('101')).toHaveLength(1);
    const instance = (await registrations('101'))[0].instance;
    for (let i = 3; i < 20; i++) tabs.push(await openTab(context, '101'));
    await leaderOf(tabs);
    const bindings = await registrations('101');
    expect(bindings).toHaveLength(1);
    expect(bindings[0].instance).toBe(instance);
    for (const t of tabs) expect(await t.page.evaluate(() => (window as any).webPhone.registered)).toBe(true);
    // 19 tabs never opened a socket.
    const sockets = await Promise.all(tabs.map((t) => t.page.evaluate(() => !!(window as any).webPhone.phone)));
    expect(sockets.filter(Boolean)).toHaveLength(1);
  } finally {
    await context.close();
  }
});

for (const noSharedWorker of [false, true]) {
  test(`an inbound call rings in every tab, is answered from a tab that does not lead, audio flows, a third tab hangs up${noSharedWorker ? ' (no SharedWorker)' : ''}`, async ({ browser, baseURL, phonePage, pageErrors }) => {
    const far = await phonePage('102', ours);
    const context = await newContext(browser, baseURL, pageErrors, { noSharedWorker });
    try {
      const tabs = [await openTab(context, '101'), await openTab(context, '101'), await openTab(context, '101')];
      const leader = await leaderOf(tabs);
      const [answering, hanging] = tabs.filter((t) => t !== leader);
      const call = far.call('101');
      for (const t of tabs) await t.waitForInboundCall();
      for (const t of tabs) await t.waitForState('ringing');
      await answering.answer();
      await call.done;
      for (const t of tabs) await t.waitForState('answered');
      // Every tab's 'answered' listener saw the session answered already
      // (the event carries the call's state; the 'state' message comes later).
      for (const t of tabs) expect((await t.events()).filter((e) => e.name === 'answered').map((e) => e.state)).toEqual(['answered']);
      // The media is the leader's: audio both ways between it and the far end.
      await expectAudio([leader, far]);
      expect(await answering.rtpStats()).toBeNull(); // no media in a tab that does not lead
      await hanging.hangup();
      await far.waitForState('disposed');
      for (const t of tabs) await t.waitForState('disposed');
      for (const t of tabs) expect(await t.sessionCount()).toBe(0);
    } finally {
      await context.close();
    }
  });
}

for (const [how, noSharedWorker] of [['closed', false], ['crashed', false], ['closed', true], ['crashed', true]] as const) {
  test(`the tab carrying an answered call is ${how}: another tab takes over, audio flows again, the far end sees only a re-INVITE${noSharedWorker ? ' (no SharedWorker)' : ''}`, async ({ browser, baseURL, phonePage, pageErrors }) => {
    test.setTimeout(90_000);
    const far = await phonePage('102', ours);
    const context = await newContext(browser, baseURL, pageErrors, { noSharedWorker });
    try {
      const options = { autoRecover: { reconnectDelay: 250, reconnectTimeLimit: 1000 } }; // both modes on
      const tabs = [await openTab(context, '101', { options }), await openTab(context, '101', { options }), await openTab(context, '101', { options })];
      const leader = await leaderOf(tabs);
      const call = far.call('101');
      for (const t of tabs) await t.waitForInboundCall();
      await leader.answer();
      await call.done;
      await expectAudio([leader, far]);
      const before = await registrations('101');
      const farInvitesBefore = (await far.sipLog()).filter((l) => l.startsWith('<<< INVITE ')).length;

      const gone = Date.now();
      if (how === 'closed') await leader.page.close();
      else {
      // The renderer must really die (no pagehide, no goodbye): wait for Playwright's 'crash'.
      const crashed = leader.page.waitForEvent('crash', { timeout: 10_000 });
      await leader.page.goto('chrome://crash').catch(() => undefined);
      await crashed;
    }
      const rest = tabs.filter((t) => t !== leader);
      const next = await leaderOf(rest);
      await expect.poll(async () => (await next.events()).some((e) => e.name === 'mediaRecovered' && (e.t as number) >= gone),
        { message: 'the new leader restarted the media', timeout: 15_000 }).toBe(true);
      const recoveredAt = (await next.events()).find((e) => e.name === 'mediaRecovered' && (e.t as number) >= gone)!.t as number;
      await expectAudio([next, far]);
      console.log(`[multi-tab] ${how}: media again ${recoveredAt - gone} ms after the tab went`);
      test.info().annotations.push({ type: 'takeover', description: `${how}: ${recoveredAt - gone} ms` });
      // Every surviving tab still shows one answered call; the far end saw a re-INVITE and no BYE.
      for (const t of rest) expect(await t.state()).toBe('answered');
      const farLog = await far.sipLog();
      expect(farLog.filter((l) => l.startsWith('<<< INVITE ')).length).toBe(farInvitesBefore + 1);
      expect(farLog.filter((l) => l.startsWith('<<< BYE '))).toEqual([]);
      expect(await far.state()).toBe('answered');
      // Still one binding, the same device.
      const after = await registrations('101');
      expect(after).toHaveLength(1);
      expect(after[0].instance).toBe(before[0].instance);
      // A surviving tab that does not lead hangs up.
      const other = rest.find((t) => t !== next)!;
      await other.hangup();
      await far.waitForState('disposed');
    } finally {
      await context.close();
    }
  });
}

test('a video call survives the tab that carried it: the new leader offers audio and video again (RFC 3264 §8), the far end accepts and its camera comes in; addVideo() there sends its own camera', async ({ browser, baseURL, phonePage, pageErrors }) => {
  test.setTimeout(90_000);
  const far = await phonePage('102', ours);
  const context = await newContext(browser, baseURL, pageErrors);
  try {
    const options = { autoRecover: { reconnectDelay: 250, reconnectTimeLimit: 1000 } };
    const tabs = [await openTab(context, '101', { options }), await openTab(context, '101', { options })];
    const leader = await leaderOf(tabs);
    const done = far.page.evaluate(() => (window as any).webPhone.call('101', undefined, { video: true }).then((s: any) => s.state));
    for (const t of tabs) await t.waitForInboundCall();
    await leader.page.evaluate(() => (window as any).session.answer({ video: true }));
    expect(await done).toBe('answered');
    await Promise.all([expectFrames(far, CAMERA), expectFrames(leader, CAMERA)]);
    const invitesBefore = (await far.sipMessages()).filter((m) => m.startsWith('<<< INVITE ')).length;

    const gone = Date.now();
    await leader.page.close();
    const next = await leaderOf(tabs.filter((t) => t !== leader));
    await expect.poll(async () => (await next.events()).find((e) => (e.t as number) >= gone && /^mediaRecover(ed|yFailed)$/.test(e.name as string))?.name,
      { message: 'the new leader restarted the media', timeout: 20_000 }).toBe('mediaRecovered');
    // One re-INVITE reached the far end, with the call's two m-lines (an
    // audio-only offer would have fewer than before, and our core answers
    // that 488); the far end's camera now plays in the new leader's tab.
    const invites = (await far.sipMessages()).filter((m) => m.startsWith('<<< INVITE '));
    expect(invites.length).toBe(invitesBefore + 1);
    const sdp = invites.at(-1)!.slice(invites.at(-1)!.indexOf('\r\n\r\n') + 4);
    expect(sdp.match(/^m=\S+ [1-9]\d*/gm)).toEqual([expect.stringMatching(/^m=audio/), expect.stringMatching(/^m=video/)]);
    expect((await far.sipMessages()).filter((m) => /^>>> SIP\/2\.0 488 /.test(m))).toEqual([]);
    await expectFrames(next, CAMERA);
    await expectAudio([next, far]);
    expect(await far.state()).toBe('answered');
    // The new leader's own camera, on the m-line it kept: one more re-INVITE.
    await next.page.evaluate(() => (window as any).session.addVideo());
    await expectFrames(far, CAMERA);
    expect((await far.sipMessages()).filter((m) => m.startsWith('<<< INVITE ')).length).toBe(invitesBefore + 2);
    await next.hangup();
    await far.waitForState('disposed');
  } finally {
    await context.close();
  }
});

for (const noSharedWorker of [false, true]) test(`the last tab to close removes the binding; a new tab starts cleanly${noSharedWorker ? ' (no SharedWorker)' : ''}`, async ({ browser, baseURL, pageErrors }) => {
  const context = await newContext(browser, baseURL, pageErrors, { noSharedWorker });
  try {
    const tabs = [await openTab(context, '101'), await openTab(context, '101')];
    expect(await registrations('101')).toHaveLength(1);
    const first = await leaderOf(tabs);
    await first.page.close({ runBeforeUnload: true }); // the other tab takes over: still registered
    const second = tabs.find((t) => t !== first)!;
    await leaderOf([second]);
    await expect.poll(() => second.page.evaluate(() => !!(window as any).webPhone.phone?.sipClient?.registrations?.length)).toBe(true);
    expect(await registrations('101')).toHaveLength(1);
    await second.page.close({ runBeforeUnload: true });
    await expect.poll(() => registrations('101'), { message: 'unregistered when the last tab closed' }).toEqual([]);
    const fresh = await openTab(context, '101');
    expect(await isLeader(fresh)).toBe(true);
    expect(await registrations('101')).toHaveLength(1);
    await fresh.dispose();
    await expect.poll(() => registrations('101')).toEqual([]);
  } finally {
    await context.close();
  }
});

test('a call placed from a tab that does not lead and put on hold survives the leader closing: still on hold after the takeover, unhold brings audio back both ways', async ({ browser, baseURL, phonePage, pageErrors }) => {
  test.setTimeout(90_000);
  const far = await phonePage('102', ours);
  const context = await newContext(browser, baseURL, pageErrors);
  try {
    const { leader, follower } = await callFromFollower(context, far);
    await expectAudio([leader, far]);
    await follower.hold();
    const took = await closeLeaderUntilRecovered(leader, follower);
    console.log(`[multi-tab] outbound call on hold: media again ${took} ms after the tab went`);
    // The takeover's re-INVITE kept the call on hold (RFC 3264 §8.4: our side sendonly).
    const invites = (await far.sipMessages()).filter((m) => m.startsWith('<<< INVITE '));
    expect(invites.at(-1)).toMatch(/a=sendonly/);
    // unhold(): the new leader's browser had negotiated sendonly itself (the
    // takeover applied the far side's recvonly answer), so unhold renegotiates
    // through the browser (an offer it makes, its answer applied) and the tab
    // hears the far side again, not only the reverse.
    await follower.unhold();
    expect(await follower.page.evaluate(() =>
      (window as any).webPhone.callSessions[0].rtcPeerConnection.getTransceivers()[0].currentDirection)).toBe('sendrecv');
    await expectAudio([follower, far]);
    await far.hangup();
    await follower.waitForState('disposed');
  } finally {
    await context.close();
  }
});

test('a call muted from a tab that does not lead stays muted through the takeover: the new leader\'s microphone track starts disabled', async ({ browser, baseURL, phonePage, pageErrors }) => {
  test.setTimeout(90_000);
  const far = await phonePage('102', ours);
  const context = await newContext(browser, baseURL, pageErrors);
  try {
    const { leader, follower } = await callFromFollower(context, far);
    await follower.page.evaluate(() => (window as any).webPhone.callSessions[0].mute());
    // Every tab knows (the state after mute()), so the next leader does too.
    await expect.poll(() => follower.page.evaluate(() => (window as any).webPhone.callSessions[0].muted)).toBe(true);
    await closeLeaderUntilRecovered(leader, follower);
    const micEnabled = () => follower.page.evaluate(() => {
      const s = (window as any).webPhone.callSessions[0]._local;
      return s.rtcPeerConnection.getSenders().filter((x: RTCRtpSender) => x.track?.kind === 'audio').map((x: RTCRtpSender) => x.track!.enabled);
    });
    expect(await micEnabled()).toEqual([false]);
    expect(await follower.page.evaluate(() => (window as any).webPhone.callSessions[0].muted)).toBe(true);
    await follower.page.evaluate(() => (window as any).webPhone.callSessions[0].unmute());
    expect(await micEnabled()).toEqual([true]);
    await far.hangup();
    await follower.waitForState('disposed');
  } finally {
    await context.close();
  }
});
