package io.tabby.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A node namespace on the fabric: forwards, and hosts Calico-style pods. */
public final class Node {
    private final Lab lab;
    private final Netns ns;
    private final String address;

    Node(Lab lab, Netns ns, String address) {
        this.lab = lab;
        this.ns = ns;
        this.address = address;
    }

    public Netns netns() {
        return ns;
    }

    /** The node's fabric address, without prefix length. */
    public String address() {
        return address;
    }

    /**
     * Wires a pod the way Calico does, by hand with iproute2 (the test bed must not depend on the
     * code under test): a {@code cali…} veth on the node with proxy ARP and no address, a /32
     * route to the pod over it, and inside the pod {@code eth0} with {@code ip/32}, a link-scoped
     * route to 169.254.1.1 and a default route via it.
     */
    public Pod pod(String role, String ip) {
        Netns pod = lab.netns(role);
        String cali = "cali" + sha1Hex(pod.name()).substring(0, 11);
        lab.veth(ns, cali, pod, "eth0");
        ns.sysctl("net.ipv4.conf." + cali + ".proxy_arp", "1");
        ns.sysctl("net.ipv4.neigh." + cali + ".proxy_delay", "0");
        ns.ip("route", "add", ip + "/32", "dev", cali, "scope", "link");
        pod.ip("addr", "add", ip + "/32", "dev", "eth0");
        pod.ip("route", "add", "169.254.1.1", "dev", "eth0", "scope", "link");
        pod.ip("route", "add", "default", "via", "169.254.1.1", "dev", "eth0");
        return new Pod(pod, ip, this, cali);
    }

    private static String sha1Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
