// The demo's chat, buddy list and call history on a standard SIP server: the
// page as `DEMO_SERVER=kamailio scripts/demo.sh` serves it, against the
// suite's own Kamailio (global-setup.mjs, with its presence and dialog-info
// modules), driven through the page only; each outcome is checked on the
// other extension's page. axe-core finds no serious accessibility violation.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from '../../lib/fixtures';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PORT = 18092;
const URL_ = `http://127.0.0.1:${PORT}/`;
let server: ChildProcess;

test.beforeAll(async () => {
  const users = JSON.parse(readFileSync(`${ROOT}/e2e/kamailio/users.json`, 'utf8'));
  const configFile = `${mkdtempSync(`${tmpdir()}/wwp-demo-`)}/config.json`;
  writeFileSync(configFile, JSON.stringify({ server: 'Kamailio', domain: users.domain, wsUrl: `ws://${users.server.host}:${users.server.wsPort}`,
    users: Object.values(users.users).map((u: any) => ({ username: u.username, authorizationId: u.authorizationId, password: u.password, name: u.displayName })) }));
  server = spawn(process.execPath, [`${ROOT}/scripts/serve-demo.mjs`, String(PORT), configFile], { stdio: 'ignore' });
  await expect.poll(async () => (await fetch(`${URL_}demo-config.json`).catch(() => null))?.status ?? 0, { timeout: 10_000 }).toBe(200);
});
test.afterAll(() => { server?.kill(); });

/** Register the extension at `index` of the config (101 is 0) in a single-tab phone. */
async function register(page: Page, index: number) {
  await page.goto(URL_);
  await page.locator('#user option').nth(index).waitFor({ state: 'attached' });
  await page.selectOption('#user', { index });
  await page.setChecked('#multiTab', false);
  await page.click('#register');
  await expect(page.locator('#state')).toHaveText('registered');
}
const button = (where: Locator | Page, name: string) => where.getByRole('button', { name, exact: true });
async function dial(page: Page, number: string) {
  await page.fill('#callee', number);
  await page.click('#call-button');
}
const buddy = (page: Page, ext: string) => page.locator(`#buddies li[data-ext="${ext}"]`);
const history = (page: Page) => page.locator('#history li');
async function noSeriousA11yViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

