// One call's media watchdog: from successive quality reports, notice that
// media stopped on the wire in one direction (no packet for `stallTimeout`)
// or that packets still arrive but carry digital silence (the inbound audio
// energy did not move: the far end's microphone is dead or muted), and say
// when it comes back. Pure arithmetic on the reports' counters, so the shim
// tests it in Node; CallSession feeds it and turns its verdicts into
// `mediaStalled` / `mediaResumed` events.
import type { CallQualityReport } from './report.js';

export type StallDirection = 'inbound' | 'outbound';
/** `noPackets`: nothing on the wire; `silence`: packets, but no audio energy. */
export type StallReason = 'noPackets' | 'silence';

export interface MediaStall {
  direction: StallDirection;
  reason: StallReason;
  /** How long the direction has been silent, ms, when the verdict was given. */
  silentForMs: number;
}

export type WatchdogVerdict = { event: 'mediaStalled' | 'mediaResumed'; stall: MediaStall };

/** Energy below this per second is digital silence (a dead or muted source sends exact zeros). */
const SILENT_ENERGY_PER_SECOND = 1e-7;

interface Track {
  /** Counter value and the time it last moved. */
  last: number | undefined;
  movedAt: number;
  stalled: StallReason | undefined;
}

export class MediaWatchdog {
  private tracks: Record<'inboundPackets' | 'outboundPackets' | 'inboundEnergy', Track> = {
    inboundPackets: { last: undefined, movedAt: 0, stalled: undefined },
    outboundPackets: { last: undefined, movedAt: 0, stalled: undefined },
    inboundEnergy: { last: undefined, movedAt: 0, stalled: undefined },
  };

  constructor(private readonly stallTimeoutMs: number) {}

  /**
   * Feed the next report (its `timestamp` in ms). Returns the verdicts it
   * changed: a direction that went silent, or came back. A direction that
   * is not expected to carry media now (`expect`: a call on hold, a
   * recvonly stream) is not judged: its counters are forgotten, so a long
   * hold is no stall, and a stall it had is resolved.
   */
  sample(report: CallQualityReport, expect: { inbound: boolean; outbound: boolean } = { inbound: true, outbound: true }): WatchdogVerdict[] {
    const t = report.timestamp;
    const out: WatchdogVerdict[] = [];
    if (expect.outbound) this.step('outboundPackets', report.outbound.packets, t, 0, 'outbound', 'noPackets', out);
    else this.forget('outboundPackets', 'outbound', out);
    if (!expect.inbound) {
      this.forget('inboundPackets', 'inbound', out);
      this.forget('inboundEnergy', 'inbound', out);
      return out;
    }
    this.step('inboundPackets', report.inbound.packets, t, 0, 'inbound', 'noPackets', out);
    // Silence is judged only while packets arrive: no packets is the other verdict.
    if (report.inbound.totalAudioEnergy !== undefined && !this.tracks.inboundPackets.stalled) {
      const e = this.tracks.inboundEnergy;
      const dt = e.last === undefined ? 0 : Math.max(1, t - e.movedAt);
      // Energy "moves" only by more than silence would add over the time since it last moved.
      const threshold = (SILENT_ENERGY_PER_SECOND * dt) / 1000;
      this.step('inboundEnergy', report.inbound.totalAudioEnergy, t, threshold, 'inbound', 'silence', out);
    }
    return out;
  }

  /** Stop judging both directions (the call ended); open stalls are resolved. */
  pause(): WatchdogVerdict[] {
    const out: WatchdogVerdict[] = [];
    this.forget('outboundPackets', 'outbound', out);
    this.forget('inboundPackets', 'inbound', out);
    this.forget('inboundEnergy', 'inbound', out);
    return out;
  }

  private forget(name: keyof MediaWatchdog['tracks'], direction: StallDirection, out: WatchdogVerdict[]): void {
    const track = this.tracks[name];
    if (track.stalled) out.push({ event: 'mediaResumed', stall: { direction, reason: track.stalled, silentForMs: 0 } });
    track.last = undefined;
    track.stalled = undefined;
  }

  private step(
    name: keyof MediaWatchdog['tracks'],
    value: number,
    t: number,
    threshold: number,
    direction: StallDirection,
    reason: StallReason,
    out: WatchdogVerdict[],
  ): void {
    const track = this.tracks[name];
    // First sample, or a counter that went down (new SSRC after a re-INVITE):
    // a new baseline, not a verdict.
    if (track.last === undefined || value < track.last) {
      track.last = value;
      track.movedAt = t;
      return;
    }
    if (value - track.last > threshold) {
      track.last = value;
      const silentForMs = t - track.movedAt;
      track.movedAt = t;
      if (track.stalled) {
        out.push({ event: 'mediaResumed', stall: { direction, reason: track.stalled, silentForMs } });
        track.stalled = undefined;
      }
      return;
    }
    if (!track.stalled && this.stallTimeoutMs > 0 && t - track.movedAt >= this.stallTimeoutMs) {
      track.stalled = reason;
      out.push({ event: 'mediaStalled', stall: { direction, reason, silentForMs: t - track.movedAt } });
    }
  }
}
