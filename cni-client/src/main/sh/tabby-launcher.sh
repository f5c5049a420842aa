#!/bin/sh
# tabby CNI plugin: runs the thin client from the tabby.d directory next to this file, with its
# own minimal Java runtime and class-data archive. The client forwards the call to the node's
# tabby CNI service (socket: $TABBY_CNI_SOCKET, default /run/tabby/cni.sock).
self=$0
[ -L "$self" ] && self=$(readlink -f "$self")
case $self in */*) d=${self%/*}/tabby.d ;; *) d=./tabby.d ;; esac
# Relative class path from inside tabby.d: the archive recorded it that way at build time, so the
# install works wherever it is copied. AOTMode defaults to auto: an unusable cache is skipped, not fatal.
# The client runs a few thousand bytecodes: the interpreter and a small heap start fastest.
cd "$d" || exit 1
exec ./runtime/bin/java -XX:AOTCache=tabby.aot -Xint -XX:+UseSerialGC -XX:-UsePerfData \
  -Xms4m -Xmx64m -XX:ReservedCodeCacheSize=8m -Xss512k -cp tabby-cni-client.jar io.tabby.cni.client.Main
