#!/bin/bash
# A REAL Kubernetes API server for tests, with no Docker and no
# download of prebuilt binaries. Builds kube-apiserver (and kube-controller-manager) v1.20.2 from Debian's own
# `kubernetes` source package, offline, then starts etcd (Debian etcd-server) + kube-apiserver on loopback.
# kubectl v1.20.2 is extracted from Debian's kubernetes-client .deb (not installed: a preinstalled 'kubectl'
# package may own /usr/bin/kubectl).
#
#   KUBE_CACHE  where binaries are built and kept (default /var/cache/kedge-test/k8s); the build (~4-5 min on a
#               fresh 2-core machine) is skipped when the binaries are already there.
#   KUBE_RUN    per-run state: etcd data, certs, kubeconfig, pids, logs (default /tmp/kedge-kube)
#   KUBE_PORT / ETCD_PORT   loopback ports (default 16443 / 12379)
#   KUBE_KEEP=1 keep the etcd data and credentials of a previous run in KUBE_RUN (scripts/run.sh's local cluster)
#   WITH_KCM=1  also build and start kube-controller-manager (namespace deletion, GC, Deployments, SA tokens).
#               Its node-lifecycle controller is left OFF so that tests own Node readiness.
# Prints the exports to use; stop with kube-down.sh (apiserver first, then etcd).
set -euo pipefail
C=${KUBE_CACHE:-/var/cache/kedge-test/k8s}; R=${KUBE_RUN:-/tmp/kedge-kube}
PORT=${KUBE_PORT:-16443}; ETCD_PORT=${ETCD_PORT:-12379}; WITH_KCM=${WITH_KCM:-0}
T0=$(date +%s); log() { echo "[kube-up $(($(date +%s)-T0))s] $*" >&2; }
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$C"

need=(); for p in etcd-server curl openssl; do dpkg -s $p >/dev/null 2>&1 || need+=($p); done
build_needed=0; [ -x "$C/bin/kube-apiserver" ] || build_needed=1
[ "$WITH_KCM" = 1 ] && [ ! -x "$C/bin/kube-controller-manager" ] && build_needed=1
if [ $build_needed = 1 ]; then
  for p in golang-go rsync golang-github-modern-go-reflect2-dev dpkg-dev; do dpkg -s $p >/dev/null 2>&1 || need+=($p); done
