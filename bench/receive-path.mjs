#!/usr/bin/env node
// Receive path, end to end, in ONE Node process: each SDK's own
// DefaultSipClient (ringcentral-web-phone's, and ours from dist/es with the
// wasm bytes passed as `{ wasm: { wasmBinary } }`) is started against a fake
// WebSocket (lib/sdk.mjs) that opens at once and answers the REGISTER with
// 200 OK. Then timed: text frames delivered through the socket's message
// event -> the SDK emits `inboundMessage` -> the app's listener reads
// `subject`, `getHeader('Call-ID')` and `body`. Whatever the SDK does on the
// way (auto-answers sent back through ws.send, transactions, timers) is part
// of the time: that is the path a page pays for.
//
//   node bench/receive-path.mjs [--dist DIR] [--quick] [--reps 9] [--target-ms 100] [--out PATH]
//                               [--no-full] [--burst 1] [--yield-timer] [--kinds responses,answers,requests] [--debug]
//
// Workloads, per SDK:
//   responses   the corpus frames starting with "SIP/2.0 " (fed as they are;
//               they match no transaction, so they create no state anywhere).
//               STRAYS for ours: their top Via is another UA's, so our core
//               drops each after parsing it and emitting inboundMessage (RFC
//               3261 §18.1.2); a real wire brings few of these.
//   answers     the answer to a request the client itself sent, what nearly
//               every response on a real wire is: per pass, untimed, the app
//               sends one MESSAGE with `request(new RequestMessage(…))` (as
//               send-path.mjs builds it); timed, its 200 OK delivered. Ours
//               then runs the client transaction and settles request()'s
//               promise (RC resolves it from an inboundMessage listener of
//               its own, also inside the timed region).
//   requests    the corpus's request frames that both SDKs deliver (see
//               verification), each one made unique per pass (below)
//   ...(full)   the same, with a listener that also reads `m.headers` (every
//               value) and `m.toString()`
// plus a floor: the fake socket delivering the response frames to a listener
// with no SDK in between (what the harness itself costs).
//
// Fairness of the request workload. Our core does more than RC for a request:
// it runs a server transaction and answers (100/180 for an INVITE, 200 for an
// out-of-dialog MESSAGE/OPTIONS, 481 for an in-dialog request with no dialog,
// 501 for REGISTER...) through ws.send; RC only auto-answers 200 to
// MESSAGE/BYE/CANCEL/INFO/NOTIFY/UPDATE. That extra work is counted: it is
// what our SDK really does per frame, and the sends per frame are printed.
// If the same request text were fed again and again, our core would see a
// retransmission after the first pass (cheaper: it re-sends its last answer)
// and RC would not know the difference. So every request frame gets a unique
// Call-ID and top-Via branch on every pass (a new transaction, a new call for
// an INVITE: what a real wire brings), for BOTH SDKs. The unique copies are
// built outside the timed region, as fresh flat strings decoded from UTF-8
// (what a browser hands to onmessage). State must not grow with the run, so
// after each pass, untimed, a "settle" step plays the server: it answers the
// requests the SDK sent (200), CANCELs each INVITE that is still ringing and
// ACKs every final non-2xx answer to an INVITE, so every transaction and call
// ends. Both SDKs get the same settle frames (RC ignores them apart from its
// 200 to CANCEL).
//
// Between passes (untimed) the event loop turns once (setImmediate), as it
// does between WebSocket message tasks in a page, so timers that are due fire:
// our client keeps one core timer armed and the core reaps finished
// transactions on it. Fed as one long task instead, finished transactions
// pile up and our per-frame cost climbs with the pile (with the build at
// 593715b, about 5x after 200 request passes in one task). `--burst 0`: no
// turn within a sample; `--burst N`: a turn every N passes; `--yield-timer`:
// turn with setTimeout(0), which also fires zero-delay timers every pass.
//
// RC emits `inboundMessage` for a MESSAGE only after an `await` (its socket
// listener is an async function that parses the x-rc XML first), so each pass
// ends when the last `inboundMessage` has been emitted, awaiting if needed:
// the microtask hop is part of RC's path. Our client emits synchronously
// inside the socket handler.
//
// Method: verification first (every frame must give exactly one
// `inboundMessage` in each SDK; mismatches are printed and such frames leave
// the timed set of both SDKs, as parse-bench's table B does), then per
// workload a warm-up and a calibration (passes per sample ~ --target-ms of
// timed work), then --reps rounds, each running every workload once in an
// order rotated per round. Reported: median and best µs/frame; ratio = RC
// time / ours, so > 1 means we are faster.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { benchDir, envInfo, fmt, fmtRatio, loadCorpus, median, min, parseArgs, table } from './lib/util.mjs';
import {
  FakeWebSocket, answer, freshString, header, installFakeWebSocket, loadSdks, macrotask, measureAsyncInterleaved, resolveDist, shownPath,
  sipInfo, startClient, startLine, tick,
} from './lib/sdk.mjs';
import { settle, uniqueRequest } from './lib/requests.mjs';

