#!/usr/bin/env node
// Cold start in Chromium: navigation start -> the SDK hands its first frame
// (the REGISTER) to the WebSocket. What a page with the SDK's script tag pays
// before it is on the wire: HTML, SDK script fetched, parsed and run, for ours
// also sip-core.wasm fetched, compiled and instantiated (streaming, served as
// application/wasm), then `new WebPhone({ sipInfo }).start()` up to ws.send.
//
//   node bench/cold-start.mjs [--dist DIR] [--quick] [--runs 15] [--warmup 2] [--out PATH] [--trace DIR] [--base DIR] [--no-floor]
//
// - Debian's /usr/bin/chromium driven by playwright-core from node_modules,
//   headless. The script re-runs itself inside scripts/netns-run.sh (a
//   network namespace with only loopback) unless it is already in one.
// - A tiny HTTP server on 127.0.0.1 (port chosen by the OS) serves the pages
//   and the SDK files (lib/sdk.mjs pageAssets): RC's IIFE as shipped, RC's
//   IIFE minified with esbuild (a page that minifies its assets), and ours
//   (dist/iife/wasm-web-phone.js + dist/sip-core.wasm, found next to the
//   script as the SDK does by default).
// - The page replaces `WebSocket` before the SDK loads with a fake one that
//   opens on the next macrotask and stamps performance.now() at the first
//   send(); performance.now() counts from the navigation start.
// - A fresh browser context per sample (empty HTTP and code caches), one
//   browser for the run. Variants alternate, the order rotated per round;
//   the first --warmup rounds are dropped. Reported: median (and min/max) of
//   first-frame time, plus when the SDK script had run, and ratio ours/RC
//   (< 1: we start faster).
// - --trace DIR also writes a Chromium trace of every sample after the
//   warm-up (DIR/<variant>-<n>.json; open it in Perfetto or chrome://tracing).
//   The categories include V8's wasm compile events, so a traced sample is
//   slower than a plain one: use it to see where the time goes, not for figures.
// - --base DIR adds another build of ours (DIR is its dist) as a fourth
//   variant in the same browser and rounds, for an A/B of a change: the
//   report adds the median of the per-round differences, ours - base. A few
//   ms show only this way; two separate runs differ by more than that.
//   Its figures go to /tmp/wwp-bench-ab unless --out says otherwise.
// - Two FLOOR variants (--floor, on by default): RC's own IIFE, but start()
//   waits for an empty wasm module (the 8-byte header) fetched and compiled
//   with compileStreaming, then instantiated. "floor" asks for it right
//   after RC's script ran, where an SDK's own script can ask at the soonest
//   (ours asks at the top of its IIFE, about as soon); "floor-early" asks in
//   an inline script before RC's script tag, so its compile overlaps the
//   script's download and parse, which only the page itself can arrange.
//   Their ratios to RC are the least any SDK of RC's script size pays for
//   having a wasm core at all in this browser: the fetch, the compile job's
//   tasks and the promise hops, with nothing to compile. Not user paths;
//   shown as floors next to the ratio, never instead of it.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { benchDir, envInfo, fmt, fmtRatio, median, min, parseArgs, repoDir, table } from './lib/util.mjs';
import { oursAssets, oursVersion, pageAssets, rcVersion, resolveDist, shownPath, sipInfo } from './lib/sdk.mjs';

