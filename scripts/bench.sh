#!/bin/bash
# Parse benchmark: the wasm core vs ringcentral-web-phone, JsSIP and SIP.js in
# one Node process (bench/parse-bench.mjs; method in bench/README.md).
# Builds the wasm module first if dist/ lacks it. Not part of the test suite.
#   scripts/bench.sh                 # ~1.5 min; writes bench/results/parse.{md,json}
#   scripts/bench.sh --quick         # ~20 s smoke run, results to /tmp
#   scripts/bench.sh --native        # also the C++ parser alone (native + wasm, ~1 min more)
#   scripts/bench.sh -- --reps 15    # extra options for parse-bench.mjs
set -euo pipefail
cd "$(dirname "$0")/.."
native=0; args=()
for a in "$@"; do
  case "$a" in
    --native) native=1 ;;
    --quick) args+=(--reps 3 --target-ms 30 --warmup-ms 200 --out /tmp/wwp-parse-quick) ;;
    --) ;;
    *) args+=("$a") ;;
  esac
done
if [ ! -f dist/sip-core.wasm ] || [ ! -f dist/es/sip-core.mjs ] || [ ! -f dist/iife/wasm-web-phone.js ]; then
  bash scripts/build.sh --no-setup --wasm-only
fi
timeout 300 node bench/parse-bench.mjs "${args[@]}"
if [ $native = 1 ]; then timeout 300 bash bench/native/run.sh; fi
