// Call quality arithmetic (js/quality: report, E-model MOS, watchdog) in
// Node on hand-written webrtc-stats snapshots shaped as Chromium's; the
// browser e2e tests read the same code on real calls.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { buildQualityReport } = await import(`${root}dist/es/quality/report.js`);
const { estimateMos, rToMos, delayImpairment } = await import(`${root}dist/es/quality/mos.js`);
const { MediaWatchdog } = await import(`${root}dist/es/quality/watchdog.js`);

/** A Chromium-shaped stats snapshot at `t` ms (RTCStatsReport is a Map). */
function snapshot(t, { inPackets = 0, inLost = 0, inBytes = 0, energy = 0, outPackets = 0, outBytes = 0, rtt = 0.004, jitter = 0.002, fraction = 0, omit = [] } = {}) {
  const stats = [
    { id: 'T01', type: 'transport', timestamp: t, selectedCandidatePairId: 'CP1' },
    { id: 'CP1', type: 'candidate-pair', timestamp: t, localCandidateId: 'L1', remoteCandidateId: 'R1', currentRoundTripTime: rtt, state: 'succeeded', nominated: true },
    { id: 'L1', type: 'local-candidate', timestamp: t, candidateType: 'host', protocol: 'udp', address: '127.0.0.1', port: 50000 },
    { id: 'R1', type: 'remote-candidate', timestamp: t, candidateType: 'srflx', protocol: 'udp', address: '127.0.0.1', port: 50002 },
    { id: 'COT01', type: 'codec', timestamp: t, mimeType: 'audio/opus', clockRate: 48000, payloadType: 111 },
    { id: 'IT01', type: 'inbound-rtp', kind: 'audio', timestamp: t, codecId: 'COT01', packetsReceived: inPackets, packetsLost: inLost, bytesReceived: inBytes, jitter, audioLevel: 0.3, totalAudioEnergy: energy },
    { id: 'OT01', type: 'outbound-rtp', kind: 'audio', timestamp: t, codecId: 'COT01', packetsSent: outPackets, bytesSent: outBytes },
    { id: 'RI01', type: 'remote-inbound-rtp', kind: 'audio', timestamp: t, packetsLost: 1, fractionLost: fraction, jitter: 0.003, roundTripTime: 0.01 },
    { id: 'S1', type: 'media-source', kind: 'audio', timestamp: t, audioLevel: 0.2 },
  ].filter((s) => !omit.includes(s.type));
  return new Map(stats.map((s) => [s.id, s]));
}

test('E-model: G.107 reference points (R 93.2 -> MOS 4.41; delay and loss lower it)', () => {
  assert.equal(Math.round(rToMos(93.2) * 100) / 100, 4.41);
  assert.equal(rToMos(0), 1);
  assert.equal(rToMos(120), 4.5);
  assert.equal(delayImpairment(100), 2.4);
  assert.ok(Math.abs(delayImpairment(300) - (7.2 + 0.11 * 122.7)) < 1e-9); // the knee at 177.3 ms
  const clean = estimateMos({ rttMs: 2, jitterMs: 1, lossPercent: 0, mimeType: 'audio/opus' });
  assert.ok(clean.mos > 4.3 && clean.mos <= 4.41, `loopback quality gives ${clean.mos}`);
  const lossy = estimateMos({ rttMs: 2, jitterMs: 1, lossPercent: 5, mimeType: 'audio/opus' });
  const slow = estimateMos({ rttMs: 600, jitterMs: 1, lossPercent: 0, mimeType: 'audio/opus' });
  assert.ok(lossy.mos < clean.mos && lossy.mos > 3 && lossy.mos < 4.2, `5 % loss gives ${lossy.mos}`);
  assert.ok(slow.mos < 4, `600 ms RTT gives ${slow.mos}`);
  assert.ok(estimateMos({ lossPercent: 5, mimeType: 'audio/x-unknown' }).mos < lossy.mos, 'an unknown codec is scored more harshly');
});

