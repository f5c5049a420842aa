#!/usr/bin/env bash
# Route install+delete benchmark: our batched rtnetlink against `ip -batch`, same routes, same run.
# Needs root (it creates network namespaces with the test kit; nothing in the root namespace
# changes). Results go to docs/benchmarks.md, section "netlink".
#   bench/netlink-routes.sh                 10,000 and 100,000 routes, 3 repetitions each
#   bench/netlink-routes.sh --reps 5 50000  other counts/repetitions
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(./scripts/java-home)
export JAVA_HOME
mkdir -p netlink/target
if ! ./mvnw -B -ntp -q -pl netlink -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/netlink/target/bench.classpath" -Dmdep.includeScope=test >netlink/target/bench-build.log 2>&1; then
  cat netlink/target/bench-build.log >&2
  exit 1
fi
CP="netlink/target/test-classes:netlink/target/classes:$(cat netlink/target/bench.classpath)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r), $(ip -V), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -cp "$CP" io.tabby.netlink.bench.RouteBench "$@"
