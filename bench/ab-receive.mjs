#!/usr/bin/env node
// Research aid (not run by bench.sh or the tests): two builds of ours, A and
// B, and ringcentral-web-phone in ONE process, the corpus's response or
// request frames through each DefaultSipClient in rounds that alternate the
// order. On this shared machine two runs of receive-path.mjs can differ by
// 20 % on the same code, so a change of a few percent shows only when the
// old and new builds take turns in one process. Keep a copy of the old
// dist/ (cp -r dist /tmp/dist-old) before rebuilding.
//
//   node bench/ab-receive.mjs --a /tmp/dist-old --b dist [--kind responses|requests] [--rounds 11] [--frames 20000]
//
// Prints the medians (µs/frame, timed per frame with performance.now(), so a
// little above receive-path.mjs) and the ratios. RC is left out of the
// request rounds: it throws on the corpus's plain-text MESSAGE (frame 25).
import { loadCorpus, median, parseArgs } from './lib/util.mjs';
import { freshString, installFakeWebSocket, FakeWebSocket, loadSdks, resolveDist, startClient, tick } from './lib/sdk.mjs';

const opts = parseArgs(process.argv.slice(2), { a: '', b: '', kind: 'responses', rounds: 11, frames: 20000 });
if (!opts.a || !opts.b) {
  console.error('usage: node bench/ab-receive.mjs --a DIST --b DIST [--kind responses|requests] [--rounds N] [--frames N]');
  process.exit(2);
}
installFakeWebSocket();
FakeWebSocket.registerExpires = 3600;
const a = await loadSdks(resolveDist(opts.a));
const b = await loadSdks(resolveDist(opts.b));
const sdks = opts.kind === 'requests' ? { A: a.ours, B: b.ours } : { rc: a.rc, A: a.ours, B: b.ours };
const frames = loadCorpus()
  .filter((f) => (opts.kind === 'responses') === f.string.startsWith('SIP/2.0 '))
  .map((f) => freshString(f.string));

const sockets = {};
for (const [k, sdk] of Object.entries(sdks)) {
  const { client, ws } = await startClient(sdk);
  await tick();
  await tick();
  // What the receive-path bench's listener reads.
  client.on('inboundMessage', (m) => m.subject.length + (m.getHeader('Call-ID')?.length ?? 0) + m.body.length);
  sockets[k] = ws;
}

const samples = Object.fromEntries(Object.keys(sdks).map((k) => [k, []]));
const order = Object.keys(sdks);
for (let r = 0; r <= opts.rounds; r++) {
  for (const k of r % 2 ? [...order].reverse() : order) {
    const ws = sockets[k];
    let t = 0;
    for (let i = 0; i < opts.frames; i++) {
      const t0 = performance.now();
      ws.deliver(frames[i % frames.length]);
      t += performance.now() - t0;
      if (i % 64 === 63) await tick(); // the SDKs' timers and the fake server's answers
    }
    if (r > 0) samples[k].push((t * 1000) / opts.frames); // round 0 warms up
    await new Promise((done) => setTimeout(done, 0));
  }
}
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const line = Object.entries(m).map(([k, v]) => `${k} ${v.toFixed(2)} µs`).join('  ');
const ratios = [`A/B ${(m.A / m.B).toFixed(2)} (> 1: B faster)`];
if (m.rc) ratios.push(`RC/A ${(m.rc / m.A).toFixed(2)}`, `RC/B ${(m.rc / m.B).toFixed(2)}`);
console.log(`${opts.kind}, ${frames.length} frames, median of ${opts.rounds}: ${line}; ${ratios.join(', ')}`);
process.exit(0);
