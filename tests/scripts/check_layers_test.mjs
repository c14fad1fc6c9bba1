// Negative self-test of scripts/check-layers.mjs: on a small core/ tree in a
// temp directory, a clean tree passes and each kind of violation fails,
// naming the file, the line and the include. Run by scripts/test.sh's unit
// stage (node --test tests/scripts/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/check-layers.mjs');

/// Runs the check on a tree made of `files` ({ 'core/txn/ist.hpp': text }).
function check(files) {
  const root = mkdtempSync(join(tmpdir(), 'check-layers-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const r = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
    return { status: r.status, stderr: r.stderr };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const clean = {
  'core/util/status.hpp': '#pragma once\n#include <string>\n',
  'core/msg/reply.hpp': '#pragma once\n#include "core/msg/message.hpp"\n#include "core/util/status.hpp"\n',
  'core/txn/ist.cpp': '#include "core/txn/ist.hpp"\n#include "core/msg/reply.hpp"\n',
  'core/ua/ua.cpp': '#include "core/call/call.hpp"\n#include "core/flow/supervisor.hpp"\n',
};

test('a tree whose includes point down passes', () => {
  const r = check(clean);
  assert.equal(r.status, 0, r.stderr);
});

test('the real core/ passes', () => {
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('a lower layer including a higher one fails with file, line and include', () => {
  const r = check({ ...clean, 'core/txn/ist.hpp': '#pragma once\n\n#include "core/ua/error.hpp"\n' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^core\/txn\/ist\.hpp:3: #include "core\/ua\/error\.hpp" \(txn is below ua\)$/m);
});

test('peers may not include each other', () => {
  const r = check({ ...clean, 'core/reg/registration.cpp': '#include "core/call/call.hpp"\n' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /core\/reg\/registration\.cpp:1: .*\(reg and call are peers\)/);
});

test('angle-bracket and relative includes do not slip past', () => {
  let r = check({ ...clean, 'core/msg/parser.cpp': '#include <core/dialog/dialog.hpp>\n' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /core\/msg\/parser\.cpp:1: .*\(msg is below dialog\)/);
  r = check({ ...clean, 'core/txn/nict.cpp': '#include "../ua/reply.hpp"\n' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /core\/txn\/nict\.cpp:1: #include "\.\.\/ua\/reply\.hpp"/);
});

test('a folder the layer order does not place fails', () => {
  const r = check({ ...clean, 'core/media/x.hpp': '#pragma once\n' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /core\/media\/: .*not placed/);
});
