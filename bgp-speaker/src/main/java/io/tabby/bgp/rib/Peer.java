package io.tabby.bgp.rib;

import io.tabby.bgp.wire.Addresses;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Where a path came from, as best path and the export rules need it: the neighbour's address and
 * BGP identifier, its AS, whether the session is internal, and whether it is a route-reflector
 * client of ours (RFC 4456 section 6). One instance per configured neighbour, shared by every
 * path it sends. {@link #local} describes routes we originate ourselves (redistribution).
 */
public record Peer(InetAddress address, Inet4Address routerId, long as, Kind kind, boolean rrClient) {
    /** eBGP and iBGP neighbours, and our own originated routes. */
    public enum Kind { EBGP, IBGP, LOCAL }

    public Peer {
        if (as < 0 || as > 0xffffffffL) {
            throw new IllegalArgumentException("AS " + as + " out of range 0..4294967295 for peer " + address);
        }
        if (kind == Kind.EBGP && rrClient) {
            throw new IllegalArgumentException("peer " + address + " is eBGP and cannot be a route-reflector client");
        }
    }

    /** A neighbour; internal when its AS equals ours (RFC 4271 section 1.1). */
    public static Peer neighbour(String address, String routerId, long as, long localAs, boolean rrClient) {
        return new Peer(Addresses.parse(address), Addresses.parse4(routerId), as,
                as == localAs ? Kind.IBGP : Kind.EBGP, rrClient);
    }

    /** Our own originated routes: AS is ours, identifier is ours, address 0.0.0.0. */
    public static Peer local(Inet4Address routerId, long localAs) {
        return new Peer(Addresses.parse("0.0.0.0"), routerId, localAs, Kind.LOCAL, false);
    }

    public boolean ibgp() {
        return kind == Kind.IBGP;
    }

    public boolean ebgp() {
        return kind == Kind.EBGP;
    }

    public long routerIdValue() {
        return Addresses.toLong(routerId);
    }

    @Override
    public String toString() {
        return kind == Kind.LOCAL ? "local" : address.getHostAddress() + "(AS" + as + ")";
    }
}
