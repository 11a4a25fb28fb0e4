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
BENCH_NAME=bench-meta
# shellcheck source=lib/bench-common.sh
. "$ROOT/scripts/lib/bench-common.sh"

[[ "$NODES" =~ ^[0-9]+$ ]] && [ "$NODES" -gt 0 ] || die "NODES must be a positive number, got '$NODES'"
[[ "$PODS" =~ ^[0-9]+$ ]] && [ "$PODS" -gt 0 ] || die "PODS must be a positive number, got '$PODS'"
command -v java >/dev/null && command -v jcmd >/dev/null || die "java and jcmd (a JDK 17) are needed"
TARBALL=$(ls "$ROOT"/karaf-cloud-assembly/target/kedge-cloud-*.tar.gz 2>/dev/null | head -1)
[ -n "$TARBALL" ] || die "no cloud distribution: build it first (mvn -o install -pl features,karaf-cloud-assembly)"
if [ ! -f "$LOAD/target/kedge-load.jar" ] || [ ! -d "$LOAD/target/lib" ]; then
  log "building the load program"
  (cd "$ROOT" && mvn -B -o -q -pl itests/load package -DskipTests)
fi
bench_check_ports

BENCH_PID=""
cleanup() {
  local rc=$?
  set +e
  if [ -n "$BENCH_PID" ] && kill -0 "$BENCH_PID" 2>/dev/null; then kill -KILL "$BENCH_PID"; fi
  bench_stop_all $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. the API server of this benchmark (a previous run's, if any, is stopped first)
bench_start_kube

# 2. the CA: reuse the cached one so that cached node certificates stay valid
bench_seed_ca

# 3. the cloud distribution, on its own ports, talking to this API server
bench_start_cloud "$(( NODES > 500 ? NODES : 500 ))"
log "cloud started (pid $CLOUD_PID)"
await 120 "Node" "cloudhub:nodes"
log "CloudHub up on 127.0.0.1:$WS_PORT; bundles: $(console 'bundle:list -s' | grep -o 'dev\.kedge\.cloud\.[a-z]*' | sort -u | tr '\n' ' ')"

# 4. the CA the nodes' certificates are signed with, read back from the secret (CloudHub made it if none was seeded)
bench_read_ca

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
bench_log_summary
exit $rc
