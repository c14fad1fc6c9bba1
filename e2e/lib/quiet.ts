// "Nothing (more) was sent" checks, without a fixed sleep (issue #18, item 4).
//
// A check that something did NOT happen after an action used to sleep a fixed
// time and then look. Too short and it looks before a late frame arrives; and
// it never noticed traffic that was still going on. waitForQuiet() instead
// waits until a stream (a count of SIP frames, log lines, requests) has not
// changed for `quietMs`, bounded by `timeout`, and the check runs after that.
// The quiet window starts when it is called, so a `quietMs` at least as long
// as the sleep it replaces makes the check no weaker: anything the old sleep
// would have caught restarts the window and is then in what the test looks at.
// A stream that never settles (a retry loop) fails instead of passing.

export type QuietOptions = {
  /** how long the count must stay unchanged (default 500 ms) */
  quietMs?: number;
  /** give up (throw) if it is still changing after this long (default 10 s) */
  timeout?: number;
  /** poll period (default 50 ms) */
  interval?: number;
  /** named in the error, e.g. "101's SIP frames" */
  what?: string;
};

/** Resolves with the count once `count()` has stayed the same for `quietMs`. */
export async function waitForQuiet(count: () => number | Promise<number>, opts: QuietOptions = {}): Promise<number> {
  const { quietMs = 500, timeout = 10_000, interval = 50, what = 'the frame stream' } = opts;
  const t0 = Date.now();
  let last = await count();
  let since = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, interval));
    const n = await count();
    const now = Date.now();
    if (n !== last) { last = n; since = now; }
    else if (now - since >= quietMs) return n;
    if (now - t0 > timeout) throw new Error(`${what} did not stay unchanged for ${quietMs} ms within ${timeout} ms (count ${n})`);
  }
}
