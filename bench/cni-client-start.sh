#!/usr/bin/env bash
# Start-up cost of the tabby CNI client against its floor: median wall and CPU (user+sys) of N
# execs each of
#   floor          an empty main() on the install's own jlink'ed runtime, same flags, its own AOT cache
#                  (bench/jvm-floor.sh)
#   version        the installed client, CNI_COMMAND=VERSION (answered without the service)
#   unreachable    the installed client, ADD with no service (code 11)
#   reachable      the installed client, ADD through a socket to a stand-in service that answers at once
#   ptp-version    /usr/lib/cni/ptp VERSION (a Go plugin's start)
# No namespaces and no kernel changes: only a Unix socket in a temporary directory.
# Prerequisites: ./mvnw -B -ntp -pl cni-client -am package -DskipTests
# Usage: bench/cni-client-start.sh [runs (default 60)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-60}
d=$root/cni-client/target/cni-install/tabby.d
jdk=$("$root/scripts/java-home")
[ -x "$d/runtime/bin/java" ] || { echo "missing $d: build cni-client (package) first" >&2; exit 1; }
dir=$(mktemp -d /tmp/tabby-start-XXXXXX)
trap 'exec {fake[1]}>&- 2>/dev/null || true; rm -rf "$dir"' EXIT
floor=$("$root/bench/jvm-floor.sh" "$dir/floor")

coproc fake { "$jdk/bin/java" -cp "$d/tabby-cni-client.jar" "$root/cni-client/src/main/sh/TrainingService.java" "$dir/cni.sock"; }
read -r ready <&"${fake[0]}"
[ "$ready" = ready ] || { echo "stand-in service did not start" >&2; exit 1; }

python3 - "$runs" "$dir" "$root/cni-client/target/cni-install/tabby" "$floor" <<'PY'
import os, resource, statistics, subprocess, sys, time
runs, dir_, tabby, floor = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4].split()
conf = b'{"cniVersion":"1.0.0","name":"n","type":"tabby"}'
base = {"PATH": "/usr/bin:/bin", "CNI_CONTAINERID": "c1", "CNI_NETNS": "/run/netns/x", "CNI_IFNAME": "eth0", "CNI_PATH": "/usr/lib/cni"}
cases = {
    "floor": (floor, dict(base), dir_ + "/floor", {0}),
    "version": ([tabby], dict(base, CNI_COMMAND="VERSION"), None, {0}),
    "unreachable": ([tabby], dict(base, CNI_COMMAND="ADD", TABBY_CNI_SOCKET=dir_ + "/absent.sock"), None, {1}),
    "reachable": ([tabby], dict(base, CNI_COMMAND="ADD", TABBY_CNI_SOCKET=dir_ + "/cni.sock"), None, {0}),
    "ptp-version": (["/usr/lib/cni/ptp"], dict(base, CNI_COMMAND="VERSION"), None, {0}),
}
res = {k: ([], []) for k in cases}
for _ in range(5):
    for k, (argv, env, cwd, ok) in cases.items():
        subprocess.run(argv, input=conf, env=env, cwd=cwd, capture_output=True)
for i in range(runs):  # interleaved, so drifting load hits every case alike
    for k, (argv, env, cwd, ok) in cases.items():
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
        p.stdin.write(conf); p.stdin.close()
        _, status, ru = os.wait4(p.pid, 0)
        wall = (time.perf_counter() - t0) * 1000
        code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            raise SystemExit("%s exited %d" % (k, code))
        res[k][0].append(wall); res[k][1].append((ru.ru_utime + ru.ru_stime) * 1000)
print("| case | runs | wall median ms | CPU median ms |")
print("|---|---|---|---|")
for k, (w, c) in res.items():
    print("| %s | %d | %.1f | %.1f |" % (k, runs, statistics.median(w), statistics.median(c)))
PY
echo "machine: $(nproc) cores, $(uname -r), load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
