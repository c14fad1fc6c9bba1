#!/usr/bin/env node
// Send path, end to end, in ONE Node process: public API call -> the frame
// handed to the socket (`ws.send(frame)`), for each SDK's own DefaultSipClient
// on the fake WebSocket of lib/sdk.mjs (opens at once; the fake server
// answers REGISTER and MESSAGE with 200 OK on a later macrotask).
//
//   node bench/send-path.mjs [--dist DIR] [--quick] [--reps 9] [--target-ms 100] [--out PATH] [--yield-every 0]
//
// Workloads (the same public calls in both SDKs; signatures checked in
// ringcentral-web-phone's dist/sip-client.mjs and our js/sip-client.ts):
//   message   `sipClient.request(new RequestMessage('MESSAGE sip:… SIP/2.0',
//             { Via, From, To, 'Call-Id', 'Content-Type': 'x-rc/agent' }, xml))`,
//             the way RC's own code and apps send x-rc/agent messages. Timed
//             from just before `new RequestMessage` (the app builds the message
//             as part of the call) to ws.send. The unique Call-ID/branch/tag
//             strings are made before the clock starts.
//   register  `sipClient.register(60)` (a re-REGISTER on the open socket) ->
//             the REGISTER frame in ws.send.
//
// How the end is taken: the fake socket's send() takes performance.now()
// as its first statement, and the hook resolves a promise. If the frame was handed
// over before the API call returned (synchronous path) the time is taken
// from that stamp; otherwise the harness awaits the promise (microtasks or
// later) and still uses the stamp. The "sync" column says which happened:
// the fraction of calls whose frame reached ws.send before the call returned.
// After each call, untimed, the harness awaits the call's own promise (the
// fake server's 200 OK arrives on a setImmediate, so the event loop turns
// and timers that are due fire), so no transaction or listener piles up.
// `--yield-every N` also waits a setTimeout(0) every N calls (idle ~1 ms:
// colder caches, slower and noisier for both SDKs; off by default).
// The answer's Contact says expires=3600: RC arms a re-REGISTER timer per
// register() call, and 3597 s keeps those from firing during the run.
//
// Method: per workload a warm-up and a calibration (~--target-ms of timed
// work per sample), then --reps rounds, each running every workload once in
// an order rotated per round. Reported: median and best µs/call; ratio = RC
// time / ours (> 1: we are faster).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { benchDir, envInfo, fmt, fmtRatio, median, min, parseArgs, table } from './lib/util.mjs';
import {
  FakeWebSocket, header, installFakeWebSocket, loadSdks, macrotask, measureAsyncInterleaved, resolveDist, shownPath, sipInfo,
  startClient, startLine,
} from './lib/sdk.mjs';

const opts = parseArgs(process.argv.slice(2), {
  dist: '', reps: 9, targetMs: 100, warmupMs: 1000, quick: false, out: join(benchDir, 'results', 'send'), quiet: false, yieldEvery: 0,
});
if (opts.quick) {
  Object.assign(opts, { reps: Math.min(opts.reps, 5), targetMs: Math.min(opts.targetMs, 15), warmupMs: Math.min(opts.warmupMs, 100) });
  if (opts.out === join(benchDir, 'results', 'send')) opts.out = '/tmp/wwp-bench-quick/send';
}
const log = opts.quiet ? () => {} : (...a) => console.error(...a);
const dist = resolveDist(opts.dist);
installFakeWebSocket();
FakeWebSocket.registerExpires = 3600;
const sdks = await loadSdks(dist);

// ------------------------------------------------------------ clients

async function makeClient(sdk) {
  const { client, ws } = await startClient(sdk);
  const x = { sdk, client, ws, sentAt: 0, sentText: '', resolveSent: null };
  ws.onSend = (text, at) => {
    if (x.sentAt === 0) { x.sentAt = at; x.sentText = text; }
    if (x.resolveSent) { const r = x.resolveSent; x.resolveSent = x.rejectSent = null; r(); }
  };
  return x;
}
const clients = { rc: await makeClient(sdks.rc), ours: await makeClient(sdks.ours) };
await macrotask();

