#!/usr/bin/env bash
# bgperf-style run on one machine (bgp.md section 3): a pre-encoded UPDATE blaster
# (bench/bgp_blaster.py) injects N unique /32s into the target, which passes them to a BIRD
# monitor; BIRD 2, Tabby (the BgpServer that `tabby bgp run` runs, configured in code:
# bgp-speaker/src/jmh/java/io/tabby/bgp/bench/RibTarget.java), FRR 8 bgpd (-Z, no zebra) and
# GoBGP 3 take turns as the target in the same run, same namespace layout, target pinned to CPU 1,
# blaster, monitor and the polling to CPU 0. Two calibration "targets" come first (bgp.md 3.5):
#   null    the blaster into a null sink (reads and counts, no RIB; pinned to CPU 1): the injector's ceiling
#   direct  the blaster straight into a BIRD monitor (CPU 0): the injector + monitor ceiling
# TARGETS="null direct bird tabby frr gobgp" (the default) picks them; "tabby-c1" is Tabby with
# the JIT limited to C1 (-XX:TieredStopAtLevel=1: less compilation during a cold burst);
# "tabby-warm" is Tabby with its JIT warm-up (warmUp in the speaker's config: WARM=ROUTESxROUNDS,
# default 100000x3) run before its sessions open, which start_to_established_s then includes;
# "tabby-train" is a Tabby run that exits after the withdrawals and writes a JDK AOT cache
# (-XX:AOTCacheOutput, JEPs 483/514/515: classes loaded and linked, method profiles), which a later
# "tabby-aot" starts from (-XX:AOTCache): e.g. TARGETS="bird tabby-train tabby-aot" (CYCLES=1);
# "tabby-aot-eager" is tabby-aot with -XX:+AOTCompileEagerly (compile what the cache has profiles
# for as early as possible).
# Reports per target: convergence = blaster's first UPDATE written -> monitor has all N;
# withdrawal = first withdrawal UPDATE written -> monitor has 0; the target's CPU (utime+stime) for
# each phase, RSS before/after and peak RSS (VmHWM); the blaster's and monitor's CPU (the monitor's
# for the withdrawal too: its share of a withdrawal's time); load average.
# For Tabby also its CPU by thread over the convergence and over the withdrawal, and the retained
# heap per route (used heap after a full GC with the routes held minus before the first, via jcmd).
# Creates namespaces tabbyb-PID-* per target and deletes them; nothing in the root namespace
# changes. Needs root.
#   bench/bgp-rib-bgperf.sh [N]
# Environment: TABBY_JVM (JVM flags, default below), TIMEOUT (s per phase, default 600),
# POLL (s between monitor polls, default 0.05), SKIP_BUILD=1 (use the classes already built),
# CYCLES (announce + withdraw cycles on one session per target, default 2: cycle 1 meets a cold
# target, cycle 2 the same process warm, bgp.md 3.3 "cold three times and once warm"; the
# tabby-train target needs CYCLES=1), SCENARIO (below).
# SCENARIO=overlap (bgp.md 3.7 item 7: the same prefixes from two testers, so best path decides):
# a second blaster (namespace tst2, 198.18.3.2, AS 65002, AS_PATH "65002 65002") peers with the
# target too, and each cycle has four phases: "worse" = the second blaster announces the N
# prefixes (-> the monitor has N); "better" = the first one (AS_PATH "65001") announces them too,
# so every best path changes (-> the monitor has taken N more route updates: BIRD's "Import
# updates ... accepted" counter); "failover" = the first one withdraws them, so every prefix falls
# back to the second path (-> N more updates); "withdraw" = the second one withdraws (-> 0). Each
# phase is timed from its blaster's first message. Targets bird, tabby*, frr (not gobgp, which
# would send each tester the other's routes; nor the calibration targets).
set -euo pipefail
N=${1:-100000}
cd "$(dirname "$0")/.."
JAVA_HOME=$(./scripts/java-home)
JAVA="$JAVA_HOME/bin/java"
mkdir -p bgp-speaker/target
if [ -z "${SKIP_BUILD:-}" ] && ! ./mvnw -B -ntp -q -Pjmh -pl bgp-speaker -am -DskipTests package >bgp-speaker/target/bench-build.log 2>&1; then
  cat bgp-speaker/target/bench-build.log >&2
  exit 1
