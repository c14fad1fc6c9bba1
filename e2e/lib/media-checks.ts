// Media checks shared by the e2e suites (e2e/tests, e2e/rc-scenarios). Packet
// counts only say that RTP arrives; these say what the far side plays out and
// what left the sender:
//
// * Audio power: inbound-rtp `totalAudioEnergy` / `totalSamplesDuration`
//   (W3C webrtc-stats §5.2.4: the sum of audioLevel² × duration of the samples
//   the receiver decoded) is the mean power of what the far side would play,
//   relative to full scale. It is measured in media time, so a loaded machine
//   only makes a window arrive later, never makes it quieter.
// * DTMF heard: the far side's received track goes into Web Audio, where an
//   AudioWorklet runs the Goertzel algorithm on 20 ms windows and names the
//   DTMF digit (row + column frequency pair, ITU-T Q.23) it hears. WebRTC's
//   NetEq turns received RFC 4733 telephone-events into those tones.
// * RTP on the wire: rtp-capture.py prints the clear-text RTP headers one
//   SSRC sent over loopback, so a test sees the telephone-event packets
//   (payload type, marker bit, timestamp) themselves. SRTP hides their
//   payload, so which digit they carry is left to the far-side check.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, type JSHandle, type Page } from '@playwright/test';

/**
 * Mean power (mean square of samples, full scale = 1) above which the far
 * side counts as hearing audio, and below which as silence: -30 dBFS.
 * Chromium's fake microphone (--use-fake-device-for-media-stream, no
 * --use-file-for-fake-audio-capture) plays loud beeps: observed 0.1-0.7 over
 * 1 s windows at the far side (and 0.015 in the quietest 250 ms window). A
 * muted sender (track.enabled = false) sends digital silence: 0 at the far
 * side within about 0.5 s. DTMF tones played by NetEq: about 0.02-0.06.
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

// --- DTMF heard at the far side --------------------------------------------

/**
 * Page side: start naming the DTMF digits `pc`'s received audio carries. The
 * result is in `window.__dtmfHeard` (see dtmfHeard()). A window whose power
 * is almost all in one row and one column frequency names a digit; the same
 * digit counts again only after a quiet window, so the sender must be muted
 * (the fake microphone's beeps never let it be quiet).
 */