const opts = parseArgs(process.argv.slice(2), {
  dist: '', reps: 9, targetMs: 100, warmupMs: 1000, quick: false, full: true, burst: 1, yieldTimer: false, kinds: 'responses,answers,requests', debug: false, // --debug: per-frame trace in the timeout message (adds a little work to every pass)
  out: join(benchDir, 'results', 'receive'), quiet: false,
});
if (opts.quick) {
  Object.assign(opts, { reps: Math.min(opts.reps, 5), targetMs: Math.min(opts.targetMs, 15), warmupMs: Math.min(opts.warmupMs, 100) });
  if (opts.out === join(benchDir, 'results', 'receive')) opts.out = '/tmp/wwp-bench-quick/receive';
}
const log = opts.quiet ? () => {} : (...a) => console.error(...a);
const dist = resolveDist(opts.dist);
installFakeWebSocket();

// RC's socket listener is async; a frame it cannot handle (e.g. a MESSAGE
// whose body is not x-rc XML) becomes an unhandled rejection. Count, don't die.
const unhandled = [];
process.on('unhandledRejection', (e) => unhandled.push(String(e?.message ?? e)));

const sdks = await loadSdks(dist);
const corpus = loadCorpus();
const responses = corpus.filter((m) => m.string.startsWith('SIP/2.0 '));
const requests = corpus.filter((m) => !m.string.startsWith('SIP/2.0 '));

// ------------------------------------------------------------ clients

let sink = 0;
const readBasic = (m) => m.subject.length + (m.getHeader('Call-ID') ?? '').length + m.body.length;
const readFull = (m) => {
  let n = readBasic(m);
  const h = m.headers;
  // RC's split-based parser leaves `undefined` values for folded lines and
  // `Name:value` without a space; an app must guard, so the listener does too.
  for (const k in h) { const v = h[k]; if (v !== undefined) n += v.length; }
  return n + m.toString().length;
};

