package io.tabby.netlink;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An interface address (RTM_NEWADDR): the link it is on, the address with its prefix length,
 * scope, flags (IFA_F_*, e.g. {@link #NODAD}), label, and for point-to-point links the peer.
 */
public record Addr(int linkIndex, IpPrefix prefix, Scope scope, int flags, String label,
                   Optional<InetAddress> peer, Optional<InetAddress> broadcast) {
    public static final int SECONDARY = 0x01;
    public static final int NODAD = 0x02;
    public static final int DADFAILED = 0x08;
    public static final int TENTATIVE = 0x40;
    public static final int PERMANENT = 0x80;
    public static final int NOPREFIXROUTE = 0x200;

    /** {@code ADDR/LEN} on link {@code linkIndex}, scope global, no flags. */
    public static Addr of(int linkIndex, String prefix) {
        return of(linkIndex, IpPrefix.parse(prefix));
    }

    public static Addr of(int linkIndex, IpPrefix prefix) {
        return new Addr(linkIndex, prefix, Scope.UNIVERSE, 0, "", Optional.empty(), Optional.empty());
    }

    public Addr scope(Scope newScope) {
        return new Addr(linkIndex, prefix, newScope, flags, label, peer, broadcast);
    }

    /** Adds IFA_F_* flags, e.g. {@code withFlags(Addr.NODAD)}. */
    public Addr withFlags(int more) {
        return new Addr(linkIndex, prefix, scope, flags | more, label, peer, broadcast);
    }

    public Addr label(String newLabel) {
        return new Addr(linkIndex, prefix, scope, flags, newLabel, peer, broadcast);
    }

    public Addr peer(InetAddress newPeer) {
        return new Addr(linkIndex, prefix, scope, flags, label, Optional.of(newPeer), broadcast);
    }

    public Addr broadcast(InetAddress newBroadcast) {
        return new Addr(linkIndex, prefix, scope, flags, label, peer, Optional.of(newBroadcast));
    }

    public Family family() {
        return prefix.family();
    }
}
