package io.tabby.policy.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.tabby.policy.selector.LabelSelector;

/**
 * A pod on the pod network: where it lives, its labels, its IPv4 address, its named container
 * ports, the node that hosts it and the host-side interface that leads to it. hostNetwork pods
 * are not endpoints (netpol-semantics.md 1.1.7, option 2): their traffic is node traffic.
 */
public record Endpoint(String namespace, String name, Map<String, String> labels, String ip,
                       List<ContainerPort> ports, String node, String iface) {

    public Endpoint {
        Names.checkDnsLabel("namespace name", namespace);
        Names.checkDnsSubdomain("pod name", name);
        labels = Map.copyOf(labels);
        LabelSelector.ofLabels(labels); // validates every key and value
        Cidr.Address a = Cidr.Address.parse(ip);
        if (a.v6()) {
            throw new IllegalArgumentException("pod " + namespace + "/" + name + ": only IPv4 pod addresses are supported, got " + ip);
        }
        ports = List.copyOf(ports);
        if (node == null || node.isBlank()) {
            throw new IllegalArgumentException("pod " + namespace + "/" + name + " has no node");
        }
        if (iface == null) {
            iface = calicoInterfaceName(namespace, name);
        }
        if (iface.isEmpty() || iface.length() > 15) {
            throw new IllegalArgumentException("interface name \"" + iface + "\" must be 1-15 characters");
        }
    }

    /** "ns/name", the key we use everywhere. */
    public String key() {
        return namespace + "/" + name;
    }

    /** The number this pod maps a named port to for {@code protocol}, if it defines it. */
    public Optional<Integer> namedPort(String portName, Protocol protocol) {
        for (ContainerPort p : ports) {
            if (portName.equals(p.name()) && p.protocol() == protocol) {
                return Optional.of(p.port());
            }
        }
        return Optional.empty();
    }

    /**
     * Calico's host-side veth name: {@code cali} + the first 11 hex digits of
     * SHA-1({@code namespace.pod}) (cni-plugin {@code VethNameForWorkload}).
     */
    public static String calicoInterfaceName(String namespace, String pod) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-1").digest((namespace + "." + pod).getBytes(StandardCharsets.UTF_8));
            return "cali" + HexFormat.of().formatHex(h).substring(0, 11);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
