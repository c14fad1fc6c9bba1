#!/usr/bin/env node
// One table from the results of a scripts/bench.sh run: reads
// <dir>/{receive,send,cold-start,sizes,parse}.json (whichever exist),
// prints the summary and writes <dir>/summary.{md,json}.
//
//   node bench/summary.mjs [--dir bench/results] [--only sizes,receive,send,cold-start,parse]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir, fmt, fmtRatio, parseArgs, table } from './lib/util.mjs';

const opts = parseArgs(process.argv.slice(2), { dir: join(benchDir, 'results'), only: 'sizes,receive,send,cold-start,parse' });
const wanted = new Set(opts.only.split(','));
const load = (n) => {
  const f = join(opts.dir, `${n}.json`);
  if (!wanted.has(n)) return null;
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null;
};
const receive = load('receive'), send = load('send'), cold = load('cold-start'), sizes = load('sizes'), parse = load('parse');

const FASTER = 'RC/ours (> 1: ours faster)';
const SMALLER = 'ours/RC (< 1: ours better)';
const rows = [];
const missing = [];
const notes = [];
if (receive) {
  // "responses" are the corpus's: strays for ours (another UA's top Via,
  // dropped after inboundMessage, RFC 3261 §18.1.2); "answers" are the
  // answers to a request the client sent, what a real wire mostly brings.
  const label = { responses: 'stray responses (corpus; ours drops them, §18.1.2)', answers: 'answer to our own request()', requests: 'requests' };
  for (const kind of ['answers', 'responses', 'requests']) {
    for (const variant of ['basic', 'full']) {
      const rc = receive.rows.find((r) => r.kind === kind && r.variant === variant && r.sdk === 'rc');
      const ours = receive.rows.find((r) => r.kind === kind && r.variant === variant && r.sdk === 'ours');
      if (!rc || !ours) continue;
      rows.push({
        what: `receive: ${label[kind]} frame -> inboundMessage${variant === 'full' ? ' (full read)' : ''}`, unit: 'µs/frame',
        rc: rc.median, ours: ours.median, ratio: rc.median / ours.median, ratioBest: rc.best / ours.best, ratioKind: FASTER,
        note: `${ours.frames} frames; ws.send/frame RC ${fmt(rc.sendsPerFrame)}, ours ${fmt(ours.sendsPerFrame)}`,
      });
    }
  }
  if (receive.mismatches?.length) notes.push(`receive: frames left out of the timed set of both SDKs (not exactly one inboundMessage in some client): ${receive.mismatches.join('; ')}`);
} else missing.push('receive');
if (send) {
  for (const name of [...new Set(send.rows.map((r) => r.name))]) {
    const rc = send.rows.find((r) => r.name === name && r.key === 'rc');
    const ours = send.rows.find((r) => r.name === name && r.key === 'ours');
    if (!rc || !ours) { rows.push({ what: `send: ${name}`, unit: 'µs/call', rc: rc?.median, ours: ours?.median, ratio: NaN, ratioKind: FASTER, note: 'a side failed, see send.md' }); continue; }
    rows.push({
      what: `send: ${name === 'message' ? 'request(new RequestMessage(MESSAGE))' : 'register(60)'} -> ws.send`, unit: 'µs/call',
      rc: rc.median, ours: ours.median, ratio: rc.median / ours.median, ratioBest: rc.best / ours.best, ratioKind: FASTER,
      note: `sync share RC ${fmt(rc.sync)}, ours ${fmt(ours.sync)}`,
    });
  }
} else missing.push('send');
if (cold) {
  const s = cold.stats;
  rows.push({
    what: 'cold start: navigation -> first REGISTER sent (Chromium)', unit: 'ms',
    rc: s.rc.median, ours: s.ours.median, ratio: s.ours.median / s.rc.median, ratioBest: s.ours.min / s.rc.min, ratioKind: SMALLER,
    note: `median of ${s.ours.n}; RC IIFE as shipped${s['rc-min'] ? `; vs RC minified (${fmt(s['rc-min'].median, 1)} ms): ${fmtRatio(s.ours.median / s['rc-min'].median)}` : ''}` +
      (s.floor ? `; FLOOR, RC + an empty wasm module asked for when the script ran: ${fmt(s.floor.median, 1)} ms = ${fmtRatio(s.floor.median / s.rc.median)} RC` +
        (s['floor-early'] ? ` (asked for before the script tag: ${fmtRatio(s['floor-early'].median / s.rc.median)})` : '') : ''),
  });
} else missing.push('cold-start');
if (sizes) {
  const t = sizes.totals;
  rows.push({
    what: 'download size, gzip -9 (RC IIFE as shipped, unminified, vs ours IIFE minified + wasm)', unit: 'bytes',
    rc: t.rc.gzip, ours: t.ours.gzip, ratio: t.ours.gzip / t.rc.gzip, ratioBest: t.ours.gzip / t.rc.gzip, ratioKind: SMALLER,
    note: `raw ${t.rc.raw} vs ${t.ours.raw}; vs RC minified (${t['rc-min'].gzip} B gz): ${fmtRatio(t.ours.gzip / t['rc-min'].gzip)}`,
  });
} else missing.push('sizes');
if (parse) {
  const all = parse.runs?.all ?? [];
  const rc = all.find((r) => r.name === 'ringcentral-web-phone');
  const ours = all.find((r) => r.kind !== 'floor' && /wasm/.test(r.name));
  if (rc && ours) {
    rows.push({
      what: 'FLOOR: parse only, our `_wwp_parse_fields` returning 5 fields (a function only the benchmark calls) vs RC InboundMessage.fromString building every header', unit: 'µs/msg',
      rc: rc.usPerMsg, ours: ours.usPerMsg, ratio: ours.ratioMedian, ratioBest: ours.ratioBest, ratioKind: FASTER,
      note: `verified RC ${rc.verified}, ours ${ours.verified}; not a user path`,
    });
  }
} else missing.push('parse');

