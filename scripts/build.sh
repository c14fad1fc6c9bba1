#!/bin/bash
# Builds everything: the native core + tests (build/host), the wasm module and
# the wasm test suite (build/wasm), and the npm package in dist/:
#   dist/es/…            ES modules, one per source file (subpath exports)
#   dist/cjs/…           CommonJS, one per source file (require of subpaths)
#   dist/iife/wasm-web-phone.js   script-tag build, sets globalThis.WebPhone
#   dist/iife/wasm-web-phone-multi-tab.js   the same plus WebPhone.MultiTab (multi-tab mode)
#   dist/iife/wasm-web-phone-call-history.js   add-on: WebPhone.CallHistory and its stores
#   dist/iife/wasm-web-phone-ringer.js   add-on: WebPhone.Ringer
#   dist/sip-core.wasm   the SIP core
#   dist/types/…         .d.ts from tsc, .d.cts twins for require (scripts/cts-types.mjs)
#   dist/testing/…       the test kit for apps (Node only): test server, fixture, fakes
# Usage: scripts/build.sh [--no-setup] [--host-only|--wasm-only|--package-only|--kit-only]
#   --package-only: just the npm package (what the demo needs), no test binaries
#   --kit-only: just dist/testing (the test kit), into an existing dist/
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
setup=1; host=1; wasm=1; wasm_target=(); build_kit_only=0
for a in "$@"; do
  case "$a" in
    --no-setup) setup=0 ;;
    --host-only) wasm=0 ;;
    --wasm-only) host=0 ;;
    --package-only) host=0; wasm_target=(--target sip_core) ;;
    --kit-only) build_kit_only=1 ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done
[ $setup = 1 ] && [ $build_kit_only = 0 ] && bash scripts/setup.sh
export NODE_PATH=/usr/share/nodejs   # emcc's optimizer needs Debian's acorn
JOBS=${JOBS:-2}