fi
RUN=$(mktemp -d /var/tmp/tabby-bgperf.XXXXXX)
# The classes as a jar: a JDK AOT cache (tabby-train/tabby-aot) accepts only jars on the class path.
"$JAVA_HOME/bin/jar" cf "$RUN/tabby-bench.jar" -C bgp-speaker/target/classes .
CP="$RUN/tabby-bench.jar:$(cat bgp-speaker/target/jmh.classpath)"
chmod 755 "$RUN" # bgpd runs as user frr and needs to reach its directory
PIDS=()
NSS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for f in "$RUN"/*.pid; do [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 0.5
  for ns in "${NSS[@]:-}"; do [ -n "$ns" ] && ip netns del "$ns" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] && echo "kept $RUN" >&2 || rm -rf "$RUN"
}
trap cleanup EXIT
# A BIRD that only receives (the monitor, and the "direct" calibration target): ID, LOCAL AS, PEER.
receiver_conf() {
  printf 'router id %s;\nprotocol device {}\nprotocol bgp tgt { local %s as %s; neighbor %s as %s; hold time 240;\n  ipv4 { import all; export none; }; }\n' \
    "$1" "$1" "$2" "$3" "$4"
}
receiver_conf 198.18.2.2 65100 198.18.2.1 65000 > "$RUN/mon.conf"
receiver_conf 198.18.1.1 65000 198.18.1.2 65001 > "$RUN/direct.conf"
mkdir -p "$RUN/frr"
SCENARIO=${SCENARIO:-unique}
case $SCENARIO in unique|overlap) ;; *) echo "SCENARIO must be unique or overlap, got $SCENARIO" >&2; exit 2 ;; esac
OVERLAP=""; [ "$SCENARIO" = overlap ] && OVERLAP=1
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
${OVERLAP:+ neighbor 198.18.3.2 remote-as 65002
 neighbor 198.18.3.2 timers 80 240
 neighbor 198.18.3.2 disable-connected-check}
 address-family ipv4 unicast
  neighbor 198.18.1.2 activate
  neighbor 198.18.2.2 activate
${OVERLAP:+  neighbor 198.18.3.2 activate
  neighbor 198.18.1.2 route-map NONE out
  neighbor 198.18.3.2 route-map NONE out}
 exit-address-family
${OVERLAP:+route-map NONE deny 10}
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
[ -n "$OVERLAP" ] && cat >> "$RUN/tgt.conf" <<CONF
protocol bgp tst2 { local 198.18.3.1 as 65000; neighbor 198.18.3.2 as 65002; hold time 240;
  ipv4 { import all; export none; }; }
CONF
# Serial GC: the target has one core, where a concurrent collector would only compete with the
# event loop. A fixed 160 MB heap (-Xms = -Xmx: no resizing collections during the burst) holds the
# 1M-route table (~55 MB retained) with room for the young generation; RSS is then about the JVM's
# own ~95 MB plus the heap pages touched. The overlap scenario's two paths per prefix fit in the
# same heap: prefixes with the same two paths share one entry (LocRib), so the second path costs
# no memory per prefix (docs/benchmarks.md). An OutOfMemoryError ends the process, so it shows as
# the target dying, not as a timeout.
HEAP=160m
TABBY_JVM=${TABBY_JVM:--XX:+UseSerialGC -Xms$HEAP -Xmx$HEAP -XX:+ExitOnOutOfMemoryError}
TIMEOUT=${TIMEOUT:-600}
CYCLES=${CYCLES:-2}
POLL=${POLL:-0.05}
TCK=$(getconf CLK_TCK)
now() { date +%s.%N; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
threads() { # one line per thread: tid name(no spaces) utime+stime ticks
  for t in /proc/"$1"/task/*; do
    awk -v tid="${t##*/}" '{sub(/^[^(]*\(/, ""); n = substr($0, 1, index($0, ") ") - 1); gsub(/ /, "_", n);
      split(substr($0, index($0, ") ") + 2), g, " "); print tid, n, g[12] + g[13]}' "$t/stat"
  done
}
secs() { echo "scale=2; ($2 - $1) / $TCK" | bc; }
birdc0() { taskset -c 0 birdc -s "$@" 2>/dev/null; }
count() { birdc0 "$1" show protocols all "$2" | awk '/Routes:/ {print $2; exit}'; }
updates() { birdc0 "$1" show protocols all "$2" | awk '/Import updates:/ {print $NF; exit}'; } # accepted
mark() { grep -o "$2=[0-9.]*" "$1" | head -1 | cut -d= -f2; }
waitfor() { # waitfor FILE REGEX: up to 60 s
  for _ in $(seq 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1:" >&2; cat "$1" >&2; exit 1
}
heap_used() { # used heap in KiB after a full GC (jcmd GC.run, then GC.heap_info's total "used")
  "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null
  "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info | awk '/used/ && !/Metaspace|class space/ {for (i = 1; i <= NF; i++) if ($i == "used") {sub("K,?", "", $(i+1)); s += $(i+1)}} END {print s}'
}
# poll COUNTER: prints the time the counter reached the wanted value (phase "all": >= N; "none": 0)
poll() {
  local phase=$1 t0 got
  t0=$(now)
  while :; do
    if [ "$target" = null ]; then
      grep -q "sink_$([ "$phase" = all ] && echo all || echo withdrawn)_$cycle=" "$RUN/sink.out" && { now; return; }
    else
      if [ "$phase" = updates ]; then # poll updates WANTED: the monitor has accepted WANTED route updates in all
        got=$(updates "$CTL" tgt); got=${got:-0}
        if [ "$got" -ge "$2" ]; then now; return; fi
      else
        got=$(count "$CTL" tgt); got=${got:-0}
        if [ "$phase" = all ] && [ "$got" -ge "$N" ]; then now; return; fi
        if [ "$phase" = none ] && [ "$got" -eq 0 ]; then now; return; fi
      fi
    fi
    if (( $(echo "$(now) - $t0 > $TIMEOUT" | bc) )); then
      echo "target=$target phase=$phase TIMEOUT after $TIMEOUT s with ${got:-?} routes at the monitor" >&2; echo timeout; return
    fi
    sleep "$POLL"
  done
}
# One phase of an overlap cycle: touch FILE, wait for the monitor (poll ARGS...), and add the phase's
# time (from KEY's mark in the blaster's output MARKS) and the target's CPU to OUT.
overlap_phase() { # NAME FILE MARKS KEY POLL-ARGS...
  local name=$1 file=$2 marks=$3 key=$4 c0 t1
  shift 4
  threads "$TPID" > "$RUN/threads0"
  c0=$(cpu "$TPID")
  touch "$file"
  t1=$(poll "$@")
  if [ "$t1" = timeout ]; then OUT+=" ${name}_s=timeout"; return 1; fi
  OUT+=" ${name}_s=$(echo "$t1 - $(mark "$marks" "$key")" | bc) ${name}_cpu_s=$(secs "$c0" "$(cpu "$TPID")")"
  PHASE_THREADS+="${PHASE_THREADS:+; }$name: $(thread_cpu)"
}
thread_cpu() { # CPU s by thread name since threads0, for the threads that used 0.01 s or more
  threads "$TPID" | awk -v tck="$TCK" 'NR == FNR {b[$1] = $3; next} {c[$2] += ($3 - b[$1]) / tck}
    END {for (n in c) if (c[n] >= 0.01) printf "%s=%.2f\n", n, c[n]}' "$RUN/threads0" - | sort -t= -k2 -rn | tr '\n' ' '
}
overlap_cycle() {
  local u0 OUT="" PHASE_THREADS=""
  overlap_phase worse "$RUN/go2.$cycle" "$RUN/blast2-$target.out" "first_update_$cycle" all &&
    u0=$(updates "$CTL" tgt) &&
    overlap_phase better "$RUN/go.$cycle" "$RUN/blast-$target.out" "first_update_$cycle" updates $((u0 + N)) &&
    overlap_phase failover "$RUN/withdraw.$cycle" "$RUN/blast-$target.out" "withdraw_first_$cycle" updates $((u0 + 2 * N)) &&
    overlap_phase withdraw "$RUN/withdraw2.$cycle" "$RUN/blast2-$target.out" "withdraw_first_$cycle" none
  local ok=$?
  echo "target=$target N=$N cycle=$cycle scenario=overlap load_at_start=\"$LOAD\"$OUT target_peak_rss_kib=$(hwm "$TPID")" \
    "monitor_updates_accepted=$(updates "$CTL" tgt)"
  [ "${target#tabby}" != "$target" ] && echo "tabby CPU s by thread, cycle $cycle: $PHASE_THREADS"
  return $ok
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)," \
  "$(bird --version 2>&1 | head -1), FRR $(/usr/lib/frr/bgpd --version 2>/dev/null | head -1 | awk '{print $NF}')," \
  "$(gobgpd --version 2>&1 | head -1), $("$JAVA" -version 2>&1 | head -1); Tabby JVM: $TABBY_JVM; commit $(git rev-parse --short HEAD)"
for target in ${TARGETS:-null direct bird tabby frr gobgp}; do
  if [ -n "$OVERLAP" ] && { [ "$target" = null ] || [ "$target" = direct ] || [ "$target" = gobgp ]; }; then
    # GoBGP applies export policies per neighbour only to route-server clients: it would send
    # each tester the other's routes, which the other targets do not (bgp.md 3.7 item 3).
    echo "target=$target is not run in the overlap scenario" >&2; continue
  fi
  TGT=tabbyb-$$-$target-tgt; TST=tabbyb-$$-$target-tst; MON=tabbyb-$$-$target-mon; TS2=tabbyb-$$-$target-ts2
  for ns in "$TGT" "$TST" "$MON" ${OVERLAP:+"$TS2"}; do ip netns add "$ns"; NSS+=("$ns"); ip -n "$ns" link set lo up; done
  ip link add t0 netns "$TGT" type veth peer name e0 netns "$TST"
  ip link add m0 netns "$TGT" type veth peer name e0 netns "$MON"
  ip -n "$TGT" addr add 198.18.1.1/24 dev t0; ip -n "$TST" addr add 198.18.1.2/24 dev e0
  ip -n "$TGT" addr add 198.18.2.1/24 dev m0; ip -n "$MON" addr add 198.18.2.2/24 dev e0
  for l in "$TGT t0" "$TGT m0" "$TST e0" "$MON e0"; do set -- $l; ip -n "$1" link set "$2" up; done
  if [ -n "$OVERLAP" ]; then
    ip link add t1 netns "$TGT" type veth peer name e0 netns "$TS2"
    ip -n "$TGT" addr add 198.18.3.1/24 dev t1; ip -n "$TS2" addr add 198.18.3.2/24 dev e0
    ip -n "$TGT" link set t1 up; ip -n "$TS2" link set e0 up
  fi
  LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
  rm -f "$RUN"/go.* "$RUN"/withdraw.*
  ip netns exec "$TST" taskset -c 0 python3 bench/bgp_blaster.py blast 198.18.1.2 "$N" "$RUN/go" "$RUN/withdraw" "$CYCLES" \
    > "$RUN/blast-$target.out" 2>&1 &
  BPID=$!; PIDS+=("$BPID")
  waitfor "$RUN/blast-$target.out" '^listening'
  if [ -n "$OVERLAP" ]; then
    rm -f "$RUN"/go2.* "$RUN"/withdraw2.*
    ip netns exec "$TS2" taskset -c 0 python3 bench/bgp_blaster.py blast 198.18.3.2 "$N" "$RUN/go2" "$RUN/withdraw2" "$CYCLES" 65002 2 \
      > "$RUN/blast2-$target.out" 2>&1 &
    B2PID=$!; PIDS+=("$B2PID")
    waitfor "$RUN/blast2-$target.out" '^listening'
  fi
  MPID=""; CTL="$RUN/$target-mon.ctl"
  if [ "$target" != null ] && [ "$target" != direct ]; then
    ip netns exec "$MON" taskset -c 0 bird -c "$RUN/mon.conf" -s "$CTL" -P "$RUN/$target-mon.pid"
    sleep 0.3; MPID=$(cat "$RUN/$target-mon.pid")
  fi
  TSTART=$(now)
  case $target in
    null)
      ip netns exec "$TGT" taskset -c 1 python3 bench/bgp_blaster.py sink 198.18.1.1 198.18.1.2 "$N" "$CYCLES" > "$RUN/sink.out" 2>&1 &
      TPID=$!; PIDS+=("$TPID") ;;
    direct)
      CTL="$RUN/direct.ctl"
      ip netns exec "$TGT" taskset -c 0 bird -c "$RUN/direct.conf" -s "$CTL" -P "$RUN/direct.pid"
      sleep 0.3; TPID=$(cat "$RUN/direct.pid") ;;
    bird)
      ip netns exec "$TGT" taskset -c 1 bird -c "$RUN/tgt.conf" -s "$RUN/tgt.ctl" -P "$RUN/bird-tgt.pid"
      sleep 0.3; TPID=$(cat "$RUN/bird-tgt.pid") ;;
    frr)
      ip netns exec "$TGT" taskset -c 1 /usr/lib/frr/bgpd -Z -f "$RUN/frr/bgpd.conf" -i "$RUN/frr/bgpd.pid" \
        --vty_socket "$RUN/frr" -P 0 > "$RUN/frr/bgpd.out" 2>&1 &
      TPID=$!; PIDS+=("$TPID") ;;
    gobgp)
      ip netns exec "$TGT" taskset -c 1 gobgpd -f "$RUN/gobgp.toml" -t toml -l warn --pprof-disable \
        --api-hosts=127.0.0.1:50051 > "$RUN/gobgpd.out" 2>&1 &
      TPID=$!; PIDS+=("$TPID") ;;
    tabby*)
      JVM="$TABBY_JVM"; TRAIN=""; WARMARG=""
      case $target in
        tabby-c1) JVM="$JVM -XX:TieredStopAtLevel=1" ;;
        tabby-train) JVM="$JVM -XX:AOTCacheOutput=$RUN/tabby.aot"; TRAIN=train ;;
        tabby-aot) JVM="$JVM -XX:AOTCache=$RUN/tabby.aot" ;;
        tabby-warm) WARMARG="warm=${WARM:-100000x3}" ;;
        tabby-aot-eager) JVM="$JVM -XX:AOTCache=$RUN/tabby.aot -XX:+UnlockExperimentalVMOptions -XX:+AOTCompileEagerly" ;;
      esac
      # shellcheck disable=SC2086
      taskset -c 1 "$JAVA" $JVM -cp "$CP" io.tabby.bgp.bench.RibTarget "/run/netns/$TGT" "$N" $TRAIN $WARMARG ${OVERLAP:+overlap} > "$RUN/tabby.out" 2>&1 &
      TPID=$!; PIDS+=("$TPID") ;;
  esac
  waitfor "$RUN/blast-$target.out" '^established='
  [ -n "$OVERLAP" ] && waitfor "$RUN/blast2-$target.out" '^established='
  if [ -n "$MPID" ]; then
    for _ in $(seq 600); do birdc0 "$CTL" show protocols tgt | grep -q Established && break; sleep 0.1; done
  fi
  sleep 1 # let a fresh target settle (JVM start-up compilation, FRR/GoBGP timers)
  if ! kill -0 "$TPID" 2>/dev/null; then
    echo "target=$target died:" >&2; cat "$RUN"/frr/bgpd.out "$RUN"/gobgpd.out "$RUN"/tabby.out 2>/dev/null >&2 || true
    exit 1
  fi
  HEAP0=""; [ "${target#tabby}" != "$target" ] && HEAP0=$(heap_used "$TPID")
  for cycle in $(seq "$CYCLES"); do
    if [ -n "$OVERLAP" ]; then
      overlap_cycle || break
      continue
    fi
    threads "$TPID" > "$RUN/threads0"
    RSS0=$(rss "$TPID"); CPU0=$(cpu "$TPID"); BCPU0=$(cpu "$BPID"); MCPU0=${MPID:+$(cpu "$MPID")}
    touch "$RUN/go.$cycle"
    T1=$(poll all)
    RSS1=$(rss "$TPID"); CPU1=$(cpu "$TPID"); BCPU1=$(cpu "$BPID"); MCPU1=${MPID:+$(cpu "$MPID")}
    # Per-thread CPU over the convergence phase (JIT compiler, GC, event loop) for the profile notes.
    THREADS=$(thread_cpu)
    T0=$(mark "$RUN/blast-$target.out" "first_update_$cycle")
    TW=$(mark "$RUN/blast-$target.out" "all_written_$cycle")
    HEAPLINE=""
    if [ "$cycle" = 1 ] && [ "${target#tabby}" != "$target" ] && [ "$T1" != timeout ]; then
      HEAP1=$(heap_used "$TPID")
      HEAPLINE="tabby_heap_used_kib_before=$HEAP0 after=$HEAP1 retained_heap_bytes_per_route=$(echo "scale=1; ($HEAP1 - $HEAP0) * 1024 / $N" | bc)"
    fi
    threads "$TPID" > "$RUN/threads0"
    CPU1b=$(cpu "$TPID"); MCPU1b=${MPID:+$(cpu "$MPID")}
    touch "$RUN/withdraw.$cycle"
    W1=$(poll none)
    CPU2=$(cpu "$TPID"); MCPU2=${MPID:+$(cpu "$MPID")}
    WTHREADS=$(thread_cpu)
    W0=$(mark "$RUN/blast-$target.out" "withdraw_first_$cycle")
    conv=timeout; wd=timeout
    [ "$T1" != timeout ] && conv=$(echo "$T1 - $T0" | bc)
    [ "$W1" != timeout ] && [ -n "$W0" ] && wd=$(echo "$W1 - $W0" | bc)
    echo "target=$target N=$N cycle=$cycle load_at_start=\"$LOAD\" start_to_established_s=$(echo "$(mark "$RUN/blast-$target.out" established) - $TSTART" | bc) convergence_s=$conv blaster_wrote_all_s=$(echo "$TW - $T0" | bc)" \
      "withdrawal_s=$wd target_cpu_converge_s=$(secs "$CPU0" "$CPU1") target_cpu_withdraw_s=$(secs "$CPU1b" "$CPU2")" \
      "target_rss_before_kib=$RSS0 target_rss_after_kib=$RSS1 target_peak_rss_kib=$(hwm "$TPID")" \
      "rss_growth_bytes_per_route=$(echo "scale=1; ($RSS1 - $RSS0) * 1024 / $N" | bc)" \
      "blaster_cpu_s=$(secs "$BCPU0" "$BCPU1")${MPID:+ monitor_cpu_s=$(secs "$MCPU0" "$MCPU1") monitor_cpu_withdraw_s=$(secs "$MCPU1b" "$MCPU2")} $HEAPLINE"
    if [ "${target#tabby}" != "$target" ]; then
      grep "^target has all routes=[0-9]* cycle=$cycle \|^warm-up" "$RUN/tabby.out" || true
      echo "tabby CPU s by thread, first UPDATE -> monitor has all: $THREADS"
      echo "tabby CPU s by thread, first withdrawal -> monitor has none: $WTHREADS"
    fi
    [ "$T1" = timeout ] || [ "$W1" = timeout ] && break
  done
  if [ "$target" = tabby-train ]; then # it exits by itself and writes the AOT cache on the way out
    for _ in $(seq 600); do kill -0 "$TPID" 2>/dev/null || break; sleep 0.2; done
    ls -la "$RUN/tabby.aot" || { echo "no AOT cache written:" >&2; cat "$RUN/tabby.out" >&2; }
  fi
  kill "$BPID" 2>/dev/null || true
  [ -n "$OVERLAP" ] && { kill "$B2PID" 2>/dev/null || true; }
  for f in "$RUN"/$target-*.pid "$RUN"/bird-tgt.pid "$RUN"/direct.pid; do [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; done
  case $target in bird|direct) ;; *) kill "$TPID" 2>/dev/null || true ;; esac
  sleep 1
  for ns in "$TGT" "$TST" "$MON" ${OVERLAP:+"$TS2"}; do ip netns del "$ns"; done
  NSS=()
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
