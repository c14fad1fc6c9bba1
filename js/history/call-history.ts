// Call history (README "Call history"): one entry per call a WebPhone made or
// received, kept in a pluggable store. App-level data recorded from the
// public events of WebPhone and CallSession only: no SIP is parsed and no
// dialog state is kept here (the core owns both). Not in the main bundle:
// `wasm-web-phone/call-history`, or the script-tag add-on
// dist/iife/wasm-web-phone-call-history.js.
import EventEmitter from '../event-emitter.js';
import { CANCELLED_BEFORE_INVITE, MOVED_TO_ANOTHER_TAB } from '../call-session/end-reasons.js';

/** The reason of an entry written because its page closed during the call. */
const PAGE_CLOSED = 'the page closed during the call';
import type CallSession from '../call-session/index.js';
import type WebPhone from '../web-phone.js';

/**
 * How a call ended, decided when its session is disposed:
 * - `answered`: it was answered (by us, or by the far end of our call).
 * - `transferred`: answered, then handed on: our `transfer()` or
 *   `completeWarmTransfer()` succeeded, or a Replaces INVITE took it over.
 * - `missed`: inbound, never answered, and we did not decline it (the caller
 *   gave up, or the server stopped ringing us).
 * - `declined`: inbound, refused by us (`decline()` or `reply()`), or
 *   outbound, refused by the callee (603/607/608).
 * - `voicemail` / `forwarded`: inbound, sent on by our `toVoicemail()` / `forward()`.
 * - `cancelled`: outbound, we hung up before it was answered (487).
 * - `busy`: outbound, 486 Busy Here or 600 Busy Everywhere.
 * - `failed`: outbound, any other error (statusCode and reason say which),
 *   or a call that could not be placed at all.
 */
export type CallHistoryResult =
  | 'answered' | 'missed' | 'declined' | 'cancelled' | 'busy' | 'failed' | 'transferred' | 'voicemail' | 'forwarded';

export interface CallHistoryParty {
  /** The user part the core reported (`session.localNumber` / `remoteNumber`). */
  number: string;
  displayName?: string;
}

export interface CallHistoryEntry {
  /** Unique in this history. */
  id: string;
  /** SIP Call-ID; '' for a call whose INVITE was never sent. */
  callId: string;
  direction: 'inbound' | 'outbound';
  localParty: CallHistoryParty;
  remoteParty: CallHistoryParty;
  /** ms since the epoch: when it started ringing here (inbound) or dialling began (outbound). */
  startTime: number;
  /** ms since the epoch, when answered. */
  answerTime?: number;
  /** ms since the epoch, when the session was disposed. */
  endTime: number;
  /** answerTime → endTime; 0 if never answered. */
  durationMs: number;
  result: CallHistoryResult;
  /** Final status of a refused outbound call (486, 603, 487, …). */
  statusCode?: number;
  /** The refusal's reason phrase, or why the call ended (`session.endReason`: "remote hangup", …). */
  reason?: string;
}

/**
 * Where a CallHistory keeps its entries. `load()` runs once, when the
 * CallHistory is made (and on `reload()`); the rest mirror each change.
 * Entries are plain JSON-ready objects.
 */
export interface CallHistoryStore {
  load(): Promise<CallHistoryEntry[]>;
  put(entry: CallHistoryEntry): Promise<void>;
  delete(id: string): Promise<void>;
  clear(): Promise<void>;
}

/** The default store: nothing survives a page reload. */
export class MemoryCallHistoryStore implements CallHistoryStore {
  private entries = new Map<string, CallHistoryEntry>();
  async load(): Promise<CallHistoryEntry[]> {
    return [...this.entries.values()].map(copy);
  }
  async put(entry: CallHistoryEntry): Promise<void> {
    this.entries.set(entry.id, copy(entry));
  }
  async delete(id: string): Promise<void> {
    this.entries.delete(id);
  }
  async clear(): Promise<void> {
    this.entries.clear();
  }
}

export interface CallHistoryOptions {
  /** Default: a new MemoryCallHistoryStore. */
  store?: CallHistoryStore;
  /** The oldest entries beyond this many are removed. Default 500. */
  maxEntries?: number;
}

export interface CallHistoryQuery {
  /** At most this many (the newest). */
  limit?: number;
  direction?: 'inbound' | 'outbound';
  /** Only calls that started at or after this time (ms since the epoch, or a Date). */
  since?: number | Date;
}

/** What the recorder notes about a live call until its session is disposed. */
interface LiveCall {
  startTime: number;
  answerTime?: number;
  status?: { code: number; reason: string };
  replaced?: boolean;
}

/**
 * The call history of one or more WebPhones. Give it to the phone
 * (`new WebPhone({ sipInfo, callHistory })`) or call `attach(phone)`.
 *
 * Events: `entry` (a new entry, after the call ended), `change` (the list
 * changed: an entry added, trimmed, removed, cleared or loaded), `error`
 * (`(error, operation)`: the store failed to load, put or delete in the
 * background; the list in memory is still right for this page).
 */
