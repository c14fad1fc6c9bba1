#!/usr/bin/env node
// Parse benchmark: the wasm core against ringcentral-web-phone, JsSIP and
// SIP.js, all in the SAME Node process, over the SIP corpus in bench/corpus
// given as JS strings (what a WebSocket text frame hands to JS).
//
//   node bench/parse-bench.mjs                 # ~1.5 min
//   node bench/parse-bench.mjs --reps 5 --target-ms 50 --warmup-ms 300   # quick
//   node bench/parse-bench.mjs --only 'ringcentral-web-phone,wasm-web-phone core (wasm)'
//
// Method (see bench/README.md): every parser's result is verified against
// corpus/manifest.json before timing; then each workload is warmed up and
// calibrated, and `--reps` interleaved rounds run with a rotated order, so
// every ratio comes from one run. Median and best per workload are reported;
// ratio = RC time / workload time (> 1 = faster than RC).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { peerAdapters, sipjsLog } from './adapters/peers.mjs';
import createWasmAdapter from './adapters/wasm-core.mjs';
import {
  benchDir, repoDir, envInfo, fmt, fmtInt, fmtRatio, loadCorpus, measureInterleaved, median, min, parseArgs, table,
} from './lib/util.mjs';

const opts = parseArgs(process.argv.slice(2), {
  reps: 9, targetMs: 100, warmupMs: 1000, only: '', floors: true, breakdown: true, perMessage: true,
  goal: 10, out: join(benchDir, 'results', 'parse'), quiet: false, dist: '',
});
// --dist DIR: measure a copy of the built package instead of the repo's dist/.
const distDir = opts.dist ? resolve(opts.dist) : join(repoDir, 'dist');
const log = opts.quiet ? () => {} : (...a) => console.error(...a);

// Sizes are read first: another engineer's build may replace dist/ mid-run.
function gzipSize(f) {
  try { return execFileSync('gzip', ['-9c', f], { maxBuffer: 1 << 26 }).length; } catch { return gzipSync(readFileSync(f), { level: 9 }).length; }
}
const sizeFiles = ['dist/sip-core.wasm', 'dist/es/sip-core.mjs', 'dist/iife/wasm-web-phone.js'].filter((f) => existsSync(join(distDir, f.slice(5))));
const sizes = sizeFiles.map((f) => ({ file: f, raw: statSync(join(distDir, f.slice(5))).size, gzip: gzipSize(join(distDir, f.slice(5))) }));
const wasm = await createWasmAdapter({ dir: distDir });
const all = [...peerAdapters, wasm];
const only = opts.only ? new Set(opts.only.split(',')) : null;
const adapters = only ? all.filter((a) => only.has(a.name)) : all;
const BASE = 'ringcentral-web-phone';
const corpus = loadCorpus();

// ------------------------------------------------------------ verification
function check(a, m) {
  let r;
  try { r = a.parse(m.string); } catch (e) { return [`threw ${e.message}`]; }
  if (!r) return ['returned nothing'];
  const bad = [];
  if (m.kind === 'request' ? r.method !== m.method || r.status !== undefined : r.status !== m.status || r.method !== undefined)
    bad.push(`start line (${m.kind === 'request' ? r.method : r.status})`);
  if (r.callId !== m.callId) bad.push(`Call-ID (${JSON.stringify(r.callId)})`);
  if (r.cseq !== m.cseq) bad.push(`CSeq number (${r.cseq})`);
  if (r.cseqMethod !== m.cseqMethod) bad.push(`CSeq method (${JSON.stringify(r.cseqMethod)})`);
  if (r.body !== m.body) bad.push(`body (${r.body === undefined ? 'undefined' : `${r.body.length} chars`})`);
  return bad;
}
const verification = {};
for (const a of adapters) {
  const failures = corpus.map((m) => ({ file: m.file, problems: check(a, m) })).filter((f) => f.problems.length);
  verification[a.name] = { passed: corpus.length - failures.length, total: corpus.length, failures };
}
const failed = new Set(Object.values(verification).flatMap((v) => v.failures.map((f) => f.file)));
const common = corpus.filter((m) => !failed.has(m.file));
const passedIn = (name, msgs) => msgs.filter((m) => !verification[name].failures.some((f) => f.file === m.file)).length;

// ------------------------------------------------------------ floors
const te = new TextEncoder();
const scratch = new Uint8Array(1 << 16);
const floors = [
  { name: 'floor: TextEncoder.encodeInto (string -> bytes copy)', fn: (s) => te.encodeInto(s, scratch).written },
  { name: 'floor: String#indexOf CRLF loop', fn: (s) => { let n = 0, i = 0; while ((i = s.indexOf('\r\n', i)) !== -1) { n++; i += 2; } return n; } },
];

