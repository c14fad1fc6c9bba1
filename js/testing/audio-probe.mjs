// @ts-check
/**
 * Is the app really hearing the far side? (README "Testing your app".) Packet
 * counts say that RTP arrives, not that it carries sound: this listens to what
 * the page receives. Works for any SDK: an init script keeps every
 * RTCPeerConnection the page creates, and the check feeds each live received
 * audio track into Web Audio and runs the Goertzel algorithm at the expected
 * frequency over 2048-sample windows (about 43 ms at 48 kHz).
 *
 * A window counts as "the tone" when its mean power is above -40 dBFS and at
 * least half of it is at that frequency. The far side's tone is a sine at
 * -6 dBFS (power 0.125); a muted sender sends digital silence (power 0), and
 * Chromium's fake microphone beeps at another pitch.
 * @module wasm-web-phone/testing/audio-probe
 */

/** Run in the page before its scripts (context.addInitScript): keep every peer connection. */
export function recordPeerConnections() {
  const w = /** @type {any} */ (globalThis);
  const Original = w.RTCPeerConnection;
  if (!Original || Original.__wwpKit) return;
  /** @type {RTCPeerConnection[]} */
  const all = (w.__wwpKitPeerConnections = []);
  class Recorded extends Original {
    /** @param {any[]} args */
    constructor(...args) {
      super(...args);
      all.push(this);
    }
  }
  Object.defineProperty(Recorded, '__wwpKit', { value: true });
  Object.defineProperty(Recorded, 'name', { value: 'RTCPeerConnection' });
  w.RTCPeerConnection = Recorded;
}

/**
 * Page side: listen for `hz` on every received audio track until it has been
 * heard for `holdMs` in a row, or `timeoutMs` passed. Returns what it measured.
 * @param {{hz: number, holdMs: number, timeoutMs: number}} o
 */
export async function listenForTone({ hz, holdMs, timeoutMs }) {
  const w = /** @type {any} */ (globalThis);
  const pcs = /** @type {RTCPeerConnection[] | undefined} */ (w.__wwpKitPeerConnections);
  if (!pcs) return { heard: false, why: 'the audio probe is not installed in this page (use the kit\'s page fixture, or import recordPeerConnections from wasm-web-phone/testing/playwright and await context.addInitScript(recordPeerConnections) before the page loads)' };
  const ctx = new AudioContext();
  await ctx.resume();
  const N = 2048;
  const k = 2 * Math.cos((2 * Math.PI * hz) / ctx.sampleRate);
  const buf = new Float32Array(N);
  /** @type {Map<MediaStreamTrack, AnalyserNode>} */
  const analysers = new Map();
  // Every live received audio track, including one that arrives while we listen.
  const listen = () => {
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      for (const { track: t } of pc.getReceivers()) {
        if (!t || t.kind !== 'audio' || t.readyState !== 'live' || analysers.has(t)) continue;
        const a = ctx.createAnalyser();
        a.fftSize = N;
        ctx.createMediaStreamSource(new MediaStream([t])).connect(a);
        analysers.set(t, a);
      }
    }
  };
  const t0 = performance.now();
  let since = -1;
  let best = { power: 0, share: 0 };
  try {
    for (;;) {
      const now = performance.now();
      let tone = false;
      listen();
      for (const a of analysers.values()) {
        a.getFloatTimeDomainData(buf);
        let p = 0, s1 = 0, s2 = 0;
        for (let j = 0; j < N; j++) { p += buf[j] * buf[j]; const s0 = buf[j] + k * s1 - s2; s2 = s1; s1 = s0; }
        p /= N;
        const atHz = (2 * (s1 * s1 + s2 * s2 - k * s1 * s2)) / (N * N);
        const share = p > 0 ? atHz / p : 0;
        if (p > best.power) best = { power: +p.toFixed(5), share: +share.toFixed(2) };
        if (p > 1e-4 && share > 0.5) tone = true;
      }
      if (!tone) since = -1;
      else if (since < 0) since = now;
      if (since >= 0 && now - since >= holdMs) return { heard: true, afterMs: Math.round(now - t0), tracks: analysers.size };
      if (now - t0 > timeoutMs) {
        return { heard: false, why: analysers.size === 0 ? `the page received no audio track within ${timeoutMs} ms (no live call?)`
          : `no ${hz} Hz tone for ${holdMs} ms within ${timeoutMs} ms on ${analysers.size} received track(s); loudest window: power ${best.power}, ${Math.round(best.share * 100)}% at ${hz} Hz` };
      }
      await new Promise((r) => setTimeout(r, 40));
    }
  } finally {
    void ctx.close();
  }
}
