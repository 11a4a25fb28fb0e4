#!/usr/bin/env bash
# Edge start-up and footprint, on the setup `scripts/run.sh --detach` leaves running (cloud, edge joined as edge-1,
# the local API server, containerd when root). Restarts the edge distribution ROUNDS times and prints:
#   - start → EdgeHub connected, → node registered (Edged's "node … registered" line) and → node Ready (Edged's "node …
#     Ready" line: its first status with Ready=True since registration, i.e. the runtime's health known; KubeEdge's anchor),
#     both from `bin/start` (wall clock, what an operator waits) and from JVM start (the bus line's own figure)
#   - idle RSS and threads SETTLE s after registration, and idle CPU (% of one core) over the next IDLE s, from /proc
#   - RSS and threads with PODS pods running on the edge (created with kubectl, deleted afterwards)
#   - idle CPU without the node's devices (NODEVICES=1: deleted for the measurement, created again afterwards; the
#     anchor, edgecore, was measured without devices, and run.sh's sample device reads and reports every second)
#   - the edge tarball's size
# BREAKDOWN=1 adds one more restart with Native Memory Tracking and prints where the memory, classes, threads and
# start-up time go (NMT summary, class loaders, threads by owner, bundles, a start-up timeline from the log).
#
# Usage: scripts/run.sh --detach && scripts/measure-edge.sh [rounds=3]
#   EDGE_OPTS   extra JVM options for the measured restarts (EXTRA_JAVA_OPTS), e.g. to compare flags
#   SETTLE=20 IDLE=60 PODS=10 NODEVICES=1 BREAKDOWN=0 KEDGE_NODE=edge-1
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN_DIR=${KEDGE_RUN_DIR:-$ROOT/run}
EDGE=$RUN_DIR/edge
ROUNDS=${1:-3}
SETTLE=${SETTLE:-20}
IDLE=${IDLE:-60}
PODS=${PODS:-10}
NODE=${KEDGE_NODE:-edge-1}
LOG=$EDGE/data/log/karaf.log
HZ=$(getconf CLK_TCK)
. "$ROOT/scripts/lib/edge-tarball.sh"
TARBALL=$(edge_tarball "$ROOT")   # this machine's architecture, as KubeEdge's anchor (its linux-amd64 tarball)
[ -s "$EDGE/karaf.pid" ] && kill -0 "$(cat "$EDGE/karaf.pid")" 2>/dev/null \
  || { echo "edge not running: scripts/run.sh --detach first" >&2; exit 1; }
if [ -z "${KUBECONFIG:-}" ] && [ -s "$RUN_DIR/kube/kubeconfig" ]; then
  export KUBECONFIG=$RUN_DIR/kube/kubeconfig PATH="${KUBE_CACHE:-/var/cache/kedge-test/k8s}/kc/usr/bin:$PATH"
fi

