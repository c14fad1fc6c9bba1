// A subscription to another party's state (RFC 6665), as the app holds it:
// `webPhone.subscribePresence()` / `subscribeDialog()` return one. The core
// runs the protocol (refreshes, NOTIFYs, re-subscribing after the server's
// retry-after); this object only keeps what it last reported.
import EventEmitter from '../event-emitter.js';
import type { DialogInfo, DialogStateEntry, PresenceStatus, SubscriptionStateChange } from './types.js';

export type SubscriptionEventPackage = 'presence' | 'dialog';

/**
 * Events: `state` (SubscriptionStateChange), `presence` (PresenceStatus),
 * `dialogInfo` (DialogInfo), `notify` ({ contentType, body } of a body the
 * core could not read), `terminated` (the last SubscriptionStateChange).
 */
export class Subscription extends EventEmitter {
  state: 'subscribing' | 'pending' | 'active' | 'terminated' = 'subscribing';
  /** The last presence reported (presence subscriptions). */
  presence: PresenceStatus | undefined;
  /** The last dialog-info reported (dialog subscriptions). */
  dialogInfo: DialogInfo | undefined;
  private dialogs = new Map<string, DialogStateEntry>();
  private ended: Promise<SubscriptionStateChange>;
  private end!: (c: SubscriptionStateChange) => void;

  /** @internal */
  constructor(
    readonly target: string,
    readonly event: SubscriptionEventPackage,
    private readonly cancel: () => void,
  ) {
    super();
    this.ended = new Promise((resolve) => (this.end = resolve));
  }

  /** End it (SUBSCRIBE with Expires: 0); resolves once the server confirmed or gave up. */
  unsubscribe(): Promise<SubscriptionStateChange> {
    if (this.state !== 'terminated') this.cancel();
    return this.ended;
  }

  /** @internal */
  _state(change: SubscriptionStateChange): void {
    if (this.state === 'terminated') return;
    this.state = change.state;
    this.emit('state', change);
    if (change.state === 'terminated') {
      this.end(change);
      this.emit('terminated', change);
      this.removeAllListeners();
    }
  }

  /** @internal */
  _presence(p: PresenceStatus): void {
    this.presence = p;
    this.emit('presence', p);
  }

  /** @internal A dialog-info document, its dialogs already read. */
  _dialogInfo(entity: string, version: number, full: boolean, entries: DialogStateEntry[]): void {
    if (full) this.dialogs.clear();
    for (const d of entries) this.dialogs.set(d.id, d);
    const states = [...this.dialogs.values()].map((d) => d.state);
    const lamp = states.includes('confirmed') ? 'busy'
      : states.some((s) => s === 'trying' || s === 'proceeding' || s === 'early') ? 'ringing' : 'idle';
    // Dialogs that ended are reported once, then forgotten.
    for (const d of entries) if (d.state === 'terminated') this.dialogs.delete(d.id);
    this.dialogInfo = { entity, version, full, dialogs: entries, lamp };
    this.emit('dialogInfo', this.dialogInfo);
  }

  /** @internal */
  _notify(contentType: string, body: string): void {
    this.emit('notify', { contentType, body });
  }
}
