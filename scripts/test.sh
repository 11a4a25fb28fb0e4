#!/usr/bin/env bash
# Runs every Kedge test: unit tests (surefire) and the integration tests (failsafe) that boot the real edge and
# cloud distributions, with Pax Exam and as processes. Extra arguments go to Maven (e.g. -Dit.test=HotSwapIT).
# Tests that talk to Kubernetes get a real kube-apiserver + etcd on loopback (scripts/kube-up.sh, built once and
# cached); it is stopped when this script exits, also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prereqs.sh

# a loopback port with nothing listening (nor on the next one: etcd's peer port is ETCD_PORT+1)
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && ! (exec 3<>/dev/tcp/127.0.0.1/$((p + 1))) 2>/dev/null; then
      echo $p; return 0
    fi
  done
  echo "test.sh: no free loopback port found" >&2; return 1
}

# per-run state outside target/, so that 'scripts/test.sh clean' cannot delete a running etcd's data
export KUBE_RUN=${KUBE_RUN:-/tmp/kedge-test-kube-$$}
export KUBE_PORT=${KUBE_PORT:-$(free_port)}
if [ -z "${ETCD_PORT:-}" ]; then   # etcd takes ETCD_PORT and ETCD_PORT+1
  ETCD_PORT=$(free_port)
  while [ "$ETCD_PORT" = "$KUBE_PORT" ] || [ $((ETCD_PORT + 1)) = "$KUBE_PORT" ]; do ETCD_PORT=$(free_port); done
fi
export ETCD_PORT
# containerd for the pod tests (short path: unix socket paths are limited to 108 bytes)
export CRI_BASE=${CRI_BASE:-/tmp/kcri-$$}
export MQTT_RUN=${MQTT_RUN:-/tmp/kedge-test-mqtt-$$}
cleanup() {
  [ -f "$MQTT_RUN/mosquitto.pid" ] && kill -TERM "$(cat "$MQTT_RUN/mosquitto.pid")" 2>/dev/null
  [ -f "$CRI_BASE/containerd.pid" ] && BASE=$CRI_BASE scripts/runtime-down.sh >/dev/null 2>&1
  scripts/kube-down.sh >/dev/null; rm -rf "$KUBE_RUN" "$MQTT_RUN" "$CRI_BASE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
echo "== Kubernetes API server for the tests: https://127.0.0.1:$KUBE_PORT (state in $KUBE_RUN)"
kube_env=$(scripts/kube-up.sh)   # fails the run when the server cannot start (the assignment keeps the status)
eval "$kube_env"                 # KUBECONFIG, and PATH with kubectl 1.20

# Real containerd + runc (CRI) and a real Mosquitto need root to install and run; without root the tests that need
# them say so, and fail under CI=true.
if [ "$(id -u)" = 0 ]; then
  echo "== containerd for the tests: unix://$CRI_BASE/run/containerd.sock"
  BASE=$CRI_BASE scripts/runtime-up.sh
  export KEDGE_CRI_ENDPOINT=unix://$CRI_BASE/run/containerd.sock
  dpkg -s mosquitto >/dev/null 2>&1 && dpkg -s mosquitto-clients >/dev/null 2>&1 || {
    apt-get update -o DPkg::Lock::Timeout=600 -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 \
      mosquitto mosquitto-clients >/dev/null; }
  MQTT_PORT=$(free_port); mkdir -p "$MQTT_RUN"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$MQTT_PORT" > "$MQTT_RUN/mosquitto.conf"
  /usr/sbin/mosquitto -c "$MQTT_RUN/mosquitto.conf" > "$MQTT_RUN/mosquitto.log" 2>&1 &
  echo $! > "$MQTT_RUN/mosquitto.pid"
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$MQTT_PORT) 2>/dev/null && break; sleep 0.1; done
  export KEDGE_MOSQUITTO=tcp://127.0.0.1:$MQTT_PORT
  echo "== Mosquitto for the tests: $KEDGE_MOSQUITTO (pid $(cat "$MQTT_RUN/mosquitto.pid"))"
else
  echo "== not root: no containerd and no Mosquitto; the tests that need them fail under CI=true" >&2
fi

echo "== Kedge tests: $(java -version 2>&1 | head -n1), $(mvn -v 2>/dev/null | head -n1)"
# install, not verify: the distributions and Pax Exam resolve our bundles from the local repository, so a
# stale copy from an earlier build must never be what gets tested. -Pimage: the cloud's container image
# (karaf-cloud-image, about 25 s) for ImageIT; its base needs busybox-static (runtime-up.sh installs it as root)
# and the JDK's jmods: without them ImageIT fails under CI=true and says so
image=()
if [ -x /bin/busybox ] && [ -d "${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/jmods" ]; then image=(-Pimage)
else echo "== no busybox-static or no jmods: the cloud's image is not built" >&2; fi
mvn -B -ntp install "${image[@]}" "$@"
