// The demo as a person uses it: `scripts/demo.sh` (RingCentral-compatible edge
// + demo page) in Chromium, driven through the page's own buttons only (no
// call into the SDK from the test), each outcome checked on the far side's tab
// or in the edge's SIP trace. Key states are compared with committed
// screenshots; axe-core finds no serious accessibility violation.
// Errors in the demo's tabs fail the test (lib/fixtures.ts, pageErrors).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { test, expect } from '../../lib/fixtures';
// @ts-ignore - plain ESM JavaScript module
import { rcEdgeRunning } from '../../lib/rc-edge.mjs';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PORT = 18090;
const EDGE_API = 'http://127.0.0.1:16081';
let demo: ChildProcess;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  demo = spawn('bash', ['scripts/demo.sh'], { cwd: ROOT, env: { ...process.env, DEMO_PORT: String(PORT) }, stdio: 'ignore', detached: true });
  await expect.poll(async () => (await fetch(`http://127.0.0.1:${PORT}/demo-config.json`).catch(() => null))?.status ?? 0,
    { timeout: 170_000, intervals: [500] }).toBe(200);
});
// demo.sh stops its edge in its EXIT trap: wait for the script to end and the
// edge to be gone (bounded), so that no server outlives the suite.
test.afterAll(async () => {
  if (!demo?.pid) return;
  const exited = demo.exitCode !== null || demo.signalCode !== null ? Promise.resolve() : once(demo, 'exit');
  try { process.kill(-demo.pid, 'SIGTERM'); } catch { /* its process group is gone already */ }
  await Promise.race([exited, new Promise((_, reject) => setTimeout(() => reject(new Error('demo.sh did not exit within 10 s of SIGTERM')), 10_000))]);
  await expect.poll(() => rcEdgeRunning(), { message: "demo.sh's rc-edge stopped", timeout: 10_000 }).toBe(false);
});

