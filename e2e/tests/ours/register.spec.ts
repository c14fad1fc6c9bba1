// Our SDK (dist/iife, wasm core) registering with the standard-SIP server
// (Kamailio) from Debian Chromium: the binding appears on the server, goes
// away on dispose(), and wrong credentials fail once with a clear error.
import { test, expect } from '../../lib/fixtures';
import { waitForQuiet } from '../../lib/quiet';
import { registrations } from '../../lib/kamailio.mjs';

for (const transport of ['ws', 'wss'] as const) {
  test(`registers over ${transport}, the server holds the binding, dispose() removes it`, async ({ phonePage }) => {
    const phone = await phonePage('101', { sdk: 'ours', transport, options: { instanceId: `ours-${transport}` } });
    const bindings = await registrations('sip:101@localhost');
    expect(bindings.length).toBe(1);
    expect(bindings[0].userAgent).toBe('wasm-web-phone');
    // The binding carries our +sip.instance (RFC 5626 §4.1) and transport.
    const log = await phone.sipMessages();
    expect(log.some((m) => m.startsWith('>>> REGISTER') && m.includes('+sip.instance="<urn:uuid:ours-'))).toBe(true);
    expect(await phone.sipLog()).toEqual([
      '>>> REGISTER sip:localhost SIP/2.0', '<<< SIP/2.0 401 Unauthorized',
      '>>> REGISTER sip:localhost SIP/2.0', '<<< SIP/2.0 200 OK',
    ]);
    await phone.dispose();
    await expect.poll(() => registrations('sip:101@localhost')).toEqual([]);
    const sent = (await phone.sipMessages()).filter((m) => m.startsWith('>>> REGISTER'));
    expect(sent.at(-1)).toMatch(/;expires=0/);
  });
}

test('wrong password: start() rejects with the status line, nothing is retried', async ({ phonePage }) => {
  const phone = await phonePage('102', { sdk: 'ours', transport: 'ws', start: false, sipInfo: { password: 'wrong' } });
  await expect(phone.start()).rejects.toThrow('Registration failed: SIP/2.0 401 Unauthorized');
  await phone.sipQuiet(1500); // a retry loop would show up here: the log never settles, or grows
  expect((await phone.sipLog()).filter((l) => l.startsWith('>>> REGISTER'))).toHaveLength(2);
  expect(await registrations('sip:102@localhost')).toEqual([]);
});

test('an unreachable server rejects start() with a clear error', async ({ phonePage }) => {
  const phone = await phonePage('103', { sdk: 'ours', start: false, sipInfo: { wsUrl: 'ws://127.0.0.1:1' } });
  await expect(phone.start()).rejects.toThrow('WebSocket connection to ws://127.0.0.1:1 failed');
});

test('the ES module build registers too', async ({ page, baseURL }) => {
  await page.goto('/e2e/ours-phone.html');
  const info = (await import('../../lib/users.mjs')).sipInfo('104', { transport: 'ws' });
  const result = await page.evaluate(async (sipInfo) => {
    const { default: WebPhone } = await import('/dist/es/index.js');
    const phone = new WebPhone({ sipInfo, instanceId: 'esm-test' });
    await phone.start();
    await phone.dispose();
    return 'ok';
  }, info);
  expect(result).toBe('ok');
});

// The script-tag build starts compiling sip-core.wasm when its <script> runs
// (js/core/loader.ts), so a page that fetches its sipInfo first finds the
// core ready. `data-wasm-url` moves the file; `data-wasm-preload="false"`
// leaves the download to the first WebPhone. Either way it is fetched once.
for (const variant of ['preload', 'moved', 'no-preload'] as const) {
  test(`script tag: ${variant === 'preload' ? 'the core is fetched as the script runs' : variant === 'moved' ? 'data-wasm-url moves the core, preloaded from there' : 'data-wasm-preload="false" waits for new WebPhone()'}, once`, async ({ page }) => {
    const attrs = variant === 'moved' ? 'data-wasm-url=/moved/core.wasm' : variant === 'no-preload' ? 'data-wasm-preload=false' : '';
    if (variant === 'moved') {
      const bytes = (await import('node:fs')).readFileSync(new URL('../../../dist/sip-core.wasm', import.meta.url));
      await page.route('**/moved/core.wasm', (r) => r.fulfill({ contentType: 'application/wasm', body: bytes }));
    }
    const requested: string[] = []; // every request the page starts, finished or not
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(`/e2e/script-tag.html?attrs=${encodeURIComponent(attrs)}`);
    expect(await page.evaluate(() => (window as any).phoneOk)).toBe(true);
    const wasmRequests = () => page.evaluate(() => performance.getEntriesByType('resource').filter((e) => /\.wasm$/.test(e.name)).map((e) => new URL(e.name).pathname));
    const expected = variant === 'moved' ? '/moved/core.wasm' : '/dist/sip-core.wasm';
    if (variant === 'no-preload') {
      await waitForQuiet(() => requested.length, { quietMs: 500, what: 'the page\'s requests' });
      expect(requested.filter((u) => /\.wasm$/.test(u))).toEqual([]);
      expect(await wasmRequests()).toEqual([]);
    } else {
      await expect.poll(wasmRequests).toEqual([expected]);
    }
    const info = (await import('../../lib/users.mjs')).sipInfo('105', { transport: 'ws' });
    const result = await page.evaluate(async (sipInfo) => {
      const phone = new (window as any).WebPhone({ sipInfo, instanceId: 'script-tag-test' });
      await phone.start();
      await phone.dispose();
      return 'registered';
    }, info);
    expect(result).toBe('registered');
    expect(await wasmRequests()).toEqual([expected]);
  });
}
