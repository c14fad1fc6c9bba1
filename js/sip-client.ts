// The SIP client: the driver of the wasm core (house style §14). It owns the
// WebSocket and one timer, feeds bytes and time into the core, writes what
// the core asks to send, and turns core events into promises and events.
// It never parses or builds SIP.
import { Logger } from './log/logger.js';
import { maskDigestSecrets, secretsOf } from './log/redact.js';
import EventEmitter from './event-emitter.js';
import { check, loadCore } from './core/loader.js';
import { parseBindings } from './core/abi.js';
import type { WireMessage } from './core/wire-message.js';
import { RegistrationError } from './registration-error.js';
import type { CallCore } from './call-session/call-core.js';
import type { CoreCallEvent, CoreEvent, CoreStatus, CoreUa, CoreUsageEvent } from './core/sip-core.js';
import InboundMessage from './sip-message/inbound.js';
import OutboundMessage from './sip-message/outbound/index.js';
import type SipMessage from './sip-message/index.js';
import { recoveryConfig } from './recovery-options.js';
import { Usages } from './usages/usages.js';
import { sessionTimerConfig } from './session-timer-options.js';
import { mediaSettings } from './media/media-options.js';
import { MOVED_TO_ANOTHER_TAB } from './call-session/end-reasons.js';
import type { ConnectionStateChange, RegistrationBinding, SipClient, SipClientOptions, SipInfo } from './types.js';

const DISPOSED_DURING_START = 'SipClient was disposed before start() completed';
const SUPERSEDED = 'WebSocket connection superseded by a new start()';
/** start()'s socket handshake limit without `autoRecover` (its `connectTimeout` otherwise). */
const DEFAULT_CONNECT_TIMEOUT_MS = 10000;

type Waiter = { resolve: () => void; reject: (e: Error) => void };

const now = (): number => performance.now();

/** What the core reports when the transport closes under a REGISTER (core/reg: RegFailure::Transport). */
function transportClosedError(): RegistrationError {
  return new RegistrationError('Registration failed: transport closed',
    { code: 'transport', status: 503, reason: 'Service Unavailable', retryAfterMs: 0 });
}

/** A socket nobody reads any more: its handlers go, then it closes (its close event reaches no one). */
function retire(ws: WebSocket): void {
  ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
  ws.close();
}

function randomSeed(): [number, number] {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return [words[0], words[1]];
}

/** `wss://host` for a bare host[:port]; a full ws:// or wss:// URL is kept. */
export function webSocketUrl(proxy: string): string {
  return /^wss?:\/\//i.test(proxy) ? proxy : `wss://${proxy}`;
}

const SERVER = ['primary', 'backup'] as const;

const CALL_EVENTS = new Set([
  'incomingCall', 'callProgress', 'callAnswered', 'callConfirmed', 'callFailed', 'callEnded',
  'reinviteOffer', 'reinviteDone', 'referDone', 'referReceived', 'requestDone', 'rcMessage', 'rcInfoResult', 'recoverMedia',
  'callAdopted', 'dtmfReceived',
]);

/** An outbound message as events show it: digest secrets overwritten, same offsets. */
function maskedForEvents(m: WireMessage): WireMessage {
  const text = maskDigestSecrets(m.text);
  // (Our own messages are never folded, so no unfolded copy holds a secret.)
  return text === m.text ? m : m.withText(text);
}

/** SIP messages the diagnostics bundle can show (the last ones, phone-wide). */
const TRACE_SIZE = 500;
/** One traced SIP message: the core's description of text the shim holds. */
export interface TraceEntry {
  time: number;
  inbound: boolean;
  message: WireMessage;
}

