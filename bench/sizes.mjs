#!/usr/bin/env node
// What a page downloads, per SDK: raw, gzip -9 and brotli (q11) bytes.
//   ringcentral-web-phone: dist/index.iife.js as shipped in the npm package
//     (unminified), and the same after `esbuild --minify` (no re-bundling);
//   wasm-web-phone: dist/iife/wasm-web-phone.js (minified) + dist/sip-core.wasm.
// Ratio = ours / RC, so < 1 means we download less.
//
//   node bench/sizes.mjs [--dist DIR] [--out PATH]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { benchDir, fmtRatio, parseArgs, table } from './lib/util.mjs';
import { oursVersion, pageAssets, rcVersion, resolveDist, shownPath } from './lib/sdk.mjs';

const opts = parseArgs(process.argv.slice(2), { dist: '', quick: false, out: join(benchDir, 'results', 'sizes') });
if (opts.quick && opts.out === join(benchDir, 'results', 'sizes')) opts.out = '/tmp/wwp-bench-quick/sizes';
const dist = resolveDist(opts.dist);
const assets = await pageAssets(dist);

let gzipTool = 'gzip -9';
function gzip9(buf) {
  try { return execFileSync('gzip', ['-9c'], { input: buf, maxBuffer: 1 << 28 }).length; } catch {
    gzipTool = 'node:zlib gzip level 9 (no gzip binary)';
    return gzipSync(buf, { level: 9 }).length;
  }
}
const brotli = (buf) => brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length } }).length;
const measure = (a) => ({ file: a.label, path: shownPath(a.path), raw: a.bytes.length, gzip: gzip9(a.bytes), brotli: brotli(a.bytes) });

const files = Object.fromEntries(Object.entries(assets).map(([k, list]) => [k, list.map(measure)]));
const total = (k) => files[k].reduce((s, f) => ({ raw: s.raw + f.raw, gzip: s.gzip + f.gzip, brotli: s.brotli + f.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const totals = { rc: total('rc'), 'rc-min': total('rc-min'), ours: total('ours') };
const ratios = {
  vsShipped: { raw: totals.ours.raw / totals.rc.raw, gzip: totals.ours.gzip / totals.rc.gzip, brotli: totals.ours.brotli / totals.rc.brotli },
  vsMinified: { raw: totals.ours.raw / totals['rc-min'].raw, gzip: totals.ours.gzip / totals['rc-min'].gzip, brotli: totals.ours.brotli / totals['rc-min'].brotli },
};
const ours = await oursVersion(dist);
const label = { rc: `ringcentral-web-phone ${rcVersion}, IIFE as shipped`, 'rc-min': `ringcentral-web-phone ${rcVersion}, IIFE minified`, ours: `wasm-web-phone ${ours}` };
const rows = [];
for (const k of ['rc', 'rc-min', 'ours']) {
  for (const f of files[k]) rows.push([label[k], f.file, f.raw, f.gzip, f.brotli, '', '']);
  const t = totals[k];
  rows.push([`**${label[k]}: total**`, '', t.raw, t.gzip, t.brotli, fmtRatio(t.gzip / totals.rc.gzip), fmtRatio(t.gzip / totals['rc-min'].gzip)]);
}
const out = [];
out.push('# Download size: what a page fetches (bytes)\n');
out.push(`dist: \`${shownPath(dist)}\`; gzip: ${gzipTool}; brotli: node:zlib quality 11. Ratios are ours/RC on gzip bytes (< 1: smaller).\n`);
out.push(table(['SDK', 'file', 'raw', 'gzip -9', 'brotli', 'gzip × RC shipped', 'gzip × RC minified'], rows));
out.push(`\nours / RC as shipped: raw ${fmtRatio(ratios.vsShipped.raw)}, gzip ${fmtRatio(ratios.vsShipped.gzip)}, brotli ${fmtRatio(ratios.vsShipped.brotli)}`);
out.push(`ours / RC minified:   raw ${fmtRatio(ratios.vsMinified.raw)}, gzip ${fmtRatio(ratios.vsMinified.gzip)}, brotli ${fmtRatio(ratios.vsMinified.brotli)}`);
const text = out.join('\n') + '\n';
console.log(text);
if (opts.out) {
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(`${opts.out}.md`, text);
  writeFileSync(`${opts.out}.json`, JSON.stringify({ dist: shownPath(dist), date: new Date().toISOString(), gzipTool, files, totals, ratios }, null, 1) + '\n');
}