const edge = async (path: string, body?: unknown) =>
  (await fetch(`${EDGE_API}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
/** Poll the edge's trace of `ext` until a message matches. */
async function seenByEdge(ext: string, test_: (text: string) => boolean, since: number, what: string) {
  await expect.poll(async () => (await edge(`/api/trace?ext=${ext}&since=${since}`)).some((e: { dir: string; text: string }) => e.dir !== 'event' && test_(e.text)),
    { message: `the edge saw ${what}`, timeout: 10_000 }).toBe(true);
}

async function register(page: Page, index: number, { multiTab = false } = {}) {
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await page.locator('#user option').nth(index).waitFor({ state: 'attached' });
  await page.selectOption('#user', { index });
  await page.setChecked('#multiTab', multiTab);
  await page.click('#register');
  await expect(page.locator('#state')).toHaveText('registered');
  // auto-recover is on by default in the demo: the connection state shows.
  await expect(page.locator('#connection')).toHaveText('connected');
  return (await page.locator('#user').inputValue());
}
/** The card of the call with `number` (inbound calls show it with a +). */
const card = (page: Page, number: string) => page.locator('#calls li.call').filter({ has: page.locator('.peer', { hasText: number.slice(1) }) });
const button = (where: Locator | Page, name: string) => where.getByRole('button', { name, exact: true });
async function dial(page: Page, number: string) {
  await page.fill('#callee', number);
  await page.click('#call-button');
}
/** `caller` dials `callee`'s number and `callee` answers from its banner. */
async function connect(caller: Page, callee: Page, calleeNumber: string, callerNumber: string) {
  await dial(caller, calleeNumber);
  const banner = card(callee, callerNumber);
  await button(banner, 'Answer').click();
  await expect(banner.locator('.state')).toHaveText('answered');
  await expect(card(caller, calleeNumber).locator('.state')).toHaveText('answered');
}
const SCREENSHOT = { maxDiffPixelRatio: 0.02, animations: 'disabled' as const };
const dynamic = (page: Page) => [page.locator('.duration'), page.locator('.quality'), page.locator('#trace'), page.locator('#log-count'),
  page.locator('.media-warning'), page.locator('#diagnostics'), page.locator('#history .time'), page.locator('#history .duration')];
async function noSeriousA11yViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}
async function tabs(context: BrowserContext, n: number) {
  const pages = [];
  for (let i = 0; i < n; i++) pages.push(await context.newPage());
  return pages;
}

test('demo: a first load shows the page with no console error', async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await expect(page.locator('#user option')).toHaveCount(4);
  await expect(page.locator('#server')).toHaveText('RingCentral-compatible edge');
  expect(consoleErrors).toEqual([]);
  await noSeriousA11yViolations(page);
});

test('demo: every call action through the page, checked on the other tabs and the edge', async ({ browser, pageErrors }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext({ permissions: ['microphone', 'clipboard-read', 'clipboard-write'], viewport: { width: 1280, height: 800 } });
  pageErrors.watchContext(context, 'demo');
  const [alice, bob, carol] = await tabs(context, 3);
  const A = await register(alice, 0);
  const B = await register(bob, 1);
  const C = await register(carol, 2);
  const [extA, extB, extC] = [A, B, C].map((n) => n.slice(-3));
  await expect(alice).toHaveScreenshot('registered.png', { ...SCREENSHOT, mask: dynamic(alice) });

  // Dial with the keypad, then the far side answers from its banner.
  for (const digit of B) await button(alice.locator('#keypad'), digit).click();
  await expect(alice.locator('#callee')).toHaveValue(B);
  await alice.click('#call-button');
  await expect(card(bob, A).locator('.state')).toHaveText('ringing');
  await expect(bob).toHaveScreenshot('ringing.png', { ...SCREENSHOT, mask: dynamic(bob) });
  await button(card(bob, A), 'Answer').click();
  const call = card(alice, B);
  await expect(call.locator('.state')).toHaveText('answered');
  await expect(call.locator('.duration')).toHaveText(/^\d+:\d\d$/);
  await expect(alice).toHaveScreenshot('in-call.png', { ...SCREENSHOT, mask: dynamic(alice) });
  await alice.screenshot({ path: test.info().outputPath('demo-in-call.png') }); // the README's picture, unmasked

  let since = Date.now();
  await button(call, 'Hold').click();
  await expect(call.locator('.state')).toHaveText('on hold');
  await seenByEdge(extA, (t) => t.startsWith('INVITE ') && t.includes('a=sendonly'), since, 'the hold re-INVITE');
  await button(call, 'Resume').click();
  await expect(call.locator('.state')).toHaveText('answered');
  await button(call, 'Mute').click();
  await expect(call.locator('.result')).toHaveText('microphone muted');
  await button(call, 'Unmute').click();
  await expect(call.locator('.result')).toHaveText('microphone on');
  await button(alice.locator('#keypad'), '5').click();
  await expect(call.locator('.result')).toHaveText('sent DTMF 5');
  await expect(alice.locator('#callee')).toHaveValue(B); // the digit went to the call, not the number
  since = Date.now();
  await button(call, 'Record').click();
  await expect(call.locator('.result')).toHaveText('recording: 0 Succeeded (on)');
  await seenByEdge(extA, (t) => t.startsWith('INFO ') && t.includes('startcallrecord'), since, 'the recording command');
  await button(call, 'Stop recording').click();
  await expect(call.locator('.result')).toHaveText('recording: 0 Succeeded (off)');
  since = Date.now();
  await button(call, 'ICE restart').click();
  await expect(call.locator('.result')).toHaveText('media renegotiated (ICE restart)');
  // The edge relays an ICE restart to the far side (e2e/rc-edge README "Re-INVITEs").
  await seenByEdge(extB, (t) => t.startsWith('INVITE '), since, 'the ICE restart relayed to Bob');
  await alice.selectOption('#mic', { index: 1 });
  await expect(alice.locator('#device-result')).toHaveText(/^microphone: .+ in this call$/);
  await button(call, 'Copy diagnostics').click();
  await expect(alice.locator('#diagnostics')).toBeVisible();
  const bundle = JSON.parse(await alice.locator('#diagnostics').inputValue());
  expect(bundle.sipTrace.some((m: { text: string }) => m.text.startsWith('INVITE '))).toBe(true);
  expect(JSON.stringify(bundle)).not.toMatch(/response="[0-9a-f]{32}"/);
  await expect(call.locator('.quality')).toHaveText(/MOS \d\.\d · RTT \d+ ms · loss [\d.]+ % · jitter \d+ ms/, { timeout: 10_000 });

  // Call waiting: Carol calls; answering her puts Bob on hold; switching back swaps them.
  await dial(carol, A);
  const fromCarol = card(alice, C);
  await expect(fromCarol.locator('.state')).toHaveText('ringing');
  await expect(alice).toHaveScreenshot('two-calls.png', { ...SCREENSHOT, mask: dynamic(alice) });
  await button(fromCarol, 'Answer').click();
  await expect(fromCarol.locator('.state')).toHaveText('answered');
  await expect(call.locator('.state')).toHaveText('on hold');
  await call.locator('.select').click();
  await expect(call.locator('.state')).toHaveText('answered');
  await expect(fromCarol.locator('.state')).toHaveText('on hold');
  await expect(call).toHaveAttribute('aria-current', 'true');
  await button(fromCarol, 'Hang up').click();
  await expect(card(carol, A)).toHaveCount(0);

  // Warm transfer: consult Carol while Bob holds; cancel once (Bob comes back), then join them.
  await call.locator('.target').fill(C);
  await button(call, 'Consult').click();
  await button(card(carol, A), 'Answer').click();
  await expect(card(alice, C).locator('.state')).toHaveText('answered');
  await button(call, 'Cancel consult').click();
  await expect(call.locator('.result')).toHaveText('consultation ended, call resumed');
  await expect(call.locator('.state')).toHaveText('answered');
  await expect(carol.locator('#calls li')).toHaveCount(0);
  await expect(card(alice, C)).toHaveCount(0);
  await button(call, 'Consult').click();
  await button(card(carol, A), 'Answer').click();
  await expect(card(alice, C).locator('.state')).toHaveText('answered');
  await expect(call.locator('.state')).toHaveText('on hold');
  // The snapshot has the consult call's quality line (masked, but its height counts): a
  // screenshot taken before its first report came laid the card out a line shorter.
  await expect(card(alice, C).locator('.quality')).toHaveText(/MOS/, { timeout: 10_000 });
  await expect(alice).toHaveScreenshot('transfer-consult.png', { ...SCREENSHOT, mask: dynamic(alice) });
  await button(call, 'Complete transfer').click();
  await expect(alice.locator('#calls li')).toHaveCount(0);
  await expect(alice.locator('#last-result')).toContainText('transfer completed');
  await expect(bob.locator('#calls li.call .state')).toHaveText(['answered']);
  await expect(carol.locator('#calls li.call .state')).toHaveText(['answered']);

  // Blind transfer: Bob sends Carol to Alice.
  const bobsCall = bob.locator('#calls li.call');
  await bobsCall.locator('.target').fill(A);
  await button(bobsCall, 'Transfer').click();
  await expect(bob.locator('#calls li')).toHaveCount(0);
  const transferred = alice.locator('#calls li.call');
  await button(transferred, 'Answer').click();
  await expect(transferred.locator('.state')).toHaveText('answered');

  // Flip: Alice rings Bob with this call; Bob answers, Alice hangs up.
  since = Date.now();
  await transferred.locator('.target').fill(B);
  await button(transferred, 'Flip').click();
  await expect(transferred.locator('.result')).toHaveText(`flip to ${B}: 0 Succeeded`);
  await button(bob.locator('#calls li.call'), 'Answer').click();
  await expect(bob.locator('#calls li.call .state')).toHaveText(['answered']);
  await button(transferred, 'Hang up').click();
  await expect(carol.locator('#calls li.call .state')).toHaveText(['answered']);

  // Park: Bob parks Carol; the SDK hangs up, Carol stays on the line.
  await button(bob.locator('#calls li.call'), 'Park').click();
  await expect(bob.locator('#last-result')).toHaveText(/: parked at \d+$/);
  await expect(bob.locator('#calls li')).toHaveCount(0);
  const parked = (await edge('/api/parked')) as Array<{ ext: string }>;
  expect(parked.map((p) => p.ext)).toContain(extC);
  await button(carol.locator('#calls li.call'), 'Hang up').click();
  await expect(carol.locator('#calls li')).toHaveCount(0);

  // The incoming banner's RingCentral actions, each seen by the edge.
  const ringAlice = async () => {
    await dial(bob, A);
    await expect(card(alice, B).locator('.state')).toHaveText('ringing');
    return card(alice, B);
  };
  const bobHangsUp = async () => {
    await button(bob.locator('#calls li.call'), 'Hang up').click();
    await expect(bob.locator('#calls li')).toHaveCount(0);
  };
  since = Date.now();
  await button(await ringAlice(), 'To voicemail').click();
  await seenByEdge(extA, (t) => t.startsWith('MESSAGE ') && t.includes('Cmd="11"'), since, 'the voicemail command');
  await expect(alice.locator('#calls li')).toHaveCount(0);
  await bobHangsUp();

  let ringing = await ringAlice();
  await ringing.locator('.forward-to').fill(C);
  await button(ringing, 'Forward').click();
  await expect(card(carol, B).locator('.state')).toHaveText('ringing');
  await button(card(carol, B), 'Decline').click();
  await expect(carol.locator('#calls li')).toHaveCount(0);
  await bobHangsUp();

  ringing = await ringAlice();
  await ringing.locator('.reply-template').selectOption('onMyWay');
  await button(ringing, 'Reply').click();
  // The server stops the ringing (CANCEL) once the reply is on its way; the answer comes later.
  await expect(alice.locator('#last-result')).toHaveText(/: reply sent; waiting for the caller to answer it…$/);
  await edge('/api/reply', { resp: 'yes', ext: extA });
  await expect(alice.locator('#last-result')).toHaveText(/the caller answered: yes$/);
  await expect(bob.locator('#calls li')).toHaveCount(0, { timeout: 15_000 });

  since = Date.now();
  await button(await ringAlice(), 'Decline').click();
  await seenByEdge(extA, (t) => t.startsWith('MESSAGE ') && t.includes('Cmd="12"'), since, 'the decline command');
  await bobHangsUp();

  // The SIP log: filter by method and Call-ID, copy, no secrets.
  await alice.selectOption('#log-method', 'INVITE');
  const shown = await alice.locator('#trace').textContent() ?? '';
  const messages = shown.split(/\n(?=<<<|>>>)/).filter(Boolean);
  expect(messages.length).toBeGreaterThan(4);
  for (const m of messages) expect(m).toMatch(/^CSeq:\s*\d+ INVITE/m);
  const callId = /^Call-ID:\s*(\S+)/mi.exec(messages[0])![1];
  await alice.fill('#log-call-id', callId);
  const ofCall = (await alice.locator('#trace').textContent() ?? '').split(/\n(?=<<<|>>>)/).filter(Boolean);
  expect(ofCall.length).toBeGreaterThan(0);
  for (const m of ofCall) expect(m).toContain(callId);
  const [shownCount, total] = (await alice.locator('#log-count').textContent())!.match(/^(\d+) of (\d+) messages$/)!.slice(1).map(Number);
  expect(shownCount).toBe(ofCall.length);
  expect(shownCount).toBeLessThan(total);
  await alice.click('#log-copy');
  await expect(alice.locator('#log-count')).toHaveText(/^copied \d+ messages$/);
  expect(await alice.evaluate(() => navigator.clipboard.readText())).toBe(await alice.locator('#trace').textContent());
  await alice.selectOption('#log-method', '');
  await alice.fill('#log-call-id', '');
  const all = await alice.locator('#trace').textContent() ?? '';
  expect(all).toContain('Proxy-Authorization: Digest');
  expect(all).not.toMatch(/response="[0-9a-f]{32}"/);
  const users = (await (await fetch(`http://127.0.0.1:${PORT}/demo-config.json`)).json()).users as Array<{ password: string }>;
  for (const u of users) expect(all).not.toContain(u.password);

  await noSeriousA11yViolations(alice);
  await context.close();
});

