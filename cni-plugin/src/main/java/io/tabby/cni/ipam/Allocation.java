package io.tabby.cni.ipam;

/**
 * Who holds one address: the handle ({@code <network>.<containerID>}), the node that asked, the
 * pod, and when (epoch millis; the leak sweep's grace period runs from it).
 */
public record Allocation(String handle, String node, String namespace, String pod, long timestamp) {}
