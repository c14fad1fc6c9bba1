// Estimated MOS from the ITU-T G.107 E-model, reduced to what a browser's
// stats report: delay, jitter, loss and the codec. No other input of the
// model (echo, noise, loudness) is known in a browser, so they keep G.107's
// default values, which give the base R0 - Is = 93.2 (G.107 §7.7 Table 3).

/** Equipment impairment (Ie) and packet-loss robustness (Bpl) per codec. */
interface CodecImpairment {
  ie: number;
  bpl: number;
}

// G.113 Appendix I: G.711 with packet-loss concealment has Ie 0, Bpl 25.1.
// Opus has no G.113 entry; at WebRTC's voice bitrates it is at least as good
// as G.711 with PLC, so it gets the same figures (an estimate, stated in the
// README): the model then tops out at MOS 4.41 for every codec.
const G711_PLC: CodecImpairment = { ie: 0, bpl: 25.1 };
const IMPAIRMENTS: Record<string, CodecImpairment> = {
  'audio/pcmu': G711_PLC,
  'audio/pcma': G711_PLC,
  'audio/opus': G711_PLC,
  'audio/g722': { ie: 0, bpl: 25.1 }, // wideband, scored on the narrowband scale like the rest
};
/** Unknown codecs: G.113's figure for a generic low-rate codec without PLC robustness. */
const UNKNOWN: CodecImpairment = { ie: 10, bpl: 19 };

export interface MosInput {
  /** Round-trip time, ms. */
  rttMs?: number;
  /** Inbound interarrival jitter, ms (RFC 3550 §6.4.1). */
  jitterMs?: number;
  /** Packet loss over the interval, percent 0–100. */
  lossPercent?: number;
  /** Codec MIME type as in RTCCodecStats (`audio/opus`). */
  mimeType?: string;
}

/** G.107 §7.3: the delay impairment Id for a one-way mouth-to-ear delay `d` ms (no echo). */
export function delayImpairment(d: number): number {
  return 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
}

/** G.107 §B: R (0–100) to MOS (1–4.5). */
export function rToMos(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

/**
 * The E-model's R factor and MOS for one interval. One-way delay is half
 * the RTT plus a jitter buffer of twice the jitter plus 20 ms of packet
 * time (a common reading of G.107 for VoIP without a measured buffer).
 */
export function estimateMos(input: MosInput): { r: number; mos: number } {
  const codec = IMPAIRMENTS[(input.mimeType ?? '').toLowerCase()] ?? UNKNOWN;
  const d = (input.rttMs ?? 0) / 2 + 2 * (input.jitterMs ?? 0) + 20;
  const ppl = Math.min(100, Math.max(0, input.lossPercent ?? 0));
  // G.107 §7.4: effective equipment impairment under random loss.
  const ieEff = codec.ie + ((95 - codec.ie) * ppl) / (ppl + codec.bpl);
  const r = Math.max(0, Math.min(100, 93.2 - delayImpairment(d) - ieEff));
  return { r, mos: Math.round(rToMos(r) * 100) / 100 };
}
