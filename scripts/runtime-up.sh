#!/bin/bash
# A real containerd (CRI) + runc for Kedge's tests and for scripts/run.sh, on Debian/Ubuntu as root, with no systemd
# and no registry: installs containerd, runc and busybox-static when missing, starts containerd with a private
# configuration (own root, state and socket under $BASE), and imports two local images built from busybox-static:
# docker.io/library/kedge-busybox:1 (a shell) and docker.io/library/kedge-pause:1 (the pod sandbox image).
# Usage: BASE=/tmp/kedge-cri scripts/runtime-up.sh   -> CRI socket unix://$BASE/run/containerd.sock
# Stop with scripts/runtime-down.sh (same BASE): removes the pods, stops containerd by PID, unmounts.
set -euo pipefail
BASE=${BASE:-/tmp/kedge-cri}; BRIDGE=${BRIDGE:-kedgecni0}; SUBNET=${SUBNET:-10.250.9.0/24}
# Default: a loopback-only CNI config, so that CRI Status reports NetworkReady=true (kubelet-like agents wait for it)
# while hostNetwork pods never touch CNI. CNI=1 writes a bridge network instead, for pods that are not hostNetwork.
# Tests should prefer hostNetwork pods and loopback traffic: send no test traffic to pod IPs.
CNI=${CNI:-0}
export DEBIAN_FRONTEND=noninteractive
need=(); for p in containerd runc busybox-static containernetworking-plugins; do dpkg -s $p >/dev/null 2>&1 || need+=($p); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -o DPkg::Lock::Timeout=600 -qq
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
fi
mkdir -p $BASE/{root,state,run,opt,cni/conf,cni/ipam,logs}
cat > $BASE/containerd.toml <<EOC
version = 2
root = "$BASE/root"
state = "$BASE/state"
[grpc]
  address = "$BASE/run/containerd.sock"
[ttrpc]
  address = "$BASE/run/containerd.sock.ttrpc"
[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$BASE/opt"
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "docker.io/library/kedge-pause:1"
    restrict_oom_score_adj = true   # VM root lacks CAP_SYS_RESOURCE
    netns_mounts_under_state_dir = true   # pod netns bind-mounts live under $BASE/state, so teardown can find them
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "$BASE/cni/conf"
EOC
if [ "$CNI" = 1 ]; then
cat > $BASE/cni/conf/10-edge.conflist <<EOC
{"cniVersion":"1.0.0","name":"edge","plugins":[{"type":"bridge","bridge":"$BRIDGE","isGateway":true,"ipMasq":false,"hairpinMode":true,
 "ipam":{"type":"host-local","ranges":[[{"subnet":"$SUBNET"}]],"dataDir":"$BASE/cni/ipam"}}]}
EOC
else
echo '{"cniVersion":"1.0.0","name":"kedge-lo","plugins":[{"type":"loopback"}]}' > $BASE/cni/conf/10-lo.conflist
fi
# images: one busybox-static layer, two configs (tools image + pause-like sandbox image)
mkimage() { # ref cfgfragment out
  local ref=$1 frag=$2 out=$3 w; w=$(mktemp -d)
  mkdir -p $w/rootfs/{bin,sbin,etc,proc,sys,dev,tmp,root,usr/bin,usr/sbin,var} $w/oci/blobs/sha256
  cp /bin/busybox $w/rootfs/bin/busybox
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox $w/rootfs/bin/$a; done
  echo 'root:x:0:0:root:/root:/bin/sh' > $w/rootfs/etc/passwd; echo 'root:x:0:' > $w/rootfs/etc/group; chmod 1777 $w/rootfs/tmp
  tar --sort=name --mtime=2020-01-01 --owner=0 --group=0 --numeric-owner -C $w/rootfs -cf $w/layer.tar .
  local diffid; diffid=$(sha256sum $w/layer.tar | cut -d' ' -f1); gzip -n -c $w/layer.tar > $w/layer.tgz
  blob() { local d; d=$(sha256sum "$1" | cut -d' ' -f1); cp "$1" $w/oci/blobs/sha256/$d; echo "\"digest\":\"sha256:$d\",\"size\":$(stat -c %s "$1")"; }
  local L C M; L=$(blob $w/layer.tgz)
  printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"WorkingDir":"/",%s},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$(dpkg --print-architecture)" "$frag" "$diffid" > $w/config.json
  C=$(blob $w/config.json)
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json",%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip",%s}]}' "$C" "$L" > $w/manifest.json
  M=$(blob $w/manifest.json)
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",%s,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' "$M" "$ref" "${ref##*:}" > $w/oci/index.json
  echo '{"imageLayoutVersion":"1.0.0"}' > $w/oci/oci-layout
  tar -C $w/oci -cf "$out" oci-layout index.json blobs; rm -rf "$w"
}
mkimage docker.io/library/kedge-busybox:1 '"Cmd":["sh"]' $BASE/busybox.tar
mkimage docker.io/library/kedge-pause:1 '"Entrypoint":["/bin/sleep","2147483647"]' $BASE/pause.tar
nohup containerd --config $BASE/containerd.toml > $BASE/logs/containerd.log 2>&1 &
echo $! > $BASE/containerd.pid
for i in $(seq 1 200); do ctr --address $BASE/run/containerd.sock version >/dev/null 2>&1 && break; sleep 0.05; done
ctr --address $BASE/run/containerd.sock version >/dev/null || { cat $BASE/logs/containerd.log; exit 1; }
ctr --address $BASE/run/containerd.sock -n k8s.io images import $BASE/busybox.tar >/dev/null
ctr --address $BASE/run/containerd.sock -n k8s.io images import $BASE/pause.tar >/dev/null
echo "containerd up: pid $(cat $BASE/containerd.pid), CRI at unix://$BASE/run/containerd.sock"
