#!/usr/bin/env bash
# ADD+DEL latency (median, p99) and pods/s, one at a time and 10 in parallel: tabby (thin client
# -> CNI service, netlink dataplane, in-memory IPAM) against Debian's ptp + host-local, same run,
# same machine, same node namespace. Everything happens in namespaces this script creates
# (tabbyb-<pid>-*), deleted on exit; nothing touches the root namespace. Diagnostic rows: the service
# over its socket without the JVM client, and an empty JVM main exec'd twice per pair (the floor).
# One at a time, the plugins take turns pair by pair (see cni_add_del.py).
#
# Prerequisites: ./mvnw -B -ntp -pl cni-client,felix-like-agent -am package -DskipTests
# Usage: bench/cni-add-del.sh [pairs-per-mode (default 200)] [rounds (default 2)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pairs=${1:-200}
rounds=${2:-2}
install=$root/cni-client/target/cni-install/tabby
jar=$root/felix-like-agent/target/tabby.jar
[ -x "$install" ] || { echo "missing $install: build cni-client (package) first" >&2; exit 1; }
[ -f "$jar" ] || { echo "missing $jar: build felix-like-agent (package) first" >&2; exit 1; }
[ -x /usr/lib/cni/ptp ] || { echo "missing /usr/lib/cni/ptp: apt-get install containernetworking-plugins" >&2; exit 1; }
java=$("$root/scripts/java-home")/bin/java

prefix=tabbyb-$$
dir=$(mktemp -d /tmp/tabby-bench-XXXXXX)
node=$prefix-node
fab=$prefix-fab
svc=""
cleanup() {
  [ -n "$svc" ] && kill "$svc" 2>/dev/null && wait "$svc" 2>/dev/null || true
  for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix-" || true); do ip netns del "$ns" || true; done
  if [ -n "${KEEP:-}" ]; then echo "kept $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT

ip netns add "$node"; ip netns add "$fab"
ip -n "$node" link set lo up
ip -n "$node" link add eth0 type veth peer name n0 netns "$fab"
ip -n "$node" addr add 10.99.0.11/24 dev eth0
ip -n "$node" link set eth0 up; ip -n "$fab" link set n0 up
ip -n "$node" route add default via 10.99.0.1
ip netns exec "$node" sysctl -qw net.ipv4.ip_forward=1
for i in $(seq 0 9); do ip netns add "$prefix-p$i"; done

# The service runs inside the node namespace: its dataplane programs that namespace only.
ip netns exec "$node" "$java" -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -jar "$jar" cni serve --socket "$dir/cni.sock" --node bench \
  --pool 10.244.0.0/16 --host-netns "/run/netns/$node" >"$dir/service.log" 2>&1 &
svc=$!
for _ in $(seq 1 100); do [ -S "$dir/cni.sock" ] && break; sleep 0.1; done
[ -S "$dir/cni.sock" ] || { cat "$dir/service.log"; echo "service did not start" >&2; exit 1; }

floor=$("$root/bench/jvm-floor.sh" "$dir/floor")
ip netns exec "$node" python3 "$root/bench/cni_add_del.py" --prefix "$prefix" --dir "$dir" --tabby "$install" --floor "$floor" \
  --pairs "$pairs" --rounds "$rounds"
echo "machine: $(nproc) cores, $(uname -r), load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
