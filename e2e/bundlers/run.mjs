#!/usr/bin/env node
// Bundler e2e, both halves (harness.mjs):
//   node e2e/bundlers/run.mjs [all|prepare|check] [--pkg DIR] [--work DIR] [--only vite,webpack,...]
//     prepare  outside the netns: npm pack DIR (default: this repo, built), install the
//              tarball into each app, build each with its bundler -> <work>/manifest.json
//     check    the browser half, run through scripts/netns-run.sh (loopback only):
//              node --test e2e/bundlers/bundlers.test.mjs
//     all      (default) prepare, then check
//   --pkg DIR   package to test (WWP_PKG_DIR), e.g. a git worktree after scripts/build.sh
//   --work DIR  work dir (WWP_BUNDLERS_WORK), default $TMPDIR/wwp-bundlers-e2e
//   --only a,b  builds/dev servers by name: vite webpack esbuild-iife esbuild-esm vite-dev
// Exit status: 0 when every bundler's page registered.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { prepare, REPO, HERE, workDir, packageDir } from './harness.mjs';

const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : undefined; };
const mode = argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--')) ?? 'all';
if (!['all', 'prepare', 'check'].includes(mode)) {
  console.error('usage: node e2e/bundlers/run.mjs [all|prepare|check] [--pkg DIR] [--work DIR] [--only a,b]');
  process.exit(2);
}
const work = workDir(opt('work'));
const only = opt('only')?.split(',');
const env = { ...process.env, WWP_BUNDLERS_WORK: work, ...(only ? { WWP_BUNDLERS_ONLY: only.join(',') } : {}) };

if (mode !== 'check') {
  console.log(`=== bundlers: prepare (package ${packageDir(opt('pkg'))}, work ${work})`);
  prepare({ pkg: opt('pkg'), work, only });
}
if (mode !== 'prepare') {
  console.log('=== bundlers: check (loopback-only netns: rc-edge, static servers, Chromium)');
  const r = spawnSync(path.join(REPO, 'scripts', 'netns-run.sh'),
    [process.execPath, '--test', '--test-reporter=spec', path.join(HERE, 'bundlers.test.mjs')],
    { stdio: 'inherit', env });
  process.exit(r.status ?? 1);
}
