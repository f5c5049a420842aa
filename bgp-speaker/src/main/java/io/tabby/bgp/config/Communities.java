package io.tabby.bgp.config;

/** "AS:value" text form of RFC 1997 communities, and the well-known names. */
public final class Communities {
    private Communities() {}

    public static int parse(String s) {
        switch (s) {
            case "no-export":
                return 0xFFFFFF01;
            case "no-advertise":
                return 0xFFFFFF02;
            default:
                break;
        }
        int colon = s.indexOf(':');
        try {
            long hi = Long.parseLong(s.substring(0, colon));
            long lo = Long.parseLong(s.substring(colon + 1));
            if (colon < 0 || hi < 0 || hi > 0xffff || lo < 0 || lo > 0xffff) {
                throw new IllegalArgumentException();
            }
            return (int) ((hi << 16) | lo);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("community must be AS:value with two 16-bit numbers: " + s, e);
        }
    }

    public static String format(int c) {
        return ((c >>> 16) & 0xffff) + ":" + (c & 0xffff);
    }
}