test('demo on Kamailio: chat both ways, a buddy\'s presence and busy lamp, the call history', async ({ browser, pageErrors }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  pageErrors.watchContext(context, 'demo (Kamailio)');
  const [a, b, c] = [await context.newPage(), await context.newPage(), await context.newPage()];
  await register(a, 0); // 101
  await register(b, 1); // 102
  await register(c, 2); // 103
  // A standard server: the panes are there, the RingCentral-only note is not.
  for (const id of ['#buddies-panel', '#chat-panel', '#history-panel']) await expect(a.locator(id)).toBeVisible();
  await expect(a.getByText('not available on this server')).toBeHidden();

  // Chat: 101 → 102, delivered (✓), shown and announced on 102's page; 102 answers in the open conversation.
  await a.fill('#chat-to', '102');
  await a.fill('#chat-text', 'hello from 101');
  await a.click('#chat-send');
  await expect(a.locator('#chat-log .msg.out')).toHaveText(['me: hello from 101 ✓ delivered']);
  await expect(b.locator('#chat-log .msg.in')).toHaveText(['101: hello from 101']);
  await expect(b.locator('#chat-announce')).toHaveText('Message from 101: hello from 101');
  await expect(b.locator('#chat-to')).toHaveValue('101');
  await b.fill('#chat-text', 'and back');
  await b.press('#chat-text', 'Enter');
  await expect(b.locator('#chat-log .msg.out .mark')).toHaveText(['✓ delivered']);
  await expect(a.locator('#chat-log .msg')).toHaveText(['me: hello from 101 ✓ delivered', '102: and back']);
  // Nobody is registered as 105: the refusal's status shows on the message.
  await a.fill('#chat-to', '105');
  await a.fill('#chat-text', 'anyone?');
  await a.click('#chat-send');
  await expect(a.locator('#chat-log .msg.out .mark')).toHaveText([/^✗ 404 /]);
  await expect(button(a.locator('#chat-peers'), '102')).toHaveAttribute('aria-pressed', 'false');
  await expect(button(a.locator('#chat-peers'), '105')).toHaveAttribute('aria-pressed', 'true');

  // Presence: 101 adds 102; 102 says Away with a note; 101's row follows.
  await a.fill('#buddy-ext', '102');
  await button(a, 'Add buddy').click();
  await expect(buddy(a, '102').locator('.lamp')).toHaveText('line idle');
  await b.selectOption('#my-status', 'away');
  await b.fill('#my-note', 'at lunch');
  await b.click('#publish');
  await expect(b.locator('#presence-result')).toHaveText('published: away, “at lunch”');
  await expect(buddy(a, '102').locator('.presence')).toHaveText('away');
  await expect(buddy(a, '102').locator('.note')).toHaveText('“at lunch”');
  await expect(buddy(a, '102').locator('.dot')).toHaveAttribute('data-status', 'away');

  // Busy lamp: 102 calls 103; 101 sees 102's line ring, then busy, then idle.
  await dial(b, '103');
  await expect(buddy(a, '102').locator('.lamp')).toHaveText('line ringing');
  const incoming = c.locator('#calls li.call');
  await button(incoming, 'Answer').click();
  await expect(b.locator('#calls li.call .state')).toHaveText(['answered']);
  await expect(buddy(a, '102').locator('.lamp')).toHaveText('line busy');
  await expect(buddy(a, '102').locator('.lamp')).toHaveAttribute('data-lamp', 'busy');
  await expect(a).toHaveScreenshot('kamailio-panes.png', { maxDiffPixelRatio: 0.02, animations: 'disabled',
    mask: [a.locator('#trace'), a.locator('#log-count'), a.locator('#history .time'), a.locator('#history .duration')] });
  await button(b.locator('#calls li.call'), 'Hang up').click();
  await expect(c.locator('#calls li')).toHaveCount(0);
  await expect(buddy(a, '102').locator('.lamp')).toHaveText('line idle');

  // The call history on both ends: newest first, with the result.
  await expect(history(b)).toHaveCount(1);
  await expect(history(b).first()).toContainText(/outgoing 103 .* \d+:\d\d answered/);
  await expect(history(c).first()).toContainText(/incoming 102 .* answered/);
  // 102 calls 103 again and gives up before an answer: cancelled here, missed there.
  await dial(b, '103');
  await expect(c.locator('#calls li.call .state')).toHaveText(['ringing']);
  await button(b.locator('#calls li.call'), 'Hang up').click();
  await expect(history(b)).toHaveCount(2);
  await expect(history(b).first()).toContainText('outgoing 103');
  await expect(history(b).first().locator('.result')).toHaveText('cancelled');
  await expect(history(c).first().locator('.result')).toHaveText('missed');
  // A click on an entry calls the party again; Clear empties the list.
  await history(c).first().locator('button').click();
  await expect(b.locator('#calls li.call .state')).toHaveText(['ringing']);
  await button(b.locator('#calls li.call'), 'Decline').click();
  await expect(c.locator('#calls li')).toHaveCount(0);
  await expect(history(c).first().locator('.result')).toHaveText(/^(declined|busy|failed)/);
  await c.click('#history-clear');
  await expect(history(c)).toHaveCount(0);
  await expect(c.locator('#no-history')).toBeVisible();

  await noSeriousA11yViolations(a);
  // Unregister: the subscriptions and the publication end on the wire first.
  for (const page of [a, b, c]) {
    await page.click('#unregister');
    await expect(page.locator('#state')).toHaveText('unregistered');
  }
  await context.close();
});

