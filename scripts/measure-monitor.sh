#!/usr/bin/env bash
# Cost of the monitor on the edge: unpacks karaf-edge-assembly/target/kedge-edge-*.tar.gz into a temp dir (free
# ports, not joined), and compares, round by round, the idle edge with dev.kedge.monitor active and stopped
# (bundle:stop persists across restarts): RSS and threads after IDLE seconds, and JVM start → monitor serving.
# Usage: scripts/measure-monitor.sh [rounds=2]   (IDLE=30 by default). Stops what it started, by PID.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-2}
IDLE=${IDLE:-30}
. "$ROOT/scripts/lib/edge-tarball.sh"
TARBALL=$(edge_tarball "$ROOT")
DIR=$(mktemp -d /tmp/kedge-measure-XXXXXX)
PW=measure-pw
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
stop_edge() {
  [ -s "$DIR/karaf.pid" ] || return 0
  local pid; pid=$(cat "$DIR/karaf.pid")
  (cd "$DIR" && bin/stop >/dev/null 2>&1) || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$DIR/karaf.pid"
}
trap 'stop_edge; rm -rf "$DIR"' EXIT
tar xzf "$TARBALL" -C "$DIR" --strip-components=1
SSH=$(free_port); MQTT=$(free_port); MON=$(free_port)
printf 'sshPort = %s\n' "$SSH" >> "$DIR/etc/org.apache.karaf.shell.cfg"
printf 'port = %s\n' "$MQTT" > "$DIR/etc/dev.kedge.edge.broker.cfg"
printf 'mqttServerInternal = tcp://127.0.0.1:%s\n' "$MQTT" > "$DIR/etc/dev.kedge.edge.eventbus.cfg"
printf 'port = %s\n' "$MON" > "$DIR/etc/dev.kedge.edge.monitor.cfg"
console() { (cd "$DIR" && echo "$1" | KEDGE_ADMIN_PASSWORD=$PW bin/client -u kedge -p $PW -b 2>/dev/null); }
start_edge() {
  (cd "$DIR" && KEDGE_ADMIN_PASSWORD=$PW bin/start)
  local t0=$SECONDS
  until console "bus:modules" | grep -q metamanager; do
    [ $((SECONDS - t0)) -gt 120 ] && { echo "edge did not come up; see $DIR/data/log/karaf.log" >&2; exit 1; }
    sleep 1
  done
}
measure() {   # $1 = label
  sleep "$IDLE"
  local pid; pid=$(cat "$DIR/karaf.pid")
  local rss; rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  local threads; threads=$(ls "/proc/$pid/task" | wc -l)
  local serving="-"
  local bus; bus=$(grep 'message bus active' "$DIR/data/log/karaf.log" | tail -n1 | sed -E 's/.*active ([0-9]+) ms after JVM start.*/\1/')
  if [ "$1" = with ]; then
    local line; line=$(grep 'monitor serving' "$DIR/data/log/karaf.log" | tail -n1)
    local busline; busline=$(grep 'message bus active' "$DIR/data/log/karaf.log" | tail -n1)
    ms_of() { date -d "$(echo "$1" | cut -c1-23 | tr 'T' ' ' | tr ',' '.')" +%s%3N; }
    serving=$(( $(ms_of "$line") - $(ms_of "$busline") + bus ))
  fi
  echo "MEASURE $1 monitor: RSS $((rss / 1024)) MiB, $threads threads, bus active ${bus} ms, monitor serving ${serving} ms after JVM start"
}
for r in $(seq 1 "$ROUNDS"); do
  start_edge; console "bundle:start dev.kedge.monitor" >/dev/null; stop_edge; : > "$DIR/data/log/karaf.log"
  start_edge; curl -sf "127.0.0.1:$MON/metrics" >/dev/null; measure with
  console "bundle:stop dev.kedge.monitor" >/dev/null; stop_edge; : > "$DIR/data/log/karaf.log"
  start_edge; measure without
  stop_edge
done
