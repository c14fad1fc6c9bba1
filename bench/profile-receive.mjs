#!/usr/bin/env node
// Profiling aid (not a benchmark): feeds the corpus's response frames through
// our DefaultSipClient on the fake socket in a tight loop, so that
// `node --cpu-prof bench/profile-receive.mjs` shows where a frame's time goes.
//   node bench/profile-receive.mjs [--dist DIR] [--frames N] [--kind responses|requests]
import { benchDir, loadCorpus, parseArgs } from './lib/util.mjs';
import { installFakeWebSocket, loadSdks, resolveDist, startClient, tick, freshString } from './lib/sdk.mjs';

const opts = parseArgs(process.argv.slice(2), { dist: '', frames: 200000, tickEvery: 64, kind: 'responses', sdk: 'ours' });
installFakeWebSocket();
const sdks = await loadSdks(resolveDist(opts.dist));
const sdk = sdks[opts.sdk];
const { client, ws } = await startClient(sdk);
await tick(); await tick();
const corpus = loadCorpus().filter((f) => (opts.kind === 'responses') === f.string.startsWith('SIP/2.0 '));
const frames = corpus.map((f) => freshString(f.string));
let sink = 0;
client.on('inboundMessage', (m) => { sink += m.subject.length + (m.getHeader('Call-ID')?.length ?? 0) + m.body.length; });
const t0 = performance.now();
for (let i = 0; i < opts.frames; i++) {
  ws.deliver(frames[i % frames.length]);
  if (opts.tickEvery && i % opts.tickEvery === opts.tickEvery - 1) await tick();
}
const dt = performance.now() - t0;
console.log(`${sdk.short}: ${(dt * 1000 / opts.frames).toFixed(2)} µs/frame over ${opts.frames} ${opts.kind} frames (sink ${sink})`);
process.exit(0);
