package io.tabby.bgp.gr;

import java.time.Duration;

/**
 * Runs a task later on the RIB's thread. In production a Netty event loop
 * ({@code (d, r) -> loop.schedule(r, d.toNanos(), NANOSECONDS)}); in tests a virtual clock.
 */
@FunctionalInterface
public interface Scheduler {
    void schedule(Duration after, Runnable task);
}
