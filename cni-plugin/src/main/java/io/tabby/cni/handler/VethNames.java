package io.tabby.cni.handler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Calico's host-side interface names (libcalico-go {@code VethNameForWorkload}): {@code cali} plus
 * the first 11 hex digits of SHA-1 of {@code <namespace>.<pod>}, 15 characters in all. The name
 * follows the pod, not the container, so a re-created sandbox finds (and replaces) its stale veth.
 * Without Kubernetes arguments the container ID stands in.
 */
public final class VethNames {
    public static final String PREFIX = "cali";

    private VethNames() {}

    public static String host(String namespace, String pod, String containerId) {
        if (namespace.isEmpty() || pod.isEmpty()) {
            return PREFIX + (containerId.length() > 11 ? containerId.substring(0, 11) : containerId);
        }
        return PREFIX + sha1Hex(namespace + "." + pod).substring(0, 11);
    }

    static String sha1Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }
}
