#!/usr/bin/env bash
# Kedge's main job on one machine: builds the distributions (when needed), then starts the cloud and the edge
# side by side, each in its own folder under run/, and shows their bus. In the foreground (default) Ctrl-C stops
# both; `run.sh --detach` leaves them running; `run.sh stop` stops them; `run.sh status` shows them.
#
#   KEDGE_ADMIN_PASSWORD  console password for user 'kedge' on both (default: a random one per distribution,
#                         printed here and kept in run/<side>/etc/admin.password)
#   KEDGE_RUN_DIR         where the distributions are unpacked (default: run/)
#   KEDGE_REBUILD=1       rebuild even when the tarballs exist
#   KUBECONFIG            a cluster for the cloud (CloudHub keeps its CA and join token there); when set, the edge
#                         is joined to the cloud (cloudhub:token, kedge:join) as node $KEDGE_NODE (default edge-1)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN_DIR=${KEDGE_RUN_DIR:-$ROOT/run}
VERSION=0.1.0-SNAPSHOT
SIDES=(cloud edge)

tarball() { echo "$ROOT/karaf-$1-assembly/target/kedge-$1-$VERSION.tar.gz"; }
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

start_side() {
  local side=$1
  if alive "$side"; then echo "== kedge-$side already running (pid $(pid_of "$side"))"; return 0; fi
  if [ ! -d "$RUN_DIR/$side/bin" ]; then
    mkdir -p "$RUN_DIR/$side"
    tar xzf "$(tarball "$side")" -C "$RUN_DIR/$side" --strip-components=1
  fi
  echo "== starting kedge-$side in $RUN_DIR/$side"
  (cd "$RUN_DIR/$side" && bin/start)
}

# with a cluster: point the cloud at it (before its first start) and join the edge like keadm join
configure_cloud() {
  if [ -n "${KUBECONFIG:-}" ] && [ ! -f "$RUN_DIR/cloud/etc/dev.kedge.cloud.kube.cfg.kedge" ]; then
    printf 'kubeconfig = %s\n' "${KUBECONFIG%%:*}" > "$RUN_DIR/cloud/etc/dev.kedge.cloud.kube.cfg"
    touch "$RUN_DIR/cloud/etc/dev.kedge.cloud.kube.cfg.kedge"
  fi
}

join_edge() {
  [ -n "${KUBECONFIG:-}" ] || { echo "== no KUBECONFIG: the cloud has no cluster, so the edge is not joined"; return 0; }
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
  stop) stop_side edge; stop_side cloud ;;
  status) show ;;
  up|--detach)
    build
    for side in "${SIDES[@]}"; do
      if [ "$side" = cloud ] && [ ! -d "$RUN_DIR/cloud/bin" ]; then
        mkdir -p "$RUN_DIR/cloud" && tar xzf "$(tarball cloud)" -C "$RUN_DIR/cloud" --strip-components=1
      fi
      [ "$side" = cloud ] && configure_cloud
      start_side "$side"
    done
    for side in "${SIDES[@]}"; do await_side "$side"; done
    join_edge
    show
    if [ "${1:-up}" = --detach ]; then
      echo "== running; stop with: scripts/run.sh stop"
    else
      trap 'stop_side edge; stop_side cloud' EXIT INT TERM
      echo "== running; following the edge log, Ctrl-C stops both"
      tail -n 0 -F "$RUN_DIR/edge/data/log/karaf.log" "$RUN_DIR/cloud/data/log/karaf.log" &
      wait $! || true
    fi ;;
  *) echo "usage: scripts/run.sh [--detach|stop|status]" >&2; exit 2 ;;
esac
