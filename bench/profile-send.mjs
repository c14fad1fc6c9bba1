#!/usr/bin/env node
// Profiling aid (not a benchmark): our DefaultSipClient's send path in a
// loop, for `node --cpu-prof bench/profile-send.mjs`: request(new
// RequestMessage(MESSAGE …)) or register(60) on the fake socket, each call's
// answer awaited (as send-path.mjs does) so nothing piles up.
//   node bench/profile-send.mjs [--dist DIR] [--calls N] [--kind message|register]
import { parseArgs } from './lib/util.mjs';
import { FakeWebSocket, installFakeWebSocket, loadSdks, resolveDist, sipInfo, startClient, tick } from './lib/sdk.mjs';

const opts = parseArgs(process.argv.slice(2), { dist: '', calls: 100000, kind: 'message', sdk: 'ours' });
installFakeWebSocket();
FakeWebSocket.registerExpires = 3600;
const sdk = (await loadSdks(resolveDist(opts.dist)))[opts.sdk];
const { client, ws } = await startClient(sdk);
await tick(); await tick();
let sentAt = 0;
ws.onSend = (_text, at) => { if (sentAt === 0) sentAt = at; };
const domain = sipInfo.domain;
let timed = 0;
for (let i = 0; i < opts.calls; i++) {
  const id = `p${i.toString(36)}`;
  const headers = {
    Via: `SIP/2.0/WSS b3nchm4rk0001.invalid;branch=z9hG4bK-${id}`, To: `<sip:#1094@${domain}>`,
    From: `<sip:${sipInfo.username}@${domain}>;tag=${id}`, 'Call-Id': id, 'Content-Type': 'x-rc/agent',
  };
  const body = `<Msg><Hdr SID="35752711247552" Req="{D3D6A7A4-2C8B-4A61-9E0F-${id.padStart(12, '0')}}" From="${sipInfo.username}@${domain}" ` +
    `To="#1094@${domain}:5060" Cmd="17"/><Bdy Cln="${sipInfo.authorizationId}"/></Msg>`;
  sentAt = 0;
  const t0 = performance.now();
  const p = opts.kind === 'register' ? client.register(60) : client.request(new sdk.RequestMessage(`MESSAGE sip:#1094@${domain} SIP/2.0`, headers, body));
  timed += sentAt - t0;
  await p;
}
console.log(`${sdk.short}: ${(timed * 1000 / opts.calls).toFixed(2)} µs/call, ${opts.kind}, ${opts.calls} calls`);
process.exit(0);
