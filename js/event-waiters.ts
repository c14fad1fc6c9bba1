// "Resolve with the next event that matches": the waits of a call session
// (core call events) and of the phone (x-rc MESSAGEs), fed by their owner.
// Every wait settles: on a match, on its timeout, or when the owner goes away
// (rejectAll); none is left pending.

/** A pending wait; `cancel()` drops it without settling it. */
export type Waiting<E> = Promise<E> & { cancel: () => void };

export class EventWaiters<E> {
  private waiters = new Set<{ match: (e: E) => boolean; resolve: (e: E) => void; reject: (err: Error) => void }>();

  /**
   * The next event `match` accepts; rejects with `Error('timeout')` after
   * `timeoutMs` if given. A wait is often set up before the command that may
   * throw, so one nobody ends up awaiting never surfaces as unhandled.
   */
  wait(match: (e: E) => boolean, timeoutMs?: number): Waiting<E> {
    let cancel = () => {};
    const p = new Promise<E>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waiter = {
        match,
        resolve: (e: E) => {
          clearTimeout(timer);
          resolve(e);
        },
        reject: (err: Error) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      cancel = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error('timeout'));
        }, timeoutMs);
      }
    });
    p.catch(() => {});
    return Object.assign(p, { cancel });
  }

  /** How many waits are pending (each may hold a timer). */
  get size(): number {
    return this.waiters.size;
  }

  /** Resolve every wait whose `match` accepts `e`. */
  feed(e: E): void {
    for (const w of [...this.waiters]) {
      if (w.match(e)) {
        this.waiters.delete(w);
        w.resolve(e);
      }
    }
  }

  /** Reject every wait: what they wait for can no longer come. */
  rejectAll(err: Error): void {
    for (const w of this.waiters) w.reject(err);
    this.waiters.clear();
  }
}
