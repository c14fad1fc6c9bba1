#!/bin/bash
# Start/stop a background rc-edge (RingCentral SIP edge emulator) on 127.0.0.1.
#   scripts/rc-edge.sh start [extra args for e2e/rc-edge/main.mjs, e.g. --debug]
#   scripts/rc-edge.sh stop | status | restart
# Ports: RC_EDGE_WSS_PORT (16443), RC_EDGE_WS_PORT (16080), RC_EDGE_HTTP_PORT (16081).
# State: pid file and log in ${RC_EDGE_RUN_DIR:-/tmp/rc-edge}.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_DIR=${RC_EDGE_RUN_DIR:-/tmp/rc-edge}
PID_FILE=$RUN_DIR/rc-edge.pid
LOG=$RUN_DIR/rc-edge.log
WSS=${RC_EDGE_WSS_PORT:-16443}; WS=${RC_EDGE_WS_PORT:-16080}; HTTP=${RC_EDGE_HTTP_PORT:-16081}
export RC_EDGE_WSS_PORT=$WSS RC_EDGE_WS_PORT=$WS RC_EDGE_HTTP_PORT=$HTTP
mkdir -p "$RUN_DIR"

running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

case "${1:-}" in
  start)
    shift
    if running; then echo "rc-edge already running (pid $(cat "$PID_FILE"))"; exit 0; fi
    nohup node e2e/rc-edge/main.mjs "$@" >"$LOG" 2>&1 &
    echo $! >"$PID_FILE"
    for _ in $(seq 1 100); do
      if port_open "$WSS" && port_open "$WS" && port_open "$HTTP"; then
        echo "rc-edge up (pid $(cat "$PID_FILE")): wss://127.0.0.1:$WSS ws://127.0.0.1:$WS http://127.0.0.1:$HTTP  log $LOG"
        exit 0
      fi
      if ! running; then echo "rc-edge failed to start:"; cat "$LOG"; rm -f "$PID_FILE"; exit 1; fi
      sleep 0.1
    done
    echo "rc-edge: ports not open after 10 s"; cat "$LOG"; exit 1 ;;
  stop)
    if running; then
      pid=$(cat "$PID_FILE"); kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      echo "rc-edge stopped"
    else echo "rc-edge not running"; fi
    rm -f "$PID_FILE" ;;
  status)
    if running; then echo "rc-edge running (pid $(cat "$PID_FILE"))"; else echo "rc-edge not running"; exit 1; fi ;;
  restart) "$0" stop; shift; exec "$0" start "$@" ;;
  *) echo "usage: $0 start|stop|status|restart [args]"; exit 2 ;;
esac
