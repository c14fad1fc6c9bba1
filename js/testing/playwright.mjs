// @ts-check
/**
 * The test kit's Playwright fixture (README "Testing your app"):
 *
 *   import { test, expect, expectAudio } from 'wasm-web-phone/testing/playwright';
 *
 * - `testServer` (one per worker): the RingCentral-compatible test server,
 *   with the extensions of the `extensions` option plus the far side's,
 *   serving the app's files from the `serve` option's directories; reset
 *   before every test.
 * - `farSide` (one per test): a real phone in its own browser context, whose
 *   microphone plays the tone the test asks for; it calls the app, answers
 *   or declines the app's calls, holds, sends DTMF, transfers, hangs up.
 * - `page`/`context`: Playwright's, with the audio probe installed, so that
 *   `expectAudio(page)` can tell whether the app hears the far side's tone;
 *   `anotherPage()` opens one more such page in its own context (a colleague).
 * - Chromium is launched with the flags that make fake media and WebRTC over
 *   loopback work, and from the system's binary when Playwright has none.
 * @module wasm-web-phone/testing/playwright
 */
import path from 'node:path';
import { test as base, expect, chromium } from '@playwright/test';
import { startTestServer } from './server.mjs';
import { launchOptions } from './chromium.mjs';
import { recordPeerConnections, listenForTone } from './audio-probe.mjs';
import { farSideMounts, FAR_SIDE_EXT } from './far-side-mounts.mjs';

export { expect };

export { FAR_SIDE_EXT };

/**
 * The audio probe's init script, for a page from your own context:
 * `await context.addInitScript(recordPeerConnections)` before the page loads,
 * then `expectAudio(page)` works there too (the kit's `page` fixture has it).
 */
export { recordPeerConnections };

/** The far side of the app's calls; every method waits for the far side's phone. */
export class FarSide {
  /** @param {import('@playwright/test').Page} page @param {string} ext @param {string} number */
  constructor(page, ext, number) {
    this.page = page;
    /** Its extension number, to dial from the app. */
    this.ext = ext;
    /** Its phone number (what the app shows as the caller). */
    this.number = number;
  }

  /** @param {string} action @param {number} [index] @param {unknown} [arg] */
  act(action, index, arg) {
    return this.page.evaluate(([a, i, x]) => /** @type {any} */ (window).farSide.act(a, i ?? undefined, x), /** @type {const} */ ([action, index ?? null, arg]));
  }

  /** Call `target` (an extension or number); resolves once answered or failed. @param {string} target */
  call(target) { return this.page.evaluate((t) => /** @type {any} */ (window).farSide.call(t), target); }
  /** Wait for a call from the app (ringing at the far side). */
  waitForCall(timeoutMs = 10_000) { return this.page.evaluate((ms) => /** @type {any} */ (window).farSide.waitForCall(ms), timeoutMs); }
  /** Answer the ringing call (waits for one first). */
  async answer(timeoutMs = 10_000) { return this.act('answer', (await this.waitForCall(timeoutMs)).index); }
  /** Decline the ringing call (waits for one first). */
  async decline(timeoutMs = 10_000) { return this.act('decline', (await this.waitForCall(timeoutMs)).index); }
  hangup() { return this.act('hangup'); }
  hold() { return this.act('hold'); }
  unhold() { return this.act('unhold'); }
  /** Mute its microphone (the app then hears digital silence). */
  mute() { return this.act('mute'); }
  unmute() { return this.act('unmute'); }
  /** Send DTMF (RFC 4733) on the current call. @param {string} digits */
  sendDtmf(digits) { return this.act('sendDtmf', undefined, digits); }
  /** Blind-transfer the current call. @param {string} target */
  transfer(target) { return this.act('transfer', undefined, target); }
  /** Play a sine of `hz` (default 1000) into its calls; 0 = silence. */
  playTone(hz = 1000) { return this.page.evaluate((f) => /** @type {any} */ (window).farSide.tone(f), hz); }
  /** Every call it has had: direction, state, callId, events. */
  calls() { return this.page.evaluate(() => /** @type {any} */ (window).farSide.calls()); }
}

/**
 * Fail unless the page hears `hz` (default 1000, what `farSide.playTone()`
 * plays) on its received audio for `holdMs` in a row within `timeoutMs`.
 * @param {import('@playwright/test').Page} page
 * @param {{hz?: number, holdMs?: number, timeoutMs?: number}} [o]
 */
