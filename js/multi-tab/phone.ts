// `MultiTabWebPhone` (`wasm-web-phone/multi-tab`, README "Multiple tabs"):
// one registration for any number of tabs of an origin, and the 2.x WebPhone
// API in each of them.
//
// The tabs elect a leader with Web Locks (election.ts). The leader runs the
// one real WebPhone: the SIP core, the WebSocket and every call's media.
// Every tab, the leader too, sees it through this class: `callSessions` of
// TabCallSession (tab-session.ts), the phone's and the calls' events, and
// commands that the leader carries out. They talk over a BroadcastChannel
// (protocol.ts). After every change the leader also sends the core's
// exported state (the registration and the answered dialogs); when it closes
// or crashes, the browser hands the lock to the next tab, which starts a
// phone from that state: it registers as the same binding and re-INVITEs
// each call with its own media (`mediaRecovering` → `mediaRecovered`).
import type CallSession from '../call-session/index.js';
import EventEmitter from '../event-emitter.js';
import type { CallOptions, SipInfo, WebPhoneOptions } from '../types.js';
import WebPhone from '../web-phone.js';
import { LeaderElection } from './election.js';
import {
  deserializeError as toError, serializeArg, serializeError, type PhoneView, type SerializedError, type SessionView,
  type TabMessage,
} from './protocol.js';
import { NO_ARGUMENTS, SESSION_METHODS, TabCallSession, viewOf, type SessionMethod } from './tab-session.js';

export interface MultiTabOptions extends WebPhoneOptions {
  /**
   * Which tabs form one phone: those with the same name (default: the SIP
   * user and domain). Two different users in one browser get two phones.
   */
  name?: string;
}

/** Phone events every tab re-emits (the leader's WebPhone's, and its client's). */
const PHONE_EVENTS = ['registered', 'registrationFailed', 'connectionStateChanged', 'reconnecting', 'recovered', 'failed'] as const;

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; leader: string };

