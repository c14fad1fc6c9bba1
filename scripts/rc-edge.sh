#!/bin/bash
# Start/stop a background rc-edge (RingCentral SIP edge emulator) on 127.0.0.1.
#   scripts/rc-edge.sh start [extra args for e2e/rc-edge/main.mjs, e.g. --debug, --fresh]
#   scripts/rc-edge.sh stop | status | restart
#   scripts/rc-edge.sh kill      SIGKILL it (a crash, for fault-injection tests); `start` brings it back
#   scripts/rc-edge.sh pause     SIGSTOP it (an edge that stops answering); resume: SIGCONT
# Ports: RC_EDGE_WSS_PORT (16443), RC_EDGE_WS_PORT (16080), RC_EDGE_HTTP_PORT (16081).
#
# State lives in a run dir PER NETWORK NAMESPACE (${RC_EDGE_RUN_DIR:-/tmp/wwp-rc-edge-<netns inode>}),
# as for scripts/kamailio.sh: each loopback-only netns (scripts/netns-run.sh) has
# its own 127.0.0.1 and can run its own edge on the same ports, but /tmp is shared.
# It holds the pid file, the log and state.json: the edge's registrations and
# established calls, written on every change and read at start, so an edge that
# is killed and started again keeps them (e2e/rc-edge/store.mjs). `start --fresh`
# begins with an empty store.
set -euo pipefail
cd "$(dirname "$0")/.."
NETNS="$(stat -L -c %i /proc/self/ns/net)"
RUN_DIR=${RC_EDGE_RUN_DIR:-/tmp/wwp-rc-edge-$NETNS}
PID_FILE=$RUN_DIR/rc-edge.pid
LOG=$RUN_DIR/rc-edge.log
STATE=$RUN_DIR/state.json
WSS=${RC_EDGE_WSS_PORT:-16443}; WS=${RC_EDGE_WS_PORT:-16080}; HTTP=${RC_EDGE_HTTP_PORT:-16081}
export RC_EDGE_WSS_PORT=$WSS RC_EDGE_WS_PORT=$WS RC_EDGE_HTTP_PORT=$HTTP
mkdir -p "$RUN_DIR"

# The pid must still be this edge (pids get reused).
running() {
  [ -s "$PID_FILE" ] || return 1
  local pid; pid="$(cat "$PID_FILE")"
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'rc-edge/main\.mjs'
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  if running; then echo "rc-edge already running (pid $(cat "$PID_FILE"), $RUN_DIR)"; return 0; fi
  # setsid: its own process group, so a Ctrl-C meant for the caller does not reach it.
  # The log is appended to: a restart keeps what the killed process wrote.
  nohup setsid node e2e/rc-edge/main.mjs --state-file "$STATE" "$@" >>"$LOG" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$PID_FILE"
  for _ in $(seq 1 100); do
    if port_open "$WSS" && port_open "$WS" && port_open "$HTTP"; then
      echo "rc-edge up (pid $pid): wss://127.0.0.1:$WSS ws://127.0.0.1:$WS http://127.0.0.1:$HTTP  log $LOG"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "rc-edge failed to start:" >&2; tail -20 "$LOG" >&2; rm -f "$PID_FILE"; return 1; fi
    sleep 0.1
  done
  echo "rc-edge: ports not open after 10 s, see $LOG" >&2; return 1
}

stop() {
  if running; then
    local pid; pid=$(cat "$PID_FILE")
    kill -TERM "$pid"; kill -CONT "$pid" 2>/dev/null || true   # a paused edge must wake to exit
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "rc-edge stopped (pid $pid)"
  else echo "rc-edge not running"; fi
  rm -f "$PID_FILE"
}

crash() {
  if ! running; then echo "rc-edge not running"; rm -f "$PID_FILE"; return 0; fi
  local pid; pid=$(cat "$PID_FILE")
  kill -KILL "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  rm -f "$PID_FILE"
  echo "rc-edge killed (pid $pid, SIGKILL)"
}

signal() {
  if ! running; then echo "rc-edge not running" >&2; return 1; fi
  local pid; pid=$(cat "$PID_FILE")
  kill "-$1" "$pid"
  echo "rc-edge: SIG$1 to pid $pid"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status)
    if running; then echo "rc-edge running (pid $(cat "$PID_FILE"), netns $NETNS, run dir $RUN_DIR)"
    else echo "rc-edge not running (netns $NETNS, run dir $RUN_DIR)"; exit 1; fi ;;
  restart) stop; shift; start "$@" ;;
  kill) crash ;;
  pause) signal STOP ;;
  resume) signal CONT ;;
  *) echo "usage: $0 start|stop|status|restart|kill|pause|resume [args]" >&2; exit 2 ;;
esac
