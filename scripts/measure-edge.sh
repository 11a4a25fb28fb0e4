#!/usr/bin/env bash
# Edge start-up and footprint, on the setup `scripts/run.sh --detach` leaves running (cloud, edge joined as edge-1,
# the local API server or your cluster): restarts the edge distribution and reports
#   - JVM start → node registered with the cloud (Edged's "node … registered" log line; KubeEdge's "Ready node" anchor)
#   - JVM start → EdgeHub connected
#   - idle RSS after IDLE seconds (default 30), joined, with the sample pod and configmap in its meta table
# Usage: scripts/run.sh --detach && scripts/measure-edge.sh [rounds=3]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EDGE=${KEDGE_RUN_DIR:-$ROOT/run}/edge
ROUNDS=${1:-3}
IDLE=${IDLE:-30}
LOG=$EDGE/data/log/karaf.log
[ -s "$EDGE/karaf.pid" ] && kill -0 "$(cat "$EDGE/karaf.pid")" 2>/dev/null || { echo "edge not running: scripts/run.sh --detach first" >&2; exit 1; }

ms_of() { date -d "$(echo "$1" | cut -c1-23 | tr 'T' ' ' | tr ',' '.')" +%s%3N; }   # Karaf log timestamp → epoch ms

for r in $(seq 1 "$ROUNDS"); do
  pid=$(cat "$EDGE/karaf.pid")
  "$EDGE/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && { echo "edge pid $pid did not stop" >&2; exit 1; }
  rm -f "$EDGE/karaf.pid"
  from=$(wc -l < "$LOG")
  (cd "$EDGE" && bin/start)
  t0=$SECONDS
  until tail -n +"$((from + 1))" "$LOG" | grep -q 'node .* registered'; do
    [ $((SECONDS - t0)) -gt 120 ] && { echo "no registration within 120 s; see $LOG" >&2; exit 1; }
    sleep 0.2
  done
  new=$(tail -n +"$((from + 1))" "$LOG")
  busline=$(echo "$new" | grep -m1 'message bus active')
  up_ms=$(echo "$busline" | sed -E 's/.*active ([0-9]+) ms after JVM start.*/\1/')
  jvm_start=$(( $(ms_of "$busline") - up_ms ))
  connected=$(( $(ms_of "$(echo "$new" | grep -m1 'connected to CloudHub')") - jvm_start ))
  registered=$(( $(ms_of "$(echo "$new" | grep -m1 'node .* registered')") - jvm_start ))
  echo "round $r: bus ${up_ms} ms, connected to CloudHub ${connected} ms, node registered ${registered} ms after JVM start"
done
sleep "$IDLE"
rss=$(awk '/VmRSS/ {print $2}' "/proc/$(cat "$EDGE/karaf.pid")/status")
echo "idle RSS after ${IDLE} s: $((rss / 1024)) MiB"
