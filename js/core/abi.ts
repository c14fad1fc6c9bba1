// The JS half of the flat ABI (wasm/abi.cpp, wasm/out_writer.hpp): writes a
// command's inputs into linear memory, calls the export, and decodes the
// batch of outputs it left there. Decoding is complete before anything is
// dispatched, so a handler that issues another command (which overwrites the
// batch) cannot disturb it; outputs are then handed out in the core's order
// through `poll()`, as the driver contract asks (core/ua/ua.hpp).
import { utf8Length } from './utf8-length.js';
import type {
  CoreCallResult, CoreEvent, CoreInvite, CoreOutput, CoreStatus, CoreUaConfig, RcCommandName, RcCommandOptions,
  RegistrationBinding,
} from './sip-core.js';
import { WireMessage } from './wire-message.js';

/** The exports of sip-core.wasm the shim uses. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  wwp_scratch(size: number): number;
  wwp_args(slots: number): number;
  wwp_out(): number;
  wwp_tables(): void;
  wwp_heap_used(): number;
  wwp_ua_new(): number;
  wwp_ua_delete(ua: number): void;
  wwp_receive(ua: number, len: number, whole: number, now: number): void;
  wwp_tick(ua: number, now: number): void;
  wwp_transport_open(ua: number, server: number, now: number): void;
  wwp_transport_closed(ua: number, replaced: number, now: number): void;
  wwp_network(ua: number, online: number, now: number): void;
  wwp_start_register(ua: number, expires: number, now: number): void;
  wwp_unregister(ua: number, now: number): void;
  wwp_contact_host(ua: number): void;
  wwp_export_state(ua: number): void;
  wwp_import_state(ua: number, now: number): void;
  wwp_invite(ua: number, now: number): void;
  wwp_answer(ua: number, call: number, early: number, now: number): void;
  wwp_reject(ua: number, call: number, status: number, now: number): void;
  wwp_decline(ua: number, call: number, now: number): void;
  wwp_hangup(ua: number, call: number, now: number): void;
  wwp_hold(ua: number, call: number, on: number, now: number): void;
  wwp_reinvite(ua: number, call: number, toReceive: number, now: number): void;
  wwp_answer_reinvite(ua: number, call: number, hold: number, now: number): void;
  wwp_refer(ua: number, call: number, now: number): void;
  wwp_refer_progress(ua: number, call: number, status: number, now: number): void;
  wwp_refer_replaces(ua: number, call: number, other: number, now: number): void;
  wwp_send_request(ua: number, call: number, now: number): void;
  wwp_send_dtmf_info(ua: number, call: number, duration: number, now: number): void;
  wwp_send_app_message(ua: number, now: number): void;
  wwp_rc_command(ua: number, call: number, cmd: number, delay: number, now: number): void;
  wwp_rc_info(ua: number, call: number, now: number): void;
  wwp_rc_api_call_info(ua: number, call: number): void;
  wwp_ua_live(ua: number): void;
  wwp_send_message(ua: number, now: number): void;
  wwp_set_message_types(ua: number): void;
  wwp_set_media_prefs(ua: number, audioKbps: number): void;
  wwp_rewrite_sdp(ua: number, rejectVideo: number): void;
  wwp_subscribe(ua: number, expires: number, now: number): void;
  wwp_unsubscribe(ua: number, sub: number, now: number): void;
  wwp_publish(ua: number, expires: number, now: number): void;
  wwp_publish_presence(ua: number, open: number, expires: number, now: number): void;
  wwp_unpublish(ua: number, now: number): void;
  wwp_end_usages(ua: number, now: number): void;
  wwp_parse_message(len: number): void;
  wwp_digest_response(): void;
}

// Record tags, field types and message sources: wasm/out_writer.hpp.
const TRANSMIT = 1, TRACE = 2, OBJECT = 3;
const INT = 0, U53 = 1, BOOL = 2, STR = 3, MSG = 4, PAIRS = 5;
const FROM_FRAME = 0, FROM_TRANSMIT = 1, FROM_ARENA = 2, REF = 3;

const always = () => true;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

type Obj = Record<string, unknown>;

/** A text the current batch refers to: a frame we passed in, or one it produced. */
interface Source {
  text: string;
  /** byte offset of the text in memory, to map offsets when it is not ASCII */
  ptr: number;
  bytes: number;
}

