#!/bin/bash
# CloudHub load benchmark against two cloud replicas (issue #11), from a built tree:
#
#   scripts/bench-replicas.sh [N]          N simulated edge nodes in all (default 10000), half on each replica
#
# The same measurement as scripts/bench-cloudhub.sh (read it first), run twice at once: one API server, two cloud
# distributions on their own ports that share it (CA and token through the secrets, one leader through the Lease
# kubeedge/kedge-cloud), and one load program per replica with disjoint node ranges (--first) and source addresses.
# Downstream traffic is driven on each replica for its own nodes at BENCH_RATE msg/s each (default 500, so 1,000
# msg/s in all, as in the one-replica figures). Each replica's results table is printed, with its heap per node.
# Results and logs stay in $BENCH_RUN/{a,b}; everything started is stopped by PID on exit.
#
# Environment (defaults): as bench-cloudhub.sh, plus
#   BENCH_RUN=itests/load/target/bench-replicas     replica a in a/, replica b in b/
#   BENCH_WS_PORT=17000 BENCH_HTTPS_PORT=17002 BENCH_SSH_PORT=17102   replica a; replica b uses each + 10
#   BENCH_RATE=500      downstream messages per second per replica
set -euo pipefail
N=${1:-10000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOAD=$ROOT/itests/load
export KUBE_RUN=${KUBE_RUN:-/tmp/kedge-kube-bench} KUBE_PORT=${KUBE_PORT:-17443} ETCD_PORT=${ETCD_PORT:-13379}
BASE=${BENCH_RUN:-$LOAD/target/bench-replicas}
RUN=$BASE
CERTS=${BENCH_CERTS:-$LOAD/target/bench-certs}
WS_PORT=${BENCH_WS_PORT:-17000}; HTTPS_PORT=${BENCH_HTTPS_PORT:-17002}; SSH_PORT=${BENCH_SSH_PORT:-17102}
RATE=${BENCH_RATE:-500}
BENCH_NAME=bench-replicas
# shellcheck source=lib/bench-common.sh
. "$ROOT/scripts/lib/bench-common.sh"

[[ "$N" =~ ^[0-9]+$ ]] && [ "$N" -gt 1 ] || die "N must be a number above 1, got '$N'"
command -v java >/dev/null && command -v jcmd >/dev/null || die "java and jcmd (a JDK 17) are needed"
TARBALL=$(ls "$ROOT"/karaf-cloud-assembly/target/kedge-cloud-*.tar.gz 2>/dev/null | head -1)
MODULES=$(ls "$ROOT"/itests/test-modules/target/dev.kedge.itests.modules-*.jar 2>/dev/null | grep -v sources | head -1)
[ -n "$TARBALL" ] || die "no cloud distribution: build the tree first (mvn -o install -DskipTests)"
[ -n "$MODULES" ] || die "no itest stand-in modules bundle: build the tree first (mvn -o install -DskipTests)"
if [ ! -f "$LOAD/target/kedge-load.jar" ] || [ ! -d "$LOAD/target/lib" ]; then
  log "building the load program"
  (cd "$ROOT" && mvn -o -q -pl itests/load package)
fi

# replica r ∈ {a, b}: its directory, ports, pid and console password, kept in r_* variables
declare -A R_PID R_PW R_WS R_SSH R_BENCH
use() {  # use <r>: points bench-common's globals (CLOUD, RUN, ports, PW, CLOUD_PID) at replica r
  local off=0; [ "$1" = b ] && off=10
  RUN=$BASE/$1; CLOUD=$RUN/cloud
  WS_PORT=$(( ${BENCH_WS_PORT:-17000} + off )); HTTPS_PORT=$(( ${BENCH_HTTPS_PORT:-17002} + off ))
  SSH_PORT=$(( ${BENCH_SSH_PORT:-17102} + off ))
  PW=${R_PW[$1]:-}; CLOUD_PID=${R_PID[$1]:-}
}
for r in a b; do use $r; bench_check_ports; done

cleanup() {
  local rc=$? r p
  set +e
  for r in a b; do
    p=${R_BENCH[$r]:-}; [ -n "$p" ] && kill -0 "$p" 2>/dev/null && kill -TERM "$p" && wait "$p"
    [ -f "$BASE/$r/fleet.pids" ] && while read -r p; do [ -n "$p" ] && kill -0 "$p" 2>/dev/null && kill -KILL "$p"; done < "$BASE/$r/fleet.pids"
  done
  for r in a b; do
    p=${R_PID[$r]:-}
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
      log "stopping replica $r (pid $p)"; kill -TERM "$p"
      for _ in $(seq 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$p" 2>/dev/null && kill -KILL "$p"
    fi
  done
  CLOUD_PID=""; bench_stop_all "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench_start_kube
rm -rf "$BASE"; mkdir -p "$BASE"
bench_seed_ca
half=$(( N / 2 ))
for r in a b; do
  use $r; mkdir -p "$RUN"
  CLOUD_IDENTITY=replica-$r bench_start_cloud "$(( half > 500 ? half + 100 : 600 ))"
  R_PID[$r]=$CLOUD_PID; R_PW[$r]=$PW
  log "replica $r started (pid $CLOUD_PID), WebSocket 127.0.0.1:$WS_PORT, console $SSH_PORT"
done
for r in a b; do
  use $r
  await 120 "Node" "cloudhub:nodes"
  console "bundle:install -s file:$MODULES" | grep -q "Bundle ID" || die "could not install $MODULES on replica $r"
  console "config:edit dev.kedge.itests.cloudresponder" "config:property-set enabled true" "config:update" >/dev/null
  console "config:edit dev.kedge.itests.edgeapplier" "config:property-set ackDelayMs 0" "config:update" >/dev/null
  await 60 "CLOUD received=" "itest:cloud-stats"
done
for r in a b; do use $r; log "replica $r: $(console kube:leader | tr -s ' \n' ' ')"; done
use a; bench_read_ca

# the two load programs at once, each against its replica, with its own node range and source addresses
extra=(); [ -n "${BENCH_ARGS:-}" ] && eval "extra=(${BENCH_ARGS})"
for r in a b; do
  use $r
  if [ $r = a ]; then first=0; count=$half; sources=2; else first=$half; count=$(( N - half )); sources=40; fi
  java -Xmx2g -cp "$LOAD/target/kedge-load.jar:$LOAD/target/lib/*" dev.kedge.itests.load.Bench \
    --nodes "$count" --first "$first" --source-base "$sources" --rate "$RATE" \
    --port "$WS_PORT" --ssh-port "$SSH_PORT" --ssh-password "$PW" --cloud-pid "$CLOUD_PID" \
    --ca-der "$CERTS/ca/cadata.der" --ca-key-der "$CERTS/ca/cakeydata.der" --creds "$CERTS" --work "$RUN" \
    "${extra[@]}" > "$RUN/bench.out" 2> "$RUN/bench.err" &
  R_BENCH[$r]=$!
  log "load program for replica $r: pid ${R_BENCH[$r]}, nodes $first..$(( first + count - 1 ))"
done
rc=0
for r in a b; do wait "${R_BENCH[$r]}" || rc=$?; R_BENCH[$r]=""; done
for r in a b; do
  use $r
  echo "== replica $r ($(console kube:leader | awk '/^Leader/ {print "leader: " $2}'))"
  cat "$RUN/bench.out"
  bench_log_summary
done
exit $rc
