package io.tabby.netlink.wire;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code NLMSG_ERROR}: the kernel's answer to a request with {@code errno} 0 (an ACK) or a
 * positive errno (the kernel sends it negated). {@code request} is the header of the message it
 * answers; its {@code seq} ties the answer to the request. With NETLINK_EXT_ACK the kernel may add
 * a human-readable reason and the offset of the offending attribute.
 */
public record Ack(int seq, int flags, int errno, NlHeader request, Optional<String> message,
                  OptionalInt badAttrOffset) implements Frame {
    public boolean ok() {
        return errno == 0;
    }
}