function randomId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export class MultiTabWebPhone extends EventEmitter {
  readonly options: MultiTabOptions;
  readonly sipInfo: SipInfo;
  /** This tab's id (random, per page load). */
  readonly tabId = randomId();
  /** The phone's `+sip.instance`: the same in every tab, and kept in localStorage. */
  readonly instanceId: string;
  /** This tab runs the real phone. */
  isLeader = false;
  /** The real phone, in the leader tab only. */
  phone: WebPhone | undefined;
  callSessions: TabCallSession[] = [];
  /** The leader's phone is registered. */
  registered = false;
  connectionState = 'idle';
  disposed = false;
  /** The last connectionStateChanged argument (leader: its client's; others: as told). */
  private connection: { state?: string } | undefined;

  private readonly name: string;
  private channel!: BroadcastChannel;
  private election!: LeaderElection;
  /** The page is in the back/forward cache: this tab left the phone and rejoins when it is shown again. */
  private suspended = false;
  private leaderId: string | undefined;
  /** The last exported core state the leader sent: where a new leader starts from. */
  private coreState: string | undefined;
  private pending = new Map<number, Pending>();
  private nextCmd = 1;
  private started = false;
  private startWaiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  /** leave() hands the calls to another tab: their local end is not broadcast. */
  private handingOver = false;
  /** Why the phone is not registered (its start() failed, or later registrationFailed/failed), until it is; the leader tells joining tabs. */
  private lastFailure: Error | undefined;
  /** Leader: the phone.start() under way; every retry, from any tab, joins it. */
  private startRun: Promise<void> | undefined;
  /** Leader: a takeover whose core has not yet adopted the previous leader's calls. */
  private adopting = false;
  /** Calls that ended lately, so that call() and a late view find the wrapper outboundCall gave. */
  private ended = new Map<string, TabCallSession>();
  private publishQueued = false;
  private successorCount = 0;
  private successorTimer: ReturnType<typeof setInterval> | undefined;
  // A page going into the back/forward cache (`persisted`) may come back:
  // it steps out of the phone as a closing tab would (a frozen leader would
  // hold the lock, the socket and the calls), and rejoins on pageshow. Before,
  // it disposed itself and came back as a dead phone.
  private readonly onPageHide = (e?: Event) => void ((e as PageTransitionEvent | undefined)?.persisted ? this.suspend() : this.leave(true));
  private readonly onPageShow = (e?: Event) => { if ((e as PageTransitionEvent | undefined)?.persisted) this.resume(); };

  constructor(options: MultiTabOptions) {
    super();
    if (!options || typeof options !== 'object' || !options.sipInfo) throw new Error('MultiTabWebPhone: options.sipInfo is required');
    if (options.sipClient) throw new Error('MultiTabWebPhone: sipClient cannot be set; the leader tab runs the default SIP client');
    this.options = options;
    this.sipInfo = options.sipInfo;
    const name = options.name ?? `${options.sipInfo.authorizationId ?? options.sipInfo.username}@${options.sipInfo.domain}`;
    this.instanceId = options.instanceId ?? storedInstanceId(name);
    this.name = name;
    this.connect();
    globalThis.addEventListener?.('pagehide', this.onPageHide);
    globalThis.addEventListener?.('pageshow', this.onPageShow);
  }

  /** Join the tabs' channel and the election (a new page, or one back from the back/forward cache). */
  private connect(): void {
    this.election = new LeaderElection(`wasm-web-phone:${this.name}`);
    this.channel = new BroadcastChannel(`wasm-web-phone:${this.name}`);
    this.channel.onmessage = (e: MessageEvent<TabMessage>) => this.onMessage(e.data);
    this.post({ t: 'hello', from: this.tabId });
  }

  /**
   * Join the phone: resolves once it is registered, whichever tab leads;
   * rejects with the leader's `RegistrationError` if registering failed.
   */
  start(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('WebPhone is disposed'));
    const done = this.registered ? Promise.resolve() : new Promise<void>((resolve, reject) => this.startWaiters.push({ resolve, reject }));
    if (!this.started) {
      this.started = true;
      this.election.join(() => void this.lead());
      // The leader's count of successors decides whether closing it hands
      // the calls over or ends them (leave()); it must not wait for its 1 s refresh.
      this.post({ t: 'join', from: this.tabId });
    } else if (!this.registered && this.leaderId) {
      // Not registered (the last start() failed, or a refresh did later):
      // try again in the leader, as WebPhone.start() does; a start already
      // under way there is joined, not repeated. Its outcome reaches every
      // tab's waiters.
      if (this.isLeader && this.phone) void this.startPhone(this.phone);
      else if (!this.isLeader) this.command(undefined, 'start', []).catch((e: Error) => this.settleStart(e));
    }
    return done;
  }

  /** Place a call from whichever tab; it runs in the leader tab. Resolves as WebPhone.call does. */
  async call(callee: string, callerId?: string, options?: CallOptions): Promise<TabCallSession> {
    if (this.disposed) throw new Error('WebPhone is disposed');
    if (typeof callee !== 'string' || callee.trim() === '') throw new Error('call: callee must be a non-empty string');
    if (this.isLeader && this.phone) return this.wrapLocal(await this.phone.call(callee, callerId, options))!;
    const view = (await this.command(undefined, 'call', [callee, callerId, options])) as SessionView;
    return this.wrap(view);
  }

  /**
   * Leave: this tab no longer shows or runs the phone. The last tab to leave
   * ends the calls and unregisters (as WebPhone.dispose()); otherwise the
   * next tab takes over the registration and the calls.
   */
  async dispose(): Promise<void> {
    await this.leave(false);
  }

  // --- the leader ------------------------------------------------------------

  private async lead(): Promise<void> {
    if (this.disposed) return this.election.resign();
    this.isLeader = true;
    this.leaderId = this.tabId;
    this.rejectPending('the tab holding the phone went away; try again');
    const phone = new WebPhone({ ...this.options, instanceId: this.instanceId, _coreState: this.coreState } as WebPhoneOptions);
    this.phone = phone;
    this.adopting = this.coreState !== undefined;
    this.emit('roleChanged', 'leader');
    for (const name of PHONE_EVENTS) {
      phone.sipClient.on(name, (...args: unknown[]) => {
        if (name === 'connectionStateChanged') this.connection = serializeArg(args[0]) as { state?: string };
        this.broadcastEvent(undefined, name, args);
        this.schedulePublish();
      });
    }
    for (const name of ['inboundMessage', 'outboundMessage']) phone.sipClient.on(name, () => this.schedulePublish());
    phone.on('inboundCall', (s: CallSession) => this.announce(s, 'inboundCall'));
    phone.on('outboundCall', () => this.schedulePublish()); // announced once it has a Call-ID
    phone.on('adoptedCall', (s: CallSession) => {
      // Muted in the tab that led: muted here from its first audio on (the
      // re-INVITE below would otherwise bring the microphone back).
      if (this.callSessions.find((w) => w.callId === s.callId)?.muted) s._keepMuted();
      this.wrapLocal(s);
    });
    this.successorTimer = setInterval(() => void this.countSuccessors(), 1000);
    void this.countSuccessors();
    await this.startPhone(phone);
  }

  /** The leader's phone.start(), its outcome told to every tab's start() waiters; one at a time. */
  private startPhone(phone: WebPhone): Promise<void> {
    this.startRun ??= this.runStart(phone).finally(() => (this.startRun = undefined));
    return this.startRun;
  }

  private async runStart(phone: WebPhone): Promise<void> {
    try {
      await phone.start();
      this.registered = true;
      this.lastFailure = undefined;
    } catch (e) {
      this.registered = false;
      this.lastFailure = e as Error;
      this.broadcastEvent(undefined, 'startFailed', [e], false);
      this.settleStart(e as Error);
    }
    this.adopting = false; // adopted by now, or never will be (the calls are lost: the state says so)
    this.publish();
    if (this.registered) this.settleStart();
  }

  private async countSuccessors(): Promise<void> {
    try {
      this.successorCount = await this.election.successors();
    } catch {
      /* keep the last count */
    }
  }

  /** The leader's wrapper for a real session (made on first sight). */
  private wrapLocal(s: CallSession): TabCallSession | undefined {
    const view = viewOf(s);
    if (!view) return undefined;
    const w = this.wrap(view);
    if (w._local !== s) {
      w._local = s;
      // Every event of the real session, in this tab and in the others.
      const emit = s.emit.bind(s);
      s.emit = (name: string, ...args: unknown[]) => {
        emit(name, ...args);
        // Handing the calls to the next tab: their end here is not their end.
        if (this.handingOver) return;
        w._update(viewOf(s) ?? view);
        this.deliver(w, name, args);
        // With the state it leaves the call in: the next 'state' message
        // comes after the event, and an app that draws the call on the event
        // (an answered call still showing Answer) would draw the old one.
        this.broadcastEvent(w.callId, name, args, false, viewOf(s) ?? view);
        this.schedulePublish();
      };
    }
    return w;
  }

  private announce(s: CallSession, name: 'inboundCall' | 'outboundCall'): void {
    const w = this.wrapLocal(s);
    if (!w) return;
    // The view itself (serializeArg would reduce it to a session reference).
    this.post({ t: 'event', from: this.tabId, name, args: [viewOf(s)] });
    this.emit(name, w);
    this.schedulePublish();
  }

  private schedulePublish(): void {
    if (this.publishQueued || !this.isLeader) return;
    this.publishQueued = true;
    queueMicrotask(() => {
      this.publishQueued = false;
      this.publish();
    });
  }

  /** Send every tab the phone's state (and the core's, for the next leader). */
  private publish(): void {
    const phone = this.phone;
    if (!this.isLeader || !phone) return;
    const client = phone.sipClient as { connectionState?: string; _exportState?: () => string };
    const core = client._exportState?.();
    // A takeover still loading its core lists no calls yet: such a state (a
    // new tab's hello, a call placed meanwhile) would end them in every tab.
    if (this.adopting && !core) return;
    const sessions: SessionView[] = [];
    for (const s of phone.callSessions) {
      const view = viewOf(s);
      if (!view) continue;
      if (!this.callSessions.some((w) => w.callId === view.callId) && s.direction === 'outbound') this.announce(s, 'outboundCall');
      sessions.push(view);
    }
    this.dropMissing(sessions);
    this.connectionState = client.connectionState ?? 'idle';
    this.post({ t: 'state', from: this.tabId, phone: this.phoneView(), sessions, core });
  }

  private phoneView(): PhoneView {
    const startError = !this.registered && this.lastFailure ? serializeError(this.lastFailure) : undefined;
    return { registered: this.registered, connectionState: this.connectionState, connection: this.connection, startError };
  }

  /** A command from another tab. */
  private async serve(m: TabMessage & { t: 'cmd' }): Promise<void> {
    // A call's command answers with the call's state after it, for the same
    // reason as an event carries it (wrapLocal).
    let w: TabCallSession | undefined;
    const reply = (ok: boolean, value?: unknown, error?: SerializedError) => {
      const view = w?._local && viewOf(w._local);
      this.post({ t: 'result', from: this.tabId, to: m.from, id: m.id, ok, value, error, ...(view ? { view } : {}) });
    };
    try {
      const phone = this.phone;
      if (!phone) throw new Error('this tab no longer runs the phone');
      if (m.callId === undefined) {
        if (m.method === 'start') {
          if (!this.registered) await this.startPhone(phone);
          return reply(true);
        }
        if (m.method !== 'call') throw new Error(`unknown phone command ${m.method}`);
        const [callee, callerId, options] = m.args as [string, string | undefined, CallOptions | undefined];
        const s = await phone.call(callee, callerId, options);
        this.wrapLocal(s);
        return reply(true, viewOf(s));
      }
      w = this.callSessions.find((x) => x.callId === m.callId);
      if (!w?._local) throw new Error(`no such call (${m.callId}): it has ended`);
      reply(true, serializeArg(await this.runLocal(w, m.method as SessionMethod, m.args)));
    } catch (e) {
      reply(false, undefined, serializeError(e));
    }
  }

  private runLocal(w: TabCallSession, method: SessionMethod, args: unknown[]): Promise<unknown> {
    if (!SESSION_METHODS.includes(method)) return Promise.reject(new Error(`unknown call method ${method}`));
    const real = w._local as unknown as Record<string, (...a: unknown[]) => unknown>;
    if (typeof real[method] !== 'function') return Promise.reject(new Error(`${method} is not available on this ${w.direction} call`));
    // A session argument (completeWarmTransfer) names a call by its Call-ID.
    const local = args.map((a) => {
      const id = a instanceof TabCallSession ? a.callId : (a as { __session?: string } | null)?.__session;
      return id === undefined ? a : this.callSessions.find((x) => x.callId === id)?._local ?? a;
    });
    let result: Promise<unknown>;
    try {
      result = Promise.resolve(real[method](...local));
    } catch (e) {
      result = Promise.reject(e); // a synchronous method's Error (sendDtmf, mute) rejects like the others
    }
    // mute() and the like change the view without an event: every tab (and
    // the tab that leads next) must see it.
    const refresh = () => {
      const v = w._local && viewOf(w._local);
      if (v) w._update(v);
      this.schedulePublish();
    };
    result.then(refresh, refresh);
    return result;
  }

  // --- every tab ---------------------------------------------------------------

  /** @internal A TabCallSession's method: here when this tab leads, else by the leader. */
  _invoke(session: TabCallSession, method: SessionMethod, args: unknown[]): Promise<unknown> {
    if (this.disposed) return Promise.reject(new Error('WebPhone is disposed'));
    // `button.onclick = session.hangup.bind(session)` passes the click: a
    // method that takes nothing gets nothing (an event cannot cross tabs).
    if ((NO_ARGUMENTS as readonly string[]).includes(method)) args = [];
    if (this.isLeader && session._local) return this.runLocal(session, method, args);
    const wire = args.map((a) => (a instanceof TabCallSession ? { __session: a.callId } : a));
    return this.command(session.callId, method, wire);
  }

  private command(callId: string | undefined, method: string, args: unknown[]): Promise<unknown> {
    const leader = this.leaderId;
    if (!leader) return Promise.reject(new Error('no tab runs the phone yet: call start() first'));
    // This tab leads but has no such call (yet): a takeover still adopting
    // it, or it ended. A message to ourselves would never be answered.
    if (leader === this.tabId) return Promise.reject(new Error(`${method}: this call is not (or no longer) in this tab's phone; try again`));
    const id = this.nextCmd++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, leader });
      try {
        this.channel.postMessage({ t: 'cmd', from: this.tabId, to: leader, id, callId, method, args } satisfies TabMessage);
      } catch (e) {
        // An argument structured cloning refuses (a MediaStream, a function):
        // no answer would ever come.
        this.pending.delete(id);
        reject(new Error(`${method}: its arguments cannot be sent to the tab that runs the phone (${(e as Error).message})`));
      }
    });
  }

  private rejectPending(why: string): void {
    for (const [id, p] of this.pending) {
      if (p.leader === this.leaderId) continue;
      this.pending.delete(id);
      p.reject(new Error(why));
    }
  }

  private onMessage(m: TabMessage): void {
    if (this.disposed || !m || typeof m !== 'object') return;
    switch (m.t) {
      case 'hello':
        if (this.isLeader) this.publish();
        return;
      case 'join':
        if (!this.isLeader) return;
        // The tab posts 'join' right after asking for the lock, and its
        // request can reach the browser's lock manager after our query: count
        // again shortly, twice (the 1 s refresh came too late for a leader closed
        // within a second, which then ended the calls with a BYE).
        void this.countSuccessors();
        for (const ms of [100, 500]) setTimeout(() => void (this.isLeader && !this.disposed && this.countSuccessors()), ms);
        return;
      case 'bye':
        if (this.isLeader) void this.countSuccessors();
        return;
      case 'cmd':
        if (m.to === this.tabId && this.isLeader) void this.serve(m);
        else if (m.to === this.tabId) this.post({ t: 'result', from: this.tabId, to: m.from, id: m.id, ok: false, error: { name: 'Error', message: 'the tab holding the phone went away; try again' } });
        return;
      case 'result': {
        if (m.to !== this.tabId) return;
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.view) this.callSessions.find((x) => x.callId === m.view!.callId)?._update(m.view);
        if (m.ok) p.resolve(m.value);
        else p.reject(toError(m.error ?? { name: 'Error', message: 'failed' }));
        return;
      }
      case 'state':
        if (this.isLeader) return;
        if (m.from !== this.leaderId) {
          this.leaderId = m.from;
          this.rejectPending('the tab holding the phone went away; try again');
        }
        if (m.core) this.coreState = m.core;
        this.connectionState = m.phone.connectionState;
        // A tab that joined after the change hears it once, from the state.
        if (m.phone.connection && (m.phone.connection as { state?: string }).state !== this.connection?.state) {
          this.connection = m.phone.connection as { state?: string };
          this.emit('connectionStateChanged', this.connection);
        }
        for (const view of m.sessions) this.wrap(view);
        this.dropMissing(m.sessions);
        this.registered = m.phone.registered;
        if (this.registered) this.settleStart();
        // A tab that joined after the phone's start failed hears why (it
        // would wait for a registration nobody is trying); start() again retries.
        else if (m.phone.startError && this.startWaiters.length > 0) this.settleStart(toError(m.phone.startError));
        return;
      case 'event': {
        if (this.isLeader) return;
        const args = m.args.map((a) => this.revive(a));
        if (m.callId !== undefined) {
          const w = this.callSessions.find((x) => x.callId === m.callId);
          if (w && m.view) w._update(m.view);
          if (w) this.deliver(w, m.name, args);
          return;
        }
        if (m.name === 'inboundCall' || m.name === 'outboundCall') {
          this.emit(m.name, this.wrap(m.args[0] as SessionView));
          return;
        }
        if (m.name === 'startFailed') return this.settleStart(args[0] as Error);
        this.trackRegistered(m.name, args[0]);
        if (m.name === 'connectionStateChanged') this.connection = args[0] as { state?: string };
        this.emit(m.name, ...args);
        return;
      }
    }
  }

  /** Emit a call's event on its wrapper; `disposed` also removes it. */
  private deliver(w: TabCallSession, name: string, args: unknown[]): void {
    if (name === 'disposed') {
      w.state = 'disposed';
      this.callSessions = this.callSessions.filter((x) => x !== w);
      this.ended.set(w.callId, w);
      if (this.ended.size > 20) this.ended.delete(this.ended.keys().next().value as string);
    }
    w.emit(name, ...args);
  }

  /**
   * The wrapper for a call (created, and added to callSessions, on first
   * sight). A call that has ended keeps the wrapper it had and is not listed
   * again: call() of a failed call returns the session outboundCall gave.
   */
  private wrap(view: SessionView): TabCallSession {
    let w = this.callSessions.find((x) => x.callId === view.callId);
    if (w) {
      w._update(view);
      return w;
    }
    w = this.ended.get(view.callId);
    if (w) return w;
    w = new TabCallSession(this, view);
    if (view.state === 'disposed') this.ended.set(view.callId, w);
    else this.callSessions.push(w);
    return w;
  }

  /** Calls the leader no longer has ended without this tab hearing it (a leader that crashed). */
  private dropMissing(views: SessionView[]): void {
    const live = new Set(views.map((v) => v.callId));
    for (const w of [...this.callSessions]) if (!live.has(w.callId)) this.deliver(w, 'disposed', []);
  }

  private revive(a: unknown): unknown {
    if (a && typeof a === 'object') {
      const o = a as { __error?: SerializedError; __session?: string };
      if (o.__error) return toError(o.__error);
      if (o.__session) return this.callSessions.find((x) => x.callId === o.__session);
    }
    return a;
  }

  /** Tell the other tabs; a phone event is also emitted here (`local`). */
  private broadcastEvent(callId: string | undefined, name: string, args: unknown[], local = callId === undefined, view?: SessionView): void {
    if (callId === undefined) this.trackRegistered(name, args[0]);
    if (local) this.emit(name, ...args);
    this.post({ t: 'event', from: this.tabId, callId, name, args: args.map(serializeArg), ...(view ? { view } : {}) });
  }

  /** `registered` follows the phone's events: a refresh refused, or autoRecover giving up, unregisters it. */
  private trackRegistered(name: string, arg: unknown): void {
    if (name === 'registered' || name === 'recovered') {
      this.registered = true;
      this.lastFailure = undefined;
    } else if (name === 'registrationFailed' || name === 'failed') {
      this.registered = false;
      if (arg instanceof Error) this.lastFailure = arg;
    }
  }

  private settleStart(error?: Error): void {
    const waiters = this.startWaiters;
    this.startWaiters = [];
    for (const w of waiters) (error ? w.reject(error) : w.resolve());
  }

  private post(m: TabMessage): void {
    try {
      this.channel.postMessage(m);
    } catch {
      /* closed */
    }
  }

  private async leave(unloading: boolean): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    globalThis.removeEventListener?.('pagehide', this.onPageHide);
    globalThis.removeEventListener?.('pageshow', this.onPageShow);
    if (!this.suspended) await this.stepOut(unloading, 'WebPhone is disposed');
    this.settleStart(new Error('WebPhone is disposed'));
    this.removeAllListeners();
  }

  /** Into the back/forward cache: out of the phone, listeners and calls kept for resume(). */
  private async suspend(): Promise<void> {
    if (this.disposed || this.suspended) return;
    this.suspended = true;
    const wasLeader = this.isLeader;
    await this.stepOut(true, 'the page was hidden (back/forward cache); try again');
    this.isLeader = false;
    this.phone = undefined;
    this.leaderId = undefined;
    this.registered = false;
    // Its exported state is as old as the freeze: a resumed tab that leads
    // again starts afresh rather than adopt calls that may have ended.
    this.coreState = undefined;
    if (wasLeader) this.emit('roleChanged', 'follower');
  }

  /** Back from the back/forward cache: rejoin, and start again if the app had. */
  private resume(): void {
    if (this.disposed || !this.suspended) return;
    this.suspended = false;
    this.handingOver = false;
    this.startRun = undefined;
    this.adopting = false;
    this.connect();
    // The calls it listed: the leader's next state keeps, updates or ends them.
    if (this.started) {
      this.started = false;
      void this.start().catch(() => undefined); // the app's own start() promise settled long ago; failures reach it as events
    }
  }

  /** Leave the election and the channel: the calls go to the next tab, or end with the last one. */
  private async stepOut(unloading: boolean, pendingError: string): Promise<void> {
    clearInterval(this.successorTimer);
    const phone = this.phone;
    if (this.isLeader && phone) {
      if (this.successorCount > 0) {
        // Another tab takes the calls and the binding over: end nothing on
        // the wire (an unREGISTER would remove the binding it keeps), and
        // tell no tab that the calls this one lets go of have ended.
        this.handingOver = true;
        phone._abandon();
      } else if (unloading) {
        // The page is going: what can still go out must go now.
        void phone.dispose().catch(() => undefined);
      } else {
        await phone.dispose().catch(() => undefined);
      }
    }
    this.post({ t: 'bye', from: this.tabId });
    this.election.resign();
    this.channel.close();
    for (const [, p] of this.pending) p.reject(new Error(pendingError));
    this.pending.clear();
  }
}

/** One instance id per phone name and browser profile (RFC 5626 §4.1: stable per device). */
function storedInstanceId(name: string): string {
  const key = `wasm-web-phone:instance:${name}`;
  try {
    const stored = globalThis.localStorage?.getItem(key);
    if (stored) return stored;
    const id = randomId();
    globalThis.localStorage?.setItem(key, id);
    return id;
  } catch {
    return randomId(); // storage blocked: still one per tab set as long as the leader's lives
  }
}
