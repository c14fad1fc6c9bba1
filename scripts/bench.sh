#!/bin/bash
# Benchmarks: wasm-web-phone vs ringcentral-web-phone 2.5.4 (RC), both in the
# same run, reported as ratios (method in bench/README.md). Not part of the
# test suite; speed is never a timed test.
#
# Runs, in this order, and writes <out-dir>/<name>.{md,json} for each:
#   sizes       bench/sizes.mjs         what a page downloads (raw, gzip -9, brotli)
#   receive     bench/receive-path.mjs  frame on the socket -> `inboundMessage` read (Node)
#   send        bench/send-path.mjs     API call -> frame handed to ws.send (Node)
#   cold-start  bench/cold-start.mjs    navigation -> first REGISTER sent (Chromium,
#                                       inside scripts/netns-run.sh: loopback only)
#   parse       bench/parse-bench.mjs   the FLOOR: the core's parser alone through a
#                                       function only the benchmark calls, vs the JS peers
#   wasm-size   scripts/wasm-size-table.mjs on a build of sip-core.wasm with
#               function names (build/wasm-names): code size per component
# then bench/summary.mjs prints one table and writes <out-dir>/summary.{md,json}.
#
#   scripts/bench.sh                   # everything, ~3 min; results in bench/results/
#   scripts/bench.sh --quick           # ~1 min smoke run, results in /tmp/wwp-bench-quick/
#   scripts/bench.sh --dist /tmp/d     # measure a copy of dist/ (never builds)
#   scripts/bench.sh --only receive,send
#   scripts/bench.sh --out-dir /tmp/r  # write results elsewhere
#   scripts/bench.sh --native          # also bench/native/run.sh: the C++ parser alone
#   scripts/bench.sh -- --reps 15      # extra options for parse-bench.mjs (as before)
# Unknown options are passed to parse-bench.mjs, as before.
# Without --dist it builds the wasm module first if dist/ lacks it.
set -euo pipefail
cd "$(dirname "$0")/.."
native=0; quick=0; dist=''; only='sizes,receive,send,cold-start,parse,wasm-size'; outdir=''
parse_args=(); common=()
while [ $# -gt 0 ]; do
  case "$1" in
    --native) native=1 ;;
    --quick) quick=1 ;;
    --dist) dist="$2"; shift ;;
    --dist=*) dist="${1#--dist=}" ;;
    --only) only="$2"; shift ;;
    --only=*) only="${1#--only=}" ;;
    --out-dir) outdir="$2"; shift ;;
    --out-dir=*) outdir="${1#--out-dir=}" ;;
    --) ;;
    *) parse_args+=("$1") ;;
  esac
  shift
done
if [ -z "$outdir" ]; then
  if [ $quick = 1 ]; then outdir=/tmp/wwp-bench-quick; else outdir=bench/results; fi
fi
mkdir -p "$outdir"
if [ -n "$dist" ]; then
  dist="$(cd "$dist" && pwd)"
  common+=(--dist "$dist")
elif [ ! -f dist/sip-core.wasm ] || [ ! -f dist/es/sip-client.js ] || [ ! -f dist/iife/wasm-web-phone.js ]; then
  bash scripts/build.sh --no-setup --wasm-only
fi
if [ $quick = 1 ]; then
  common+=(--quick)
  parse_args=(--reps 3 --target-ms 30 --warmup-ms 200 "${parse_args[@]}")
fi
wants() { [[ ",$only," == *",$1,"* ]]; }
failed=()
step() {  # step NAME TIMEOUT_S CMD...
  local name="$1" t="$2"; shift 2
  echo "=== $name: $*" >&2
  if ! timeout "$t" "$@" > "$outdir/$name.log" 2>&1; then
    failed+=("$name"); echo "!!! $name failed (log: $outdir/$name.log)" >&2; tail -n 20 "$outdir/$name.log" >&2
  fi
}
if wants sizes; then step sizes 120 node bench/sizes.mjs "${common[@]}" --out "$outdir/sizes"; fi
if wants receive; then step receive 600 node bench/receive-path.mjs "${common[@]}" --out "$outdir/receive"; fi
if wants send; then step send 600 node bench/send-path.mjs "${common[@]}" --out "$outdir/send"; fi
if wants cold-start; then step cold-start 900 bash scripts/netns-run.sh node bench/cold-start.mjs "${common[@]}" --out "$outdir/cold-start"; fi
if wants parse; then
  pd=(); if [ -n "$dist" ]; then pd=(--dist "$dist"); fi
  step parse 600 node bench/parse-bench.mjs "${pd[@]}" --out "$outdir/parse" "${parse_args[@]}"
fi
if wants wasm-size; then
  # The same sources and flags as dist/sip-core.wasm, plus a name section.
  export NODE_PATH=/usr/share/nodejs
  [ -f build/wasm-names/build.ninja ] ||
    emcmake cmake -S . -B build/wasm-names -G Ninja -DCMAKE_BUILD_TYPE=Release -DWWP_WASM_NAMES=ON >/dev/null
  step wasm-size-build 900 cmake --build build/wasm-names -j"${JOBS:-2}" --target sip_core
  if ! node scripts/wasm-size-table.mjs build/wasm-names/wasm/sip-core.wasm --top 25 > "$outdir/wasm-size.md" 2> "$outdir/wasm-size.log"; then
    failed+=(wasm-size); cat "$outdir/wasm-size.log" >&2
  fi
fi
if [ $native = 1 ]; then timeout 300 bash bench/native/run.sh; fi
node bench/summary.mjs --dir "$outdir" --only "$only"
if [ ${#failed[@]} -gt 0 ]; then echo "failed: ${failed[*]}" >&2; exit 1; fi
