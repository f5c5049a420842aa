package io.tabby.cni.skel;

/** The spec's {@code CNI_COMMAND} values. */
public enum Command {
    ADD, DEL, CHECK, STATUS, GC, VERSION
}