export class DefaultSipClient extends EventEmitter implements SipClient, CallCore {
  /** @internal Set by WebPhone: receives the core's call events. */
  _onCallEvent: ((e: CoreCallEvent) => void) | undefined;
  disposed = false;
  wsc: WebSocket | undefined;
  sipInfo: SipInfo;
  instanceId: string;
  /** The SDK's logger (`logLevel`, `logHandler`, `debug`; README "Logs"): every line redacted. */
  readonly log: Logger;
  /** The last TRACE_SIZE SIP messages, for `diagnostics()`: a ring. */
  private trace: TraceEntry[] = [];
  private traceNext = 0;
  private useBackupOutboundProxy = false;
  private ua_: CoreUa | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The deadline `timer` is armed for (-1: none). */
  private timerAt = -1;
  private registering: Waiter | undefined;
  /** Rejects the socket-open wait of a connect() in progress (dispose()). */
  private abortOpen: ((e: Error) => void) | undefined;
  private unregistering: Waiter | undefined;
  private options: SipClientOptions;
  private recovery: ReturnType<typeof recoveryConfig>;
  private removeNetworkListeners: (() => void) | undefined;
  /** Where the connection is (`autoRecover`): see `connectionStateChanged`. */
  connectionState: ConnectionStateChange['state'] = 'idle';
  private bindings: RegistrationBinding[] = [];
  /** app requests (send/request) waiting for their final response, by core id */
  private appRequests = new Map<number, { resolve: (m: InboundMessage) => void; reject: (e: Error) => void }>();
  /** @internal Messages, subscriptions and publications (js/usages/). */
  readonly _usages = new Usages(() => this.ua(), now, () => this.pump());