export class CallHistory extends EventEmitter {
  readonly store: CallHistoryStore;
  readonly maxEntries: number;
  /** Settles once the store's entries are loaded (a failed load is an `error` event). */
  ready: Promise<void>;
  /** Newest first (by startTime). */
  private entries: CallHistoryEntry[] = [];
  /** The calls followed until their entry is written (by `disposed`, or when the page closes). */
  private live = new Map<CallSession, LiveCall>();

  constructor(options: CallHistoryOptions = {}) {
    super();
    const max = options.maxEntries ?? 500;
    if (!Number.isInteger(max) || max < 1) throw new Error('CallHistory: maxEntries must be a positive integer');
    this.maxEntries = max;
    this.store = options.store ?? new MemoryCallHistoryStore();
    this.ready = this.reload();
  }

  /**
   * Read the store again, e.g. in a multi-tab follower tab, whose list does
   * not see what the leader tab writes (README "Call history").
   */
  reload(): Promise<void> {
    const known = new Set(this.entries.map((e) => e.id));
    return (this.ready = this.store.load().then(
      (loaded) => {
        // The store's list, plus calls that ended here while it loaded. An
        // entry another tab removed (remove(), clear(), maxEntries) goes from
        // this list too: merging kept it for ever.
        const byId = new Map(this.entries.filter((e) => !known.has(e.id)).map((e) => [e.id, e]));
        for (const e of loaded) if (isEntry(e)) byId.set(e.id, copy(e));
        this.entries = sortNewestFirst([...byId.values()]);
        this.trim();
        this.emit('change');
      },
      (error) => this.emit('error', error, 'load'),
    ));
  }

  /**
   * Record every call of `phone` from now on; returns a function that stops
   * it. The phone does this itself for `options.callHistory`. A WebPhone:
   * in multi-tab mode use the option, which only the leader tab's phone
   * acts on (a MultiTabWebPhone attached in every tab would record each
   * call once per tab).
   */
  attach(phone: Pick<WebPhone, 'on' | 'off'>): () => void {
    const track = (session: CallSession) => this.track(session);
    const adopted = (session: CallSession) => this.track(session, true);
    phone.on('inboundCall', track);
    phone.on('outboundCall', track);
    phone.on('adoptedCall', adopted);
    // A page closed mid-call never hears its calls end (the BYE's answer
    // cannot come): write them now, or the history loses the usual last call
    // of a session. (A page kept in the back/forward cache may come back.)
    const pageHide = (e?: Event) => { if (!(e as PageTransitionEvent | undefined)?.persisted) this.writeLive(PAGE_CLOSED); };
    globalThis.addEventListener?.('pagehide', pageHide);
    return () => {
      phone.off('inboundCall', track);
      phone.off('outboundCall', track);
      phone.off('adoptedCall', adopted);
      globalThis.removeEventListener?.('pagehide', pageHide);
    };
  }

  /** Newest first. */
  async list(query: CallHistoryQuery = {}): Promise<CallHistoryEntry[]> {
    // A string date compared as NaN and found nothing; a negative limit dropped the last entries.
    const { since: from, limit, direction } = query ?? {};
    if ((from !== undefined && !(typeof from === 'number' || from instanceof Date)) || Number.isNaN(+(from ?? 0)))
      throw new Error('list: since must be a number of ms since the epoch or a Date');
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new Error('list: limit must be an integer >= 0');
    if (direction !== undefined && direction !== 'inbound' && direction !== 'outbound') throw new Error('list: direction must be "inbound" or "outbound"');
    await this.ready;
    const since = from === undefined ? -Infinity : +from;
    const found = this.entries.filter((e) => (!query.direction || e.direction === query.direction) && e.startTime >= since);
    return found.slice(0, query.limit ?? found.length).map(copy);
  }

  async get(id: string): Promise<CallHistoryEntry | undefined> {
    await this.ready;
    const e = this.entries.find((x) => x.id === id);
    return e && copy(e);
  }

