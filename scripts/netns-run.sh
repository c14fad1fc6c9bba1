#!/bin/bash
# Run a command inside a private network namespace whose only interface is
# loopback, so nothing a test starts (SIP server, browser, sipp) can send a
# packet off this machine. Needs root, or unprivileged user namespaces.
set -euo pipefail
if [ -n "${WWP_IN_NETNS:-}" ]; then exec "$@"; fi
if [ "$(id -u)" = 0 ]; then NS=(unshare --net); else NS=(unshare --net --map-root-user); fi
exec "${NS[@]}" env WWP_IN_NETNS=1 bash -c 'ip link set lo up && exec "$@"' netns-run "$@"
