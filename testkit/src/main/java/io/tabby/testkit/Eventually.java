package io.tabby.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls an outside process (a BIRD session coming up, a route reaching a kernel) until a
 * condition holds. This is for real daemons on real time only; our own state machines are tested
 * on virtual time and never wait.
 */
public final class Eventually {
    private Eventually() {}

    /**
     * Waits until {@code condition} holds, polling every 100 ms, or fails with {@code what} and
     * the last diagnostic from {@code explain} when {@code timeout} passes.
     */
    public static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> explain) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what
                        + (explain == null ? "" : "\n" + explain.get()));
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        await(what, timeout, condition, null);
    }
}
