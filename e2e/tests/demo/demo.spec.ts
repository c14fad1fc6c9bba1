// The main job as a person uses it: `scripts/demo.sh` (RingCentral-compatible
// edge + demo page), two tabs, two extensions: register, call, answer, hold,
// mute, DTMF, hang up — by clicking the page's own buttons.
// Errors in the demo's tabs fail the test (lib/fixtures.ts, pageErrors).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { test, expect } from '../../lib/fixtures';
// @ts-ignore - plain ESM JavaScript module
import { rcEdgeRunning } from '../../lib/rc-edge.mjs';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PORT = 18090;
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

async function register(page: Page, index: number) {
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await page.locator('#user option').nth(index).waitFor({ state: 'attached' });
  await page.selectOption('#user', { index });
  await page.click('#register');
  await expect(page.locator('#state')).toHaveText('registered');
  // auto-recover is on by default in the demo: the connection state shows.
  await expect(page.locator('#connection')).toHaveText('connected');
}

test('demo: two tabs register, call, answer, hold, mute, DTMF and hang up', async ({ browser, pageErrors }) => {
  const context = await browser.newContext();
  pageErrors.watchContext(context, 'demo');
  // Keep the microphone tracks the pages open, to unplug one later.
  await context.addInitScript(() => {
    if (!navigator.mediaDevices) return; // about:blank before the page loads
    const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    const mics: MediaStreamTrack[] = ((window as any).__mics = []);
    navigator.mediaDevices.getUserMedia = async (c) => { const st = await gum(c); mics.push(...st.getAudioTracks()); return st; };
  });
  const alice = await context.newPage();
  const bob = await context.newPage();
  await register(alice, 0);
  await register(bob, 1);
  const bobNumber = await bob.locator('#user').inputValue();

  await alice.fill('#callee', bobNumber);
  await alice.click('#dial button');
  await expect(bob.locator('#answer')).toBeVisible();
  await bob.click('#answer');
  await expect(bob.locator('#callState')).toHaveText('answered');
  await expect(alice.locator('#callState')).toHaveText('answered');

  await alice.click('#hold');
  await expect(alice.locator('#hold')).toHaveText('Unhold');
  await alice.click('#hold');
  await expect(alice.locator('#hold')).toHaveText('Hold');
  await bob.click('#mute');
  await expect(bob.locator('#mute')).toHaveText('Unmute');
  await bob.locator('#keypad button', { hasText: '5' }).click();
  await expect(alice.locator('#trace')).toContainText('a=sendonly');
  // README "Call quality" and "Diagnostics": the indicator fills in from
  // qualityReport, and the call's bundle lands in the page, redacted.
  await expect(alice.locator('#quality')).toHaveText(/MOS \d\.\d · RTT \d+ ms · loss [\d.]+ % · jitter \d+ ms/, { timeout: 10_000 });
  await expect(alice.locator('#quality')).toHaveAttribute('data-level', 'good');
  await alice.click('#copy-diagnostics');
  await expect(alice.locator('#diagnostics')).toBeVisible();
  const bundle = JSON.parse(await alice.locator('#diagnostics').inputValue());
  expect(bundle.sipTrace.some((m: { text: string }) => m.text.startsWith('INVITE '))).toBe(true);
  expect(bundle.localSdp).toContain('m=audio');
  expect(JSON.stringify(bundle)).not.toMatch(/response="[0-9a-f]{32}"/);
  await alice.screenshot({ path: test.info().outputPath('demo-in-call.png') });
  // README "Calls": the microphone goes away (its track ends); the page says
  // which input the call now uses.
  await alice.evaluate(() => {
    const t = (window as any).__mics.filter((m: MediaStreamTrack) => m.readyState === 'live').at(-1);
    t.stop();
    t.dispatchEvent(new Event('ended'));
  });
  await expect(alice.locator('#detail')).toContainText('microphone disconnected: now using');

  await bob.click('#hangup');
  await expect(bob.locator('#call')).toBeHidden();
  await expect(alice.locator('#call')).toBeHidden();
  await expect(alice.locator('#detail')).not.toContainText('failed');
  await context.close();
});

test('demo: the same extension in three tabs is one phone with one registration', async ({ browser, pageErrors }) => {
  const context = await browser.newContext();
  pageErrors.watchContext(context, 'demo');
  const tabs = [await context.newPage(), await context.newPage(), await context.newPage()];
  for (const tab of tabs) {
    await register(tab, 2); // "one phone for all tabs" is on by default
    await expect(tab.locator('#multiTab')).toBeChecked();
  }
  const roles = await Promise.all(tabs.map((t) => t.locator('#tab-role').getAttribute('data-role')));
  expect(roles.sort()).toEqual(['follower', 'follower', 'leader']);
  const username = await tabs[0].locator('#user').inputValue(); // 1650555xxxx; the edge lists its extension xxx
  const regs = await (await fetch('http://127.0.0.1:16081/api/registrations')).json();
  expect(regs.filter((r: { ext: string; live: boolean; connOpen: boolean }) => r.live && r.connOpen && username.endsWith(r.ext))).toHaveLength(1);
  await context.close();
});