/// One started client with its own socket, counting `inboundMessage`s.
async function makeClient(sdk, variant) {
  const { client, ws } = await startClient(sdk);
  const x = { sdk, variant, client, ws, seen: 0, want: 0, resolve: null, outbox: [] };
  const read = variant === 'full' ? readFull : readBasic;
  // Two listener bodies, so each stays monomorphic on its message class.
  client.on('inboundMessage', (m) => {
    sink = (sink + read(m)) | 0;
    if (++x.seen === x.want && x.resolve) { const r = x.resolve; x.resolve = x.reject = null; r(); }
  });
  ws.onSend = (text) => x.outbox.push(text);
  // --debug only (it would add a listener call to every stray response of
  // ours): why the SDK dropped frames, for the timeout message.
  x.dropped = [];
  if (opts.debug) client.on('dropped', (reason) => { x.dropped.push(reason); if (x.dropped.length > 40) x.dropped.splice(0, 20); });
  ws.autoAnswer = false; // the settle step answers, outside the timed region
  // Waits for the pass's last inboundMessage. run() arms one guard timer per
  // call (outside the timed region) that rejects a wait still pending after
  // 20 s: an SDK that drops a frame must fail its workload, not hang the run.
  x.waitAll = () => new Promise((resolve, reject) => { x.resolve = resolve; x.reject = reject; });
  x.stall = (w, frames) => {
    const reject = x.reject;
    if (!reject) return;
    x.resolve = x.reject = null;
    reject(new Error(`${frames.length - (x.want - x.seen)} of ${frames.length} frames gave an inboundMessage, ${x.want - x.seen} gave none within 20 s ` +
      `(${unhandled.length ? `last unhandled rejection: ${unhandled.at(-1)}` : 'no unhandled rejection'}; ` +
      `socket ${x.ws.closedBySdk ? `CLOSED by the SDK (close() called ${x.ws.closedBySdk}x)` : 'still open'}; ` +
      (opts.debug ? `last 'dropped' reasons: ${x.dropped.length ? [...new Set(x.dropped.slice(-5))].join(' | ') : 'none'})` : ')') +
      (opts.debug ? `; per frame (synchronously): ${x.trace.join(' | ')}` : ' (run with --debug to see each frame)')));
  };
  return x;
}
const clients = {};
for (const sdk of [sdks.rc, sdks.ours]) {
  for (const variant of opts.full ? ['basic', 'full'] : ['basic']) clients[`${sdk.key}/${variant}`] = await makeClient(sdk, variant);
}
await macrotask();

// ------------------------------------------------------------ unique requests and the settle step

let uniq = 0;

// ------------------------------------------------------------ verification

/// Every frame alone: inboundMessages emitted (after a macrotask, so RC's
/// async ones count) and the frames the SDK sent back.
async function verify(x, frames, isRequest) {
  const rows = [];
  for (const m of frames) {
    const text = isRequest ? uniqueRequest(m.string, `v${++uniq}`) : m.string;
    const seen0 = x.seen, un0 = unhandled.length;
    x.outbox = [];
    x.want = -1;
    x.ws.deliver(text);
    const sync = x.seen - seen0;
    await macrotask();
    const sent = x.outbox.map(startLine);
    rows.push({ file: m.file, emitted: x.seen - seen0, sync, sent, error: unhandled.slice(un0).join('; ') });
    if (isRequest) settle(x, [text]);
    x.outbox = [];
    await macrotask();
  }
  return rows;
}

const verification = {};
for (const [key, x] of Object.entries(clients)) {
  verification[key] = { responses: await verify(x, responses, false), requests: await verify(x, requests, true) };
}
const okIn = (kind, file) => Object.values(verification).every((v) => v[kind].find((r) => r.file === file).emitted === 1);
const timedResponses = responses.filter((m) => okIn('responses', m.file));
const timedRequests = requests.filter((m) => okIn('requests', m.file));

const vRows = [];
for (const [kind, frames] of [['responses', responses], ['requests', requests]]) {
  for (const m of frames) {
    const r = verification['rc/basic'][kind].find((v) => v.file === m.file);
    const o = verification['ours/basic'][kind].find((v) => v.file === m.file);
    const sent = (v) => `${v.sent.length}${v.sent.length ? ': ' + v.sent.map((s) => s.replace(/^SIP\/2\.0 /, '').replace(/ sip:.*/, '')).join(', ') : ''}`;
    const em = (v) => `${v.emitted}${v.emitted === 1 && !v.sync ? ' (async)' : ''}${v.error ? ` — ${v.error.slice(0, 60)}` : ''}`;
    vRows.push([m.file, em(r), sent(r), em(o), sent(o), okIn(kind, m.file) ? 'yes' : 'NO']);
  }
}
const mismatches = [];
for (const [key, v] of Object.entries(verification)) {
  for (const kind of ['responses', 'requests']) {
    for (const r of v[kind]) if (r.emitted !== 1) mismatches.push(`${key}: ${r.file} emitted ${r.emitted} inboundMessage(s)${r.error ? ` (${r.error})` : ''}`);
  }
}
log(mismatches.length ? `verification mismatches:\n  ${mismatches.join('\n  ')}` : 'verification: every frame gave exactly one inboundMessage in each SDK');

