// Helpers for the parse benchmark: CLI options, corpus loading, the
// interleaved timing loop, statistics and Markdown tables.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

export const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = join(benchDir, '..');
export const corpusDir = join(benchDir, 'corpus');

/// `--reps 9 --target-ms=100 --no-floors` → { reps: 9, targetMs: 100, floors: false }.
/// Only keys present in `defaults` are accepted; their type decides the parse.
export function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const [raw, inline] = a.slice(2).split(/=(.*)/s, 2);
    const camel = (k) => k.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (raw.startsWith('no-') && typeof defaults[camel(raw.slice(3))] === 'boolean') {
      out[camel(raw.slice(3))] = false;
      continue;
    }
    const key = camel(raw);
    if (!(key in defaults)) throw new Error(`unknown option --${raw}`);
    if (typeof defaults[key] === 'boolean' && inline === undefined) { out[key] = true; continue; }
    const v = inline ?? argv[++i];
    if (v === undefined) throw new Error(`--${raw} needs a value`);
    out[key] = typeof defaults[key] === 'number' ? Number(v)
      : typeof defaults[key] === 'boolean' ? v !== 'false' : v;
  }
  return out;
}

/// The corpus: manifest entries plus the message as a JS string (what a
/// WebSocket text frame gives JS) and as an independent byte copy.
export function loadCorpus() {
  const manifest = JSON.parse(readFileSync(join(corpusDir, 'manifest.json'), 'utf8'));
  return manifest.map((e) => {
    const buf = readFileSync(join(corpusDir, e.file));
    return { ...e, string: buf.toString('utf8'), bytes: new Uint8Array(buf) };
  });
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
export const min = (xs) => Math.min(...xs);
export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

// One loop per workload, compiled with new Function: each gets its own call
// site and type feedback, so a shared loop cannot go megamorphic and slow the
// fastest workloads down. The sink keeps results observable.
function makeLoop() {
  // eslint-disable-next-line no-new-func
  return new Function('fn', 'inputs', 'passes', `
    let sink = 0;
    const n = inputs.length;
    for (let p = 0; p < passes; p++)
      for (let i = 0; i < n; i++) sink = (sink + (fn(inputs[i]) === undefined ? 1 : 2)) | 0;
    return sink;
  `);
}

/// Warm up and calibrate each workload (one sample ≈ targetMs), then run
/// `reps` rounds; every round runs every workload once, in an order rotated
/// per round, so drift hits all alike. Adds `samples` (ms per pass) to each.
export function measureInterleaved(workloads, { reps, targetMs, warmupMs, log = () => {} }) {
  for (const w of workloads) {
    w.loop = makeLoop();
    const tEnd = nowMs() + warmupMs;
    do w.loop(w.fn, w.inputs, 1); while (nowMs() < tEnd);
    for (let passes = 1; ; passes *= 4) {
      const t0 = nowMs();
      w.loop(w.fn, w.inputs, passes);
      const dt = nowMs() - t0;
      if (dt >= targetMs / 4 || passes >= 1e7) {
        w.passes = Math.max(1, Math.round((passes * targetMs) / Math.max(dt, 1e-3)));
        break;
      }
    }
    w.samples = [];
    log(`  calibrated ${w.name}: ${w.passes} passes/sample`);
  }
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < workloads.length; k++) {
      const w = workloads[(k + r) % workloads.length];
      const t0 = nowMs();
      w.loop(w.fn, w.inputs, w.passes);
      w.samples.push((nowMs() - t0) / w.passes);
    }
  }
  return workloads;
}

export function envInfo() {
  const cpus = os.cpus();
  return {
    node: process.version, v8: process.versions.v8,
    cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length,
    platform: `${os.platform()} ${os.release()}`, date: new Date().toISOString(),
  };
}

export function table(headers, rows) {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => '| ' + r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join(' | ') + ' |';
  const sep = '|' + w.map((n, i) => (i === 0 ? ':' + '-'.repeat(n + 1) : '-'.repeat(n + 1) + ':')).join('|') + '|';
  return [line(headers), sep, ...rows.map(line)].join('\n');
}

export const fmtInt = (x) => (Math.round(x) || 0).toLocaleString('en-US');
export const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
/// Ratios span 0.001×..100×: two significant digits below 1.
export const fmtRatio = (x) => (!Number.isFinite(x) ? 'n/a' : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2));
