package io.tabby.bgp.server;

import com.sun.jna.Native;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A dedicated platform thread that has entered a network namespace with setns(2) and exists only
 * to create sockets there: a socket keeps the namespace it was created in, so channels made here
 * bind and connect inside the namespace while their I/O runs on ordinary event loops. No pooled
 * or shared thread ever calls setns (the CNI plugins' pkg/ns README explains why).
 */
final class NetnsThread implements AutoCloseable {
    private final ExecutorService thread;
    private final Path netns;

    NetnsThread(Path netns) {
        this.netns = netns;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + netns.getFileName());
            t.setDaemon(true);
            return t;
        });
        call(() -> {
            int fd = LibC.INSTANCE.open(netns.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("open " + netns + ": errno " + Native.getLastError());
            }
            try {
                if (LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET) != 0) {
                    throw new IllegalStateException("setns " + netns + ": errno " + Native.getLastError());
                }
            } finally {
                LibC.INSTANCE.close(fd);
            }
            return null;
        });
    }

    /** Runs {@code work} inside the namespace and returns its result. */
    <T> T call(Callable<T> work) {
        Future<T> f = thread.submit(work);
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("in " + netns + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating a socket in " + netns, e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
