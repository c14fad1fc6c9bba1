// The shim's side of messaging, subscriptions and publications: commands
// into the core, its events out to promises, Subscription objects and the
// phone's `message` event. Nothing here reads or writes SIP or XML.
import { check } from '../core/loader.js';
import type { CoreUa, CoreUsageEvent } from '../core/sip-core.js';
import { MessageError } from './message-error.js';
import { Subscription, type SubscriptionEventPackage } from './subscription.js';
import type {
  DialogStateEntry, InstantMessage, MessageDelivery, PublishPresenceOptions, SendMessageOptions, SubscribeOptions,
} from './types.js';

type Waiter<T> = { resolve: (v: T) => void; reject: (e: Error) => void };

const ACCEPT: Record<SubscriptionEventPackage, string> = {
  presence: 'application/pidf+xml',
  dialog: 'application/dialog-info+xml',
};

function seconds(value: unknown, what: string): number {
  if (value === undefined) return 3600;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 0x7fffffff)
    throw new Error(`${what}: expires must be a whole number of seconds above 0`);
  return value;
}

export class Usages {
  /** Set by WebPhone: an inbound instant message. */
  onMessage: ((m: InstantMessage) => void) | undefined;
  private messages = new Map<number, Waiter<MessageDelivery>>();
  private subs = new Map<number, Subscription>();
  /** publishPresence() calls waiting, with the generation the core gave each. */
  private publishing: (Waiter<void> & { generation: number })[] = [];
  /** `after`: the generation of the last publishPresence() before this unpublishPresence(). */
  private unpublishing: (Waiter<void> & { after: number })[] = [];
  /** The core's generation of the last publishPresence() (0: none yet). */
  private generation = 0;
  private dialogs = new Map<number, DialogStateEntry[]>();

  constructor(
    private readonly core: () => CoreUa,
    private readonly now: () => number,
    private readonly pump: () => void,
  ) {}

  get active(): boolean {
    return this.subs.size > 0 || this.publishing.length > 0;
  }

  sendMessage(target: string, body: string, options: SendMessageOptions = {}): Promise<MessageDelivery> {
    if (typeof target !== 'string' || typeof body !== 'string')
      return Promise.reject(new Error('sendMessage: target and body must be strings'));
    const contentType = options.contentType ?? 'text/plain';
    if (typeof contentType !== 'string') return Promise.reject(new Error('sendMessage: contentType must be a string'));
    let r;
    try {
      r = this.core().sendMessage(target, contentType, body, this.now());
      check(r, 'sendMessage');
    } catch (e) {
      this.pump();
      return Promise.reject(e);
    }
    const done = new Promise<MessageDelivery>((resolve, reject) => this.messages.set(r.request!, { resolve, reject }));
    this.pump();
    return done;
  }

  setMessageTypes(types: string[]): void {
    if (!Array.isArray(types) || types.some((t) => typeof t !== 'string' || !/^[\w.+-]+\/[\w.+*-]+$/.test(t)))
      throw new Error('messageTypes: a list of content types such as "text/plain"');
    check(this.core().setMessageTypes(types), 'messageTypes');
  }

  subscribe(target: string, event: SubscriptionEventPackage, options: SubscribeOptions = {}): Subscription {
    if (typeof target !== 'string') throw new Error(`subscribe: target must be a string`);
    const expires = seconds(options.expires, 'subscribe');
    const r = this.core().subscribe(target, event, ACCEPT[event], expires, this.now());
    if (!r.ok) this.pump();
    check(r, 'subscribe');
    const id = r.sub as number;
    const sub = new Subscription(target, event, () => {
      check(this.core().unsubscribe(id, this.now()), 'unsubscribe');
      this.pump();
    });
    this.subs.set(id, sub);
    this.pump();
    return sub;
  }

  publishPresence(o: PublishPresenceOptions): Promise<void> {
    if (!o || (o.status !== 'open' && o.status !== 'closed'))
      return Promise.reject(new Error('publishPresence: status must be "open" or "closed"'));
    if ((o.note !== undefined && typeof o.note !== 'string') || (o.activity !== undefined && typeof o.activity !== 'string'))
      return Promise.reject(new Error('publishPresence: note and activity must be strings'));
    let r;
    try {
      r = this.core().publishPresence(o.status === 'open', o.note ?? '', o.activity ?? '', seconds(o.expires, 'publishPresence'), this.now());
      check(r, 'publishPresence');
    } catch (e) {
      this.pump();
      return Promise.reject(e);
    }
    const generation = r.request as number;
    this.generation = generation;
    const done = new Promise<void>((resolve, reject) => this.publishing.push({ resolve, reject, generation }));
    this.pump();
    return done;
  }

