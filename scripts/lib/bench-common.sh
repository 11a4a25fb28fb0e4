# Shared by scripts/bench-meta.sh and scripts/bench-cloudhub.sh (sourced, not run): logging, the benchmark's own
# API server, the cached CA, the cloud distribution on its own ports, its console, and stopping it all.
# The sourcing script sets BENCH_NAME, ROOT, RUN, CERTS, WS_PORT, HTTPS_PORT, SSH_PORT (and TARBALL before
# bench_start_cloud); the functions set CLOUD, CLOUD_PID and PW.

T0=$(date +%s)
log() { echo "[$BENCH_NAME $(($(date +%s)-T0))s] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

CLOUD=$RUN/cloud
CLOUD_PID=""

bench_check_ports() {
  local p
  for p in $WS_PORT $HTTPS_PORT $SSH_PORT; do
    ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || die "port $p is in use (set BENCH_WS_PORT/BENCH_HTTPS_PORT/BENCH_SSH_PORT)"
  done
}

# The end of every exit path: the cloud (TERM, KILL after 30 s), then the API server; exits with $1.
bench_stop_all() {
  local rc=$1
  if [ -n "$CLOUD_PID" ] && kill -0 "$CLOUD_PID" 2>/dev/null; then
    log "stopping the cloud (pid $CLOUD_PID)"
    kill -TERM "$CLOUD_PID"
    for _ in $(seq 300); do kill -0 "$CLOUD_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$CLOUD_PID" 2>/dev/null && kill -KILL "$CLOUD_PID"
  fi
  "$ROOT/scripts/kube-down.sh" >/dev/null 2>&1
  log "stopped everything (exit $rc)"
  exit "$rc"
}

# The API server of this benchmark only (a previous run's, if any, is stopped first); exports KUBECONFIG.
bench_start_kube() {
  "$ROOT/scripts/kube-down.sh" >/dev/null 2>&1 || true
  local kube_env
  kube_env=$("$ROOT/scripts/kube-up.sh") || { echo "the API server did not start" >&2; return 1; }  # eval "$(…)" would hide the failure
  eval "$kube_env"
  log "API server up on 127.0.0.1:$KUBE_PORT (state in $KUBE_RUN)"
}

# Reuses the cached CA so that cached node certificates stay valid, unless BENCH_FRESH_CA=1.
bench_seed_ca() {
  mkdir -p "$CERTS/ca" "$RUN"
  if [ "${BENCH_FRESH_CA:-0}" != 1 ] && [ -s "$CERTS/ca/cadata.der" ] && [ -s "$CERTS/ca/cakeydata.der" ]; then
    kubectl create namespace kubeedge >/dev/null
    kubectl create secret generic casecret -n kubeedge --from-file=cadata="$CERTS/ca/cadata.der" \
      --from-file=cakeydata="$CERTS/ca/cakeydata.der" >/dev/null
    log "kubeedge/casecret seeded with the cached CA"
  fi
}

# The CA the nodes' certificates are signed with, read back from the secret (CloudHub made it if none was seeded).
bench_read_ca() {
  kubectl get secret -n kubeedge casecret -o jsonpath='{.data.cadata}' | base64 -d > "$CERTS/ca/cadata.der"
  kubectl get secret -n kubeedge casecret -o jsonpath='{.data.cakeydata}' | base64 -d > "$CERTS/ca/cakeydata.der"
}

setcfg() {  # setcfg <pid> key value ... : replace or add keys in etc/<pid>.cfg
  local f=$CLOUD/etc/$1.cfg; shift
  touch "$f"
  while [ $# -gt 0 ]; do
    sed -i "/^[[:space:]]*$1[[:space:]]*=/d" "$f"; echo "$1 = $2" >> "$f"; shift 2
  done
}

# Unpacks $TARBALL into $CLOUD and starts it on its own loopback ports with CloudHub's nodeLimit = $1; sets CLOUD_PID.
bench_start_cloud() {
  rm -rf "$CLOUD"; mkdir -p "$CLOUD"
  tar xzf "$TARBALL" -C "$CLOUD" --strip-components=1
  setcfg org.apache.karaf.shell sshPort "$SSH_PORT" sshHost 127.0.0.1
  setcfg dev.kedge.cloud.kube kubeconfig "$KUBECONFIG"
  # the fleet connects thousands of nodes at once from a few loopback addresses: lift the guard of unauthenticated
  # connections (#11) so that the bench measures CloudHub, not the caps; the monitor on a port of its own
  setcfg dev.kedge.cloud.hub websocketAddress 127.0.0.1 websocketPort "$WS_PORT" httpsAddress 127.0.0.1 \
    httpsPort "$HTTPS_PORT" nodeLimit "$1" maxPendingConnections "$1" maxPendingPerAddress "$1" \
    handshakeTimeoutMs 120000
  setcfg dev.kedge.cloud.monitor port 0
  # replicas on one host need distinct identities in the leader Lease (the default is the host name)
  [ -z "${CLOUD_IDENTITY:-}" ] || setcfg dev.kedge.cloud.kube.leader identity "$CLOUD_IDENTITY"
  PW=bench-$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')
  # the distribution's own JVM flags (bin/setenv: -Xms64m -Xmx1g -XX:+UseG1GC ...); only a GC log is added, and
  # BENCH_CLOUD_OPTS if set (e.g. a flight recording: -XX:StartFlightRecording=filename=/tmp/cloud.jfr,settings=profile)
  (cd "$CLOUD" && EXTRA_JAVA_OPTS="-Xlog:gc:file=$RUN/cloud-gc.log:uptime,time ${BENCH_CLOUD_OPTS:-}" \
    KEDGE_ADMIN_PASSWORD=$PW bin/start >/dev/null)
  for _ in $(seq 300); do [ -s "$CLOUD/karaf.pid" ] && break; sleep 0.1; done
  CLOUD_PID=$(cat "$CLOUD/karaf.pid" 2>/dev/null) || die "the cloud wrote no karaf.pid"
}

console() { (cd "$CLOUD" && printf '%s\n' "$@" | bin/client -u kedge -p "$PW" -r 3 -b 2>&1); }

await() {  # await <seconds> <expected> <command...>
  local secs=$1 want=$2; shift 2
  for _ in $(seq "$secs"); do console "$@" | grep -q -- "$want" && return 0; sleep 1; done
  die "the cloud console never showed '$want' for '$*' (see $CLOUD/data/log/karaf.log)"
}

bench_log_summary() {
  log "cloud log: $(grep -a -c '| WARN ' "$CLOUD/data/log/karaf.log") WARN and $(grep -a -c '| ERROR' "$CLOUD/data/log/karaf.log") ERROR lines in $CLOUD/data/log/karaf.log"
}
