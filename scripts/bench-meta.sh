#!/bin/bash
# Metadata benchmark (issue #4), from a built tree:
#
#   scripts/bench-meta.sh [NODES] [PODS]      default 100 simulated edge nodes, 1,000 pods
#
# Starts its own kube-apiserver + etcd (scripts/kube-up.sh, own state dir and ports), unpacks and starts the cloud
# distribution (own ports; kubeconfig of that API server), reads the CA from secret kubeedge/casecret, then runs
# dev.kedge.itests.load.MetaBench (itests/load), one process holding all simulated edges:
#   1. every node connects (own certificate, real TLS WebSocket, KubeEdge's URL and headers, keepalive 15 s) and
#      behaves like a Kedge edge: `insert default/node/<node>` (v1.Node, label node-role.kubernetes.io/edge) and waits
#      for the answer; then a Lease (`kube-node-lease/lease/<node>`) every 10 s and `update default/nodestatus/<node>`
#      at registration and every 5 min (status on change + lease heartbeat, as kubelet); it acks every downstream
#      object at once and records when each arrived; a pod with a deletionTimestamp is deleted upstream (grace 0);
#   2. once all Nodes exist in the API: PODS pods in namespace `bench` (one container `pause`, nodeName = node
#      i % NODES, 10 % mounting one of 10 configmaps) -> latency API call done -> edge ack: p50/p90/p99/max, and the
#      time until all are acked; configmaps must reach a node before the pod that mounts them;
#   3. 100 pods relabelled, 100 deleted (graceful: deletionTimestamp -> edge -> upstream delete -> final delete);
#   4. steady state (60 s, no changes): API-server requests per node per minute (apiserver_request_total of
#      /metrics, the benchmark's own /metrics reads excluded) and uplink bit/s per node (bytes on the edges' TCP
#      connections, keepalives included), against KubeEdge's 0.25 kbit/s; cloud heap (after full GC) and RSS.
# Prints a results table, also written to $BENCH_RUN/results-meta.txt; logs stay in $BENCH_RUN. Every wait is bounded
# (the load program ends itself after --max-seconds); everything started is stopped by PID on exit.
#
# Environment (defaults):
#   KUBE_RUN=/tmp/kedge-kube-bench-meta KUBE_PORT=18443 ETCD_PORT=18379   the API server of this benchmark only
#   BENCH_RUN=itests/load/target/bench-meta-run   cloud distribution, logs, results
#   BENCH_CERTS=itests/load/target/bench-certs    node keys and certificates (cached; shared with bench-cloudhub.sh)
#   BENCH_WS_PORT=18500 BENCH_HTTPS_PORT=18502 BENCH_SSH_PORT=18503   cloud ports (loopback)
#   BENCH_FRESH_CA=0    1 = let CloudHub make a new CA; by default the cached CA is put into kubeedge/casecret first
#   BENCH_CLOUD_OPTS="" more JVM flags for the cloud
#   BENCH_ARGS=""       more arguments for MetaBench, e.g. "--steady-seconds 120 --create-threads 8
#                       --delete-grace-seconds 0 --updates 100 --deletes 100 --phase-timeout-seconds 120"
set -euo pipefail
NODES=${1:-100}
PODS=${2:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOAD=$ROOT/itests/load
export KUBE_RUN=${KUBE_RUN:-/tmp/kedge-kube-bench-meta} KUBE_PORT=${KUBE_PORT:-18443} ETCD_PORT=${ETCD_PORT:-18379}
RUN=${BENCH_RUN:-$LOAD/target/bench-meta-run}
CERTS=${BENCH_CERTS:-$LOAD/target/bench-certs}
WS_PORT=${BENCH_WS_PORT:-18500}; HTTPS_PORT=${BENCH_HTTPS_PORT:-18502}; SSH_PORT=${BENCH_SSH_PORT:-18503}
T0=$(date +%s); log() { echo "[bench-meta $(($(date +%s)-T0))s] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ "$NODES" =~ ^[0-9]+$ ]] && [ "$NODES" -gt 0 ] || die "NODES must be a positive number, got '$NODES'"
[[ "$PODS" =~ ^[0-9]+$ ]] && [ "$PODS" -gt 0 ] || die "PODS must be a positive number, got '$PODS'"
command -v java >/dev/null && command -v jcmd >/dev/null || die "java and jcmd (a JDK 17) are needed"
TARBALL=$(ls "$ROOT"/karaf-cloud-assembly/target/kedge-cloud-*.tar.gz 2>/dev/null | head -1)
[ -n "$TARBALL" ] || die "no cloud distribution: build it first (mvn -o install -pl features,karaf-cloud-assembly)"
if [ ! -f "$LOAD/target/kedge-load.jar" ] || [ ! -d "$LOAD/target/lib" ]; then
  log "building the load program"
  (cd "$ROOT" && mvn -B -o -q -pl itests/load package -DskipTests)
fi
for p in $WS_PORT $HTTPS_PORT $SSH_PORT; do
  ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || die "port $p is in use (set BENCH_WS_PORT/BENCH_HTTPS_PORT/BENCH_SSH_PORT)"
done

CLOUD=$RUN/cloud
CLOUD_PID=""
BENCH_PID=""
cleanup() {
  local rc=$?
  set +e
  if [ -n "$BENCH_PID" ] && kill -0 "$BENCH_PID" 2>/dev/null; then kill -KILL "$BENCH_PID"; fi
  if [ -n "$CLOUD_PID" ] && kill -0 "$CLOUD_PID" 2>/dev/null; then
    log "stopping the cloud (pid $CLOUD_PID)"
    kill -TERM "$CLOUD_PID"
    for _ in $(seq 300); do kill -0 "$CLOUD_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$CLOUD_PID" 2>/dev/null && kill -KILL "$CLOUD_PID"
  fi
  "$ROOT/scripts/kube-down.sh" >/dev/null 2>&1
  log "stopped everything (exit $rc)"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. the API server of this benchmark (a previous run's, if any, is stopped first)
"$ROOT/scripts/kube-down.sh" >/dev/null 2>&1 || true
eval "$("$ROOT/scripts/kube-up.sh")"
log "API server up on 127.0.0.1:$KUBE_PORT (state in $KUBE_RUN)"

# 2. the CA: reuse the cached one so that cached node certificates stay valid
mkdir -p "$CERTS/ca" "$RUN"
if [ "${BENCH_FRESH_CA:-0}" != 1 ] && [ -s "$CERTS/ca/cadata.der" ] && [ -s "$CERTS/ca/cakeydata.der" ]; then
  kubectl create namespace kubeedge >/dev/null
  kubectl create secret generic casecret -n kubeedge --from-file=cadata="$CERTS/ca/cadata.der" \
    --from-file=cakeydata="$CERTS/ca/cakeydata.der" >/dev/null
  log "kubeedge/casecret seeded with the cached CA"
fi

# 3. the cloud distribution, on its own ports, talking to this API server
rm -rf "$CLOUD"; mkdir -p "$CLOUD"
tar xzf "$TARBALL" -C "$CLOUD" --strip-components=1
setcfg() {  # setcfg <pid> key value ... : replace or add keys in etc/<pid>.cfg
  local f=$CLOUD/etc/$1.cfg; shift
  touch "$f"
  while [ $# -gt 0 ]; do
    sed -i "/^[[:space:]]*$1[[:space:]]*=/d" "$f"; echo "$1 = $2" >> "$f"; shift 2
  done
}
setcfg org.apache.karaf.shell sshPort "$SSH_PORT" sshHost 127.0.0.1
setcfg dev.kedge.cloud.kube kubeconfig "$KUBECONFIG"
setcfg dev.kedge.cloud.hub websocketAddress 127.0.0.1 websocketPort "$WS_PORT" httpsAddress 127.0.0.1 \
  httpsPort "$HTTPS_PORT" nodeLimit "$(( NODES > 500 ? NODES : 500 ))"
PW=bench-$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')
(cd "$CLOUD" && EXTRA_JAVA_OPTS="-Xlog:gc:file=$RUN/cloud-gc.log:uptime,time ${BENCH_CLOUD_OPTS:-}" \
  KEDGE_ADMIN_PASSWORD=$PW bin/start >/dev/null)
for _ in $(seq 300); do [ -s "$CLOUD/karaf.pid" ] && break; sleep 0.1; done
CLOUD_PID=$(cat "$CLOUD/karaf.pid" 2>/dev/null) || die "the cloud wrote no karaf.pid"
log "cloud started (pid $CLOUD_PID)"
console() { (cd "$CLOUD" && printf '%s\n' "$@" | bin/client -u kedge -p "$PW" -r 3 -b 2>&1); }
ok=0
for _ in $(seq 120); do console "cloudhub:nodes" | grep -q "Node" && { ok=1; break; }; sleep 1; done
[ $ok = 1 ] || die "CloudHub never came up (see $CLOUD/data/log/karaf.log)"
log "CloudHub up on 127.0.0.1:$WS_PORT; bundles: $(console 'bundle:list -s' | grep -o 'dev\.kedge\.cloud\.[a-z]*' | sort -u | tr '\n' ' ')"

# 4. the CA the nodes' certificates are signed with, read back from the secret (CloudHub made it if none was seeded)
kubectl get secret -n kubeedge casecret -o jsonpath='{.data.cadata}' | base64 -d > "$CERTS/ca/cadata.der"
kubectl get secret -n kubeedge casecret -o jsonpath='{.data.cakeydata}' | base64 -d > "$CERTS/ca/cakeydata.der"

# 5. the benchmark
log "running MetaBench: $NODES nodes, $PODS pods"
extra=(); [ -n "${BENCH_ARGS:-}" ] && eval "extra=(${BENCH_ARGS})"
set +e
java -Xmx1g -cp "$LOAD/target/kedge-load.jar:$LOAD/target/lib/*" dev.kedge.itests.load.MetaBench \
  --nodes "$NODES" --pods "$PODS" --port "$WS_PORT" --kubeconfig "$KUBECONFIG" --cloud-pid "$CLOUD_PID" \
  --ca-der "$CERTS/ca/cadata.der" --ca-key-der "$CERTS/ca/cakeydata.der" --creds "$CERTS" --work "$RUN" \
  --max-seconds 900 "${extra[@]}" &
BENCH_PID=$!
wait "$BENCH_PID"
rc=$?
BENCH_PID=""
set -e
log "cloud log: $(grep -a -c '| WARN ' "$CLOUD/data/log/karaf.log") WARN and $(grep -a -c '| ERROR' "$CLOUD/data/log/karaf.log") ERROR lines in $CLOUD/data/log/karaf.log"
exit $rc
