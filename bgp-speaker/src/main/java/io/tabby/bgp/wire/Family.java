package io.tabby.bgp.wire;

/**
 * An address family (AFI, RFC 4760 section 3 / IANA) plus subsequent address family (SAFI). Only
 * IPv4 and IPv6 unicast are decoded into prefixes; other pairs still round-trip in capabilities.
 */
public record Family(int afi, int safi) {
    public static final int AFI_IPV4 = 1;
    public static final int AFI_IPV6 = 2;
    public static final int SAFI_UNICAST = 1;
    public static final int SAFI_MULTICAST = 2;

    public static final Family IPV4_UNICAST = new Family(AFI_IPV4, SAFI_UNICAST);
    public static final Family IPV6_UNICAST = new Family(AFI_IPV6, SAFI_UNICAST);

    /** AFI, then SAFI: the order capabilities list families in. */
    public static final java.util.Comparator<Family> ORDER =
            java.util.Comparator.comparingInt(Family::afi).thenComparingInt(Family::safi);

    /** Address length in octets for AFIs whose NLRI we decode, or -1. */
    public int addressLength() {
        return switch (afi) {
            case AFI_IPV4 -> 4;
            case AFI_IPV6 -> 16;
            default -> -1;
        };
    }

    /** True for the prefix-shaped families this codec turns into {@link Prefix} values. */
    public boolean decodable() {
        return addressLength() > 0 && (safi == SAFI_UNICAST || safi == SAFI_MULTICAST);
    }

    // Written out rather than the record's generated ones: a family is a hash key on the per-route path.
    @Override
    public boolean equals(Object o) {
        return o instanceof Family f && f.afi == afi && f.safi == safi;
    }

    @Override
    public int hashCode() {
        return afi << 8 ^ safi;
    }

    @Override
    public String toString() {
        String a = afi == AFI_IPV4 ? "ipv4" : afi == AFI_IPV6 ? "ipv6" : "afi" + afi;
        String s = safi == SAFI_UNICAST ? "unicast" : safi == SAFI_MULTICAST ? "multicast" : "safi" + safi;
        return a + "-" + s;
    }
}
