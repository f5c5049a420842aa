package io.tabby.netlink;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A neighbour (ARP or NDP) entry: link, IP, link-layer address, NUD state and NTF_* flags.
 * Equivalent to {@code ip neigh add IP lladdr MAC dev DEV nud permanent}.
 */
public record Neigh(int linkIndex, InetAddress ip, Optional<String> hardwareAddr, int state, int flags) {
    public static final int NUD_INCOMPLETE = 0x01;
    public static final int NUD_REACHABLE = 0x02;
    public static final int NUD_STALE = 0x04;
    public static final int NUD_DELAY = 0x08;
    public static final int NUD_PROBE = 0x10;
    public static final int NUD_FAILED = 0x20;
    public static final int NUD_NOARP = 0x40;
    public static final int NUD_PERMANENT = 0x80;
    public static final int NTF_PROXY = 0x08;
    public static final int NTF_ROUTER = 0x80;

    /** A permanent entry mapping {@code ip} to {@code mac} on link {@code linkIndex}. */
    public static Neigh permanent(int linkIndex, String ip, String mac) {
        return new Neigh(linkIndex, IpPrefix.parseAddress(ip), Optional.of(mac), NUD_PERMANENT, 0);
    }

    /**
     * A proxy entry: the kernel answers ARP/NDP for {@code ip} on this link. Equivalent to
     * {@code ip neigh add proxy IP dev DEV} (IPv6 pods behind proxy_ndp need one each).
     */
    public static Neigh proxy(int linkIndex, String ip) {
        return new Neigh(linkIndex, IpPrefix.parseAddress(ip), Optional.empty(), 0, NTF_PROXY);
    }

    public boolean isProxy() {
        return (flags & NTF_PROXY) != 0;
    }

    public Family family() {
        return ip.getAddress().length == 4 ? Family.INET : Family.INET6;
    }
}
