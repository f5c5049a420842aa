#!/usr/bin/env bash
# RIB core benchmark (issue 6): 1M IPv4 routes from a tester through import, best path, export to
# a monitor and UPDATE packing, in one JVM without sockets. Two parts:
#   1. retained heap per route (RibMemory: used heap after full GC, before vs after, / N)
#   2. JMH single-shot insert time (RibInsertBench) -> routes/s, and the time to withdraw them
#      all again (RibWithdrawBench)
# Results go to docs/benchmarks.md, section "issue 6". Needs no root and touches no network.
#   bench/bgp-rib.sh              memory for 1M routes x {1, 1000, 100000} attribute sets, then JMH
#   bench/bgp-rib.sh memory       memory only
#   bench/bgp-rib.sh jmh [ARGS]   JMH only (extra JMH arguments passed through, e.g. -p attrSets=1000;
#                                 BENCH=RibWithdrawBench picks one benchmark class)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(./scripts/java-home)
export JAVA_HOME
mkdir -p bgp-speaker/target
# -Pjmh (shared with bench/bgp-codec.sh) compiles src/jmh/java and writes target/jmh.classpath.
if ! ./mvnw -B -ntp -q -Pjmh -pl bgp-speaker -am -DskipTests package >bgp-speaker/target/bench-build.log 2>&1; then
  cat bgp-speaker/target/bench-build.log >&2
  exit 1
fi
# Runtime classpath only: no SLF4J binding, so the RIB logs nothing during the runs.
CP="bgp-speaker/target/classes:$(cat bgp-speaker/target/jmh.classpath)"
JAVA="$JAVA_HOME/bin/java"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r), $("$JAVA" -version 2>&1 | head -1)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
what=${1:-all}
[ $# -gt 0 ] && shift
if [ "$what" = all ] || [ "$what" = memory ]; then
  for sets in 1 1000 100000; do
    for mode in locrib monitor fib; do
      "$JAVA" -Xms3g -Xmx3g -cp "$CP" io.tabby.bgp.bench.RibMemory 1000000 "$sets" "$mode"
    done
  done
fi
if [ "$what" = all ] || [ "$what" = jmh ]; then
  "$JAVA" -cp "$CP" org.openjdk.jmh.Main "${BENCH:-RibInsertBench|RibWithdrawBench}" "$@"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
