package io.tabby.netlink.wire;

import java.util.Optional;

/**
 * {@code NLMSG_DONE}: the end of a dump, with the dump's own error (0 or a positive errno) and,
 * when the kernel gave one (NLM_F_ACK_TLVS), its extended-ACK message.
 */
public record Done(int seq, int flags, int errno, Optional<String> message) implements Frame {
    public Done(int seq, int flags, int errno) {
        this(seq, flags, errno, Optional.empty());
    }

    /** True when the dump changed under the kernel while it was being read (NLM_F_DUMP_INTR). */
    public boolean interrupted() {
        return (flags & Rt.NLM_F_DUMP_INTR) != 0;
    }
}
