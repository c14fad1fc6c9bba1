// `WebPhone`, the default export (spec §2.4): owns the SIP client, the device
// manager and the live call sessions; routes the core's call events to them.
import InboundCallSession from './call-session/inbound.js';
import OutboundCallSession from './call-session/outbound.js';
import type CallSession from './call-session/index.js';
import { CANCELLED_BEFORE_INVITE, MOVED_TO_ANOTHER_TAB } from './call-session/end-reasons.js';
import type { CallCore } from './call-session/call-core.js';
import type { CoreCallEvent } from './core/sip-core.js';
import type { CallHistory } from './history/call-history.js';

type RcMessageEvent = CoreCallEvent & { name: 'rcMessage' };
import { DefaultDeviceManager } from './device-manager.js';
import { DeviceError } from './device-error.js';
import type { Ringer } from './ringer.js';
import { CallMonitor } from './quality/call-monitor.js';
import { iceSettings } from './media/ice-options.js';
import { mediaSettings, type MediaSettings } from './media/media-options.js';
import { phoneDiagnostics, type PhoneDiagnostics } from './diagnostics.js';
import EventEmitter from './event-emitter.js';
import { EventWaiters, type Waiting } from './event-waiters.js';
import { DefaultSipClient } from './sip-client.js';
import { loadCore } from './core/loader.js';
import type InboundMessage from './sip-message/inbound.js';
import { RegistrationError } from './registration-error.js';
import type { CallOptions, DeviceManager, RegistrationBinding, SipClient, SipInfo, WebPhoneOptions } from './types.js';
import { CORE_COMMIT, CORE_VERSION, WASM_SHA256 } from './version.js';
import { MessageError } from './usages/message-error.js';
import type { Subscription } from './usages/subscription.js';
import type { MessageDelivery, PublishPresenceOptions, SendMessageOptions, SubscribeOptions } from './usages/types.js';

export default class WebPhone extends EventEmitter {
  /** Build identity (also `wasm-web-phone/version`), reachable from the script-tag global. */
  static readonly CORE_VERSION = CORE_VERSION;
  static readonly CORE_COMMIT = CORE_COMMIT;
  static readonly WASM_SHA256 = WASM_SHA256;
  /**
   * The class of `start()`'s registration errors (`code`, `status`, `reason`,
   * `retryAfterMs`). A static rather than a named export: under `require`
   * the package is WebPhone itself, as in 2.x. Also
   * `wasm-web-phone/registration-error`.
   */
  static readonly RegistrationError = RegistrationError;
  /** The rejection of `sendMessage()` / `publishPresence()` (`status`, `reason`). */
  static readonly MessageError = MessageError;
  /** The rejection of `changeOutputDevice()` and the ringer's `setDevice()` (`code`: NotSupported, NotFound, NotAllowed). */
  static readonly DeviceError = DeviceError;
  sipInfo: SipInfo;
  sipClient: SipClient;
  deviceManager: DeviceManager;
  autoAnswer: boolean;
  /** wasm-web-phone: `options.callHistory`, which records this phone's calls (README "Call history"). */
  callHistory: CallHistory | undefined;
  /** wasm-web-phone: `options.ringer`, which rings inbound calls (README "Devices"). */
  ringer: Ringer | undefined;
  options: WebPhoneOptions;
  /** @internal checked codecPreferences, bandwidth and sdpHandlers */
  _media: MediaSettings;
  disposed = false;
  callSessions: CallSession[] = [];
  private byHandle = new Map<number, CallSession>();
  /** `devicesChanged` (README "Devices"): the lists now, for the app's pickers. */
  private readonly onDeviceChange = () => {
    if (this.hasListeners('devicesChanged')) navigator.mediaDevices.enumerateDevices().then((d) => this.emit('devicesChanged', {
      inputs: d.filter((i) => i.kind === 'audioinput'), outputs: d.filter((i) => i.kind === 'audiooutput'),
    })).catch(() => {});
  };
  private watchingDevices = false;
  private rcWaiters = new EventWaiters<RcMessageEvent>();

