package io.tabby.bgp.bench;

import io.tabby.bgp.fib.FibExporter;
import io.tabby.bgp.routing.Rib;
import io.tabby.bgp.wire.Family;
import java.lang.management.ManagementFactory;

/**
 * Retained heap per route: used heap after full GCs with the RIB holding N routes, minus the
 * same before the first route, divided by N. No JOL: the JVM's own accounting after
 * {@code System.gc()} (a full collection with G1 unless -XX:+ExplicitGCInvokesConcurrent), taken
 * as the minimum of three GC-and-measure rounds. The tester's UPDATEs are streamed and dropped,
 * so only what the RIB keeps is counted.
 *
 * <p>Also prints wall time, the CPU time of the thread that ran the RIB, and the whole process's
 * CPU time (GC and JIT included) for the load.
 *
 * <p>Usage: {@code RibMemory ROUTES ATTRSETS [locrib|monitor|fib]}.
 */
public final class RibMemory {
    private RibMemory() {}

    static long usedAfterGc() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200); // a benchmark harness, not a test: let the collector settle
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    public static void main(String[] args) throws Exception {
        int routes = Integer.parseInt(args[0]);
        int attrSets = Integer.parseInt(args[1]);
        String mode = args.length > 2 ? args[2] : "locrib";
        boolean monitor = !mode.equals("locrib");
        boolean fib = mode.equals("fib");
        Rib warm = Workload.target(monitor);
        Workload.run(warm, 100_000, Math.min(attrSets, 100), monitor, fib ? Workload.fib(warm) : null); // JIT warm-up
        warm = null;
        long before = usedAfterGc();
        Rib rib = Workload.target(monitor);
        FibExporter exporter = fib ? Workload.fib(rib) : null;
        var threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long proc0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long messages = Workload.run(rib, routes, attrSets, monitor, exporter);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // On a shared machine wall time mostly measures the queue for a core; CPU time does not.
        long cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
        long procMs = (os.getProcessCpuTime() - proc0) / 1_000_000;
        long after = usedAfterGc();
        double perRoute = (after - before) / (double) routes;
        String status = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/status"));
        String rss = status.lines().filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
                .map(l -> l.replaceAll("\\s+", "")).reduce((a, b) -> a + " " + b).orElse("");
        System.out.printf("process %s, -Xmx %d MiB%n", rss, Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("mode=%s routes=%d attrSets=%d prefixes=%d wall_ms=%d rib_thread_cpu_ms=%d process_cpu_ms=%d "
                        + "routes_per_cpu_s=%.0f monitor_updates=%d retained_bytes=%d bytes_per_route=%.1f (%s)%n",
                mode, routes, attrSets, rib.locRib(Family.IPV4_UNICAST).size(), ms, cpuMs, procMs,
                routes * 1000.0 / Math.max(1, cpuMs),
                messages, after - before, perRoute, rib.stats()
                        + (exporter == null ? "" : "; FIB desired " + exporter.desiredCount()));
    }
}
