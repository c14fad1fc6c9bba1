#!/bin/bash
# Builds everything: the native core + tests (build/host), the wasm module and
# the wasm test suite (build/wasm), and the npm package in dist/:
#   dist/es/…            ES modules, one per source file (subpath exports)
#   dist/cjs/index.cjs   CommonJS bundle
#   dist/iife/wasm-web-phone.js   script-tag build, sets globalThis.WebPhone
#   dist/sip-core.wasm   the SIP core
#   dist/types/…         .d.ts from tsc
# Usage: scripts/build.sh [--no-setup] [--host-only|--wasm-only|--package-only]
#   --package-only: just the npm package (what the demo needs), no test binaries
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
setup=1; host=1; wasm=1; wasm_target=()
for a in "$@"; do
  case "$a" in
    --no-setup) setup=0 ;;
    --host-only) wasm=0 ;;
    --wasm-only) host=0 ;;
    --package-only) host=0; wasm_target=(--target sip_core) ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done
[ $setup = 1 ] && bash scripts/setup.sh
export NODE_PATH=/usr/share/nodejs   # emcc's optimizer needs Debian's acorn
JOBS=${JOBS:-2}

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
  cp build/wasm/wasm/sip-core.mjs dist/es/sip-core.mjs
  cp build/wasm/wasm/sip-core.mjs js/sip-core.mjs   # for the bundlers below (git-ignored)
  ESB=node_modules/.bin/esbuild
  # The Emscripten loader's Node branch requires these; browsers never reach it.
  NODE_EXTERNALS=(--external:fs --external:path --external:crypto --external:url --external:module)
  mapfile -t entries < <(find js -name '*.ts' ! -name '*.d.ts' ! -name 'iife.ts' | sort)
  "$ESB" "${entries[@]}" --outdir=dist/es --outbase=js --format=esm --target=es2020 --log-level=warning
  "$ESB" js/index.ts --bundle --format=cjs --target=es2020 --outfile=dist/cjs/index.cjs \
    --footer:js='module.exports = module.exports.default;' "${NODE_EXTERNALS[@]}" --log-level=error
  "$ESB" js/iife.ts --bundle --format=iife --target=es2020 --minify \
    --outfile=dist/iife/wasm-web-phone.js "${NODE_EXTERNALS[@]}" --log-level=error
  node_modules/.bin/tsc -p tsconfig.json
  cp js/sip-core.d.mts dist/types/sip-core.d.mts
  sha=$(sha256sum dist/sip-core.wasm | cut -d' ' -f1)
  raw=$(stat -c %s dist/sip-core.wasm); gz=$(gzip -9c dist/sip-core.wasm | wc -c)
  echo "build: sip-core.wasm ${raw} B (gzip -9: ${gz} B) sha256 ${sha:0:16}…"
fi
