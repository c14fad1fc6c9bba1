#!/usr/bin/env node
// Profiling aid (not a benchmark): feeds the corpus's response or request
// frames through our DefaultSipClient on the fake socket in a tight loop, so
// that `node --cpu-prof bench/profile-receive.mjs` shows where a frame's time
// goes. Requests are made unique per pass and settled after it (untimed
// work, but inside the profile), as receive-path.mjs does (lib/requests.mjs).
//   node bench/profile-receive.mjs [--dist DIR] [--frames N] [--kind responses|requests] [--file NAME-PART]
import { loadCorpus, parseArgs } from './lib/util.mjs';
import { installFakeWebSocket, loadSdks, resolveDist, startClient, tick, freshString } from './lib/sdk.mjs';
import { settle, uniqueRequest } from './lib/requests.mjs';

const opts = parseArgs(process.argv.slice(2), { dist: '', frames: 200000, tickEvery: 64, kind: 'responses', sdk: 'ours', file: '' });
installFakeWebSocket();
const sdks = await loadSdks(resolveDist(opts.dist));
const sdk = sdks[opts.sdk];
const { client, ws } = await startClient(sdk);
await tick(); await tick();
const requests = opts.kind === 'requests';
// RC throws on the corpus's plain-text MESSAGE (receive-path.mjs leaves it out of both).
const corpus = loadCorpus().filter((f) => !requests === f.string.startsWith('SIP/2.0 ') && f.file !== '25-message-text-utf8.sip'
  && (!opts.file || f.file.includes(opts.file)));
const base = corpus.map((f) => f.string);
const x = { ws, outbox: [] };
if (requests) {
  ws.autoAnswer = false;
  ws.onSend = (text) => x.outbox.push(text);
}
let sink = 0;
client.on('inboundMessage', (m) => { sink += m.subject.length + (m.getHeader('Call-ID')?.length ?? 0) + m.body.length; });
let pass = 0;
let timed = 0;
let fed = 0;
while (fed < opts.frames) {
  const frames = requests ? base.map((t) => uniqueRequest(t, `p${++pass}`)) : base.map(freshString);
  const t0 = performance.now();
  for (const f of frames) ws.deliver(f);
  timed += performance.now() - t0;
  fed += frames.length;
  if (requests) settle(x, frames);
  if ((fed / frames.length) % Math.max(1, Math.round(opts.tickEvery / frames.length)) === 0) await tick();
}
console.log(`${sdk.short}: ${(timed * 1000 / fed).toFixed(2)} µs/frame over ${fed} ${opts.kind} frames, timed around delivery only (sink ${sink})`);
process.exit(0);