const env = receive?.env ?? send?.env ?? cold?.env ?? parse?.env ?? {};
const out = [];
out.push('# Benchmark summary: wasm-web-phone vs ringcentral-web-phone, same run\n');
out.push(`${env.date ?? ''}; node ${env.node ?? '?'}, ${env.cpu ?? '?'} x${env.cores ?? '?'}; ours: ${receive?.env?.ours ?? send?.env?.ours ?? '?'}; dist: \`${env.dist ?? '?'}\`.`);
out.push('RC and ours columns are medians; "bests" compares the best sample (min) of each. Each ratio comes from one process (Node) or one browser (Chromium) running both SDKs interleaved. Details: the per-script .md files next to this one.\n');
const num = (x, unit) => (x === undefined || !Number.isFinite(x) ? 'n/a' : unit === 'bytes' ? String(Math.round(x)) : fmt(x, unit === 'ms' ? 1 : 2));
out.push(table(['what', 'unit', 'RC', 'ours', 'ratio (medians)', 'ratio (bests)', 'ratio is', 'note'],
  rows.map((r) => [r.what, r.unit, num(r.rc, r.unit), num(r.ours, r.unit), fmtRatio(r.ratio), fmtRatio(r.ratioBest), r.ratioKind, r.note])));
if (notes.length) out.push(`\n${notes.map((n) => `- ${n}`).join('\n')}`);
const skipped = missing.filter((m) => !wanted.has(m));
const failed = missing.filter((m) => wanted.has(m));
if (failed.length) out.push(`\nNo results for: ${failed.join(', ')} (script failed; see <dir>/<name>.log).`);
if (skipped.length) out.push(`\nNot part of this run: ${skipped.join(', ')}.`);
const text = out.join('\n') + '\n';
console.log(text);
writeFileSync(join(opts.dir, 'summary.md'), text);
writeFileSync(join(opts.dir, 'summary.json'), JSON.stringify({ env, rows, notes, missing }, null, 1) + '\n');
