// The ringer (wasm-web-phone/ringer, README "Devices") with real WebPhones
// from dist/ and the test kit's fake media against its edge in Node: it
// rings from inboundCall until the call is answered, declined, cancelled
// or ends, only when the app opts in, and reports a browser without
// setSinkId once instead of throwing. Needs a built dist/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { kitPhones, WebPhone } from './lib/kit-phones.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { Ringer } = await import(`${root}/dist/es/ringer.js`);

/** <audio> elements made; `withSink` false: a browser without setSinkId. */
const made = [];
let withSink = true;
globalThis.document = {
  createElement(tag) {
    const el = { tag, src: '', loop: false, volume: 1, currentTime: 0, paused: true, plays: 0, sinkId: '',
      play() { this.plays++; this.paused = false; return Promise.resolve(); },
      pause() { this.paused = true; } };
    if (withSink) el.setSinkId = async (id) => {
      if (id && id !== 'speaker') throw new DOMException('not found', 'NotFoundError');
      el.sinkId = id;
    };
    made.push(el);
    return el;
  },
};

const kit = kitPhones({ extensions: ['101', '102'] });
const phone = kit.phone;
const event = (emitter, name) => new Promise((resolve) => emitter.once(name, resolve));
const T = { timeout: 20_000 };

test('Ringer options are checked at construction', () => {
  assert.throws(() => new Ringer({}), /src .* is required/);
  assert.throws(() => new Ringer({ src: 'r.mp3', volume: 2 }), /volume must be between 0 and 1/);
});

test('the ringer rings on its output from inboundCall until answered, and again until the caller cancels', T, async () => {
  made.length = 0;
  const ringer = new Ringer({ src: '/ring.mp3', deviceId: 'speaker', volume: 0.5 });
  const errors = [];
  ringer.on('error', (e) => errors.push(e));
  const alice = await phone('101', { ringer });
  assert.equal(alice.ringer, ringer);
  const bob = await phone('102');
  assert.equal(made.length, 0, 'nothing made before a call rings');

  let ringing = event(alice, 'inboundCall');
  const call = bob.call('101');
  const session = await ringing;
  const el = ringer.audio;
  assert.ok(el);
  assert.deepEqual([el.src, el.loop, el.volume, el.paused, el.plays], ['/ring.mp3', true, 0.5, false, 1]);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(el.sinkId, 'speaker', 'on the chosen output');
  assert.equal(ringer.ringing, true);
  await session.answer();
  assert.equal(el.paused, true, 'stopped on answer');
  assert.equal(ringer.ringing, false);
  await call;
  await session.hangup();

  ringing = event(alice, 'inboundCall');
  const again = bob.call('101');
  const second = await ringing;
  assert.equal(el.paused, false);
  assert.equal(el.plays, 2);
  const gone = event(second, 'disposed');
  const outbound = bob.callSessions[0];
  await outbound.cancel();
  await gone;
  assert.equal(el.paused, true, 'stopped when the caller cancelled');
  await again.catch(() => {});
  assert.deepEqual(errors, []);
  assert.equal(made.length, 1, 'one element for the phone');
});

test('decline stops it; setDevice rejects with DeviceError NotFound for an unknown id', T, async () => {
  const ringer = new Ringer({ src: '/ring.mp3' });
  const alice = await phone('101', { ringer });
  const bob = await phone('102');
  const ringing = event(alice, 'inboundCall');
  const call = bob.call('101');
  const session = await ringing;
  assert.equal(ringer.audio.paused, false);
  assert.equal(ringer.audio.sinkId, '', 'the default output');
  await assert.rejects(ringer.setDevice('gone'), (e) => e instanceof WebPhone.DeviceError && e.code === 'NotFound');
  await ringer.setDevice('speaker');
  assert.equal(ringer.deviceId, 'speaker');
  await session.decline();
  assert.equal(ringer.audio.paused, true, 'stopped on decline');
  await call.catch(() => {});
});

test('without setSinkId it rings on the default output and reports NotSupported once', T, async () => {
  withSink = false;
  try {
    const ringer = new Ringer({ src: '/ring.mp3', deviceId: 'speaker' });
    const errors = [];
    ringer.on('error', (e) => { errors.push(e); throw new Error('an app listener that throws'); });
    const alice = await phone('101', { ringer });
    const bob = await phone('102');
    for (let i = 0; i < 2; i++) {
      const ringing = event(alice, 'inboundCall');
      const call = bob.call('101');
      const session = await ringing;
      assert.equal(ringer.audio.paused, false, 'rings anyway');
      await new Promise((r) => setTimeout(r, 0));
      await session.decline();
      await call.catch(() => {});
    }
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'NotSupported');
    assert.equal(ringer.deviceId, '');
    await assert.rejects(ringer.setDevice('speaker'), (e) => e.code === 'NotSupported');
  } finally {
    withSink = true;
  }
});

test('no ringer unless the app opts in (RingCentral parity)', T, async () => {
  made.length = 0;
  const alice = await phone('101');
  const bob = await phone('102');
  const ringing = event(alice, 'inboundCall');
  const call = bob.call('101');
  const session = await ringing;
  assert.equal(alice.ringer, undefined);
  await session.decline();
  await call.catch(() => {});
  assert.deepEqual(made, [], 'no audio element made');
});