// ------------------------------------------------------------ answers to our own requests

const domain = sipInfo.domain;
const rcXml = (id) => `<Msg><Hdr SID="35752711247552" Req="{D3D6A7A4-2C8B-4A61-9E0F-${id.padStart(12, '0').slice(-12)}}" ` +
  `From="${sipInfo.username}@${domain}" To="#1094@${domain}:5060" Cmd="17"/><Bdy Cln="${sipInfo.authorizationId}"/></Msg>`;
let answersFailed = 0;
/// Untimed: the app sends one MESSAGE; returns its 200 OK as a fresh string.
function answerToOwnRequest(x, tag) {
  const id = `a${tag}`;
  x.outbox.length = 0;
  x.client.request(new x.sdk.RequestMessage(`MESSAGE sip:#1094@${domain} SIP/2.0`, {
    Via: `SIP/2.0/WSS b3nchm4rk0001.invalid;branch=z9hG4bK-${id}`, To: `<sip:#1094@${domain}>`,
    From: `<sip:${sipInfo.username}@${domain}>;tag=${id}`, 'Call-Id': id, 'Content-Type': 'x-rc/agent',
  }, rcXml(id))).then((m) => { if (!m.subject.startsWith('SIP/2.0 200')) answersFailed++; }, () => { answersFailed++; });
  const sent = x.outbox.find((t) => t.startsWith('MESSAGE '));
  x.outbox.length = 0;
  if (!sent) throw new Error(`${x.sdk.short}: request() sent no MESSAGE`);
  return freshString(answer(sent));
}
// Verification: each client, one request answered: exactly one inboundMessage, request() resolved with the 200.
const answersVerified = {};
for (const [key, x] of Object.entries(clients)) {
  const failed0 = answersFailed;
  const text = answerToOwnRequest(x, `v${++uniq}`);
  const seen0 = x.seen;
  x.want = -1;
  x.ws.deliver(text);
  await macrotask();
  answersVerified[key] = x.seen - seen0 === 1 && answersFailed === failed0;
  x.outbox.length = 0;
}
log(`answers verification: ${JSON.stringify(answersVerified)}`);
if (!Object.values(answersVerified).every(Boolean)) throw new Error('answers: a client did not emit exactly one inboundMessage for its answer or request() did not resolve with it');

// ------------------------------------------------------------ workloads

function workload(x, kind, frames) {
  if (kind === 'answers') {
    return {
      name: x.sdk.short, sdk: x.sdk.key, kind, variant: x.variant, x, frames: 1, files: ['200 OK to our MESSAGE'],
      prepare: (tag) => [answerToOwnRequest(x, tag)], settle: () => { x.outbox.length = 0; }, samples: [], sends: 0, fed: 0,
    };
  }
  const base = frames.map((m) => m.string);
  const isReq = kind === 'requests';
  return {
    name: x.sdk.short,
    sdk: x.sdk.key, kind, variant: x.variant, x, frames: base.length, files: frames.map((m) => m.file),
    prepare: isReq ? (tag) => base.map((t) => uniqueRequest(t, tag)) : () => base,
    settle: isReq ? (fed) => settle(x, fed) : () => { x.outbox.length = 0; },
    samples: [], sends: 0, fed: 0,
  };
}
const workloads = [];
for (const kind of opts.kinds.split(',')) {
  const frames = kind === 'responses' ? timedResponses : timedRequests;
  for (const variant of opts.full ? ['basic', 'full'] : ['basic']) {
    for (const key of ['rc', 'ours']) workloads.push(workload(clients[`${key}/${variant}`], kind, frames));
  }
}
// Floor: the fake socket alone delivering the response frames to a listener.
const floorWs = new FakeWebSocket('wss://floor', 'sip');
await macrotask();
let floorSeen = 0;
floorWs.addEventListener('message', (e) => { sink = (sink + e.data.length) | 0; floorSeen++; });
workloads.push({
  name: 'floor: fake socket delivery, no SDK', sdk: 'floor', kind: 'responses', variant: 'basic', frames: timedResponses.length,
  x: { ws: floorWs, get seen() { return floorSeen; }, want: 0 }, prepare: () => timedResponses.map((m) => m.string), settle: () => {}, samples: [], sends: 0, fed: 0,
});