test('report: figures from a Chromium-shaped snapshot; interval loss and bitrate from the previous report', () => {
  const first = buildQualityReport(snapshot(1000, { inPackets: 50, inBytes: 5000, outPackets: 50, outBytes: 4000 }));
  assert.equal(first.intervalMs, 0);
  assert.equal(first.inbound.bitrateKbps, undefined, 'no rate without an interval');
  assert.deepEqual(first.codec, { mimeType: 'audio/opus', clockRate: 48000, payloadType: 111 });
  assert.equal(first.rttMs, 4);
  assert.equal(first.inbound.jitterMs, 2);
  assert.equal(first.outbound.jitterMs, 3);
  assert.deepEqual(first.candidatePair.local, { type: 'host', protocol: 'udp', address: '127.0.0.1', port: 50000 });
  assert.equal(first.candidatePair.remote.type, 'srflx');
  assert.equal(first.outbound.audioLevel, 0.2);
  assert.ok(first.mos > 4.3);
  assert.equal(JSON.stringify(first).includes('_inBytes'), false, 'internal counters stay off the public shape');

  // 1 s later: 45 more received, 5 more lost (10 %), 10,000 more bytes (80 kbps).
  const second = buildQualityReport(snapshot(2000, { inPackets: 95, inLost: 5, inBytes: 15000, outPackets: 100, outBytes: 9000, fraction: 0.25 }), first);
  assert.equal(second.intervalMs, 1000);
  assert.equal(second.inbound.lossPercent, 10);
  assert.equal(second.inbound.bitrateKbps, 80);
  assert.equal(second.outbound.bitrateKbps, 40);
  assert.equal(second.outbound.lossPercent, 25);
  assert.ok(second.mos < first.mos, 'loss lowers the MOS');
});

test('report: counter resets start a new baseline; missing stats give undefined, never NaN or a throw', () => {
  const before = buildQualityReport(snapshot(1000, { inPackets: 500, inBytes: 50000 }));
  // After an ICE restart the new SSRC's counters start again from zero.
  const after = buildQualityReport(snapshot(2000, { inPackets: 40, inBytes: 4000 }), before);
  assert.equal(after.inbound.lossPercent, 0);
  assert.equal(after.inbound.bitrateKbps, 32, 'the counter since the reset, not a negative rate');

  // A late packet lowers packetsLost (expected minus received): no loss, not a new stream.
  const lossy = buildQualityReport(snapshot(3000, { inPackets: 1000, inLost: 50, inBytes: 100000 }), after);
  const late = buildQualityReport(snapshot(4000, { inPackets: 1050, inLost: 49, inBytes: 105000 }), lossy);
  assert.equal(late.inbound.lossPercent, 0, 'a lost counter that fell by one');
  assert.ok(late.mos > 4.3, `MOS ${late.mos} after a reordered packet`);
  const next = buildQualityReport(snapshot(5000, { inPackets: 1095, inLost: 54, inBytes: 110000 }), late);
  assert.equal(next.inbound.lossPercent, 10, 'counted from the lowered figure on');

  const bare = buildQualityReport(snapshot(1000, { omit: ['inbound-rtp', 'remote-inbound-rtp', 'media-source', 'transport', 'candidate-pair', 'codec'] }));
  assert.equal(bare.inbound.packets, 0);
  assert.equal(bare.rttMs, undefined);
  assert.equal(bare.codec, undefined);
  assert.equal(bare.candidatePair, undefined);
  assert.equal(bare.mos, undefined, 'no MOS without inbound media or an RTT');
  assert.equal(JSON.stringify(bare).includes('NaN'), false);
  assert.deepEqual(buildQualityReport([]).inbound.packets, 0, 'any iterable of stats, even empty');

  // Firefox names no selected pair on a transport; it marks the pair.
  const ff = snapshot(1000, { omit: ['transport'] });
  ff.get('CP1').selected = true;
  assert.equal(buildQualityReport(ff).candidatePair.remote.type, 'srflx');
});

/** Reports every `step` ms with counters from `f(t)`. */
function feed(dog, from, to, step, f) {
  const verdicts = [];
  for (let t = from; t <= to; t += step) {
    for (const v of dog.sample(buildQualityReport(snapshot(t, f(t))))) verdicts.push({ t, ...v });
  }
  return verdicts;
}