/** Whether the `<video>` at `selector` in the page plays a picture (frames decoded, a size). */
const playing = (page: Page, selector: string) => page.locator(selector).evaluate((v: HTMLVideoElement) =>
  !v.hidden && v.videoWidth > 0 && ((v as any).getVideoPlaybackQuality?.().totalVideoFrames ?? 1) > 0);

test('demo on Kamailio: a video call answered with video, camera off and on, screen share, video removed', async ({ browser, pageErrors }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  pageErrors.watchContext(context, 'demo (Kamailio, video)');
  const [a, b] = [await context.newPage(), await context.newPage()];
  await register(a, 0); // 101
  await register(b, 1); // 102
  await expect(a.locator('#camera option')).not.toHaveCount(0); // Chromium's fake camera is listed
  await a.fill('#callee', '102');
  await a.click('#video-call-button');
  const incoming = b.locator('#calls li.call');
  await button(incoming, 'Answer with video').click();
  const call = a.locator('#calls li.call');
  await expect(call.locator('.state')).toHaveText('answered');
  for (const [page, card] of [[a, call], [b, incoming]] as const) {
    await expect(card.locator('.video')).toBeVisible();
    await expect.poll(() => playing(page, '#calls li.call .remote-video'), { message: 'the far side\'s picture plays' }).toBe(true);
    await expect.poll(() => playing(page, '#calls li.call .local-video'), { message: 'our own picture plays' }).toBe(true);
    await expect(button(card, 'Remove video')).toBeVisible();
  }
  await button(call, 'Camera off').click();
  await expect(call.locator('.result')).toHaveText('camera off (the other side sees black)');
  await button(call, 'Camera on').click();
  await expect(call.locator('.result')).toHaveText('camera on');
  // Screen share swaps the track: no INVITE after the one that set the call up.
  const invites = async () => (await a.locator('#trace').textContent())!.split(/\n/).filter((l) => /INVITE sip:/.test(l)).length;
  const before = await invites();
  await button(call, 'Share screen').click();
  await expect(call.locator('.result')).toHaveText('sharing the screen');
  await button(call, 'Stop sharing').click();
  await expect(call.locator('.result')).toHaveText('screen share stopped');
  expect(await invites()).toBe(before);
  await noSeriousA11yViolations(a);
  // Removing video re-INVITEs with m=video 0; both cards lose their pictures and offer to add it again.
  await button(call, 'Remove video').click();
  await expect(call.locator('.result')).toHaveText('video removed');
  await expect(a.locator('#trace')).toContainText('m=video 0');
  for (const card of [call, incoming]) {
    await expect(card.locator('.video')).toBeHidden();
    await expect(button(card, 'Add video')).toBeVisible();
  }
  await button(incoming, 'Hang up').click();
  await expect(a.locator('#calls li')).toHaveCount(0);
  await context.close();
});

test('demo on Kamailio: early media, the callee\'s tab plays to the caller before Answer; the caller\'s card says so', async ({ browser, pageErrors }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  pageErrors.watchContext(context, 'demo (Kamailio, early media)');
  const [a, b] = [await context.newPage(), await context.newPage()];
  await register(a, 0); // 101
  await register(b, 1); // 102
  await dial(a, '102');
  const incoming = b.locator('#calls li.call');
  const call = a.locator('#calls li.call');
  await expect(call.locator('.state')).toHaveText('ringing');
  await button(incoming, 'Early media').click();
  await expect(incoming.locator('.result')).toHaveText('the caller hears this tab (early media); Answer to talk');
  await expect(button(incoming, 'Early media')).toBeHidden();
  await expect(call.locator('.state')).toHaveText('ringing · early media');
  await expect(incoming.locator('.state')).toHaveText('ringing · early media');
  await expect(b.locator('#trace')).toContainText('SIP/2.0 183 Session Progress');
  await button(incoming, 'Answer').click();
  await expect(call.locator('.state')).toHaveText('answered');
  await expect(incoming.locator('.state')).toHaveText('answered');
  await button(call, 'Hang up').click();
  await expect(b.locator('#calls li')).toHaveCount(0);
  await context.close();
});