/** Twice the core's message limit (core/msg/parser.hpp max_message_size, 128 KiB), in UTF-16 units. */
const FRAME_HEAD = 2 * 128 * 1024;

/** Slots of the core's argument table at first (wasm/abi.cpp g_args); it grows on demand. */
const ARGS_MIN = 64;

/** Per-module state: memory views, the names table, the argument area. */
export class CoreAbi {
  readonly x: CoreExports;
  private keys: string[] = [];
  private argsPtr: number;
  private argsCap: number;
  private outPtr: number;
  private buffer!: ArrayBuffer;
  private u8!: Uint8Array;
  private i32!: Int32Array;
  private f64!: Float64Array;
  /**
   * Whether `dropped` events need their reason (the driver answers from its
   * listeners; asked only when a batch has one). A stray response is dropped
   * with a reason, and decoding that text for nobody was a fair share of such
   * a frame's cost.
   */
  wantDropped: () => boolean = always;
  private droppedKey = -1;
  /** Messages described in the batch being read, by trace id (REF records). */
  private traced = new Map<number, WireMessage>();

  constructor(exports: CoreExports) {
    this.x = exports;
    this.x._initialize();
    this.argsPtr = this.x.wwp_args(ARGS_MIN) >> 2;
    this.argsCap = ARGS_MIN;
    this.outPtr = this.x.wwp_out();
    this.views();
    this.x.wwp_tables();
    const [keys, ids] = this.readTables();
    this.keys = keys;
    this.headerIdNames = ids;
    this.droppedKey = keys.indexOf('dropped');
  }
  /** The core's HeaderId names (index = id), for WireMessage lookups. */
  readonly headerIdNames: string[];

  /**
   * The first batch, before any names are known: one object whose two
   * fields are string lists (key names, then HeaderId names).
   */
  private readTables(): [string[], string[]] {
    const h = this.outPtr >> 2;
    const w = this.i32.subarray(this.i32[h] >> 2, (this.i32[h] >> 2) + this.i32[h + 1]);
    const arena = this.i32[h + 2];
    const lists: string[][] = [];
    let i = 3; // OBJECT, name, field count
    for (let f = 0; f < 2; f++) {
      const count = w[i + 2];
      i += 3;
      const list: string[] = [];
      for (let p = 0; p < count; p++, i += 4) list.push(this.utf8(arena + w[i], w[i + 1]));
      lists.push(list);
    }
    return [lists[0], lists[1]];
  }

  private views(): void {
    if (this.buffer === this.x.memory.buffer) return;
    this.buffer = this.x.memory.buffer;
    this.u8 = new Uint8Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
    this.f64 = new Float64Array(this.buffer);
  }

  // --- inputs ------------------------------------------------------------------

  /**
   * Write a frame (or text to parse) at the start of scratch; returns its
   * byte length. The view on scratch is kept while it is big enough, so a
   * frame costs one encodeInto and no allocation.
   */
  writeFrame(text: string): number {
    const need = text.length * 3; // at most 3 bytes per UTF-16 unit
    // The view must be on the memory's current buffer: growth (during any
    // call into the core) detaches the old one, and a detached view takes
    // no bytes at all.
    if (need > this.scratchCap || this.scratch?.buffer !== this.x.memory.buffer) {
      const cap = Math.max(need, 64 * 1024);
      this.scratchPtr = this.x.wwp_scratch(cap);
      this.views();
      this.scratchCap = cap;
      this.scratch = this.u8.subarray(this.scratchPtr, this.scratchPtr + cap);
    }
    const r = encoder.encodeInto(text, this.scratch!);
    if (r.read !== text.length) throw new Error(`sip-core: frame of ${text.length} characters did not fit the input buffer`);
    return r.written!;
  }
  /** Where writeFrame put the bytes. */
  scratchPtr = 0;
  private scratchCap = 0;
  private scratch: Uint8Array | undefined;

