#!/usr/bin/env bash
# A real container runtime's CNI client driving the plugin: containerd 1.6's `ctr run --cni`
# inside a node namespace this script creates (lab-environment.md section 6), with the tabby
# install as the only network plugin (plus loopback, which ctr always adds) and the tabby CNI
# service serving that node. Prints the container's view (ip addr, ip route, a ping to the node)
# and checks that DEL (from --rm) removed the veth and released the address.
#
# Everything is in namespaces named tabbyc-<pid>-*, deleted on exit; containerd runs in the node
# namespace and a private mount namespace; /etc/cni/net.d, /opt/cni/bin and /var/lib/cni are
# bind-mounted only inside ctr's private mount namespace (empty mount points are created if
# missing). Run by felix-like-agent's CtrRunCniIT after package; by hand:
#   ./mvnw -pl cni-client,felix-like-agent -am package -DskipTests && felix-like-agent/src/test/sh/ctr-run-cni.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../../../.." && pwd)
install=$root/cni-client/target/cni-install
jar=$root/felix-like-agent/target/tabby.jar
java=$("$root/scripts/java-home")/bin/java
prefix=tabbyc-$$
node=$prefix-node
fab=$prefix-fab
lab=$(mktemp -d /tmp/tabby-ctr-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix-" || true); do ip netns del "$ns" || true; done
  if [ -n "${KEEP:-}" ]; then echo "kept $lab"; else rm -rf "$lab"; fi
  # The shim's directories under /run/containerd are hard-coded; remove what is ours and empty.
  rm -rf /run/containerd/runc/tabby 2>/dev/null || true
  rmdir /run/containerd/s /run/containerd/fifo /run/containerd/runc /run/containerd 2>/dev/null || true
}
trap cleanup EXIT

ip netns add "$node"; ip netns add "$fab"
ip -n "$node" link set lo up
ip -n "$fab" link set lo up
ip -n "$node" link add eth0 type veth peer name n0 netns "$fab"
ip -n "$fab" link add br0 type bridge; ip -n "$fab" link set n0 master br0
ip -n "$fab" addr add 10.99.0.1/24 dev br0
ip -n "$node" addr add 10.99.0.11/24 dev eth0
ip -n "$node" link set eth0 up; ip -n "$fab" link set n0 up; ip -n "$fab" link set br0 up
ip -n "$node" route add default via 10.99.0.1
ip netns exec "$node" sysctl -qw net.ipv4.ip_forward=1

# An OCI image with busybox only, built by hand (no registry access needed).
python3 - "$lab/bb-oci.tar" <<'PY'
import gzip, hashlib, io, json, sys, tarfile, time
def add(tf, name, data=None, link=None, mode=0o755):
    ti = tarfile.TarInfo(name); ti.mtime = int(time.time()); ti.mode = mode
    if link: ti.type = tarfile.SYMTYPE; ti.linkname = link; tf.addfile(ti)
    else: ti.size = len(data); tf.addfile(ti, io.BytesIO(data))
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w") as tf:
    for d in ("bin", "etc", "tmp", "proc", "sys", "dev"):
        ti = tarfile.TarInfo(d); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; tf.addfile(ti)
    add(tf, "bin/busybox", open("/bin/busybox", "rb").read())
    for cmd in ("sh", "ip", "ping", "cat", "ls", "sleep", "ifconfig", "route"):
        add(tf, "bin/" + cmd, link="busybox")
    add(tf, "etc/passwd", b"root:x:0:0:root:/:/bin/sh\n", mode=0o644)
layer_tar = raw.getvalue(); layer_gz = gzip.compress(layer_tar)
def blob(b): return "sha256:" + hashlib.sha256(b).hexdigest()
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
                     "rootfs": {"type": "layers", "diff_ids": [blob(layer_tar)]}}).encode()
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": blob(config), "size": len(config)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": blob(layer_gz), "size": len(layer_gz)}]}).encode()
index = json.dumps({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
    "digest": blob(manifest), "size": len(manifest), "platform": {"architecture": "amd64", "os": "linux"},
    "annotations": {"io.containerd.image.name": "docker.io/library/bb:latest", "org.opencontainers.image.ref.name": "latest"}}]}).encode()
