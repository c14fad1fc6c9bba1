// The package's declarations as TypeScript apps see them: an ES module app
// (moduleResolution bundler and node16) and a CommonJS app (node16, which
// reads the `.d.cts` twins through the `require` condition). Each consumer in
// tests/js/types/ also holds `@ts-expect-error` misuses, so types that
// silently became `any` fail too. Needs a built dist/ (scripts/build.sh).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('./types/', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
const COMMON = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--target', 'es2020',
  '--lib', 'es2020,dom', '--types', 'node'];

function typecheck(args) {
  const r = spawnSync(process.execPath, [tsc, ...COMMON, ...args], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
}

test('an ES module app type-checks (moduleResolution bundler)', () => {
  typecheck(['--module', 'esnext', '--moduleResolution', 'bundler', 'consumer-esm.mts']);
});

test('an ES module app type-checks (moduleResolution node16)', () => {
  typecheck(['--module', 'node16', '--moduleResolution', 'node16', 'consumer-esm.mts']);
});

test('a CommonJS app type-checks against the .d.cts twins (node16, require)', () => {
  typecheck(['--module', 'node16', '--moduleResolution', 'node16', 'consumer-cjs.cts']);
});
