package io.tabby.bgp.server;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;

/** The few libc calls Netty does not expose: setns(2) and setsockopt(2) for GTSM. */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int CLONE_NEWNET = 0x40000000;

    int IPPROTO_IP = 0;
    int IP_TTL = 2;
    int IP_MINTTL = 21;
    int IPPROTO_IPV6 = 41;
    int IPV6_UNICAST_HOPS = 16;
    int IPV6_MINHOPCOUNT = 73;

    int open(String path, int flags);

    int close(int fd);

    int setns(int fd, int nstype);

    int setsockopt(int fd, int level, int name, IntByReference value, int len);
}