fi
if [ ${#need[@]} -gt 0 ] || [ $build_needed = 1 ] || [ ! -x "$C/kc/usr/bin/kubectl" ]; then
  if [ $build_needed = 1 ]; then   # deb-src entries mirroring the machine's own deb entries (same archive, no new host)
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/kedge-src.sources
  fi
  apt-get update -qq -o DPkg::Lock::Timeout=600
fi
[ ${#need[@]} -gt 0 ] && apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
if [ ! -x "$C/kc/usr/bin/kubectl" ]; then
  (cd "$C" && apt-get download kubernetes-client >/dev/null 2>&1 && dpkg-deb -x kubernetes-client_*.deb "$C/kc" && rm -f kubernetes-client_*.deb)
fi
if [ $build_needed = 1 ]; then
  rm -rf "$C/src" && mkdir -p "$C/src" && (cd "$C/src" && apt-get source -qq kubernetes >/dev/null 2>&1)
  rm -f /etc/apt/sources.list.d/kedge-src.sources
  S=$(ls -d "$C"/src/kubernetes-*/ | head -1); S=${S%/}
  mkdir -p "$C/gopath/src/k8s.io"; ln -sfn "$S" "$C/gopath/src/k8s.io/kubernetes"
  # the vendored reflect2 v1.0.1 crashes (SIGSEGV on the first custom resource) with Go >= 1.18: use Debian's 1.0.2
  RF="$S/vendor/github.com/modern-go/reflect2"; rm -f "$RF"/*.go "$RF"/*.s
  cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.go /usr/share/gocode/src/github.com/modern-go/reflect2/*.s "$RF/"
  (cd "$S" && GOPROXY=off GOFLAGS= make gen_openapi >/dev/null)   # generated openapi is not in the source package
  LDF="-s -w"
  for V in k8s.io/kubernetes/vendor/k8s.io/component-base/version k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version; do
    LDF="$LDF -X $V.gitMajor=1 -X $V.gitMinor=20 -X $V.gitVersion=v1.20.2 -X $V.gitTreeState=clean"
  done
  cmds="kube-apiserver"; [ "$WITH_KCM" = 1 ] && cmds="$cmds kube-controller-manager"
  for cmd in $cmds; do   # upstream 1.20 builds in GOPATH mode; module mode fails under Go 1.19
    (cd "$C/gopath/src/k8s.io/kubernetes" && GO111MODULE=off GOPROXY=off GOFLAGS= CGO_ENABLED=0 GOPATH="$C/gopath" GOCACHE="$C/gocache" \
       go build -ldflags "$LDF" -o "$C/bin/$cmd" ./cmd/$cmd)
    log "built $cmd"
  done
  rm -rf "$C/src" "$C/gopath" "$C/gocache"
fi

for p in "$PORT" "$ETCD_PORT" "$((ETCD_PORT+1))"; do   # a readiness check must never be answered by someone else's server
  if ss -ltnH "sport = :$p" 2>/dev/null | grep -q .; then echo "kube-up: port $p is already in use" >&2; exit 1; fi
done
if [ "${KUBE_KEEP:-0}" = 1 ] && [ -d "$R/etcd" ] && [ -f "$R/kubeconfig" ]; then
  log "keeping the cluster state in $R (KUBE_KEEP=1)"
else
rm -rf "$R"; mkdir -p "$R/certs"
openssl genrsa -out "$R/sa.key" 2048 2>/dev/null; openssl rsa -in "$R/sa.key" -pubout -out "$R/sa.pub" 2>/dev/null
echo "kedge-test-token,admin,admin,system:masters" > "$R/tokens.csv"
cat > "$R/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: local, cluster: {server: "https://127.0.0.1:$PORT", insecure-skip-tls-verify: true}}]
users: [{name: admin, user: {token: kedge-test-token}}]
contexts: [{name: local, context: {cluster: local, user: admin}}]
current-context: local
KC
fi
etcd --name kedge --data-dir "$R/etcd" --listen-client-urls http://127.0.0.1:$ETCD_PORT --advertise-client-urls http://127.0.0.1:$ETCD_PORT \
  --listen-peer-urls http://127.0.0.1:$((ETCD_PORT+1)) --initial-advertise-peer-urls http://127.0.0.1:$((ETCD_PORT+1)) \
  --initial-cluster kedge=http://127.0.0.1:$((ETCD_PORT+1)) > "$R/etcd.log" 2>&1 &
echo $! > "$R/etcd.pid"
"$C/bin/kube-apiserver" --etcd-servers=http://127.0.0.1:$ETCD_PORT \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port=$PORT --cert-dir="$R/certs" \
  --token-auth-file="$R/tokens.csv" --authorization-mode=RBAC \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$R/sa.pub" --service-account-signing-key-file="$R/sa.key" \
  --service-cluster-ip-range=10.0.0.0/24 --disable-admission-plugins=ServiceAccount --allow-privileged=true > "$R/apiserver.log" 2>&1 &
echo $! > "$R/apiserver.pid"
for i in $(seq 1 300); do
  curl -sfk -H "Authorization: Bearer kedge-test-token" https://127.0.0.1:$PORT/readyz >/dev/null 2>&1 && break; sleep 0.2
done
curl -sfk -H "Authorization: Bearer kedge-test-token" https://127.0.0.1:$PORT/readyz >/dev/null || { tail -30 "$R/apiserver.log" >&2; exit 1; }
if [ "$WITH_KCM" = 1 ]; then
  "$C/bin/kube-controller-manager" --kubeconfig="$R/kubeconfig" --leader-elect=false --port=0 --bind-address=127.0.0.1 \
    --service-account-private-key-file="$R/sa.key" --use-service-account-credentials=false \
    --controllers='*,-nodelifecycle,-csrsigning' > "$R/kcm.log" 2>&1 &
  echo $! > "$R/kcm.pid"
fi
log "ready: apiserver pid $(cat "$R/apiserver.pid"), etcd pid $(cat "$R/etcd.pid")"
echo "export KUBECONFIG=$R/kubeconfig"
echo "export PATH=$C/kc/usr/bin:\$PATH"
