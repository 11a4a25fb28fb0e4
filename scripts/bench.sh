#!/usr/bin/env bash
# Runs one of the in-process benchmarks (a main class among a module's test classes) on a plain JVM:
#
#   scripts/bench.sh bus|meta|twin|host [ARGS...]
#
#   bus   MessageBus throughput (1 → 1, 4 → 4) and sendSync latency          (bundles/core, BusBenchmark)
#   meta  cloud pod upserts through MetaManager into SQLite, acks after commit (bundles/edge/meta, MetaBenchmark)
#   twin  mapper twin updates through DeviceTwin into SQLite                  (bundles/edge/twin, TwinBenchmark)
#   host  devices through the virtual driver: reads/s, reports/s, CPU         (bundles/device/host, HostBenchmark)
#
#   JAVA_OPTS   JVM flags, e.g. JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m" (the edge's) or
#               JAVA_OPTS=-Dbench.devices=1000 for host
#   MAVEN_ARGS  extra Maven arguments, e.g. -Dmaven.repo.local=... (passed on here: Maven before 3.9 ignores it)
#
# Needs one build first (mvn install -DskipTests): the class path comes from maven-dependency-plugin, which that
# build already fetched (the version is pinned in the parent POM), so this works offline on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  bus)  module=bundles/core;        main=dev.kedge.core.internal.BusBenchmark ;;
  meta) module=bundles/edge/meta;   main=dev.kedge.edge.meta.internal.MetaBenchmark ;;
  twin) module=bundles/edge/twin;   main=dev.kedge.edge.twin.internal.TwinBenchmark ;;
  host) module=bundles/device/host; main=dev.kedge.device.host.internal.HostBenchmark ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
shift
cp_file=$(mktemp)
# shellcheck disable=SC2086 # MAVEN_ARGS is a list of arguments
mvn -q -o -B ${MAVEN_ARGS:-} -pl "$module" test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" \
  -Dmdep.includeScope=test || { rm -f "$cp_file"; echo "bench.sh: build the project first: mvn install -DskipTests" >&2; exit 1; }
cp="$module/target/test-classes:$module/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
exec java ${JAVA_OPTS:-} -cp "$cp" "$main" "$@"
