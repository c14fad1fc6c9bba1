// The real/dummy multi-tab model of ringcentral-web-phone's README ("Mutiple
// instances and shared worker") with our SDK, through the sample in
// web/multi-tab/ (served at /multi-tab/ by e2e/lib/static-server.mjs).
// The tabs share one browser context: a SharedWorker is per origin and context.
// One tab runs the real phone (it alone registers), the others run
// WebPhone + DummySipClient (they send nothing), show the real tab's state,
// forward their actions to it, and one takes over when the real tab closes.
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, expectAudio, type Phone } from '../../lib/fixtures';
import { registrations } from '../../lib/kamailio.mjs';
import { sipInfo, WS_URL } from '../../lib/users.mjs';

const ours = { sdk: 'ours' as const, transport: 'ws' as const };

/** Open the sample for extension `ext` in a new tab; records the WebSockets the tab opens. */
async function openTab(context: BrowserContext, ext: string) {
  const info = sipInfo(ext, { transport: 'ws' });
  const query = new URLSearchParams({
    username: info.username, authorizationId: info.authorizationId, password: info.password,
    domain: info.domain, wsUrl: info.wsUrl,
  });
  const page = await context.newPage();
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url().replace(/\/$/, '')));
  await page.goto(`/multi-tab/?${query}`);
  return { page, sockets };
}

const role = (p: Page) => p.locator('#role');
const registeredFlag = (p: Page) => p.locator('#registered');
const calls = (p: Page) => p.locator('#sessions li');

/** inbound-rtp audio packets of the tab's own (real) phone's current call. */
function inPackets(p: Page): Promise<number> {
  return p.evaluate(async () => {
    const pc = (window as any).multiTab.webPhone.callSessions[0]?.rtcPeerConnection as RTCPeerConnection | undefined;
    let n = 0;
    (await pc?.getStats())?.forEach((r: any) => { if (r.type === 'inbound-rtp' && r.kind === 'audio') n = r.packetsReceived; });
    return n;
  });
}
async function expectTabAudio(p: Page, min = 25) {
  const start = await inPackets(p);
  await expect.poll(() => inPackets(p), { message: 'audio into the real tab' }).toBeGreaterThan(start + min);
}

/** The last tab disposes its real phone: the extension has no binding left. */
async function leaveLastTab(p: Page, ext: string) {
  await p.evaluate(() => (window as any).multiTab.webPhone.dispose());
  await expect.poll(() => registrations(ext)).toEqual([]);
}

/** Teardown: a tab that still holds the phone (a failed test) gets 3 s to unregister, then all tabs close. */
async function closeTabs(context: BrowserContext, lastTab: Page | undefined) {
  if (lastTab) await Promise.race([lastTab.evaluate(() => (window as any).multiTab?.webPhone?.dispose()).catch(() => {}), lastTab.waitForTimeout(3000)]);
  await context.close();
}

async function inboundCalls(callee: Phone) {
  return (await callee.eventNames()).filter((n) => n === 'inboundCall').length;
}

/** The call as a tab shows it: one row, answered, outbound to `number`, with the callee's Call-ID. */
async function expectShownAnswered(p: Page, number: string, callId: string) {
  await expect(calls(p)).toHaveCount(1);
  const row = calls(p).first();
  await expect(row).toHaveAttribute('data-state', 'answered');
  await expect(row).toHaveAttribute('data-direction', 'outbound');
  await expect(row).toHaveAttribute('data-remote-number', number);
  await expect(row).toHaveAttribute('data-call-id', callId);
}