test('demo: a narrow (mobile-width) window stacks the panels and stays usable', async ({ browser, pageErrors }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  pageErrors.watchContext(context, 'demo');
  const [a, b] = await tabs(context, 2);
  const A = await register(a, 0);
  const B = await register(b, 1);
  await connect(a, b, B, A);
  await expect(card(a, B).locator('.quality')).toHaveText(/MOS/, { timeout: 10_000 }); // in the snapshot, as above
  await expect(a).toHaveScreenshot('narrow-in-call.png', { ...SCREENSHOT, fullPage: true, mask: dynamic(a) });
  await noSeriousA11yViolations(a);
  // Keyboard only: Tab reaches the call's Hang up button (in document order), Enter presses it.
  await a.locator('#callee').focus();
  const hangup = card(a, B).locator('[data-action="hangup"]');
  for (let i = 0; i < 40 && !(await hangup.evaluate((el) => el === document.activeElement)); i++) await a.keyboard.press('Tab');
  await expect(hangup).toBeFocused();
  await a.keyboard.press('Enter');
  await expect(b.locator('#calls li')).toHaveCount(0);
  // The edge has no presence server and routes no plain MESSAGE: those panes are hidden
  // (as the RingCentral-only actions are on a standard server); the call history is not.
  for (const id of ['#buddies-panel', '#chat-panel']) await expect(a.locator(id)).toBeHidden();
  await expect(a.getByText('not available on this server')).toBeVisible();
  await expect(a.locator('#history li')).toHaveCount(1);
  await expect(a.locator('#history li')).toContainText(`outgoing ${B}`);
  await expect(a.locator('#history li .result')).toHaveText('answered');
  await expect(b.locator('#history li .result')).toHaveText('answered');
  await context.close();
});