test('watchdog: inbound packets stop -> mediaStalled within the timeout; they return -> mediaResumed', () => {
  const dog = new MediaWatchdog(3000);
  const flowing = (t) => ({ inPackets: t / 20, outPackets: t / 20, energy: t / 1000 });
  assert.deepEqual(feed(dog, 0, 5000, 500, flowing), []);
  // Inbound stops at 5000 ms; outbound goes on.
  const stopped = feed(dog, 5500, 10000, 500, (t) => ({ inPackets: 250, outPackets: t / 20, energy: 5 }));
  assert.equal(stopped.length, 1);
  assert.deepEqual(stopped[0], { t: 8000, event: 'mediaStalled', stall: { direction: 'inbound', reason: 'noPackets', silentForMs: 3000 } });
  const back = feed(dog, 10500, 11000, 500, (t) => ({ inPackets: t / 20, outPackets: t / 20, energy: t / 1000 }));
  assert.deepEqual(back.map((v) => [v.t, v.event, v.stall.direction, v.stall.silentForMs]), [[10500, 'mediaResumed', 'inbound', 5500]]);
});

test('watchdog: outbound stop, and inbound digital silence while packets flow', () => {
  const dog = new MediaWatchdog(2000);
  feed(dog, 0, 1000, 500, (t) => ({ inPackets: t / 20, outPackets: t / 20, energy: t / 1000 }));
  const v = feed(dog, 1500, 4000, 500, (t) => ({ inPackets: t / 20, outPackets: 50, energy: 1 }));
  assert.deepEqual(v.map((x) => [x.t, x.event, x.stall.direction, x.stall.reason]), [
    [3000, 'mediaStalled', 'outbound', 'noPackets'],
    [3000, 'mediaStalled', 'inbound', 'silence'],
  ]);
  // Faint but real audio is not silence.
  const faint = new MediaWatchdog(2000);
  assert.deepEqual(feed(faint, 0, 6000, 500, (t) => ({ inPackets: t / 20, outPackets: t / 20, energy: t * 1e-6 })), []);
});

test('watchdog: pause() (hold) resolves open stalls and a long pause is not a stall; 0 disables it', () => {
  const dog = new MediaWatchdog(1000);
  feed(dog, 0, 500, 500, (t) => ({ inPackets: t / 20, outPackets: t / 20, energy: t / 1000 }));
  assert.equal(feed(dog, 1000, 2000, 500, () => ({ inPackets: 25, outPackets: 25, energy: 0.5 })).length, 2, "inbound and outbound stop; silence is not judged without packets");
  const resumed = dog.pause();
  assert.deepEqual(resumed.map((v) => [v.event, v.stall.direction]).sort(), [['mediaResumed', 'inbound'], ['mediaResumed', 'outbound']]);
  // Back from hold much later: the first sample is a baseline, not a 60 s stall.
  assert.deepEqual(feed(dog, 60000, 60500, 500, (t) => ({ inPackets: t / 20, outPackets: t / 20, energy: t / 1000 })), []);
  const off = new MediaWatchdog(0);
  assert.deepEqual(feed(off, 0, 10000, 500, () => ({ inPackets: 1, outPackets: 1, energy: 0 })), []);
});

test('watchdog: a direction not expected to carry media (hold, recvonly) is not judged, and its open stall resolves', () => {
  const dog = new MediaWatchdog(1000);
  const held = { inbound: false, outbound: true };
  const run = (from, to, f, expect) => {
    const out = [];
    for (let t = from; t <= to; t += 500) for (const v of dog.sample(buildQualityReport(snapshot(t, f(t))), expect)) out.push([t, v.event, v.stall.direction]);
    return out;
  };
  // Inbound stops while we hold the call: 30 s without a verdict.
  assert.deepEqual(run(0, 30000, (t) => ({ inPackets: 10, outPackets: t / 20, energy: 0.1 }), held), []);
  // Off hold, inbound still dead: judged again from a fresh baseline.
  assert.deepEqual(run(30500, 32000, (t) => ({ inPackets: 10, outPackets: t / 20, energy: 0.1 })), [[31500, 'mediaStalled', 'inbound']]);
  // Held again: the open stall is resolved at once.
  assert.deepEqual(run(32500, 32500, (t) => ({ inPackets: 10, outPackets: t / 20, energy: 0.1 }), held), [[32500, 'mediaResumed', 'inbound']]);
});

