// One call's quality bookkeeping for CallSession (README "Call quality"):
// its monitor, the previous report (for interval figures), whether we hold
// it, and the times to signal and to media. CallSession keeps the public
// methods; this keeps the state out of the 2.x class.
import type { WebRtcSession } from '../media/web-rtc-session.js';
import { CallMonitor, type CallQualityOptions, type MediaConnectionStateChange, type ReportBaseline } from '../quality/call-monitor.js';
import { buildQualityReport, type CallQualityReport, type StatsLike } from '../quality/report.js';

/** What CallQuality reads of its session. */
export interface QualitySession {
  readonly state: string;
  readonly rtcPeerConnection: RTCPeerConnection | undefined;
  readonly webRtcSession: WebRtcSession | undefined;
  emit(name: string, ...args: unknown[]): void;
  expectedMedia(): { inbound: boolean; outbound: boolean };
}

export class CallQuality {
  monitor: CallMonitor | undefined;
  /** The previous report of each baseline (CallMonitor's ReportBaseline says why each has its own). */
  private last: Partial<Record<ReportBaseline, CallQualityReport>> = {};
  /** We put the call on hold (our media sendonly): the peer sends nothing. */
  localHeld = false;
  /** performance.now() marks: the attempt began (call(), answer()), our INVITE or 200 left, first media came. */
  timing: { start: number; signal?: number; media?: number } = { start: performance.now() };

  constructor(private readonly session: QualitySession) {}

  /** Watch a new peer connection (after init()); `onIceState` hears each ICE state change. */
  /** Without a peer connection (a webRtcSessionFactory session with getStats()): reports and the watchdog, no ICE events. */
  attach(pc: RTCPeerConnection | undefined, options: CallQualityOptions | undefined, onIceState: (c: MediaConnectionStateChange) => void): void {
    this.monitor?.stop();
    // A new peer connection: its monitor measures from its own first sample.
    this.last.sample = this.last.interval = undefined;
    const s = this.session;
    this.monitor = new CallMonitor({
      get state() { return s.state; },
      stats: () => this.stats(),
      reportFrom: (stats, baseline) => this.reportFrom(stats, baseline),
      emit: (name, ...args) => s.emit(name, ...args),
      expectedMedia: () => s.expectedMedia(),
    }, options);
    if (pc) {
      this.monitor.watch(pc, onIceState, () => {
        this.timing.media ??= performance.now();
      });
    }
    this.monitor.start();
  }

  /** CallSession.getStats(): measured against the app's previous call. */
  async report(): Promise<CallQualityReport> {
    return this.reportFrom(await this.stats(), 'app');
  }

  /** The media session's raw statistics. */
  async stats(): Promise<StatsLike> {
    const s = this.session;
    if (s.state === 'disposed') throw new Error('getStats: the call has ended');
    const source = s.rtcPeerConnection ?? s.webRtcSession;
    if (!source?.getStats) throw new Error('getStats: this call has no media session with statistics (its webRtcSessionFactory session has no getStats())');
    return source.getStats() as Promise<StatsLike>;
  }

  reportFrom(stats: StatsLike, baseline: ReportBaseline): CallQualityReport {
    const report = buildQualityReport(stats, this.last[baseline]);
    this.last[baseline] = report;
    const t = this.timing;
    if (t.signal !== undefined) report.timeToInviteMs = Math.round(t.signal - t.start);
    if (t.media !== undefined) report.timeToMediaMs = Math.round(t.media - t.start);
    return report;
  }

  /** Which directions should carry media now (the watchdog judges only those). */
  expectedMedia(): { inbound: boolean; outbound: boolean } {
    const audio = this.session.rtcPeerConnection?.getTransceivers().find((t) => t.receiver.track?.kind === 'audio');
    const dir = audio?.currentDirection ?? 'sendrecv';
    return {
      inbound: (dir === 'sendrecv' || dir === 'recvonly') && !this.localHeld,
      outbound: dir === 'sendrecv' || dir === 'sendonly',
    };
  }

  stop(): void {
    this.monitor?.stop();
  }
}
