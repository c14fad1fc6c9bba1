#!/bin/bash
# The C++ parser without JS (bench/native/parse-loop.cpp), in two builds:
#   native: g++ -O3 (host)
#   wasm:   em++ with the same flags as the real module (core -O3, the ABI
#           file and the link -Oz), run under node
# Output goes to stdout; binaries to build/bench-native/ (git-ignored).
# Usage: bench/native/run.sh [ms per sample] [samples]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=build/bench-native; mkdir -p "$OUT"
MS=${1:-200}; N=${2:-7}
CORE=(core/msg/parser.cpp core/msg/header_names.cpp core/msg/header_fields.cpp core/msg/params.cpp
      core/msg/uri.cpp core/msg/parse_error.cpp core/msg/message.cpp)
DEFS=(-std=c++17 -I. -DPUGIXML_NO_EXCEPTIONS -DJSON_NOEXCEPTION)
g++ -O3 "${DEFS[@]}" bench/native/parse-loop.cpp wasm/parse_abi.cpp "${CORE[@]}" -o "$OUT/parse-loop"
echo "## native (g++ -O3)"; "$OUT/parse-loop" bench/corpus "$MS" "$N"
if command -v em++ >/dev/null; then
  export NODE_PATH=/usr/share/nodejs
  objs=()
  for f in "${CORE[@]}"; do o="$OUT/$(basename "$f" .cpp).o"; em++ -O3 "${DEFS[@]}" -c "$f" -o "$o"; objs+=("$o"); done
  em++ -Oz "${DEFS[@]}" bench/native/parse-loop.cpp wasm/parse_abi.cpp "${objs[@]}" \
    -sNODERAWFS=1 -sALLOW_MEMORY_GROWTH=1 -o "$OUT/parse-loop.cjs"
  echo "## wasm (core em++ -O3, ABI + link -Oz as in wasm/CMakeLists.txt), node"
  # Emscripten 3.1.6 would try fetch() for the .wasm under Node 20.
  node --no-experimental-fetch "$OUT/parse-loop.cjs" bench/corpus "$MS" "$N"
fi