test('qualityReport covers its whole interval: the watchdog\'s samples and the app\'s getStats() do not move its baseline', async () => {
  const { CallQuality } = await import(`${root}dist/es/call-session/call-quality.js`);
  let k = 0;
  // Sample k: 100 packets a sample; 50 lost between samples 2 and 3 only.
  const pc = { addEventListener() {}, removeEventListener() {}, getTransceivers: () => [],
    getStats: async () => { k++; return snapshot(k * 50, { inPackets: 100 * k, inLost: k >= 3 ? 50 : 0, inBytes: 10000 * k }); } };
  const reports = [];
  const session = { state: 'answered', rtcPeerConnection: pc, webRtcSession: undefined, emit: (name, r) => name === 'qualityReport' && reports.push(r), expectedMedia: () => ({ inbound: true, outbound: true }) };
  const quality = new CallQuality(session);
  quality.attach(pc, { reportInterval: 250, sampleInterval: 50, stallTimeout: 1000 }, () => {});
  try {
    await quality.report(); // the app reads its own figures meanwhile
    for (let waited = 0; reports.length < 2 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    assert.ok(reports.length >= 2, `${reports.length} reports`);
    const [, second] = reports;
    assert.ok(second.intervalMs >= 200, `the second report spans its interval, not one sample (${second.intervalMs} ms)`);
    assert.ok(second.inbound.lossPercent > 0, `the burst between two samples is in the report (${second.inbound.lossPercent} %)`);
  } finally {
    session.state = 'disposed';
    quality.monitor.stop();
  }
});

test('a webRtcSessionFactory session with getStats() takes part: qualityReport and the watchdog run on its statistics', { timeout: 20_000 }, async () => {
  const { readFileSync } = await import('node:fs');
  const { default: WebPhone } = await import(`${root}dist/es/index.js`);
  const { startTestServer, fakeMedia, useNodeWebSocket } = await import(`${root}dist/testing/index.mjs`);
  useNodeWebSocket();
  const server = await startTestServer({ extensions: ['101', '102'], transport: 'ws' });
  const wasmBinary = readFileSync(`${root}dist/sip-core.wasm`);
  const phones = [];
  try {
    let k = 0;
    const media = fakeMedia();
    // The app's own media session, with statistics: packets flow in, then stop.
    const factory = (context) => Object.assign(media.factory(context), {
      getStats: async () => { k++; return snapshot(k * 50, { inPackets: k < 6 ? 100 * k : 500, inBytes: 1000 * k, outPackets: 100 * k, energy: k }); },
    });
    const phone = async (ext, options) => {
      const wp = new WebPhone({ sipInfo: server.sipInfo(ext), wasm: { wasmBinary }, deviceManager: media.deviceManager, ...options });
      phones.push(wp);
      await wp.start();
      return wp;
    };
    const alice = await phone('101', { webRtcSessionFactory: factory, callQuality: { reportInterval: 100, sampleInterval: 50, stallTimeout: 200 } });
    const bob = await phone('102', { webRtcSessionFactory: fakeMedia().factory });
    bob.on('inboundCall', (s) => void s.answer());
    const session = await alice.call('102');
    const report = await new Promise((resolve) => session.once('qualityReport', resolve));
    assert.equal(report.codec?.mimeType, 'audio/opus');
    assert.ok(report.inbound.packets > 0);
    const stalled = await new Promise((resolve) => session.once('mediaStalled', resolve));
    assert.equal(stalled.direction, 'inbound', 'its packets stopped');
    await session.hangup();
  } finally {
    await Promise.all(phones.map((p) => p.dispose()));
    await server.close();
  }
});
