#!/usr/bin/env bash
# Pod start-up and footprint on the setup `scripts/run.sh --detach` leaves running (cloud, edge joined as edge-1, a
# container runtime): API create → Running, measured from the moment `kubectl create` returns until the API server's
# pod status says Running (polled every 20 ms through the API, so the figure includes the edge → cloud → API path).
#   - SEQ pods (default 20) one after the other: p50 / p99 / max
#   - BURST pods (default 10) created at once: p50 / max (the last one is the "10 at once" figure)
#   - the edge's RSS and threads with the BURST pods running
# Pods are hostNetwork busybox sleepers (image docker.io/library/kedge-busybox:1, imported by scripts/runtime-up.sh),
# in namespace kedge-bench, deleted at the end.
# Usage: scripts/run.sh --detach && scripts/bench-pods.sh [SEQ=20] [BURST=10]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN_DIR=${KEDGE_RUN_DIR:-$ROOT/run}
EDGE=$RUN_DIR/edge
SEQ=${1:-20}; BURST=${2:-10}; NODE=${KEDGE_NODE:-edge-1}; NS=kedge-bench
[ -s "$EDGE/karaf.pid" ] && kill -0 "$(cat "$EDGE/karaf.pid")" 2>/dev/null || { echo "edge not running: scripts/run.sh --detach first" >&2; exit 1; }
if [ -z "${KUBECONFIG:-}" ]; then
  export KUBECONFIG=$RUN_DIR/kube/kubeconfig PATH=${KUBE_CACHE:-/var/cache/kedge-test/k8s}/kc/usr/bin:$PATH
fi
kubectl get ns "$NS" >/dev/null 2>&1 || kubectl create ns "$NS" >/dev/null
trap 'kubectl delete pod -n "$NS" --all --grace-period=1 --wait=false >/dev/null 2>&1 || true' EXIT

pod() { # name
  cat <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1, namespace: $NS}
spec:
  nodeName: $NODE
  hostNetwork: true
  terminationGracePeriodSeconds: 1
  containers:
  - {name: c, image: docker.io/library/kedge-busybox:1, imagePullPolicy: IfNotPresent, command: [sleep, "2147483647"]}
YAML
}
now_ms() { date +%s%3N; }
await_running() { # name → prints ms at Running; gives up after 120 s
  local t0; t0=$(now_ms)
  until [ "$(kubectl get pod -n "$NS" "$1" -o 'jsonpath={.status.phase}' 2>/dev/null)" = Running ]; do
    [ $(( $(now_ms) - t0 )) -gt 120000 ] && { echo "pod $1 not Running after 120 s" >&2; return 1; }
    sleep 0.02
  done
  now_ms
}
stats() { # label values...
  local label=$1; shift
  printf '%s\n' "$@" | sort -n | awk -v l="$label" '{v[NR]=$1} END {
    p50=v[int((NR+1)/2)]; i99=int(NR*0.99+0.999); if (i99<1) i99=1; if (i99>NR) i99=NR
    printf "%s: n=%d p50=%d ms p99=%d ms max=%d ms\n", l, NR, p50, v[i99], v[NR] }'
}

lat=()
for i in $(seq 1 "$SEQ"); do
  pod "seq-$i" | kubectl create -f - >/dev/null
  t0=$(now_ms)
  t1=$(await_running "seq-$i")
  lat+=($((t1 - t0)))
done
stats "sequential create → Running" "${lat[@]}"
kubectl delete pod -n "$NS" --all --grace-period=1 --wait=true >/dev/null

declare -A seen=()
t0=$(now_ms)
for i in $(seq 1 "$BURST"); do pod "burst-$i"; echo ---; done | kubectl create -f - >/dev/null
t_create=$(now_ms)
while [ ${#seen[@]} -lt "$BURST" ]; do   # one list per round: each pod's first Running seen
  [ $(( $(now_ms) - t0 )) -gt 120000 ] && { echo "only ${#seen[@]} of $BURST Running after 120 s" >&2; exit 1; }
  while read -r name phase; do
    [ "$phase" = Running ] && [ -z "${seen[$name]:-}" ] && seen[$name]=$(now_ms)
  done < <(kubectl get pods -n "$NS" -o 'jsonpath={range .items[*]}{.metadata.name} {.status.phase}{"\n"}{end}')
  sleep 0.02
done
lat=(); for n in "${!seen[@]}"; do lat+=($(( ${seen[$n]} - t_create ))); done
stats "$BURST created at once, create returned → Running" "${lat[@]}"
sleep 10
pid=$(cat "$EDGE/karaf.pid")
echo "edge with $BURST pods: RSS $(( $(awk '/VmRSS/ {print $2}' /proc/"$pid"/status) / 1024 )) MiB," \
     "threads $(awk '/Threads/ {print $2}' /proc/"$pid"/status)"
