// A call's quality report, read from an RTCPeerConnection's getStats()
// (W3C webrtc-stats). Rates and loss are per interval: the difference to the
// previous report of the same call. A counter that went down (a new
// transceiver or SSRC after an ICE restart or a re-INVITE) starts a new
// baseline instead of giving a negative rate.
import { estimateMos } from './mos.js';

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export interface CandidateInfo {
  type: CandidateType | undefined;
  protocol: string | undefined;
  address: string | undefined;
  port: number | undefined;
}

export interface CallQualityReport {
  /** When the stats were taken (the stats' own timestamp, ms). */
  timestamp: number;
  /** ms covered by the interval figures (0 for a call's first report). */
  intervalMs: number;
  codec: { mimeType: string; clockRate: number | undefined; payloadType: number | undefined } | undefined;
  /** Round-trip time, ms: the selected candidate pair's STUN RTT, else RTCP's. */
  rttMs: number | undefined;
  inbound: {
    packets: number;
    packetsLost: number;
    /** Over the interval (the whole call in the first report), percent. */
    lossPercent: number;
    jitterMs: number | undefined;
    bitrateKbps: number | undefined;
    /** 0–1, the last played audio level. */
    audioLevel: number | undefined;
    totalAudioEnergy: number | undefined;
  };
  outbound: {
    packets: number;
    /** As the far end reported by RTCP (remote-inbound-rtp). */
    packetsLost: number | undefined;
    lossPercent: number | undefined;
    jitterMs: number | undefined;
    bitrateKbps: number | undefined;
    /** 0–1, the microphone's level (media-source). */
    audioLevel: number | undefined;
  };
  candidatePair: { local: CandidateInfo; remote: CandidateInfo } | undefined;
  /** Estimated MOS (ITU-T G.107 E-model, 1–4.5) from RTT, jitter, inbound loss and codec. */
  mos: number | undefined;
  /** ms from `call()` (or the incoming INVITE) to our INVITE or answer on the wire. */
  timeToInviteMs?: number;
  /** ms from `call()` (or answer()) to the first inbound audio packet. */
  timeToMediaMs?: number;
}

type Stat = Record<string, any> & { type: string; id: string; timestamp: number };
/** What getStats() resolves to: RTCStatsReport, or any iterable of stats. */
export type StatsLike = { forEach(fn: (s: Stat) => void): void } | Iterable<Stat>;