export async function startDtmfListener(pc: RTCPeerConnection): Promise<string> {
  const worklet = `
    const ROWS = [697, 770, 852, 941], COLS = [1209, 1336, 1477, 1633];
    const KEYS = ['123A', '456B', '789C', '*0#D'];
    // 20 ms windows every 10 ms: NetEq plays a 100 ms event for only about
    // 40-80 ms here, so a tone must show in a window wherever it falls.
    class DtmfListener extends AudioWorkletProcessor {
      constructor() {
        super();
        this.hop = Math.round(sampleRate * 0.01);
        this.buf = new Float32Array(2 * this.hop);
        this.i = 0;
        this.coef = [...ROWS, ...COLS].map((f) => 2 * Math.cos((2 * Math.PI * f) / sampleRate));
      }
      process(inputs) {
        const x = inputs[0] && inputs[0][0];
        if (!x) return true;
        for (let j = 0; j < x.length; j++) {
          this.buf[this.hop + this.i++] = x[j];
          if (this.i === this.hop) {
            this.frame();
            this.buf.copyWithin(0, this.hop);
            this.i = 0;
          }
        }
        return true;
      }
      // Goertzel power at each DTMF frequency, scaled so that a sine of mean
      // power p at that frequency gives about p. A DTMF digit is one row and
      // one column frequency that carry most of the window's power.
      frame() {
        const b = this.buf, n = b.length;
        let p = 0;
        for (let j = 0; j < n; j++) p += b[j] * b[j];
        p /= n;
        const pw = this.coef.map((k) => {
          let s1 = 0, s2 = 0;
          for (let j = 0; j < n; j++) { const s0 = b[j] + k * s1 - s2; s2 = s1; s1 = s0; }
          return (2 * (s1 * s1 + s2 * s2 - k * s1 * s2)) / (n * n);
        });
        const best = (a) => a.indexOf(Math.max(...a));
        const r = best(pw.slice(0, 4)), c = best(pw.slice(4));
        const tone = p > 1e-5 && pw[r] > 0.2 * p && pw[4 + c] > 0.2 * p && pw[r] + pw[4 + c] > 0.6 * p;
        this.port.postMessage({ key: tone ? KEYS[r][c] : '', p });
      }
    }
    registerProcessor('wwp-dtmf-listener', DtmfListener);`;
  const track = pc.getReceivers().map((r) => r.track).find((t) => t && t.kind === 'audio');
  if (!track) throw new Error('startDtmfListener: no received audio track');
  const w = window as any;
  const ctx: AudioContext = w.__dtmfCtx ?? (w.__dtmfCtx = new AudioContext());
  if (!w.__dtmfModule) w.__dtmfModule = ctx.audioWorklet.addModule(URL.createObjectURL(new Blob([worklet], { type: 'text/javascript' })));
  await w.__dtmfModule;
  w.__dtmfNode?.disconnect();
  const node = (w.__dtmfNode = new AudioWorkletNode(ctx, 'wwp-dtmf-listener'));
  const mute = ctx.createGain();
  mute.gain.value = 0; // pulled through the destination, heard by nobody
  ctx.createMediaStreamSource(new MediaStream([track])).connect(node).connect(mute).connect(ctx.destination);
  w.__dtmfHeard = '';
  w.__dtmfFrames = 0;
  w.__dtmfLog = '';
  let last = '';
  node.port.onmessage = ({ data }) => {
    w.__dtmfFrames++;
    const quiet = data.p <= 1e-5;
    w.__dtmfLog += data.key || (quiet ? '.' : '~');
    if (quiet) last = '';
    else if (data.key && data.key !== last) w.__dtmfHeard += last = data.key;
  };
  await ctx.resume();
  return ctx.state;
}

/**
 * The digits heard since startDtmfListener(), how many windows were analysed,
 * and what each window held ('.' quiet, '~' sound but no digit, or the digit).
 */
export function dtmfHeard(page: Page): Promise<{ digits: string; frames: number; log: string }> {
  return page.evaluate(() => {
    const w = window as any;
    return { digits: w.__dtmfHeard as string, frames: w.__dtmfFrames as number, log: w.__dtmfLog as string };
  });
}

/** Node side: startDtmfListener() on `page` for the peer connection `pc` there. */
export function listenForDtmf(page: Page, pc: JSHandle<RTCPeerConnection | undefined>): Promise<string> {
  return page.evaluate(startDtmfListener as (pc: RTCPeerConnection | undefined) => Promise<string>, pc);
}

// --- RTP on the wire -------------------------------------------------------

export type RtpHeader = { ssrc: number; pt: number; marker: boolean; seq: number; ts: number; payload: number };

const CAPTURE_PY = fileURLToPath(new URL('./rtp-capture.py', import.meta.url));
const PYTHON = process.env.PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/**
 * Start capturing the RTP headers `ssrcs` send over loopback (root, or the
 * mapped root of netns-run.sh, in the loopback-only netns). Resolves once
 * the capture socket is open; `stop()` returns what was seen.
 */