// ------------------------------------------------------------ timing
const env = envInfo();
const bytesOf = (msgs) => msgs.reduce((s, m) => s + m.bytes.length, 0);
log(`node ${env.node} | ${env.cpu} x${env.cores} | corpus ${corpus.length} msgs, ${bytesOf(corpus)} B | common ${common.length}`);

function summarise(ws, msgs) {
  const base = ws.find((w) => w.name === BASE);
  return ws.map((w) => {
    const med = median(w.samples), best = min(w.samples);
    return {
      name: w.name, kind: w.kind, verified: w.kind === 'parser' ? `${passedIn(w.name, msgs)}/${msgs.length}` : 'n/a',
      msgsPerSecMedian: (msgs.length / med) * 1e3, msgsPerSecBest: (msgs.length / best) * 1e3,
      mbPerSec: bytesOf(msgs) / med / 1e3, usPerMsg: (med * 1e3) / msgs.length,
      ratioMedian: base ? median(base.samples) / med : NaN, ratioBest: base ? min(base.samples) / best : NaN,
      samplesMsPerPass: w.samples,
    };
  });
}

function runCorpus(label, msgs) {
  const ws = adapters.map((a) => ({ name: a.name, kind: 'parser', fn: a.parse, inputs: msgs.map((m) => m.string) }));
  if (opts.floors) for (const f of floors) ws.push({ name: f.name, kind: 'floor', fn: f.fn, inputs: msgs.map((m) => m.string) });
  log(`\n[${label}] ${msgs.length} msgs/pass, ${bytesOf(msgs)} B/pass`);
  measureInterleaved(ws, { reps: opts.reps, targetMs: opts.targetMs, warmupMs: opts.warmupMs, log });
  return summarise(ws, msgs);
}

const rowsTable = (rows) => table(
  ['workload', 'verified', 'msgs/s median', 'msgs/s best', 'MB/s', 'µs/msg', `× RC (median)`, '× RC (best)'],
  rows.map((r) => [r.name, r.verified, fmtInt(r.msgsPerSecMedian), fmtInt(r.msgsPerSecBest), fmt(r.mbPerSec, 1),
    fmt(r.usPerMsg, 2), fmtRatio(r.ratioMedian), fmtRatio(r.ratioBest)]),
);

const results = { env, opts: { reps: opts.reps, targetMs: opts.targetMs, warmupMs: opts.warmupMs },
  versions: Object.fromEntries(adapters.map((a) => [a.name, a.version])), verification, sizes, runs: {} };
