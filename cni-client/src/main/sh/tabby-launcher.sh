#!/bin/sh
# tabby CNI plugin: runs the thin client from the tabby.d directory next to this file, with its
# own minimal Java runtime and class-data archive. The client forwards the call to the node's
# tabby CNI service (socket: $TABBY_CNI_SOCKET, default /run/tabby/cni.sock).
self=$0
[ -L "$self" ] && self=$(readlink -f "$self")
case $self in */*) d=${self%/*}/tabby.d ;; *) d=./tabby.d ;; esac
# The client runs a few thousand bytecodes: the interpreter and a small heap start fastest.
# Native reflection accessors: the security provider that Unix-domain sockets initialise is built
# reflectively, and method-handle accessors would be spun at run time (build-install.sh trains
# the cache with these same flags, read from this line).
flags="-Xint -XX:+UseSerialGC -XX:-UsePerfData -Xms4m -Xmx64m -XX:ReservedCodeCacheSize=8m -Xss512k -Djdk.reflect.useNativeAccessorOnly=true"
# Relative class path from inside tabby.d: the archive recorded it that way at build time, so the
# install works wherever it is copied. AOTMode defaults to auto: an unusable cache is skipped, not fatal.
cd "$d" || exit 1
# shellcheck disable=SC2086
exec ./runtime/bin/java -XX:AOTCache=tabby.aot $flags -cp tabby-cni-client.jar io.tabby.cni.client.Main
