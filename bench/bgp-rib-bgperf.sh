#!/usr/bin/env bash
# bgperf-style run on one machine (bgp.md section 3): a BIRD tester injects N unique /32s into the
# target, which passes them to a BIRD monitor; BIRD 2, Tabby (the BgpServer of tabby bgp run,
# configured in code: bgp-speaker/src/jmh/java/io/tabby/bgp/bench/RibTarget.java), FRR 8 bgpd (-Z, no zebra) and
# GoBGP 3 take turns as the target in the same run, same namespace layout, target pinned to
# CPU 1, tester and monitor to CPU 0. TARGETS="bird tabby frr gobgp" (the default) picks them.
# Reports: tester start -> monitor has all N, the monitor's first->all, the withdrawal time (tester
# session disabled -> monitor has 0), the target's CPU (up to all received), RSS and peak RSS.
# Creates namespaces tabbyb-PID-{tgt,tst,mon} per target and deletes them; nothing in the root
# namespace changes. Needs root.
#   bench/bgp-rib-bgperf.sh [N]        (default 100000; TABBY_XMX sets the JVM heap, default 320m)
set -euo pipefail
N=${1:-100000}
cd "$(dirname "$0")/.."
JAVA_HOME=$(./scripts/java-home)
JAVA="$JAVA_HOME/bin/java"
if ! ./mvnw -B -ntp -q -Pjmh -pl bgp-speaker -am -DskipTests package >bgp-speaker/target/bench-build.log 2>&1; then
  cat bgp-speaker/target/bench-build.log >&2
  exit 1