export async function expectAudio(page, o = {}) {
  const r = await measureTone(page, o);
  if (!r.heard) throw new Error(`expectAudio: ${r.why}`);
  return r;
}

/** What `expectAudio` measures, without failing: `{heard, why?}`. @param {import('@playwright/test').Page} page @param {{hz?: number, holdMs?: number, timeoutMs?: number}} [o] */
export function measureTone(page, o = {}) {
  return page.evaluate(listenForTone, { hz: o.hz ?? 1000, holdMs: o.holdMs ?? 300, timeoutMs: o.timeoutMs ?? 5000 });
}

/**
 * @typedef {Object} KitFixtures
 * @property {import('./server.mjs').TestServer} testServer
 * @property {FarSide} farSide
 * @property {() => Promise<import('@playwright/test').Page>} anotherPage  a page in a new
 *           browser context (another device or colleague), with the audio probe; closed after the test
 */

/** @type {any} */
const fixtures = {
  extensions: [['101', '102', '103'], { scope: 'worker', option: true }],
  serverTransport: ['wss', { scope: 'worker', option: true }],
  serve: [{}, { scope: 'worker', option: true }],
  // An option, so that a config's own `use.launchOptions` replaces it (README: build it with launchOptions({ args })).
  launchOptions: [launchOptions({ bundled: safeExecutablePath() }), { scope: 'worker', option: true }],
  ignoreHTTPSErrors: true,
  testServer: [async ({ extensions, serverTransport, serve }, use, workerInfo) => {
    // `serve` paths are relative to the config file, as Playwright's own paths are.
    const base = workerInfo.config.configFile ? path.dirname(workerInfo.config.configFile) : process.cwd();
    const mounts = Object.fromEntries(Object.entries(serve).map(([prefix, dir]) => [prefix, path.resolve(base, dir)]));
    if (extensions.map(String).includes(FAR_SIDE_EXT)) throw new Error(`extensions: ${FAR_SIDE_EXT} is the far side's; choose other numbers for the app`);
    const server = await startTestServer({ extensions: [...extensions, { ext: FAR_SIDE_EXT, name: 'Far Side' }],
      transport: serverTransport, static: { ...mounts, ...farSideMounts() } });
    await use(server);
    await server.close();
  }, { scope: 'worker' }],
  // Every test starts with no registration, call, rule or changed tunable left by the one before.
  _kitReset: [async ({ testServer }, use) => {
    await testServer.reset();
    await use(undefined);
  }, { auto: true }],
  context: async ({ context }, use) => {
    await context.addInitScript(recordPeerConnections);
    await use(context);
  },
  anotherPage: async ({ browser }, use) => {
    /** @type {import('@playwright/test').BrowserContext[]} */
    const made = [];
    await use(async () => {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      made.push(context);
      await context.addInitScript(recordPeerConnections);
      return context.newPage();
    });
    for (const c of made) await c.close();
  },
  farSide: async ({ browser, testServer, _kitReset }, use) => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${testServer.httpUrl}/kit/far-side.html`);
    await page.evaluate((s) => /** @type {any} */ (window).farSide.start(s), testServer.sipInfo(FAR_SIDE_EXT, { transport: 'ws' }));
    const ext = testServer.extension(FAR_SIDE_EXT);
    await use(new FarSide(page, FAR_SIDE_EXT, ext.number));
    await page.evaluate(() => /** @type {any} */ (window).farSide.stop()).catch(() => undefined);
    await context.close();
    if (errors.length) throw new Error(`the far side's page failed: ${errors.join('; ')}`);
  },
};

/** @type {import('@playwright/test').TestType<import('@playwright/test').PlaywrightTestArgs & import('@playwright/test').PlaywrightTestOptions & KitFixtures, import('@playwright/test').PlaywrightWorkerArgs & import('@playwright/test').PlaywrightWorkerOptions & {extensions: string[], serverTransport: 'wss'|'ws', serve: Record<string, string>}>} */
export const test = base.extend(fixtures);

/** Playwright's own Chromium path, or undefined when it cannot tell. */
function safeExecutablePath() {
  try { return chromium.executablePath(); } catch { return undefined; }
}
