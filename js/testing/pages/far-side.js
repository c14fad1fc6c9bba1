// @ts-nocheck
// The far side of an app's test calls (README "Testing your app"): one
// wasm-web-phone registered as an extension of the test server, whose
// microphone is a Web Audio oscillator, so that a test decides what the app
// hears: a tone of a known frequency, or silence. Driven by the Playwright
// fixture (js/testing/playwright.mjs) through window.farSide.
(() => {
  const audio = { ctx: undefined, osc: undefined, gain: undefined, dest: undefined };
  // getUserMedia → the oscillator's stream (one per call, all from the same source).
  function microphone() {
    if (!audio.ctx) {
      audio.ctx = new AudioContext();
      audio.osc = audio.ctx.createOscillator();
      audio.gain = audio.ctx.createGain();
      audio.gain.gain.value = 0;
      audio.dest = audio.ctx.createMediaStreamDestination();
      audio.osc.connect(audio.gain).connect(audio.dest);
      audio.osc.start();
    }
    void audio.ctx.resume();
    return new MediaStream(audio.dest.stream.getAudioTracks().map((t) => t.clone()));
  }
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    if (constraints && constraints.video) throw new DOMException('the far side has no camera', 'NotFoundError');
    return microphone();
  };

  const calls = [];
  const events = new Map(); // session → the events it emitted (kept off the session object)
  let phone;
  const ended = (s) => events.get(s).includes('disposed');
  const live = () => calls.filter((s) => !ended(s));
  function track(s) {
    if (events.has(s)) return;
    events.set(s, []);
    for (const ev of ['ringing', 'answered', 'failed', 'disposed']) s.on(ev, () => events.get(s).push(ev));
    calls.push(s);
  }
  function current(index) {
    const s = index === undefined ? live().at(-1) : calls[index];
    if (!s) throw new Error(index === undefined ? 'the far side has no live call' : `the far side has no call #${index}`);
    return s;
  }
  function describe(s) {
    return { index: calls.indexOf(s), direction: s.direction, state: s.state, callId: s.callId,
      remoteNumber: s.remoteNumber, ended: ended(s), events: [...events.get(s)] };
  }

  window.farSide = {
    async start(sipInfo) {
      phone = new WebPhone({ sipInfo, autoAnswer: false });
      phone.on('inboundCall', track);
      phone.on('outboundCall', track);
      await phone.start();
      return true;
    },
    /** Play a sine of `hz` at -6 dBFS into every call (0: silence). */
    tone(hz) {
      microphone();
      if (hz > 0) audio.osc.frequency.value = hz;
      audio.gain.gain.value = hz > 0 ? 0.5 : 0;
      return true;
    },
    async call(target) {
      const s = await phone.call(target);
      return describe(s);
    },
    async waitForCall(timeoutMs) {
      const t0 = Date.now();
      for (;;) {
        const s = live().find((x) => x.direction === 'inbound' && x.state === 'ringing');
        if (s) return describe(s);
        if (Date.now() - t0 > timeoutMs) throw new Error(`no call reached the far side within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async act(action, index, arg) {
      const s = current(index);
      switch (action) {
        case 'answer': await s.answer(); break;
        case 'decline': await s.decline(); break;
        case 'hangup': await s.hangup(); break;
        case 'hold': await s.hold(); break;
        case 'unhold': await s.unhold(); break;
        case 'mute': s.mute(); break;
        case 'unmute': s.unmute(); break;
        case 'sendDtmf': s.sendDtmf(arg); break;
        case 'transfer': await s.transfer(arg); break;
        default: throw new Error(`far side: unknown action ${action}`);
      }
      return describe(s);
    },
    calls() { return calls.map(describe); },
    async stop() { if (phone) await phone.dispose(); return true; },
  };
})();
