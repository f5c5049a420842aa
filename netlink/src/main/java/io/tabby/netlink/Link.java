package io.tabby.netlink;

import io.tabby.netlink.wire.Rt;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A network interface as the kernel reports it (RTM_NEWLINK). {@code kind} is the driver kind
 * ({@code veth}, {@code bridge}, empty for physical and loopback). For a veth, {@code parentIndex}
 * is the peer's index (IFLA_LINK) and {@code linkNetnsId} the peer namespace's id as seen from this
 * namespace when the peer lives elsewhere.
 */
public record Link(int index, String name, String kind, int flags, int mtu, String hardwareAddr,
                   OperState operState, int parentIndex, OptionalInt linkNetnsId, int masterIndex,
                   int txQueueLength) {

    /** Administratively up (IFF_UP). */
    public boolean isUp() {
        return (flags & Rt.IFF_UP) != 0;
    }

    /** Carrier present (IFF_LOWER_UP). */
    public boolean hasCarrier() {
        return (flags & Rt.IFF_LOWER_UP) != 0;
    }

    /** Flag names in the order and spelling of {@code ip -json link}'s "flags". */
    public List<String> flagNames() {
        List<String> out = new ArrayList<>();
        add(out, Rt.IFF_LOOPBACK, "LOOPBACK");
        add(out, Rt.IFF_BROADCAST, "BROADCAST");
        add(out, Rt.IFF_POINTOPOINT, "POINTOPOINT");
        add(out, Rt.IFF_MULTICAST, "MULTICAST");
        add(out, Rt.IFF_NOARP, "NOARP");
        add(out, Rt.IFF_PROMISC, "PROMISC");
        add(out, Rt.IFF_UP, "UP");
        add(out, Rt.IFF_LOWER_UP, "LOWER_UP");
        return out;
    }

    private void add(List<String> out, int bit, String name) {
        if ((flags & bit) != 0) {
            out.add(name);
        }
    }
}
