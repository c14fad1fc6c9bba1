// RegistrationError.code has two spellings that must agree (house style §17):
// the names core/reg/registration.cpp gives RegFailure (what crosses the
// boundary) and the RegistrationErrorCode union apps type against (js/types.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test('RegFailure names (C++) and RegistrationErrorCode (TS) are the same list', () => {
  const cpp = read('core/reg/registration.cpp');
  const fn = cpp.slice(cpp.indexOf('const char* to_string(RegFailure f)'));
  const body = fn.slice(0, fn.indexOf('\n}\n'));
  const core = [...body.matchAll(/case RegFailure::\w+: return "(\w+)";/g)].map((m) => m[1]);
  const ts = read('js/types.ts');
  const union = ts.slice(ts.indexOf('export type RegistrationErrorCode ='));
  const js = [...union.slice(0, union.indexOf(';')).matchAll(/'(\w+)'/g)].map((m) => m[1]);
  assert.ok(core.length >= 8, `found ${core.length} RegFailure names`);
  assert.deepEqual([...js].sort(), [...core].sort());
});
