// Our multi-tab mode (wasm-web-phone/multi-tab, README "Multiple tabs")
// against the RingCentral-style edge (ours only: the published SDK has no
// such mode). The tabs of one browser context with the same sipInfo are one
// phone: one tab leads (Web Locks) and holds the one WebSocket, the
// registration and the media; every tab has the 2.x API. When the leader tab
// closes or crashes the next one registers as the same binding from a new
// WebSocket and re-INVITEs the answered call with its own media; the edge
// moves the instance's calls to that connection (flow recovery, as for
// autoRecover in recovery.spec.ts) and relays the ICE-restart re-INVITE.
// The same scenarios against Kamailio: e2e/tests/ours/multi-tab-mode.spec.ts.
import type { BrowserContext } from '@playwright/test';
import { test as base, expect, api, SDK, EDGE, Phone, recordFrames, watchErrors, audioFlows, secretLeaks } from './fixtures';
import { recordWireSecrets } from '../../lib/secrets-check';

/** One `+sip.instance` for the tabs (as MultiTabWebPhone keeps one per user in localStorage). */
const INSTANCE = 'rc-scenarios-multi-tab-101';
// Both modes on, as an app would have them (README: a takeover also continues a recovering phone).
const autoRecover = { reconnectDelay: 250, reconnectTimeLimit: 1000 };

type TabOpts = { autoRecover?: unknown };
type Fx = { tabs: (ext: string, n: number, opts?: TabOpts) => Promise<Phone[]> };

/** `tabs(ext, n)`: n tabs of one new browser context, each started (its phone registered, whichever tab leads).
 *  Their page errors fail the test like the phones' (fixtures.ts), and so does a secret in the
 *  logs, events or diagnostics of a tab still open at the end (the phones' check, issue 14). */
const test = base.extend<Fx>({
  tabs: async ({ browser, phones, pageErrors }, use) => {
    void phones; // its setup resets the edge
    const contexts: BrowserContext[] = [];
    const opened: Phone[] = [];
    await use(async (extNo, n, opts = {}) => {
      const ext = (await api('/api/directory')).extensions.find((e: any) => e.ext === extNo);
      const ctx = await browser.newContext({ ignoreHTTPSErrors: true });
      contexts.push(ctx);
      const tabs: Phone[] = [];
      for (let i = 0; i < n; i++) {
        const page = await ctx.newPage();
        const tab = new Phone(page, ctx, ext, ext.sipInfo);
        tab.wireSecrets = recordWireSecrets(page);
        opened.push(tab);
        recordFrames(tab);
        await watchErrors(page, `${extNo} tab ${i}`, pageErrors);
        await page.goto(`${EDGE}/multi-tab.html`);
        await page.evaluate(([si, o]) => (window as any).h.setup(si, o), [ext.sipInfo, { instanceId: INSTANCE, ...opts }] as const);
        tabs.push(tab);
      }
      return tabs;
    });
    const passwords = (await api('/api/directory')).extensions.map((e: any) => e.password ?? e.sipInfo?.password).filter(Boolean);
    const leaks: string[] = [];
    for (const t of opened) if (!t.page.isClosed()) leaks.push(...(await secretLeaks(t, passwords)).map((l) => `${t.ext.ext} tab: ${l}`));
    for (const ctx of contexts) await ctx.close().catch(() => {});
    if (leaks.length) throw new Error(`secrets reached the SDK's logs, events or diagnostics:\n${leaks.join('\n')}`);
  },
});

test.skip(SDK !== 'ours', 'ringcentral-web-phone has no multi-tab mode');

const isLeader = (t: Phone) => t.ev<boolean>(() => (window as any).wp.isLeader);
/** The one tab that leads (polled until exactly one of the open tabs says so). */
async function leaderOf(tabs: Phone[]) {
  let found: Phone[] = [];
  await expect.poll(async () => {
    found = [];
    for (const t of tabs) if (!t.page.isClosed() && (await isLeader(t))) found.push(t);
    return found.length;
  }, { message: 'exactly one tab leads', timeout: 15_000 }).toBe(1);
  return found[0];
}
/** The extension's bindings at the edge that are live and on an open connection. */
const liveBindings = async (ext: string) => (await api('/api/registrations')).filter((r: any) => r.ext === ext && r.live && r.connOpen);
/** The extension's open WebSockets at the edge. */
const openConns = async (ext: string) => (await api('/api/state')).conns.filter((c: any) => c.ext === ext && !c.closed);
const state = (p: Phone) => p.ev<string | undefined>(() => (window as any).wp.callSessions[0]?.state);
type FlowEvent = { name: string; t: number; error?: string };
const flow = (p: Phone) => p.ev<FlowEvent[]>(() => (window as any).h.flow);

