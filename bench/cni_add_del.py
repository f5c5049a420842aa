#!/usr/bin/env python3
"""Driver for bench/cni-add-del.sh: runs inside the node namespace, execs the plugins as a runtime would."""
import argparse, json, os, socket, statistics, struct, subprocess, time
from concurrent.futures import ThreadPoolExecutor

ap = argparse.ArgumentParser()
ap.add_argument("--prefix"); ap.add_argument("--dir"); ap.add_argument("--tabby")
ap.add_argument("--floor", help="command line of an empty JVM main (bench/jvm-floor.sh), run from <dir>/floor")
ap.add_argument("--pairs", type=int); ap.add_argument("--rounds", type=int)
a = ap.parse_args()

PTP = {"cniVersion": "1.0.0", "name": "benchnet", "type": "ptp", "ipMasq": False,
       "ipam": {"type": "host-local", "dataDir": a.dir + "/host-local",
                "ranges": [[{"subnet": "10.250.0.0/16"}]], "routes": [{"dst": "0.0.0.0/0"}]}}
TABBY = {"cniVersion": "1.0.0", "name": "k8s-pod-network", "type": "tabby"}
PLUGINS = {"ptp+host-local": ("/usr/lib/cni/ptp", json.dumps(PTP).encode(), {}),
           "tabby": (a.tabby, json.dumps(TABBY).encode(), {"TABBY_CNI_SOCKET": a.dir + "/cni.sock"}),
           # The same service, called over its socket by this driver instead of the JVM client: what a
           # native client would cost. Not a plugin a runtime can exec; a diagnostic row.
           "tabby-socket-only": (None, json.dumps(TABBY).encode(), {}),
           # An empty main() on the same jlink'ed runtime, same flags, its own AOT cache, exec'd for ADD
           # and for DEL: the least any JVM client can cost. Does no networking; a diagnostic row.
           "jvm-floor": ("floor", b"{}", {})}

def wire_call(env, stdin):
    """cni-client's Wire protocol (io.tabby.cni.client.Wire), spoken directly."""
    def b(x):
        return struct.pack(">I", len(x)) + x
    req = b"TCNI\x01" + struct.pack(">I", len(env)) + b"".join(b(k.encode()) + b(v.encode()) for k, v in env.items()) + b(stdin)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(a.dir + "/cni.sock")
        s.sendall(req)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    code = struct.unpack(">I", data[5:9])[0]
    n = struct.unpack(">I", data[9:13])[0]
    return code, data[13:13 + n]

def call(plugin, cmd, cid, slot):
    exe, conf, extra = PLUGINS[plugin]
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "CNI_COMMAND": cmd, "CNI_CONTAINERID": cid,
           "CNI_NETNS": "/run/netns/%s-p%d" % (a.prefix, slot), "CNI_IFNAME": "eth0", "CNI_PATH": "/usr/lib/cni",
           "CNI_ARGS": "IgnoreUnknown=1;K8S_POD_NAMESPACE=bench;K8S_POD_NAME=pod-%d" % slot, **extra}
    if exe is None:
        code, out = wire_call({k: v for k, v in env.items() if k.startswith("CNI_")}, conf)
        if code != 0:
            raise SystemExit("%s %s %s failed: %s" % (plugin, cmd, cid, out))
        return
    if exe == "floor":
        r = subprocess.run(a.floor.split(), input=conf, env=env, capture_output=True, cwd=a.dir + "/floor")
    else:
        r = subprocess.run([exe], input=conf, env=env, capture_output=True)
    if r.returncode != 0:
        raise SystemExit("%s %s %s failed: %s %s" % (plugin, cmd, cid, r.stdout, r.stderr))

seq_counter = [0]
def pair(plugin, slot, n):
    cid = "%s-%d-%d" % ("".join(c for c in plugin if c.isalnum())[:8], slot, n)
    t0 = time.perf_counter()
    call(plugin, "ADD", cid, slot)
    t1 = time.perf_counter()
    call(plugin, "DEL", cid, slot)
    t2 = time.perf_counter()
    return (t2 - t0) * 1000, (t1 - t0) * 1000, (t2 - t1) * 1000

def run(plugin, parallel, pairs):
    t0 = time.perf_counter()
    if parallel == 1:
        res = [pair(plugin, 0, i) for i in range(pairs)]
    else:
        per = pairs // parallel
        with ThreadPoolExecutor(parallel) as ex:
            futs = [ex.submit(lambda s: [pair(plugin, s, i) for i in range(per)], s) for s in range(parallel)]
            res = [x for f in futs for x in f.result()]
    wall = time.perf_counter() - t0
    return res, wall

def p99(xs):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]

# Warm-up: the service's JIT, the page cache for both plugins.
for p in PLUGINS:
    run(p, 1, 30)

results = {}
def record(p, parallel, res, wall):
    r = results.setdefault((p, parallel), {"pair": [], "add": [], "del": [], "n": 0, "wall": 0.0})
    r["pair"] += [x[0] for x in res]; r["add"] += [x[1] for x in res]; r["del"] += [x[2] for x in res]
    r["n"] += len(res); r["wall"] += wall

for rnd in range(a.rounds):
    # One at a time: the plugins take turns pair by pair, so a change in the machine's load (other
    # builds share it) hits every row alike; pods/s is pairs over the summed pair times.
    for i in range(a.pairs):
        for p in PLUGINS:
            x = pair(p, 0, rnd * a.pairs + i)
            record(p, 1, [x], x[0] / 1000)
    # Ten in parallel: plugin after plugin (a pool cannot take turns per pair).
    for p in PLUGINS:
        res, wall = run(p, 10, a.pairs)
        record(p, 10, res, wall)

print("| plugin | parallel | pairs | ADD+DEL median ms | p99 ms | ADD median | DEL median | pods/s |")
print("|---|---|---|---|---|---|---|---|")
for (p, par), r in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    print("| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f |" % (p, par, r["n"], statistics.median(r["pair"]), p99(r["pair"]),
          statistics.median(r["add"]), statistics.median(r["del"]), r["n"] / r["wall"]))
for par in (1, 10):
    b = results[("ptp+host-local", par)]
    for p in ("tabby", "tabby-socket-only", "jvm-floor"):
        t = results[(p, par)]
        print("parallel %d: %s/ptp median ratio %.2f, pods/s ratio %.2f" % (par, p, statistics.median(t["pair"]) / statistics.median(b["pair"]),
              (t["n"] / t["wall"]) / (b["n"] / b["wall"])))
