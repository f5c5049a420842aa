package io.tabby.bgp.policy;

import io.tabby.bgp.wire.Prefix;

/**
 * One prefix-list entry: prefixes inside {@code prefix} whose length is within {@code ge..le}
 * ("10.244.0.0/16 ge 26 le 32"). Without ge/le only the exact prefix matches, as in FRR's
 * {@code ip prefix-list} and BIRD's {@code [ 10.244.0.0/16{26,32} ]}.
 */
public record PrefixRange(Prefix prefix, int ge, int le) {
    public PrefixRange {
        int max = prefix.family().addressLength() * 8;
        if (ge < prefix.length() || le < ge || le > max) {
            throw new IllegalArgumentException("prefix range " + prefix + " ge " + ge + " le " + le
                    + ": need " + prefix.length() + " <= ge <= le <= " + max);
        }
    }

    /** Just this prefix. */
    public static PrefixRange exact(String cidr) {
        Prefix p = Prefix.parse(cidr);
        return new PrefixRange(p, p.length(), p.length());
    }

    /** This prefix and everything more specific down to {@code le}. */
    public static PrefixRange orLonger(String cidr, int le) {
        Prefix p = Prefix.parse(cidr);
        return new PrefixRange(p, p.length(), le);
    }

    /**
     * Parses FRR/BIRD-like text: {@code 10.0.0.0/8}, {@code 10.0.0.0/8 le 24},
     * {@code 10.0.0.0/8 ge 16 le 24}, {@code 10.0.0.0/8+} (all more specifics).
     */
    public static PrefixRange parse(String text) {
        String[] w = text.trim().split("\\s+");
        boolean plus = w[0].endsWith("+");
        Prefix p = Prefix.parse(plus ? w[0].substring(0, w[0].length() - 1) : w[0]);
        int max = p.family().addressLength() * 8;
        int ge = p.length();
        int le = plus ? max : p.length();
        boolean sawLe = false;
        for (int i = 1; i < w.length; i += 2) {
            if (i + 1 >= w.length) {
                throw new IllegalArgumentException("prefix range '" + text + "': '" + w[i] + "' needs a number");
            }
            int n;
            try {
                n = Integer.parseInt(w[i + 1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("prefix range '" + text + "': not a length: " + w[i + 1], e);
            }
            switch (w[i]) {
                case "ge" -> {
                    ge = n;
                    if (!sawLe) {
                        le = max; // "ge N" alone means N..max, as in FRR
                    }
                }
                case "le" -> {
                    le = n;
                    sawLe = true;
                }
                default -> throw new IllegalArgumentException("prefix range '" + text + "': expected ge or le, got " + w[i]);
            }
        }
        return new PrefixRange(p, ge, le);
    }

    public boolean matches(Prefix candidate) {
        return candidate.length() >= ge && candidate.length() <= le
                && candidate.family().equals(prefix.family())
                && candidate.length() >= prefix.length() && prefix.contains(candidate);
    }

    @Override
    public String toString() {
        return prefix + (ge == prefix.length() && le == prefix.length() ? "" : " ge " + ge + " le " + le);
    }
}
