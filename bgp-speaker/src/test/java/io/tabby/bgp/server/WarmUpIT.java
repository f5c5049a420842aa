package io.tabby.bgp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.config.BgpConfig;
import io.tabby.bgp.session.State;
import io.tabby.testkit.Bird;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Fabric;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The JIT warm-up in a namespace of its own: it really passes its routes through three loopback
 * speakers (every round complete, the hub's writes backed up in every table round), leaves
 * nothing behind (no socket, no route, no thread of its speakers), gives up cleanly when loopback
 * is down, and the speaker then starts and peers as usual.
 */
@NetnsTest
class WarmUpIT {

    /** Open TCP sockets; TIME-WAIT ones are the kernel's, left after a clean close by design (RFC 9293 3.6). */
    private static String sockets(Netns ns) {
        return ns.run("ss", "-Htan", "exclude", "time-wait");
    }

    private static String routes(Netns ns) {
        return ns.ip("route", "show", "table", "all") + ns.ip("-6", "route", "show", "table", "all");
    }

    private static long liveThreads() {
        // The four warm-up speakers' event loops: any left would be a leak.
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).count();
    }

    @Test
    void passesEveryRoundAndLeavesNothingBehind(Lab lab) {
        Netns ns = lab.netns("warm");
        String routesBefore = routes(ns);
        long threadsBefore = liveThreads();

        WarmUp.Result r = WarmUp.run(new BgpConfig.WarmUp(50_000, 2, 60), ns.path().toString());

        assertThat(r.complete()).as("failure: %s", r.failure()).isTrue();
        assertThat(r.rounds()).filteredOn(round -> round.kind() == WarmUp.Kind.TABLE).hasSizeBetween(2, 6); // up to 3 per pass until quiet
        // Every paused table round is followed by an overlap round, in which every best path
        // changed twice (the round waits for the sink to be sent each change, or fails).
        assertThat(r.rounds()).filteredOn(round -> round.kind() == WarmUp.Kind.OVERLAP).hasSizeBetween(2, 6);
        assertThat(r.rounds()).filteredOn(round -> round.kind() == WarmUp.Kind.CHATTER).isNotEmpty();
        assertThat(r.routesPerRound()).isEqualTo(50_000);
        // 50,000 routes are about 250 KB of UPDATEs each way, more than the hub's send buffer and
        // the paused sink's window hold: in both phases of every table round the hub's writes
        // backed up, so the path where the socket refuses a write ran before any real peer's burst.
        assertThat(r.rounds()).filteredOn(round -> round.kind() == WarmUp.Kind.TABLE).extracting(WarmUp.Round::pushedBack)
                .containsOnly(2);
        // The compilers' freed arenas went back to the kernel (the JVM's own report of the trim).
        assertThat(r.nativeTrim()).matches("Trim native heap: RSS\\+Swap: \\d+[KMG]?->\\d+[KMG]? \\([-+]?\\d+[KMG]?\\)");
        Eventually.await("the warm-up's connections closed", Duration.ofSeconds(10), () -> sockets(ns).isBlank(),
                () -> sockets(ns));
        assertThat(routes(ns)).isEqualTo(routesBefore);
        Eventually.await("the warm-up speakers' threads gone", Duration.ofSeconds(10),
                () -> liveThreads() <= threadsBefore, () -> "threads: " + liveThreads() + " > " + threadsBefore);
    }

    @Test
    void givesUpWhenLoopbackIsDownAndTheSpeakerStillStarts(Lab lab) {
        Netns ns = lab.netns("nolo");
        ns.ip("link", "set", "lo", "down");

        WarmUp.Result r = WarmUp.run(new BgpConfig.WarmUp(1000, 1, 2), ns.path().toString());

        assertThat(r.complete()).isFalse();
        assertThat(r.rounds()).isEmpty();
        assertThat(r.failure()).contains("timed out waiting for sessions to come up");
        Eventually.await("the failed warm-up's sockets closed", Duration.ofSeconds(10), () -> sockets(ns).isBlank(),
                () -> sockets(ns));
    }

    @Test
    void speakerWithWarmUpPeersWithBirdAfterwards(Lab lab) throws Exception {
        Fabric fabric = lab.fabric();
        Netns a = fabric.host("a", "10.98.0.1/24");
        Netns b = fabric.host("b", "10.98.0.2/24");
        Bird bird = Bird.start(lab, b, "bird", """
                router id 10.98.0.2;
                protocol device {}
                protocol static blocks { ipv4; route 10.250.0.0/24 blackhole; }
                protocol bgp tabby {
                  local 10.98.0.2 as 65002; neighbor 10.98.0.1 as 65001; hold time 9; connect retry time 1;
                  ipv4 { import all; export all; };
                }
                """);
        String yaml = """
                netns: %s
                localAs: 65001
                routerId: 10.98.0.1
                apiSocket: none
                nextHopResolution: none
                warmUp: {routes: 3000, rounds: 1}
                peers:
                  - {address: 10.98.0.2, as: 65002, holdTime: 9, connectRetry: 1, allowAll: true}
                """.formatted(a.path());
        try (BgpServer s = new BgpServer(BgpConfig.parse(yaml, "warm.yaml")).start()) {
            Eventually.await("the session up", Duration.ofSeconds(30), () -> s.state("10.98.0.2") == State.ESTABLISHED,
                    () -> bird.birdc("show", "protocols", "all", "tabby"));
            Eventually.await("BIRD's route in our RIB", Duration.ofSeconds(30),
                    () -> s.router().peers().join().stream().anyMatch(v -> v.accepted() == 1),
                    () -> String.valueOf(s.router().peers().join()));
            // Only the real peer's route: nothing of the warm-up's 3000 is left in the RIB.
            assertThat(s.routes(java.util.Optional.empty(), 100).join()).hasSize(1);
        }
    }
}
