package io.tabby.bgp.bench;

import io.tabby.bgp.routing.Rib;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to take N IPv4 routes from a tester into the RIB (import, Loc-RIB, best path), and with
 * the export to a monitor peer packed into UPDATEs, as one shot per iteration: routes/s =
 * N / score. Decoding and TCP are not included (see docs/benchmarks.md for what this is and is
 * not). Run with {@code bench/bgp-rib.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class RibInsertBench {
    @Param({"1000000"})
    int routes;

    @Param({"1", "1000", "100000"})
    int attrSets;

    @Benchmark
    public Rib locRibOnly() {
        Rib rib = Workload.target(false);
        Workload.run(rib, routes, attrSets, false, null);
        return rib;
    }

    @Benchmark
    public Rib withMonitorAndFib() {
        Rib rib = Workload.target(true);
        Workload.run(rib, routes, attrSets, true, Workload.fib(rib));
        return rib;
    }
}
