package io.tabby.bgp.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Literal IP address parsing that never touches DNS, and octet-level helpers. */
public final class Addresses {
    private Addresses() {}

    /** Parses a literal IPv4 or IPv6 address; a hostname is rejected, never resolved. */
    public static InetAddress parse(String literal) {
        String s = literal.strip();
        boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = s.contains(":") && s.matches("[0-9a-fA-F:.%a-zA-Z0-9]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("not an IP address literal: " + literal);
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: " + literal, e);
        }
    }

    public static Inet4Address parse4(String literal) {
        if (parse(literal) instanceof Inet4Address a) {
            return a;
        }
        throw new IllegalArgumentException("not an IPv4 address: " + literal);
    }

    static Inet4Address ipv4(int value) {
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The address for 4 or 16 octets. Sixteen octets always give an Inet6Address: the JDK's
     * getByAddress turns IPv4-mapped ones (::ffff:a.b.c.d) into Inet4Address, which would change
     * an IPv6 next hop or prefix into an IPv4 one (found by DecoderFuzzTest).
     */
    static InetAddress of(byte[] b) {
        try {
            if (b.length == 16) {
                return java.net.Inet6Address.getByAddress(null, b, -1);
            }
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + b.length + " octets", e);
        }
    }

    /** The IPv4 address as an unsigned 32-bit value in a long, e.g. for comparing BGP identifiers. */
    public static long toLong(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }
}
