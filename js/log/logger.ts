// The SDK's logger (README "Logs"): levels, structured entries, an app
// handler, and every entry's text and data passed through `redact` first.
// `debug: true` keeps its ringcentral-web-phone 2.x meaning (every SIP
// message on the console), now at level `debug`.
import { redact, redactDeep } from './redact.js';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
/** What a line is about: `sip` messages, the `connection`, a `call`, its `media`, the `core`. */
export type LogCategory = 'sip' | 'connection' | 'call' | 'media' | 'core';

export interface LogEntry {
  level: Exclude<LogLevel, 'silent'>;
  /** Date.now() when logged. */
  time: number;
  category: LogCategory;
  message: string;
  /** Structured detail (already redacted), e.g. `{ callId }`. */
  data?: Record<string, unknown>;
}

export type LogHandler = (entry: LogEntry) => void;

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4, trace: 5 };

const consoleHandler: LogHandler = (e) => {
  const line = `[wasm-web-phone ${e.category}] ${e.message}`;
  const args = e.data ? [line, e.data] : [line];
  if (e.level === 'error') console.error(...args);
  else if (e.level === 'warn') console.warn(...args);
  else console.log(...args);
};

export class Logger {
  private readonly rank: number;
  private readonly handler: LogHandler;

  constructor(options: { logLevel?: LogLevel; logHandler?: LogHandler; debug?: boolean }, private readonly secrets: () => string[]) {
    const level = options.logLevel ?? (options.debug ? 'debug' : 'warn');
    if (!(level in RANK)) throw new Error(`logLevel must be one of ${Object.keys(RANK).join(', ')}, got ${String(level)}`);
    if (options.logHandler !== undefined && typeof options.logHandler !== 'function') throw new Error('logHandler must be a function');
    // debug: true asks for the SIP trace whatever else logLevel says.
    this.rank = Math.max(RANK[level], options.debug ? RANK.debug : 0);
    this.handler = options.logHandler ?? consoleHandler;
  }

  /** Whether `level` would be delivered (so callers skip building costly text). */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return RANK[level] <= this.rank;
  }

  log(level: Exclude<LogLevel, 'silent'>, category: LogCategory, message: string, data?: Record<string, unknown>): void {
    if (!this.enabled(level)) return;
    const secrets = this.secrets();
    const entry: LogEntry = { level, time: Date.now(), category, message: redact(message, secrets) };
    if (data) entry.data = redactDeep(data, secrets);
    try {
      this.handler(entry);
    } catch {
      // A throwing handler must not break the phone (a log is never a reason to fail a call).
    }
  }

  error(category: LogCategory, message: string, data?: Record<string, unknown>): void { this.log('error', category, message, data); }
  warn(category: LogCategory, message: string, data?: Record<string, unknown>): void { this.log('warn', category, message, data); }
  info(category: LogCategory, message: string, data?: Record<string, unknown>): void { this.log('info', category, message, data); }
  debug(category: LogCategory, message: string, data?: Record<string, unknown>): void { this.log('debug', category, message, data); }
}
