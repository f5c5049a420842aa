package io.tabby.bgp.wire;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * One NLRI entry: an IPv4 or IPv6 prefix with host bits cleared, and the ADD-PATH path
 * identifier (RFC 7911) that precedes it on the wire when ADD-PATH is negotiated for its family
 * in that direction; 0 otherwise.
 *
 * <p>A value class rather than a record over an {@link InetAddress}: an IPv4 prefix keeps its
 * address as an {@code int}, so the codec and the RIB, which handle every prefix of a full table
 * on each pass, make one small object per prefix instead of four (the prefix, an
 * {@code Inet4Address}, its holder and an octet array). {@link #address()} builds the
 * {@code InetAddress} when asked, for the looking glass, the kernel and the tests.
 */
public final class Prefix {
    private final int v4;
    private final byte[] v6; // 16 octets for IPv6, null for IPv4; never handed out
    private final int length;
    private final int pathId;

    private Prefix(int v4, byte[] v6, int length, int pathId) {
        int max = v6 == null ? 32 : 128;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for a " + max + "-bit address");
        }
        this.v4 = v4;
        this.v6 = v6;
        this.length = length;
        this.pathId = pathId;
    }

    /** The prefix {@code address/length}; {@code address} must already have its host bits cleared. */
    public Prefix(InetAddress address, int length, int pathId) {
        this(address instanceof Inet4Address a ? a.hashCode() : 0,
                address instanceof Inet4Address ? null : address.getAddress(), length, pathId);
    }

    public Prefix(InetAddress address, int length) {
        this(address, length, 0);
    }

    /** An IPv4 prefix from its address as a 32-bit value; host bits are cleared. */
    public static Prefix v4(int address, int length, int pathId) {
        return new Prefix(length == 0 ? 0 : address & (-1 << (32 - length)), null, length, pathId);
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
        if (addr.length == 4) {
            int v = (addr[0] & 0xff) << 24 | (addr[1] & 0xff) << 16 | (addr[2] & 0xff) << 8 | (addr[3] & 0xff);
            return v4(v, length, pathId);
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
        return new Prefix(0, addr, length, pathId);
    }

    public boolean isV4() {
        return v6 == null;
    }

    /** The IPv4 address as a 32-bit value; only meaningful when {@link #isV4()}. */
    public int v4Bits() {
        return v4;
    }

    /** A new {@code InetAddress} for the network address. */
    public InetAddress address() {
        if (v6 == null) {
            return Addresses.of(new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4});
        }
        return Addresses.of(v6.clone());
    }

    public int length() {
        return length;
    }

    public int pathId() {
        return pathId;
    }

    public Family family() {
        return v6 == null ? Family.IPV4_UNICAST : Family.IPV6_UNICAST;
    }

    public Prefix withPathId(int id) {
        return new Prefix(v4, v6, length, id);
    }

    /** Writes the address octets that the prefix length covers (the NLRI encoding's address part). */
    void writeOctets(ByteBuf out, int octets) {
        if (v6 == null) {
            switch (octets) { // one write, not one per octet: each write checks the buffer's room
                case 0 -> { }
                case 1 -> out.writeByte(v4 >>> 24);
                case 2 -> out.writeShort(v4 >>> 16);
                case 3 -> out.writeMedium(v4 >>> 8);
                default -> out.writeInt(v4);
            }
        } else {
            out.writeBytes(v6, 0, octets);
        }
    }

    /** True when {@code other}'s network address lies inside this prefix (same family; lengths not compared). */
    public boolean contains(Prefix other) {
        if (v6 == null || other.v6 == null) {
            return v6 == null && other.v6 == null && (length == 0 || (other.v4 & (-1 << (32 - length))) == v4);
        }
        for (int bit = 0; bit < length; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((v6[bit / 8] & mask) != (other.v6[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code other} lies inside this prefix (same family). */
    public boolean contains(InetAddress other) {
        byte[] b = other.getAddress();
        if (v6 == null) {
            if (b.length != 4) {
                return false;
            }
            int o = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
            return length == 0 || (o & (-1 << (32 - length))) == v4;
        }
        if (b.length != 16) {
            return false;
        }
        for (int bit = 0; bit < length; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((v6[bit / 8] & mask) != (b[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prefix p && p.v4 == v4 && p.length == length && p.pathId == pathId
                && Arrays.equals(p.v6, v6);
    }

    @Override
    public int hashCode() {
        int h = v6 == null ? v4 : Arrays.hashCode(v6);
        return (h * 31 + length) * 31 + pathId;
    }

    @Override
    public String toString() {
        String s = address().getHostAddress() + "/" + length;
        return pathId == 0 ? s : s + "#" + Integer.toUnsignedString(pathId);
    }
}