/** far calls the tabs' number; the call rings in every tab. */
async function ringTabs(far: Phone, tabs: Phone[]) {
  await far.ev((n: string) => (window as any).h.callOut(n), tabs[0].ext.number);
  for (const t of tabs) await expect.poll(() => state(t), { message: 'the call rings in every tab' }).toBe('ringing');
}

test('3 tabs of one extension: one registration and one WebSocket at the edge, every tab registered', async ({ tabs }) => {
  const all = await tabs('101', 3);
  const leader = await leaderOf(all);
  expect(await liveBindings('101')).toHaveLength(1);
  expect((await liveBindings('101'))[0].instanceId).toBe(INSTANCE);
  expect(await openConns('101')).toHaveLength(1);
  for (const t of all) expect(await t.ev(() => (window as any).wp.registered)).toBe(true);
  // Only the leader opened a socket; the others sent nothing to the edge.
  for (const t of all) expect(t.history.length > 0).toBe(t === leader);
  expect(leader.history.filter((f) => f.dir === 'outbound' && /^REGISTER /.test(f.subject)).length).toBeGreaterThan(0);
});

test('an inbound call rings in all 3 tabs, is answered from a tab that does not lead, audio flows both ways, a third tab hangs up', async ({ phones, tabs }) => {
  const far = await phones('102');
  const all = await tabs('101', 3);
  const leader = await leaderOf(all);
  const [answering, hanging] = all.filter((t) => t !== leader);
  await ringTabs(far, all);
  await answering.ev(() => (window as any).wp.callSessions[0].answer());
  await expect.poll(() => far.ev(() => (window as any).h.liveOutbound()[0]?.state)).toBe('answered');
  for (const t of all) await expect.poll(() => state(t)).toBe('answered');
  // The media is the leader's: audio between it and the far end, both ways.
  await audioFlows(leader);
  await audioFlows(far);
  for (const t of [answering, hanging]) expect(await t.ev(() => (window as any).h.rtp((window as any).wp.callSessions[0]))).toBe(-1);
  await hanging.ev(() => (window as any).wp.callSessions[0].hangup());
  await expect.poll(() => far.ev(() => (window as any).h.sessions[0].state)).toBe('disposed');
  for (const t of all) await expect.poll(() => t.ev(() => (window as any).wp.callSessions.length)).toBe(0);
  expect(await liveBindings('101')).toHaveLength(1);
});