  /** Remove one entry; resolves with whether it was there. Rejects if the store fails. */
  async remove(id: string): Promise<boolean> {
    await this.ready;
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.id !== id);
    if (this.entries.length === before) return false;
    this.emit('change');
    await this.store.delete(id);
    return true;
  }

  /** Remove every entry. Rejects if the store fails. */
  async clear(): Promise<void> {
    await this.ready;
    this.entries = [];
    this.emit('change');
    await this.store.clear();
  }

  /** Follow one session until it is disposed, then write its entry. */
  private track(session: CallSession, adopted = false): void {
    const now = Date.now();
    // An adopted call (multi-tab takeover) is answered already; its start
    // and answer times are the takeover's: the tab that had it is gone.
    const live: LiveCall = { startTime: now, answerTime: adopted ? now : undefined };
    this.live.set(session, live);
    session.on('answered', () => (live.answerTime ??= Date.now()));
    session.on('failed', (statusLine: string) => {
      const m = /^\S+ (\d{3}) ?(.*)$/.exec(String(statusLine)); // "SIP/2.0 486 Busy Here", as the event gives it
      if (m) live.status = { code: +m[1], reason: m[2] };
    });
    session.on('replaced', () => (live.replaced = true));
    session.on('disposed', () => {
      if (!this.live.delete(session)) return; // written when the page closed
      // Handed to another tab (multi-tab mode): the call goes on there, and
      // the tab that adopts it writes its entry when it really ends. Written
      // here too, it showed as ended (or missed) and then once more.
      if (session.endReason === MOVED_TO_ANOTHER_TAB) return;
      this.add(entryOf(session, live, Date.now()));
    });
  }

  /** Write every call still followed, as it stands, with `reason` (the page is closing). */
  private writeLive(reason: string): void {
    const now = Date.now();
    for (const [session, live] of [...this.live]) {
      this.live.delete(session);
      if (session.endReason === MOVED_TO_ANOTHER_TAB) continue;
      this.add({ ...entryOf(session, live, now), reason });
    }
  }

  private add(entry: CallHistoryEntry): void {
    this.entries.unshift(entry);
    if (this.entries.length > 1 && entry.startTime < this.entries[1].startTime) this.entries = sortNewestFirst(this.entries);
    this.background(this.store.put(copy(entry)), 'put');
    this.trim();
    this.emitSafely('entry', copy(entry));
    this.emitSafely('change');
  }

  /**
   * Our events fire inside the session's `disposed`: an app listener that
   * throws must not cut the call's teardown short (the ringer, the session's
   * own cleanup). Its error goes to reportError (the page's error event and
   * console), not swallowed.
   */
  private emitSafely(name: string, ...args: unknown[]): void {
    try {
      this.emit(name, ...args);
    } catch (e) {
      // Where reportError is missing (Node 20): as an uncaught throw.
      const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
      if (report) report(e);
      else setTimeout(() => { throw e; }, 0);
    }
  }

  private trim(): void {
    for (const old of this.entries.splice(this.maxEntries)) this.background(this.store.delete(old.id), 'delete');
  }

  private background(write: Promise<void>, operation: 'put' | 'delete'): void {
    write.catch((error) => this.emit('error', error, operation));
  }
}

/** How a session's public state and events map to an entry (CallHistoryResult says why). */
function entryOf(session: CallSession, live: LiveCall, endTime: number): CallHistoryEntry {
  const inbound = session.direction === 'inbound';
  // What the app asked for that ends a call without a BYE of ours (@internal, set by the session's methods).
  const ending = session._ending;
  let result: CallHistoryResult;
  if (live.answerTime !== undefined) result = ending === 'transfer' || live.replaced ? 'transferred' : 'answered';
  else if (inbound) {
    if (ending === 'voicemail') result = 'voicemail';
    else if (ending === 'forward') result = 'forwarded';
    else if (ending === 'decline' || ending === 'reply' || session.endReason === 'rejected') result = 'declined';
    else result = 'missed';
  } else {
    const code = live.status?.code;
    if (code === 486 || code === 600) result = 'busy';
    else if (code === 603 || code === 607 || code === 608) result = 'declined';
    else if (code === 487 || session.endReason === CANCELLED_BEFORE_INVITE) result = 'cancelled'; // hung up before an answer
    else result = 'failed';
  }
  const entry: CallHistoryEntry = {
    id: newId(live.startTime),
    callId: session.callId,
    direction: inbound ? 'inbound' : 'outbound',
    localParty: { number: session.localNumber },
    remoteParty: { number: session.remoteNumber },
    startTime: live.startTime,
    endTime,
    durationMs: live.answerTime === undefined ? 0 : Math.max(0, endTime - live.answerTime),
    result,
  };
  if (live.answerTime !== undefined) entry.answerTime = live.answerTime;
  if (live.status) {
    entry.statusCode = live.status.code;
    entry.reason = live.status.reason;
  } else if (session.endReason) entry.reason = session.endReason;
  return entry;
}

/** startTime in base 36, then 64 random bits (crypto.getRandomValues) in base 36. */
function newId(startTime: number): string {
  const r = crypto.getRandomValues(new Uint32Array(2));
  return `${startTime.toString(36)}-${r[0].toString(36)}${r[1].toString(36)}`;
}

function copy(e: CallHistoryEntry): CallHistoryEntry {
  return { ...e, localParty: { ...e.localParty }, remoteParty: { ...e.remoteParty } };
}

function sortNewestFirst(list: CallHistoryEntry[]): CallHistoryEntry[] {
  return list.sort((a, b) => b.startTime - a.startTime || b.endTime - a.endTime);
}

/** A stored record worth showing (another app's or a damaged record is skipped). */
function isEntry(e: unknown): e is CallHistoryEntry {
  const x = e as CallHistoryEntry;
  return !!x && typeof x.id === 'string' && typeof x.startTime === 'number' && typeof x.endTime === 'number'
    && (x.direction === 'inbound' || x.direction === 'outbound') && !!x.localParty && !!x.remoteParty;
}