# The test kit (wasm-web-phone/testing, README "Testing your app"): Node-only
# ES modules with the test server and ws bundled in, so an app installs nothing
# else (Playwright stays the app's own). Kept out of the browser builds: they
# take only *.ts, and check-size.sh checks it. The banner gives ws's require()
# of Node built-ins a require in an ES module. Types are hand-written
# (js/testing/*.d.ts); the kit's e2e type-checks an app's tests against them.
build_kit() {
  rm -rf dist/testing dist/types/testing && mkdir -p dist/types/testing
  node_modules/.bin/esbuild js/testing/index.mjs js/testing/playwright.mjs js/testing/cli.mjs --bundle --platform=node \
    --format=esm --target=node18 --splitting --outdir=dist/testing --out-extension:.js=.mjs --chunk-names=chunk-[hash] \
    --external:@playwright/test --external:bufferutil --external:utf-8-validate \
    --banner:js="import { createRequire as __wwpCreateRequire } from 'node:module'; const require = __wwpCreateRequire(import.meta.url);" \
    --log-level=warning
  cp -r js/testing/pages dist/testing/pages
  cp js/testing/*.d.ts dist/types/testing/
  chmod +x dist/testing/cli.mjs
}
if [ $build_kit_only = 1 ]; then
  [ -f dist/es/index.js ] || { echo "build: --kit-only needs a built dist/ (scripts/build.sh --package-only)" >&2; exit 1; }
  build_kit; exit 0
fi

if [ $host = 1 ]; then
  cmake -S . -B build/host -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build/host -j"$JOBS"
fi

if [ $wasm = 1 ]; then
  [ -f build/wasm/build.ninja ] || emcmake cmake -S . -B build/wasm -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/wasm -j"$JOBS" "${wasm_target[@]}"

  # --- npm package ----------------------------------------------------------
  rm -rf dist && mkdir -p dist/es dist/cjs dist/iife dist/types
  cp build/wasm/wasm/sip-core.wasm dist/sip-core.wasm
  # The inline copy (wasm-web-phone/sip-core-inline): the loader imports it only
  # when the wasm file cannot be fetched (esbuild bundles, Vite's dev server).
  node scripts/gen-inline-wasm.mjs dist/sip-core.wasm js/sip-core-inline.ts
  ESB=node_modules/.bin/esbuild
  # Build identity for js/version.ts (house style §18).
  sha=$(sha256sum dist/sip-core.wasm | cut -d' ' -f1)
  version=$(node -p "require('./package.json').version")
  commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
  DEFINES=(--define:__WWP_VERSION__="\"$version\"" --define:__WWP_COMMIT__="\"$commit\""
           --define:__WWP_WASM_SHA256__="\"$sha\"")
  # The loader's build flags (js/core/loader.ts): only the IIFE guesses its wasm
  # URL from its <script>, and only the IIFE leaves out the inline copy.
  MODULE_FLAGS=(--define:__WWP_IIFE__=false --define:__WWP_INLINE_FALLBACK__=true)
  IIFE_FLAGS=(--define:__WWP_IIFE__=true --define:__WWP_INLINE_FALLBACK__=false)
  mapfile -t entries < <(find js -name '*.ts' ! -name '*.d.ts' ! -name 'iife*.ts' | sort)
  "$ESB" "${entries[@]}" --outdir=dist/es --outbase=js --format=esm --target=es2020 "${DEFINES[@]}" "${MODULE_FLAGS[@]}" \
    --metafile=build/esm-meta.json --log-level=warning
  # CommonJS, also one file per source so that every subpath has one (spec §2.1)
  # and classes are shared between subpaths. esbuild keeps import specifiers as
  # written, so point relative requires at the .cjs files; and, as
  # ringcentral-web-phone's CJS build does, a module whose only runtime export
  # is `default` exports that value itself (`module.exports = WebPhone`). The
  # requires between our files expect that shape too (esbuild's node-mode
  # interop takes module.exports as the default), so a module with a default
  # and named exports fails the build. The export lists come from the ESM
  # pass's metafile.
  # esbuild turns `import.meta` into `{}`; in Node give it the file's URL so
  # that the loader's default wasm URL works as in the ESM build (browsers:
  # pass `wasm.wasmUrl`).
  "$ESB" "${entries[@]}" --outdir=dist/cjs --outbase=js --format=cjs --target=es2020 "${DEFINES[@]}" "${MODULE_FLAGS[@]}" \
    --out-extension:.js=.cjs --log-level=error
  node - $(find dist/cjs -name '*.cjs') <<'EOF_CJS'
const fs = require('fs');
const { outputs } = JSON.parse(fs.readFileSync('build/esm-meta.json', 'utf8'));
for (const path of process.argv.slice(2)) {
  let src = fs.readFileSync(path, 'utf8').replace(/\b(require|import)\("(\.\.?\/[^"]*)\.m?js"\)/g, '$1("$2.cjs")');
  src = src.replace(/^const import_meta = \{\};$/m, 'const import_meta = { url: typeof document === "undefined" && ' +
    'typeof __filename === "string" ? "file://" + (__filename[0] === "/" ? "" : "/") + ' +
    'encodeURI(__filename.split(String.fromCharCode(92)).join("/")).replace(/[?#]/g, encodeURIComponent) : void 0 };');
  if (/import_meta = \{\}/.test(src)) throw new Error(`${path}: unexpected import.meta shim`);
  const esm = outputs[path.replace(/^dist\/cjs\/(.*)\.cjs$/, 'dist/es/$1.js')];
  const names = esm.exports;
  if (names.includes('default') && names.length > 1) {
    throw new Error(`${path}: a default export next to named exports has no CommonJS form here`);
  }
  if (names.includes('default')) src += 'module.exports = module.exports.default;\n';
  fs.writeFileSync(path, src);
}
EOF_CJS
  "$ESB" js/iife.ts --bundle --format=iife --target=es2020 --minify "${DEFINES[@]}" "${IIFE_FLAGS[@]}" \
    --outfile=dist/iife/wasm-web-phone.js --log-level=error
  # The same with the multi-tab mode (WebPhone.MultiTab), for script-tag apps that want it.
  "$ESB" js/iife-multi-tab.ts --bundle --format=iife --target=es2020 --minify "${DEFINES[@]}" "${IIFE_FLAGS[@]}" \
    --outfile=dist/iife/wasm-web-phone-multi-tab.js --log-level=error
  # The call history add-on (WebPhone.CallHistory, README "Call history"), loaded after either
  # script: a file of its own keeps it out of the main script's size budget.
  "$ESB" js/iife-call-history.ts --bundle --format=iife --target=es2020 --minify \
    --outfile=dist/iife/wasm-web-phone-call-history.js --log-level=error
  # The ringer add-on (WebPhone.Ringer, README "Devices"), likewise.
  "$ESB" js/iife-ringer.ts --bundle --format=iife --target=es2020 --minify \
    --outfile=dist/iife/wasm-web-phone-ringer.js --log-level=error
  build_kit
  node_modules/.bin/tsc -p tsconfig.json
  # tsc does not copy hand-written declarations (the wasm module's interface).
  (cd js && find . -name '*.d.ts' -o -name '*.d.mts') | while read -r d; do cp "js/$d" "dist/types/$d"; done
  node scripts/cts-types.mjs dist/types build/esm-meta.json
  raw=$(stat -c %s dist/sip-core.wasm); gz=$(gzip -9c dist/sip-core.wasm | wc -c)
  echo "build: sip-core.wasm ${raw} B (gzip -9: ${gz} B) sha256 ${sha:0:16}…"
fi