  constructor(options: WebPhoneOptions) {
    super();
    if (!options || typeof options !== 'object') throw new Error('WebPhone: options are required');
    // A bad option fails here, not at the first call.
    CallMonitor.settings(options.callQuality);
    iceSettings(options.ice, options.sipInfo?.stunServers);
    this._media = mediaSettings(options);
    if (options.dtmfTransport !== undefined && options.dtmfTransport !== 'rfc4733' && options.dtmfTransport !== 'info')
      throw new Error(`WebPhone: dtmfTransport must be 'rfc4733' or 'info', not "${String(options.dtmfTransport)}"`);
    this.options = options;
    this.sipInfo = options.sipInfo;
    this.sipClient = options.sipClient ?? new DefaultSipClient(options);
    this.deviceManager = options.deviceManager ?? new DefaultDeviceManager();
    this.autoAnswer = options.autoAnswer ?? true;
    this.callHistory = options.callHistory;
    this.callHistory?.attach(this);
    this.ringer = options.ringer;
    this.ringer?.attach(this);
    if (this.sipClient instanceof DefaultSipClient) {
      this.sipClient._onCallEvent = (e) => this.onCallEvent(e);
      this.sipClient._usages.onMessage = (m) => this.emit('message', m);
      // Start the wasm download and compile now; start() awaits the same
      // promise (and reports its error), so this one must not go unhandled.
      loadCore(options.wasm).catch(() => undefined);
    }
    // autoRecover (README "Self-healing"): the client's connection events,
    // also on the phone, where apps listen.
    for (const name of ['connectionStateChanged', 'reconnecting', 'recovered', 'failed'] as const)
      this.sipClient.on(name, (...args: unknown[]) => this.emit(name, ...args));
    // The per-session feed (spec §5.3 step 1): messages whose Call-ID is the session's.
    this.sipClient.on('inboundMessage', (m: InboundMessage) => {
      if (this.callSessions.length === 0) return;
      const callId = m.getHeader('Call-ID');
      const session = this.callSessions.find((s) => s.callId === callId);
      session?.emit('inboundMessage', m);
    });
  }

  /**
   * Connect and register. Rejects with a `RegistrationError` whose message is
   * `Registration failed: <status line>` (README "Registration errors").
   */
  async start(): Promise<void> {
    if (this.disposed) throw new Error('WebPhone is disposed');
    await this.sipClient.start();
  }

  /**
   * One JSON-ready bundle for a support ticket: build identity, the phone's
   * recent SIP trace and every live call's SDP, ICE timeline and stats,
   * redacted (README "Diagnostics").
   */
  diagnostics(): Promise<PhoneDiagnostics> {
    return phoneDiagnostics(this);
  }

  /** The bindings of the registrar's last REGISTER 2xx (`sipClient.registrations`). */
  get registrations(): RegistrationBinding[] {
    return this.sipClient.registrations ?? [];
  }

  /**
   * Place a call (spec §7.1). Emits `outboundCall` synchronously, then resolves
   * with the session once it is answered or has failed (check `state`).
   * wasm-web-phone: `options.video` offers our camera too (README "Video and screen share").
   */
  async call(callee: string, callerId?: string, options?: CallOptions): Promise<OutboundCallSession> {
    if (this.disposed) throw new Error('WebPhone is disposed');
    if (typeof callee !== 'string' || callee.trim() === '') throw new Error('call: callee must be a non-empty string');
    this._callCore(); // a dummy or custom SIP client fails here, before media or events
    const session = new OutboundCallSession(this, callee);
    this.callSessions.push(session);
    this.emit('outboundCall', session);
    try {
      await session.init(options?.video);
      await session.call(callerId, options);
    } catch (e) {
      // The app's own hangup() before the INVITE: the session it holds says so.
      if (session.endReason === CANCELLED_BEFORE_INVITE) return session;
      this._removeSession(session);
      session.dispose();
      throw e;
    }
    return session;
  }

  /**
   * Call waiting (README "Calls"): make `session` the one the user talks
   * on. Every other answered call is put on hold first (one re-INVITE at a
   * time, so a failed hold stops here and nothing else changes); then a
   * ringing inbound `session` is answered, and a held one resumed.
   */
  async switchTo(session: CallSession): Promise<void> {
    if (!this.callSessions.includes(session)) throw new Error('switchTo: not a live call of this phone');
    for (const other of this.callSessions)
      if (other !== session && other.state === 'answered' && !other.held) await other.hold();
    if (session instanceof InboundCallSession && session.state === 'ringing') await session.answer();
    else if (session.state === 'answered' && session.held) await session.unhold();
  }

