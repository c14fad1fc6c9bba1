// Leader election between the tabs of one origin with Web Locks: every tab
// asks for the same exclusive lock; the browser grants it to one and queues
// the others, and hands it on when the holder releases it, closes or
// crashes (the lock goes with the page's context, however it ends). So there
// is at most one leader, and a successor as long as any candidate is left.
export class LeaderElection {
  private abort = new AbortController();
  private release: (() => void) | undefined;
  private joined = false;

  constructor(readonly lockName: string) {
    if (typeof navigator === 'undefined' || !navigator.locks)
      throw new Error('multi-tab mode needs Web Locks (navigator.locks): a secure context (https or localhost) in a current browser');
  }

  /** Stand as a candidate; `onLeader` runs once this tab is granted the lock. */
  join(onLeader: () => void): void {
    if (this.joined) return;
    this.joined = true;
    navigator.locks
      .request(this.lockName, { signal: this.abort.signal }, () => new Promise<void>((resolve) => {
        this.release = resolve;
        onLeader();
      }))
      .catch(() => undefined); // aborted: this tab left before it led
  }

  /** Stop leading, or stop waiting to lead. */
  resign(): void {
    this.abort.abort();
    this.release?.();
    this.release = undefined;
  }

  /** Tabs waiting to lead after this one (0 when no tab would take over). */
  async successors(): Promise<number> {
    const state = await navigator.locks.query();
    return (state.pending ?? []).filter((l) => l.name === this.lockName).length;
  }
}
