#!/usr/bin/env bash
# Policy benchmarks (issue 4): compile+render at scale vs `nft -f`, one-policy incremental
# transaction, iperf3 through the rules of 1,000 policies vs no rules. Needs root (it creates
# its own network namespaces through the test kit and deletes them; the root namespace is
# never touched). Results: docs/benchmarks.md, policy section.
#   bench/policy/run.sh            everything
#   bench/policy/run.sh --no-iperf   skip the throughput part
#   bench/policy/run.sh --only-iperf only the throughput part
#   IPERF_ROUNDS=21 bench/policy/run.sh --only-iperf   more rounds (default 9)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -ntp -q -o -pl policy -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp >/dev/null
JAVA="$(scripts/java-home)/bin/java"
exec "$JAVA" --enable-native-access=ALL-UNNAMED -Xms1g -Xmx1g -Dtabby.iperf.rounds="${IPERF_ROUNDS:-9}" -cp "policy/target/test-classes:policy/target/classes:$(cat policy/target/bench.cp)" \
  io.tabby.policy.bench.PolicyBench "$@"
