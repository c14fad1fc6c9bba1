// Playwright fixtures for phone tests against the local Kamailio.
//
//   import { test, expect } from '../../lib/fixtures';
//   test('call', async ({ phonePage }) => {
//     const a = await phonePage('101');                    // published RC SDK, registered over wss
//     const b = await phonePage('102', { sdk: 'ours' });   // our SDK (e2e/pages/ours-phone.html)
//     const call = a.call('102');                          // { done }: settles when answered/failed
//     await b.waitForInboundCall(); await b.answer(); await call.done;
//     await expectAudio(a, b); await a.hangup();
//   });
//
// Every phone gets its own browser context (like a separate device), with
// ignoreHTTPSErrors for the self-signed WSS cert. At the end of the test all
// phones are disposed and their contexts closed; if the test failed, each
// phone's SIP log and the tail of the Kamailio log are attached to the report.
//
// Errors in any page the test drives fail it at teardown (lib/page-errors.ts):
// the phones', the built-in `page`, and the pages of any context a test opens
// itself once it passes it to `pageErrors.watchContext()`. A test that
// provokes one on purpose calls `expectPageErrors(/pattern/)`.
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { sipInfo as sipInfoFor } from './users.mjs';
import { kamailioLogTail } from './kamailio.mjs';
import { AUDIO_POWER_MIN, meanPower, PowerWindow, type InboundAudio } from './media-checks';
import { PageErrors } from './page-errors';
import { waitForQuiet } from './quiet';
import { findSecrets, recordWireSecrets, testPasswords } from './secrets-check';

export type Sdk = 'rc' | 'ours';
export interface PhoneOptions {
  sdk?: Sdk;                          // 'rc' (default): /e2e/rc-phone.html, 'ours': /e2e/ours-phone.html
  transport?: 'wss' | 'ws';           // sipInfo.wsUrl (our SDK); the RC SDK always uses wss
  start?: boolean;                    // default true: register before returning
  sipInfo?: Record<string, unknown>;  // overrides, e.g. { password: 'wrong' }
  options?: Record<string, unknown>;  // WebPhone options: instanceId, debug, autoAnswer, ...
  query?: string;                     // extra page query string, e.g. 'wasmUrl=/dist/sip-core.wasm'
  init?: () => void;                  // runs in the page before any of its scripts (context.addInitScript)
}

export class Phone {
  /** Digest response/cnonce values this page sent on its WebSockets (lib/secrets-check.ts). */
  wireSecrets: string[] = [];
  /** RFC 5626 CRLF keep-alives on the page's WebSockets (not SIP, so not in sipLog):
   *  pings sent, pongs received. Recorded for phones from openPhone(). */
  readonly keepAlives: { dir: 'inbound' | 'outbound'; text: string; t: number }[] = [];
  constructor(readonly page: Page, readonly context: BrowserContext, readonly ext: string, readonly sdk: Sdk) {}

