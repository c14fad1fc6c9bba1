// The fixtures' page-error check (lib/page-errors.ts) really fails tests.
// The test.fail() tests below pass only if the fixture failed them at
// teardown; their bodies do nothing else that could fail, so a green result
// means the check caught the error. The other tests call the check directly
// and look at what it reports.
import type { Page } from '@playwright/test';
import { test, expect } from '../../lib/fixtures';
import { pageErrorProblems, type Allowance } from '../../lib/page-errors';

const MARK = 'provoked by page-errors.spec';

/** Throw `MARK` from a timer in `page` (an uncaught exception) and wait until the test heard of it. */
async function throwInPage(page: Page) {
  const heard = page.waitForEvent('pageerror', { timeout: 5000 }).catch(() => null);
  await page.evaluate((m) => { setTimeout(() => { throw new Error(m); }); }, MARK);
  await heard;
}

test('pageErrorProblems: an unexpected error is reported; an allowance covers only what it matches, and one that matched nothing is reported', () => {
  const seen = [{ source: 'a', message: 'Error: boom' }, { source: 'b', message: 'TypeError: x is undefined' }];
  expect(pageErrorProblems(seen, [])).toEqual(['[a] Error: boom', '[b] TypeError: x is undefined']);
  const allowed: Allowance[] = [{ pattern: /boom/, matched: 0 }];
  expect(pageErrorProblems(seen, allowed)).toEqual(['[b] TypeError: x is undefined']);
  expect(allowed[0].matched).toBe(1);
  expect(pageErrorProblems([], [{ pattern: /boom/g, matched: 0 }])).toEqual(['expectPageErrors(/boom/g) matched no error']);
  // a global pattern matches every time (RegExp.lastIndex is reset)
  expect(pageErrorProblems([seen[0], seen[0]], [{ pattern: /boom/g, matched: 0 }])).toEqual([]);
});

test('a phone page throws: check() fails naming the phone and the error; expectPageErrors() covers exactly that error', async ({ phonePage, pageErrors, expectPageErrors }) => {
  const p = await phonePage('101', { sdk: 'ours', transport: 'ws', start: false });
  await throwInPage(p.page);
  expect(pageErrors.seen.map((e) => [e.source, e.message])).toEqual([['101 ours', `Error: ${MARK}`]]);
  expect(() => pageErrors.check()).toThrow(`[101 ours] Error: ${MARK}`);
  // an unhandled rejection is caught too (Chromium reports it as a pageerror)
  await p.page.evaluate((m) => { void Promise.reject(new Error(`${m}, rejected`)); }, MARK);
  await expect.poll(() => pageErrors.seen.length).toBe(2);
  expect(pageErrors.seen[1].message).toBe(`Error: ${MARK}, rejected`);
  expectPageErrors(new RegExp(MARK));
  expect(() => pageErrors.check()).not.toThrow();
});

test('an uncaught exception in the page fails the test', async ({ page }) => {
  test.fail(true, 'the fixture must fail this test at teardown: its page threw');
  await throwInPage(page);
});

test('an unhandled promise rejection in a phone page fails the test', async ({ phonePage }) => {
  test.fail(true, 'the fixture must fail this test at teardown: its page left a rejection unhandled');
  const p = await phonePage('102', { sdk: 'ours', transport: 'ws', start: false });
  const heard = p.page.waitForEvent('pageerror', { timeout: 5000 }).catch(() => null);
  await p.page.evaluate((m) => { void Promise.reject(m); }, MARK);
  await heard;
});

test('an error in a page of a context the test opened itself (watchContext) fails the test', async ({ browser, pageErrors }) => {
  test.fail(true, 'the fixture must fail this test at teardown: a watched tab threw');
  const context = await browser.newContext();
  pageErrors.watchContext(context, 'own');
  try {
    await throwInPage(await context.newPage());
  } finally {
    await context.close();
  }
});

test('expectPageErrors() for an error that never happens fails the test', async ({ page, expectPageErrors }) => {
  test.fail(true, 'the fixture must fail this test at teardown: the expected error did not occur');
  expectPageErrors(/an error nobody throws/);
  await page.evaluate(() => 1);
});

test('an error other than the expected one still fails the test', async ({ page, expectPageErrors }) => {
  test.fail(true, 'the fixture must fail this test at teardown: the page threw an error it did not declare');
  expectPageErrors(/an error nobody throws/);
  await throwInPage(page);
});
