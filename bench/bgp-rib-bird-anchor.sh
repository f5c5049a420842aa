#!/usr/bin/env bash
# Memory anchor for the RIB benchmark (issue 6): BIRD 2 as the target of bgp.md section 3
# (single table, no import table, export none, no kernel export) takes N unique /32s from a
# BIRD tester; we report the target's RSS growth per route and its time to import all N.
# Everything runs in two namespaces this script creates (tabbyb-PID-tgt, tabbyb-PID-tst) and
# deletes on exit; nothing in the root namespace changes. Needs root.
#   bench/bgp-rib-bird-anchor.sh [N]      (default 1000000)
set -euo pipefail
N=${1:-1000000}
cd "$(dirname "$0")/.."
RUN=$(mktemp -d /var/tmp/tabby-bird-anchor.XXXXXX)
TGT=tabbyb-$$-tgt
TST=tabbyb-$$-tst
cleanup() {
  for f in "$RUN"/tst.pid "$RUN"/tgt.pid; do
    [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
  sleep 0.5
  ip netns del "$TGT" 2>/dev/null || true
  ip netns del "$TST" 2>/dev/null || true
  rm -rf "$RUN"
}
trap cleanup EXIT
for ns in "$TGT" "$TST"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip link add t0 netns "$TGT" type veth peer name e0 netns "$TST"
ip -n "$TGT" addr add 198.18.1.1/24 dev t0
ip -n "$TST" addr add 198.18.1.2/24 dev e0
ip -n "$TGT" link set t0 up
ip -n "$TST" link set e0 up

cat > "$RUN/tgt.conf" <<CONF
router id 198.18.0.1;
protocol device {}
protocol kernel { ipv4 { import none; export none; }; }
protocol bgp tst { local 198.18.1.1 as 65000; neighbor 198.18.1.2 as 65001; hold time 240;
  ipv4 { import all; export none; }; }
CONF
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
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
echo "machine: $(nproc) cores, kernel $(uname -r), $(bird --version 2>&1 | head -1); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
ip netns exec "$TGT" taskset -c 1 bird -c "$RUN/tgt.conf" -s "$RUN/tgt.ctl" -P "$RUN/tgt.pid"
sleep 1
TPID=$(cat "$RUN/tgt.pid")
RSS0=$(rss "$TPID")
CPU0=$(awk '{print $14 + $15}' "/proc/$TPID/stat")
T0=$(date +%s.%N)
ip netns exec "$TST" taskset -c 0 bird -c "$RUN/tst.conf" -s "$RUN/tst.ctl" -P "$RUN/tst.pid"
got=0
TF=""
while :; do
  got=$(birdc -s "$RUN/tgt.ctl" show protocols all tst 2>/dev/null | awk '/Routes:/ {print $2; exit}')
  got=${got:-0}
  [ -z "$TF" ] && [ "$got" -gt 0 ] && TF=$(date +%s.%N)
  [ "$got" -ge "$N" ] && break
  if (( $(echo "$(date +%s.%N) - $T0 > 900" | bc) )); then echo "timeout at $got routes" >&2; exit 1; fi
  sleep 0.2
done
T1=$(date +%s.%N)
sleep 2
RSS1=$(rss "$TPID")
CPU1=$(awk '{print $14 + $15}' "/proc/$TPID/stat")
TCK=$(getconf CLK_TCK)
echo "bird target: routes=$got elapsed_s=$(echo "$T1 - $T0" | bc) (from tester start, includes its config parse)" \
  "first_to_all_s=$(echo "$T1 - $TF" | bc) (0.2 s polling)" \
  "cpu_s=$(echo "scale=2; ($CPU1 - $CPU0) / $TCK" | bc) rss_before_kib=$RSS0 rss_after_kib=$RSS1 vmhwm_kib=$(hwm "$TPID")" \
  "bytes_per_route=$(echo "scale=1; ($RSS1 - $RSS0) * 1024 / $got" | bc)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