  // --- messages, presence, busy lamps (README "Messages, presence and busy lamps") ---

  /**
   * Send an instant message (RFC 3428). Resolves with the 2xx (202: the
   * server accepted it for later delivery); rejects with a `MessageError`
   * carrying the refusal's status (404, 480, …; 408 when nobody answered).
   */
  sendMessage(target: string, body: string, options?: SendMessageOptions): Promise<MessageDelivery> {
    if (this.disposed) return Promise.reject(new Error('WebPhone is disposed'));
    return this._callCore()._usages.sendMessage(target, body, options);
  }

  /** Content types of inbound messages to take (others get 415); default `['text/plain']`. */
  setMessageTypes(types: string[]): void {
    this._callCore()._usages.setMessageTypes(types);
  }

  /** Watch `target`'s presence (RFC 3856): `presence` events with open/closed, note and activity. */
  subscribePresence(target: string, options?: SubscribeOptions): Subscription {
    if (this.disposed) throw new Error('WebPhone is disposed');
    return this._callCore()._usages.subscribe(target, 'presence', options);
  }

  /** Watch `target`'s calls (RFC 4235, busy lamp): `dialogInfo` events with each dialog's state. */
  subscribeDialog(target: string, options?: SubscribeOptions): Subscription {
    if (this.disposed) throw new Error('WebPhone is disposed');
    return this._callCore()._usages.subscribe(target, 'dialog', options);
  }