  unpublishPresence(): Promise<void> {
    try {
      check(this.core().unpublish('presence', this.now()), 'unpublishPresence');
    } catch (e) {
      return Promise.reject(e);
    }
    const after = this.generation;
    const done = new Promise<void>((resolve, reject) => this.unpublishing.push({ resolve, reject, after }));
    this.pump();
    return done;
  }

  /** The phone is going away: unsubscribe and unpublish on the wire (the core does both). */
  end(): void {
    if (this.subs.size || this.publishing.length || this.unpublishing.length) this.core().endUsages(this.now());
  }

  /** Reject and terminate whatever still waits: the client is gone. */
  fail(reason: string): void {
    for (const w of this.messages.values()) w.reject(new Error(`sendMessage: ${reason}`));
    for (const w of [...this.publishing, ...this.unpublishing]) w.reject(new Error(`publishPresence: ${reason}`));
    this.messages.clear();
    this.publishing = [];
    this.unpublishing = [];
    for (const s of this.subs.values()) s._state({ state: 'terminated', reason, status: 0, expiresIn: 0, retryAfterMs: 0 });
    this.subs.clear();
  }

  onEvent(e: CoreUsageEvent): void {
    switch (e.name) {
      case 'messageOutcome': {
        const w = this.messages.get(e.request);
        this.messages.delete(e.request);
        if (!w) break;
        if (e.status >= 200 && e.status < 300) w.resolve({ status: e.status, reason: e.reason });
        else w.reject(new MessageError(`sendMessage: ${e.status} ${e.reason}${e.detail ? ` (${e.detail})` : ''}`, e.status, e.reason, e.detail));
        break;
      }
      case 'messageReceived': {
        const { type, name, ...m } = e;
        this.onMessage?.({ ...m, receivedAt: Date.now() });
        break;
      }
      case 'subscription': {
        const sub = this.subs.get(e.sub);
        const { type, name, sub: id, ...change } = e;
        sub?._state(change);
        if (e.state === 'terminated') {
          this.subs.delete(id);
          this.dialogs.delete(id);
        }
        break;
      }
      case 'presence':
        this.subs.get(e.sub)?._presence({
          entity: e.entity, status: e.open ? 'open' : 'closed', note: e.note, activity: e.activity, contact: e.contact,
        });
        break;
      case 'dialog': {
        const list = this.dialogs.get(e.sub) ?? [];
        list.push({
          id: e.id, callId: e.callId, localTag: e.localTag, remoteTag: e.remoteTag, direction: e.direction, state: e.state,
          event: e.event, code: e.code,
          local: { identity: e.localIdentity, displayName: e.localDisplay, target: e.contact },
          remote: { identity: e.remoteIdentity, displayName: e.remoteDisplay, target: e.remoteTarget },
        });
        this.dialogs.set(e.sub, list);
        break;
      }
      case 'dialogInfo': {
        const list = this.dialogs.get(e.sub) ?? [];
        this.dialogs.delete(e.sub);
        this.subs.get(e.sub)?._dialogInfo(e.entity, e.version, e.full, list);
        break;
      }
      case 'notify':
        this.subs.get(e.sub)?._notify(e.contentType, e.body);
        break;
      case 'publication': {
        // Calls made while a PUBLISH was out go up together (RFC 3903 §4.1):
        // one event settles every call its generation includes. `request` is
        // the generation of the last PUBLISH with a body that went out.
        const upTo = (w: { generation: number }) => w.generation <= e.request;
        if (e.state === 'published') {
          for (const w of this.publishing.filter(upTo)) w.resolve();
          this.publishing = this.publishing.filter((w) => !upTo(w));
          // A publishPresence() made after unpublishPresence() while the
          // removal still waited its turn took that turn: the removal never
          // went, what is up is the newer publication.
          const replaced = this.unpublishing.filter((w) => e.request > w.after);
          this.unpublishing = this.unpublishing.filter((w) => e.request <= w.after);
          for (const w of replaced) w.reject(new Error('unpublishPresence: replaced by a later publishPresence() before the removal was sent'));
          break;
        }
        if (e.state === 'failed') {
          // The core drops what waited behind the refused PUBLISH: nothing is
          // published, which is also what an unpublishPresence() asked for.
          const error = new MessageError(`publishPresence: ${e.status} ${e.reason}`, e.status, e.reason);
          for (const w of this.publishing.splice(0)) w.reject(error);
          for (const w of this.unpublishing.splice(0)) w.resolve();
          break;
        }
        // removed: what was published is withdrawn; a publishPresence() made
        // after the removal went out is still to come (its own event).
        for (const w of this.publishing.filter(upTo)) w.reject(new Error('publishPresence: withdrawn by unpublishPresence()'));
        this.publishing = this.publishing.filter((w) => !upTo(w));
        for (const w of this.unpublishing.splice(0)) w.resolve();
        break;
      }
    }
  }
}