ms_of() { date -d "$(echo "$1" | cut -c1-23 | tr 'T' ' ' | tr ',' '.')" +%s%3N; }   # Karaf log timestamp → epoch ms
edge_pid() { cat "$EDGE/karaf.pid"; }
rss_mib() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
threads() { awk '/^Threads/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }   # utime + stime
# % of one core the process used over the next IDLE s
idle_cpu_pct() {
  local c0 c1; c0=$(cpu_ticks "$1"); sleep "$IDLE"; c1=$(cpu_ticks "$1")
  awk -v t=$((c1 - c0)) -v hz="$HZ" -v s="$IDLE" 'BEGIN {printf "%.2f", t / hz / s * 100}'
}
password() { if [ -n "${KEDGE_ADMIN_PASSWORD:-}" ]; then echo "$KEDGE_ADMIN_PASSWORD"; else cat "$EDGE/etc/admin.password"; fi; }
console() { echo "$1" | timeout 60 "$EDGE/bin/client" -u kedge -p "$(password)" -r 3 -b 2>/dev/null; }

stop_edge() {
  local pid; pid=$(edge_pid)
  "$EDGE/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { echo "edge pid $pid did not stop within 30 s" >&2; exit 1; }
  rm -f "$EDGE/karaf.pid"
}

# restart the edge with EXTRA_JAVA_OPTS=$1; sets NEW (its log lines), CONNECTED / REGISTERED / READY (ms after JVM
# start), BUS (ms after JVM start), WALL_CONNECTED / WALL_REGISTERED / WALL_READY (ms after bin/start), DIAL (ms)
restart_edge() {
  stop_edge
  local from t_start t0 busline jvm_start
  from=$(wc -l < "$LOG")
  t_start=$(date +%s%3N)
  (cd "$EDGE" && EXTRA_JAVA_OPTS="$1" bin/start)
  t0=$SECONDS
  until [ "$(wc -l < "$LOG")" -lt "$from" ] || tail -n +"$((from + 1))" "$LOG" | grep -q 'node .* Ready: first Ready status'; do
    [ $((SECONDS - t0)) -gt 120 ] && { echo "node not Ready within 120 s; see $LOG" >&2; exit 1; }
    sleep 0.1
  done
  START_CPU_MS=$(( $(cpu_ticks "$(edge_pid)") * 1000 / HZ ))   # CPU the JVM spent until then: less load-dependent
  [ "$(wc -l < "$LOG")" -lt "$from" ] && { echo "the log rolled over during the restart; run again" >&2; exit 1; }
  NEW=$(tail -n +"$((from + 1))" "$LOG")
  busline=$(echo "$NEW" | grep -m1 'message bus active')
  BUS=$(echo "$busline" | sed -E 's/.*active ([0-9]+) ms after JVM start.*/\1/')
  jvm_start=$(( $(ms_of "$busline") - BUS ))
  JVM_START=$jvm_start
  local c r y
  local cline; cline=$(echo "$NEW" | grep -m1 'connected to CloudHub')
  c=$(ms_of "$cline")
  DIAL=$(echo "$cline" | sed -nE 's/.* in ([0-9]+) ms$/\1/p')   # EdgeHub's TLS + WebSocket handshakes
  r=$(ms_of "$(echo "$NEW" | grep -m1 'node .* registered')")
  y=$(ms_of "$(echo "$NEW" | grep -m1 'node .* Ready: first Ready status')")
  CONNECTED=$((c - jvm_start)); REGISTERED=$((r - jvm_start)); READY=$((y - jvm_start))
  WALL_CONNECTED=$((c - t_start)); WALL_REGISTERED=$((r - t_start)); WALL_READY=$((y - t_start))
  WALL_JVM=$((jvm_start - t_start))
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

echo "== edge: $EDGE (EDGE_OPTS='${EDGE_OPTS:-}'), $ROUNDS restarts of the joined edge"
walls=""; regs=""; cpus=""; readies=""; jvm_readies=""
for r in $(seq 1 "$ROUNDS"); do
  restart_edge "${EDGE_OPTS:-}"
  walls="$walls $WALL_REGISTERED"; regs="$regs $REGISTERED"; cpus="$cpus $START_CPU_MS"
  readies="$readies $WALL_READY"; jvm_readies="$jvm_readies $READY"
  echo "round $r: bin/start → JVM ${WALL_JVM} ms, → connected ${WALL_CONNECTED} ms, → registered ${WALL_REGISTERED} ms," \
       "→ Ready ${WALL_READY} ms; after JVM start: bus ${BUS} ms, connected ${CONNECTED} ms, registered ${REGISTERED} ms," \
       "Ready ${READY} ms; EdgeHub's dial ${DIAL:-?} ms;" \
       "CPU used by then ${START_CPU_MS} ms (load $(cut -d' ' -f1 /proc/loadavg))"
done
echo "median: bin/start → registered $(echo "$walls" | median) ms, → Ready $(echo "$readies" | median) ms;" \
     "JVM start → registered $(echo "$regs" | median) ms, → Ready $(echo "$jvm_readies" | median) ms;" \
     "CPU by Ready $(echo "$cpus" | median) ms"

pid=$(edge_pid)
sleep "$SETTLE"
rss=$(rss_mib "$pid"); thr=$(threads "$pid")
echo "idle (${SETTLE} s after registration): RSS ${rss} MiB, ${thr} threads;" \
     "CPU $(idle_cpu_pct "$pid") % of a core over ${IDLE} s," \
     "then RSS $(rss_mib "$pid") MiB, $(threads "$pid") threads"

# PODS pods on the edge: the local image run.sh's containerd imported, bound to the node like the sample pod
if [ "$PODS" -gt 0 ] && command -v kubectl >/dev/null && [ -n "${KUBECONFIG:-}" ]; then
  for i in $(seq 1 "$PODS"); do
    cat <<YAML
apiVersion: v1
kind: Pod
metadata: {name: measure-$i, namespace: default, labels: {app: kedge-measure}}
spec:
  nodeName: $NODE
  containers:
  - {name: sleep, image: docker.io/library/kedge-busybox:1, imagePullPolicy: IfNotPresent, command: [sleep, "2147483647"]}
---
YAML
  done | kubectl apply -f - >/dev/null
  trap 'kubectl delete pods -l app=kedge-measure --wait=false >/dev/null 2>&1 || true' EXIT
  t0=$SECONDS
  until [ "$(kubectl get pods -l app=kedge-measure -o 'jsonpath={.items[*].status.phase}' | tr ' ' '\n' | grep -c Running)" -ge "$PODS" ]; do
    if [ $((SECONDS - t0)) -gt 180 ]; then echo "the $PODS pods are not all Running within 180 s (no runtime?)" >&2; break; fi
    sleep 1
  done
  running=$(kubectl get pods -l app=kedge-measure -o 'jsonpath={.items[*].status.phase}' | tr ' ' '\n' | grep -c Running || true)
  echo "pods Running: $running of $PODS after $((SECONDS - t0)) s"
  sleep "$SETTLE"
  cpu=$(idle_cpu_pct "$pid")   # RSS and threads below: at the end of that minute
  echo "with $running pods: RSS $(rss_mib "$pid") MiB, $(threads "$pid") threads," \
       "CPU $cpu % of a core over ${IDLE} s"
  kubectl delete pods -l app=kedge-measure --wait=false >/dev/null
  t0=$SECONDS
  until [ -z "$(kubectl get pods -l app=kedge-measure -o name)" ]; do
    if [ $((SECONDS - t0)) -gt 120 ]; then
      echo "pods not gone within 120 s: force-deleting them" >&2
      kubectl delete pods -l app=kedge-measure --grace-period=0 --force >/dev/null 2>&1 || true
      break
    fi
    sleep 1
  done
fi

# idle without devices: edgecore's anchor is an edge with no device; run.sh's sample device reads and reports every
# second. The node's devices are deleted for the measurement and created again afterwards, as they were.
if [ "${NODEVICES:-1}" = 1 ] && command -v kubectl >/dev/null && command -v python3 >/dev/null && [ -n "${KUBECONFIG:-}" ]; then
  saved=$(mktemp)
  count=$(kubectl get devices -A -o json | python3 -c '
import json, sys
node = sys.argv[1]
items = [d for d in json.load(sys.stdin)["items"] if d.get("spec", {}).get("nodeName") == node]
for d in items:
    d.pop("status", None)
    for k in ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"):
        d["metadata"].pop(k, None)
with open(sys.argv[2], "w") as f:
    json.dump({"apiVersion": "v1", "kind": "List", "items": items}, f)
print(len(items))' "$NODE" "$saved")
  if [ "$count" -gt 0 ]; then
    trap 'kubectl create -f "$saved" >/dev/null 2>&1 || true; rm -f "$saved"' EXIT
    kubectl delete -f "$saved" --wait=true >/dev/null
    sleep "$SETTLE"
    cpu=$(idle_cpu_pct "$pid")
    echo "idle without its $count devices (deleted, created again after): RSS $(rss_mib "$pid") MiB," \
         "$(threads "$pid") threads, CPU $cpu % of a core over ${IDLE} s"
    kubectl create -f "$saved" >/dev/null
    trap - EXIT
  fi
  rm -f "$saved"
fi

[ -f "$TARBALL" ] && echo "edge tarball: $(basename "$TARBALL") $(stat -c %s "$TARBALL" | awk '{printf "%.1f MB = %.1f MiB (%d bytes)", $1 / 1e6, $1 / 1048576, $1}')"

[ "${BREAKDOWN:-0}" = 1 ] || exit 0

# ---- where it goes: one more restart with Native Memory Tracking (costs a little memory itself)
echo "== breakdown (restart with -XX:NativeMemoryTracking=summary)"
restart_edge "${EDGE_OPTS:-} -XX:NativeMemoryTracking=summary"
pid=$(edge_pid)
echo "-- start-up timeline (ms after JVM start; first log line of each bundle, then the milestones)"
echo "$NEW" | awk -F' [|] ' '/^[0-9][0-9][0-9][0-9]-/ && NF >= 5 {split($5, b, " - "); name = b[2]; sub(/ - .*/, "", name);
    if (!(name in seen)) { seen[name] = 1; print $1 "\t" name } }' | while IFS=$'\t' read -r ts name; do
  echo "   $(( $(ms_of "$ts") - JVM_START ))  $name"
done
for m in 'message bus active' 'EventBus started' 'edge store open' 'Edged started' 'connected to CloudHub' 'node .* registered' 'node .* Ready: first'; do
  line=$(echo "$NEW" | grep -m1 "$m" || true)
  [ -n "$line" ] && echo "   $(( $(ms_of "$line") - JVM_START ))  * $m"
done
sleep "$SETTLE"
echo "-- RSS $(rss_mib "$pid") MiB, $(threads "$pid") threads; NMT summary (committed KiB by area):"
jcmd "$pid" VM.native_memory summary | awk '/^Total:/ {print "   " $0} /^-/ {sub(/^- */, ""); print "   " $0}' \
  | sed -E 's/\(reserved=[0-9]+KB, //; s/\)$//'
echo "-- classes by class loader (jcmd VM.classloader_stats; the total line):"
jcmd "$pid" VM.classloader_stats | grep -i 'total' | sed 's/^/   /'
echo "-- metaspace (jcmd VM.metaspace, summary):"
jcmd "$pid" VM.metaspace | sed -n '/^Total Usage/,/^$/p' | head -8 | sed 's/^/   /'
echo "-- threads by owner (jcmd Thread.print; numbers in names folded to N):"
jcmd "$pid" Thread.print | sed -n 's/^"\([^"]*\)".*/\1/p' | sed -E 's/[0-9]+/N/g' | awk '
  /^(Reference Handler|Finalizer|Signal Dispatcher|Service Thread|Monitor Deflation Thread|C[N12] CompilerThread|Sweeper thread|Common-Cleaner|Notification Thread|Attach Listener|VM Thread|VM Periodic Task Thread|GC Thread|G1 |Shen|DestroyJavaVM|process reaper)/ { o = "JVM" }
  { if (o == "") {
      if ($0 ~ /^(sshd|Nio2|NioN|SshServer)/) o = "SSHD";
      else if ($0 ~ /^(kedge|kedge-mqtt|MQTT|hub-client|pool-.*-thread)/) o = "Kedge (modules, MQTT)";
      else o = "Karaf / Felix / pax-logging"; }
    n[o]++; names[o] = names[o] (seen[o, $0]++ ? "" : ($0 "; ")); o = "" }
  END { for (k in n) printf "   %-30s %3d  %s\n", k, n[k], names[k] }'
echo "-- idle CPU by thread over ${IDLE} s (ms of CPU and wake-ups a minute; /proc/PID/task/*/schedstat, names cut to 15 characters, numbers folded to N):"
# schedstat's time on CPU is in ns: ticks (1/${HZ} s) are too coarse for threads that wake for a fraction of a ms
task_cpu() { for t in /proc/"$pid"/task/*; do
  printf '%s\t%s\t%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(cut -d' ' -f1 "$t/schedstat" 2>/dev/null)" \
    "$(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status" 2>/dev/null)"
  done | sed -E 's/^([^\t]*[^0-9\t])[0-9]+\t/\1N\t/' \
    | awk -F'\t' '$2 != "" {s[$1] += $2; w[$1] += $3} END {for (k in s) print k "\t" s[k] "\t" w[k]}' | sort; }
before=$(task_cpu); sleep "$IDLE"; after=$(task_cpu)
join -t $'\t' <(echo "$before") <(echo "$after") | awk -F'\t' -v secs="$IDLE" '$4 > $2 {
    printf "   %7.1f ms/min %6d wake-ups/min  %s\n", ($4 - $2) / 1e6 * 60 / secs, ($5 - $3) * 60 / secs, $1 }' \
  | sort -rn | head -14
echo "-- loaded classes by package (jcmd VM.classloaders show-classes; the first three package names):"
jcmd "$pid" VM.classloaders show-classes | sed -nE 's/^[ |+-]*(Classes: )?([A-Za-z_][A-Za-z0-9_.$]*)( .*)?$/\2/p' \
  | grep '\.' | awk -F. '{k = $1; if (NF > 2) k = k "." $2; if (NF > 3) k = k "." $3; n[k]++; t++}
      END {for (k in n) print n[k], k; print t, "(all)"}' | sort -rn | head -25 | sed 's/^/   /'
echo "-- bundles (bundle:list -t 0): $(console "bundle:list -t 0 --no-format" | grep -cE '^ *[0-9]+[[:space:]]' || true)"
