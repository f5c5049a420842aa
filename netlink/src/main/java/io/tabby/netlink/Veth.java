package io.tabby.netlink;

import io.tabby.netlink.ns.NetNs;
import java.util.Optional;

/**
 * A veth pair to create: this end's name, the peer's name, and optionally the MTU, MAC addresses
 * and the namespace the peer is created in. The kernel makes the pair in one step, so either
 * both ends exist (the peer already in its namespace) or neither does.
 *
 * <pre>{@code
 * Veth.of("cali12345678901", "eth0").peerIn(podNs).mtu(1450).peerHardwareAddr("ee:ee:ee:ee:ee:ee")
 * }</pre>
 */
public record Veth(String name, String peerName, int mtu, Optional<String> hardwareAddr,
                   Optional<String> peerHardwareAddr, Optional<NetNs> peerNamespace) {

    public static Veth of(String name, String peerName) {
        return new Veth(name, peerName, 0, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** MTU of both ends; 0 keeps the kernel default. */
    public Veth mtu(int newMtu) {
        return new Veth(name, peerName, newMtu, hardwareAddr, peerHardwareAddr, peerNamespace);
    }

    public Veth hardwareAddr(String mac) {
        return new Veth(name, peerName, mtu, Optional.of(mac), peerHardwareAddr, peerNamespace);
    }

    public Veth peerHardwareAddr(String mac) {
        return new Veth(name, peerName, mtu, hardwareAddr, Optional.of(mac), peerNamespace);
    }

    /** Creates the peer directly inside {@code ns} (IFLA_NET_NS_FD), so it never appears here. */
    public Veth peerIn(NetNs ns) {
        return new Veth(name, peerName, mtu, hardwareAddr, peerHardwareAddr, Optional.of(ns));
    }
}
