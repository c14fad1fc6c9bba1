// Bundler e2e harness: does the packed SDK work, unchanged, in an app built by
// Vite 5, webpack 5 or esbuild with their default configuration?
//
// Two halves, because the network rule splits them:
//   prepare()  OUTSIDE the netns: `npm pack` the package dir, install the
//              tarball into a copy of each app in apps/ (a temp dir, so nothing
//              resolves from this repo), build each app with its bundler (the
//              bundlers are this repo's devDependencies), write manifest.json.
//   check*()   INSIDE the loopback-only netns (scripts/netns-run.sh): serve each
//              build from a static server on 127.0.0.1 (.wasm as
//              application/wasm), open it in Chromium, and see the page's phone
//              REGISTER with an rc-edge (e2e/rc-edge) over ws://127.0.0.1.
// Entry points: run.mjs (CLI, both halves) and bundlers.test.mjs (node:test, the
// check half). README.md says how they plug into scripts/test.sh.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');   // the harness's repo: bundlers, Playwright, rc-edge
const BIN = path.join(REPO, 'node_modules');
const VITE = path.join(BIN, 'vite', 'bin', 'vite.js');
const WEBPACK_CLI = path.join(BIN, 'webpack-cli', 'bin', 'cli.js');
const ESBUILD = path.join(BIN, 'esbuild', 'bin', 'esbuild');

/** Package under test: --pkg / WWP_PKG_DIR, default this repo (after scripts/build.sh). */
export function packageDir(arg) {
  return path.resolve(arg || process.env.WWP_PKG_DIR || REPO);
}
/** Where apps are installed and built: --work / WWP_BUNDLERS_WORK. */
export function workDir(arg) {
  return path.resolve(arg || process.env.WWP_BUNDLERS_WORK || path.join(os.tmpdir(), 'wwp-bundlers-e2e'));
}

// Each build: the app dir (apps/<app>), the command (run in the app's copy), the
// output dir, and (bundlers that make no HTML) the page copied into it as index.html.
// Default configuration throughout: no config file, nothing wasm-specific.
// Every page must REGISTER with no failed request on the way (no 404 noise);
// `loads` adds what must have happened to sip-core.wasm:
//   'asset'  the bundler emitted it as a file and the page fetched it (200, application/wasm);
//   'none'   nothing fetched it (the app passed the inlined core itself);
//   'any'    however the SDK got its core (e.g. its automatic inline fallback).
// `requires`: a file the package must have for the build to apply (else it is skipped).
export const BUILDS = [
  { name: 'vite', app: 'vite', what: 'vite build (Vite 5, no config file)', loads: 'asset',
    cmd: [process.execPath, VITE, 'build'], out: 'dist' },
  { name: 'webpack', app: 'webpack', what: 'webpack --mode production (webpack 5, no config file)', loads: 'asset',
    cmd: [process.execPath, WEBPACK_CLI, '--mode', 'production'], out: 'dist', page: 'index.html' },
  { name: 'esbuild-iife', app: 'esbuild', what: 'esbuild src/main.js --bundle --outdir=dist', loads: 'any',
    cmd: [ESBUILD, 'src/main.js', '--bundle', '--outdir=dist'], out: 'dist', page: 'index.html' },
  { name: 'esbuild-esm', app: 'esbuild', what: 'esbuild src/main.js --bundle --format=esm --outdir=dist-esm', loads: 'any',
    cmd: [ESBUILD, 'src/main.js', '--bundle', '--format=esm', '--outdir=dist-esm'], out: 'dist-esm', page: 'index.esm.html' },
  { name: 'esbuild-inline', app: 'esbuild', loads: 'none', requires: 'dist/es/sip-core-inline.js',
    what: 'esbuild src/inline.js --bundle --outdir=dist-inline (the app imports wasm-web-phone/sip-core-inline)',
    cmd: [ESBUILD, 'src/inline.js', '--bundle', '--outdir=dist-inline'], out: 'dist-inline', page: 'index.inline.html' },
  // The baseline: no bundler, the published ESM loaded through an import map.
  { name: 'unbundled', app: 'nobundle', what: 'no bundler: dist/es through an import map', loads: 'asset',
    cmd: null, out: '.' },
];
// Dev servers run inside the netns (they are servers); they are checked too,
// because `vite` (dev) is the first thing a Vite user runs.
export const DEV_SERVERS = [
  { name: 'vite-dev', app: 'vite', what: 'vite (dev server, dependency pre-bundling on)', loads: 'any',
    cmd: (port) => [process.execPath, VITE, '--host', '127.0.0.1', '--port', String(port), '--strictPort'] },
];

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  return { status: r.status ?? (r.error ? -1 : 1), out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

function listFiles(dir, base = dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return listFiles(p, base);
    const bytes = fs.readFileSync(p);
    return [{ file: path.relative(base, p), bytes: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length }];
  });
}

