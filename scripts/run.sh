#!/usr/bin/env bash
# Kedge's main job on one machine: builds the distributions (when needed), then starts the cloud and the edge
# side by side, each in its own folder under run/, and shows their bus. In the foreground (default) Ctrl-C stops
# both; `run.sh --detach` leaves them running; `run.sh stop` stops them; `run.sh status` shows them.
#
#   KEDGE_ADMIN_PASSWORD  console password for user 'kedge' on both (default: a random one per distribution,
#                         printed here and kept in run/<side>/etc/admin.password)
#   KEDGE_RUN_DIR         where the distributions are unpacked (default: run/)
#   KEDGE_REBUILD=1       rebuild even when the tarballs exist
#   KUBECONFIG            an existing cluster for the cloud (CloudHub keeps its CA and join token there, EdgeController
#                         and SyncController watch it). Without it, a local kube-apiserver v1.20.2 + etcd is started on
#                         loopback (scripts/kube-up.sh; state kept in run/kube between runs, ports KEDGE_KUBE_PORT=16443,
#                         KEDGE_ETCD_PORT=12379) and stopped with the distributions. Either way the edge is joined
#                         (cloudhub:token, kedge:join) as node $KEDGE_NODE (default edge-1), a sample configmap + pod
#                         bound to it are applied (KEDGE_SAMPLE=0 skips that), and `kubectl get nodes` is shown.
#   KEDGE_CRI_ENDPOINT    the edge's container runtime (CRI socket, e.g. unix:///run/containerd/containerd.sock). Without
#                         it, as root, a private containerd + runc is started (scripts/runtime-up.sh; state in run/cri or
#                         /tmp/kedge-cri-<uid> when that path is too long for a socket) with two local images built from
#                         busybox-static, and stopped with the distributions; not root: pods stay Pending (said below).
#                         Its pods get IPs from a CNI bridge (kedgecni0, 10.250.9.0/24); KEDGE_CNI=0 gives it a
#                         loopback-only CNI config instead (then only hostNetwork pods run).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN_DIR=${KEDGE_RUN_DIR:-$ROOT/run}
VERSION=0.1.0-SNAPSHOT
SIDES=(cloud edge)

