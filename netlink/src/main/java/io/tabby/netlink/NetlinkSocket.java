package io.tabby.netlink;

import com.sun.jna.LastErrorException;
import io.tabby.netlink.sys.Errno;
import io.tabby.netlink.sys.ErrnoException;
import io.tabby.netlink.sys.LibC;
import io.tabby.netlink.wire.Ack;
import io.tabby.netlink.wire.Done;
import io.tabby.netlink.wire.Frame;
import io.tabby.netlink.wire.Frames;
import io.tabby.netlink.wire.Rt;
import io.tabby.netlink.wire.RtMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A NETLINK_ROUTE socket: the bytes-in, bytes-out edge under {@link NetlinkHandle}. The socket is
 * bound to the namespace of the thread that created it, for its whole life.
 *
 * <p>Three exchanges: {@link #execute} sends requests with NLM_F_ACK, many per datagram, and
 * returns each one's own ACK; {@link #get} sends one request and returns its single answer;
 * {@link #dump} reads a multi-part answer to NLMSG_DONE and restarts it when the kernel says the
 * table changed under it (NLM_F_DUMP_INTR). One lock serializes exchanges, so a handle may be
 * shared by threads; the send and receive buffers belong to whoever holds it.
 */
final class NetlinkSocket implements AutoCloseable {
    /** Requests per datagram: their ACKs (about 1 KiB of receive buffer each) must all fit. */
    static final int BATCH_MESSAGES = 256;
    private static final int BATCH_BYTES = 128 * 1024;
    private static final int RCVBUF = 8 * 1024 * 1024;
    private static final int SNDBUF = 1024 * 1024;
    private static final int DUMP_RETRIES = 10;
    /** A kernel answer is queued before sendto returns; waiting this long means something is broken. */
    private static final int REQUEST_TIMEOUT_MS = 30_000;

    private final int fd;
    private final ReentrantLock lock = new ReentrantLock();
    private final ByteBuffer rx = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.nativeOrder());
    private final ByteBuffer tx = ByteBuffer.allocateDirect(BATCH_BYTES + 64 * 1024).order(ByteOrder.nativeOrder());
    private int seq = (int) (System.nanoTime() & 0x3fffffff);
    private volatile boolean closed;
    private final AtomicLong dumpRestarts = new AtomicLong();

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Opens a socket in the calling thread's namespace, joined to the multicast {@code groups}
     * (RTNLGRP_* numbers, empty for a request socket). Call it on a namespace's own thread.
     */
    static NetlinkSocket open(int[] groups, int receiveTimeoutMs) {
        int fd = (int) LibC.check("socket(AF_NETLINK, NETLINK_ROUTE)",
                () -> LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE));
        try {
            bufferSize(fd, LibC.SO_RCVBUFFORCE, LibC.SO_RCVBUF, RCVBUF);
            bufferSize(fd, LibC.SO_SNDBUFFORCE, LibC.SO_SNDBUF, SNDBUF);
            setInt(fd, LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
            setInt(fd, LibC.SOL_NETLINK, LibC.NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
            setInt(fd, LibC.SOL_NETLINK, LibC.NETLINK_GET_STRICT_CHK, 1, "NETLINK_GET_STRICT_CHK");
            byte[] tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder())
                    .putLong(receiveTimeoutMs / 1000).putLong((receiveTimeoutMs % 1000) * 1000L).array();
            LibC.check("setsockopt SO_RCVTIMEO", () -> LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, tv, tv.length));
            LibC.check("bind netlink socket", () -> LibC.bind(fd, sockaddr(0), 12));
            for (int g : groups) {
                setInt(fd, LibC.SOL_NETLINK, LibC.NETLINK_ADD_MEMBERSHIP, g, "NETLINK_ADD_MEMBERSHIP " + g);
            }
            return new NetlinkSocket(fd);
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    static NetlinkSocket open() {
        return open(new int[0], REQUEST_TIMEOUT_MS);
    }

    private static void bufferSize(int fd, int forced, int plain, int size) {
        byte[] v = intBytes(size);
        try {
            LibC.setsockopt(fd, LibC.SOL_SOCKET, forced, v, 4);
        } catch (LastErrorException e) {
            // Without CAP_NET_ADMIN the kernel caps the plain option at its sysctl maximum.
            LibC.check("setsockopt buffer size", () -> LibC.setsockopt(fd, LibC.SOL_SOCKET, plain, v, 4));
        }
    }

    private static void setInt(int fd, int level, int name, int value, String what) {
        LibC.check("setsockopt " + what, () -> LibC.setsockopt(fd, level, name, intBytes(value), 4));
    }

    private static byte[] intBytes(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    /** {@code struct sockaddr_nl}: family, pad, port id, groups. */
    private static byte[] sockaddr(int pid) {
        return ByteBuffer.allocate(12).order(ByteOrder.nativeOrder())
                .putShort((short) LibC.AF_NETLINK).putShort((short) 0).putInt(pid).putInt(0).array();
    }

    private static final byte[] KERNEL = sockaddr(0);

    /** How many dumps were read again because the kernel flagged them NLM_F_DUMP_INTR. */
    long dumpRestarts() {
        return dumpRestarts.get();
    }

    /**
     * Sends every request with NLM_F_ACK and returns the kernel's answer to each, in order.
     * Requests go out many to a datagram; the kernel handles them one by one and answers each, a
     * failure not stopping the ones after it.
     */
    List<Ack> execute(List<RtMessage> requests) {
        lock.lock();
        try {
            checkOpen();
            Ack[] acks = new Ack[requests.size()];
            int i = 0;
            while (i < requests.size()) {
                int first = i;
                int base = nextSeqs(BATCH_MESSAGES);
                tx.clear();
                while (i < requests.size() && i - first < BATCH_MESSAGES) {
                    RtMessage m = requests.get(i);
                    if (i > first && tx.position() + m.encodedSize() > BATCH_BYTES) {
                        break;
                    }
                    ensureFits(m);
                    new RtMessage(m.type(), m.flags() | Rt.NLM_F_REQUEST | Rt.NLM_F_ACK, base + (i - first), 0,
                            m.body(), m.attrs()).encode(tx);
                    i++;
                }
                send();
                int pending = i - first;
                while (pending > 0) {
                    for (Frame f : receive()) {
                        int k = f.seq() - base;
                        if (f instanceof Ack a && k >= 0 && k < i - first && acks[first + k] == null) {
                            acks[first + k] = a;
                            pending--;
                        }
                    }
                }
            }
            return Arrays.asList(acks);
        } finally {
            lock.unlock();
        }
    }

    /** Sends one request (no dump, no ACK) and returns its one answer, or the kernel's error as an Ack. */
    Frame get(RtMessage request) {
        lock.lock();
        try {
            checkOpen();
            int s = nextSeqs(1);
            tx.clear();
            ensureFits(request);
            request.withSeq(s).encode(tx);
            send();
            while (true) {
                for (Frame f : receive()) {
                    if (f.seq() == s && (f instanceof RtMessage || f instanceof Ack)) {
                        return f;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends a dump request and returns every message up to NLMSG_DONE. A dump the kernel marks
     * interrupted (the table changed while it was read) is read again from the start.
     */
    List<RtMessage> dump(RtMessage request) {
        lock.lock();
        try {
            checkOpen();
            for (int attempt = 0; attempt < DUMP_RETRIES; attempt++) {
                int s = nextSeqs(1);
                tx.clear();
                ensureFits(request);
                new RtMessage(request.type(), request.flags() | Rt.NLM_F_REQUEST | Rt.NLM_F_DUMP, s, 0,
                        request.body(), request.attrs()).encode(tx);
                send();
                List<RtMessage> out = new ArrayList<>();
                boolean interrupted = false;
                boolean done = false;
                while (!done) {
                    for (Frame f : receive()) {
                        if (f.seq() != s) {
                            continue;
                        }
                        interrupted |= (f.flags() & Rt.NLM_F_DUMP_INTR) != 0;
                        switch (f) {
                            case RtMessage m -> out.add(m);
                            case Done d -> {
                                if (d.errno() != 0) {
                                    throw new DumpFailed(d.errno(), d.message());
                                }
                                done = true;
                            }
                            case Ack a -> {
                                if (!a.ok()) {
                                    throw new DumpFailed(a.errno(), a.message());
                                }
                            }
                            default -> { }
                        }
                    }
                }
                if (!interrupted) {
                    return out;
                }
                dumpRestarts.incrementAndGet();
            }
            throw new DumpFailed(Errno.EINTR.code(),
                    Optional.of("dump interrupted by concurrent changes " + DUMP_RETRIES + " times"));
        } finally {
            lock.unlock();
        }
    }

    /** A dump's error, before the handle names the operation. */
    static final class DumpFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int errno;
        final transient Optional<String> message;

        DumpFailed(int errno, Optional<String> message) {
            super(Errno.describe(errno), null, false, false);
            this.errno = errno;
            this.message = message;
        }
    }

    /**
     * Blocks for the next datagram (at most the receive timeout) and decodes it. Returns an empty
     * list on timeout when {@code timeoutIsEmpty}, else throws.
     */
    List<Frame> receive(boolean timeoutIsEmpty) {
        rx.clear();
        long n;
        try {
            n = LibC.recv(fd, rx, rx.capacity(), 0);
        } catch (LastErrorException e) {
            int code = e.getErrorCode();
            if (code == Errno.EAGAIN.code() && timeoutIsEmpty) {
                return List.of();
            }
            if (code == Errno.EINTR.code()) {
                return List.of();
            }
            throw ErrnoException.of(code == Errno.ENOBUFS.code()
                    ? "recv on netlink socket (receive buffer overflowed, answers were lost)"
                    : "recv on netlink socket", code);
        }
        rx.limit((int) n);
        return Frames.decode(rx);
    }

    private List<Frame> receive() {
        return receive(false);
    }

    private void send() {
        tx.flip();
        int len = tx.remaining();
        long sent = LibC.check("sendto netlink socket", () -> LibC.sendto(fd, tx, len, 0, KERNEL, KERNEL.length));
        if (sent != len) {
            throw new ErrnoException("sendto netlink socket sent " + sent + " of " + len + " bytes", Errno.EMSGSIZE.code());
        }
    }

    private void ensureFits(RtMessage m) {
        if (tx.position() + m.encodedSize() > tx.capacity()) {
            throw new IllegalArgumentException(Rt.typeName(m.type()) + " of " + m.encodedSize() + " bytes does not fit the send buffer");
        }
    }

    private int nextSeqs(int n) {
        int s = seq;
        seq = (seq + n) & 0x3fffffff;
        return s;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("netlink socket is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        lock.lock();
        try {
            LibC.close(fd);
        } finally {
            lock.unlock();
        }
    }
}
