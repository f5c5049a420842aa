package io.tabby.bgp.wire;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * One NLRI entry: an IPv4 or IPv6 prefix with host bits cleared, and the ADD-PATH path
 * identifier (RFC 7911) that precedes it on the wire when ADD-PATH is negotiated for its family
 * in that direction; 0 otherwise.
 */
public record Prefix(InetAddress address, int length, int pathId) {
    public Prefix {
        int max = address instanceof Inet4Address ? 32 : 128;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + address);
        }
    }

    public Prefix(InetAddress address, int length) {
        this(address, length, 0);
    }

    /** Parses {@code 10.0.0.0/24} or {@code 2001:db8::/32}; host bits are cleared. */
    public static Prefix parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a prefix (want ADDRESS/LENGTH): " + cidr);
        }
        InetAddress a = Addresses.parse(cidr.substring(0, slash));
        int len;
        try {
            len = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in " + cidr, e);
        }
        return of(a.getAddress(), len, 0);
    }

    /** Builds a canonical prefix from address octets (host bits cleared). */
    static Prefix of(byte[] addr, int length, int pathId) {
        if (length < 0 || length > addr.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for a "
                    + addr.length * 8 + "-bit address");
        }
        int full = length / 8;
        int rem = length % 8;
        if (rem != 0) {
            addr[full] &= (byte) (0xff << (8 - rem));
            full++;
        }
        for (int i = full; i < addr.length; i++) {
            addr[i] = 0;
        }
        return new Prefix(Addresses.of(addr), length, pathId);
    }

    public Family family() {
        return address instanceof Inet4Address ? Family.IPV4_UNICAST : Family.IPV6_UNICAST;
    }

    public Prefix withPathId(int id) {
        return new Prefix(address, length, id);
    }

    /** True when {@code other} lies inside this prefix (same family). */
    public boolean contains(InetAddress other) {
        byte[] a = address.getAddress();
        byte[] b = other.getAddress();
        if (a.length != b.length) {
            return false;
        }
        for (int bit = 0; bit < length; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        String s = address.getHostAddress() + "/" + length;
        return pathId == 0 ? s : s + "#" + Integer.toUnsignedString(pathId);
    }
}
