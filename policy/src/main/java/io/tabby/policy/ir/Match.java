package io.tabby.policy.ir;

import io.tabby.policy.model.Protocol;
import java.util.List;

/** One condition of an IR rule; a rule's matches are ANDed. */
public sealed interface Match {

    /** The packet's layer-4 protocol. */
    record Proto(Protocol protocol) implements Match {}

    /** Protocol and destination port within one of the ranges. */
    record DstPorts(Protocol protocol, List<PortRange> ranges) implements Match {
        public DstPorts {
            ranges = List.copyOf(ranges);
            if (ranges.isEmpty()) {
                throw new IllegalArgumentException("a port match needs at least one range");
            }
        }
    }

    /** Source address is a member of the named address set (of family IPv6 when {@code v6}). */
    record SrcInSet(String set, boolean v6) implements Match {}

    /** Destination address is a member of the named address set (of family IPv6 when {@code v6}). */
    record DstInSet(String set, boolean v6) implements Match {}

    /** Protocol, and (destination address, destination port) is in the named port set. */
    record DstAddrPortInSet(String set, Protocol protocol) implements Match {}

    /** An earlier policy chain has marked the packet as allowed. */
    record AllowMarked() implements Match {}

    /** Inclusive port range. */
    record PortRange(int from, int to) {
        @Override
        public String toString() {
            return from == to ? Integer.toString(from) : from + "-" + to;
        }
    }
}