const domain = sipInfo.domain;
const fakeHost = 'b3nchm4rk0001.invalid';
const xml = (id) => `<Msg><Hdr SID="35752711247552" Req="{D3D6A7A4-2C8B-4A61-9E0F-${id.padStart(12, '0').slice(-12)}}" ` +
  `From="${sipInfo.username}@${domain}" To="#1094@${domain}:5060" Cmd="17"/><Bdy Cln="${sipInfo.authorizationId}"/></Msg>`;
let seq = 0;

const calls = {
  message: {
    label: 'request(new RequestMessage(MESSAGE …))',
    prepare() {
      const id = `${Date.now().toString(36)}${(++seq).toString(36)}`;
      return {
        subject: `MESSAGE sip:#1094@${domain} SIP/2.0`,
        headers: {
          Via: `SIP/2.0/WSS ${fakeHost};branch=z9hG4bK-${id}`,
          To: `<sip:#1094@${domain}>`,
          From: `<sip:${sipInfo.username}@${domain}>;tag=${id}`,
          'Call-Id': id,
          'Content-Type': 'x-rc/agent',
        },
        body: xml(id),
      };
    },
    // The timed call: what the app writes.
    call: (x, p) => x.client.request(new x.sdk.RequestMessage(p.subject, p.headers, p.body)),
    expect: 'MESSAGE ',
  },
  register: {
    label: 'register(60)',
    prepare: () => null,
    call: (x) => x.client.register(60),
    expect: 'REGISTER ',
  },
};

// ------------------------------------------------------------ verification

const verification = {};
for (const [key, x] of Object.entries(clients)) {
  for (const [name, c] of Object.entries(calls)) {
    x.sentAt = 0;
    let result = 'ok', reply = '';
    try {
      const p = c.call(x, c.prepare());
      const sync = x.sentAt !== 0;
      const m = await Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error('no answer in 2 s')), 2000))]);
      reply = m?.subject ?? '(resolved)';
      if (!x.sentText.startsWith(c.expect)) result = `sent ${JSON.stringify(startLine(x.sentText))}`;
      verification[`${key}/${name}`] = {
        result, sync, sent: startLine(x.sentText), bytes: Buffer.byteLength(x.sentText), reply,
        callId: header(x.sentText, 'call-id'),
      };
    } catch (e) {
      verification[`${key}/${name}`] = { result: `failed: ${e.message}`, sent: startLine(x.sentText) };
    }
    await macrotask();
  }
}
const failures = Object.entries(verification).filter(([, v]) => v.result !== 'ok');
log(failures.length ? `verification failures:\n  ${failures.map(([k, v]) => `${k}: ${v.result}`).join('\n  ')}` : 'verification: every call sent its frame and was answered');

// ------------------------------------------------------------ workloads

const workloads = [];
for (const name of Object.keys(calls)) {
  for (const key of ['rc', 'ours']) {
    if (verification[`${key}/${name}`].result !== 'ok') continue;
    const x = clients[key], c = calls[name];
    const w = { key, name, sdk: x.sdk.short, units: 1, samples: [], syncCalls: 0, allCalls: 0 };
    // One guard per run() (outside the timed region): a frame never sent or a
    // call never settled fails the workload after 20 s instead of hanging.
    w.run = async (passes) => {
      let stall;
      const guard = new Promise((_, reject) => { stall = reject; });
      guard.catch(() => {});
      const timer = setTimeout(() => {
        const e = new Error(x.sentAt === 0 ? 'the frame never reached ws.send (20 s)' : 'the call never settled after its 200 OK (20 s)');
        x.rejectSent?.(e);
        stall(e);
      }, 20000);
      try {
        return await runCalls(passes, guard);
      } finally {
        clearTimeout(timer);
      }
    };
    const runCalls = async (passes, guard) => {
      let total = 0;
      for (let i = 0; i < passes; i++) {
        const p = c.prepare();
        x.sentAt = 0;
        const t0 = performance.now();
        const done = c.call(x, p);
        if (x.sentAt === 0) await new Promise((r, j) => { x.resolveSent = r; x.rejectSent = j; });
        else w.syncCalls++;
        total += x.sentAt - t0;
        w.allCalls++;
        await Promise.race([done, guard]); // untimed: the fake server's 200 OK settles the request
        if (opts.yieldEvery > 0 && (i + 1) % opts.yieldEvery === 0) await macrotask();
      }
      return total;
    };
    w.reset = () => { w.syncCalls = w.allCalls = 0; };
    workloads.push(w);
  }
}
log(`warm-up and calibration (${opts.warmupMs} ms each, ~${opts.targetMs} ms per sample)`);
await measureAsyncInterleaved(workloads, { reps: opts.reps, targetMs: opts.targetMs, warmupMs: opts.warmupMs, log });