test('demo: an unplugged microphone is replaced, and the page says by which input', async ({ browser, pageErrors }) => {
  const context = await browser.newContext();
  pageErrors.watchContext(context, 'demo');
  // Keep the microphone tracks the pages open, to unplug one later.
  await context.addInitScript(() => {
    if (!navigator.mediaDevices) return; // about:blank before the page loads
    const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    const mics: MediaStreamTrack[] = ((window as any).__mics = []);
    navigator.mediaDevices.getUserMedia = async (c) => { const st = await gum(c); mics.push(...st.getAudioTracks()); return st; };
  });
  const [a, b] = await tabs(context, 2);
  const A = await register(a, 0);
  const B = await register(b, 1);
  await connect(a, b, B, A);
  await a.evaluate(() => {
    const t = (window as any).__mics.filter((m: MediaStreamTrack) => m.readyState === 'live').at(-1);
    t.stop();
    t.dispatchEvent(new Event('ended'));
  });
  await expect(card(a, B).locator('.result')).toContainText('microphone disconnected: now using');
  await button(card(b, A), 'Hang up').click();
  await expect(a.locator('#calls li')).toHaveCount(0);
  await context.close();
});

test('demo: the same extension in three tabs is one phone with one registration', async ({ browser, pageErrors }) => {
  const context = await browser.newContext();
  pageErrors.watchContext(context, 'demo');
  const pages = await tabs(context, 3);
  for (const tab of pages) await register(tab, 2, { multiTab: true });
  const roles = await Promise.all(pages.map((t) => t.locator('#tab-role').getAttribute('data-role')));
  expect(roles.sort()).toEqual(['follower', 'follower', 'leader']);
  const username = await pages[0].locator('#user').inputValue(); // 1650555xxxx; the edge lists its extension xxx
  const regs = await edge('/api/registrations');
  expect(regs.filter((r: { ext: string; live: boolean; connOpen: boolean }) => r.live && r.connOpen && username.endsWith(r.ext))).toHaveLength(1);
  await context.close();
});

