#!/usr/bin/env bash
# Makes sure this machine has what building and running Kedge needs: a Java 17 JDK and Maven.
# Installs them with apt-get when missing and running as root (Debian/Ubuntu); otherwise says what to install.
set -euo pipefail

java_major() {
  java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1
}

need=()
if ! command -v javac >/dev/null 2>&1 || [ "$(java_major)" != "17" ]; then
  # Karaf 4.4 runs on 17; on 21+ its scripts and SSH console break
  if [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/javac ]; then
    export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 PATH=/usr/lib/jvm/java-17-openjdk-amd64/bin:$PATH
  else
    need+=(openjdk-17-jdk-headless)
  fi
fi
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v tar >/dev/null 2>&1 || need+=(tar)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "prereqs: installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
  else
    echo "prereqs: please install: ${need[*]} (Java 17 JDK and Maven 3.8+)" >&2
    exit 1
  fi
fi
