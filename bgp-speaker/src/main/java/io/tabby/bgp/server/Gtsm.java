package io.tabby.bgp.server;

import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * The Generalized TTL Security Mechanism (RFC 5082) on one socket: send with TTL (hop limit) 255
 * and drop segments that arrive with less than {@code 256 - hops}, so a peer {@code hops} away
 * passes and a spoofer further out cannot reach the session. Needs the epoll transport (a file
 * descriptor); IP_MINTTL / IPV6_MINHOPCOUNT are Linux socket options.
 */
final class Gtsm {
    private Gtsm() {}

    static void apply(Channel ch, int hops, InetSocketAddress remote) {
        if (!(ch instanceof UnixChannel u)) {
            throw new IllegalStateException("ttlSecurityHops needs the epoll transport (no file descriptor on " + ch + ")");
        }
        int fd = u.fd().intValue();
        boolean v6 = remote.getAddress() instanceof Inet6Address;
        int level = v6 ? LibC.IPPROTO_IPV6 : LibC.IPPROTO_IP;
        set(fd, level, v6 ? LibC.IPV6_UNICAST_HOPS : LibC.IP_TTL, 255);
        set(fd, level, v6 ? LibC.IPV6_MINHOPCOUNT : LibC.IP_MINTTL, 256 - hops);
    }

    private static void set(int fd, int level, int name, int value) {
        if (LibC.INSTANCE.setsockopt(fd, level, name, new IntByReference(value), 4) != 0) {
            throw new IllegalStateException("setsockopt(" + level + ", " + name + ", " + value + "): errno "
                    + Native.getLastError());
        }
    }
}
