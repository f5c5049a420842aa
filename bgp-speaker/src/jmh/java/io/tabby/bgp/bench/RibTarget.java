package io.tabby.bgp.bench;

import com.codahale.metrics.MetricRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.tabby.bgp.policy.PeerPolicies;
import io.tabby.bgp.policy.Speaker;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.router.Dialer;
import io.tabby.bgp.router.RibRouter;
import io.tabby.bgp.routing.Neighbour;
import io.tabby.bgp.routing.Rib;
import io.tabby.bgp.session.SessionConfig;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.Family;
import io.tabby.netlink.ns.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Tabby as the bgperf target (bgp.md section 3.4): AS 65000, router id 198.18.0.1, sessions to a
 * tester (198.18.1.2, AS 65001) and a monitor (198.18.2.2, AS 65100), hold time 240, accept all,
 * no Adj-RIB-In retention, no FIB (control plane only, as the BIRD/FRR targets there), all sockets
 * inside the namespace given. Prints one line when the tester's N routes are in the Loc-RIB and
 * then keeps running until killed, so the monitor can finish receiving.
 *
 * <p>Usage: {@code RibTarget /run/netns/NAME N [train]}; with {@code train} it exits after the
 * withdrawals (a training run for a JDK AOT cache).
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
        boolean train = args.length > 2 && args[2].equals("train");
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        // One thread for the sessions and the RIB (the target is pinned to one core): received
        // UPDATEs reach the RIB and drained UPDATEs reach the monitor's socket without a hand-off
        // between threads (each a queue insert and an eventfd wake-up), and the sessions read no
        // further ahead of the RIB than one event-loop turn, so decoded UPDATEs do not pile up.
        EventLoop ribLoop = io.next();
        MetricRegistry metrics = new MetricRegistry();
        Rib rib = new Rib(Speaker.of(65000, Addresses.parse4("198.18.0.1")), Set.of(Family.IPV4_UNICAST),
                BestPath.Options.DEFAULT, metrics);
        RibRouter router = new RibRouter(ribLoop, rib, null, (p, local) -> Neighbour.of(p, local, PeerPolicies.allowAll()));
        NetNs ns = NetNs.open(netns);
        if (ns.inode() == NetNs.currentInode()) {
            throw new IllegalStateException(netns + " is this process's own namespace");
        }
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        System.out.println("target ready " + status("VmRSS"));
        Dialer.connect(ns, io, SessionConfig.of(65000, Addresses.parse4("198.18.0.1"), 65100).withHoldTime(240),
                "198.18.2.2", router);
        Dialer.connect(ns, io, SessionConfig.of(65000, Addresses.parse4("198.18.0.1"), 65001).withHoldTime(240),
                "198.18.1.2", router);
        long first = 0;
        long cpu0 = os.getProcessCpuTime();
        while (true) {
            // The per-peer gauge reads a counter without queueing behind the RIB's work.
            long accepted = gauge(metrics);
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
        if (!train) {
            Thread.currentThread().join(); // keep serving the monitor until the script kills us
        }
        // Training run for an AOT cache (-XX:AOTCacheOutput): exit normally once the withdrawals
        // are through, so the JVM writes what it learned (classes, method profiles) at exit.
        while (gauge(metrics) > 0) {
            Thread.sleep(100);
        }
        Thread.sleep(2000); // let the withdrawals reach the monitor
        System.out.println("training run done");
        System.exit(0);
    }

    private static long gauge(MetricRegistry metrics) {
        var gauge = metrics.getGauges().get("bgp.peer.198.18.1.2.prefixes.accepted");
        return gauge == null ? 0 : ((Number) gauge.getValue()).longValue();
    }
}