function collect(stats: StatsLike): Map<string, Stat> {
  const byId = new Map<string, Stat>();
  const add = (s: Stat) => byId.set(s.id, s);
  if (typeof (stats as { forEach?: unknown }).forEach === 'function') (stats as { forEach(fn: (s: Stat) => void): void }).forEach(add);
  else for (const s of stats as Iterable<Stat>) add(s);
  return byId;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const ms = (seconds: unknown): number | undefined => {
  const s = num(seconds);
  return s === undefined ? undefined : Math.round(s * 10000) / 10;
};
/** `now - before`, or `now` itself when the counter restarted (or there is no before). */
const delta = (now: number, before: number | undefined): number => (before === undefined || now < before ? now : now - before);

function firstOfType(byId: Map<string, Stat>, type: string, kind = 'audio'): Stat | undefined {
  for (const s of byId.values()) if (s.type === type && (s.kind ?? s.mediaType ?? kind) === kind) return s;
  return undefined;
}

function selectedPair(byId: Map<string, Stat>): Stat | undefined {
  for (const s of byId.values()) {
    if (s.type === 'transport' && s.selectedCandidatePairId) return byId.get(s.selectedCandidatePairId);
  }
  // Firefox marks the pair instead of naming it on the transport.
  for (const s of byId.values()) if (s.type === 'candidate-pair' && (s.selected || (s.nominated && s.state === 'succeeded'))) return s;
  return undefined;
}

function candidate(s: Stat | undefined): CandidateInfo {
  return { type: s?.candidateType, protocol: s?.protocol, address: s?.address ?? s?.ip, port: num(s?.port) };
}

/**
 * One report from a stats snapshot; `previous` is the same call's last
 * report (for interval rates and loss), or undefined for the first.
 */
export function buildQualityReport(stats: StatsLike, previous?: CallQualityReport): CallQualityReport {
  const byId = collect(stats);
  const inRtp = firstOfType(byId, 'inbound-rtp');
  const outRtp = firstOfType(byId, 'outbound-rtp');
  const remoteIn = firstOfType(byId, 'remote-inbound-rtp');
  const source = firstOfType(byId, 'media-source');
  const pair = selectedPair(byId);
  const codecStat = byId.get(inRtp?.codecId ?? outRtp?.codecId ?? '');

  const timestamp = num(inRtp?.timestamp) ?? num(outRtp?.timestamp) ?? num(pair?.timestamp) ?? 0;
  const intervalMs = previous && timestamp > previous.timestamp ? timestamp - previous.timestamp : 0;
  const kbps = (bytes: number | undefined, before: number | undefined) =>
    bytes === undefined || !intervalMs ? undefined : Math.round((delta(bytes, before) * 8) / intervalMs * 10) / 10;

  const inPackets = num(inRtp?.packetsReceived) ?? 0;
  const inLost = Math.max(0, num(inRtp?.packetsLost) ?? 0);
  const dReceived = delta(inPackets, previous?.inbound.packets);
  // packetsLost is expected minus received (RFC 3550 §6.4.1): a late or
  // duplicate packet lowers it, so a fall means none lost, not a new stream
  // (read as one, it showed ~50 % loss and a MOS near 1.6 for a second). A
  // new stream shows in packetsReceived falling.
  const restarted = previous !== undefined && inPackets < previous.inbound.packets;
  const dLost = restarted || previous === undefined ? inLost : Math.max(0, inLost - previous.inbound.packetsLost);
  const inLossPercent = dReceived + dLost > 0 ? Math.round((dLost / (dReceived + dLost)) * 1000) / 10 : 0;

  const outLost = num(remoteIn?.packetsLost);
  const fraction = num(remoteIn?.fractionLost);
  const rttMs = ms(pair?.currentRoundTripTime) ?? ms(remoteIn?.roundTripTime);
  const jitterMs = ms(inRtp?.jitter);
  const mimeType = codecStat?.mimeType as string | undefined;

  const report: CallQualityReport = {
    timestamp,
    intervalMs,
    codec: mimeType ? { mimeType, clockRate: num(codecStat?.clockRate), payloadType: num(codecStat?.payloadType) } : undefined,
    rttMs,
    inbound: {
      packets: inPackets,
      packetsLost: inLost,
      lossPercent: inLossPercent,
      jitterMs,
      bitrateKbps: kbps(num(inRtp?.bytesReceived), (previous as Internal | undefined)?._inBytes),
      audioLevel: num(inRtp?.audioLevel),
      totalAudioEnergy: num(inRtp?.totalAudioEnergy),
    },
    outbound: {
      packets: num(outRtp?.packetsSent) ?? 0,
      packetsLost: outLost,
      // RTCP's fraction lost is already per report interval (RFC 3550 §6.4.1).
      lossPercent: fraction === undefined ? undefined : Math.round(fraction * 1000) / 10,
      jitterMs: ms(remoteIn?.jitter),
      bitrateKbps: kbps(num(outRtp?.bytesSent), (previous as Internal | undefined)?._outBytes),
      audioLevel: num(source?.audioLevel),
    },
    candidatePair: pair ? { local: candidate(byId.get(pair.localCandidateId)), remote: candidate(byId.get(pair.remoteCandidateId)) } : undefined,
    mos: inRtp || rttMs !== undefined ? estimateMos({ rttMs, jitterMs, lossPercent: inLossPercent, mimeType }).mos : undefined,
  };
  // Byte counters for the next interval's bitrates, kept off the public shape.
  Object.defineProperties(report, {
    _inBytes: { value: num(inRtp?.bytesReceived), enumerable: false },
    _outBytes: { value: num(outRtp?.bytesSent), enumerable: false },
  });
  return report;
}

type Internal = CallQualityReport & { _inBytes?: number; _outBytes?: number };
