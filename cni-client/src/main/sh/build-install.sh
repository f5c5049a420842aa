#!/usr/bin/env bash
# Builds the self-contained CNI plugin install under target/cni-install/:
#   tabby               the launcher the installer copies to the CNI bin dir (e.g. /opt/cni/bin/tabby)
#   tabby.d/runtime/    a jlink'ed runtime with java.base only (the client needs nothing else)
#   tabby.d/tabby-cni-client.jar
#   tabby.d/tabby.aot   the client's class-data archive: a JDK 25 AOT cache (JEP 483/514, the successor of
#                       AppCDS: classes pre-parsed and pre-linked); about 20 ms less CPU per start than a
#                       dynamic AppCDS archive here
# Copy `tabby` and `tabby.d` together, as they are: nothing else is needed on the host.
# Usage: build-install.sh <target dir> <client jar>
set -euo pipefail
target=$1
jar=$2
here=$(cd "$(dirname "$0")" && pwd)
jdk=$("$here/../../../../scripts/java-home")
out=$target/cni-install
rm -rf "$out"
mkdir -p "$out/tabby.d"
# --generate-cds-archive gives the runtime its own base archive, which the app archive extends.
"$jdk/bin/jlink" --add-modules java.base --strip-debug --no-header-files --no-man-pages \
  --compress=zip-0 --generate-cds-archive --output "$out/tabby.d/runtime" 2>&1 | grep -v "warning.*cds" || true
cp "$jar" "$out/tabby.d/tabby-cni-client.jar"
cp "$here/tabby-launcher.sh" "$out/tabby"
chmod 0755 "$out/tabby"
# The JVM flags, from the launcher: the cache is only used with the flags it was trained with.
flags=$(sed -n 's/^flags="\(.*\)"$/\1/p' "$here/tabby-launcher.sh")
[ -n "$flags" ] || { echo "no flags= line in tabby-launcher.sh" >&2; exit 1; }
client() { ./runtime/bin/java "$@"; }

# Training: a JDK 25 cache is recorded from one JVM run, so the client's Training class makes every
# kind of call in one run: ADD and DEL through a live stand-in service (TrainingService.java, run by
# the build's JDK), so that the socket round trip (Unix-domain channel, its SecureRandom, the wire
# codec) is in the cache, then ADD, STATUS and VERSION with the service unreachable. The archive is
# made with the same relative class path the launcher uses, from inside tabby.d.
train=$(mktemp -d /tmp/tabby-cni-train-XXXXXX)
coproc fake { "$jdk/bin/java" -cp "$out/tabby.d/tabby-cni-client.jar" "$here/TrainingService.java" "$train/cni.sock"; }
stop_fake() { exec {fake[1]}>&- 2>/dev/null || true; wait "$fake_PID" 2>/dev/null || true; rm -rf "$train"; }
trap stop_fake EXIT
read -r ready <&"${fake[0]}" || true
[ "$ready" = ready ] || { echo "training service did not start" >&2; exit 1; }
(
  cd "$out/tabby.d"
  # shellcheck disable=SC2086
  client -XX:AOTCacheOutput=tabby.aot $flags -cp tabby-cni-client.jar io.tabby.cni.client.Training \
    "$train/cni.sock" "$train/absent.sock" >"$train/training.log" 2>&1 || { cat "$train/training.log" >&2; exit 1; }
  rm -f tabby.aot.config
)
test -s "$out/tabby.d/tabby.aot" || { echo "AOT cache was not created" >&2; exit 1; }

# The install, copied elsewhere as an installer would, must answer VERSION on its own and ADD through
# the service, and its cache must really be in use there (AOTMode=on fails otherwise).
cp -a "$out" "$train/copy"
CNI_COMMAND=VERSION "$train/copy/tabby" </dev/null | grep -q supportedVersions
TABBY_CNI_SOCKET=$train/cni.sock CNI_COMMAND=ADD "$train/copy/tabby" <<<'{}' | grep -q '"training":"ADD"'
# shellcheck disable=SC2086
(cd "$train/copy/tabby.d" && TABBY_CNI_SOCKET=$train/cni.sock CNI_COMMAND=ADD client -XX:AOTCache=tabby.aot -XX:AOTMode=on \
  $flags -cp tabby-cni-client.jar io.tabby.cni.client.Main <<<'{}' | grep -q '"training":"ADD"')
echo "cni install: $out ($(du -sh "$out" | cut -f1))"