  /** @internal The recent SIP messages, oldest first (`diagnostics()`). */
  _trace(): TraceEntry[] {
    const n = Math.min(this.traceNext, TRACE_SIZE);
    const out: TraceEntry[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.trace[(this.traceNext - n + i) % TRACE_SIZE];
    return out;
  }

  constructor(options: SipClientOptions) {
    super();
    if (!options?.sipInfo) throw new Error('WebPhone: options.sipInfo is required');
    for (const field of ['username', 'password', 'domain', 'outboundProxy', 'authorizationId'] as const) {
      if (typeof options.sipInfo[field] !== 'string' || options.sipInfo[field] === '')
        throw new Error(`WebPhone: sipInfo.${field} must be a non-empty string`);
    }
    this.options = options;
    this.sipInfo = options.sipInfo;
    this.instanceId = options.instanceId ?? options.sipInfo.authorizationId;
    this.log = new Logger(options, () => secretsOf(this.sipInfo));
    this.recovery = recoveryConfig(options.autoRecover, !!options.sipInfo.outboundProxyBackup);
    sessionTimerConfig(options.sessionTimers);  // throws now on nonsense, not at start()
    mediaSettings(options);
    // The core's random seed (RFC 3261 §19.3: tags and Call-IDs must be
    // random), taken now while the wasm downloads: a page's first
    // getRandomValues cost 1-10 ms, which after the core is ready delayed
    // the first REGISTER (bench/cold-start.mjs).
    this.seed = randomSeed();
  }
  private readonly seed: [number, number];

  /**
   * The bindings of our AOR that the registrar's last REGISTER 2xx listed
   * (RFC 3261 §10.3: every device's, ours marked `ours`); [] once the
   * registration failed or was removed.
   */
  get registrations(): RegistrationBinding[] {
    return this.bindings;
  }

  /** Use `outboundProxyBackup` on the next `start()` (spec §2.8). */
  toggleBackupOutboundProxy(enabled = true): void {
    this.useBackupOutboundProxy = enabled;
  }

  /** Connect (closing any previous socket) and register. */
  async start(): Promise<void> {
    if (this.disposed) throw new Error('SipClient is disposed');
    await this.connect();
    const done = this.beginRegister(this.ua_!, 0, 'start()');
    this.pump();
    return done;
  }

  /**
   * Ask the core to register (`expires` seconds, 0 for as before) and wait
   * for the outcome. A refusal (e.g. while unregistering) throws here and
   * leaves an earlier register()/start() waiting as it was; only a REGISTER
   * that really goes out supersedes it.
   */
  private beginRegister(ua: CoreUa, expires: number, what: string): Promise<void> {
    const status = ua.startRegister(now(), expires);
    check(status, 'Registration failed');
    return new Promise<void>((resolve, reject) => {
      this.registering?.reject(new Error(`Registration superseded by a new ${what}`));
      this.registering = { resolve, reject };
    });
  }

  /** A start() or register() waiting for its REGISTER's outcome will not get one: it rejects with why. */
  private failRegistering(error: Error): void {
    this.registering?.reject(error);
    this.registering = undefined;
  }

  /**
   * Open a new WebSocket (subprotocol `sip`); resolves when it is open and the
   * core is loaded. The socket's handshake and the wasm download/compile run
   * side by side; frames that arrive before the core is ready wait in order.
   */
  async connect(): Promise<void> {
    const core = loadCore(this.options.wasm);
    const backup = this.useBackupOutboundProxy;
    const url = this.serverUrl(backup);
    const old = this.wsc;
    if (old) {
      // Unlike ringcentral-web-phone, a second start() retires the old socket
      // so its frames can no longer reach the core.
      retire(old);
      // A start() still waiting for that socket's handshake would wait for
      // ever (its handlers are gone): it ends here, saying why.
      this.abortOpen?.(new Error(SUPERSEDED));
      this.abortOpen = undefined;
      // So is one whose REGISTER went out on it: the core ends that
      // registration without a word (no registrationFailed for a socket the
      // app replaced), and this start() may never reach its own REGISTER.
      this.failRegistering(new Error('Registration superseded by a new start()'));
      this.ua_?.transportClosed(now(), 'replaced by start()', true);
      this.pump();
    }
    const ws = new WebSocket(url, 'sip');
    this.wsc = ws;
    const early: string[] = [];
    ws.onmessage = (e) => {
      if (typeof e.data === 'string') early.push(e.data); // RFC 7118 §5: SIP frames are text here
    };
    // A server whose kernel accepts the TCP connection but which never
    // completes the handshake (stopped, overloaded, a proxy that swallows the
    // upgrade) would leave start() to the browser's own limit (Chromium's is
    // 4 minutes). Given up after `connectTimeout` as the recovery attempts
    // are (core/flow/supervisor.hpp); 0 waits for the browser.
    const limit = this.recovery?.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // dispose(), _abandon() or another start() end this one at any await
    // below, the wasm's download included (the socket may be open by then).
    let abort!: (e: Error) => void;
    const aborted = new Promise<never>((_, reject) => (abort = reject));
    aborted.catch(() => {});
    this.abortOpen = abort;
    // A socket that opens and closes while the core still loads: no handler
    // would hear the close once `open` resolved.
    let closed: { code: number } | undefined;
    const open = new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error(`WebSocket connection to ${url} failed`));
      ws.onclose = (e) => {
        closed = e;
        reject(new Error(`WebSocket connection to ${url} closed (code ${e.code})`));
      };
      if (limit > 0) {
        timer = setTimeout(() => {
          reject(new Error(`WebSocket connection to ${url} not open within ${limit / 1000} s`));
          retire(ws);
        }, limit);
      }
    });
    const settled = () => clearTimeout(timer);
    open.then(settled, settled);
    try {
      await this.openCore(core, open, aborted, ws, url);
    } catch (e) {
      // Whatever failed (the socket, the wasm, an abort), this start()'s
      // socket must not stay open with nobody to read it.
      if (this.wsc === ws) retire(ws);
      throw e;
    }
    if (closed) throw new Error(`WebSocket connection to ${url} closed (code ${closed.code})`);
    this.ua_!.transportOpen(backup, now());
    this.pump();
    this.attach(ws);
    for (const frame of early) {
      this.ua_!.receive(frame, now());
      this.pump();
    }
  }

  /** connect()'s waits: the core and the socket's handshake, side by side; the UA made as soon as the core is ready. */
  private async openCore(core: ReturnType<typeof loadCore>, open: Promise<void>, aborted: Promise<never>, ws: WebSocket, url: string): Promise<void> {
    // Both must succeed; a failing socket is reported even while the core
    // loads. The UA is made as soon as the core is ready, while the socket's
    // handshake may still be under way: its first calls compile the core's
    // functions they reach (lazily, in the browser), work the REGISTER then
    // no longer waits for.
    const module = await Promise.race([core, open.then(() => core), aborted]);
    // dispose() while the core loaded: no UA, no listeners (nothing would delete them).
    if (this.disposed) throw new Error(DISPOSED_DURING_START);
    if (!this.ua_) {
      const [seedHigh, seedLow] = this.seed;
      this.ua_ = new module.Ua({
        username: this.sipInfo.username,
        authorizationId: this.sipInfo.authorizationId,
        password: this.sipInfo.password,
        domain: this.sipInfo.domain,
        instanceId: this.instanceId,
        secure: url.toLowerCase().startsWith('wss:'),
        seedHigh,
        seedLow,
        recovery: this.recovery,
        ...sessionTimerConfig(this.options.sessionTimers),
      });
      this.ua_.wantDropped = () => this.log.enabled('info') || this.hasListeners('dropped');
      if (this.options.messageTypes) this._usages.setMessageTypes(this.options.messageTypes);
      const media = mediaSettings(this.options);
      if (media.audio.length || media.video.length || media.audioKbps)
        check(this.ua_.setMediaPrefs(media.audio, media.video, media.audioKbps), 'codecPreferences');
      if (this.recovery) this.listenToNetwork();
      this.adoptState(this.ua_);
    }
    await Promise.race([open, aborted]);
    this.abortOpen = undefined;
    if (this.wsc !== ws) throw new Error(SUPERSEDED);
  }

  /** The WebSocket URL of the primary or the backup server. */
  private serverUrl(backup: boolean): string {
    const proxy = backup ? this.sipInfo.outboundProxyBackup : this.sipInfo.outboundProxy;
    if (!proxy) throw new Error('WebPhone: sipInfo.outboundProxyBackup is not set');
    // `sipInfo.wsUrl` (wasm-web-phone extension) names the primary server's
    // full URL, e.g. ws://127.0.0.1:25080 for a loopback test server.
    return !backup && typeof this.sipInfo.wsUrl === 'string' ? this.sipInfo.wsUrl : webSocketUrl(proxy);
  }

  /** An open socket's frames go to the core, its end is reported. */
  private attach(ws: WebSocket): void {
    ws.onmessage = (e) => {
      if (typeof e.data !== 'string') return; // RFC 7118 §5: SIP frames are text here
      this.ua_?.receive(e.data, now());
      this.pump();
    };
    ws.onerror = null;
    ws.onclose = (e) => {
      if (this.wsc !== ws) return;
      this.ua_?.transportClosed(now(), `WebSocket closed (code ${e.code})`);
      this.pump();
    };
  }

  /** `autoRecover`: the core asks for a socket to the primary (0) or backup (1) server. */
  private openRecovery(server: number): void {
    const ua = this.ua_;
    if (!ua || this.disposed) return;
    const backup = server === 1;
    let url: string;
    try {
      url = this.serverUrl(backup);
    } catch (e) {
      ua.transportClosed(now(), (e as Error).message);
      return;
    }
    const old = this.wsc;
    if (old) {
      retire(old);
    }
    const ws = new WebSocket(url, 'sip');
    this.wsc = ws;
    ws.onopen = () => {
      if (this.wsc !== ws || !this.ua_) return;
      this.ua_.transportOpen(backup, now());
      this.pump();
      this.attach(ws);
    };
    ws.onerror = null;
    ws.onclose = (e) => {
      if (this.wsc !== ws || !this.ua_) return;
      this.ua_.transportClosed(now(), `WebSocket connection to ${url} failed (code ${e.code})`);
      this.pump();
    };
  }

  /** `autoRecover`: the browser's online/offline events are hints for the core. */
  private listenToNetwork(): void {
    const target = globalThis as unknown as { addEventListener?: (t: string, f: () => void) => void; removeEventListener?: (t: string, f: () => void) => void };
    if (typeof target.addEventListener !== 'function') return;
    const online = () => { this.ua_?.network(true, now()); this.pump(); };
    const offline = () => { this.ua_?.network(false, now()); this.pump(); };
    target.addEventListener('online', online);
    target.addEventListener('offline', offline);
    this.removeNetworkListeners = () => {
      target.removeEventListener?.('online', online);
      target.removeEventListener?.('offline', offline);
    };
  }

  /**
   * Register again on the current connection (spec §2.8 `register(expires)`);
   * `register(0)` is `unregister()`. Rejects with a `RegistrationError`
   * (`Registration failed: …`).
   */
  async register(expires = 60): Promise<void> {
    if (expires === 0) return this.unregister();
    if (!Number.isInteger(expires) || expires < 0 || expires > 100_000_000)
      throw new RangeError(`register: expires must be a whole number of seconds (0 to 100000000), not ${expires}`);
    const ua = this.ua();
    // No open socket (dropped, or autoRecover between attempts): the REGISTER
    // would go nowhere and fail as a timeout 5 s later, or, while recovery
    // owns the connection, never settle.
    if (this.wsc?.readyState !== WebSocket.OPEN) throw transportClosedError();
    // The interval asked for holds for the refreshes too (and recovery).
    const done = this.beginRegister(ua, expires, 'register()');
    this.pump();
    return done;
  }

  /** Remove our binding (Contact expires=0) but keep the connection open. */
  unregister(): Promise<void> {
    // Before start() or after dispose(): a rejected promise, as register(0)
    // gives, not a throw.
    let ua: CoreUa;
    try {
      ua = this.ua();
    } catch (e) {
      return Promise.reject(e);
    }
    // One at a time: a second unregister() (or register(0)) while the first
    // waits for its answer shares it, rather than orphan its promise.
    this.unregisterDone ??= this.beginUnregister(ua).finally(() => (this.unregisterDone = undefined));
    return this.unregisterDone;
  }
  private unregisterDone: Promise<void> | undefined;

  private async beginUnregister(ua: CoreUa): Promise<void> {
    const done = new Promise<void>((resolve, reject) => (this.unregistering = { resolve, reject }));
    this.check(ua.unregister(now()), 'Unregister failed');
    // The core dropped the REGISTER it was waiting on for this one: the
    // start() or register() that sent it would wait for ever.
    this.failRegistering(new Error('Registration cancelled by unregister()'));
    return done;
  }

  /**
   * Send a message the app wrote (spec §2.8): a `RequestMessage` (or request
   * text) goes out on its own non-INVITE client transaction in the core; with
   * `waitForReply` the promise resolves with the final response, and rejects
   * on Timer F (no answer in 64*T1) or when the connection drops. A
   * `ResponseMessage` answers the server transaction it names; since the core
   * answers every request it receives itself, that rejects unless a request
   * is still waiting. INVITE, ACK, CANCEL and REGISTER are refused: calls and
   * registration own them. Unlike ringcentral-web-phone, messages the SDK
   * sends itself do not pass through here.
   */
  async send(msg: SipMessage | string, waitForReply = false): Promise<InboundMessage> {
    const ua = this.ua();
    // Nothing would carry it: say so now rather than after Timer F (32 s).
    if (this.wsc?.readyState !== WebSocket.OPEN) throw new Error('send: the WebSocket is not open (the connection dropped, or is being recovered)');
    const text = typeof msg === 'string' ? msg : msg.toString();
    const r = ua.sendAppMessage(text, now());
    this.check(r, 'send');
    const id = r.request ?? 0;
    // Fire and forget: its appResponse finds no waiter and is dropped.
    if (id === 0 || !waitForReply) return new InboundMessage();
    return new Promise<InboundMessage>((resolve, reject) => this.appRequests.set(id, { resolve, reject }));
  }

  /** `send(msg, true)`: resolves with the final response. */
  request(msg: SipMessage | string): Promise<InboundMessage> {
    return this.send(msg, true);
  }

  /** `send(msg, false)` for a response. */
  async reply(msg: SipMessage | string): Promise<void> {
    await this.send(msg, false);
  }

  /** Unregister (waits for the server's answer, at most the core's timeout), then close. A second call shares the first's. */
  dispose(): Promise<void> {
    this.disposal ??= this.disposeOnce();
    return this.disposal;
  }
  private disposal: Promise<void> | undefined;

  private async disposeOnce(): Promise<void> {
    if (this.disposed) return; // _abandon()ed: nothing left to end
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // A start() still under way settles now: its socket may never open and
    // its REGISTER's answer can no longer reach anyone.
    this.abortOpen?.(new Error(DISPOSED_DURING_START));
    this.abortOpen = undefined;
    this.failRegistering(new Error(DISPOSED_DURING_START));
    const ua = this.ua_;
    if (ua && this.wsc?.readyState === WebSocket.OPEN) {
      // Subscriptions and publications end on the wire before we leave
      // (RFC 6665 §4.1.2.3, RFC 3903 §4.4); nobody waits for their answers.
      ua.endUsages(now());
      this._usages.fail('the SIP client was disposed');
      // An unregister() under way is the one to wait for. Whatever it
      // answers, the socket, core and timers go below: dispose() settles.
      try {
        await (this.unregisterDone ?? this.beginUnregister(ua));
      } catch (e) {
        this.log.warn('connection', `dispose(): ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.removeNetworkListeners?.();
    this.removeAllListeners();
    for (const w of this.appRequests.values()) w.reject(new Error('request(): the SIP client was disposed'));
    this.appRequests.clear();
    this._usages.fail('the SIP client was disposed');
    if (this.wsc) retire(this.wsc);
    if (this.timer) clearTimeout(this.timer);
    this.ua_?.delete();
    this.ua_ = undefined;
  }

  /**
   * Multi-tab takeover: continue the previous leader's registration and
   * calls. A state this core cannot read (another SDK version) is skipped
   * with a warning: the phone then registers afresh, and the calls are lost.
   */
  private adoptState(ua: CoreUa): void {
    const state = this.options._coreState;
    if (!state) return;
    try {
      ua.importState(state, now());
    } catch (e) {
      this.log.warn('core', `the previous tab's phone state was not taken over: ${(e as Error).message}`);
    }
    this.pump(); // its calls come out as callAdopted
  }

  /** @internal Multi-tab: the core's state for the tab that leads next ("" before start). */
  _exportState(): string {
    return this.ua_ && !this.disposed ? this.ua_.exportState() : '';
  }

  /**
   * @internal Multi-tab: another tab takes this phone over. Close the socket
   * and let go of the core without a word on the wire: no BYE, no
   * unREGISTER (it would remove the binding the next tab continues).
   */
  _abandon(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.removeNetworkListeners?.();
    for (const w of this.appRequests.values()) w.reject(new Error(`request(): ${MOVED_TO_ANOTHER_TAB}`));
    this.appRequests.clear();
    this._usages.fail(MOVED_TO_ANOTHER_TAB);
    this.abortOpen?.(new Error(MOVED_TO_ANOTHER_TAB));
    this.abortOpen = undefined;
    this.failRegistering(new Error(MOVED_TO_ANOTHER_TAB));
    if (this.wsc) retire(this.wsc);
    this.ua_?.delete();
    this.ua_ = undefined;
    this.removeAllListeners();
  }

  /** @internal CallCore: the live core handle. */
  ua(): CoreUa {
    if (!this.ua_ || this.disposed) throw new Error('The phone is not started (call start() first) or is disposed');
    return this.ua_;
  }

  /** @internal CallCore: drain the core after a command, then throw on failure. */
  check(status: CoreStatus, action: string): void {
    this.pump();
    check(status, action);
  }

  /**
   * Drain the core: write transmits, dispatch events, arm the one timer.
   * A listener that throws does not stop the drain (the frames, events and
   * timer behind it would wait for the next frame): the first error is
   * rethrown once the queue is empty, so it still reaches the emitter's
   * caller as in ringcentral-web-phone (spec §2.12).
   */
  private pump(): void {
    const ua = this.ua_;
    if (!ua) return;
    let thrown: { error: unknown } | undefined;
    // A listener may end this core (multi-tab handover): nothing more of it goes out.
    while (this.ua_ === ua) {
      const out = ua.poll();
      if (out.type === 'transmit') {
        if (this.wsc?.readyState === WebSocket.OPEN) this.wsc.send(out.bytes);
      } else if (out.type === 'event') {
        try {
          this.onCoreEvent(out);
        } catch (error) {
          thrown ??= { error };
        }
      } else {
        // Re-arm only for an earlier deadline. A timer armed for an earlier
        // time than needed just wakes the core early (a Tick with nothing
        // due returns the real deadline, armed then); re-arming a host timer
        // per frame would cost more than the frame.
        if (this.timer !== undefined ? out.at >= this.timerAt || out.at < 0 : out.at < 0) break;
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        this.timerAt = out.at;
        if (out.at >= 0) {
          this.timer = setTimeout(() => {
            this.timer = undefined;
            this.timerAt = -1;
            this.ua_?.tick(now());
            this.pump();
          }, Math.max(0, out.at - now()));
        }
        break;
      }
    }
    if (thrown) throw thrown.error;
  }

  private onCoreEvent(e: CoreEvent): void {
    if (CALL_EVENTS.has(e.name)) {
      this._onCallEvent?.(e as CoreCallEvent);
      return;
    }
    switch (e.name) {
      case 'message': {
        if (this.log.enabled('debug')) this.log.debug('sip', `${e.inbound ? 'Receiving' : 'Sending'}...(${new Date()})\n${e.message.text}`);
        // The diagnostics trace keeps the core's description (no copy, no parse).
        this.trace[this.traceNext++ % TRACE_SIZE] = { time: Date.now(), inbound: e.inbound, message: e.message };
        // Nobody listening: no message object at all.
        const event = e.inbound ? 'inboundMessage' : 'outboundMessage';
        if (!this.hasListeners(event)) break;
        // Our digest response and cnonce never reach an app event (README "Logs").
        this.emit(event, e.inbound ? InboundMessage.fromCore(e.message) : OutboundMessage.fromCore(maskedForEvents(e.message)));
        break;
      }
      case 'registered':
        this.bindings = parseBindings(e.bindings);
        this.registering?.resolve();
        this.registering = undefined;
        this.emit('registered', e.expires);
        break;
      case 'registrationFailed': {
        this.bindings = [];
        // The rest of the event is exactly the error's detail (code, status, reason, retryAfterMs).
        const { type, name, message, ...detail } = e;
        const error = new RegistrationError(message, detail);
        if (this.registering) this.registering.reject(error);
        else this.emit('registrationFailed', error);
        this.registering = undefined;
        break;
      }
      case 'unregistered':
        this.bindings = [];
        this.unregistering?.resolve();
        this.unregistering = undefined;
        break;
      case 'transportDead':
        // The core saw no answer at all: the socket is dead. Close it; the app
        // reconnects with start() (README "Recover from network outage").
        this.log.warn('connection', `SIP transport dead: ${e.reason}`);
        // The open socket only: one still connecting is a recovery attempt,
        // which its own connectTimeout judges.
        if (this.wsc?.readyState === WebSocket.OPEN) this.wsc.close();
        break;
      case 'openTransport':
        this.openRecovery(e.server);
        break;
      case 'closeTransport': {
        this.log.info('connection', `SIP connection closed: ${e.reason}`);
        if (this.wsc) retire(this.wsc);
        break;
      }
      case 'connectionState': {
        const change: ConnectionStateChange = {
          state: e.state, server: SERVER[e.server] ?? 'primary', attempt: e.attempt, delay: e.delay, reason: e.reason,
        };
        this.connectionState = e.state;
        this.log.info('connection', `SIP connection ${e.state}${e.reason ? `: ${e.reason}` : ''}`, { ...change });
        this.emit('connectionStateChanged', change);
        if (e.state === 'waiting') this.emit('reconnecting', change);
        if (e.state === 'failed') {
          // A register() that waited on a recovered flow will get no answer now.
          this.failRegistering(new Error(`Connection recovery failed: ${e.reason}`));
          this.emit('failed', new Error(`Connection recovery failed: ${e.reason}`));
        }
        break;
      }
      case 'recovered':
        this.emit('recovered');
        break;
      case 'appResponse': {
        const waiter = this.appRequests.get(e.request);
        this.appRequests.delete(e.request);
        // A synthetic 408/503 (`detail` set) means no answer came at all.
        if (e.detail) waiter?.reject(new Error(`request(): ${e.msg.subject} (${e.detail})`));
        else waiter?.resolve(InboundMessage.fromCore(e.msg));
        break;
      }
      case 'dropped':
        this.log.info('sip', `Dropped inbound SIP: ${e.reason}`);
        this.emit('dropped', e.reason);
        break;
      default:
        this._usages.onEvent(e as CoreUsageEvent);
    }
  }
}

/**
 * For "dummy" tabs of the real/dummy multi-tab pattern (spec §9): never
 * connects, never emits. Actions must be forwarded to the real tab.
 */
export class DummySipClient extends EventEmitter implements SipClient {
  disposed = false;
  wsc = undefined;
  private static readonly empty = new InboundMessage();
  async start(): Promise<void> {}
  /** Sends nothing; resolves with one shared empty message, as the original does. */
  async request(_msg?: SipMessage | string): Promise<InboundMessage> {
    return DummySipClient.empty;
  }
  async reply(_msg?: SipMessage | string): Promise<void> {}
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}
