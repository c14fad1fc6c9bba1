// The EventEmitter of ringcentral-web-phone 2.x (spec §2.12), kept exactly:
// persistent listeners run in order, then once-listeners; emit is
// synchronous; a throwing listener propagates to the emitter's caller.
type Listener = (...args: any[]) => void;

export default class EventEmitter {
  private listeners = new Map<string, Listener[]>();
  private onceListeners = new Map<string, Listener[]>();

  on(name: string, fn: Listener): void {
    const list = this.listeners.get(name) ?? [];
    list.push(fn);
    this.listeners.set(name, list);
  }

  once(name: string, fn: Listener): void {
    const list = this.onceListeners.get(name) ?? [];
    list.push(fn);
    this.onceListeners.set(name, list);
  }

  off(name: string, fn: Listener): void {
    for (const map of [this.listeners, this.onceListeners]) {
      const list = map.get(name);
      if (list) map.set(name, list.filter((l) => l !== fn));
    }
  }

  emit(name: string, ...args: any[]): void {
    // Listeners added or removed by a listener take effect from the next
    // emit: `off` replaces the list and a copy is iterated when there are
    // several (one listener needs no copy, and this runs per SIP frame).
    const list = this.listeners.get(name);
    if (list !== undefined && list.length !== 0) {
      if (list.length === 1) list[0](...args);
      else for (const fn of list.slice()) fn(...args);
    }
    const once = this.onceListeners.get(name);
    if (once !== undefined) {
      this.onceListeners.delete(name);
      for (const fn of once) fn(...args);
    }
  }

  /** @internal Whether `emit(name)` would reach anyone (lets the SDK skip building event objects). */
  hasListeners(name: string): boolean {
    return (this.listeners.get(name)?.length ?? 0) + (this.onceListeners.get(name)?.length ?? 0) > 0;
  }

  removeAllListeners(): void {
    this.listeners.clear();
    this.onceListeners.clear();
  }
}
