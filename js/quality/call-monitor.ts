// One call's quality monitor: samples getStats() on a timer while the call is
// answered, feeds the watchdog, emits `qualityReport` at the app's interval
// and `mediaStalled` / `mediaResumed` from the watchdog's verdicts; forwards
// the peer connection's ICE state as `mediaConnectionStateChanged`, and
// measures time to media (the remote track's first packets).
import type { CallQualityReport, StatsLike } from './report.js';
import { MediaWatchdog } from './watchdog.js';

/** `callQuality` option (README "Call quality"); durations in ms. */
export interface CallQualityOptions {
  /** Emit `qualityReport` this often while the call is answered; 0 = never. Default 0. */
  reportInterval?: number;
  /** `mediaStalled` after this long without media one way; 0 = no watchdog. Default 5000. */
  stallTimeout?: number;
  /** How often the watchdog reads the stats. Default 1000. */
  sampleInterval?: number;
}

export const QUALITY_DEFAULTS: Required<CallQualityOptions> = { reportInterval: 0, stallTimeout: 5000, sampleInterval: 1000 };

/**
 * Which previous report a new one is measured against: the app's last
 * getStats() ('app'), the monitor's last sample ('sample', for the watchdog),
 * the last `qualityReport` emitted ('interval'), the last diagnostics()
 * bundle ('diagnostics'). One shared baseline made
 * every getStats() (the watchdog's each second, diagnostics(), the app's)
 * move it, and a report covered only the last second of its interval.
 */
export type ReportBaseline = 'app' | 'sample' | 'interval' | 'diagnostics';

/** What the monitor needs of a call (CallSession's quality bookkeeping). */
export interface MonitoredCall {
  readonly state: string;
  /** The media session's raw statistics. */
  stats(): Promise<StatsLike>;
  /** A report from `stats`, measured against (and moving) `baseline`. */
  reportFrom(stats: StatsLike, baseline: ReportBaseline): CallQualityReport;
  emit(name: string, ...args: unknown[]): void;
  /** Which directions should carry media now (not on hold, per the negotiated direction). */
  expectedMedia(): { inbound: boolean; outbound: boolean };
}

export interface MediaConnectionStateChange {
  state: RTCIceConnectionState;
  previous: RTCIceConnectionState;
}

export class CallMonitor {
  private readonly options: Required<CallQualityOptions>;
  private readonly watchdog: MediaWatchdog;
  private timer: ReturnType<typeof setInterval> | undefined;
  private busy = false;
  private lastReportAt = -Infinity;
  /** For `diagnostics()`: ICE and gathering states with their times, and the last reports. */
  readonly timeline: Array<{ time: number; what: string }> = [];
  readonly samples: CallQualityReport[] = [];
  private detach: (() => void) | undefined;

  constructor(private readonly call: MonitoredCall, options: CallQualityOptions | undefined) {
    this.options = CallMonitor.settings(options);
    this.watchdog = new MediaWatchdog(this.options.stallTimeout);
  }

  /** The options with defaults; throws a clear error for a bad one (WebPhone's constructor checks early). */
  static settings(options: CallQualityOptions | undefined): Required<CallQualityOptions> {
    if (options !== undefined && (options === null || typeof options !== 'object')) throw new Error('callQuality must be an object');
    const settings = { ...QUALITY_DEFAULTS, ...(options ?? {}) };
    for (const [k, v] of Object.entries(settings)) {
      if (!(k in QUALITY_DEFAULTS)) throw new Error(`callQuality.${k} is not an option (${Object.keys(QUALITY_DEFAULTS).join(', ')})`);
      if (typeof v !== 'number' || !(v >= 0)) throw new Error(`callQuality.${k} must be a number of ms >= 0, got ${String(v)}`);
    }
    if (settings.stallTimeout && !settings.sampleInterval) throw new Error('callQuality.sampleInterval must be > 0 when the watchdog is on');
    return settings;
  }

  /**
   * Watch a peer connection: its ICE state changes, and the remote track's
   * first packets (`onFirstMedia`). Replaces what an earlier call watched.
   */
  watch(pc: RTCPeerConnection, onIceState: (change: MediaConnectionStateChange) => void, onFirstMedia: () => void): void {
    this.detach?.();
    let previous = pc.iceConnectionState;
    const mark = (what: string) => {
      this.timeline.push({ time: Date.now(), what });
      if (this.timeline.length > 200) this.timeline.shift();
    };
    const onGathering = () => mark(`gathering ${pc.iceGatheringState}`);
    const onCandidate = (e: RTCPeerConnectionIceEvent) => {
      if (e.candidate?.candidate) mark(`candidate ${e.candidate.type ?? '?'} ${e.candidate.protocol ?? ''}`.trim());
    };
    const onState = () => {
      const state = pc.iceConnectionState;
      mark(`ice ${state}`);
      if (state === previous) return;
      const change = { state, previous };
      previous = state;
      onIceState(change);
    };
    // A remote track starts muted and unmutes when its first packets arrive.
    const onFirst = () => {
      mark('first media');
      onFirstMedia();
    };
    const onTrackFirst = (e: RTCTrackEvent) => e.track.addEventListener('unmute', onFirst, { once: true });
    pc.addEventListener('iceconnectionstatechange', onState);
    pc.addEventListener('icegatheringstatechange', onGathering);
    pc.addEventListener('icecandidate', onCandidate);
    pc.addEventListener('track', onTrackFirst);
    this.detach = () => {
      pc.removeEventListener('iceconnectionstatechange', onState);
      pc.removeEventListener('icegatheringstatechange', onGathering);
      pc.removeEventListener('icecandidate', onCandidate);
      pc.removeEventListener('track', onTrackFirst);
    };
  }

  /** Start sampling (idempotent); nothing runs when both features are off. */
  start(): void {
    const { reportInterval, stallTimeout, sampleInterval } = this.options;
    if (this.timer || (!reportInterval && !stallTimeout)) return;
    const every = stallTimeout ? (reportInterval ? Math.min(sampleInterval, reportInterval) : sampleInterval) : reportInterval;
    this.timer = setInterval(() => void this.tick(), every);
  }

  /** The call ended: stop sampling and watching (no verdicts: the call's `disposed` says it all). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.detach?.();
    this.detach = undefined;
    this.watchdog.pause();
  }

  private async tick(): Promise<void> {
    if (this.busy || this.call.state !== 'answered') return;
    this.busy = true;
    try {
      const stats = await this.call.stats();
      if (!this.timer || this.call.state !== 'answered') return; // stopped meanwhile
      const sample = this.call.reportFrom(stats, 'sample');
      this.samples.push(sample);
      if (this.samples.length > 60) this.samples.shift();
      if (this.options.stallTimeout) {
        for (const v of this.watchdog.sample(sample, this.call.expectedMedia())) this.call.emit(v.event, v.stall);
      }
      const now = performance.now();
      // Half a sample of slack, so a report due "now" is not pushed a whole sample later.
      if (this.options.reportInterval && now - this.lastReportAt >= this.options.reportInterval - this.options.sampleInterval / 2) {
        this.lastReportAt = now;
        // The same snapshot, measured from the last report: the whole interval's loss and rates.
        this.call.emit('qualityReport', this.call.reportFrom(stats, 'interval'));
      }
    } catch {
      // The peer connection closed under us (the call is ending): nothing to report.
    } finally {
      this.busy = false;
    }
  }
}
