package io.tabby.bgp.bench;

import com.codahale.metrics.MetricRegistry;
import io.tabby.bgp.config.BgpConfig;
import io.tabby.bgp.server.BgpServer;
import io.tabby.netlink.ns.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tabby as the bgperf target (bgp.md section 3.4): AS 65000, router id 198.18.0.1, sessions to a
 * tester (198.18.1.2, AS 65001) and a monitor (198.18.2.2, AS 65100), hold time 240, accept all,
 * no Adj-RIB-In retention, no FIB and no next-hop resolution (control plane only, as the BIRD/FRR
 * targets there), all sockets inside the namespace given: the {@link BgpServer} that
 * {@code tabby bgp run} runs, configured in code. Prints one line when the tester's N routes are in the Loc-RIB and
 * then keeps running until killed, so the monitor can finish receiving.
 *
 * <p>Usage: {@code RibTarget /run/netns/NAME N}
 */
public final class RibTarget {
    private RibTarget() {}

    static String status(String key) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(key))
                .map(l -> l.replaceAll("\\s+", " ")).findFirst().orElse(key + " ?");
    }

    public static void main(String[] args) throws Exception {
        Path netns = Path.of(args[0]);
        long n = Long.parseLong(args[1]);
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
                peers:
                  - {address: 198.18.2.2, as: 65100, holdTime: 240, connectRetry: 1, allowAll: true, keepReceived: false}
                  - {address: 198.18.1.2, as: 65001, holdTime: 240, connectRetry: 1, allowAll: true, keepReceived: false}
                """.formatted(netns), "RibTarget"));
        MetricRegistry metrics = server.metrics();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        System.out.println("target ready " + status("VmRSS"));
        server.start();
        long first = 0;
        long cpu0 = os.getProcessCpuTime();
        while (true) {
            // The per-peer gauge reads a counter without queueing behind the RIB's work.
            var gauge = metrics.getGauges().get("bgp.peer.198.18.1.2.prefixes.accepted");
            long accepted = gauge == null ? 0 : ((Number) gauge.getValue()).longValue();
            long now = System.nanoTime();
            if (first == 0 && accepted > 0) {
                first = now;
                cpu0 = os.getProcessCpuTime();
            }
            if (accepted >= n) {
                System.out.printf("target has all routes=%d first_to_all_ms=%d process_cpu_ms_since_first=%d %s %s%n",
                        accepted, (now - first) / 1_000_000, (os.getProcessCpuTime() - cpu0) / 1_000_000,
                        status("VmRSS"), status("VmHWM"));
                System.out.flush();
                break;
            }
            Thread.sleep(100); // polling our own counter from outside the RIB loop; a harness, not a test
        }
        Thread.currentThread().join(); // keep serving the monitor until the script kills us
    }
}
