package io.tabby.policy.model;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 or IPv6 prefix. Host bits are masked on parse: the API server grandfathers legacy
 * CIDRs such as {@code 10.0.0.1/24} (netpol-semantics.md 1.7), so we accept and normalise them
 * rather than crash. Addresses are held as a {@link BigInteger} so records compare structurally.
 */
public record Cidr(boolean v6, BigInteger base, int prefix) implements Comparable<Cidr> {

    public Cidr {
        int bits = v6 ? 128 : 32;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length " + prefix + " out of range");
        }
        base = base.and(mask(bits, prefix));
    }

    /** Parses {@code a.b.c.d/n} or {@code x::y/n}; a bare address is a /32 or /128. */
    public static Cidr parse(String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("empty CIDR");
        }
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        Address a = Address.parse(addr);
        int bits = a.v6() ? 128 : 32;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid CIDR \"" + s + "\": bad prefix length");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("invalid CIDR \"" + s + "\": prefix length out of range");
            }
        }
        return new Cidr(a.v6(), a.value(), prefix);
    }

    public static Cidr host(Address a) {
        return new Cidr(a.v6(), a.value(), a.v6() ? 128 : 32);
    }

    public int bits() {
        return v6 ? 128 : 32;
    }

    public BigInteger last() {
        return base.or(mask(bits(), prefix).not().and(mask(bits(), 0)));
    }

    public boolean contains(Address a) {
        return a.v6() == v6 && a.value().and(mask(bits(), prefix)).equals(base);
    }

    /** True when {@code other} is inside this prefix (equal counts). */
    public boolean contains(Cidr other) {
        return other.v6 == v6 && other.prefix >= prefix && other.base.and(mask(bits(), prefix)).equals(base);
    }

    /** This prefix minus every prefix in {@code holes}, as a minimal list of disjoint prefixes. */
    public List<Cidr> minus(List<Cidr> holes) {
        List<Cidr> out = new ArrayList<>();
        subtract(this, holes, out);
        return out;
    }

    private static void subtract(Cidr c, List<Cidr> holes, List<Cidr> out) {
        boolean inside = false;
        for (Cidr h : holes) {
            if (h.contains(c)) {
                return;                       // wholly removed
            }
            if (c.contains(h)) {
                inside = true;
            }
        }
        if (!inside) {
            out.add(c);
            return;
        }
        // Split in two halves and recurse: depth is bounded by the prefix length.
        int p = c.prefix + 1;
        BigInteger half = BigInteger.ONE.shiftLeft(c.bits() - p);
        subtract(new Cidr(c.v6, c.base, p), holes, out);
        subtract(new Cidr(c.v6, c.base.add(half), p), holes, out);
    }

    private static BigInteger mask(int bits, int prefix) {
        BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        return all.xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
    }

    @Override
    public int compareTo(Cidr o) {
        int c = Boolean.compare(v6, o.v6);
        if (c == 0) {
            c = base.compareTo(o.base);
        }
        return c != 0 ? c : Integer.compare(prefix, o.prefix);
    }

    @Override
    public String toString() {
        return new Address(v6, base) + "/" + prefix;
    }

    /** One IPv4 or IPv6 address. */
    public record Address(boolean v6, BigInteger value) {
        public static Address parse(String s) {
            // InetAddress would resolve host names; only accept literals.
            boolean v6 = s.indexOf(':') >= 0;
            if (!v6 && !s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new IllegalArgumentException("invalid IP address \"" + s + "\"");
            }
            if (v6 && !s.matches("[0-9A-Fa-f:.]+")) {
                throw new IllegalArgumentException("invalid IP address \"" + s + "\"");
            }
            if (!v6) {
                for (String octet : s.split("\\.")) {
                    if (Integer.parseInt(octet) > 255) {
                        throw new IllegalArgumentException("invalid IP address \"" + s + "\"");
                    }
                }
            }
            try {
                byte[] b = InetAddress.getByName(s).getAddress();
                if ((b.length == 16) != v6) {
                    throw new IllegalArgumentException("invalid IP address \"" + s + "\"");
                }
                return new Address(v6, new BigInteger(1, b));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("invalid IP address \"" + s + "\"");
            }
        }

        @Override
        public String toString() {
            byte[] raw = value.toByteArray();
            byte[] b = new byte[v6 ? 16 : 4];
            int n = Math.min(raw.length, b.length);
            System.arraycopy(raw, raw.length - n, b, b.length - n, n);
            try {
                return InetAddress.getByAddress(b).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
