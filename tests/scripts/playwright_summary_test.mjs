// scripts/playwright-summary.sh: what scripts/test.sh's summary says of a
// browser run. The input is the end of a real Playwright 1.x list-reporter
// run (colours on, as in a terminal), with a failed test, a test that passed
// only on its retry, and a passed one. Run by the unit stage (node --test tests/scripts/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/playwright-summary.sh');
const esc = (code) => `\x1b[${code}m`;
const rule = '─'.repeat(40);
const run = [
  '  ✘  3 tests/a.spec.mjs:4:1 › fails here (20ms)',
  '',
  '  1) tests/a.spec.mjs:4:1 › fails here ' + rule,
  '    Error: expect(received).toBe(expected) // Object.is equality',
  '',
  `${esc(31)}  1 failed${esc(39)}`,
  `${esc(31)}    [chromium] › tests/a.spec.mjs:4:1 › fails here ${esc(2)}${rule}${esc(22)}${esc(39)}`,
  `${esc(33)}  1 flaky${esc(39)}`,
  `${esc(33)}    tests/a.spec.mjs:3:1 › flaky one ${esc(2)}${rule}${esc(22)}${esc(39)}`,
  `${esc(32)}  1 passed${esc(39)}${esc(2)} (3.2s)${esc(22)}`,
  '',
].join('\n');

function summary(text, kinds) {
  const dir = mkdtempSync(join(tmpdir(), 'pw-summary-'));
  try {
    const file = join(dir, 'out.txt');
    if (text !== undefined) writeFileSync(file, text);
    return spawnSync('bash', [script, file, kinds].filter((a) => a !== undefined), { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the failed block: its count and each test by project, file, line and title, without colours or the rule', () => {
  const r = summary(run, 'failed|timed out|interrupted');
  assert.equal(r.status, 0);
  assert.equal(r.stdout, '  1 failed\n    [chromium] › tests/a.spec.mjs:4:1 › fails here\n');
});

test('the flaky block alone: tests that passed only on the retry', () => {
  assert.equal(summary(run, 'flaky').stdout, '  1 flaky\n    tests/a.spec.mjs:3:1 › flaky one\n');
});

test('a run with nothing of that kind prints nothing (the per-test ✘ line and the error text are not the block)', () => {
  const passed = run.split('\n').filter((l) => !/flaky/.test(l)).join('\n');
  assert.equal(summary(passed, 'flaky').stdout, '');
  assert.equal(summary(run, 'timed out').stdout, '');
});

test('misuse: a missing file or argument is a usage error (exit 2), not an empty summary', () => {
  const missing = summary(undefined, 'failed');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read/);
  const r = spawnSync('bash', [script], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /usage/);
});
