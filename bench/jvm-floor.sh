#!/usr/bin/env bash
# The floor of any JVM CNI client: builds, in <dir>, an empty main() (empty.jar) and its own AOT cache
# (empty.aot) on the tabby install's jlink'ed runtime, trained with the launcher's own flags, and prints
# the command that runs it (from <dir>). Used by cni-add-del.sh and cni-client-start.sh.
# Usage: bench/jvm-floor.sh <dir>
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
d=$root/cni-client/target/cni-install/tabby.d
jdk=$("$root/scripts/java-home")
flags=$(sed -n 's/^flags="\(.*\)"$/\1/p' "$root/cni-client/src/main/sh/tabby-launcher.sh")
mkdir -p "$dir/src"
printf 'public class Empty { public static void main(String[] a) {} }\n' >"$dir/src/Empty.java"
"$jdk/bin/javac" -d "$dir/classes" "$dir/src/Empty.java"
"$jdk/bin/jar" --create --file "$dir/empty.jar" -C "$dir/classes" .
# shellcheck disable=SC2086
(cd "$dir" && "$d/runtime/bin/java" -XX:AOTCacheOutput=empty.aot $flags -cp empty.jar Empty >/dev/null 2>&1)
test -s "$dir/empty.aot" || { echo "floor AOT cache was not created" >&2; exit 1; }
echo "$d/runtime/bin/java -XX:AOTCache=empty.aot $flags -cp empty.jar Empty"
