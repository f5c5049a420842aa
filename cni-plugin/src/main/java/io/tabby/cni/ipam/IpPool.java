package io.tabby.cni.ipam;

import io.tabby.cni.types.IpNet;

/**
 * A range pods take addresses from (Calico {@code IPPool}). {@code blockSize} is the prefix length
 * of the blocks nodes claim: /26 (64 addresses) by default for IPv4, /122 for IPv6.
 */
public record IpPool(String name, IpNet cidr, int blockSize, String nodeSelector, boolean disabled, boolean natOutgoing) {
    public IpPool {
        if (!cidr.equals(cidr.network())) {
            throw new IllegalArgumentException("pool " + name + ": cidr " + cidr + " has host bits set");
        }
        int min = cidr.isV4() ? 20 : 116;
        if (blockSize < Math.max(min, cidr.prefix()) || blockSize > cidr.bits()) {
            throw new IllegalArgumentException("pool " + name + ": blockSize " + blockSize + " must be between "
                    + Math.max(min, cidr.prefix()) + " and " + cidr.bits());
        }
        nodeSelector = nodeSelector == null || nodeSelector.isBlank() ? "all()" : nodeSelector;
    }

    public static int defaultBlockSize(IpNet cidr) {
        return cidr.isV4() ? 26 : 122;
    }

    public long blockCount() {
        return 1L << (blockSize - cidr.prefix());
    }
}
