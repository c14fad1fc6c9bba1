// The `ice` option (js/media/ice-options.ts, README "ICE"): defaults,
// sipInfo.stunServers merged in, and a clear error for every bad value,
// given by the WebPhone constructor (not at the first call).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { iceSettings } = await import(`${root}dist/es/media/ice-options.js`);
const { default: WebPhone } = await import(`${root}dist/es/index.js`);

test('ice: defaults keep the original 2 s cap; stunServers become stun: URLs ahead of the app\'s servers', () => {
  assert.deepEqual(iceSettings(undefined), { gatheringTimeout: 2000, gatheringGrace: 300, hostGrace: 50, iceTransportPolicy: 'all', iceCandidatePoolSize: 0, iceServers: [] });
  const turn = { urls: 'turn:turn.example.test:3478', username: 'u', credential: 'c' };
  const s = iceSettings({ gatheringTimeout: 800, iceServers: [turn], iceTransportPolicy: 'relay' }, ['stun.example.test:19302']);
  assert.deepEqual(s.iceServers, [{ urls: 'stun:stun.example.test:19302' }, turn]);
  assert.equal(s.gatheringTimeout, 800);
  assert.equal(s.gatheringGrace, 300);
  assert.equal(iceSettings({ iceServers: [{ urls: ['stun:a.test', 'turns:b.test'] }], iceTransportPolicy: 'relay' }).iceTransportPolicy, 'relay');
});

test('ice: bad values are refused with the option named', () => {
  const bad = [
    [{ gatheringTimeout: -1 }, /ice.gatheringTimeout must be a number >= 0/],
    [{ gatheringGrace: '300' }, /ice.gatheringGrace must be a number/],
    [{ hostGrace: -5 }, /ice.hostGrace must be a number >= 0, got -5/],
    [{ iceCandidatePoolSize: NaN }, /ice.iceCandidatePoolSize/],
    [{ iceTransportPolicy: 'none' }, /iceTransportPolicy must be 'all' or 'relay'/],
    [{ iceTransportPolicy: 'relay' }, /'relay' needs a TURN server/],
    [{ iceTransportPolicy: 'relay', iceServers: [{ urls: 'stun:s.test' }] }, /'relay' needs a TURN server/],
    [{ gatheringTimout: 100 }, /ice.gatheringTimout is not an option/],
    ['fast', /ice must be an object/],
  ];
  for (const [options, message] of bad) assert.throws(() => iceSettings(options), message, JSON.stringify(options));
  const sipInfo = { username: '101', authorizationId: '101', password: 'pw', domain: 'example.test', outboundProxy: 'x.invalid:443' };
  assert.throws(() => new WebPhone({ sipInfo, ice: { iceTransportPolicy: 'relay' } }), /'relay' needs a TURN server/);
  assert.throws(() => new WebPhone({ sipInfo, callQuality: { stallTimeout: -5 } }), /callQuality.stallTimeout must be a number of ms >= 0/);
  assert.throws(() => new WebPhone({ sipInfo, callQuality: { reportEvery: 5 } }), /callQuality.reportEvery is not an option/);
});
