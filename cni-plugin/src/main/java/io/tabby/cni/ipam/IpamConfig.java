package io.tabby.cni.ipam;

/**
 * Cluster-wide IPAM settings (Calico {@code IPAMConfiguration}). With {@code strictAffinity} a
 * node never borrows from another node's block; {@code maxBlocksPerHost} caps claims (Calico's 0
 * means 20).
 */
public record IpamConfig(boolean strictAffinity, int maxBlocksPerHost) {
    public static final IpamConfig DEFAULT = new IpamConfig(false, 20);
}
