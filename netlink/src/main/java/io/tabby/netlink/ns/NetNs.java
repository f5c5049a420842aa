package io.tabby.netlink.ns;

import com.sun.jna.LastErrorException;
import io.tabby.netlink.sys.Errno;
import io.tabby.netlink.sys.ErrnoException;
import io.tabby.netlink.sys.LibC;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open network namespace: a file descriptor on it and one dedicated platform thread that lives
 * inside it for as long as this object is open. {@link #call} runs work on that thread, so work
 * that depends on the calling thread's namespace (opening a netlink socket, reading
 * {@code /proc/sys/net}) happens inside the namespace while no shared thread ever calls
 * {@code setns}. A socket opened there stays bound to the namespace, and any thread may use it.
 *
 * <p>Named namespaces are made and removed the way {@code ip netns add/del} does it: a bind mount
 * of the namespace file on {@code /run/netns/NAME}, with {@code /run/netns} made a shared mount
 * so the unmount propagates to other mount namespaces.
 *
 * <p>Thread safety: {@link #call} may be used from any thread; calls run one at a time in order.
 */
public final class NetNs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetNs.class);

    /** Where {@code ip netns} keeps its namespaces. */
    public static final Path RUN_DIR = Path.of("/run/netns");
    private static final int NAME_MAX = 255;

    private final String description;
    private final Path path;
    private final int fd;
    private final long inode;
    private final Thread thread;
    private final BlockingQueue<Runnable> tasks;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NetNs(String description, Path path, int fd, long inode, Thread thread, BlockingQueue<Runnable> tasks) {
        this.description = description;
        this.path = path;
        this.fd = fd;
        this.inode = inode;
        this.thread = thread;
        this.tasks = tasks;
    }

    /**
     * Creates the named namespace {@code /run/netns/NAME} and opens it. Equivalent to
     * {@code ip netns add NAME}. Nothing is left behind when it fails.
     */
    public static NetNs create(String name) {
        checkName(name);
        Path target = RUN_DIR.resolve(name);
        makeRunDirShared();
        int marker = (int) LibC.check("create " + target,
                () -> LibC.open(target.toString(), LibC.O_RDONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC, 0));
        LibC.close(marker);
        try {
            // The new thread unshares into a fresh namespace and pins it with a bind mount of its
            // own /proc/self/task/<tid>/ns/net; it then stays as the namespace's worker thread.
            NetNs ns = start(name, target, -1, () -> {
                LibC.check("unshare(CLONE_NEWNET) for " + name, () -> LibC.unshare(LibC.CLONE_NEWNET));
                String self = "/proc/self/task/" + LibC.gettid() + "/ns/net";
                LibC.check("mount --bind " + self + " " + target,
                        () -> LibC.mount(self, target.toString(), "none", LibC.MS_BIND, null));
            });
            log.atInfo().addKeyValue("netns", name).addKeyValue("inode", ns.inode()).log("namespace created");
            return ns;
        } catch (RuntimeException e) {
            deleteQuietly(target);
            throw e;
        }
    }

    /**
     * Removes the named namespace: unmounts and deletes {@code /run/netns/NAME}. The namespace
     * itself lives on while anything (a process, an open {@code NetNs}, a socket) still holds it.
     * Equivalent to {@code ip netns del NAME}.
     */
    public static void delete(String name) {
        checkName(name);
        Path target = RUN_DIR.resolve(name);
        LibC.check("umount " + target, () -> LibC.umount2(target.toString(), LibC.MNT_DETACH));
        try {
            Files.delete(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + target + " after unmounting it", e);
        }
        log.atInfo().addKeyValue("netns", name).log("namespace deleted");
    }

    /** Opens the named namespace {@code /run/netns/NAME}. */
    public static NetNs openNamed(String name) {
        checkName(name);
        return open(RUN_DIR.resolve(name));
    }

    /**
     * Opens the namespace at {@code path}: a file under {@code /run/netns}, {@code /proc/PID/ns/net}
     * or a CNI_NETNS path. Its worker thread joins it with {@code setns}.
     */
    public static NetNs open(Path path) {
        int fd = (int) LibC.check("open network namespace " + path,
                () -> LibC.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC, 0));
        try {
            return start(path.toString(), path, fd,
                    () -> LibC.check("setns " + path, () -> LibC.setns(fd, LibC.CLONE_NEWNET)));
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    /** How a fresh worker thread enters its namespace; it runs on that thread. */
    private interface Entry {
        void enter();
    }

    private static NetNs start(String description, Path path, int openFd, Entry entry) {
        CompletableFuture<NetNs> ready = new CompletableFuture<>();
        BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
        Thread t = Thread.ofPlatform().daemon().name("netns-" + description).unstarted(() -> {
            NetNs self;
            int fd = openFd;
            try {
                entry.enter();
                if (fd < 0) {
                    fd = (int) LibC.check("open " + path, () -> LibC.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC, 0));
                }
                // Compare with what the descriptor holds, not the path, which could be replaced meanwhile.
                long inode = inodeOf(Path.of("/proc/self/fd/" + fd));
                long mine = currentInode();
                if (inode != mine) {
                    throw new IllegalStateException("worker for " + description + " is in namespace inode " + mine
                            + ", not the namespace's inode " + inode);
                }
                self = new NetNs(description, path, fd, inode, Thread.currentThread(), queue);
            } catch (Throwable e) {
                if (openFd < 0 && fd >= 0) {
                    LibC.close(fd);
                }
                // The thread may be half-way into a namespace: it does nothing more and exits.
                ready.completeExceptionally(e);
                return;
            }
            ready.complete(self);
            self.loop();
        });
        t.start();
        try {
            return ready.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted opening namespace " + description, e);
        }
    }

    private void loop() {
        while (true) {
            Runnable task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) {
                // Work queued while close() raced with call(): cancel it rather than strand its caller.
                List<Runnable> late = new ArrayList<>();
                tasks.drainTo(late);
                late.forEach(r -> {
                    if (r instanceof Future<?> f) {
                        f.cancel(false);
                    }
                });
                return;
            }
            task.run();
        }
    }

    private static final Runnable STOP = () -> {};

    /**
     * Runs {@code work} on this namespace's thread and returns its result. Exceptions it throws
     * reach the caller unchanged (checked ones wrapped in {@link IllegalStateException}).
     */
    public <T> T call(Callable<T> work) {
        if (Thread.currentThread() == thread) {
            try {
                return work.call();
            } catch (Exception e) {
                throw rethrow(e);
            }
        }
        if (closed.get()) {
            throw new IllegalStateException("namespace " + description + " is closed");
        }
        FutureTask<T> task = new FutureTask<>(work);
        tasks.add(task);
        try {
            return task.get();
        } catch (CancellationException e) {
            throw new IllegalStateException("namespace " + description + " was closed before the work ran", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for work in namespace " + description, e);
        }
    }

    /** Runs {@code work} on this namespace's thread. */
    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    /**
     * A descriptor on the namespace, valid until {@link #close()}: for IFLA_NET_NS_FD when
     * moving a link or creating a veth peer here.
     */
    public int fd() {
        return fd;
    }

    public Path path() {
        return path;
    }

    /** The namespace's inode number, as {@code ls -L -i} or {@code readlink /proc/PID/ns/net} show it. */
    public long inode() {
        return inode;
    }

    /** True when the calling thread's own namespace is this one (only this object's worker, normally). */
    public boolean isCurrent() {
        return currentInode() == inode;
    }

    /** Stops the worker thread and closes the descriptor. Sockets opened inside stay usable. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        tasks.add(STOP);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LibC.close(fd);
    }

    @Override
    public String toString() {
        return "netns " + description;
    }

    /** The inode of the namespace the calling thread is in. */
    public static long currentInode() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
            return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/thread-self/ns/net", e);
        }
    }

    private static long inodeOf(Path p) {
        try {
            return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + p, e);
        }
    }

    /**
     * Makes {@code /run/netns} a shared mount point, creating and self-binding it first when it is
     * not a mount point yet, exactly as iproute2's {@code netns_add} does.
     */
    private static void makeRunDirShared() {
        try {
            Files.createDirectories(RUN_DIR);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + RUN_DIR, e);
        }
        String dir = RUN_DIR.toString();
        try {
            LibC.mount("", dir, "none", LibC.MS_SHARED | LibC.MS_REC, null);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.EINVAL.code()) {
                throw ErrnoException.of("mount --make-rshared " + dir, e.getErrorCode());
            }
            LibC.check("mount --rbind " + dir + " " + dir,
                    () -> LibC.mount(dir, dir, "none", LibC.MS_BIND | LibC.MS_REC, null));
            LibC.check("mount --make-rshared " + dir,
                    () -> LibC.mount("", dir, "none", LibC.MS_SHARED | LibC.MS_REC, null));
        }
    }

    private static void deleteQuietly(Path target) {
        try {
            LibC.umount2(target.toString(), LibC.MNT_DETACH);
        } catch (LastErrorException ignored) {
            // not mounted: the failure came before the bind mount
        }
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            log.atWarn().addKeyValue("path", target).setCause(e).log("cannot remove namespace file after a failed create");
        }
    }

    /** iproute2's rule: a single path component, not "." or "..". */
    static void checkName(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")
                || name.indexOf('\0') >= 0 || name.length() > NAME_MAX) {
            throw new IllegalArgumentException("invalid namespace name " + (name == null ? "null" : "'" + name + "'")
                    + ": must be one path component, not '.' or '..', at most " + NAME_MAX + " characters");
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(t.getMessage(), t);
    }
}
