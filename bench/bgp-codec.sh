#!/bin/sh
# JMH benchmark of the bgp-speaker UPDATE codec (docs/benchmarks.md, "bgp-speaker: UPDATE codec").
# Usage: bench/bgp-codec.sh [JMH options], e.g. bench/bgp-codec.sh -p prefixes=800 -f 1
set -e
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q -Pjmh -pl bgp-speaker -am -DskipTests package
M=bgp-speaker/target
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
exec taskset -c 1 "$JAVA" -Xms1g -Xmx1g -cp "$M/classes:$(cat $M/jmh.classpath)" org.openjdk.jmh.Main UpdateCodecBenchmark "$@"
