package io.tabby.netlink.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.Buffer;

/**
 * The few libc calls netlink and namespaces need, bound with JNA direct mapping (static natives,
 * no proxy, no reflection per call). Each throws {@link LastErrorException} carrying errno; use
 * {@link #check} to turn that into an {@link ErrnoException} naming what failed.
 *
 * <p>Buffers passed to {@code sendto} and {@code recv} must be direct.
 */
public final class LibC {
    static {
        Native.register("c");
    }

    private LibC() {}

    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int NETLINK_ROUTE = 0;

    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;

    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;
    public static final int NETLINK_GET_STRICT_CHK = 12;


    public static final int CLONE_NEWNET = 0x40000000;
    public static final int O_RDONLY = 0;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_CLOEXEC = 02000000;

    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_SHARED = 1L << 20;
    public static final int MNT_DETACH = 2;

    public static native int socket(int domain, int type, int protocol) throws LastErrorException;

    public static native int bind(int fd, byte[] addr, int addrlen) throws LastErrorException;

    public static native int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

    public static native long sendto(int fd, Buffer buf, long len, int flags, byte[] addr, int addrlen)
            throws LastErrorException;

    public static native long recv(int fd, Buffer buf, long len, int flags) throws LastErrorException;

    public static native int close(int fd) throws LastErrorException;

    public static native int open(String path, int flags, int mode) throws LastErrorException;

    public static native int setns(int fd, int nstype) throws LastErrorException;

    public static native int unshare(int flags) throws LastErrorException;

    public static native int mount(String source, String target, String fstype, long flags, Pointer data)
            throws LastErrorException;

    public static native int umount2(String target, int flags) throws LastErrorException;

    public static native int gettid();

    /** A call that may fail with errno. */
    @FunctionalInterface
    public interface Call {
        long run() throws LastErrorException;
    }

    /** Runs {@code call}; a failure becomes an {@link ErrnoException} "{@code what}: ENOENT (...)". */
    public static long check(String what, Call call) {
        try {
            return call.run();
        } catch (LastErrorException e) {
            throw ErrnoException.of(what, e.getErrorCode());
        }
    }
}
