// Writes a CommonJS twin (`.d.cts`) of every declaration file in dist/types, so
// that TypeScript apps that `require` the package (module/moduleResolution
// node16 or nodenext) get types that describe dist/cjs, as
// ringcentral-web-phone 2.x ships `.d.cts` next to its `.cjs`.
//
// The CommonJS build makes a module whose only runtime export is `default`
// export that value itself (`module.exports = WebPhone`, see build.sh), so its
// twin says `export = WebPhone`, and the twins import it with
// `import X = require(…)`. Which modules are default-only comes from the same
// esbuild metafile the CommonJS pass uses; a declaration this script cannot
// carry over fails the build rather than shipping a wrong type.
// Usage: node scripts/cts-types.mjs <dist/types> <esbuild metafile of the ESM pass>
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';

const [typesDir, metafile] = process.argv.slice(2);
const { outputs } = JSON.parse(readFileSync(metafile, 'utf8'));

/** Module ids (`call-session/index`) whose CommonJS value is their default export. */
const defaultOnly = new Set(
  Object.entries(outputs)
    .filter(([file, out]) => file.endsWith('.js') && out.exports.length === 1 && out.exports[0] === 'default')
    .map(([file]) => file.replace(/^dist\/es\//, '').replace(/\.js$/, '')),
);

function declarationFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return declarationFiles(path);
    return e.name.endsWith('.d.ts') && e.name !== 'iife.d.ts' ? [path] : [];
  });
}

function fail(file, why) {
  throw new Error(`cts-types: ${file}: ${why}`);
}

/** The CommonJS twin of one declaration file's text. */
function twin(file, id, text) {
  const target = (spec) => posix.normalize(posix.join(posix.dirname(id), spec));
  const rewritten = text.split('\n').map((line) => {
    // import [type] X from './x.js'  →  import X = require('./x.cjs')
    let m = line.match(/^import (?:type )?(\w+) from '(\.{1,2}\/[^']+)\.js';$/);
    if (m) {
      if (!defaultOnly.has(target(m[2]))) fail(file, `default import of ${m[2]}, which has named exports`);
      return `import ${m[1]} = require('${m[2]}.cjs');`;
    }
    m = line.match(/^(import|export) (type )?\{[^}]*\} from '(\.{1,2}\/[^']+)\.js';$/);
    if (m) {
      if (defaultOnly.has(target(m[3]))) fail(file, `named import from default-only ${m[3]}`);
      return line.replace(/\.js';$/, ".cjs';");
    }
    if (/from '|import\(/.test(line)) fail(file, `a module reference this script does not know: ${line}`);
    return line;
  });
  if (!defaultOnly.has(id)) return rewritten.join('\n');

  // A default-only module: its value is the default export. Types it also
  // exports (inbound's ReplyOptions) stay reachable as members of a namespace
  // merged with that value (`InboundCallSession.ReplyOptions`).
  let name;
  const types = [];
  const body = rewritten.map((line) => {
    let m = line.match(/^export default (class|function|abstract class) (\w+)(.*)$/);
    if (m) { name = m[2]; return `declare ${m[1]} ${m[2]}${m[3]}`; }
    m = line.match(/^export default (\w+);$/);
    if (m) { name = m[1]; return ''; }
    m = line.match(/^export (type|interface) (\w+)(.*)$/);
    if (m) { types.push(m[2]); return `${m[1]} ${m[2]}${m[3]}`; }
    if (line === 'export {};') return '';
    if (/^export /.test(line)) fail(file, `default-only module with a value export besides default: ${line}`);
    return line;
  });
  if (!name) fail(file, 'default-only module without a default declaration');
  const aliases = types.map((t) => `type ${t}_ = ${t};`);
  const members = types.map((t) => `  export type ${t} = ${t}_;`);
  const ns = types.length ? [...aliases, `declare namespace ${name} {`, ...members, '}'] : [];
  return [body.join('\n').trimEnd(), ...ns, `export = ${name};`, ''].join('\n');
}

for (const file of declarationFiles(typesDir)) {
  const id = relative(typesDir, file).split(/[\\/]/).join('/').replace(/\.d\.ts$/, '');
  // The test kit (dist/testing, Node only) is ES modules only: no require form.
  if (id.startsWith('testing/')) continue;
  writeFileSync(join(dirname(file), `${id.split('/').pop()}.d.cts`), twin(file, id, readFileSync(file, 'utf8')));
}
