package io.tabby.netlink.wire;

/** A message we do not decode (NLMSG_NOOP, NLMSG_OVERRUN, a type of another family): just its header. */
public record Other(NlHeader header) implements Frame {
    @Override
    public int seq() {
        return header.seq();
    }

    @Override
    public int flags() {
        return header.flags();
    }
}
