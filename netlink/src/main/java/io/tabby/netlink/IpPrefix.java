package io.tabby.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IP address with a prefix length: {@code 10.244.1.0/26}, {@code 10.244.1.2/32},
 * {@code fd00::1/128}. For a route it is the destination; for an address, the address and its
 * subnet. Host bits are kept as given (an interface address needs them); {@link #network()}
 * clears them.
 */
public record IpPrefix(InetAddress address, int length) {
    public IpPrefix {
        int max = address.getAddress().length * 8;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " out of range 0.." + max + " for " + address.getHostAddress());
        }
    }

    /** Parses {@code ADDR/LEN}, or a bare address as a host prefix (/32 or /128). Literals only, no DNS. */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        InetAddress a = parseAddress(addr);
        int len;
        if (slash < 0) {
            len = a.getAddress().length * 8;
        } else {
            try {
                len = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
        }
        return new IpPrefix(a, len);
    }

    /** Parses an IPv4 or IPv6 literal; never consults DNS. */
    public static InetAddress parseAddress(String text) {
        boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = text.contains(":") && text.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("not an IP address literal: '" + text + "'");
        }
        try {
            InetAddress a = InetAddress.getByName(text);
            if (v4 && a.getAddress().length != 4) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            return a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: '" + text + "'");
        }
    }

    public Family family() {
        return address instanceof Inet4Address ? Family.INET : Family.INET6;
    }

    /** The same prefix with host bits cleared. */
    public IpPrefix network() {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, length - i * 8));
            b[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return new IpPrefix(InetAddress.getByAddress(b), length);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True for 0.0.0.0/0 and ::/0. */
    public boolean isDefault() {
        return length == 0;
    }

    /** {@code 10.244.1.0/26}, {@code fd00:244::/64}: addresses as iproute2 prints them. */
    @Override
    public String toString() {
        return text(address) + "/" + length;
    }

    /**
     * An address as iproute2 prints it: IPv4 dotted, IPv6 in RFC 5952 form (lower case, the
     * longest run of two or more zero groups as "::"), where {@link InetAddress#getHostAddress}
     * would print every group.
     */
    public static String text(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.getHostAddress();
        }
        String[] g = a.getHostAddress().replaceAll("%.*", "").split(":");
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < g.length; i++) {
            int j = i;
            while (j < g.length && g[j].equals("0")) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
        }
        if (bestStart < 0) {
            return String.join(":", g);
        }
        return String.join(":", Arrays.copyOfRange(g, 0, bestStart)) + "::"
                + String.join(":", Arrays.copyOfRange(g, bestStart + bestLen, g.length));
    }
}
