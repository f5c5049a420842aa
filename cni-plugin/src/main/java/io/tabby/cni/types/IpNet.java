package io.tabby.cni.types;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address with a prefix length, IPv4 or IPv6: {@code 10.244.1.5/32}, {@code 10.244.1.0/26}.
 * Parsing never does DNS: only numeric literals are accepted. The address is kept as given (it
 * may have host bits, as a CNI result's {@code 10.244.1.5/26} does); {@link #network()} masks them.
 */
public record IpNet(InetAddress address, int prefix) {
    public IpNet {
        int max = address.getAddress().length * 8;
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix length " + prefix + " out of range for " + address.getHostAddress());
        }
    }

    /** Parses {@code a.b.c.d/n} or {@code x::y/n}; a bare address gets a host prefix (/32, /128). */
    public static IpNet parse(String s) {
        int slash = s.indexOf('/');
        InetAddress a = parseAddress(slash < 0 ? s : s.substring(0, slash));
        int max = a.getAddress().length * 8;
        if (slash < 0) {
            return new IpNet(a, max);
        }
        try {
            return new IpNet(a, Integer.parseInt(s.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in " + s);
        }
    }

    /** A numeric IPv4 or IPv6 literal; rejects host names so that nothing ever resolves DNS. */
    public static InetAddress parseAddress(String s) {
        if (s.isEmpty() || !(s.contains(":") || s.matches("[0-9.]+"))) {
            throw new IllegalArgumentException("not an IP address: " + s);
        }
        if (!s.contains(":") && !s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("not an IPv4 address: " + s);
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + s);
        }
    }

    public static IpNet host(InetAddress a) {
        return new IpNet(a, a.getAddress().length * 8);
    }

    public boolean isV4() {
        return address.getAddress().length == 4;
    }

    public int bits() {
        return address.getAddress().length * 8;
    }

    /** The same prefix with host bits cleared. */
    public IpNet network() {
        return new IpNet(fromBig(toBig(address).andNot(hostMask()), bits()), prefix);
    }

    /** Number of addresses covered (2^(bits-prefix)). */
    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(bits() - prefix);
    }

    public boolean contains(InetAddress a) {
        return a.getAddress().length == address.getAddress().length
                && toBig(a).andNot(hostMask()).equals(toBig(address).andNot(hostMask()));
    }

    public boolean contains(IpNet other) {
        return other.prefix >= prefix && contains(other.address);
    }

    /** The address {@code offset} places after the network address. */
    public InetAddress addressAt(long offset) {
        return fromBig(toBig(network().address).add(BigInteger.valueOf(offset)), bits());
    }

    /** The offset of {@code a} from the network address; {@code a} must be inside. */
    public long offsetOf(InetAddress a) {
        if (!contains(a)) {
            throw new IllegalArgumentException(a.getHostAddress() + " is not in " + this);
        }
        return toBig(a).subtract(toBig(network().address)).longValueExact();
    }

    /** The {@code index}th subnet of length {@code subPrefix} inside this one. */
    public IpNet subnet(int subPrefix, long index) {
        BigInteger base = toBig(network().address).add(BigInteger.valueOf(index).shiftLeft(bits() - subPrefix));
        return new IpNet(fromBig(base, bits()), subPrefix);
    }

    private BigInteger hostMask() {
        return BigInteger.ONE.shiftLeft(bits() - prefix).subtract(BigInteger.ONE);
    }

    static BigInteger toBig(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    static InetAddress fromBig(BigInteger v, int bits) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[bits / 8];
        int n = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - n, out, out.length - n, n);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A name usable in Kubernetes object names: {@code 10-244-1-0-26}, {@code fd00--1-0-122}. */
    public String dnsLabel() {
        return (address.getHostAddress().replace('.', '-').replace(':', '-') + "-" + prefix).toLowerCase();
    }

    @Override
    public String toString() {
        String h = address.getHostAddress();
        int pct = h.indexOf('%');
        if (!isV4()) {
            h = compressV6(pct < 0 ? h : h.substring(0, pct));
        }
        return h + "/" + prefix;
    }

    /** Java prints {@code fd00:0:0:0:0:0:0:1}; the rest of the world writes {@code fd00::1}. */
    static String compressV6(String full) {
        String[] g = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < g.length; ) {
            if (g[i].equals("0")) {
                int j = i;
                while (j < g.length && g[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String left = String.join(":", java.util.Arrays.copyOfRange(g, 0, bestStart));
        String right = String.join(":", java.util.Arrays.copyOfRange(g, bestStart + bestLen, g.length));
        return left + "::" + right;
    }

    /** An address as text, IPv6 compressed. */
    public static String format(InetAddress a) {
        String s = host(a).toString();
        return s.substring(0, s.indexOf('/'));
    }
}