test('demo in its default multi-tab mode: a call answered, held, muted and consulted from a tab that does not lead; unregister clears the page', async ({ browser, pageErrors }) => {
  test.setTimeout(120_000);
  // carol (index 2) in two tabs of one context, as one phone; alice and bob elsewhere.
  const others = await browser.newContext({ permissions: ['microphone'] });
  const context = await browser.newContext({ permissions: ['microphone'] });
  pageErrors.watchContext(others, 'demo');
  pageErrors.watchContext(context, 'demo (multi-tab)');
  const [alice, bob] = await tabs(others, 2);
  const A = await register(alice, 0);
  const B = await register(bob, 1);
  const carolTabs = await tabs(context, 2);
  let C = '';
  for (const tab of carolTabs) C = await register(tab, 2, { multiTab: true });
  const roles = await Promise.all(carolTabs.map((t) => t.locator('#tab-role').getAttribute('data-role')));
  const leader = carolTabs[roles.indexOf('leader')];
  const follower = carolTabs[roles.indexOf('follower')];

  await dial(alice, C);
  const ringing = card(follower, A);
  await expect(ringing.locator('.state')).toHaveText('ringing');
  await button(ringing, 'Answer').click();
  // The follower's card shows the answered call at once: its event carried the state.
  await expect(ringing.locator('.state')).toHaveText('answered');
  await expect(button(ringing, 'Hang up')).toBeVisible();
  await expect(button(ringing, 'Answer')).toBeHidden();
  await expect(card(alice, C).locator('.state')).toHaveText('answered');

  await button(ringing, 'Hold').click();
  await expect(ringing.locator('.state')).toHaveText('on hold');
  await expect(card(leader, A).locator('.state')).toHaveText('on hold'); // the tab that did not press it too
  await button(ringing, 'Resume').click();
  await expect(ringing.locator('.state')).toHaveText('answered');
  await button(ringing, 'Mute').click();
  await expect(ringing.locator('.result')).toHaveText('microphone muted');
  await expect(button(ringing, 'Unmute')).toBeVisible();
  await expect(button(card(leader, A), 'Unmute')).toBeVisible();
  await button(ringing, 'Unmute').click();
  await expect(ringing.locator('.result')).toHaveText('microphone on');

  // Consult bob from the follower, then cancel: alice is resumed.
  await ringing.locator('.target').fill(B);
  await button(ringing, 'Consult').click();
  await button(card(bob, C), 'Answer').click();
  await expect(ringing.locator('.result')).toHaveText(/^on hold while you talk to /);
  await expect(ringing.locator('.state')).toHaveText('on hold');
  await button(ringing, 'Cancel consult').click();
  await expect(ringing.locator('.result')).toHaveText('consultation ended, call resumed');
  await expect(ringing.locator('.state')).toHaveText('answered');
  await expect(bob.locator('#calls li')).toHaveCount(0);

  // Unregister in the follower: its page lists no call (the call goes on in the leader tab).
  await follower.click('#unregister');
  await expect(follower.locator('#state')).toHaveText('unregistered');
  await expect(follower.locator('#calls li')).toHaveCount(0);
  await expect(card(leader, A).locator('.state')).toHaveText('answered');
  await button(card(alice, C), 'Hang up').click();
  await expect(leader.locator('#calls li')).toHaveCount(0);
  await expect(leader.locator('#last-result')).toHaveText(/ended \(/);
  await others.close();
  await context.close();
});

test('demo on a standard SIP server (Kamailio): RingCentral-only actions are hidden, a call works', async ({ browser, pageErrors }) => {
  // The page as demo.sh serves it with DEMO_SERVER=kamailio, against the suite's own Kamailio
  // (global-setup.mjs), so that demo.sh does not start or stop a second one.
  const users = JSON.parse(readFileSync(`${ROOT}/e2e/kamailio/users.json`, 'utf8'));
  const configFile = `${mkdtempSync(`${tmpdir()}/wwp-demo-`)}/config.json`;
  writeFileSync(configFile, JSON.stringify({ server: 'Kamailio', domain: users.domain, wsUrl: `ws://${users.server.host}:${users.server.wsPort}`,
    users: Object.values(users.users).map((u: any) => ({ username: u.username, authorizationId: u.authorizationId, password: u.password, name: u.displayName })) }));
  const server = spawn(process.execPath, [`${ROOT}/scripts/serve-demo.mjs`, '18091', configFile], { stdio: 'ignore' });
  try {
    await expect.poll(async () => (await fetch('http://127.0.0.1:18091/demo-config.json').catch(() => null))?.status ?? 0, { timeout: 10_000 }).toBe(200);
    // Bad URLs get an answer and the server stays up (a "/%" made it exit).
    expect((await fetch('http://127.0.0.1:18091/%')).status).toBe(400);
    expect((await fetch('http://127.0.0.1:18091/..%2fweb-x/index.html')).status).toBe(404);
    expect((await fetch('http://127.0.0.1:18091/sip-log.js')).headers.get('content-type')).toBe('text/javascript');
    expect((await fetch('http://127.0.0.1:18091/dist/sip-core.wasm')).headers.get('content-type')).toBe('application/wasm');
    const context = await browser.newContext();
    pageErrors.watchContext(context, 'demo (Kamailio)');
    const [a, b] = await tabs(context, 2);
    for (const [page, index] of [[a, 0], [b, 1]] as const) {
      await page.goto('http://127.0.0.1:18091/');
      await page.locator('#user option').nth(index).waitFor({ state: 'attached' });
      await page.selectOption('#user', { index });
      await page.setChecked('#multiTab', false);
      await page.setChecked('#dtmfInfo', page === a); // README "DTMF": a sends its keys by SIP INFO
      await page.click('#register');
      await expect(page.locator('#state')).toHaveText('registered');
    }
    await dial(a, '102');
    const incoming = b.locator('#calls li.call');
    await expect(button(incoming, 'Answer')).toBeVisible();
    for (const name of ['To voicemail', 'Forward', 'Reply']) await expect(button(incoming, name)).toBeHidden();
    await button(incoming, 'Answer').click();
    const call = a.locator('#calls li.call');
    await expect(call.locator('.state')).toHaveText('answered');
    for (const name of ['Record', 'Park', 'Flip']) await expect(button(call, name)).toBeHidden();
    for (const name of ['Hold', 'Transfer', 'Consult', 'ICE restart']) await expect(button(call, name)).toBeVisible();
    // Keys pressed on a's keypad reach b as SIP INFO and show on b's card, in order.
    await expect(incoming.locator('.dtmf-in')).toBeHidden();
    for (const key of ['5', 'pound']) {
      await a.locator('#keypad').getByRole('button', { name: key, exact: true }).click();
      await expect(call.locator('.result')).toHaveText(`sent DTMF ${key === 'pound' ? '#' : key}`);
    }
    await expect(incoming.locator('.dtmf-in output')).toHaveText('5#');
    await expect(a.locator('#trace')).toContainText('Signal=5');
    await button(call, 'Hold').click();
    await expect(call.locator('.state')).toHaveText('on hold');
    await expect(a.locator('#trace')).toContainText('a=sendonly');
    await button(call, 'Resume').click();
    await expect(call.locator('.state')).toHaveText('answered');
    await button(incoming, 'Hang up').click();
    await expect(a.locator('#calls li')).toHaveCount(0);
    await context.close();
  } finally {
    server.kill();
  }
});
