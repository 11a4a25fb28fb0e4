#!/usr/bin/env bash
# Runs every Kedge test: unit tests (surefire) and the integration tests (failsafe) that boot the real edge and
# cloud distributions, with Pax Exam and as processes. Extra arguments go to Maven (e.g. -Dit.test=HotSwapIT).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prereqs.sh

echo "== Kedge tests: $(java -version 2>&1 | head -n1), $(mvn -v 2>/dev/null | head -n1)"
exec mvn -B -ntp verify "$@"