test('multi-tab: the real tab alone registers, a dummy tab drives its call, and takes over when the real tab closes', async ({ browser, baseURL, phonePage }) => {
  const callee = await phonePage('102', ours);
  const context = await browser.newContext({ baseURL });
  let lastTab: Page | undefined;
  try {
    // Tab A gets the real phone: one WebSocket, one binding for 101.
    const a = await openTab(context, '101');
    await expect(role(a.page)).toHaveAttribute('data-role', 'real');
    await expect(registeredFlag(a.page)).toHaveAttribute('data-registered', 'true');
    expect(a.sockets).toEqual([WS_URL]);
    const instanceId: string = await a.page.evaluate(() => (window as any).multiTab.webPhone.sipClient.instanceId);
    const before = await registrations('101');
    expect(before).toHaveLength(1);
    expect(before[0].instance).toContain(instanceId);

    // Tab B is a dummy: it shows A's state but opens no socket, and the
    // server still holds exactly A's binding.
    const b = await openTab(context, '101');
    lastTab = b.page;
    await expect(role(b.page)).toHaveAttribute('data-role', 'dummy');
    await expect(registeredFlag(b.page)).toHaveAttribute('data-registered', 'true');
    expect(await b.page.evaluate(() => (window as any).multiTab.webPhone.sipClient.wsc)).toBeUndefined();
    const withDummy = await registrations('101');
    expect(withDummy.map((x) => [x.contact, x.received, x.instance])).toEqual([[before[0].contact, before[0].received, before[0].instance]]);

    // "Call 102" pressed in B: A places the call, 102 answers, audio flows in A,
    // and B shows the answered call with the callee's Call-ID.
    await b.page.fill('#callee', '102');
    await b.page.click('#dial button');
    const inbound = await callee.waitForInboundCall();
    await callee.answer();
    await expectShownAnswered(b.page, '102', inbound.callId);
    await expectShownAnswered(a.page, '102', inbound.callId);
    expect(await a.page.evaluate(() => (window as any).multiTab.webPhone.callSessions.map((s: any) => s.state))).toEqual(['answered']);
    await Promise.all([expectTabAudio(a.page), expectAudio([callee])]);
    expect(b.sockets).toEqual([]);

    // "Hang up" pressed in B: A sends the BYE, both ends are over.
    await calls(b.page).first().locator('button.hangup').click();
    await callee.waitForState('disposed');
    expect((await callee.sipLog()).filter((l) => l.startsWith('<<< BYE '))).toHaveLength(1);
    await expect(calls(b.page)).toHaveCount(0);
    await expect(calls(a.page)).toHaveCount(0);
    expect(await a.page.evaluate(() => (window as any).multiTab.webPhone.callSessions.length)).toBe(0);

    // A closes: B is promoted, opens its own socket and registers. The phone is
    // one device that moved tabs: the same +sip.instance (RFC 5626), but a new
    // UA with its own Contact and REGISTER Call-ID on a new connection; A's
    // binding is gone (unregistered / its connection closed), so again exactly one.
    await a.page.close();
    await expect(role(b.page)).toHaveAttribute('data-role', 'real');
    await expect(registeredFlag(b.page)).toHaveAttribute('data-registered', 'true');
    expect(b.sockets).toEqual([WS_URL]);
    await expect.poll(async () => (await registrations('101')).map((x) => x.received !== before[0].received))
      .toEqual([true]);
    const after = await registrations('101');
    expect(after[0].instance).toBe(before[0].instance);
    expect(after[0].contact).not.toBe(before[0].contact);
    expect(after[0].callId).not.toBe(before[0].callId);

    // B, now real, places a call itself; 102 answers and hangs up.
    await b.page.fill('#callee', '102');
    await b.page.click('#dial button');
    await expect.poll(() => inboundCalls(callee)).toBe(2);
    const second = (await callee.events()).filter((e) => e.name === 'inboundCall').at(-1)!;
    await callee.answer();
    await expectShownAnswered(b.page, '102', second.callId as string);
    await expectTabAudio(b.page);
    await callee.hangup();
    await expect(calls(b.page)).toHaveCount(0);
    expect(await b.page.evaluate(() => (window as any).multiTab.webPhone.callSessions.length)).toBe(0);

    // Leaving the last tab unregisters.
    await leaveLastTab(b.page, '101');
    lastTab = undefined;
  } finally {
    await closeTabs(context, lastTab);
  }
});

/**
 * Kill the tab's renderer: Chromium handles chrome://crash before any
 * navigation starts, so there is no beforeunload or pagehide, hence no 'close'
 * to the worker. (CDP Page.crash takes the whole headless browser down here.)
 */
async function crash(p: Page) {
  const crashed = p.waitForEvent('crash');
  await p.goto('chrome://crash').catch(() => {});   // net::ERR_ABORTED
  await crashed;
}

test('multi-tab: crashed tabs are noticed: a crashed dummy is dropped, and a live dummy takes over from a crashed real tab', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  let lastTab: Page | undefined;
  try {
    const a = await openTab(context, '103');
    await expect(registeredFlag(a.page)).toHaveAttribute('data-registered', 'true');
    const before = await registrations('103');
    expect(before).toHaveLength(1);
    const b = await openTab(context, '103');
    lastTab = b.page;
    const c = await openTab(context, '103');
    await expect(role(b.page)).toHaveAttribute('data-role', 'dummy');
    await expect(role(c.page)).toHaveAttribute('data-role', 'dummy');
    const dummiesOfA = () => a.page.evaluate(() => (window as any).multiTab.dummies);
    await expect.poll(dummiesOfA).toBe(2);

    // C crashes: the worker forgets it, so A counts one dummy.
    await crash(c.page);
    await expect.poll(dummiesOfA).toBe(1);

    // A crashes: B, the one live dummy, becomes real and registers on its own socket.
    await crash(a.page);
    await expect(role(b.page)).toHaveAttribute('data-role', 'real');
    await expect(registeredFlag(b.page)).toHaveAttribute('data-registered', 'true');
    expect(b.sockets).toEqual([WS_URL]);
    await expect.poll(async () => (await registrations('103')).map((x) => x.received !== before[0].received))
      .toEqual([true]);

    await leaveLastTab(b.page, '103');
    lastTab = undefined;
  } finally {
    await closeTabs(context, lastTab);
  }
});

test('a dummy WebPhone (DummySipClient) never connects, and call() rejects at once with a clear error', async ({ page }) => {
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto('/e2e/ours-phone.html');
  const result = await page.evaluate(async (info) => {
    const { default: WebPhone } = await import('/dist/es/index.js' as string);
    const { DummySipClient } = await import('/dist/es/sip-client.js' as string);
    const phone = new WebPhone({ sipInfo: info, sipClient: new DummySipClient() });
    await phone.start();   // resolves, does nothing
    let announced = 0;     // the refusal comes before any session or media exists
    phone.on('outboundCall', () => announced++);
    const outcome = await Promise.race([
      phone.call('102').then(() => 'resolved', (e: Error) => e.message),
      new Promise((r) => setTimeout(() => r('still pending after 5 s'), 5000)),
    ]);
    const sessions = phone.callSessions.length;
    await phone.dispose();
    return { outcome, sessions, announced };
  }, sipInfo('105', { transport: 'ws' }));
  expect(result.outcome).toBe('This WebPhone uses a custom or dummy SIP client: forward call actions to the real phone');
  expect(result.sessions).toBe(0);
  expect(result.announced).toBe(0);
  expect(sockets).toEqual([]);
  expect(await registrations('105')).toEqual([]);
});
