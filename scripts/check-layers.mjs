#!/usr/bin/env node
// Layer check for core/ (house style §1–§2, README "Architecture"): every
// `#include "core/<dir>/…"` must point down the stack or stay in its own
// folder. Folders on one line of LAYERS are peers: independent of each other.
//
//   util ← msg ← auth, sdp, rc, flow, pres ← txn ← dialog ← config ← reg, call ← ua
//
// Usage: node scripts/check-layers.mjs [root]   (root defaults to the repo;
// the check reads <root>/core). Exits 1 naming file:line and the include for
// each violation, 2 for a folder under core/ that LAYERS does not place.
// No dependencies: tests/scripts/check_layers_test.mjs runs it on temp trees.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// Bottom first. Why each folder sits where it does:
//  - flow is our transport layer (RFC 3261 §18, RFC 5626 flows): it knows
//    connections and clocks, no SIP, so it sits with the other leaves on msg.
//  - pres reads and writes presence documents (PIDF, RPID, dialog-info): XML
//    bodies, no SIP state, a leaf like rc; whatever subscribes to presence
//    sits above and passes it the NOTIFY body.
//  - config is the UA's one configuration (identity, timer values, recovery);
//    reg and call read it, txn and dialog keep their own narrow ones.
export const LAYERS = [
  ['util'],
  ['msg'],
  ['auth', 'sdp', 'rc', 'flow', 'pres'],
  ['txn'],
  ['dialog'],
  ['config'],
  ['reg', 'call', 'event'],
  ['ua'],
];

const rank = new Map(LAYERS.flatMap((dirs, i) => dirs.map((d) => [d, i])));
const INCLUDE = /^\s*#\s*include\s*[<"]core\/([^/">]+)\/[^">]*[>"]/;
// A quoted include that is not rooted at core/ ("../ua/x.hpp", "x.hpp") would
// slip past the check, so core/ has none.
const QUOTED = /^\s*#\s*include\s*"(?!core\/)/;

function* sources(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(c|cc|cpp|h|hpp)$/.test(name)) yield path;
  }
}

/// Every violation under `root`/core as { file, line, include, why }.
export function checkLayers(root) {
  const core = join(root, 'core');
  const problems = [];
  for (const dir of readdirSync(core).sort()) {
    if (statSync(join(core, dir)).isDirectory() && !rank.has(dir))
      problems.push({ file: `core/${dir}/`, line: 0, include: '', why: 'folder not placed in LAYERS' });
  }
  for (const path of sources(core)) {
    const file = relative(root, path).split('\\').join('/');
    const from = file.split('/')[1];
    if (!rank.has(from)) continue;  // reported above
    readFileSync(path, 'utf8').split('\n').forEach((text, i) => {
      if (QUOTED.test(text)) {
        problems.push({ file, line: i + 1, include: text.trim(), why: 'quoted includes in core/ start with core/' });
        return;
      }
      const m = INCLUDE.exec(text);
      if (!m || m[1] === from) return;
      const to = m[1];
      const include = text.trim();
      if (!rank.has(to)) problems.push({ file, line: i + 1, include, why: `core/${to} is not a layer` });
      else if (rank.get(to) > rank.get(from))
        problems.push({ file, line: i + 1, include, why: `${from} is below ${to}` });
      else if (rank.get(to) === rank.get(from))
        problems.push({ file, line: i + 1, include, why: `${from} and ${to} are peers` });
    });
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? join(fileURLToPath(new URL('.', import.meta.url)), '..');
  const problems = checkLayers(root);
  for (const p of problems)
    console.error(p.line ? `${p.file}:${p.line}: ${p.include} (${p.why})` : `${p.file}: ${p.why}`);
  if (problems.length) {
    console.error(`check-layers: ${problems.length} problem(s) with the layer order ` +
                  LAYERS.map((l) => l.join(', ')).join(' ← '));
    process.exit(problems.some((p) => p.line === 0) ? 2 : 1);
  }
  console.log('check-layers: core/ includes follow ' + LAYERS.map((l) => l.join(', ')).join(' ← '));
}