export async function captureRtp(ssrcs: number[]): Promise<{ stop(): Promise<RtpHeader[]> }> {
  const child = spawn(PYTHON, [CAPTURE_PY, ...ssrcs.map(String)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rtp-capture: not ready after 10 s\n${err}`)), 10_000);
    const check = () => {
      if (out.startsWith('ready\n')) { clearTimeout(timer); resolve(); }
    };
    child.stdout.on('data', check);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`rtp-capture exited (${code}) before it was ready:\n${err}`)); });
  });
  return {
    async stop() {
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
      return out.split('\n').filter((l) => l.startsWith('rtp ')).map((l) => {
        const [, ssrc, pt, marker, seq, ts, payload] = l.split(' ').map(Number);
        return { ssrc, pt, marker: marker === 1, seq, ts, payload };
      });
    },
  };
}

/** Payload types an SDP maps to telephone-event (RFC 4733 §7.1.1), any clock rate. */
export function telephoneEventPts(sdp: string): number[] {
  return [...sdp.matchAll(/^a=rtpmap:(\d+) telephone-event\//gim)].map((m) => Number(m[1]));
}

/**
 * RFC 4733 events in a capture: the packets of the given payload types,
 * grouped by RTP timestamp (every packet of one event carries the event's
 * start timestamp, §2.5.1.2), in order of arrival.
 */
export function telephoneEvents(packets: RtpHeader[], pts: number[]) {
  const events: { ts: number; packets: RtpHeader[] }[] = [];
  for (const p of packets) {
    if (!pts.includes(p.pt)) continue;
    const e = events.find((x) => x.ts === p.ts);
    if (e) e.packets.push(p);
    else events.push({ ts: p.ts, packets: [p] });
  }
  return events;
}

/** One end of a call as the DTMF check needs it: its page and its RTCPeerConnection there. */
export type MediaEnd = { page: Page; pc: JSHandle<RTCPeerConnection | undefined> };

/**
 * `send()` makes `from` send `digits` as DTMF; check that they reach `to`:
 * on the wire, `from`'s SSRC sends one RFC 4733 event per digit (packets of a
 * telephone-event payload type from `from`'s remote SDP, grouped by
 * timestamp, each event's first packet with the marker bit, §2.5.1.3); at
 * the far side the tones are heard as exactly `digits`, in order. Mute
 * `from` first (and wait for silence at `to`), so that what `to` hears can
 * only have come from telephone-events.
 *
 * Send tones of 200 ms or more. Chromium 156 sends telephone-event/8000 with
 * an Opus call (although telephone-event/48000 is offered too), its RTP
 * timestamps on the 48 kHz clock; the far side's NetEq then plays a tone for
 * a fraction of its length: 20-50 ms for the default 100 ms, too short to name
 * reliably, and about 60 ms for 200 ms.
 */
export async function expectDtmfDelivered(from: MediaEnd, to: MediaEnd, digits: string, send: () => Promise<unknown>) {
  expect(await listenForDtmf(to.page, to.pc), 'far side AudioContext').toBe('running');
  // Web Audio takes a moment to pull the first samples from a WebRTC track.
  await expect.poll(async () => (await dtmfHeard(to.page)).frames, { message: 'far side audio analysed' }).toBeGreaterThan(10);
  const { ssrc, remoteSdp } = await from.page.evaluate(async (pc) => {
    let ssrc = 0;
    (await pc!.getStats()).forEach((r: any) => { if (r.type === 'outbound-rtp' && r.kind === 'audio') ssrc = r.ssrc; });
    return { ssrc, remoteSdp: pc!.remoteDescription?.sdp ?? '' };
  }, from.pc);
  const pts = telephoneEventPts(remoteSdp);
  expect(pts.length, 'telephone-event negotiated').toBeGreaterThan(0);
  const capture = await captureRtp([ssrc]);
  let packets: RtpHeader[] = [];
  try {
    await send();
    await expect.poll(() => dtmfHeard(to.page), { timeout: 10_000, message: `DTMF heard at the far side` })
      .toMatchObject({ digits });
  } finally {
    packets = await capture.stop();
  }
  const events = telephoneEvents(packets, pts);
  expect(events.map((e) => e.packets[0].marker), `one RFC 4733 event per digit, marker bit on its first packet (ssrc ${ssrc}, pt ${pts})`)
    .toEqual([...digits].map(() => true));
  return { ssrc, pts, events: events.map((e) => ({ ts: e.ts, packets: e.packets.length, pt: e.packets[0].pt, payload: e.packets[0].payload })), audioPackets: packets.length - events.reduce((n, e) => n + e.packets.length, 0) };
}
