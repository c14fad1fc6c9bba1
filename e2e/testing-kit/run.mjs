#!/usr/bin/env node
// The test kit as an app developer gets it (README "Testing your app"):
//   node e2e/testing-kit/run.mjs [--work DIR] [--skip-install] [-- playwright args]
// 1. outside the netns: npm pack this repo (built), copy consumer/ (an example
//    app with its own tests) to DIR, and npm install the tarball, @playwright/test
//    ringcentral-web-phone and typescript there, at the versions this repo uses;
//    the app's tests type-check against the packed types;
// 2. inside a loopback-only netns: the app's plain-Node tests (node --test
//    tests-node/: the fakes and the command) and its Playwright tests, both SDKs.
// Exit status 0 when both pass. --skip-install reuses DIR as it is (a rerun).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packInto } from '../bundlers/harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash < 0 ? argv : argv.slice(0, dash);
const playwrightArgs = dash < 0 ? [] : argv.slice(dash + 1);
const opt = (name) => { const i = own.indexOf(`--${name}`); return i >= 0 ? own[i + 1] : undefined; };
const work = path.resolve(opt('work') ?? path.join(os.tmpdir(), 'wwp-testing-kit-e2e'));
const MARK = '.wwp-testing-kit-work';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  return r.status ?? 1;
}

if (!own.includes('--skip-install')) {
  if (!fs.existsSync(path.join(REPO, 'dist', 'testing', 'index.mjs'))) {
    console.error('testing-kit: dist/testing is missing: build the package first (scripts/build.sh --package-only)');
    process.exit(1);
  }
  if (fs.existsSync(work) && fs.readdirSync(work).length && !fs.existsSync(path.join(work, MARK))) {
    console.error(`testing-kit: ${work} is not empty and has no ${MARK}: refusing to clear it`);
    process.exit(1);
  }
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(path.join(work, MARK), 'made by e2e/testing-kit/run.mjs; cleared on every run\n');
  const { tarball } = packInto(REPO, work);
  fs.cpSync(path.join(HERE, 'consumer'), work, { recursive: true });
  const devDeps = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).devDependencies;
  fs.writeFileSync(path.join(work, 'package.json'), `${JSON.stringify({ name: 'example-softphone-app', private: true, type: 'module' }, null, 2)}\n`);
  // What an app's developer runs; --prefer-offline: npm's cache first (setup.sh filled it).
  const t0 = Date.now();
  const status = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error',
    tarball, `@playwright/test@${devDeps['@playwright/test']}`, `ringcentral-web-phone@${devDeps['ringcentral-web-phone']}`,
    `typescript@${devDeps.typescript}`, `@types/node@${devDeps['@types/node']}`], { cwd: work });
  if (status !== 0) { console.error('testing-kit: npm install failed'); process.exit(1); }
  console.log(`testing-kit: installed the packed kit into ${work} (${Date.now() - t0} ms)`);
}

const netns = path.join(REPO, 'scripts', 'netns-run.sh');
let rc = 0;
// The kit's hand-written types (js/testing/*.d.ts) against the way the tests use them
// (tests/kit-types.ts uses the Node API), with every declaration file checked.
console.log('=== testing-kit: tsc --noEmit over the app\'s Playwright tests');
rc |= run(path.join(work, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: work });
console.log('=== testing-kit: the app\'s plain-Node tests (fakes, command)');
rc |= run(netns, [process.execPath, '--test', '--test-reporter=spec', 'tests-node/'], { cwd: work });
console.log('=== testing-kit: the app\'s Playwright tests (both SDKs)');
rc |= run(netns, [path.join(work, 'node_modules', '.bin', 'playwright'), 'test', ...playwrightArgs], { cwd: work });
process.exit(rc ? 1 : 0);
