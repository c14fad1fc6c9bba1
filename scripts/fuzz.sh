#!/bin/bash
# Builds the libFuzzer targets (clang 14, ASan+UBSan) and runs them.
#
#   scripts/fuzz.sh [SECONDS]           smoke run (CI): each target SECONDS
#                                       (default 30) from its committed seeds,
#                                       copied to a scratch dir
#   scripts/fuzz.sh --long [TARGET...]  campaign: each target until FUZZ_RUNS
#                                       executions (default 10,000,000) or
#                                       FUZZ_LONG_SECONDS (default 7200),
#                                       whichever comes first; its corpus grows
#                                       in build/fuzz-corpus/<target>/ across
#                                       runs; prints execs, coverage, corpus
#                                       and findings, appended to
#                                       build/fuzz-long.md
#                                       The campaign runs a UBSan-only build
#                                       (build/fuzz-fast, ~2x the execs); what
#                                       it keeps is replayed under ASan+UBSan
#       --save                          after the campaign, add to each
#                                       committed corpus the inputs that reach
#                                       new coverage (libFuzzer -merge=1)
#
# Any crash, leak, timeout or UB fails the run; its input is kept at
# /tmp/wwp-fuzz_<target>-<kind>-<sha1> (each finding becomes a seed in
# tests/fuzz/corpus/<target>/ and a unit test).
set -uo pipefail
cd "$(dirname "$0")/.."
LONG=0 SAVE=0 SECONDS_EACH=30 ONLY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --long) LONG=1 ;;
    --save) SAVE=1 ;;
    [0-9]*) SECONDS_EACH=$1 ;;
    *) ONLY+=("$1") ;;
  esac
  shift
done
# One sanitizer build serves the fuzzers and the ASan+UBSan unit-test run
# (scripts/test.sh stage "asan"), so the core is compiled once for both.
BUILD=build/sanitize
cmake -S . -B "$BUILD" -G Ninja -DWWP_FUZZ=ON -DWWP_BUILD_TESTS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null || exit 1
cmake --build "$BUILD" -j"${JOBS:-2}" || exit 1
[ "${BUILD_ONLY:-0}" = 1 ] && exit 0
# The campaign runs a UBSan-only build (about twice the execs per second;
# FUZZ_ASAN=1 keeps ASan); every input it keeps is then run through the
# ASan+UBSan build above (the -merge step), so memory errors still show.
RUN=$BUILD
if [ "$LONG" = 1 ] && [ "${FUZZ_ASAN:-0}" != 1 ]; then
  RUN=build/fuzz-fast
  cmake -S . -B "$RUN" -G Ninja -DWWP_FUZZ=ON -DWWP_FUZZ_SANITIZERS=undefined -DWWP_BUILD_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null || exit 1
  cmake --build "$RUN" -j"${JOBS:-2}" || exit 1
fi

# "Done 123 runs in 31 second(s)" and the last "cov: N ft: M corp: K/S" of a log.
summary() {
  local log=$1 runs secs stats
  runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  # A run that stopped on a finding prints no "Done" line; its final stats still say how far it got.
  [ -n "$runs" ] || runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/\1/p' "$log" | tail -1)
  secs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$log" | tail -1)
  stats=$(tr -d '\000' <"$log" | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' | tail -1)
  echo "${runs:-?} execs in ${secs:-?} s; ${stats:-no stats}"
}

rc=0
[ "$LONG" = 1 ] && { mkdir -p build; echo "## $(date -u +%F' '%H:%M) UTC, $(git rev-parse --short HEAD)" >>build/fuzz-long.md; }
for bin in "$BUILD"/tests/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin"); target=${name#fuzz_}; seeds="tests/fuzz/corpus/$target"
  if [ ${#ONLY[@]} -gt 0 ] && ! printf '%s\n' "${ONLY[@]}" | grep -qx "$target"; then continue; fi
  # A target without its seeds would start from nothing and find little in
  # the time it has: that is a setup error, not a pass. (The unit stage also
  # replays each corpus, tests/fuzz/corpus_replay_test.cpp.)
  if [ ! -d "$seeds" ]; then echo "fuzz: $name has no seed corpus at $seeds"; rc=1; continue; fi
  # The campaign logs apart from the smoke runs (a CI run beside a campaign would share the file).
  log=/tmp/wwp-"$name".log; [ "$LONG" = 1 ] && log=/tmp/wwp-long-"$name".log
  if [ "$LONG" = 1 ]; then
    work=build/fuzz-corpus/$target; mkdir -p "$work"; cp -rn "$seeds"/. "$work"/ 2>/dev/null
    limits=(-runs="${FUZZ_RUNS:-10000000}" -max_total_time="${FUZZ_LONG_SECONDS:-7200}")
    echo "fuzz: $name up to ${FUZZ_RUNS:-10000000} execs / ${FUZZ_LONG_SECONDS:-7200}s (corpus $work)"
  else
    work=$(mktemp -d); cp -r "$seeds"/. "$work"/ 2>/dev/null
    limits=(-max_total_time="$SECONDS_EACH")
    echo "fuzz: $name for ${SECONDS_EACH}s"
  fi
  if ! "$RUN/tests/fuzz/$name" "${limits[@]}" -rss_limit_mb=2048 -timeout=25 -print_final_stats=1 \
       -artifact_prefix=/tmp/wwp-"$name"- "$work" >"$log" 2>&1; then
    echo "fuzz: $name FAILED ($(summary "$log"))"; tail -40 "$log"; rc=1
    [ "$LONG" = 1 ] && echo "- $target: FAILED after $(summary "$log"); see $log" >>build/fuzz-long.md
  else
    echo "fuzz: $name $(summary "$log")"
    [ "$LONG" = 1 ] && echo "- $target: $(summary "$log"), no findings" >>build/fuzz-long.md
  fi
  if [ "$LONG" = 1 ]; then
    # Every input the campaign kept, through the ASan+UBSan build; with
    # --save, libFuzzer's merge adds to the committed seeds only the inputs
    # that reach new coverage (the seeds keep their names).
    into=$(mktemp -d); [ "$SAVE" = 1 ] && into=$seeds
    before=$(ls "$seeds" | wc -l)
    if "$bin" -merge=1 -rss_limit_mb=2048 -timeout=25 "$into" "$work" >/tmp/wwp-"$name"-merge.log 2>&1; then
      echo "fuzz: $name corpus of $(ls "$work" | wc -l) replayed under ASan+UBSan: clean"
      [ "$SAVE" = 1 ] && echo "fuzz: $name seeds: $before -> $(ls "$seeds" | wc -l) files, $(du -sh --apparent-size "$seeds" | cut -f1)"
    else
      echo "fuzz: $name corpus replay under ASan+UBSan FAILED: /tmp/wwp-$name-merge.log"; rc=1
      echo "- $target: corpus replay under ASan+UBSan FAILED" >>build/fuzz-long.md
    fi
    [ "$SAVE" = 1 ] || rm -rf "$into"
  fi
  [ "$LONG" = 1 ] || rm -rf "$work"
done
exit $rc