const out = [];
out.push(`# Parse benchmark (${env.date})`);
out.push('');
out.push(`node ${env.node} (V8 ${env.v8}), ${env.cpu} x${env.cores}, ${env.platform}; reps=${opts.reps}, ` +
  `~${opts.targetMs} ms/sample, warm-up ${opts.warmupMs} ms; load average at start ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
out.push(`Parsers: ${adapters.map((a) => `${a.name} ${a.version}`).join(', ')}. Input: JS strings. Corpus: ${corpus.length} msgs, ${bytesOf(corpus)} B.`);

out.push('\n## Verification (method/status, Call-ID, CSeq number and method, body vs corpus/manifest.json)\n');
for (const a of adapters) {
  const v = verification[a.name];
  out.push(`- ${a.name}: **${v.passed}/${v.total}**` +
    (v.failures.length ? ' — ' + v.failures.map((f) => `${f.file}: ${f.problems.join(', ')}`).join('; ') : ''));
}

const rA = runCorpus('all', corpus);
results.runs.all = rA;
out.push(`\n## A. Full corpus (${corpus.length} msgs): parse + extraction of the verified fields\n`);
out.push(rowsTable(rA));
let rB = null;
if (common.length !== corpus.length) {
  rB = runCorpus('common', common);
  results.runs.common = rB;
  out.push(`\n## B. Common subset (${common.length} msgs that every parser gets right)\n`);
  out.push(rowsTable(rB));
}

// ------------------------------------------------------------ wasm breakdown
// Where the wasm path's time goes, stage by stage, in one interleaved run.
if (opts.breakdown && adapters.includes(wasm)) {
  const st = wasm.stages;
  const strings = corpus.map((m) => m.string);
  const placed = corpus.map((m) => st.place(m.bytes));
  const ws = [
    { name: 'encodeInto into linear memory', fn: st.copyIn, inputs: strings },
    { name: 'encodeInto + wwp_parse_fields (offsets only)', fn: st.copyAndParse, inputs: strings },
    { name: 'wwp_parse_fields alone (bytes already in memory)', fn: st.parseAt, inputs: placed },
    { name: 'full adapter.parse (+ substring/decode, result object)', fn: wasm.parse, inputs: strings },
  ];
  log('\n[wasm breakdown]');
  measureInterleaved(ws, { reps: opts.reps, targetMs: opts.targetMs / 2, warmupMs: opts.warmupMs / 2, log });
  const us = ws.map((w) => (median(w.samples) * 1e3) / corpus.length);
  const rows = [
    [ws[0].name, fmt(us[0], 3), '—'],
    [ws[1].name, fmt(us[1], 3), `wasm call ≈ ${fmt(us[1] - us[0], 3)}`],
    [ws[2].name, fmt(us[2], 3), `pure parser + call boundary`],
    [ws[3].name, fmt(us[3], 3), `JS strings + object ≈ ${fmt(us[3] - us[1], 3)}`],
  ];
  results.runs.breakdown = ws.map((w, i) => ({ name: w.name, usPerMsg: us[i], samplesMsPerPass: w.samples }));
  out.push('\n## C. Where the wasm path spends its time (full corpus, µs/msg, medians of one interleaved run)\n');
  out.push(table(['stage', 'µs/msg', 'note'], rows));
}

// ------------------------------------------------------------ per message
if (opts.perMessage) {
  const pick = ['06-100-trying.sip', '01-register.sip', '22-folded-multivalue-bye.sip', '10-inbound-invite.sip', '05-invite-webrtc-offer.sip'];
  const sel = corpus.filter((m) => pick.includes(m.file));
  const fast = adapters.filter((a) => a.name === BASE || a === wasm);
  const ws = sel.flatMap((m) => fast.map((a) => ({ name: a.name, file: m.file, fn: a.parse, inputs: [m.string] })));
  log(`\n[per message] ${ws.length} workloads`);
  measureInterleaved(ws, { reps: opts.reps, targetMs: Math.max(20, opts.targetMs / 4), warmupMs: Math.max(50, opts.warmupMs / 5) });
  const us = (a, m) => median(ws.find((w) => w.name === a.name && w.file === m.file).samples) * 1e3;
  const rows = sel.map((m) => [m.file, m.bytes.length, ...fast.map((a) => fmt(us(a, m), 2)),
    fast.length === 2 ? fmtRatio(us(fast[0], m) / us(fast[1], m)) : '']);
  results.runs.perMessage = sel.map((m) => ({ file: m.file, usPerMsg: Object.fromEntries(fast.map((a) => [a.name, us(a, m)])) }));
  out.push('\n## D. Per message, parse + extraction (µs/msg, median)\n');
  out.push(table(['message', 'bytes', ...fast.map((a) => a.name), '× RC'], rows));
}

out.push('\n## E. Sizes (gzip -9)\n');
out.push(table(['file', 'raw B', 'gzip -9 B'], sizes.map((s) => [s.file, s.raw, s.gzip])));

// ------------------------------------------------------------ goal
const wa = rA.find((r) => r.name === wasm.name), wb = rB?.find((r) => r.name === wasm.name);
if (wa && rA.some((r) => r.name === BASE)) {
  const v = verification[wasm.name];
  const ratios = [wa.ratioMedian, ...(wb ? [wb.ratioMedian] : [])];
  const met = v.passed === v.total && Math.min(...ratios) >= opts.goal;
  out.push(`\n## Goal: wasm core parses the corpus with every field right at ≥${opts.goal}× RC throughput\n`);
  out.push(`${met ? '**MET**' : '**NOT MET**'}: ${v.passed}/${v.total} verified; × RC (median) ${fmtRatio(wa.ratioMedian)} on the full corpus` +
    (wb ? `, ${fmtRatio(wb.ratioMedian)} on the common subset` : '') + ` (best-vs-best ${fmtRatio(wa.ratioBest)}).`);
  results.goal = { target: opts.goal, met, ratios };
}
if (sipjsLog.warnings || sipjsLog.errors) out.push(`\n(sip.js logged ${sipjsLog.warnings} warnings, ${sipjsLog.errors} errors)`);

const text = out.join('\n') + '\n';
console.log(text);
if (opts.out) {
  mkdirSync(join(opts.out, '..'), { recursive: true });
  writeFileSync(`${opts.out}.md`, text);
  writeFileSync(`${opts.out}.json`, JSON.stringify(results, null, 1) + '\n');
  log(`wrote ${opts.out}.md and ${opts.out}.json`);
}