. "$ROOT/scripts/lib/edge-tarball.sh"
# the cloud's tarball; the edge's for this machine's architecture (scripts/lib/edge-tarball.sh)
tarball() {
  local t=""
  [ "$1" = edge ] && t=$(edge_tarball "$ROOT")
  echo "${t:-$ROOT/karaf-$1-assembly/target/kedge-$1-$VERSION.tar.gz}"
}
pid_of() { [ -s "$RUN_DIR/$1/karaf.pid" ] && cat "$RUN_DIR/$1/karaf.pid" || true; }
alive() { local p; p=$(pid_of "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
password() { if [ -n "${KEDGE_ADMIN_PASSWORD:-}" ]; then echo "$KEDGE_ADMIN_PASSWORD"; else cat "$RUN_DIR/$1/etc/admin.password"; fi; }
console() { echo "$2" | "$RUN_DIR/$1/bin/client" -u kedge -p "$(password "$1")" -r 1 -b 2>/dev/null; }

build() {
  if [ "${KEDGE_REBUILD:-0}" = 1 ] || [ ! -f "$(tarball edge)" ] || [ ! -f "$(tarball cloud)" ]; then
    . "$ROOT/scripts/prereqs.sh"
    echo "== building Kedge (mvn install, tests skipped; run scripts/test.sh for them)"
    (cd "$ROOT" && mvn -B -q -ntp install -DskipTests)
  fi
}

stop_side() {
  local side=$1 p
  p=$(pid_of "$side")
  [ -n "$p" ] || return 0
  if kill -0 "$p" 2>/dev/null; then
    echo "== stopping kedge-$side (pid $p)"
    "$RUN_DIR/$side/bin/stop" >/dev/null 2>&1 || true
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null || true
  fi
  rm -f "$RUN_DIR/$side/karaf.pid"
}

# A fresh copy when there is none or the build made a newer tarball — an upgrade: the node's state (certificates, the
# EdgeHub configuration, the SQLite database) is carried over, as a gateway keeps it across a Kedge update. (A node
# that lost its database must be deleted with kubectl before it joins again: its ObjectSyncs say what it had.)
KEPT_STATE=(etc/kedge etc/dev.kedge.edge.hub.cfg data/kedge)
unpack_side() {
  local side=$1 dir=$RUN_DIR/$1 keep
  if [ -d "$dir/bin" ] && [ ! "$(tarball "$side")" -nt "$dir/.kedge-unpacked" ]; then return 0; fi
  stop_side "$side"
  keep=$(mktemp -d)
  if [ -d "$dir/bin" ]; then
    echo "== kedge-$side: the build is newer than $dir; upgrading it (node state kept)"
    for f in "${KEPT_STATE[@]}"; do
      [ -e "$dir/$f" ] && mkdir -p "$keep/$(dirname "$f")" && cp -a "$dir/$f" "$keep/$f"
    done
  fi
  rm -rf "${dir:?}" && mkdir -p "$dir"
  tar xzf "$(tarball "$side")" -C "$dir" --strip-components=1
  (cd "$keep" && find . -mindepth 1 -maxdepth 2 | grep -q .) && cp -a "$keep/." "$dir/"
  rm -rf "$keep"
  touch "$dir/.kedge-unpacked"
}

start_side() {
  local side=$1
  if alive "$side"; then echo "== kedge-$side already running (pid $(pid_of "$side"))"; return 0; fi
  echo "== starting kedge-$side in $RUN_DIR/$side"
  (cd "$RUN_DIR/$side" && bin/start)
}

# no cluster given: a local API server, kept in run/kube between runs (the cloud's CA lives in it)
ensure_cluster() {
  [ -n "${KUBECONFIG:-}" ] && return 0
  export KUBE_RUN="$RUN_DIR/kube" KUBE_PORT=${KEDGE_KUBE_PORT:-16443} ETCD_PORT=${KEDGE_ETCD_PORT:-12379} KUBE_KEEP=1
  export PATH="${KUBE_CACHE:-/var/cache/kedge-test/k8s}/kc/usr/bin:$PATH"
  if [ -s "$KUBE_RUN/apiserver.pid" ] && kill -0 "$(cat "$KUBE_RUN/apiserver.pid")" 2>/dev/null; then
    export KUBECONFIG="$KUBE_RUN/kubeconfig"
    return 0
  fi
  . "$ROOT/scripts/prereqs.sh"
  echo "== no KUBECONFIG: starting a local kube-apiserver + etcd (state in $KUBE_RUN)"
  local kube_env
  kube_env=$("$ROOT/scripts/kube-up.sh") || { echo "the API server did not start" >&2; return 1; }  # eval "$(…)" would hide the failure
  eval "$kube_env"
}

stop_cluster() {
  if [ -s "$RUN_DIR/kube/apiserver.pid" ]; then
    echo "== stopping the local kube-apiserver + etcd"
    KUBE_RUN="$RUN_DIR/kube" "$ROOT/scripts/kube-down.sh" >/dev/null
    rm -f "$RUN_DIR/kube/"*.pid
  fi
}

# the edge's container runtime: the given CRI socket, or a private containerd (root only)
CRI_BASE=$RUN_DIR/cri; [ ${#CRI_BASE} -gt 60 ] && CRI_BASE=/tmp/kedge-cri-$(id -u)
ensure_runtime() {
  if [ -z "${KEDGE_CRI_ENDPOINT:-}" ]; then
    if [ -s "$CRI_BASE/containerd.pid" ] && kill -0 "$(cat "$CRI_BASE/containerd.pid")" 2>/dev/null; then
      KEDGE_CRI_ENDPOINT=unix://$CRI_BASE/run/containerd.sock
    elif [ "$(id -u)" = 0 ]; then
      echo "== no KEDGE_CRI_ENDPOINT: starting a private containerd + runc (state in $CRI_BASE)"
      # CNI=1: a bridge network with host-local IPs, so pods that are not hostNetwork get an IP of their own
      if CNI=${KEDGE_CNI:-1} BASE=$CRI_BASE "$ROOT/scripts/runtime-up.sh" | sed 's/^/   /'; then
        KEDGE_CRI_ENDPOINT=unix://$CRI_BASE/run/containerd.sock
      else
        echo "containerd did not start (see $CRI_BASE/logs/containerd.log): the edge runs, its pods stay Pending" >&2
        return 0
      fi
    else
      echo "== not root and no KEDGE_CRI_ENDPOINT: no container runtime, so the sample pod stays Pending" \
           "(run as root, or give KEDGE_CRI_ENDPOINT=unix:///run/containerd/containerd.sock)" >&2
      return 0
    fi
  fi
  local cfg=$RUN_DIR/edge/etc/dev.kedge.edge.edged.cfg
  sed -i '/^remoteRuntimeEndpoint *=/d; /^remoteImageEndpoint *=/d' "$cfg" 2>/dev/null || true
  printf 'remoteRuntimeEndpoint = %s\nremoteImageEndpoint = %s\n' "$KEDGE_CRI_ENDPOINT" "$KEDGE_CRI_ENDPOINT" >> "$cfg"
}

stop_runtime() {
  if [ -s "$CRI_BASE/containerd.pid" ]; then
    echo "== stopping the private containerd"
    BASE=$CRI_BASE "$ROOT/scripts/runtime-down.sh" >/dev/null 2>&1 || true
    rm -f "$CRI_BASE/containerd.pid"
  fi
}

# a sample workload for the edge: a configmap and a pod that mounts it, bound to the edge node
apply_sample() {
  [ "${KEDGE_SAMPLE:-1}" = 1 ] || return 0
  local node=${KEDGE_NODE:-edge-1}
  echo "== sample workload: configmap + pod 'hello' bound to $node (kubectl apply)"
  kubectl apply -f - <<YAML | sed 's/^/   /'
apiVersion: v1
kind: ConfigMap
metadata: {name: hello-config, namespace: default}
data: {greeting: "hello from the cloud"}
---
apiVersion: v1
kind: Pod
metadata: {name: hello, namespace: default}
spec:
  nodeName: $node
  containers:
  - name: hello
    # a local image (scripts/runtime-up.sh imports it; no registry needed)
    image: docker.io/library/kedge-busybox:1
    imagePullPolicy: IfNotPresent
    command: [sh, -c, 'echo "\$(cat /etc/hello/greeting) to \$NODE_NAME"; exec sleep 2147483647']
    env: [{name: NODE_NAME, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}]
    volumeMounts: [{name: cfg, mountPath: /etc/hello}]
  volumes: [{name: cfg, configMap: {name: hello-config}}]
YAML
  echo "== sample device: DeviceModel 'thermometer' + Device 'thermometer-1' bound to $node (devices.kubeedge.io/v1beta1)"
  kubectl apply -f - <<YAML | sed 's/^/   /'
apiVersion: devices.kubeedge.io/v1beta1
kind: DeviceModel
metadata: {name: thermometer, namespace: default}
spec:
  protocol: mqtt-mapper
  properties:
  - {name: temperature, type: INT, accessMode: ReadWrite, minimum: "-40", maximum: "125", unit: Celsius}
---
apiVersion: devices.kubeedge.io/v1beta1
kind: Device
metadata: {name: thermometer-1, namespace: default}
spec:
  deviceModelRef: {name: thermometer}
  nodeName: $node
  # no driver bundle serves this protocol: an MQTT mapper reports for it (show_device)
  protocol: {protocolName: mqtt-mapper}
  properties:
  - name: temperature
    desired: {value: "21"}
    reportToCloud: true
    collectCycle: 1000
    reportCycle: 1000
    visitors: {protocolName: mqtt-mapper, configData: {}}
---
apiVersion: devices.kubeedge.io/v1beta1
kind: DeviceModel
metadata: {name: simulator, namespace: default}
spec:
  protocol: virtual
  properties:
  - {name: wave, type: FLOAT, accessMode: ReadOnly}
---
apiVersion: devices.kubeedge.io/v1beta1
kind: Device
metadata: {name: simulator-1, namespace: default}
spec:
  deviceModelRef: {name: simulator}
  nodeName: $node
  # served in-process by the driver bundle for protocol 'virtual' (show_driver installs it from the console)
  protocol: {protocolName: virtual}
  properties:
  - name: wave
    reportToCloud: true
    collectCycle: 1000
    reportCycle: 1000
    visitors: {protocolName: virtual, configData: {mode: sine, min: "0", max: "100", periodMs: "60000"}}
YAML
}

# an operator installs a protocol driver from the edge's console; the virtual device then reports into Kubernetes
show_driver() {
  [ "${KEDGE_SAMPLE:-1}" = 1 ] && [ -n "${KUBECONFIG:-}" ] || return 0
  echo "== kedge@edge()> feature:install kedge-driver-virtual   (same edge JVM, nothing restarted)"
  console edge "feature:install kedge-driver-virtual" | sed 's/^/   /'
  local t0=$SECONDS
  until kubectl get device simulator-1 -o 'jsonpath={.status.twins[0].reported.value}' 2>/dev/null | grep -q .; do
    if [ $((SECONDS - t0)) -gt 30 ]; then echo "simulator-1 did not report; see device:list on the edge" >&2; break; fi
    sleep 0.5
  done
  echo "-- kedge@edge()> device:list"; console edge "device:list" | sed 's/^/   /'
  echo "-- kubectl get device simulator-1: state $(kubectl get device simulator-1 -o 'jsonpath={.status.state}'),"\
    "wave = $(kubectl get device simulator-1 -o 'jsonpath={.status.twins[0].reported.value}')"
}

# a mapper's report on the edge's embedded MQTT broker (KubeEdge's topic and JSON), then the Device's status in the API
show_device() {
  [ "${KEDGE_SAMPLE:-1}" = 1 ] || return 0
  if ! command -v mosquitto_pub >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 \
        mosquitto-clients >/dev/null 2>&1 || true
    fi
    command -v mosquitto_pub >/dev/null || { echo "-- no mosquitto_pub (Debian: mosquitto-clients): no sample report" >&2; return 0; }
  fi
  local t0=$SECONDS value=$((20 + RANDOM % 10))
  until console edge "twin:devices" | grep -q thermometer-1; do
    if [ $((SECONDS - t0)) -gt 30 ]; then echo "device thermometer-1 did not reach the edge; see twin:devices" >&2; return 0; fi
    sleep 0.5
  done
  local topic='$hw/events/device/default/thermometer-1/twin/update'
  echo "== a mapper reports temperature=$value: mosquitto_pub -p 1884 -t '$topic'"
  mosquitto_pub -h 127.0.0.1 -p 1884 -q 1 -t "$topic" \
    -m "{\"event_id\":\"run-sh\",\"timestamp\":$(date +%s%3N),\"twin\":{\"temperature\":{\"actual\":{\"value\":\"$value\"},\"metadata\":{\"type\":\"Updated\"}}}}"
  t0=$SECONDS
  until kubectl get device thermometer-1 -o 'jsonpath={.status.twins[0].reported.value}' 2>/dev/null | grep -qx "$value"; do
    if [ $((SECONDS - t0)) -gt 30 ]; then echo "the report did not reach the Device status; see twin:stats" >&2; break; fi
    sleep 0.2
  done
  echo "-- kubectl get device thermometer-1 -o yaml (status):"
  kubectl get device thermometer-1 -o yaml | sed -n '/^status:/,$p' | sed 's/^/   /'
}

show_cluster() {
  [ -n "${KUBECONFIG:-}" ] && command -v kubectl >/dev/null || return 0
  local t0=$SECONDS node=${KEDGE_NODE:-edge-1}
  until kubectl get node "$node" 2>/dev/null | grep -q ' Ready'; do
    if [ $((SECONDS - t0)) -gt 60 ]; then echo "node $node is not Ready yet; see edged:node on the edge" >&2; break; fi
    sleep 1
  done
  echo "-- kubectl get nodes:"; kubectl get nodes -o wide | sed 's/^/   /'
  if [ "${KEDGE_SAMPLE:-1}" = 1 ]; then
    t0=$SECONDS
    until console edge "meta:list pod" | grep -q 'default/pod/hello'; do
      [ $((SECONDS - t0)) -gt 30 ] && break; sleep 0.5
    done
    echo "-- the edge's meta table (meta:list):"; console edge "meta:list" | sed 's/^/   /'
    if [ -n "${KEDGE_CRI_ENDPOINT:-}" ]; then
      t0=$SECONDS
      until kubectl get pod hello -o 'jsonpath={.status.phase}' 2>/dev/null | grep -q Running; do
        if [ $((SECONDS - t0)) -gt 60 ]; then echo "pod hello is not Running yet; see edged:pods on the edge" >&2; break; fi
        sleep 0.5
      done
      echo "-- kubectl get pods -o wide:"; kubectl get pods -o wide | sed 's/^/   /'
      echo "-- the edge's pods (edged:pods) and the container's log (edged:logs default/hello):"
      console edge "edged:pods" | sed 's/^/   /'; console edge "edged:logs default/hello" | sed 's/^/   /'
    fi
  fi
}

# with a cluster: point the cloud at it (before its first start) and join the edge like keadm join
configure_cloud() {
  local cfg=$RUN_DIR/cloud/etc/dev.kedge.cloud.kube.cfg line
  # absolute: the cloud runs in its own folder, so a relative KUBECONFIG would name nothing there
  line="kubeconfig = $(realpath -m "${KUBECONFIG%%:*}")"
  if [ -n "${KUBECONFIG:-}" ] && ! grep -qxF "$line" "$cfg" 2>/dev/null; then
    sed -i '/^kubeconfig *=/d' "$cfg" 2>/dev/null || true
    echo "$line" >> "$cfg"   # picked up live by a running cloud, too
  fi
}

join_edge() {
  if console edge "edgehub:status" | grep -q CONNECTED; then return 0; fi
  local token="" t0=$SECONDS
  until token=$(console cloud "cloudhub:token" | tr -d '\r' | grep -E '^[0-9a-f]{64}\.' || true); [ -n "$token" ]; do
    if [ $((SECONDS - t0)) -gt 60 ]; then echo "CloudHub did not start; see $RUN_DIR/cloud/data/log/karaf.log" >&2; return 1; fi
    sleep 1
  done
  echo "== joining the edge as ${KEDGE_NODE:-edge-1}"
  console edge "kedge:join --cloud 127.0.0.1:10000 --token $token --node-name ${KEDGE_NODE:-edge-1}" | sed 's/^/   /'
  t0=$SECONDS
  until console edge "edgehub:status" | grep -q CONNECTED; do
    if [ $((SECONDS - t0)) -gt 60 ]; then echo "edge did not connect; see edgehub:status" >&2; return 1; fi
    sleep 1
  done
}

await_side() {
  local side=$1 t0=$SECONDS
  until console "$side" "bus:modules" | grep -q Module; do
    if [ $((SECONDS - t0)) -gt 90 ]; then echo "kedge-$side did not come up; see $RUN_DIR/$side/data/log/karaf.log" >&2; return 1; fi
    sleep 0.5
  done
}

show() {
  for side in "${SIDES[@]}"; do
    if alive "$side"; then
      local port; port=$(sed -n 's/^sshPort *= *//p' "$RUN_DIR/$side/etc/org.apache.karaf.shell.cfg")
      echo "-- kedge-$side: pid $(pid_of "$side"), console: ssh -p $port kedge@127.0.0.1  or  $RUN_DIR/$side/bin/client -u kedge"
      echo "   bus:modules:"; console "$side" "bus:modules" | sed 's/^/   /'
      if [ "$side" = cloud ]; then console cloud "cloudhub:nodes" | sed 's/^/   /'; fi
      if [ "$side" = edge ]; then console edge "edgehub:status" | sed 's/^/   /'; fi
    else
      echo "-- kedge-$side: not running"
    fi
  done
}

case "${1:-up}" in
  stop) stop_side edge; stop_side cloud; stop_runtime; stop_cluster ;;
  status) show; [ -s "$RUN_DIR/kube/kubeconfig" ] && [ -z "${KUBECONFIG:-}" ] && export KUBECONFIG="$RUN_DIR/kube/kubeconfig" \
            PATH="${KUBE_CACHE:-/var/cache/kedge-test/k8s}/kc/usr/bin:$PATH"; show_cluster ;;
  up|--detach)
    build
    ensure_cluster
    for side in "${SIDES[@]}"; do
      unpack_side "$side"
      [ "$side" = cloud ] && configure_cloud
      [ "$side" = edge ] && ensure_runtime
      start_side "$side"
    done
    for side in "${SIDES[@]}"; do await_side "$side"; done
    join_edge
    apply_sample
    show
    show_cluster
    show_device
    show_driver
    if [ "${1:-up}" = --detach ]; then
      echo "== running; stop with: scripts/run.sh stop"
      [ -s "$RUN_DIR/kube/kubeconfig" ] && echo "   kubectl: export KUBECONFIG=$RUN_DIR/kube/kubeconfig PATH=${KUBE_CACHE:-/var/cache/kedge-test/k8s}/kc/usr/bin:\$PATH"
    else
      echo "== running; following both logs, Ctrl-C stops both"
      tail -n 0 -F "$RUN_DIR/edge/data/log/karaf.log" "$RUN_DIR/cloud/data/log/karaf.log" &
      follower=$!
      # a background job of a script ignores SIGINT, so Ctrl-C leaves tail running: stop it first, by its PID (else
      # it prints the whole shutdown and outlives this script), then the distributions
      trap 'kill "$follower" 2>/dev/null; wait "$follower" 2>/dev/null || true
            echo; stop_side edge; stop_side cloud; stop_runtime; stop_cluster' EXIT
      trap 'exit 130' INT TERM
      wait "$follower" || true
    fi ;;
  *) echo "usage: scripts/run.sh [--detach|stop|status]" >&2; exit 2 ;;
esac
