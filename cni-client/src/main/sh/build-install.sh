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
# Training runs: every path the client takes (VERSION, an unreachable service for ADD and STATUS).
# The archive is made with the same relative class path the launcher uses, from inside tabby.d.
(
  cd "$out/tabby.d"
  export TABBY_CNI_SOCKET=/nonexistent/tabby-cni-training.sock
  CNI_COMMAND=ADD ./runtime/bin/java -XX:AOTCacheOutput=tabby.aot -Xint -XX:+UseSerialGC -XX:-UsePerfData -Xms4m -Xmx64m \
    -XX:ReservedCodeCacheSize=8m -cp tabby-cni-client.jar io.tabby.cni.client.Main <<<'{"cniVersion":"1.0.0","name":"train"}' >/dev/null 2>&1 || true
  rm -f tabby.aot.config
)
test -s "$out/tabby.d/tabby.aot" || { echo "AOT cache was not created" >&2; exit 1; }
# The install must answer VERSION on its own, with the cache really in use (AOTMode=on fails otherwise).
CNI_COMMAND=VERSION "$out/tabby" </dev/null | grep -q supportedVersions
(cd "$out/tabby.d" && CNI_COMMAND=VERSION ./runtime/bin/java -XX:AOTCache=tabby.aot -XX:AOTMode=on -Xint -XX:+UseSerialGC \
  -XX:-UsePerfData -Xms4m -Xmx64m -XX:ReservedCodeCacheSize=8m -cp tabby-cni-client.jar io.tabby.cni.client.Main </dev/null | grep -q supportedVersions)
echo "cni install: $out ($(du -sh "$out" | cut -f1))"
