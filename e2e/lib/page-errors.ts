// Errors in a test's browser pages fail the test (issue #18, item 4).
//
// Until this existed a page could throw on every SIP message and the test
// still passed as long as its assertions held. Now every page the fixtures
// open is watched, and the fixture's teardown calls check():
//   - uncaught exceptions and unhandled promise rejections: Playwright's
//     `pageerror` (Chromium reports both; an unhandled rejection of a string
//     comes with an empty name);
//   - whatever a page's test harness reports as its own error (add()).
// Any of them fails the test, with the list. A test that provokes an error
// on purpose says which one, narrowly:
//   expectPageErrors(/invalid DTMF/);
// Such an allowance must match at least one error: one that matches nothing
// is stale, and would otherwise hide the next real error of that shape.
// There is deliberately no switch to turn the check off.
import type { BrowserContext, Page } from '@playwright/test';

export type PageError = { source: string; message: string; stack?: string };
export type Allowance = { pattern: RegExp; matched: number };

/** What is wrong with `seen` given `allowed` (counts matches into `allowed`);
 *  empty when the test may pass. Pure, so the check itself can be tested. */
export function pageErrorProblems(seen: PageError[], allowed: Allowance[]): string[] {
  const problems: string[] = [];
  for (const a of allowed) a.matched = 0;
  for (const e of seen) {
    const hit = allowed.find((a) => { a.pattern.lastIndex = 0; return a.pattern.test(e.message); });
    if (hit) hit.matched++;
    else problems.push(`[${e.source}] ${e.stack ?? e.message}`);
  }
  for (const a of allowed) if (a.matched === 0) problems.push(`expectPageErrors(${a.pattern}) matched no error`);
  return problems;
}

/** `${name}: ${message}` as the page would print it ("Uncaught Error: x"). */
function describe(e: Error): PageError['message'] {
  return e.name ? `${e.name}: ${e.message}` : e.message;
}

export class PageErrors {
  readonly seen: PageError[] = [];
  readonly allowed: Allowance[] = [];

  /** Record `page`'s uncaught errors and unhandled rejections under `source` (e.g. "101 ours"). */
  watch(page: Page, source: string) {
    page.on('pageerror', (e) => this.seen.push({ source, message: describe(e), stack: e.stack || undefined }));
  }
  /** Watch every page of `context`, those open now and those it opens later. */
  watchContext(context: BrowserContext, source: string) {
    let n = 0;
    const tab = (p: Page) => this.watch(p, `${source} tab ${++n}`);
    context.pages().forEach(tab);
    context.on('page', tab);
  }
  /** An error a harness caught and reports (not an exception the page saw). */
  add(source: string, message: string) { this.seen.push({ source, message }); }
  /** This test provokes errors matching `pattern`: they do not fail it, and at least one must occur. */
  expect(pattern: RegExp) { this.allowed.push({ pattern, matched: 0 }); }
  problems() { return pageErrorProblems(this.seen, this.allowed); }
  /** Throws (failing the test) when problems() is not empty. Called by the fixtures at teardown. */
  check() {
    const p = this.problems();
    if (p.length) {
      throw new Error(`Errors in the browser pages (issue #18: they fail the test; ` +
        `a test that provokes one declares it with expectPageErrors(/pattern/)):\n  ${p.join('\n  ')}`);
    }
  }
}
