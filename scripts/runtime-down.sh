#!/bin/bash
# Tears down what runtime-up.sh started: all k8s.io tasks/containers, containerd (by PID), leftover shims, bridge, mounts.
BASE=${BASE:-/tmp/kedge-cri}; BRIDGE=${BRIDGE:-kedgecni0}
A="--address $BASE/run/containerd.sock"
if [ -f $BASE/containerd.pid ] && kill -0 $(cat $BASE/containerd.pid) 2>/dev/null; then
  # remove pods via CRI would be best (lets CNI tear down); fallback: kill tasks with ctr
  for t in $(ctr $A -n k8s.io tasks ls -q 2>/dev/null); do ctr $A -n k8s.io tasks kill -s SIGKILL $t 2>/dev/null; done
  sleep 0.5
  for t in $(ctr $A -n k8s.io tasks ls -q 2>/dev/null); do ctr $A -n k8s.io tasks rm -f $t 2>/dev/null; done
  for c in $(ctr $A -n k8s.io containers ls -q 2>/dev/null); do ctr $A -n k8s.io containers rm $c 2>/dev/null; done
  pid=$(cat $BASE/containerd.pid); kill -TERM $pid; for i in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
fi
# shims started for this containerd carry "-address $BASE/run/containerd.sock" in their argv
for p in $(pgrep -f "containerd-shim-runc-v2 .*-address $BASE/run/containerd.sock" || true); do kill -KILL $p; done
grep " $BASE/" /proc/mounts | awk '{print $2}' | sort -r | while read m; do umount -l "$m"; done
ip link del $BRIDGE 2>/dev/null || true
echo "runtime down"