for (const how of ['closed', 'crashed'] as const) {
  test(`the leader tab is ${how} during an answered call: another tab takes over, audio flows again, the far end sees a re-INVITE and no BYE, one registration; ${how === 'closed' ? 'a tab' : 'the far end'} hangs up`, async ({ phones, tabs }) => {
    test.setTimeout(90_000);
    const far = await phones('102');
    const all = await tabs('101', 3, { autoRecover });
    const leader = await leaderOf(all);
    await ringTabs(far, all);
    await leader.ev(() => (window as any).wp.callSessions[0].answer());
    await expect.poll(() => far.ev(() => (window as any).h.liveOutbound()[0]?.state)).toBe('answered');
    await audioFlows(leader);
    await audioFlows(far);
    const [before] = await liveBindings('101');
    far.clear();

    const gone = Date.now();
    if (how === 'closed') await leader.page.close();
    else {
      // The renderer must really die (no pagehide, no goodbye): wait for Playwright's 'crash'.
      const crashed = leader.page.waitForEvent('crash', { timeout: 10_000 });
      await leader.page.goto('chrome://crash').catch(() => undefined);
      await crashed;
    }
    const rest = all.filter((t) => t !== leader);
    const next = await leaderOf(rest);
    await expect.poll(async () => (await flow(next)).some((e) => e.name === 'mediaRecovered' && e.t >= gone),
      { message: 'the new leader restarted the media', timeout: 20_000 }).toBe(true)
      .catch(async (e) => { console.log(`[multi-tab] ${how}: new leader's events`, JSON.stringify(await flow(next))); throw e; });
    const recoveredAt = (await flow(next)).find((e) => e.name === 'mediaRecovered' && e.t >= gone)!.t;
    await audioFlows(next);
    await audioFlows(far);
    console.log(`[multi-tab] leader ${how}: media again ${recoveredAt - gone} ms after the tab went`);
    test.info().annotations.push({ type: 'takeover', description: `${how}: ${recoveredAt - gone} ms` });

    // Every surviving tab still shows the one answered call, and heard its media restart.
    for (const t of rest) {
      expect(await state(t)).toBe('answered');
      expect(await t.ev(() => (window as any).wp.callSessions.length)).toBe(1);
      expect((await flow(t)).filter((e) => e.t >= gone).map((e) => e.name)).toEqual(expect.arrayContaining(['mediaRecovering', 'mediaRecovered']));
    }
    // The far end saw one re-INVITE (in its dialog: To tag) and no BYE; its call never ended.
    const farIn = far.frames.filter((f) => f.dir === 'inbound');
    const invites = farIn.filter((f) => /^INVITE /.test(f.subject));
    expect(invites).toHaveLength(1);
    expect(invites[0].msg.get('to')).toMatch(/;\s*tag=/);
    expect(farIn.filter((f) => /^BYE /.test(f.subject))).toEqual([]);
    expect(await far.ev(() => (window as any).h.sessions[0].state)).toBe('answered');
    expect(await far.ev(() => (window as any).h.sessions.length)).toBe(1);
    // Still one binding, the same instance, on the new leader's connection, which now carries the call.
    const bindings = await liveBindings('101');
    expect(bindings).toHaveLength(1);
    expect(bindings[0].instanceId).toBe(INSTANCE);
    const conns = await openConns('101');
    expect(conns).toHaveLength(1);
    expect(bindings[0].conn).toBe(conns[0].id);
    const legs = (await api('/api/calls')).filter((l: any) => l.ext === '101' && l.state === 'confirmed');
    expect(legs.map((l: any) => l.conn)).toEqual([conns[0].id]);
    // The new leader's REGISTER continued the binding: same Call-ID and Contact, higher CSeq
    // (the edge refuses a lower one with the same Call-ID, RFC 3261 §10.3).
    expect(bindings[0].callId).toBe(before.callId);
    expect(bindings[0].contact).toBe(before.contact);
    expect(bindings[0].cseq).toBeGreaterThan(before.cseq);
    const regs = (p: Phone) => p.history.filter((f) => f.dir === 'outbound' && /^REGISTER /.test(f.subject)).map((f) => f.msg);
    const [a, b] = [regs(leader).at(-1), regs(next)[0]];
    expect(b.callId).toBe(a.callId);
    expect(b.get('contact')).toBe(a.get('contact'));
    expect(b.cseqNum).toBeGreaterThan(a.cseqNum);

    // The new leader's socket saw nothing refused but the digest challenge: the
    // REGISTER came first, then the re-INVITE in the existing dialog.
    expect(next.seq()).toEqual(expect.arrayContaining(['out REGISTER', 'in 200', 'out INVITE', 'out ACK']));
    expect(next.frames.filter((f) => f.dir === 'inbound' && f.msg?.status >= 300 && f.msg.status !== 401).map((f) => f.subject)).toEqual([]);
    expect(next.seq().indexOf('out REGISTER')).toBeLessThan(next.seq().indexOf('out INVITE'));

    if (how === 'closed') {
      // A surviving tab that does not lead hangs up: the BYE reaches the far end through the edge.
      const other = rest.find((t) => t !== next)!;
      await other.ev(() => (window as any).wp.callSessions[0].hangup());
      await expect.poll(() => far.ev(() => (window as any).h.sessions[0].state)).toBe('disposed');
    } else {
      // The far end hangs up: the edge routes its BYE to the new leader's connection.
      await far.ev(() => (window as any).h.sessions[0].hangup());
      await expect.poll(() => next.frames.some((f) => f.dir === 'inbound' && /^BYE /.test(f.subject))).toBe(true);
    }
    for (const t of rest) await expect.poll(() => t.ev(() => (window as any).wp.callSessions.length), { message: 'the call ended in every tab' }).toBe(0);
  });
}
