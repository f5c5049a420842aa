package io.tabby.bgp.bench;

import io.tabby.bgp.fib.FibExporter;
import io.tabby.bgp.routing.Rib;
import io.tabby.bgp.wire.Family;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The other half of {@link RibInsertBench}: time for the tester to withdraw all N routes it
 * announced, with the withdrawals drained to the monitor (and the FIB, with {@code withFib}), as
 * one shot per iteration. Each iteration starts from a freshly loaded RIB, loaded and collected
 * outside the measured time. Run with {@code BENCH=RibWithdrawBench bench/bgp-rib.sh jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+UseSerialGC"})
public class RibWithdrawBench {
    @Param({"1000000"})
    int routes;

    @Param({"1"})
    int attrSets;

    /** With the FIB's desired-state table as a listener, or the bgperf target's shape (no FIB). */
    @Param({"false", "true"})
    boolean withFib;

    private Rib rib;
    private FibExporter fib;

    @Setup(Level.Iteration)
    public void load() {
        rib = null; // let the last iteration's RIB go first: loading never holds two
        fib = null;
        rib = Workload.target(true);
        fib = withFib ? Workload.fib(rib) : null;
        Workload.run(rib, routes, attrSets, true, fib);
        // Loading leaves garbage (the announcements, the drained UPDATEs); collect it here so that
        // the measured withdrawal pays only for its own.
        System.gc();
    }

    @Benchmark
    public long withdrawAll() {
        long sent = Workload.withdraw(rib, routes, true, fib);
        if (rib.locRib(Family.IPV4_UNICAST).size() != 0) {
            throw new IllegalStateException("routes left after the withdrawal: " + rib.stats());
        }
        return sent;
    }
}