  /** Queue string arguments: each lands in scratch and its (offset, length) in args. */
  args(ints: (number | string | undefined)[]): void {
    let need = 0;
    let slots = 0;
    for (const v of ints) {
      if (typeof v === 'string') {
        need += v.length * 3;
        slots += 2;
      } else {
        slots += 1;
      }
    }
    // The table holds what this command writes (a call's custom headers,
    // the message types): asked for before scratch, as it may allocate.
    if (slots > this.argsCap) {
      this.argsPtr = this.x.wwp_args(slots) >> 2;
      this.argsCap = slots;
    }
    const base = this.x.wwp_scratch(need);
    if (base !== this.scratchPtr) this.scratchCap = 0; // scratch moved: writeFrame re-views it
    this.views();
    let at = 0;
    let slot = 0;
    for (const v of ints) {
      if (typeof v === 'string') {
        const r = encoder.encodeInto(v, this.u8.subarray(base + at, base + at + v.length * 3));
        this.i32[this.argsPtr + slot++] = at;
        this.i32[this.argsPtr + slot++] = r.written!;
        at += r.written!;
      } else {
        this.i32[this.argsPtr + slot++] = v ?? 0;
      }
    }
  }

  // --- outputs -------------------------------------------------------------------

  /** The deadline of the last batch (ms, -1 for none). */
  deadline(): number {
    this.views();
    return this.f64[(this.outPtr + 16) >> 3];
  }

  // The batch being read: i32 index of its words, word count, arena pointer,
  // read position, and the frame and last transmit messages refer to.
  private w0 = 0;
  private wn = 0;
  private arena = 0;
  private at = 0;
  private frame: Source | undefined;
  private transmit: Source | undefined;

  /** Decode the batch the last call left; `frame` is the text it was given, if any. */
  readBatch(frame: Source | undefined): (CoreOutput | Obj)[] {
    this.views();
    const i32 = this.i32;
    const h = this.outPtr >> 2;
    this.w0 = i32[h] >> 2;
    this.wn = i32[h + 1];
    this.arena = i32[h + 2];
    this.at = 0;
    this.frame = frame;
    this.transmit = undefined;
    this.traced.clear();
    const out: (CoreOutput | Obj)[] = [];
    while (this.at < this.wn) {
      const w = this.w0 + this.at;
      switch (i32[w]) {
        case TRANSMIT: {
          const bytes = this.utf8(this.arena + i32[w + 1], i32[w + 2]);
          this.transmit = { text: bytes, ptr: this.arena + i32[w + 1], bytes: i32[w + 2] };
          out.push({ type: 'transmit', bytes });
          this.at += 3;
          break;
        }
        case TRACE: {
          const inbound = i32[w + 1] !== 0;
          this.at += 2;
          out.push({ type: 'event', name: 'message', inbound, message: this.message() });
          break;
        }
        case OBJECT:
          out.push(this.object());
          break;
        default:
          throw new Error(`sip-core: unknown output record ${i32[w]} (module and shim out of step?)`);
      }
    }
    this.frame = this.transmit = undefined;
    this.wantDropped = always; // a UA sets its own before each of its batches
    return out;
  }

  private str(off: number, len: number): string {
    return this.utf8(this.arena + off, len);
  }

  /** A <message> at the read position (wasm/out_writer.hpp). */
  private message(): WireMessage {
    const i32 = this.i32;
    const w = this.w0 + this.at;
    const src = i32[w];
    if (src === REF) {
      this.at += 2;
      return this.traced.get(i32[w + 1])!;
    }
    const base = i32[w + 1];
    const textLen = i32[w + 2];
    const traceId = i32[w + 3];
    const len = 8 + 5 * i32[w + 11];
    this.at += 4 + len;
    // A plain array: a typed-array copy would allocate a backing store per message.
    const t: number[] = new Array(len);
    let extra: string[] | undefined;
    for (let k = 0; k < len; k++) {
      const v = i32[w + 4 + k];
      // Parts outside the text (a value the core stored unfolded) are in the
      // arena: cut them now, before the next call reuses it. Only offsets
      // can be negative (statuses, ids and lengths never are).
      if (v < 0) {
        (extra ??= []).push(this.str(-1 - v, i32[w + 5 + k]));
        t[k] = -extra.length;
      } else {
        t[k] = v;
      }
    }
    let s: Source;
    if (src === FROM_FRAME) s = this.frame!;
    else if (src === FROM_TRANSMIT) s = this.transmit!;
    else s = { text: this.str(base, textLen), ptr: this.arena + base, bytes: textLen };
    const from = src === FROM_FRAME ? base : 0;
    let text: string;
    if (s.text.length === s.bytes) {
      // ASCII: byte offsets are string indices.
      text = from === 0 && textLen === s.text.length ? s.text : s.text.substring(from, from + textLen);
    } else {
      text = this.toUtf16(s, from, textLen, t);
    }
    const m = new WireMessage(text, t, extra);
    if (traceId !== 0) this.traced.set(traceId, m);
    return m;
  }

