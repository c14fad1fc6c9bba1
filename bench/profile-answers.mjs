#!/usr/bin/env node
// Profiling aid (not a benchmark): the answer to the client's own request()
// (receive-path.mjs's "answers" workload) in a loop, for
// `node --cpu-prof bench/profile-answers.mjs`: untimed, request(MESSAGE);
// timed, its 200 OK delivered (profile the `deliver` frames).
//   node bench/profile-answers.mjs [--dist DIR] [--calls N] [--sdk ours|rc]
import { parseArgs } from './lib/util.mjs';
import { answer, freshString, installFakeWebSocket, loadSdks, resolveDist, sipInfo, startClient, tick } from './lib/sdk.mjs';

const opts = parseArgs(process.argv.slice(2), { dist: '', calls: 100000, sdk: 'ours' });
installFakeWebSocket();
const sdk = (await loadSdks(resolveDist(opts.dist)))[opts.sdk];
const { client, ws } = await startClient(sdk);
await tick(); await tick();
ws.autoAnswer = false;
let last = '';
ws.onSend = (text) => { last = text; };
let sink = 0;
client.on('inboundMessage', (m) => { sink += m.subject.length + (m.getHeader('Call-ID')?.length ?? 0) + m.body.length; });
const domain = sipInfo.domain;
let timed = 0;
for (let i = 0; i < opts.calls; i++) {
  const id = `p${i.toString(36)}`;
  const p = client.request(new sdk.RequestMessage(`MESSAGE sip:#1094@${domain} SIP/2.0`, {
    Via: `SIP/2.0/WSS b3nchm4rk0001.invalid;branch=z9hG4bK-${id}`, To: `<sip:#1094@${domain}>`,
    From: `<sip:${sipInfo.username}@${domain}>;tag=${id}`, 'Call-Id': id, 'Content-Type': 'text/plain',
  }, 'hello'));
  const frame = freshString(answer(last));
  const t0 = performance.now();
  ws.deliver(frame);
  timed += performance.now() - t0;
  await p;
  if (i % 16 === 15) await tick();
}
console.log(`${sdk.short}: ${(timed * 1000 / opts.calls).toFixed(2)} µs/answer over ${opts.calls} answers, timed around delivery only (sink ${sink})`);
process.exit(0);