// Build-log lines worth showing in a report (the bundler's view of the wasm).
const NOTABLE = /sip-core|\.wasm|import\.meta|new URL|warn|error|didn't resolve|not available|can't resolve|could not resolve/i;

function errorLines(out) {
  const lines = out.split('\n').map((l) => l.trimEnd());
  const i = lines.findIndex((l) => /error/i.test(l));
  return (i < 0 ? lines.slice(-12) : lines.slice(i, i + 10)).filter(Boolean);
}

/**
 * `npm pack` pkgDir into dir, as a user's install would get it.
 * @returns {{packed: {filename: string, size: number, entryCount: number}, tarball: string, pkgJson: {name: string, version: string}}}
 */
export function packInto(pkgDir, dir, log = console.log) {
  // --ignore-scripts: the package has none today, and packing must not build.
  const pack = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: pkgDir });
  if (pack.status !== 0) throw new Error(`npm pack failed in ${pkgDir}:\n${pack.out}`);
  const packed = JSON.parse(pack.out.slice(pack.out.indexOf('[')))[0];
  const pkgJson = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  log(`packed ${pkgJson.name}@${pkgJson.version} from ${pkgDir}: ${packed.filename} (${packed.size} B, ${packed.entryCount} files)`);
  return { packed, tarball: path.join(dir, packed.filename), pkgJson };
}

/**
 * OUTSIDE the netns. Pack pkgDir, install the tarball into each app, build it.
 * A failed build is recorded (and reported by the check), not thrown.
 * @returns {object} the manifest (also written to <work>/manifest.json)
 */