with tarfile.open(sys.argv[1], "w") as out:
    for b in (layer_gz, config, manifest):
        add(out, "blobs/sha256/" + blob(b)[7:], b, mode=0o644)
    add(out, "index.json", index, mode=0o644)
    add(out, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}', mode=0o644)
PY

mkdir -p "$lab/cni/conf" "$lab/cni/bin" "$lab/cni/cache"
cp -a "$install/tabby" "$install/tabby.d" "$lab/cni/bin/"
cp /usr/lib/cni/loopback "$lab/cni/bin/"
# cniVersion 1.0.0: ctr 1.6 (libcni 1.1.2) cannot parse 1.1.0 results.
cat >"$lab/cni/conf/10-tabby.conflist" <<JSON
{"cniVersion":"1.0.0","name":"k8s-pod-network","plugins":[{"type":"tabby"}]}
JSON
cat >"$lab/config.toml" <<TOML
version = 2
root = "$lab/root"
state = "$lab/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$lab/containerd.sock"
[ttrpc]
  address = "$lab/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$lab/opt"
TOML

ip netns exec "$node" "$java" --enable-native-access=ALL-UNNAMED -jar "$jar" cni serve --socket "$lab/cni.sock" \
  --node ctr-node --pool 10.244.0.0/16 --host-netns "/run/netns/$node" >"$lab/service.log" 2>&1 &
pids+=($!)
# containerd in the node's network namespace, not via `ip netns exec` (it remounts /sys and hides cgroups).
nsenter --net="/run/netns/$node" unshare --mount containerd -c "$lab/config.toml" >"$lab/containerd.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -S "$lab/containerd.sock" ] && [ -S "$lab/cni.sock" ] && break; sleep 0.1; done
[ -S "$lab/containerd.sock" ] || { tail "$lab/containerd.log"; echo "containerd did not start" >&2; exit 1; }
[ -S "$lab/cni.sock" ] || { tail "$lab/service.log"; echo "tabby CNI service did not start" >&2; exit 1; }
ctr -a "$lab/containerd.sock" -n tabby images import "$lab/bb-oci.tar" >/dev/null

mkdir -p /etc/cni/net.d /opt/cni/bin /var/lib/cni   # empty mount points; the bind mounts stay private
out=$(ip netns exec "$node" sh -c "mount --bind '$lab/cni/conf' /etc/cni/net.d && mount --bind '$lab/cni/bin' /opt/cni/bin \
  && mount --bind '$lab/cni/cache' /var/lib/cni && TABBY_CNI_SOCKET='$lab/cni.sock' \
  exec ctr -a '$lab/containerd.sock' -n tabby run --cni --rm docker.io/library/bb:latest c1 \
  sh -c 'ip addr show eth0; ip route; ping -c1 -W2 10.99.0.11'")
echo "$out"
echo "$out" | grep -q 'inet 10\.244\.[0-9.]*/32' || { echo "FAIL: no /32 pod address" >&2; exit 1; }
echo "$out" | grep -q 'default via 169.254.1.1' || { echo "FAIL: no default via 169.254.1.1" >&2; exit 1; }
echo "$out" | grep -q '1 packets received' || { echo "FAIL: the container could not ping its node" >&2; exit 1; }
if ip -n "$node" -o link show | grep -q ' cali'; then echo "FAIL: a cali veth survived --rm (DEL)" >&2; exit 1; fi
grep -q 'command="DEL".*exit="0"\|command=DEL.*exit=0' "$lab/service.log" || { echo "FAIL: no successful DEL in the service log" >&2; exit 1; }
grep -q 'released=1' "$lab/service.log" || { echo "FAIL: DEL did not release the address" >&2; exit 1; }
echo "ctr run --cni: OK (ADD via tabby, container pinged its node, DEL on --rm removed the veth and released the address)"