// ------------------------------------------------------------ report

const env = { ...envInfo(), loadavg: (await import('node:os')).loadavg(), dist: shownPath(dist), ours: sdks.ours.name, rc: sdks.rc.name };
const rows = workloads.map((w) => {
  const b = workloads.find((v) => v.key === 'rc' && v.name === w.name);
  return {
    name: w.name, key: w.key, sdk: w.sdk, error: w.error,
    median: w.samples.length ? median(w.samples) : NaN, best: w.samples.length ? min(w.samples) : NaN,
    sync: w.allCalls ? w.syncCalls / w.allCalls : NaN, bytes: verification[`${w.key}/${w.name}`].bytes,
    ratioMedian: b ? median(b.samples) / median(w.samples) : NaN, ratioBest: b ? min(b.samples) / min(w.samples) : NaN,
    samples: w.samples,
  };
});
const out = [];
out.push('# Send path: API call -> frame handed to `ws.send` (µs/call)\n');
out.push(`${env.rc} vs ${env.ours} (dist: \`${shownPath(dist)}\`), each SDK's own DefaultSipClient on a fake WebSocket, one Node process.`);
out.push(`node ${env.node} (V8 ${env.v8}), ${env.cpu} x${env.cores}; ${env.date}; load average at end ${env.loadavg.map((x) => x.toFixed(1)).join(' ')}; ` +
  `reps=${opts.reps}, ~${opts.targetMs} ms timed per sample, warm-up ${opts.warmupMs} ms.`);
out.push('Ratio = RC time / workload time (> 1: faster than RC). "sync" = share of calls whose frame reached ws.send before the call returned (else the harness awaited it; the time is still taken inside send()).\n');
out.push(table(['call', 'SDK', 'µs/call median', 'µs/call best', 'sync', 'frame bytes', '× RC (median)', '× RC (best)'],
  rows.map((r) => [calls[r.name].label, r.sdk, r.error ? 'FAILED' : fmt(r.median), r.error ? 'FAILED' : fmt(r.best), fmt(r.sync, 2), r.bytes, fmtRatio(r.ratioMedian), fmtRatio(r.ratioBest)])));
const failed = rows.filter((r) => r.error);
if (failed.length) out.push(`\n**Failed workloads:**\n${failed.map((r) => `- ${r.sdk} ${calls[r.name].label}: ${r.error}`).join('\n')}`);
out.push('\n## Verification (one call each, before timing)\n');
out.push(table(['SDK / call', 'result', 'frame sent', 'bytes', 'sent before return', 'answer seen by the app'],
  Object.entries(verification).map(([k, v]) => [k, v.result, v.sent ?? '', v.bytes ?? '', String(v.sync ?? ''), v.reply ?? ''])));
const text = out.join('\n') + '\n';
console.log(text);
if (opts.out) {
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(`${opts.out}.md`, text);
  writeFileSync(`${opts.out}.json`, JSON.stringify({ env, opts, verification, rows }, null, 1) + '\n');
  log(`wrote ${opts.out}.md and ${opts.out}.json`);
}
process.exit(failed.length || failures.length ? 1 : 0);