  private ev<T>(fn: string, ...args: unknown[]): Promise<T> {
    return this.page.evaluate(([f, a]) => (window as any)[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;
  }
  /** Register (webPhone.start()). Rejects with the SDK's message, e.g. "Registration failed: SIP/2.0 401 Unauthorized". */
  start() { return this.ev<string>('start'); }
  /**
   * Start a call. Returns { done } (NOT a promise: returning the SDK promise
   * from an async helper would wait for the answer). `done` settles when the
   * call is answered or fails; it never settles for a call the caller cancels.
   */
  call(callee: string, headers?: Record<string, string>) {
    const done = this.ev<{ state: string; callId: string }>('call', callee, headers ?? null);
    done.catch(() => {});   // may never settle / page closed at teardown
    return { done };
  }
  async waitForInboundCall(timeout = 10_000) {
    await expect.poll(() => this.eventNames(), { timeout }).toContain('inboundCall');
    return this.page.evaluate(() => (window as any).events.find((e: any) => e.name === 'inboundCall'));
  }
  answer() { return this.ev<string>('answer'); }
  hangup() { return this.ev<string>('hangup'); }
  decline() { return this.ev<string>('decline'); }
  toVoicemail() { return this.ev<string>('toVoicemail'); }
  cancel() { return this.ev<string>('cancel'); }
  hold() { return this.ev<string>('hold'); }
  unhold() { return this.ev<string>('unhold'); }
  dispose() { return this.ev<string>('dispose'); }
  state() { return this.ev<string>('sessionState'); }
  sessionCount() { return this.ev<number>('sessionCount'); }
  localSdp() { return this.ev<string | undefined>('localSdp'); }
  remoteSdp() { return this.ev<string | undefined>('remoteSdp'); }
  rtpStats() {
    return this.ev<{ inPackets: number; outPackets: number; inEnergy: number; inDuration: number; ice: string; conn: string } | null>('rtpStats');
  }
  async inPackets() { return (await this.rtpStats())?.inPackets ?? 0; }
  /** inbound-rtp audio counters of the current call (see media-checks.ts). */
  async inboundAudio(): Promise<InboundAudio> {
    const s = await this.rtpStats();
    return { packets: s?.inPackets ?? 0, energy: s?.inEnergy ?? 0, duration: s?.inDuration ?? 0 };
  }
  events() { return this.page.evaluate(() => (window as any).events as Array<{ name: string; [k: string]: unknown }>); }
  async eventNames() { return (await this.events()).map((e) => e.name); }
  sipLog() { return this.page.evaluate(() => (window as any).sipLog as string[]); }
  sipMessages() { return this.page.evaluate(() => (window as any).sipMessages as string[]); }
  async waitForState(state: string, timeout = 10_000) {
    await expect.poll(() => this.state(), { timeout }).toBe(state);
  }
  /** Wait until the SIP log has not grown for `quietMs` (bounded, lib/quiet.ts),
   *  before checking that nothing (more) was sent or received. */
  sipQuiet(quietMs = 500, timeout = 10_000) {
    return waitForQuiet(async () => (await this.sipLog()).length, { quietMs, timeout, interval: 100, what: `${this.ext}'s SIP log` });
  }
}

/**
 * Poll until every phone hears the other side: its inbound-rtp packetsReceived
 * rose by more than `min` (~20 ms per packet) and the audio it decoded since
 * the call started polling has a mean power of at least AUDIO_POWER_MIN
 * (-30 dBFS; the fake microphone's beeps are far louder, silence is 0).
 */
export async function expectAudio(phones: Phone[], { min = 25, timeout = 10_000 } = {}) {
  const start = await Promise.all(phones.map((p) => p.inboundAudio()));
  await Promise.all(phones.map((p, i) =>
    expect.poll(async () => {
      const now = await p.inboundAudio();
      const power = meanPower(start[i], now);
      return { packets: now.packets - start[i].packets, power, ok: now.packets - start[i].packets > min && power >= AUDIO_POWER_MIN };
    }, { timeout, message: `audio into ${p.ext} (${p.sdk}): more than ${min} packets, mean power >= ${AUDIO_POWER_MIN}` })
      .toEqual(expect.objectContaining({ ok: true }))));
}

/** `a` calls `callee`, `b` answers; resolves when both sessions are answered. */
export async function connect(a: Phone, b: Phone, callee: string, headers?: Record<string, string>) {
  const call = a.call(callee, headers);
  await b.waitForInboundCall();
  await b.answer();
  await call.done;
  await a.waitForState('answered');
  await b.waitForState('answered');
}

/** Poll until every phone's inbound-rtp packetsReceived rose by more than `min`: RTP arrives, heard or not. */
export async function expectRtp(phones: Phone[], { min = 25, timeout = 10_000 } = {}) {
  const start = await Promise.all(phones.map((p) => p.inPackets()));
  await Promise.all(phones.map((p, i) =>
    expect.poll(() => p.inPackets(), { timeout, message: `RTP into ${p.ext} (${p.sdk})` }).toBeGreaterThan(start[i] + min)));
}

/**
 * Poll until `phone` hears silence: a window of at least `seconds` of audio
 * it decoded (media time, not wall time) with a mean power below
 * AUDIO_POWER_MIN, while packets keep arriving (silence, not a dead stream).
 * Returns that power.
 */
export async function expectSilence(phone: Phone, { seconds = 1, timeout = 10_000 } = {}) {
  const win = new PowerWindow(seconds);
  let last: ReturnType<PowerWindow['add']> | undefined;
  await expect.poll(async () => {
    last = win.add(await phone.inboundAudio());
    return { ...last, ok: last.power !== undefined && last.power < AUDIO_POWER_MIN && last.packets > 25 };
  }, { timeout, message: `silence into ${phone.ext} (${phone.sdk}): ${seconds} s of audio below ${AUDIO_POWER_MIN}` })
    .toEqual(expect.objectContaining({ ok: true }));
  return last!.power!;
}

/** `errors` records the page's uncaught errors (the fixtures check them at teardown). */
export async function openPhone(browser: Browser, baseURL: string | undefined, ext: string, opts: PhoneOptions = {}, errors: PageErrors) {
  const sdk = opts.sdk ?? 'rc';
  const context = await browser.newContext({ ignoreHTTPSErrors: true, baseURL });
  if (opts.init) await context.addInitScript(opts.init);
  const page = await context.newPage();
  errors.watch(page, `${ext} ${sdk}`);
  const phone = new Phone(page, context, ext, sdk);
  phone.wireSecrets = recordWireSecrets(page);
  page.on('websocket', (ws) => {
    const keepAlive = (dir: 'inbound' | 'outbound') => ({ payload }: { payload: string | Buffer }) => {
      const text = typeof payload === 'string' ? payload : payload.toString('utf8');
      if (/^\s*$/.test(text)) phone.keepAlives.push({ dir, text, t: Date.now() });
    };
    ws.on('framesent', keepAlive('outbound'));
    ws.on('framereceived', keepAlive('inbound'));
  });
  await page.goto(`/e2e/${sdk}-phone.html${opts.query ? `?${opts.query}` : ''}`);
  const info = sipInfoFor(ext, { transport: opts.transport ?? 'wss', ...(opts.sipInfo ?? {}) });
  // instanceId: the RC SDK defaults it to authorizationId, so two phones of one
  // user would share a +sip.instance; give each page its own
  const options = { instanceId: crypto.randomUUID(), ...(opts.options ?? {}) };
  await page.evaluate(([si, o]) => (window as any).setup(si, o), [info, options] as const);
  if (opts.start ?? true) await phone.start();
  return phone;
}

type Fixtures = {
  /** Every watched page's errors; checked when the test ends (auto: every test has it). */
  pageErrors: PageErrors;
  /** Declare that this test provokes page errors matching `pattern` (at least one must occur). */
  expectPageErrors: (pattern: RegExp) => void;
  phonePage: (ext: string, opts?: PhoneOptions) => Promise<Phone>;
};

export const test = base.extend<Fixtures>({
  // Torn down after the fixtures that use it (phonePage closes its contexts
  // first), so it sees the errors of the whole test, dispose() included.
  pageErrors: [async ({}, use) => {
    const errors = new PageErrors();
    await use(errors);
    errors.check();
  }, { auto: true }],
  expectPageErrors: async ({ pageErrors }, use) => { await use((pattern) => pageErrors.expect(pattern)); },
  page: async ({ page, pageErrors }, use) => {
    pageErrors.watch(page, 'page');
    await use(page);
  },
  phonePage: async ({ browser, baseURL, pageErrors }, use, testInfo) => {
    const phones: Phone[] = [];
    await use(async (ext, opts) => {
      const p = await openPhone(browser, baseURL, ext, opts, pageErrors);
      phones.push(p);
      return p;
    });
    const failed = testInfo.status !== testInfo.expectedStatus;
    const leaks: string[] = [];
    for (const p of phones) {
      if (p.sdk === 'ours') leaks.push(...(await secretLeaks(p)).map((l) => `${p.ext}: ${l}`));
      if (failed) {
        const log = await p.sipMessages().catch(() => null);
        const errors = pageErrors.seen.filter((e) => e.source === `${p.ext} ${p.sdk}`).map((e) => e.message);
        await testInfo.attach(`sip-${p.ext}-${p.sdk}.txt`, {
          body: `${(log ?? ['(page gone)']).join('\n-----\n')}\n\npage errors:\n${errors.join('\n')}`,
          contentType: 'text/plain',
        });
      }
      // bounded: a phone in a broken state must not eat the test timeout
      await Promise.race([p.dispose().catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
      await p.context.close().catch(() => {});
    }
    if (failed) await testInfo.attach('kamailio.log (tail)', { body: kamailioLogTail(200), contentType: 'text/plain' });
    // Issue 14: no password or digest response in our SDK's logs, events or diagnostics.
    if (leaks.length) throw new Error(`secrets reached the SDK's logs, events or diagnostics:\n${leaks.join('\n')}`);
  },
});

/**
 * What of the page's SDK log, event trace and diagnostics bundle holds a
 * secret ([] when clean). A check that cannot read them says so (it passed
 * before: nothing read, nothing found); a page the test closed has nothing to read.
 */
export async function secretLeaks(p: Phone): Promise<string[]> {
  if (p.page.isClosed()) return [];
  type Texts = Record<string, string> & { unreadable?: string };
  const texts: Texts = await Promise.race([
    p.page.evaluate(async () => {
      const w = window as any;
      let diagnostics = '';
      if (w.webPhone?.diagnostics) {
        try {
          diagnostics = JSON.stringify(await w.webPhone.diagnostics());
        } catch (e: any) {
          // A phone the test disposed has no bundle to give; any other failure is the SDK's.
          if (!/disposed/i.test(String(e?.message))) return { unreadable: `diagnostics() rejected: ${e?.message ?? e}` };
        }
      }
      return { 'SDK log': JSON.stringify(w.sdkLog ?? []), 'event trace': (w.sipMessages ?? []).join('\n'), diagnostics };
    }).catch((e: Error): Texts => (p.page.isClosed() ? {} : { unreadable: String(e.message ?? e).split('\n')[0] })),
    new Promise<Texts>((r) => setTimeout(() => r({ unreadable: 'the page did not answer within 3 s' }), 3000)),
  ]);
  if (texts.unreadable) return [`the secrets check could not read the page: ${texts.unreadable}`];
  return findSecrets(texts, [...testPasswords(), ...p.wireSecrets]);
}

export { expect };
