package io.tabby.cni.ipam;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * One address of one family for one handle. {@code pools} (names or CIDRs, from the pod's
 * annotation or the config) narrows the pools; {@code address} asks for that exact address.
 */
public record AssignRequest(String handle, boolean ipv4, String node, Map<String, String> nodeLabels,
                            String namespace, String pod, List<String> pools, InetAddress address, long now) {
    public AssignRequest {
        nodeLabels = Map.copyOf(nodeLabels);
        pools = List.copyOf(pools);
    }

    Allocation allocation() {
        return new Allocation(handle, node, namespace, pod, now);
    }
}