/// `passes` passes over the workload's frames; returns the timed ms.
async function run(w, passes) {
  // One guard per call, outside the timed region (see x.stall).
  const guard = setTimeout(() => w.x.stall?.(w, w.current ?? []), 20000);
  try {
    return await runPasses(w, passes);
  } finally {
    clearTimeout(guard);
  }
}
async function runPasses(w, passes) {
  const x = w.x;
  let total = 0;
  for (let p = 0; p < passes; p++) {
    const frames = w.prepare(`${++uniq}`);
    w.current = frames;
    x.want = x.seen + frames.length;
    const sends0 = x.ws.sends;
    const t0 = performance.now();
    if (opts.debug) {
      // Same work, plus a per-frame record for the timeout message.
      const counts = new Int32Array(frames.length * 2);
      for (let i = 0; i < frames.length; i++) {
        const s0 = x.seen, o0 = x.outbox.length;
        x.ws.deliver(frames[i]);
        counts[2 * i] = x.seen - s0;
        counts[2 * i + 1] = x.outbox.length - o0;
      }
      x.trace = frames.map((_, i) => `${w.files[i]}: ${counts[2 * i]} emitted, ${counts[2 * i + 1]} sent`);
    } else for (let i = 0; i < frames.length; i++) x.ws.deliver(frames[i]);
    if (x.seen < x.want) await x.waitAll();
    total += performance.now() - t0;
    w.sends += x.ws.sends - sends0;
    w.fed += frames.length;
    w.settle(frames);
    // Untimed: turn the event loop between passes, as it turns between
    // WebSocket message tasks in a browser, so the SDK's timers fire when due
    // (our client keeps one core timer armed, and the core reaps finished
    // transactions on it). Without this a whole sample is one task and
    // finished transactions pile up until it ends (--burst 0 shows that).
    if (w.yields && opts.burst > 0 && (p + 1) % opts.burst === 0) await (opts.yieldTimer ? macrotask() : tick());
  }
  return total;
}
for (const w of workloads) {
  w.yields = w.sdk !== 'floor';
  w.units = w.frames;
  w.run = (passes) => run(w, passes);
  w.reset = () => { w.sends = w.fed = 0; };
}
log(`warm-up and calibration (${opts.warmupMs} ms each, ~${opts.targetMs} ms per sample)`);
await measureAsyncInterleaved(workloads, { reps: opts.reps, targetMs: opts.targetMs, warmupMs: opts.warmupMs, log });
// What our cores still hold after every pass was settled and a timer turn:
// anything that piles up here would make later frames slower than earlier ones.
await macrotask();
const leftOver = Object.fromEntries(Object.entries(clients).filter(([k]) => k.startsWith('ours/')).map(([k, x]) => [k, x.client.ua_.live()]));

// ------------------------------------------------------------ report

