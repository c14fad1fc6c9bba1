// Build identity (house style §18): the constants name the wasm that was
// actually built next to them, so a bug report can identify the core.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('CORE_VERSION, CORE_COMMIT and WASM_SHA256 describe this build', async () => {
  const v = await import('wasm-web-phone/version');
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
  assert.equal(v.CORE_VERSION, pkg.version);
  assert.match(v.CORE_COMMIT, /^([0-9a-f]{12}|unknown)$/);
  const sha = createHash('sha256').update(readFileSync(`${root}/dist/sip-core.wasm`)).digest('hex');
  assert.equal(v.WASM_SHA256, sha);
  const { default: WebPhone } = await import('wasm-web-phone');
  assert.equal(WebPhone.WASM_SHA256, sha, 'also on the class, for the script-tag global');
  const cjs = (await import('node:module')).createRequire(import.meta.url)('wasm-web-phone/version');
  assert.equal(cjs.WASM_SHA256, sha);
});
