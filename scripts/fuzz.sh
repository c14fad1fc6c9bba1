#!/bin/bash
# Builds the libFuzzer targets (clang 14, ASan+UBSan) and runs each for a
# bounded time, seeded from tests/fuzz/corpus/<target>/ (copied to a scratch
# dir so the committed seeds stay small). Any crash, leak or UB fails.
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-30}
# One sanitizer build serves the fuzzers and the ASan+UBSan unit-test run
# (scripts/test.sh stage "asan"), so the core is compiled once for both.
BUILD=build/sanitize
cmake -S . -B "$BUILD" -G Ninja -DWWP_FUZZ=ON -DWWP_BUILD_TESTS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null || exit 1
cmake --build "$BUILD" -j"${JOBS:-2}" || exit 1
[ "${BUILD_ONLY:-0}" = 1 ] && exit 0
rc=0
for bin in "$BUILD"/tests/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin"); seeds="tests/fuzz/corpus/${name#fuzz_}"
  # A target without its seeds would start from nothing and find little in
  # the time it has: that is a setup error, not a pass. (The unit stage also
  # replays each corpus, tests/fuzz/corpus_replay_test.cpp.)
  if [ ! -d "$seeds" ]; then echo "fuzz: $name has no seed corpus at $seeds"; rc=1; continue; fi
  work=$(mktemp -d); cp -r "$seeds"/. "$work"/ 2>/dev/null
  echo "fuzz: $name for ${SECONDS_EACH}s"
  if ! "$bin" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -artifact_prefix=/tmp/wwp-"$name"- \
       "$work" >/tmp/wwp-"$name".log 2>&1; then
    echo "fuzz: $name FAILED"; tail -40 /tmp/wwp-"$name".log; rc=1
  else
    grep -E '^Done|#[0-9]+.*DONE' /tmp/wwp-"$name".log | tail -1
  fi
  rm -rf "$work"
done
exit $rc
