#!/bin/bash
# Installs everything wasm-web-phone needs on a fresh Debian 12 machine (root).
# Idempotent: each step checks first, so a second run takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600)

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
# kamailio-presence-modules: presence/pua/dialog-info (PUBLISH, SUBSCRIBE, BLF) in e2e/kamailio/kamailio.cfg.
# python3-minimal: e2e/lib/rtp-capture.py reads RTP headers off loopback (no tcpdump here).
for p in emscripten nlohmann-json3-dev googletest libgtest-dev cmake ninja-build clang-14 \
         libclang-rt-14-dev chromium kamailio kamailio-websocket-modules kamailio-tls-modules \
         kamailio-presence-modules \
         sip-tester openssl dpkg-dev iproute2 util-linux python3-minimal nodejs npm; do
  have_pkg "$p" || need+=("$p")
done
# nodejs/npm may come from outside Debian on some machines; accept any working node >= 18.
if command -v node >/dev/null && command -v npm >/dev/null; then
  need=("${need[@]/nodejs}"); need=("${need[@]/npm}")
fi
mapfile -t need < <(printf '%s\n' "${need[@]}" | grep -v '^$' || true)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: apt-get install ${need[*]}"
  "${APT[@]}" update -qq
  # The container's policy-rc.d keeps kamailio's system daemon from starting;
  # we only ever run our own foreground instance on 127.0.0.1.
  "${APT[@]}" install -y --no-install-recommends "${need[@]}" >/tmp/wwp-apt.log 2>&1 \
    || { tail -30 /tmp/wwp-apt.log; exit 1; }
fi

# pugixml is only shipped as a binary library; the wasm build compiles its source.
PUGI_DIR=third_party/pugixml
if [ ! -f "$PUGI_DIR/src/pugixml.cpp" ]; then
  src_list=/etc/apt/sources.list.d/wwp-deb-src.sources
  if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    cat >"$src_list" <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    "${APT[@]}" update -qq
  fi
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get source --download-only pugixml >/tmp/wwp-pugi.log 2>&1 \
     && dpkg-source -x --no-check ./pugixml_*.dsc pugixml >>/tmp/wwp-pugi.log 2>&1) \
     || { tail -20 /tmp/wwp-pugi.log; exit 1; }
  mkdir -p "$PUGI_DIR"
  cp -r "$tmp/pugixml/src" "$PUGI_DIR/"
  cp "$tmp/pugixml/LICENSE.md" "$PUGI_DIR/" 2>/dev/null || true
  rm -rf "$tmp"
fi

# emcc needs acorn & co. from Debian's node modules.
export NODE_PATH=/usr/share/nodejs
if [ -f package-lock.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
echo "setup: ok"
