// The fixtures' page-error check (../../lib/page-errors.ts) really fails
// tests here too, including for the harness's own error list (h.errors). The
// test.fail() tests pass only if the fixture failed them at teardown; their
// bodies do nothing else that could fail. The first test calls the check
// directly and looks at what it reports.
import { test, expect } from './fixtures';

const MARK = 'provoked by page-errors.spec';

test('h.fail() and a thrown error reach the check, named by phone; expectPageErrors() covers exactly them', async ({ phones, pageErrors, expectPageErrors }) => {
  const p = await phones('101');
  await p.ev((m: string) => (window as any).h.fail(m), MARK);
  await expect.poll(() => pageErrors.seen.length).toBe(1);
  expect(pageErrors.seen[0]).toEqual({ source: '101', message: `h.errors: ${MARK}` });
  expect(() => pageErrors.check()).toThrow(`[101] h.errors: ${MARK}`);
  await p.ev((m: string) => { setTimeout(() => { throw new Error(m); }); }, MARK);
  await expect.poll(() => pageErrors.seen.length).toBe(2);
  expect(pageErrors.seen[1].message).toBe(`Error: ${MARK}`);
  expectPageErrors(new RegExp(MARK));
  expect(() => pageErrors.check()).not.toThrow();
});

test("an error the harness records (h.errors) fails the test", async ({ phones, pageErrors }) => {
  test.fail(true, 'the fixture must fail this test at teardown: the harness reported an error');
  const p = await phones('102');
  await p.ev((m: string) => (window as any).h.fail(m), MARK);
  await expect.poll(() => pageErrors.seen.length, { timeout: 5000 }).toBe(1).catch(() => {});
});

test('an unhandled promise rejection in a phone page fails the test', async ({ phones }) => {
  test.fail(true, 'the fixture must fail this test at teardown: its page left a rejection unhandled');
  const p = await phones('103');
  const heard = p.page.waitForEvent('pageerror', { timeout: 5000 }).catch(() => null);
  await p.ev((m: string) => { void Promise.reject(new Error(m)); }, MARK);
  await heard;
});
