// The fixtures' secrets check (lib/secrets-check.ts, issue 14) really fails
// tests: a test whose phone's SDK log holds a test password is failed at
// teardown (test.fail(): green only if the fixture failed it), and a real
// registration through a digest challenge leaves nothing to find.
import { test, expect } from '../../lib/fixtures';
import { findSecrets, testPasswords } from '../../lib/secrets-check';
import { sipInfo } from '../../lib/users.mjs';

test('findSecrets names where a secret is; testPasswords reads every test user', () => {
  const passwords = testPasswords();
  expect(passwords).toContain(sipInfo('101').password);
  expect(findSecrets({ log: 'clean', trace: `x ${passwords[0]} y` }, passwords)).toEqual(['trace holds a test password']);
  expect(findSecrets({ log: 'response="0123456789abcdef0123"' }, ['0123456789abcdef0123'])).toEqual(['log holds 012345…']);
  expect(findSecrets({ a: 'nothing here' }, passwords)).toEqual([]);
});

test('a registered phone: its wire carried a digest response, its logs, events and bundle carry none', async ({ phonePage }) => {
  const p = await phonePage('101', { sdk: 'ours', transport: 'ws' });
  await expect.poll(() => p.wireSecrets.length).toBeGreaterThan(0); // Kamailio challenged the REGISTER
  expect(await p.page.evaluate(() => (window as any).sdkLog.length)).toBeGreaterThan(2); // the SIP trace was logged
});

test('a password in the SDK log fails the test at teardown', async ({ phonePage }) => {
  test.fail();
  const p = await phonePage('101', { sdk: 'ours', transport: 'ws' });
  await p.page.evaluate((pw) => (window as any).sdkLog.push({ message: `oops ${pw}` }), sipInfo('101').password);
});
