package io.tabby.cni.types;

import java.util.List;

/**
 * The CNI spec versions this plugin speaks, oldest first. Before 0.3.0 results had a different
 * shape ({@code ip4}/{@code ip6}) that no runtime we target still asks for, so we do not claim it.
 * CHECK exists from 0.4.0 and STATUS/GC from 1.1.0 (SPEC.md "Version considerations").
 */
public final class CniVersion {
    public static final List<String> SUPPORTED = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
    public static final String CURRENT = "1.1.0";

    private CniVersion() {}

    public static boolean supported(String v) {
        return v != null && SUPPORTED.contains(v);
    }

    /** Compares two dotted versions numerically; both must be well formed ("1.0.0"). */
    public static int compare(String a, String b) {
        int[] x = parse(a);
        int[] y = parse(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    public static boolean atLeast(String v, String min) {
        return compare(v, min) >= 0;
    }

    private static int[] parse(String v) {
        String[] parts = v.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a version: " + v);
        }
        int[] out = new int[3];
        for (int i = 0; i < 3; i++) {
            out[i] = Integer.parseInt(parts[i]);
        }
        return out;
    }

    /** The JSON VERSION answers with (SPEC.md "VERSION"). */
    public static String versionInfoJson() {
        StringBuilder sb = new StringBuilder("{\"cniVersion\":\"").append(CURRENT).append("\",\"supportedVersions\":[");
        for (int i = 0; i < SUPPORTED.size(); i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(SUPPORTED.get(i)).append('"');
        }
        return sb.append("]}").toString();
    }
}
