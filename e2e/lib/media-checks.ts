// Media checks shared by the e2e suites (e2e/tests, e2e/rc-scenarios). Packet
// counts only say that RTP arrives; these say what the far side plays out:
//
// * Audio power: inbound-rtp `totalAudioEnergy` / `totalSamplesDuration`
//   (W3C webrtc-stats §5.2.4: the sum of audioLevel² × duration of the samples
//   the receiver decoded) is the mean power of what the far side would play,
//   relative to full scale. It is measured in media time, so a loaded machine
//   only makes a window arrive later, never makes it quieter.

/**
 * Mean power (mean square of samples, full scale = 1) above which the far
 * side counts as hearing audio, and below which as silence: -30 dBFS.
 * Chromium's fake microphone (--use-fake-device-for-media-stream, no
 * --use-file-for-fake-audio-capture) plays loud beeps: observed 0.1-0.7 over
 * 1 s windows at the far side (and 0.015 in the quietest 250 ms window). A
 * muted sender (track.enabled = false) sends digital silence: 0 at the far
 * side within about 0.5 s.
 */
export const AUDIO_POWER_MIN = 1e-3;

/** Cumulative inbound-rtp audio counters of one peer connection. */
export type InboundAudio = { packets: number; energy: number; duration: number };

/** Mean power of the audio decoded between two snapshots (0 when no time passed). */
export function meanPower(from: InboundAudio, to: InboundAudio): number {
  const d = to.duration - from.duration;
  return d > 0 ? (to.energy - from.energy) / d : 0;
}

/**
 * Keeps the snapshots a poll takes and answers for the latest window of at
 * least `seconds` of decoded audio: its mean power, or undefined while less
 * audio than that has been decoded since the first snapshot.
 */
export class PowerWindow {
  private samples: InboundAudio[] = [];
  constructor(private readonly seconds: number) {}
  add(s: InboundAudio): { power: number | undefined; packets: number; seconds: number } {
    this.samples.push(s);
    const first = this.samples[0];
    let from: InboundAudio | undefined;
    for (const x of this.samples) if (s.duration - x.duration >= this.seconds) from = x;
    return {
      power: from ? meanPower(from, s) : undefined,
      packets: s.packets - first.packets,
      seconds: +(s.duration - first.duration).toFixed(2),
    };
  }
}
