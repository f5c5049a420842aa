package io.tabby.netlink.wire;

/** {@code NLMSG_DONE}: the end of a dump, with the dump's own error (0 or a positive errno). */
public record Done(int seq, int flags, int errno) implements Frame {
    /** True when the dump changed under the kernel while it was being read (NLM_F_DUMP_INTR). */
    public boolean interrupted() {
        return (flags & Rt.NLM_F_DUMP_INTR) != 0;
    }
}
