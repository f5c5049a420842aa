package io.tabby.bgp.bench;

import com.codahale.metrics.MetricRegistry;
import io.tabby.bgp.config.BgpConfig;
import io.tabby.bgp.server.BgpServer;
import io.tabby.netlink.ns.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tabby as the bgperf target (bgp.md section 3.4): AS 65000, router id 198.18.0.1, sessions to a
 * tester (198.18.1.2, AS 65001) and a monitor (198.18.2.2, AS 65100), hold time 240, accept all
 * from the tester and send it nothing, send all to the monitor, no Adj-RIB-In retention, no FIB
 * and no next-hop resolution (control plane only, as the BIRD/FRR targets there), all sockets
 * inside the namespace given: the {@link BgpServer} that
 * {@code tabby bgp run} runs, configured in code. Prints one line when the tester's N routes are in the Loc-RIB and
 * then keeps running until killed, so the monitor can finish receiving.
 *
 * <p>Usage: {@code RibTarget /run/netns/NAME N [train] [warm=ROUTESxROUNDS] [overlap]}; with
 * {@code train} it exits after the withdrawals (a training run for a JDK AOT cache); with {@code
 * warm=} the speaker runs its JIT warm-up ({@code warmUp} in the config) before its sessions open;
 * with {@code overlap} it also peers with a second tester (198.18.3.2, AS 65002) that sends the
 * same prefixes (bgp.md 3.7 item 7).
 */
public final class RibTarget {
    /** A tester's session settings: it sends, it is sent nothing (BIRD's {@code export none} there). */
    private static final String TESTER =
            "holdTime: 240, connectRetry: 1, importPolicy: all, exportPolicy: none, keepReceived: false}";

    private RibTarget() {}

    static String status(String key) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(key))
                .map(l -> l.replaceAll("\\s+", " ")).findFirst().orElse(key + " ?");
    }

    public static void main(String[] args) throws Exception {
        Path netns = Path.of(args[0]);
        long n = Long.parseLong(args[1]);
        boolean train = false;
        String warmUp = "";
        String second = "";
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("train")) {
                train = true;
            } else if (args[i].equals("overlap")) {
                second = "  - {address: 198.18.3.2, as: 65002, " + TESTER;
            } else if (args[i].startsWith("warm=")) { // warm=ROUTESxROUNDS
                String[] rr = args[i].substring(5).split("x");
                warmUp = "warmUp: {routes: %s, rounds: %s}".formatted(rr[0], rr[1]);
            } else {
                throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        try (NetNs ns = NetNs.open(netns)) {
            if (ns.inode() == NetNs.currentInode()) {
                throw new IllegalStateException(netns + " is this process's own namespace");
            }
        }
        BgpServer server = new BgpServer(BgpConfig.parse("""
                localAs: 65000
                routerId: 198.18.0.1
                netns: %s
                listen: {port: -1}
                apiSocket: none
                nextHopResolution: none
                %s
                peers:
                  - {address: 198.18.2.2, as: 65100, holdTime: 240, connectRetry: 1, allowAll: true, keepReceived: false}
                  - {address: 198.18.1.2, as: 65001, %s
                %s
                policies: {all: {otherwise: accept}, none: {otherwise: reject}}
                """.formatted(netns, warmUp, TESTER, second), "RibTarget")).haltOnFatalError("RibTarget");
        MetricRegistry metrics = server.metrics();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        System.out.println("target ready " + status("VmRSS"));
        server.start();
        System.out.println("warm-up " + server.warmUpSummary());
        // One line per phase, stamped with JVM up-time so they line up with -Xlog/PrintCompilation
        // output: when the tester's routes start arriving, when all N are in, when they are gone.
        var runtime = java.lang.management.ManagementFactory.getRuntimeMXBean();
        int cycle = 0;
        long first = 0;
        long cpu0 = 0;
        boolean full = false;
        while (true) {
            // The per-peer gauge reads a counter without queueing behind the RIB's work.
            long accepted = accepted(metrics);
            long now = System.nanoTime();
            if (first == 0 && accepted > 0) {
                first = now;
                cpu0 = os.getProcessCpuTime();
                cycle++;
                System.out.printf("cycle=%d first route at uptime_ms=%d wall=%s%n", cycle, runtime.getUptime(), java.time.LocalTime.now());
            }
            if (!full && accepted >= n) {
                full = true;
                System.out.printf("target has all routes=%d cycle=%d uptime_ms=%d first_to_all_ms=%d process_cpu_ms_since_first=%d %s %s%n",
                        accepted, cycle, runtime.getUptime(), (now - first) / 1_000_000,
                        (os.getProcessCpuTime() - cpu0) / 1_000_000, status("VmRSS"), status("VmHWM"));
            }
            if (full && accepted == 0) {
                System.out.printf("cycle=%d all withdrawn at uptime_ms=%d wall=%s%n", cycle, runtime.getUptime(), java.time.LocalTime.now());
                full = false;
                first = 0;
                if (train) {
                    Thread.sleep(2000); // let the withdrawals reach the monitor
                    System.out.println("training run done");
                    // Exit normally so the JVM writes what it learned (classes, method profiles).
                    System.exit(0);
                }
            }
            System.out.flush();
            Thread.sleep(100); // polling our own counter from outside the RIB loop; a harness, not a test
        }
    }

    private static long accepted(MetricRegistry metrics) {
        var gauge = metrics.getGauges().get("bgp.peer.198.18.1.2.prefixes.accepted");
        return gauge == null ? 0 : ((Number) gauge.getValue()).longValue();
    }
}
