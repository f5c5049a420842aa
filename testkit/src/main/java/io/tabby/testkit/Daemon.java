package io.tabby.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A long-lived process a test started inside a namespace; stopped by pid, never by name. */
public final class Daemon implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String description;

    Daemon(Process process, Path log, String description) {
        this.process = process;
        this.log = log;
        this.description = description;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Sends SIGKILL to the process and its descendants: the "kill -9" of restart tests. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitQuietly(Duration.ofSeconds(5));
    }

    /** SIGTERM, then SIGKILL if it has not gone within {@code grace}. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!waitQuietly(grace)) {
            kill();
        }
    }

    private boolean waitQuietly(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(3));
    }

    @Override
    public String toString() {
        return description + " (pid " + process.pid() + ", log " + log + ")";
    }
}
