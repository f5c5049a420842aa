package io.tabby.bgp.server;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;

/** The libc call Netty does not expose: setsockopt(2) for GTSM. */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int IPPROTO_IP = 0;
    int IP_TTL = 2;
    int IP_MINTTL = 21;
    int IPPROTO_IPV6 = 41;
    int IPV6_UNICAST_HOPS = 16;
    int IPV6_MINHOPCOUNT = 73;

    int setsockopt(int fd, int level, int name, IntByReference value, int len);
}