export function prepare({ pkg, work, only, log = console.log } = {}) {
  const pkgDir = packageDir(pkg);
  const dir = workDir(work);
  for (const f of ['dist/es/index.js', 'dist/sip-core.wasm', 'package.json']) {
    if (!fs.existsSync(path.join(pkgDir, f))) {
      throw new Error(`${pkgDir} has no ${f}: build the package first (scripts/build.sh --package-only)`);
    }
  }
  for (const f of [VITE, WEBPACK_CLI, ESBUILD]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: npm ci in ${REPO} (vite, webpack, webpack-cli, esbuild are devDependencies)`);
  }
  // Start clean, but only ever delete a work dir this harness made.
  const MARK = '.wwp-bundlers-work';
  if (fs.existsSync(dir) && fs.readdirSync(dir).length && !fs.existsSync(path.join(dir, MARK))) {
    throw new Error(`${dir} is not empty and has no ${MARK}: not a bundler work dir, refusing to clear it`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, MARK), 'made by e2e/bundlers/harness.mjs; cleared on every prepare\n');

  const { packed, tarball, pkgJson } = packInto(pkgDir, dir, log);

  const wanted = (name) => !only || only.includes(name);
  const builds = BUILDS.filter((b) => wanted(b.name));
  const apps = [...new Set([...builds, ...DEV_SERVERS.filter((d) => wanted(d.name))].map((b) => b.app))];
  const installed = {};
  for (const app of apps) {
    const appDir = path.join(dir, app);
    fs.cpSync(path.join(HERE, 'apps', app), appDir, { recursive: true });
    fs.writeFileSync(path.join(appDir, 'package.json'),
      `${JSON.stringify({ name: `wwp-${app}-app`, private: true, type: 'module' }, null, 2)}\n`);
    // The tarball has no dependencies: nothing is fetched (--prefer-offline: the cache first if it ever has).
    const t0 = Date.now();
    const inst = sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts',
      '--loglevel=error', tarball], { cwd: appDir });
    installed[app] = inst.status === 0 ? null : inst.out;
    log(`${app}: npm install ${packed.filename} ${inst.status === 0 ? 'ok' : 'FAILED'} (${Date.now() - t0} ms)`);
  }

  const results = builds.map((b) => {
    const appDir = path.join(dir, b.app);
    const logFile = path.join(dir, `${b.name}.build.log`);
    const entry = { ...b, cmd: b.cmd?.map((c) => path.relative(appDir, c).startsWith('..') ? path.basename(c) : c),
      appDir, outDir: path.join(appDir, b.out), log: logFile };
    if (b.requires && !fs.existsSync(path.join(pkgDir, b.requires))) {
      log(`${b.name}: skipped, the package has no ${b.requires}`);
      return { ...entry, ok: false, skipped: `the package has no ${b.requires}`, status: 'skipped', notes: [] };
    }
    if (installed[b.app]) {
      fs.writeFileSync(logFile, installed[b.app]);
      return { ...entry, ok: false, status: 'install failed', notes: installed[b.app].split('\n').slice(-15) };
    }
    const t0 = Date.now();
    const r = b.cmd ? sh(b.cmd[0], b.cmd.slice(1), { cwd: appDir, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } })
      : { status: 0, out: '(nothing to build)\n' };
    fs.writeFileSync(logFile, `$ ${b.what}\n${r.out}`);
    const ms = Date.now() - t0;
    if (r.status === 0 && b.page) fs.copyFileSync(path.join(appDir, b.page), path.join(appDir, b.out, 'index.html'));
    const files = b.cmd ? listFiles(path.join(appDir, b.out)) : [];
    const notes = r.out.split('\n').map((l) => l.trimEnd()).filter((l) => NOTABLE.test(l)).slice(0, 25);
    log(!b.cmd ? `${b.name}: ${b.what}: nothing to build` :
      `${b.name}: ${b.what}: ${r.status === 0 ? 'built' : `BUILD FAILED (exit ${r.status})`} in ${ms} ms; ` +
      `wasm emitted: ${files.filter((f) => f.file.endsWith('.wasm')).map((f) => `${f.file} (${f.bytes} B)`).join(', ') || 'none'}`);
    return { ...entry, ok: r.status === 0, status: r.status === 0 ? 'built' : `build failed (exit ${r.status})`,
      ms, files, notes: r.status === 0 ? notes : errorLines(r.out) };
  });

  const manifest = {
    created: new Date().toISOString(), pkgDir, work: dir, tarball, name: pkgJson.name, version: pkgJson.version,
    exports: Object.keys(pkgJson.exports ?? {}),
    builds: results,
    devServers: DEV_SERVERS.filter((d) => wanted(d.name)).map((d) => ({ name: d.name, app: d.app, what: d.what, loads: d.loads,
      appDir: path.join(dir, d.app), ok: !installed[d.app], status: installed[d.app] ? 'install failed' : 'installed' })),
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export function readManifest(work) {
  const file = path.join(workDir(work), 'manifest.json');
  if (!fs.existsSync(file)) throw new Error(`${file} not found: run \`node e2e/bundlers/run.mjs prepare\` first (outside the netns)`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The browser and SIP half refuses to run where it could reach another machine. */
export function assertLoopbackOnly() {
  const others = fs.readFileSync('/proc/net/dev', 'utf8').split('\n').slice(2)
    .map((l) => l.split(':')[0].trim()).filter((n) => n && n !== 'lo');
  if (others.length) {
    throw new Error(`the bundler check must run in the loopback-only network namespace (found ${others.join(', ')}):\n` +
      '  scripts/netns-run.sh node --test e2e/bundlers/bundlers.test.mjs');
  }
}

// ----------------------------------------------------------------- check half

/** Start the SIP server (rc-edge, ephemeral ports, 127.0.0.1) and Chromium. */
export async function startRig({ work, log = () => {} } = {}) {
  assertLoopbackOnly();
  const { startEdge } = await import('../rc-edge/edge.mjs');
  const { chromium } = await import('playwright-core');
  const { CHROMIUM_PATH, CHROMIUM_ARGS } = await import('../lib/chromium.mjs');
  const edge = await startEdge({ wsPort: 0, wssPort: 0, httpPort: 0, static: {},
    certDir: path.join(workDir(work), 'certs') });   // the wss cert, kept out of the source tree
  edge.info = (...a) => log(`[rc-edge] ${a.join(' ')}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const ext = edge.exts[0];
  return {
    edge, browser, ext,
    /** sipInfo as RC's sip-provision gives it, plus our plain-ws URL for loopback. */
    sipInfo: (over = {}) => ({ ...edge.sipInfo(ext, 'ws'), wsUrl: `ws://127.0.0.1:${edge.wsPort}`, ...over }),
    close: async () => { await browser.close().catch(() => {}); await edge.close(); },
  };
}

/** Serve a build dir on 127.0.0.1 (application/wasm for .wasm: e2e/lib/static-server.mjs). */
export async function serveDir(dir) {
  const { startStaticServer } = await import('../lib/static-server.mjs');
  const missing = [];
  const s = await startStaticServer({ port: 0, mounts: { '/': dir }, log: (m) => missing.push(m) });
  return { origin: `http://127.0.0.1:${s.port}`, missing, close: s.close };
}

/**
 * Open `origin`/?sipInfo=… in a fresh browser context, wait for the page's
 * #status to say registered/failed, and ask the edge whether it holds a binding.
 * @returns {Promise<{state:string, detail:string, edgeBindings:number, wasm:string[], httpErrors:string[], console:string[], ok:boolean}>}
 */
export async function checkPage(rig, origin, { sipInfo = rig.sipInfo(), timeoutMs = 20_000 } = {}) {
  rig.edge.reset();
  const context = await rig.browser.newContext();
  const page = await context.newPage();
  const wasm = []; const httpErrors = []; const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text().slice(0, 300)}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${String(e.message).slice(0, 300)}`));
  page.on('requestfailed', (r) => httpErrors.push(`${r.failure()?.errorText ?? 'failed'} ${r.url()}`));
  page.on('response', (r) => {
    const type = r.headers()['content-type'] ?? '';
    const p = new URL(r.url()).pathname;
    if (/\.wasm$/i.test(p) || type.includes('wasm')) wasm.push(`${r.status()} ${p} (${type || 'no content-type'})`);
    if (r.status() >= 400) httpErrors.push(`${r.status()} ${p}`);
  });
  let state = 'timeout'; let detail = `no result in #status within ${timeoutMs} ms`;
  const t0 = Date.now();
  try {
    await page.goto(`${origin}/?sipInfo=${encodeURIComponent(JSON.stringify(sipInfo))}`, { timeout: timeoutMs });
    await page.waitForFunction(() => ['registered', 'failed'].includes(document.getElementById('status')?.dataset.state ?? ''),
      null, { timeout: timeoutMs });
  } catch (e) {
    detail += ` (${String(e.message).split('\n')[0]})`;
  }
  const shown = await page.evaluate(() => {
    const el = document.getElementById('status');
    return el ? { state: el.dataset.state ?? '', text: el.textContent ?? '' } : null;
  }).catch(() => null);
  if (shown && ['registered', 'failed'].includes(shown.state)) { state = shown.state; detail = shown.text; }
  else if (shown) detail = `${detail}; #status still "${shown.text}"`;
  const ms = Date.now() - t0;
  const edgeBindings = rig.edge.liveBindings(rig.ext.ext).length;
  // Unregister politely (expires=0); the context is closed either way.
  const t1 = Date.now();
  await Promise.race([page.evaluate(() => window.webPhone?.dispose()).catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
  const disposeMs = Date.now() - t1;
  await context.close().catch(() => {});
  return { state, detail, ms, disposeMs, edgeBindings, wasm, httpErrors, console: consoleLines,
    ok: state === 'registered' && edgeBindings > 0 };
}

/**
 * Apply a build's `loads` expectation to checkPage()'s result: sets r.ok and,
 * when only the expectation failed, says why in r.detail.
 */
export function judge(r, loads) {
  if (!r.ok) return r;
  const fail = (why) => ({ ...r, ok: false, detail: `${r.detail}, but ${why}` });
  if (r.httpErrors.length) return fail(`requests failed on the way: ${r.httpErrors.join(', ')}`);
  if (loads === 'asset' && !r.wasm.some((w) => /^200 \S+\.wasm \(application\/wasm/.test(w))) {
    return fail('no sip-core.wasm asset was fetched (200, application/wasm): the bundler did not emit it, or the SDK did not use it');
  }
  if (loads === 'none' && r.wasm.length) return fail(`the app passed the core inline, yet the page fetched ${r.wasm.join(', ')}`);
  return r;
}

/** One line for a report, and the evidence below it. */
export function summarize(name, r) {
  const head = `${r.ok ? 'PASS' : 'FAIL'}  ${name}: ${r.detail}` +
    (r.state === 'registered' ? ` (edge bindings: ${r.edgeBindings}; ${r.ms} ms after navigation)` : '');
  const more = [
    ...(r.build ?? []).map((b) => `      build   ${b}`),
    ...r.wasm.map((w) => `      wasm    ${w}`),
    ...(r.wasm.length || r.state === 'build' ? [] : ['      wasm    (no .wasm request)']),
    ...r.httpErrors.filter((h) => !r.wasm.some((w) => w.includes(h.split(' ').pop()))).map((h) => `      http    ${h}`),
    ...(r.ok ? [] : r.console.slice(0, 8).map((c) => `      console ${c}`)),
  ];
  return [head, ...more].join('\n');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Start a dev server (inside the netns) for an installed app; resolves when it answers HTTP. */
export async function startDevServer(dev, appDir, { timeoutMs = 30_000 } = {}) {
  const port = await freePort();
  const spec = DEV_SERVERS.find((d) => d.name === dev.name);
  const [cmd, ...args] = spec.cmd(port);
  const child = spawn(cmd, args, { cwd: appDir, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const origin = `http://127.0.0.1:${port}`;
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null) { resolve(); return; }
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => { if (child.exitCode === null) child.kill('SIGKILL'); }, 3000).unref();
  });
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`${dev.name} exited (${child.exitCode}):\n${out}`);
    try { if ((await fetch(`${origin}/`)).ok) return { origin, stop, output: () => out }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`${dev.name} did not answer on ${origin} within ${timeoutMs} ms:\n${out}`);
}
