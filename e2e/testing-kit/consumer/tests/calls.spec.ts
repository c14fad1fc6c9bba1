// The example app's call flows, tested offline with the kit only
// (wasm-web-phone/testing/playwright): an inbound call answered, an outbound
// call, hold, a blind transfer, a rejected call, a 603 at registration, and
// the far side's tone heard (or, muted, not heard).
import { test as kit, expect, expectAudio, measureTone, type FarSide } from 'wasm-web-phone/testing/playwright';
import type { Page } from '@playwright/test';

const test = kit.extend<{ sdk: 'ours' | 'rc' }>({ sdk: ['ours', { option: true }] });

/** Open the app as extension `ext` and wait until it is registered. */
async function openApp(page: Page, testServer: any, sdk: string, ext: string, status = 'registered') {
  await page.goto(`${testServer.httpUrl}/app/?sdk=${sdk}`);
  await page.evaluate((s) => (window as any).app.start(s), testServer.sipInfo(ext));
  await expect(page.locator('#status')).toHaveText(status);
}

/** The far side calls `page` (extension 101) playing `hz`; the app answers with its button. */
async function answerFarSideCall(page: Page, farSide: FarSide, hz: number) {
  await farSide.playTone(hz);
  const calling = farSide.call('101');
  await expect(page.locator('#status')).toHaveText('ringing');
  await expect(page.locator('#peer')).toContainText(farSide.number);
  await page.click('#answer');
  expect((await calling).state).toBe('answered');
  await expect(page.locator('#status')).toHaveText('in call');
}

test('an inbound call is answered and the app hears the far side', async ({ page, testServer, farSide, sdk }) => {
  await openApp(page, testServer, sdk, '101');
  await answerFarSideCall(page, farSide, 1000);
  await expectAudio(page, { hz: 1000 });
});

test('the tone check fails while the far side is muted', async ({ page, testServer, farSide, sdk }) => {
  await openApp(page, testServer, sdk, '101');
  await answerFarSideCall(page, farSide, 1000);
  await expectAudio(page, { hz: 1000 });
  await farSide.mute();
  const muted = await measureTone(page, { hz: 1000, timeoutMs: 2500 });
  expect(muted.heard).toBe(false);
  await expect(expectAudio(page, { hz: 1000, timeoutMs: 1000 })).rejects.toThrow(/no 1000 Hz tone/);
  await farSide.unmute();
  await expectAudio(page, { hz: 1000 });
  // A tone the far side does not play is not heard either.
  expect((await measureTone(page, { hz: 1700, timeoutMs: 1500 })).heard).toBe(false);
});

test('an outbound call is answered, held and resumed, then ended by the far side', async ({ page, testServer, farSide, sdk }) => {
  await openApp(page, testServer, sdk, '101');
  await farSide.playTone(800);
  await page.fill('#dial', farSide.ext);
  await page.click('#call');
  await farSide.answer();
  await expect(page.locator('#status')).toHaveText('in call');
  await expectAudio(page, { hz: 800 });

  const since = Date.now();
  await page.click('#hold');
  await expect(page.locator('#status')).toHaveText('on hold');
  await testServer.waitForMessage('101', (e: any) => e.line.startsWith('INVITE ') && /a=sendonly/.test(e.text), { dir: 'in', since });
  await page.click('#unhold');
  await expect(page.locator('#status')).toHaveText('in call');
  await expectAudio(page, { hz: 800 });

  await farSide.hangup();
  await expect(page.locator('#status')).toHaveText('registered');
  await testServer.waitForMessage('101', 'BYE', { dir: 'out', since });
});

test('a blind transfer puts the far side through to a colleague', async ({ page, anotherPage, testServer, farSide, sdk }) => {
  const colleague = await anotherPage();
  await openApp(colleague, testServer, sdk, '102');
  await openApp(page, testServer, sdk, '101');
  await answerFarSideCall(page, farSide, 1200);
  await page.fill('#transfer-to', '102');
  await page.click('#transfer');
  await expect(colleague.locator('#status')).toHaveText('ringing');
  await colleague.click('#answer');
  await expect(colleague.locator('#status')).toHaveText('in call');
  await expect(page.locator('#status')).toHaveText('registered');
  await expectAudio(colleague, { hz: 1200 });
});

test('a call the server rejects with 486 Busy Here ends in the app', async ({ page, testServer, farSide, sdk }) => {
  await openApp(page, testServer, sdk, '101');
  await testServer.failNext({ method: 'INVITE', status: 486, ext: '101', inDialog: false });
  await page.fill('#dial', farSide.ext);
  await page.click('#call');
  await testServer.waitForMessage('101', 486, { dir: 'out' });
  await expect(page.locator('#status')).toHaveText('registered');
  expect(await farSide.calls()).toEqual([]);
});

test('a device over the registration limit sees 603 Too Many Contacts', async ({ page, anotherPage, testServer, sdk }) => {
  await testServer.configure({ maxInstances: 1 });
  await openApp(page, testServer, sdk, '101');
  const second = await anotherPage();
  await openApp(second, testServer, sdk, '101', 'not registered');
  await expect(second.locator('#error')).toContainText('603');
});
