#!/bin/bash
# Self-signed certificate for the e2e Kamailio's WSS listener (wss://localhost:25443).
# CN/SAN = localhost + 127.0.0.1. Written to e2e/.certs/ (git-ignored), or $1.
# Idempotent, and safe when several engineers/runs start at once: generation
# happens under an flock, in a temp dir, and the pair is moved into place.
set -euo pipefail
dir="${1:-$(cd "$(dirname "$0")/.." && pwd)/e2e/.certs}"
mkdir -p "$dir"
have() { [ -s "$dir/cert.pem" ] && [ -s "$dir/key.pem" ]; }
have && exit 0
exec 9>"$dir/.lock"
flock 9
have && exit 0
tmp="$(mktemp -d "$dir/.gen.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
chmod 600 "$tmp/key.pem"
mv "$tmp/key.pem" "$dir/key.pem"     # key first: whoever sees cert.pem has the key too
mv "$tmp/cert.pem" "$dir/cert.pem"
echo "gen-cert: generated $dir/cert.pem" >&2
