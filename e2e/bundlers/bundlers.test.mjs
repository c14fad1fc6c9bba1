// The check half of the bundler e2e (see harness.mjs): for every app that
// `node e2e/bundlers/run.mjs prepare` built, serve it, open it in Chromium and
// require that the page's WebPhone REGISTERs with the rc-edge. Runs only in the
// loopback-only netns:
//   node e2e/bundlers/run.mjs prepare                                   # outside: pack, install, build
//   scripts/netns-run.sh node --test e2e/bundlers/bundlers.test.mjs     # inside: serve, browse, register
// (or `node e2e/bundlers/run.mjs` for both). WWP_BUNDLERS_WORK names the work dir.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readManifest, startRig, serveDir, checkPage, judge, summarize, startDevServer, workDir } from './harness.mjs';

const manifest = readManifest();
const only = process.env.WWP_BUNDLERS_ONLY ? process.env.WWP_BUNDLERS_ONLY.split(',') : null;
const builds = manifest.builds.filter((b) => !only || only.includes(b.name));
const devServers = manifest.devServers.filter((d) => !only || only.includes(d.name));
const results = [];
let rig;

before(async () => {
  rig = await startRig({ log: process.env.WWP_BUNDLERS_DEBUG ? console.log : () => {} });
});

after(async () => {
  await rig?.close();
  fs.writeFileSync(path.join(workDir(), 'results.json'), `${JSON.stringify({ package: manifest.pkgDir, version: manifest.version, results }, null, 2)}\n`);
  console.log(`\n=== bundlers: ${manifest.name}@${manifest.version} from ${manifest.pkgDir}`);
  for (const r of results) console.log(r.summary.split('\n')[0]);
  console.log(`(details: ${path.join(workDir(), 'results.json')})`);
});

// Keeps the result for the summary; returns the report (the assertion message).
function record(name, r) {
  const summary = summarize(name, r);
  results.push({ name, ...r, summary });
  return summary;
}

for (const b of builds) {
  test(`${b.name}: ${b.what}`, async (t) => {
    if (b.skipped) { t.skip(b.skipped); return; }
    if (!b.ok) {
      const r = { ok: false, state: 'build', detail: `${b.status}`, edgeBindings: 0, wasm: [], httpErrors: [],
        console: [], build: [...b.notes, `(log: ${b.log})`] };
      assert.fail(record(b.name, r));
    }
    const srv = await serveDir(b.outDir);
    try {
      const r = judge(await checkPage(rig, srv.origin), b.loads);
      const report = record(b.name, r);
      assert.ok(r.ok, report);
      t.diagnostic(report);
    } finally {
      await srv.close();
    }
  });
}

for (const d of devServers) {
  test(`${d.name}: ${d.what}`, async (t) => {
    assert.ok(d.ok, `${d.name}: ${d.status}`);
    const dev = await startDevServer(d, d.appDir);
    try {
      const r = judge(await checkPage(rig, dev.origin, { timeoutMs: 30_000 }), d.loads);   // the first load pre-bundles
      if (!r.ok) r.console.push(...dev.output().split('\n').filter(Boolean).slice(-8).map((l) => `dev server: ${l}`));
      const report = record(d.name, r);
      assert.ok(r.ok, report);
      t.diagnostic(report);
    } finally {
      await dev.stop();
    }
  });
}

// The harness must be able to say FAIL: the first build that registered is
// loaded again with a wrong password, and must be reported as a failure (403),
// with no binding at the edge.
test('control: a phone that cannot register is reported as a failure', async (t) => {
  const good = builds.find((b) => results.some((r) => r.name === b.name && r.ok));
  if (!good) { t.skip('no build registered, so there is nothing to control against'); return; }
  const srv = await serveDir(good.outDir);
  try {
    const r = await checkPage(rig, srv.origin, { sipInfo: rig.sipInfo({ password: 'wrong-password' }) });
    t.diagnostic(`${good.name} with a wrong password: ${r.state}: ${r.detail} (edge bindings: ${r.edgeBindings})`);
    assert.equal(r.ok, false);
    assert.equal(r.state, 'failed');
    assert.match(r.detail, /403/);
    assert.equal(r.edgeBindings, 0);
  } finally {
    await srv.close();
  }
});
