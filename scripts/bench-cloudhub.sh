#!/bin/bash
# CloudHub load benchmark (issue #3), from a built tree:
#
#   scripts/bench-cloudhub.sh [N]          N simulated edge nodes (default 10000)
#
# Starts a real kube-apiserver + etcd (scripts/kube-up.sh, own state dir and ports), unpacks and starts the cloud
# distribution (own ports, nodeLimit = N, the distribution's own JVM flags: -Xmx1g G1), installs the itest stand-in
# modules (itest:cloud-down drives downstream traffic), reads the CA from secret kubeedge/casecret, then runs the
# load program (itests/load: dev.kedge.itests.load.Bench) which spreads N nodes over load processes of at most
# 5,000 connections each (a process may hold 20,000 descriptors), bound to source addresses 127.0.0.2, .3, ...
# Every node: its own certificate, a real TLS WebSocket with KubeEdge's URL and headers, keepalive every 15 s,
# an immediate ack of every downstream message. Measured: cloud heap (after full GC) and RSS before/after N
# connections, connect time, connect storm (all N drop and reconnect at once), downstream latency at 1,000 msg/s.
# Prints a results table; raw figures and logs stay in $BENCH_RUN. Everything started is stopped by PID on exit.
#
# Environment (defaults):
#   KUBE_RUN=/tmp/kedge-kube-bench KUBE_PORT=17443 ETCD_PORT=13379   the API server of this benchmark only
#   BENCH_RUN=itests/load/target/bench-run      cloud distribution, logs, results
#   BENCH_CERTS=itests/load/target/bench-certs  node keys and certificates (cached), and the CA (see BENCH_FRESH_CA)
#   BENCH_WS_PORT=17000 BENCH_HTTPS_PORT=17002 BENCH_SSH_PORT=17102   cloud ports (loopback)
#   BENCH_FRESH_CA=0    1 = let CloudHub make a new CA (every node certificate is then signed again); by default the
#                       CA cached from the previous run is put into kubeedge/casecret before the cloud starts
#   BENCH_CLOUD_OPTS="" more JVM flags for the cloud (a flight recording, say)
#   BENCH_ARGS=""       more arguments for the load program, e.g. "--rate 1000 --latency-seconds 20 --hold-seconds 35
#                       --per-process 5000 --storm false --fleet-jvm '-Xmx1g -XX:+UseSerialGC'"
set -euo pipefail
N=${1:-10000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOAD=$ROOT/itests/load
export KUBE_RUN=${KUBE_RUN:-/tmp/kedge-kube-bench} KUBE_PORT=${KUBE_PORT:-17443} ETCD_PORT=${ETCD_PORT:-13379}
RUN=${BENCH_RUN:-$LOAD/target/bench-run}
CERTS=${BENCH_CERTS:-$LOAD/target/bench-certs}
WS_PORT=${BENCH_WS_PORT:-17000}; HTTPS_PORT=${BENCH_HTTPS_PORT:-17002}; SSH_PORT=${BENCH_SSH_PORT:-17102}
BENCH_NAME=bench-cloudhub
# shellcheck source=lib/bench-common.sh
. "$ROOT/scripts/lib/bench-common.sh"

[[ "$N" =~ ^[0-9]+$ ]] && [ "$N" -gt 0 ] || die "N must be a positive number, got '$N'"
command -v java >/dev/null && command -v jcmd >/dev/null || die "java and jcmd (a JDK 17) are needed"
TARBALL=$(ls "$ROOT"/karaf-cloud-assembly/target/kedge-cloud-*.tar.gz 2>/dev/null | head -1)
MODULES=$(ls "$ROOT"/itests/test-modules/target/dev.kedge.itests.modules-*.jar 2>/dev/null | grep -v sources | head -1)
[ -n "$TARBALL" ] || die "no cloud distribution: build the tree first (mvn -o install -DskipTests)"
[ -n "$MODULES" ] || die "no itest stand-in modules bundle: build the tree first (mvn -o install -DskipTests)"
if [ ! -f "$LOAD/target/kedge-load.jar" ] || [ ! -d "$LOAD/target/lib" ]; then
  log "building the load program"
  (cd "$ROOT" && mvn -o -q -pl itests/load package)
fi
bench_check_ports

cleanup() {
  local rc=$?
  set +e
  if [ -f "$RUN/fleet.pids" ]; then            # normally stopped by the load program itself
    while read -r p; do [ -n "$p" ] && kill -0 "$p" 2>/dev/null && kill -KILL "$p"; done < "$RUN/fleet.pids"
  fi
  bench_stop_all $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. the API server (a previous run's, if any, is stopped first)
bench_start_kube

# 2. the CA: reuse the cached one so that cached node certificates stay valid
bench_seed_ca

# 3. the cloud distribution
bench_start_cloud "$(( N > 500 ? N : 500 ))"
log "cloud started (pid $CLOUD_PID), descriptor limit $(awk '/Max open files/ {print $4}' /proc/$CLOUD_PID/limits)"
await 120 "Node" "cloudhub:nodes"
log "CloudHub up on 127.0.0.1:$WS_PORT"

# 4. the stand-in modules: CloudResponder (EdgeController's bus name) gives itest:cloud-down; the bundle's commands
#    register only once every service they use exists, so the edge stand-in is configured here as well (idle)
console "bundle:install -s file:$MODULES" | grep -q "Bundle ID" || die "could not install $MODULES"
console "config:edit dev.kedge.itests.cloudresponder" "config:property-set enabled true" "config:update" >/dev/null
console "config:edit dev.kedge.itests.edgeapplier" "config:property-set ackDelayMs 0" "config:update" >/dev/null
await 60 "CLOUD received=" "itest:cloud-stats"

# 5. the CA the nodes' certificates are signed with, read back from the secret
bench_read_ca

# 6. the load program
log "running the load program: $N nodes"
extra=(); [ -n "${BENCH_ARGS:-}" ] && eval "extra=(${BENCH_ARGS})"
set +e
java -Xmx2g -cp "$LOAD/target/kedge-load.jar:$LOAD/target/lib/*" dev.kedge.itests.load.Bench \
  --nodes "$N" --port "$WS_PORT" --ssh-port "$SSH_PORT" --ssh-password "$PW" --cloud-pid "$CLOUD_PID" \
  --ca-der "$CERTS/ca/cadata.der" --ca-key-der "$CERTS/ca/cakeydata.der" --creds "$CERTS" --work "$RUN" \
  "${extra[@]}"
rc=$?
set -e
bench_log_summary
exit $rc