const env = { ...envInfo(), loadavg: (await import('node:os')).loadavg(), dist: shownPath(dist), ours: sdks.ours.name, rc: sdks.rc.name };
const base = (w) => workloads.find((b) => b.sdk === 'rc' && b.kind === w.kind && b.variant === w.variant);
const rows = workloads.map((w) => {
  const b = base(w);
  const label = `${w.name}${w.variant === 'full' ? ' (full read)' : ''}`;
  return {
    kind: w.kind, variant: w.variant, sdk: w.sdk, label, frames: w.frames,
    error: w.error, median: w.samples.length ? median(w.samples) : NaN, best: w.samples.length ? min(w.samples) : NaN,
    sendsPerFrame: w.fed ? w.sends / w.fed : 0,
    ratioMedian: b ? median(b.samples) / median(w.samples) : NaN, ratioBest: b ? min(b.samples) / min(w.samples) : NaN, samples: w.samples,
    first: w.samples[0], last: w.samples[w.samples.length - 1],
  };
});
const out = [];
out.push('# Receive path: text frame -> `inboundMessage` emitted and read (µs/frame)\n');
out.push(`${env.rc} vs ${env.ours} (dist: \`${shownPath(dist)}\`), each SDK's own DefaultSipClient on a fake WebSocket, one Node process.`);
out.push(`node ${env.node} (V8 ${env.v8}), ${env.cpu} x${env.cores}; ${env.date}; load average at end ${env.loadavg.map((x) => x.toFixed(1)).join(' ')}; ` +
  `reps=${opts.reps}, ~${opts.targetMs} ms timed per sample, warm-up ${opts.warmupMs} ms.`);
out.push('Ratio = RC time / workload time (> 1: faster than RC). "full read" adds `m.headers` (every value) and `m.toString()` to the listener.\n');
out.push(table(['workload', 'frames', 'µs/frame median', 'µs/frame best', 'ws.send per frame', '× RC (median)', '× RC (best)'],
  rows.map((r) => [`${r.kind}: ${r.label}`, r.frames, r.error ? 'FAILED' : fmt(r.median), r.error ? 'FAILED' : fmt(r.best), fmt(r.sendsPerFrame),
    r.sdk === 'floor' ? '—' : fmtRatio(r.ratioMedian), r.sdk === 'floor' ? '—' : fmtRatio(r.ratioBest)])));
const failed = rows.filter((r) => r.error);
if (failed.length) out.push(`\n**Failed workloads** (stopped at the first failure; see the method in bench/README.md):\n${failed.map((r) => `- ${r.kind}: ${r.label}: ${r.error}`).join('\n')}`);
out.push('\n## Verification, and what each SDK sent back per frame (ws.send calls)\n');
out.push('Each frame fed alone (requests with a unique Call-ID/branch); "emitted" counts `inboundMessage` events, "(async)" = emitted only after a microtask. Frames not emitted exactly once by every client are left out of the timed set of both SDKs.\n');
out.push(table(['frame', 'RC emitted', 'RC sent', 'ours emitted', 'ours sent', 'timed'], vRows));
out.push(mismatches.length ? `\nMismatches:\n${mismatches.map((m) => `- ${m}`).join('\n')}` : '\nNo mismatches.');
out.push(`\nState our cores held at the end (settled, after a timer turn): ${Object.entries(leftOver).map(([k, v]) => `${k}: ${v.calls} calls, ${v.dialogs} dialogs, ${v.transactions} transactions`).join('; ')}.`);
out.push(`\nTimed: ${timedResponses.length}/${responses.length} response frames, ${timedRequests.length}/${requests.length} request frames; answers: one 200 OK per pass to the MESSAGE the client sent untimed before it (verified per client: ${JSON.stringify(answersVerified)}; request() promises not resolved with a 200 during the run: ${answersFailed}).`);
const text = out.join('\n') + '\n';
console.log(text);
const results = {
  env, opts, verification, mismatches, timed: { responses: timedResponses.map((m) => m.file), requests: timedRequests.map((m) => m.file) },
  rows, leftOver, unhandledRejections: unhandled.length, sink,
};
if (opts.out) {
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(`${opts.out}.md`, text);
  writeFileSync(`${opts.out}.json`, JSON.stringify(results, null, 1) + '\n');
  log(`wrote ${opts.out}.md and ${opts.out}.json`);
}
process.exit(failed.length ? 1 : 0);