  /** Publish our presence (RFC 3903 PUBLISH of a PIDF the core writes), refreshed until unpublished. */
  publishPresence(options: PublishPresenceOptions): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('WebPhone is disposed'));
    return this._callCore()._usages.publishPresence(options);
  }

  /** Withdraw what publishPresence() put up. */
  unpublishPresence(): Promise<void> {
    return this._callCore()._usages.unpublishPresence();
  }

  /**
   * Hang up, decline or cancel every call, then unregister and close (spec
   * §7.14). A second call shares the first's: it settles when the phone is
   * really gone (it resolved at once, with the un-REGISTER still under way).
   */
  dispose(): Promise<void> {
    this.disposal ??= this.disposeOnce();
    return this.disposal;
  }
  private disposal: Promise<void> | undefined;
  /** Auto-answer delays still running (spec §7.3); dispose() clears them. */
  private readonly autoAnswers = new Set<ReturnType<typeof setTimeout>>();
  private clearAutoAnswers(): void {
    for (const timer of this.autoAnswers) clearTimeout(timer);
    this.autoAnswers.clear();
  }

  private async disposeOnce(): Promise<void> {
    if (this.disposed) return; // _abandon()ed: nothing left to end
    this.disposed = true;
    this.clearAutoAnswers();
    for (const session of [...this.callSessions]) {
      try {
        if (session.state === 'answered') await session.hangup();
        else if (session instanceof InboundCallSession) await session.decline();
        else if (session instanceof OutboundCallSession) await session.cancel();
      } catch {
        session.dispose(); // the core has already given up on it
      }
    }
    this.stopDeviceWatch();
    this.rcWaiters.rejectAll(new Error('the phone was disposed'));
    await this.sipClient.dispose();
    // Whatever the core did not end before it went (nothing should be left)
    // ends here, its media and waiters with it.
    for (const session of [...this.callSessions]) {
      this._removeSession(session);
      session.dispose();
    }
  }

  on(name: string, fn: (...args: any[]) => void): void {
    super.on(name, fn);
    if (name === 'devicesChanged') this.watchDevices();
  }

  once(name: string, fn: (...args: any[]) => void): void {
    super.once(name, fn);
    if (name === 'devicesChanged') this.watchDevices();
  }

  // Chromium's first `devicechange` listener starts its device monitor
  // synchronously: ~10-15 ms of main thread in a fresh page, which in the
  // constructor delayed the wasm's streaming compile and the first REGISTER
  // (bench/cold-start.mjs). Only an app that listens for devicesChanged pays it.
  private watchDevices(): void {
    if (this.watchingDevices || this.disposed) return;
    this.watchingDevices = true;
    globalThis.navigator?.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
  }

  private stopDeviceWatch(): void {
    this.removeAllListeners();
    if (!this.watchingDevices) return;
    this.watchingDevices = false;
    globalThis.navigator?.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
  }

  /** @internal */
  _callCore(): CallCore {
    if (!(this.sipClient instanceof DefaultSipClient))
      throw new Error('This WebPhone uses a custom or dummy SIP client: forward call actions to the real phone');
    return this.sipClient;
  }

  /** @internal Resolve with the next x-rc MESSAGE `match` accepts (the global feed, spec §7.5.5). */
  _waitRcMessage(match: (e: RcMessageEvent) => boolean, timeoutMs: number): Waiting<RcMessageEvent> {
    return this.rcWaiters.wait(match, timeoutMs);
  }

  /** @internal */
  _registerSession(session: CallSession): void {
    if (session._call !== undefined) this.byHandle.set(session._call, session);
  }

  /** @internal */
  _removeSession(session: CallSession): void {
    this.callSessions = this.callSessions.filter((s) => s !== session);
    if (session._call !== undefined) this.byHandle.delete(session._call);
  }

  private onCallEvent(e: CoreCallEvent): void {
    if (e.name === 'incomingCall') {
      if (this.disposed) {
        // dispose() is under way (hanging up, unregistering): a session made
        // now would never be ended, and a ringer would ring on. The caller
        // hears 480 at once (RFC 3261 §21.4.18).
        try {
          const core = this._callCore();
          core.check(core.ua().reject(e.call, 480, performance.now()), 'reject');
        } catch {
          /* the core is going away with it */
        }
        return;
      }
      const session = new InboundCallSession(this, e);
      this.callSessions.push(session);
      this._registerSession(session);
      this.emit('inboundCall', session);
      const replaced = e.replaces ? this.byHandle.get(e.replaces) : undefined;
      if (replaced) {
        // RFC 3891 §3: the INVITE takes the place of a call the user already
        // accepted (attended transfer, pickup): answer it now; the core ends
        // the replaced call once this one is confirmed.
        replaced.emit('replaced', session);
        void session.answer().catch(() => {});
        return;
      }
      // Auto-answer (spec §7.3): `Alert-Info: Auto Answer`, delay from
      // `Call-Info: …;Answer-After=N` (N is milliseconds in the original SDK).
      if (this.autoAnswer && e.autoAnswerMs >= 0) {
        const timer = setTimeout(() => {
          this.autoAnswers.delete(timer);
          // Ended (cancelled, declined, the phone disposed) while it waited: nothing to answer.
          if (!this.disposed && this.callSessions.includes(session)) void session.answer().catch(() => {});
        }, e.autoAnswerMs);
        this.autoAnswers.add(timer);
      }
      return;
    }
    if (e.name === 'callAdopted') {
      // Multi-tab takeover: an answered call of the tab that led before.
      const session = e.direction === 'inbound' ? new InboundCallSession(this, e) : new OutboundCallSession(this, e.remoteUser);
      session._adopt(e);
      this.callSessions.push(session);
      this._registerSession(session);
      this.emit('adoptedCall', session);
      return;
    }
    if (e.name === 'rcMessage') this.rcWaiters.feed(e);
    this.byHandle.get(e.call)?._handleCoreEvent(e);
  }

  /**
   * @internal Multi-tab: another tab takes this phone over. Its calls' media
   * stops here and nothing is sent (the next tab re-INVITEs them).
   */
  _abandon(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Each session ends here (media, quality timers, its waiters settle, the
    // ringer hears `disposed`), with nothing on the wire: the call goes on in
    // the next tab. (MultiTabWebPhone does not pass this end to the others.)
    const sessions = this.callSessions;
    this.callSessions = [];
    for (const session of sessions) {
      session.endReason = MOVED_TO_ANOTHER_TAB;
      session.dispose();
    }
    this.byHandle.clear();
    this.clearAutoAnswers();
    this.stopDeviceWatch();
    this.rcWaiters.rejectAll(new Error(MOVED_TO_ANOTHER_TAB));
    (this.sipClient as DefaultSipClient)._abandon?.();
  }
}