fi
CP="$PWD/bgp-speaker/target/classes:$(cat bgp-speaker/target/jmh.classpath)"
RUN=$(mktemp -d /var/tmp/tabby-bgperf.XXXXXX)
chmod 755 "$RUN" # bgpd runs as user frr and needs to reach its directory
PIDS=()
NSS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for f in "$RUN"/*.pid; do [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 0.5
  for ns in "${NSS[@]:-}"; do [ -n "$ns" ] && ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$RUN"
}
trap cleanup EXIT
python3 - "$N" > "$RUN/tst.conf" <<'PY'
import ipaddress as a, sys
n = int(sys.argv[1])
b = int(a.IPv4Address('100.64.0.0'))
out = ['router id 198.18.1.2;', 'protocol device {}', 'protocol static blast { ipv4;']
out += [f' route {a.IPv4Address(b + i)}/32 blackhole;' for i in range(n)]
out += ['}', 'protocol bgp tgt { local 198.18.1.2 as 65001; neighbor 198.18.1.1 as 65000;',
        ' hold time 240; connect delay time 1; ipv4 { import none; export all; }; }']
print('\n'.join(out))
PY
cat > "$RUN/mon.conf" <<CONF
router id 198.18.2.2;
protocol device {}
protocol bgp tgt { local 198.18.2.2 as 65100; neighbor 198.18.2.1 as 65000; hold time 240;
  ipv4 { import all; export none; }; }
CONF
mkdir -p "$RUN/frr"
cat > "$RUN/frr/bgpd.conf" <<CONF
frr defaults datacenter
hostname tgt
router bgp 65000
 bgp router-id 198.18.0.1
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor 198.18.1.2 remote-as 65001
 neighbor 198.18.1.2 timers 80 240
 neighbor 198.18.1.2 disable-connected-check
 neighbor 198.18.2.2 remote-as 65100
 neighbor 198.18.2.2 timers 80 240
 neighbor 198.18.2.2 disable-connected-check
 address-family ipv4 unicast
  neighbor 198.18.1.2 activate
  neighbor 198.18.2.2 activate
 exit-address-family
CONF
chown -R frr:frr "$RUN/frr"
cat > "$RUN/gobgp.toml" <<CONF
[global.config]
  as = 65000
  router-id = "198.18.0.1"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "198.18.1.2"
    peer-as = 65001
  [neighbors.timers.config]
    hold-time = 240
[[neighbors]]
  [neighbors.config]
    neighbor-address = "198.18.2.2"
    peer-as = 65100
  [neighbors.timers.config]
    hold-time = 240
CONF
cat > "$RUN/tgt.conf" <<CONF
router id 198.18.0.1;
protocol device {}
protocol kernel { ipv4 { import none; export none; }; }
protocol bgp tst { local 198.18.1.1 as 65000; neighbor 198.18.1.2 as 65001; hold time 240;
  ipv4 { import all; export none; }; }
protocol bgp mon { local 198.18.2.1 as 65000; neighbor 198.18.2.2 as 65100; hold time 240;
  ipv4 { import none; export all; }; }
CONF
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
count() { birdc -s "$1" show protocols all "$2" 2>/dev/null | awk '/Routes:/ {print $2; exit}'; }
echo "machine: $(nproc) cores, kernel $(uname -r), $(bird --version 2>&1 | head -1), $("$JAVA" -version 2>&1 | head -1)"
for target in ${TARGETS:-bird tabby frr gobgp}; do
  TGT=tabbyb-$$-$target-tgt; TST=tabbyb-$$-$target-tst; MON=tabbyb-$$-$target-mon
  for ns in "$TGT" "$TST" "$MON"; do ip netns add "$ns"; NSS+=("$ns"); ip -n "$ns" link set lo up; done
  ip link add t0 netns "$TGT" type veth peer name e0 netns "$TST"
  ip link add m0 netns "$TGT" type veth peer name e0 netns "$MON"
  ip -n "$TGT" addr add 198.18.1.1/24 dev t0; ip -n "$TST" addr add 198.18.1.2/24 dev e0
  ip -n "$TGT" addr add 198.18.2.1/24 dev m0; ip -n "$MON" addr add 198.18.2.2/24 dev e0
  for l in "$TGT t0" "$TGT m0" "$TST e0" "$MON e0"; do set -- $l; ip -n "$1" link set "$2" up; done
  echo "--- target $target, N=$N, load $(cut -d' ' -f1-3 /proc/loadavg)"
  ip netns exec "$MON" taskset -c 0 bird -c "$RUN/mon.conf" -s "$RUN/$target-mon.ctl" -P "$RUN/$target-mon.pid"
  if [ "$target" = bird ]; then
    ip netns exec "$TGT" taskset -c 1 bird -c "$RUN/tgt.conf" -s "$RUN/tgt.ctl" -P "$RUN/bird-tgt.pid"
    sleep 1; TPID=$(cat "$RUN/bird-tgt.pid")
  elif [ "$target" = frr ]; then
    ip netns exec "$TGT" taskset -c 1 /usr/lib/frr/bgpd -Z -f "$RUN/frr/bgpd.conf" -i "$RUN/frr/bgpd.pid" \
      --vty_socket "$RUN/frr" -P 0 > "$RUN/frr/bgpd.out" 2>&1 &
    TPID=$!; PIDS+=("$TPID"); sleep 2
  elif [ "$target" = gobgp ]; then
    ip netns exec "$TGT" taskset -c 1 gobgpd -f "$RUN/gobgp.toml" -t toml -l warn --pprof-disable \
      --api-hosts=127.0.0.1:50051 > "$RUN/gobgpd.out" 2>&1 &
    TPID=$!; PIDS+=("$TPID"); sleep 2
  else
    taskset -c 1 "$JAVA" -Xmx"${TABBY_XMX:-320m}" -cp "$CP" io.tabby.bgp.bench.RibTarget "/run/netns/$TGT" "$N" > "$RUN/tabby.out" 2>&1 &
    TPID=$!; PIDS+=("$TPID")
    for _ in $(seq 100); do grep -q "target ready" "$RUN/tabby.out" && break; sleep 0.2; done
    sleep 2 # sessions to the monitor come up
  fi
  if ! kill -0 "$TPID" 2>/dev/null; then
    echo "target=$target did not start:" >&2; cat "$RUN"/frr/bgpd.out "$RUN"/gobgpd.out "$RUN"/tabby.out 2>/dev/null >&2 || true
    exit 1
  fi
  RSS0=$(rss "$TPID"); CPU0=$(cpu "$TPID")
  T0=$(date +%s.%N)
  ip netns exec "$TST" taskset -c 0 bird -c "$RUN/tst.conf" -s "$RUN/$target-tst.ctl" -P "$RUN/$target-tst.pid"
  TF=""
  while :; do
    got=$(count "$RUN/$target-mon.ctl" tgt); got=${got:-0}
    [ -z "$TF" ] && [ "$got" -gt 0 ] && TF=$(date +%s.%N)
    [ "$got" -ge "$N" ] && break
    if (( $(echo "$(date +%s.%N) - $T0 > 600" | bc) )); then
      echo "target=$target timeout after 600 s with $got routes at the monitor" >&2; got=-1; break
    fi
    sleep 0.2
  done
  T1=$(date +%s.%N)
  RSS1=$(rss "$TPID"); CPU1=$(cpu "$TPID")
  TCK=$(getconf CLK_TCK)
  # Withdrawal phase (bgp.md 3.5): the tester's session goes down; time until the monitor has 0.
  birdc -s "$RUN/$target-tst.ctl" disable tgt >/dev/null
  W0=$(date +%s.%N)
  while :; do
    left=$(count "$RUN/$target-mon.ctl" tgt); left=${left:-0}
    [ "$left" -eq 0 ] && break
    if (( $(echo "$(date +%s.%N) - $W0 > 600" | bc) )); then echo "target=$target withdrawal timeout, $left left" >&2; break; fi
    sleep 0.2
  done
  W1=$(date +%s.%N)
  echo "target=$target routes_at_monitor=$got tester_start_to_monitor_all_s=$(echo "$T1 - $T0" | bc)" \
    "monitor_first_to_all_s=$(echo "$T1 - $TF" | bc) withdraw_s=$(echo "$W1 - $W0" | bc)" \
    "target_cpu_s=$(echo "scale=2; ($CPU1 - $CPU0) / $TCK" | bc) target_rss_before_kib=$RSS0 target_rss_after_kib=$RSS1" \
    "target_vmhwm_kib=$(awk '/^VmHWM/ {print $2}' "/proc/$TPID/status") rss_bytes_per_route=$(echo "scale=1; ($RSS1 - $RSS0) * 1024 / $N" | bc)"
  [ "$target" = tabby ] && for _ in $(seq 50); do grep -q "^target has all" "$RUN/tabby.out" && break; sleep 0.2; done
  [ "$target" = tabby ] && { echo "tabby -Xmx${TABBY_XMX:-320m}"; grep "^target" "$RUN/tabby.out"; } || true
  for f in "$RUN"/$target-*.pid "$RUN"/bird-tgt.pid; do [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; done
  [ "$target" != bird ] && kill "$TPID" 2>/dev/null || true
  sleep 1
  for ns in "$TGT" "$TST" "$MON"; do ip netns del "$ns"; done
  NSS=()
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