  /** An OBJECT record at the read position: an event or a command's result. */
  private object(): Obj {
    const i32 = this.i32;
    let w = this.w0 + this.at;
    const o: Obj = { type: 'event', name: this.keys[i32[w + 1]] };
    if (i32[w + 1] === this.droppedKey && !this.wantDropped()) {
      // Nobody reads why input was dropped (no listener, no debug): leave
      // the reason text in the arena, stepping over fields of fixed size.
      let k = w + 3;
      let n = i32[w + 2];
      for (; n > 0; n--) {
        const type = i32[k + 1];
        if (type === INT || type === BOOL) k += 3;
        else if (type === STR || type === U53) k += 4;
        else break; // a message or pairs: decode it all as usual
      }
      if (n === 0) {
        this.at = k - this.w0;
        return o;
      }
    }
    const n = i32[w + 2];
    w += 3;
    for (let f = 0; f < n; f++) {
      const key = this.keys[i32[w]];
      const type = i32[w + 1];
      w += 2;
      switch (type) {
        case INT:
          o[key] = i32[w++];
          break;
        case BOOL:
          o[key] = i32[w++] !== 0;
          break;
        case U53:
          o[key] = (i32[w] >>> 0) + i32[w + 1] * 2 ** 32;
          w += 2;
          break;
        case STR:
          o[key] = this.str(i32[w], i32[w + 1]);
          w += 2;
          break;
        case MSG:
          this.at = w - this.w0;
          o[key] = this.message();
          w = this.w0 + this.at;
          break;
        case PAIRS: {
          const pairs: [string, string][] = [];
          const count = i32[w++];
          for (let p = 0; p < count; p++, w += 4) pairs.push([this.str(i32[w], i32[w + 1]), this.str(i32[w + 2], i32[w + 3])]);
          o[key] = pairs;
          break;
        }
      }
    }
    this.at = w - this.w0;
    return o;
  }

