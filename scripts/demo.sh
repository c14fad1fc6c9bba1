#!/bin/bash
# The main job: the demo phone against the embedded local SIP server.
# Installs and builds what is missing, starts the SIP server on 127.0.0.1,
# serves the demo page and prints its URL. Ctrl-C stops everything.
#   DEMO_PORT   web port (default 8080)
#   DEMO_SERVER rc-edge (default: the RingCentral-compatible edge, e2e/rc-edge)
#               or kamailio (the standard SIP server of the interop tests)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh --no-setup --package-only
PORT=${DEMO_PORT:-8080}
SERVER=${DEMO_SERVER:-rc-edge}
CONFIG=$(mktemp /tmp/wwp-demo-config.XXXXXX.json)

# The page talks plain ws:// on loopback: a browser would silently refuse the
# servers' self-signed wss:// certificates.
case "$SERVER" in
  rc-edge)
    # --fresh: the edge keeps bindings and calls in its state file across a
    # restart (for the recovery tests); a demo starts with none, so bindings
    # left by the last run cannot count against the 5-instance limit.
    bash scripts/rc-edge.sh start --fresh
    trap 'bash scripts/rc-edge.sh stop; rm -f "$CONFIG"' EXIT
    node -e '
      const d = require("./e2e/rc-edge/directory.json");
      const port = process.env.RC_EDGE_WS_PORT || 16080;
      const users = d.extensions.map(x => ({ username: x.username, authorizationId: x.authorizationId, password: x.password, name: `ext ${x.ext}, ${x.name}` }));
      console.log(JSON.stringify({ server: "RingCentral-compatible edge", ringCentral: true, domain: d.domain, wsUrl: `ws://127.0.0.1:${port}`, users }));
    ' > "$CONFIG" ;;
  kamailio)
    bash scripts/kamailio.sh start
    trap 'bash scripts/kamailio.sh stop; rm -f "$CONFIG"' EXIT
    node -e '
      const u = require("./e2e/kamailio/users.json");
      const users = Object.values(u.users).map(x => ({ username: x.username, authorizationId: x.authorizationId, password: x.password, name: x.displayName }));
      console.log(JSON.stringify({ server: "Kamailio", domain: u.domain, wsUrl: `ws://${u.server.host}:${u.server.wsPort}`, users }));
    ' > "$CONFIG" ;;
  *) echo "DEMO_SERVER must be rc-edge or kamailio" >&2; exit 2 ;;
esac
echo "demo: SIP server: $SERVER on 127.0.0.1; open the URL below in two tabs to call between two extensions"
node scripts/serve-demo.mjs "$PORT" "$CONFIG"