if (!process.env.WWP_IN_NETNS) {
  const r = spawnSync('bash', [join(repoDir, 'scripts', 'netns-run.sh'), process.execPath, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const opts = parseArgs(process.argv.slice(2), {
  dist: '', runs: 15, warmup: 2, quick: false, rcMin: true, out: join(benchDir, 'results', 'cold-start'), chromium: '/usr/bin/chromium', quiet: false,
  trace: '', base: '', floor: true,
});
// Traced samples are slower: their figures go next to the traces, never to bench/results.
if (opts.trace && opts.out === join(benchDir, 'results', 'cold-start')) opts.out = join(opts.trace, 'cold-start');
if (opts.base && opts.out === join(benchDir, 'results', 'cold-start')) opts.out = '/tmp/wwp-bench-ab/cold-start';
const TRACE_CATEGORIES = ['devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'loading', 'toplevel'];
if (opts.quick) {
  Object.assign(opts, { runs: Math.min(opts.runs, 5), warmup: Math.min(opts.warmup, 1) });
  if (opts.out === join(benchDir, 'results', 'cold-start')) opts.out = '/tmp/wwp-bench-quick/cold-start';
}
const log = opts.quiet ? () => {} : (...a) => console.error(...a);
const dist = resolveDist(opts.dist);
const assets = await pageAssets(dist);
const variants = opts.rcMin ? ['rc', 'rc-min', 'ours'] : ['rc', 'ours'];
const label = { rc: `ringcentral-web-phone ${rcVersion} (IIFE as shipped)`, 'rc-min': `ringcentral-web-phone ${rcVersion} (IIFE minified)`, ours: `wasm-web-phone ${await oursVersion(dist)}` };
// The floor (header comment): RC's script, start() after an empty wasm module.
const EMPTY_WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
if (opts.floor) {
  for (const v of ['floor', 'floor-early']) {
    variants.push(v);
    assets[v] = [{ ...assets.rc[0], url: `/${v}/index.iife.js` }, { label: 'an empty wasm module (8 bytes)', url: `/${v}/empty.wasm`, type: 'application/wasm', bytes: EMPTY_WASM }];
  }
  label.floor = `FLOOR: ringcentral-web-phone ${rcVersion}, start() after an empty wasm module asked for when the script ran`;
  label['floor-early'] = `FLOOR: the same, the empty module asked for before the script tag`;
}
if (opts.base) {
  const base = resolveDist(opts.base);
  variants.push('base');
  assets.base = oursAssets(base, '/base');
  label.base = `base: wasm-web-phone ${await oursVersion(base)} (\`${shownPath(base)}\`)`;
}

// ------------------------------------------------------------ pages and server

const hook = `<script>
window.__bench = { send: 0, script: 0, error: '' };
class FakeWebSocket extends EventTarget {
  constructor(url, protocol) {
    super(); this.url = url; this.protocol = 'sip'; this.readyState = 0; this.bufferedAmount = 0;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    setTimeout(() => { this.readyState = 1; const e = new Event('open'); this.onopen && this.onopen(e); this.dispatchEvent(e); }, 0);
  }
  send(data) { if (!window.__bench.send) window.__bench.send = performance.now(); }
  close() { this.readyState = 3; }
}
FakeWebSocket.CONNECTING = 0; FakeWebSocket.OPEN = 1; FakeWebSocket.CLOSING = 2; FakeWebSocket.CLOSED = 3;
window.WebSocket = FakeWebSocket;
// Phases of ours (no effect on RC, which never calls these): when the core's
// compile was asked for and when the instance was handed back.
for (const name of ['instantiateStreaming', 'instantiate']) {
  const f = WebAssembly[name];
  if (typeof f !== 'function') continue;
  WebAssembly[name] = function (...a) {
    if (!window.__bench.wasmCall) window.__bench.wasmCall = performance.now();
    return f.apply(this, a).then((r) => { if (!window.__bench.wasmReady) window.__bench.wasmReady = performance.now(); return r; });
  };
}
</script>`;
const startPhone = `try {
  const phone = new WebPhone({ sipInfo: ${JSON.stringify(sipInfo)} });
  phone.start().catch((e) => { window.__bench.error = String(e); });
} catch (e) { window.__bench.error = String(e); }`;
// wasm0: the floors' empty module, asked for 'early' (before the script tag) or 'late' (after it ran).
const page = (src, wasm0, when) => {
  const ask = `window.__wasm0 = WebAssembly.compileStreaming(fetch('${wasm0}')).then((m) => WebAssembly.instantiate(m, {}));`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>cold start</title><link rel="icon" href="data:,">${hook}
${wasm0 && when === 'early' ? `<script>${ask}</script>\n` : ''}<script src="${src}"></script>
<script>
window.__bench.script = performance.now();
${wasm0 ? `${when === 'late' ? ask : ''}
window.__wasm0.then(() => { ${startPhone} }, (e) => { window.__bench.error = String(e); });` : startPhone}
</script></head><body></body></html>`;
};

const routes = new Map();
for (const v of variants) {
  for (const a of assets[v]) routes.set(a.url, { type: a.type, body: a.bytes });
  routes.set(`/${v}.html`, { type: 'text/html; charset=utf-8', body: Buffer.from(page(assets[v][0].url, v.startsWith('floor') ? assets[v][1].url : undefined, v === 'floor-early' ? 'early' : 'late')) });
}
const server = http.createServer((req, res) => {
  const r = routes.get(req.url.split('?')[0]);
  if (!r) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': r.type, 'content-length': r.body.length });
  res.end(r.body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

// ------------------------------------------------------------ samples

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: opts.chromium, args: ['--no-sandbox'] });
const samples = Object.fromEntries(variants.map((v) => [v, { send: [], script: [], html: [], wasm: [], wasmStart: [], wasmCall: [], wasmReady: [], errors: [] }]));
const paired = []; // per round with both: ours.send - base.send (--base)
const last = {};
const consoleMsgs = Object.fromEntries(variants.map((v) => [v, new Set()]));
let traced = 0;
async function sample(v, trace) {
  const ctx = await browser.newContext();
  try {
    const p = await ctx.newPage();
    p.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleMsgs[v].add(`${m.type()}: ${m.text().slice(0, 200)}`); });
    if (trace) await browser.startTracing(p, { categories: TRACE_CATEGORIES });
    await p.goto(`${origin}/${v}.html`);
    await p.waitForFunction(() => window.__bench.send > 0 || window.__bench.error, null, { timeout: 15000, polling: 'raf' });
    if (trace) {
      mkdirSync(opts.trace, { recursive: true });
      writeFileSync(join(opts.trace, `${v}-${++traced}.json`), await browser.stopTracing());
    }
    return await p.evaluate(() => ({
      ...window.__bench,
      html: performance.getEntriesByType('navigation')[0]?.responseEnd ?? NaN,
      wasm: performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'))?.responseEnd ?? NaN,
      wasmStart: performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'))?.startTime ?? NaN,
    }));
  } catch (e) {
    return { send: NaN, script: NaN, error: String(e.message ?? e).split('\n')[0] };
  } finally {
    await ctx.close();
  }
}
const rounds = opts.warmup + opts.runs;
for (let r = 0; r < rounds; r++) {
  const roundSend = {};
  for (let k = 0; k < variants.length; k++) {
    const v = variants[(k + r) % variants.length];
    const s = await sample(v, opts.trace !== '' && r >= opts.warmup);
    roundSend[v] = s.error ? NaN : s.send;
    last[v] = s.error ? s.error.slice(0, 40) : `${fmt(s.send, 1)} ms`;
    if (r < opts.warmup) continue;
    if (s.error || !(s.send > 0)) samples[v].errors.push(s.error || 'no frame sent');
    else { samples[v].send.push(s.send); samples[v].script.push(s.script); samples[v].html.push(s.html); samples[v].wasm.push(s.wasm); samples[v].wasmStart.push(s.wasmStart); samples[v].wasmCall.push(s.wasmCall ?? NaN); samples[v].wasmReady.push(s.wasmReady ?? NaN); }
  }
  if (opts.base && r >= opts.warmup && roundSend.ours > 0 && roundSend.base > 0) paired.push(roundSend.ours - roundSend.base);
  log(`  round ${r + 1}/${rounds}${r < opts.warmup ? ' (warm-up)' : ''}: ${variants.map((v) => `${v} ${last[v]}`).join(', ')}`);
}
const version = browser.version();
await browser.close();
server.close();

// ------------------------------------------------------------ report

const stat = (v) => {
  const s = samples[v];
  const after = s.send.map((t, i) => t - s.script[i]);
  return {
    n: s.send.length, median: median(s.send), min: min(s.send), max: Math.max(...s.send),
    htmlMedian: median(s.html), wasmMedian: median(s.wasm), wasmStartMedian: median(s.wasmStart), wasmCallMedian: median(s.wasmCall), wasmReadyMedian: median(s.wasmReady), scriptMedian: median(s.script), afterScriptMedian: median(after), errors: s.errors,
  };
};
const stats = Object.fromEntries(variants.map((v) => [v, stat(v)]));
const ratio = stats.ours.median / stats.rc.median;
const ratioMin = opts.rcMin ? stats.ours.median / stats['rc-min'].median : NaN;
const env = { ...envInfo(), chromium: version, dist: shownPath(dist) };
const out = [];
out.push('# Cold start in Chromium: navigation start -> first frame (REGISTER) sent (ms)\n');
out.push(`Chromium ${version} (headless, ${opts.chromium}), loopback HTTP on 127.0.0.1, fresh browser context per sample, fake WebSocket that opens at once; ` +
  `${opts.runs} samples per variant after ${opts.warmup} warm-up round(s), variants alternating; ${env.date}; dist: \`${shownPath(dist)}\`.`);
out.push('Breakdown (medians): "HTML in" = the page\'s responseEnd; "SDK script ran" = performance.now() in the inline script right after the SDK\'s script tag; ' +
  '"start() -> frame" = first frame minus that (for ours: wasm fetch + compile + instantiate + start()); "wasm in" = responseEnd of sip-core.wasm. Ratio = ours / RC (< 1: we are on the wire sooner).\n');
out.push(table(['variant', 'first frame median', 'min', 'max', 'HTML in', 'SDK script ran', 'wasm in', 'start() -> frame', 'samples', 'errors', 'ours × this'],
  variants.map((v) => [label[v], fmt(stats[v].median, 1), fmt(stats[v].min, 1), fmt(stats[v].max, 1), fmt(stats[v].htmlMedian, 1), fmt(stats[v].scriptMedian, 1),
    Number.isFinite(stats[v].wasmMedian) ? fmt(stats[v].wasmMedian, 1) : '—', fmt(stats[v].afterScriptMedian, 1), stats[v].n, stats[v].errors.length,
    v === 'ours' ? '—' : fmtRatio(stats.ours.median / stats[v].median)])));
{
  // Where ours spends its time after its script ran (medians of per-sample gaps).
  const s = samples.ours;
  const gap = (a, b) => median(s[b].map((t, i) => t - s[a][i]));
  out.push('\nOurs, phase by phase (median of the per-sample gaps, ms): script ran -> wasm request started ' + fmt(gap('script', 'wasmStart'), 1) +
    '; wasm request -> last byte in ' + fmt(gap('wasmStart', 'wasm'), 1) +
    '; compile asked (instantiateStreaming called) at ' + fmt(median(s.wasmCall), 1) + ' ms; last byte in -> instance ready ' + fmt(gap('wasm', 'wasmReady'), 1) +
    '; instance ready -> first frame ' + fmt(gap('wasmReady', 'send'), 1) + '.');
}
if (opts.base) {
  const sorted = [...paired].sort((a, b) => a - b);
  const faster = paired.filter((d) => d < 0).length;
  out.push(`\nA/B, ours - base per round (same browser, same round; ${paired.length} rounds): median ${fmt(median(paired), 1)} ms, ` +
    `middle half ${fmt(sorted[Math.floor(sorted.length / 4)], 1)} to ${fmt(sorted[Math.floor((sorted.length * 3) / 4)], 1)} ms; ours first in ${faster} of ${paired.length}.`);
}
const errs = variants.flatMap((v) => [...new Set(stats[v].errors)].map((e) => `- ${v}: ${e}`));
if (errs.length) out.push(`\nErrors:\n${errs.join('\n')}`);
const cons = variants.flatMap((v) => [...consoleMsgs[v]].map((m) => `- ${v}: ${m}`));
if (cons.length) out.push(`\nBrowser console warnings/errors:\n${cons.join('\n')}`);
out.push(`\nratio ours/RC (medians): ${fmtRatio(ratio)} vs RC as shipped${opts.rcMin ? `, ${fmtRatio(ratioMin)} vs RC minified` : ''}`);
if (opts.floor) out.push(`FLOOR, RC + an empty wasm module / RC (medians): ${fmtRatio(stats.floor.median / stats.rc.median)} asked for when the script ran, ${fmtRatio(stats['floor-early'].median / stats.rc.median)} asked for before the script tag (the least a wasm core costs here; not user paths)`);
const text = out.join('\n') + '\n';
console.log(text);
if (opts.out) {
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(`${opts.out}.md`, text);
  writeFileSync(`${opts.out}.json`, JSON.stringify({ env, opts, stats, ratio, ratioVsMinified: ratioMin, ratioFloor: opts.floor ? stats.floor.median / stats.rc.median : null, ratioFloorEarly: opts.floor ? stats['floor-early'].median / stats.rc.median : null, samples, paired, console: Object.fromEntries(variants.map((v) => [v, [...consoleMsgs[v]]])) }, null, 1) + '\n');
  log(`wrote ${opts.out}.md and ${opts.out}.json`);
}
process.exit(0);
