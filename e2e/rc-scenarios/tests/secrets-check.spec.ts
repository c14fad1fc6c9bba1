// The secrets check of this suite's fixtures (issue 14; ours only: the published
// SDK's `debug` prints whole messages, digest response and all) really fails
// tests: a phone whose SDK log holds its password is failed at teardown
// (test.fail(): green only if the fixture failed it), and a real registration
// through the edge's digest challenge leaves nothing to find.
import { test, expect, SDK } from './fixtures';

test.skip(SDK !== 'ours', 'the secrets check runs for our SDK only');

test('a registered phone: its wire carried a digest response, its logs, events and bundles carry none', async ({ phones }) => {
  const p = await phones('101');
  await p.ev((si: any) => (window as any).h.extra(si, 'secrets-extra'), p.sipInfo);
  expect(p.wireSecrets.length).toBeGreaterThanOrEqual(2); // both REGISTERs were challenged
  const texts = await p.ev(() => (window as any).h.secretTexts());
  expect(texts['SDK log'].length).toBeGreaterThan(1000); // the SIP trace was logged
  expect(texts['event trace']).toMatch(/^REGISTER sip:/m);
  expect(JSON.parse(texts.diagnostics)).toHaveLength(2); // one bundle per phone on the page
});

test('a password in the SDK log fails the test at teardown', async ({ phones }) => {
  test.fail(true, 'the fixture must fail this test at teardown: the log holds a password');
  const p = await phones('102');
  await p.ev((pw: string) => (window as any).h.sdkLog.push({ message: `oops ${pw}` }), p.sipInfo.password);
});

test('a digest response in the event trace fails the test at teardown', async ({ phones }) => {
  test.fail(true, 'the fixture must fail this test at teardown: the event trace holds a digest response');
  const p = await phones('103');
  const response = p.wireSecrets[0];
  expect(response).toBeTruthy();
  await p.ev((r: string) => (window as any).h.eventTrace.push(`Authorization: Digest response="${r}"`), response);
});
