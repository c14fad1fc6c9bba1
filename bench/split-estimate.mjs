#!/usr/bin/env node
// Research aid (not a benchmark, not shipped): how small would the wasm a
// page needs before its first REGISTER be, if sip-core.wasm were split into
// a primary module (what a scenario runs) and a secondary one loaded later?
// Issue "The wasm boundary, rebuilt" asks for a faster cold start; every phase
// before the REGISTER grows with the module (bench/README.md, cold start).
//
//   node bench/split-estimate.mjs [--wasm build/wasm-names/wasm/sip-core.wasm]
//
// For each scenario it:
//   1. instruments the module with Binaryen's wasm-split (--instrument: one
//      flag per function, set on its first call);
//   2. runs the SDK from dist/ on that module in Node against the test kit's
//      server with fake media, through the scenario;
//   3. reads the profile back (`__write_profile`) and splits the module by it
//      (wasm-split --profile), then strips names and runs wasm-opt -Oz;
//   4. prints each part's raw and gzip -9 size next to the whole module's.
// Scenarios: `register` (start() until registered: REGISTER, 401, REGISTER
// with credentials, 200), `calls` (that, then an outbound call answered,
// hold, unhold, a DTMF digit, hangup, and an inbound call answered and hung up).
// Needs dist/ and a module with function names (scripts/bench.sh builds
// build/wasm-names). The split modules are not runnable as they are: the
// primary imports a placeholder per moved function that a loader would have
// to serve (load the secondary, call through the table).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs, repoDir } from './lib/util.mjs';

const opts = parseArgs(process.argv.slice(2), { wasm: join(repoDir, 'build/wasm-names/wasm/sip-core.wasm') });
const work = mkdtempSync(join(tmpdir(), 'wwp-split-'));
const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
// The module validates as MVP plus mutable globals (its stack pointer), which
// wasm-split needs to share between the two parts.
const FEATURES = ['--enable-mutable-globals'];

const instrumented = join(work, 'instrumented.wasm');
execFileSync('wasm-split', [...FEATURES, '--instrument', opts.wasm, '-o', instrumented]);
const bin = readFileSync(instrumented);

const { default: WebPhone } = await import(`${repoDir}/dist/es/index.js`);
const { loadedCore } = await import(`${repoDir}/dist/es/core/loader.js`);
const { startTestServer, fakeMedia, useNodeWebSocket } = await import(`${repoDir}/dist/testing/index.mjs`);
useNodeWebSocket();
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** The profile after `scenario` ran; the instrumented module is loaded once, so scenarios accumulate: run the smaller first. */
async function profile(scenario) {
  const server = await startTestServer({ transport: 'ws', extensions: ['101', '102'] });
  const phones = [];
  const phone = async (ext) => {
    const media = fakeMedia();
    const wp = new WebPhone({ sipInfo: server.sipInfo(ext), webRtcSessionFactory: media.factory,
      deviceManager: media.deviceManager, wasm: { wasmBinary: bin }, autoAnswer: false });
    phones.push(wp);
    await wp.start();
    return wp;
  };
  try {
    const a = await phone('101');
    if (scenario === 'calls') {
      const b = await phone('102');
      b.on('inboundCall', (s) => void s.answer());
      const s = await a.call('102');
      await s.hold();
      await s.unhold();
      s.sendDtmf('1');
      await pause(200);
      await s.hangup();
      a.on('inboundCall', (s2) => void s2.answer());
      const back = await b.call('101');
      await pause(200);
      await back.hangup();
    }
    const x = loadedCore().abi.x;
    const size = 1 << 16;
    const ptr = x.wwp_scratch(size);
    const n = x.__write_profile(ptr, size);
    const path = join(work, `${scenario}.prof`);
    writeFileSync(path, new Uint8Array(x.memory.buffer, ptr, n));
    return path;
  } finally {
    for (const p of phones) await p.dispose();
    server.close();
  }
}

const rows = [];
const shipped = join(work, 'whole.wasm');
execFileSync('wasm-opt', [...FEATURES, '--strip-debug', opts.wasm, '-o', shipped]);
rows.push(['whole module (no split)', statSync(shipped).size, gz(shipped)]);
for (const scenario of ['register', 'calls']) {
  const prof = await profile(scenario);
  const p1 = join(work, `${scenario}-primary.wasm`);
  const p2 = join(work, `${scenario}-secondary.wasm`);
  execFileSync('wasm-split', [...FEATURES, opts.wasm, `--profile=${prof}`, '-o1', p1, '-o2', p2]);
  for (const [label, f] of [['primary', p1], ['secondary', p2]]) {
    execFileSync('wasm-opt', [...FEATURES, '--strip-debug', '-Oz', f, '-o', f]);
    rows.push([`${scenario}: ${label}`, statSync(f).size, gz(f)]);
  }
}
console.log('| part | raw B | gzip -9 B |\n|:--|--:|--:|');
for (const [label, raw, g] of rows) console.log(`| ${label} | ${raw} | ${g} |`);
console.log(`\n(${opts.wasm}; work files in ${work})`);
process.exit(0);