  /**
   * Bytes at `ptr` as text: very short ASCII by hand (a TextDecoder call
   * costs more than ~12 characters of that loop), the rest by TextDecoder.
   */
  private utf8(ptr: number, len: number): string {
    if (len === 0) return '';
    const u8 = this.u8;
    if (len <= 12) {
      let s = '';
      for (let k = ptr; k < ptr + len; k++) {
        const c = u8[k];
        if (c > 0x7f) return decoder.decode(u8.subarray(ptr, ptr + len));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return decoder.decode(u8.subarray(ptr, ptr + len));
  }

  /**
   * A non-ASCII text: map the table's byte offsets to UTF-16 indices (a
   * UTF-8 lead byte starts one unit, or two for 4-byte sequences) and cut
   * the message's own text.
   */
  private toUtf16(s: Source, from: number, textLen: number, t: number[]): string {
    const bytes = this.u8.subarray(s.ptr + from, s.ptr + from + textLen);
    const map = new Uint32Array(textLen + 1);
    let u = 0;
    for (let b = 0; b < textLen; b++) {
      map[b] = u;
      const c = bytes[b];
      if ((c & 0xc0) !== 0x80) u += c >= 0xf0 ? 2 : 1;
    }
    map[textLen] = u;
    const fix = (k: number) => {
      if (t[k] < 0) return;
      const end = map[t[k] + t[k + 1]];
      t[k] = map[t[k]];
      t[k + 1] = end - t[k];
    };
    fix(1); fix(3); fix(5);
    for (let k = 8; k < t.length; k += 5) { fix(k + 1); fix(k + 3); }
    return decoder.decode(bytes);
  }
}

/** A command's result object (the first record of its batch). */
type Result = CoreCallResult & Obj;

const RC_COMMANDS: RcCommandName[] = ['confirm', 'decline', 'voicemail', 'forward', 'startReply', 'reply'];

/**
 * One UA in the core: the opaque handle and its commands. Each command
 * returns its status; its outputs (and those of `receive`/`tick`) are
 * queued for `poll()`, which ends with the one timer deadline.
 */
export class CoreUa {
  private h: number;
  private queue: (CoreOutput | Obj)[] = [];
  private head = 0;

  constructor(private readonly abi: CoreAbi, config: CoreUaConfig) {
    const r = config.recovery;
    abi.args([config.username, config.authorizationId, config.password, config.domain, config.instanceId ?? '',
      config.userAgent ?? '', config.secure === false ? 0 : 1, config.registerExpires ?? 0, config.seedHigh | 0,
      config.seedLow | 0,
      // core/flow/supervisor.hpp RecoveryConfig, in its order (wasm/abi.cpp)
      r ? 1 : 0, r?.baseDelay ?? 0, r?.multiplierPct ?? 0, r?.maxDelay ?? 0, r?.maxAttempts ?? 0, r?.jitterPct ?? 0,
      r?.keepAliveInterval ?? 0, r?.keepAliveTimeout ?? 0, r?.failoverAfter ?? 0, r?.hasBackup ? 1 : 0,
      r?.primaryReturn ?? 0, r?.callGrace ?? 0, r?.connectTimeout ?? 0,
      // session timers (RFC 4028): -1 / 0 keep the core's defaults (wasm/abi.cpp)
      config.sessionExpires ?? -1, config.minSE ?? 0]);
    this.h = abi.x.wwp_ua_new();
  }

  /** See CoreAbi.wantDropped; per UA (each client has its own listeners). */
  wantDropped: () => boolean = always;

  /**
   * This UA's next deadline, from its own last batch: the module's output
   * header is shared, and another UA on the same module (a listener of this
   * one calling that one while this one's outputs are handed out) rewrites it.
   */
  private deadlineAt = -1;

  private take(frame?: Source): void {
    this.abi.wantDropped = this.wantDropped;
    this.deadlineAt = this.abi.deadline();
    const batch = this.abi.readBatch(frame);
    if (this.head === this.queue.length) {
      this.queue = batch;
      this.head = 0;
    } else {
      for (const o of batch) this.queue.push(o);
    }
  }
  /** Queue a command's outputs and return its result record. */
  private result(): Result {
    this.abi.wantDropped = this.wantDropped;
    this.deadlineAt = this.abi.deadline();
    const batch = this.abi.readBatch(undefined);
    const r = batch[0] as Result;
    delete (r as Obj).type;
    delete (r as Obj).name;
    for (let k = 1; k < batch.length; k++) this.queue.push(batch[k]);
    return r;
  }

  /** The next output in the core's order; a `timeout` (the deadline) when none is left. */
  poll(): CoreOutput {
    if (this.head < this.queue.length) {
      const o = this.queue[this.head++];
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      return o as CoreOutput;
    }
    return { type: 'timeout', at: this.deadlineAt, reason: '' };
  }

  receive(text: string, now: number): void {
    // A frame past twice the core's limit crosses as its head only: the
    // head parses as the whole would (core/ua/ua.hpp Received::frame_size),
    // and the wasm memory it would take (3 bytes a character, never given
    // back) is not spent on a frame that is refused anyway.
    const head = text.length > FRAME_HEAD ? text.substring(0, FRAME_HEAD) : text;
    const len = this.abi.writeFrame(head);
    this.abi.x.wwp_receive(this.h, len, head === text ? 0 : utf8Length(text), now);
    this.take({ text, ptr: this.abi.scratchPtr, bytes: len });
  }
  tick(now: number): void {
    this.abi.x.wwp_tick(this.h, now);
    this.take();
  }
  /** The socket is open; `backup`: to the backup server. */
  transportOpen(backup: boolean, now: number): void {
    this.abi.x.wwp_transport_open(this.h, backup ? 1 : 0, now);
    this.take();
  }
  /** The socket closed (or never opened); `replaced`: the app replaced it itself. */
  transportClosed(now: number, reason = '', replaced = false): void {
    this.abi.args([reason]);
    this.abi.x.wwp_transport_closed(this.h, replaced ? 1 : 0, now);
    this.take();
  }
  /** The browser's online/offline event. */
  network(online: boolean, now: number): void {
    this.abi.x.wwp_network(this.h, online ? 1 : 0, now);
    this.take();
  }
  /** `expires`: seconds to ask for from now on (0: as before, at first the config's). */
  startRegister(now: number, expires = 0): CoreStatus {
    this.abi.x.wwp_start_register(this.h, expires, now);
    return this.result();
  }
  unregister(now: number): CoreStatus {
    this.abi.x.wwp_unregister(this.h, now);
    return this.result();
  }
  contactHost(): string {
    this.abi.x.wwp_contact_host(this.h);
    return (this.abi.readBatch(undefined)[0] as Obj).value as string;
  }
  /**
   * The UA's state as JSON (core/ua/snapshot.hpp): the registration identity
   * and the answered calls with their dialogs, for another tab's
   * `importState` (issue #13). No outputs.
   */
  exportState(): string {
    this.abi.x.wwp_export_state(this.h);
    return (this.abi.readBatch(undefined)[0] as Obj).value as string;
  }
  /**
   * Continue another UA's `exportState()` on this fresh UA, before its
   * socket opens (core/ua/ua.hpp Ua::import_state). Each adopted call comes
   * out of `poll()` as a `callAdopted` event, and gets `recoverMedia` after
   * the first registration. Throws an Error with the core's message (and its
   * `code`, e.g. 'invalid argument', 'invalid state'); nothing is imported then.
   */
  importState(json: string, now: number): void {
    this.abi.args([json]);
    this.abi.x.wwp_import_state(this.h, now);
    const r = this.result();
    if (!r.ok) throw Object.assign(new Error(r.message ?? 'importState failed'), { code: r.code });
  }
  invite(p: CoreInvite, now: number): CoreCallResult {
    const headers = p.headers ?? [];
    for (const pair of headers)
      if (typeof pair?.[0] !== 'string' || typeof pair?.[1] !== 'string')
        return { ok: false, code: 'invalid argument', message: 'header names and values must be strings' };
    this.abi.args([p.callee, p.callerId ?? '', p.sdp, headers.length, ...headers.flat()]);
    this.abi.x.wwp_invite(this.h, now);
    return this.result();
  }
  /** The 2xx; `early`: a 183 instead, with `sdp` as early media ('' for none). */
  answer(call: number, sdp: string, now: number, early = false): CoreStatus {
    this.abi.args([sdp]);
    this.abi.x.wwp_answer(this.h, call, +early, now);
    return this.result();
  }
  reject(call: number, status: number, now: number): CoreStatus {
    this.abi.x.wwp_reject(this.h, call, status, now);
    return this.result();
  }
  decline(call: number, now: number): CoreCallResult {
    this.abi.x.wwp_decline(this.h, call, now);
    return this.result();
  }
  hangup(call: number, now: number): CoreStatus {
    this.abi.x.wwp_hangup(this.h, call, now);
    return this.result();
  }
  hold(call: number, on: boolean, now: number): CoreStatus {
    this.abi.x.wwp_hold(this.h, call, on ? 1 : 0, now);
    return this.result();
  }
  reinvite(call: number, sdp: string, toReceive: boolean, now: number): CoreStatus {
    this.abi.args([sdp]);
    this.abi.x.wwp_reinvite(this.h, call, toReceive ? 1 : 0, now);
    return this.result();
  }
  /** `hold`: we hold the call; the core keeps our answer (or offer) sendonly/inactive. */
  answerReinvite(call: number, sdp: string, now: number, hold = false): CoreStatus {
    this.abi.args([sdp]);
    this.abi.x.wwp_answer_reinvite(this.h, call, hold ? 1 : 0, now);
    return this.result();
  }
  refer(call: number, target: string, now: number): CoreStatus {
    this.abi.args([target]);
    this.abi.x.wwp_refer(this.h, call, now);
    return this.result();
  }
  referProgress(call: number, status: number, now: number): CoreStatus {
    this.abi.x.wwp_refer_progress(this.h, call, status, now);
    return this.result();
  }
  referReplaces(call: number, other: number, now: number): CoreStatus {
    this.abi.x.wwp_refer_replaces(this.h, call, other, now);
    return this.result();
  }
  sendRequest(call: number, method: string, contentType: string, body: string, now: number): CoreCallResult {
    this.abi.args([method, contentType, body]);
    this.abi.x.wwp_send_request(this.h, call, now);
    return this.result();
  }
  /** DTMF by SIP INFO, one INFO per digit (core/call/call.hpp send_dtmf_info); completes with requestDone. */
  sendDtmfInfo(call: number, digits: string, duration: number, now: number): CoreCallResult {
    this.abi.args([digits]);
    this.abi.x.wwp_send_dtmf_info(this.h, call, duration, now);
    return this.result();
  }
  sendAppMessage(text: string, now: number): CoreCallResult {
    this.abi.args([text]);
    this.abi.x.wwp_send_app_message(this.h, now);
    return this.result();
  }
  rcCommand(call: number, command: RcCommandName, options: RcCommandOptions, now: number): CoreCallResult {
    const cmd = RC_COMMANDS.indexOf(command);
    if (cmd < 0) return { ok: false, code: 'invalid argument', message: 'unknown RingCentral command' };
    // Only strings and numbers cross; anything else stays unset so the core
    // rejects it as "Invalid reply options" (as the original does).
    const r = (options.reply ?? {}) as Record<string, unknown>;
    const s = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
    const type = s('type') === 'text' ? undefined : s('type');
    const present = (s('text') !== undefined ? 1 : 0) | (type !== undefined ? 2 : 0) | (s('direction') !== undefined ? 4 : 0) |
      (s('unit') !== undefined ? 8 : 0) | (typeof r.delay === 'number' ? 16 : 0);
    const target = typeof options.target === 'string' ? options.target : '';
    this.abi.args([target, s('text') ?? '', type ?? '', s('direction') ?? '', s('unit') ?? '', present]);
    this.abi.x.wwp_rc_command(this.h, call, cmd, typeof r.delay === 'number' ? r.delay : 0, now);
    return this.result();
  }
  rcInfo(call: number, command: string, target: string, now: number): CoreCallResult {
    this.abi.args([command, target]);
    this.abi.x.wwp_rc_info(this.h, call, now);
    return this.result();
  }
  rcApiCallInfo(call: number): [string, string][] | null {
    this.abi.x.wwp_rc_api_call_info(this.h, call);
    return ((this.abi.readBatch(undefined)[0] as Obj).value as [string, string][] | undefined) ?? null;
  }
  /** What the UA holds now (live calls, dialogs, transactions, subscriptions, publications): for tests and diagnostics. */
  live(): { calls: number; dialogs: number; transactions: number; subscriptions: number; publications: number } {
    this.abi.x.wwp_ua_live(this.h);
    const { type, name, ok, ...counts } = this.abi.readBatch(undefined)[0] as Obj;
    return counts as { calls: number; dialogs: number; transactions: number; subscriptions: number; publications: number };
  }
  // --- messages, subscriptions, publications (core/event/) ---
  sendMessage(target: string, contentType: string, body: string, now: number): CoreCallResult {
    this.abi.args([target, contentType, body]);
    this.abi.x.wwp_send_message(this.h, now);
    return this.result();
  }
  setMessageTypes(types: string[]): CoreStatus {
    this.abi.args([types.length, ...types]);
    this.abi.x.wwp_set_message_types(this.h);
    return this.abi.readBatch(undefined)[0] as unknown as CoreStatus;
  }
  /** Codec preferences and bandwidth for our SDP (core/sdp/codec_prefs.hpp); once, after construction. */
  setMediaPrefs(audio: string[], video: string[], audioKbps: number): CoreStatus {
    this.abi.args([audio.length, ...audio, video.length, ...video]);
    this.abi.x.wwp_set_media_prefs(this.h, audioKbps | 0);
    return this.abi.readBatch(undefined)[0] as unknown as CoreStatus;
  }
  /**
   * The SDP the browser made with the preferences applied (`offer`: the
   * remote offer it answers, else ''): the text to send, or the core's error.
   */
  /** `rejectVideo`: our answer refuses the offer's video (port 0, core/sdp/codec_prefs.hpp). */
  rewriteSdp(sdp: string, offer = '', rejectVideo = false): { ok: true; sdp: string } | { ok: false; message: string } {
    this.abi.args([sdp, offer]);
    this.abi.x.wwp_rewrite_sdp(this.h, rejectVideo ? 1 : 0);
    const r = this.abi.readBatch(undefined)[0] as Obj;
    return r.ok ? { ok: true, sdp: r.value as string } : { ok: false, message: r.message as string };
  }
  subscribe(target: string, event: string, accept: string, expires: number, now: number): CoreCallResult {
    this.abi.args([target, event, accept]);
    this.abi.x.wwp_subscribe(this.h, expires, now);
    return this.result();
  }
  unsubscribe(sub: number, now: number): CoreStatus {
    this.abi.x.wwp_unsubscribe(this.h, sub, now);
    return this.result();
  }
  publish(event: string, contentType: string, body: string, expires: number, now: number): CoreCallResult {
    this.abi.args([event, contentType, body]);
    this.abi.x.wwp_publish(this.h, expires, now);
    return this.result();
  }
  publishPresence(open: boolean, note: string, activity: string, expires: number, now: number): CoreCallResult {
    this.abi.args([note, activity]);
    this.abi.x.wwp_publish_presence(this.h, open ? 1 : 0, expires, now);
    return this.result();
  }
  unpublish(event: string, now: number): CoreStatus {
    this.abi.args([event]);
    this.abi.x.wwp_unpublish(this.h, now);
    return this.result();
  }
  endUsages(now: number): void {
    this.abi.x.wwp_end_usages(this.h, now);
    this.result();
  }
  delete(): void {
    if (this.h) this.abi.x.wwp_ua_delete(this.h);
    this.h = 0;
  }
}

/** The module as the shim sees it (js/core/loader.ts builds it). */
export class SipCore {
  /** `new core.Ua(config)`: a UA on this module. */
  readonly Ua: new (config: CoreUaConfig) => CoreUa;
  constructor(readonly abi: CoreAbi) {
    this.Ua = function Ua(config: CoreUaConfig) {
      return new CoreUa(abi, config);
    } as unknown as new (config: CoreUaConfig) => CoreUa;
  }
  /** Parse one SIP message as the UA would. */
  parseMessage(text: string): { ok: true; message: WireMessage } | { ok: false; message: string } {
    const len = this.abi.writeFrame(text);
    this.abi.x.wwp_parse_message(len);
    const r = this.abi.readBatch({ text, ptr: this.abi.scratchPtr, bytes: len })[0] as Obj;
    return r.ok ? { ok: true, message: r.msg as WireMessage } : { ok: false, message: r.message as string };
  }
  /** MD5 digest `response` without qop (RFC 2617 §3.2.2). */
  digestResponse(username: string, password: string, realm: string, nonce: string, method: string, uri: string) {
    this.abi.args([username, password, realm, nonce, method, uri]);
    this.abi.x.wwp_digest_response();
    const r = this.abi.readBatch(undefined)[0] as Obj;
    return r.ok
      ? { ok: true, response: r.value as string }
      : { ok: false, message: r.message as string };
  }
  /** Bytes of the wasm heap in use, and the linear memory's size. */
  memory(): { heapUsed: number; memoryBytes: number } {
    return { heapUsed: this.abi.x.wwp_heap_used(), memoryBytes: this.abi.x.memory.buffer.byteLength };
  }
}

/**
 * The `bindings` of a `registered` event: a line per binding, `<expires>
 * <ours 0|1> <uri> <instance>` (wasm/abi.cpp says why one string). The URI
 * holds no space; the instance is the rest of the line and may be empty.
 */
export function parseBindings(lines: string): RegistrationBinding[] {
  if (!lines) return [];
  return lines.split('\n').map((line) => {
    const [, expires, ours, uri, instance] = /(\S+) (.) (\S+) (.*)/.exec(line)!;
    const b: RegistrationBinding = { uri, expires: +expires, ours: ours === '1' };
    if (instance) b.instance = instance;
    return b;
  });
}

export type { CoreEvent };
