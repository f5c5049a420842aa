package io.tabby.bgp.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.routing.LookingGlass;
import io.tabby.bgp.server.BgpServer;
import io.tabby.bgp.session.State;
import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import io.tabby.testkit.Bird;
import io.tabby.testkit.Daemon;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Frr;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Tabby as graceful-restart helper (RFC 4724 4.2) for BIRD 2 and FRR 8 killed with -9 (and started
 * again in their recovery modes: BIRD {@code -R}, FRR right after start with {@code
 * preserve-fw-state}). Our speaker runs in-process in namespace spk (sockets and netlink inside
 * it); the peer in rtr announces two blocks whose first addresses live on rtr's loopback, so a
 * ping from spk crosses a BGP-learned kernel route and is answered by rtr's kernel whether the
 * peer runs or not.
 */
@NetnsTest
class GracefulRestartHelperIT {
    static final Duration UP = Duration.ofSeconds(30);
    static final String TWO = "10.244.2.0/26";
    static final String THREE = "10.244.3.0/26";

    static String birdConf(int restartTime, String... blocks) {
        return Bird.ibgpConfig("10.0.0.2", "10.0.0.1", 64512,
                "graceful restart on; graceful restart time " + restartTime + ";", blocks);
    }

    /** spk -- rtr over a veth; rtr owns 10.244.2.1 and 10.244.3.1 on its loopback. */
    static Netns[] topology(Lab lab) {
        Netns spk = lab.netns("spk");
        Netns rtr = lab.netns("rtr");
        lab.link(spk, "10.0.0.1/24", rtr, "10.0.0.2/24");
        rtr.ip("addr", "add", "10.244.2.1/32", "dev", "lo");
        rtr.ip("addr", "add", "10.244.3.1/32", "dev", "lo");
        return new Netns[] {spk, rtr};
    }

    /** Our speaker as {@code tabby bgp run} builds it, inside spk: FIB on, graceful restart on, cold start. */
    static BgpServer tabby(Lab lab, Netns spk) {
        return Speakers.server(lab, spk, """
                localAs: 64512
                routerId: 10.0.0.1
                fib: {enabled: true}
                gracefulRestart: {restartTime: 120, deferralTime: 60, staleTime: 60}
                peers:
                  - {address: 10.0.0.2, as: 64512, holdTime: 9, connectRetry: 1, allowAll: true, nextHop: self}
                originate: [{prefix: 10.244.1.0/26}]
                """);
    }

    /** The single path to {@code prefix} in the Loc-RIB (with its stale flag). */
    static LookingGlass.PathView path(BgpServer s, String prefix) throws Exception {
        var paths = s.router().route(Prefix.parse(prefix)).get(5, TimeUnit.SECONDS).paths();
        assertThat(paths).as(prefix + " in the RIB").hasSize(1);
        return paths.getFirst();
    }

    static String kernel(Netns spk) {
        return spk.ip("route", "show", "proto", "250");
    }

    /** Both blocks in spk's kernel, and a ping through the one learned for 10.244.2.1 answered. */
    static void forwarding(Netns spk, String... blocks) {
        String routes = kernel(spk);
        for (String b : blocks) {
            assertThat(routes).as("kernel routes of protocol 250").contains(b + " via 10.0.0.2 dev eth0");
        }
        assertThat(spk.ping("10.244.2.1", Duration.ofSeconds(1))).as("ping 10.244.2.1 through the BGP route").isTrue();
    }

    /**
     * The peer in rtr announcing TWO and THREE with graceful restart: its process (for kill -9),
     * how to start it again announcing only TWO (in its recovery mode: R and F bits), a diagnostic.
     */
    record Peer(Daemon process, Runnable comeBackWithoutThree, Supplier<String> explain) {}

    static Peer bird(Lab lab, Netns rtr, int restartTime) {
        Bird bird = Bird.start(lab, rtr, "bird", birdConf(restartTime, TWO, THREE));
        return new Peer(bird.daemon(), () -> Bird.start(lab, rtr, "bird", birdConf(restartTime, TWO), "-R"),
                () -> bird.birdc("show", "protocols", "all"));
    }

    static String frrConf(String... blocks) {
        StringBuilder networks = new StringBuilder();
        for (String b : blocks) {
            networks.append("  network ").append(b).append('\n');
        }
        return """
                frr defaults datacenter
                hostname rtr
                router bgp 64512
                 bgp router-id 10.0.0.2
                 bgp graceful-restart
                 bgp graceful-restart preserve-fw-state
                 no bgp network import-check
                 neighbor 10.0.0.1 remote-as 64512
                 neighbor 10.0.0.1 passive
                 neighbor 10.0.0.1 timers 3 9
                 address-family ipv4 unicast
                %s  neighbor 10.0.0.1 next-hop-self
                 exit-address-family
                """.formatted(networks);
    }

    /** Learns both blocks with GR negotiated, then kill -9 the peer; returns once our session noticed. */
    static void learnThenKill(Netns spk, Peer peer, BgpServer t, int restartTime) throws Exception {
        assertThat(t.router().restarting()).as("a fresh namespace has no routes of ours: a cold start").isFalse();
        Eventually.await("the peer's blocks in our kernel", UP, () -> kernel(spk).contains(TWO) && kernel(spk).contains(THREE),
                () -> spk.ip("route", "show") + "\n" + peer.explain().get());
        forwarding(spk, TWO, THREE);
        Capability.GracefulRestart theirs = t.peer("10.0.0.2").negotiated().gracefulRestart().orElseThrow();
        assertThat(theirs.restartTime()).isEqualTo(restartTime);
        assertThat(theirs.families()).extracting(Capability.GracefulRestart.GrFamily::family)
                .containsExactly(Family.IPV4_UNICAST);

        peer.process().kill(); // TCP closed by the kernel, no NOTIFICATION
        Eventually.await("our session down", UP, () -> t.state("10.0.0.2") != State.ESTABLISHED);
    }

    @Test
    void birdKilledKeepsForwardingOnStaleRoutesAndItsEndOfRibSweepsWhatItNoLongerAnnounces(Lab lab) throws Exception {
        Netns[] nets = topology(lab);
        killedAndBack(lab, nets[0], bird(lab, nets[1], 120), 120);
    }

    @Test
    void frrKilledKeepsForwardingOnStaleRoutesAndItsEndOfRibSweepsWhatItNoLongerAnnounces(Lab lab) throws Exception {
        Netns[] nets = topology(lab);
        Netns rtr = nets[1];
        Frr frr = Frr.startBgpd(lab, rtr, "frr", frrConf(TWO, THREE));
        killedAndBack(lab, nets[0], new Peer(frr.daemon(), () -> Frr.startBgpd(lab, rtr, "frr", frrConf(TWO)),
                () -> frr.vtysh("show bgp neighbors 10.0.0.1")), 120);
    }

    /** The peer killed with -9 and started again without THREE: stale meanwhile, THREE swept at its End-of-RIB. */
    static void killedAndBack(Lab lab, Netns spk, Peer peer, int restartTime) throws Exception {
        try (BgpServer t = tabby(lab, spk)) {
            learnThenKill(spk, peer, t, restartTime);

            // While the peer is gone: both blocks stay in the kernel, marked stale in the RIB, and forward.
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            do {
                forwarding(spk, TWO, THREE);
                assertThat(path(t, TWO).stale()).isTrue();
                assertThat(path(t, THREE).stale()).isTrue();
            } while (System.nanoTime() < until);

            peer.comeBackWithoutThree().run();
            long deadline = System.nanoTime() + UP.toNanos();
            while (kernel(spk).contains(THREE) || path(t, TWO).stale()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("10.244.3.0/26 not swept after the peer's End-of-RIB; kernel:\n" + kernel(spk));
                }
                forwarding(spk, TWO); // never lost on the way
            }
            forwarding(spk, TWO);
            assertThat(kernel(spk)).doesNotContain(THREE);
            assertThat(path(t, TWO).stale()).isFalse();
            Capability.GracefulRestart back = t.peer("10.0.0.2").negotiated().gracefulRestart().orElseThrow();
            assertThat(back.restarted()).as("the peer came back in recovery: Restart State bit").isTrue();
            assertThat(back.forwardingPreserved(Family.IPV4_UNICAST)).isTrue();
        }
    }

    /**
     * An active BIRD (it dials us after its restart) with a 90 s hold time, so that waiting for
     * the hold timer would show.
     */
    static String activeBirdConf(String... blocks) {
        return Bird.ibgpConfig("10.0.0.2", "10.0.0.1", 64512,
                "graceful restart on; graceful restart time 120; passive off; hold time 90;", blocks);
    }

    @Test
    void birdRebootedSilentlyReconnectsAtOnceAndIsTreatedAsARestart(Lab lab) throws Exception {
        silentReboot(lab, """
                peers:
                  - {address: 10.0.0.2, as: 64512, holdTime: 90, connectRetry: 1, allowAll: true, nextHop: self}
                """);
    }

    @Test
    void aDynamicPeerRebootedSilentlyIsKeptForItsNewConnection(Lab lab) throws Exception {
        silentReboot(lab, """
                dynamicPeers:
                  - {prefix: 10.0.0.0/24, as: 64512, options: {holdTime: 90, allowAll: true, nextHop: self}}
                """);
    }

    /**
     * RFC 4724 4.2 when no TCP reset reaches us: BIRD killed while its old connection is cut in
     * its own namespace (nft there drops that connection's 4-tuple both ways, so neither its FIN
     * nor a RST to our keepalives gets out), then started again in recovery mode without THREE.
     * Its new connection must replace the old session at once, not after our 90 s hold time.
     */
    static void silentReboot(Lab lab, String peers) throws Exception {
        Netns[] nets = topology(lab);
        Netns spk = nets[0];
        Netns rtr = nets[1];
        Bird bird = Bird.start(lab, rtr, "bird", activeBirdConf(TWO, THREE));
        try (BgpServer t = Speakers.server(lab, spk, """
                localAs: 64512
                routerId: 10.0.0.1
                fib: {enabled: true}
                gracefulRestart: {restartTime: 120, deferralTime: 60, staleTime: 60}
                originate: [{prefix: 10.244.1.0/26}]
                """ + peers)) {
            Eventually.await("the peer's blocks in our kernel", UP, () -> kernel(spk).contains(TWO) && kernel(spk).contains(THREE),
                    () -> spk.ip("route", "show") + "\n" + bird.birdc("show", "protocols", "all"));
            assertThat(t.peer("10.0.0.2").negotiated().holdTime()).isEqualTo(90);
            assertThat(t.peer("10.0.0.2").negotiated().gracefulRestart()).isPresent();

            // rtr's side of the one established BGP connection: "10.0.0.2:L 10.0.0.1:R".
            String[] conn = rtr.run("ss", "-Htn", "state", "established", "dst", "10.0.0.1").trim().split("\\s+");
            assertThat(conn).as("ss: " + String.join(" ", conn)).hasSizeGreaterThanOrEqualTo(4);
            String local = conn[conn.length - 2].substring(conn[conn.length - 2].lastIndexOf(':') + 1);
            String remote = conn[conn.length - 1].substring(conn[conn.length - 1].lastIndexOf(':') + 1);
            rtr.execWithInput("""
                    table inet tabby_cut {
                      chain in { type filter hook input priority 0; ip saddr 10.0.0.1 tcp sport %2$s tcp dport %1$s drop; }
                      chain out { type filter hook output priority 0; ip daddr 10.0.0.1 tcp sport %1$s tcp dport %2$s drop; }
                    }
                    """.formatted(local, remote), "nft", "-f", "-").orThrow();
            var before = t.peer("10.0.0.2");
            bird.daemon().kill();
            long killed = System.nanoTime();

            long until = killed + Duration.ofSeconds(2).toNanos();
            do {
                assertThat(t.state("10.0.0.2")).as("nothing reached us: the old session still looks up")
                        .isEqualTo(State.ESTABLISHED);
                forwarding(spk, TWO, THREE);
            } while (System.nanoTime() < until);

            Bird.start(lab, rtr, "bird", activeBirdConf(TWO), "-R");
            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            while (kernel(spk).contains(THREE) || t.state("10.0.0.2") != State.ESTABLISHED || path(t, TWO).stale()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no new session and sweep within 45 s; kernel:\n" + kernel(spk)
                            + "\n" + t.peerStatus().get(5, TimeUnit.SECONDS) + "\n" + rtr.run("ss", "-tn"));
                }
                forwarding(spk, TWO); // never lost on the way
            }
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("long before the 90 s hold time")
                    .isLessThan(Duration.ofSeconds(60));
            forwarding(spk, TWO);
            Capability.GracefulRestart back = t.peer("10.0.0.2").negotiated().gracefulRestart().orElseThrow();
            assertThat(back.restarted()).as("the new session is the restarted BIRD's: Restart State bit").isTrue();
            assertThat(t.peer("10.0.0.2")).as("the same session took the new connection (no Cease, no new dynamic peer)")
                    .isSameAs(before);
            assertThat(t.peerStatus().get(5, TimeUnit.SECONDS)).singleElement()
                    .satisfies(p -> assertThat(p.lastError()).startsWith("PEER_RESTARTED"));
        }
    }

    @Test
    void birdThatDoesNotComeBackWithinItsRestartTimeIsSwept(Lab lab) throws Exception {
        Netns[] nets = topology(lab);
        Netns spk = nets[0];
        Peer bird = bird(lab, nets[1], 5);
        try (BgpServer t = tabby(lab, spk)) {
            learnThenKill(spk, bird, t, 5);
            long killed = System.nanoTime();
            while (System.nanoTime() - killed < Duration.ofSeconds(3).toNanos()) {
                forwarding(spk, TWO, THREE);
            }
            Eventually.await("stale routes swept after BIRD's 5 s restart time", Duration.ofSeconds(15),
                    () -> kernel(spk).isBlank(), () -> spk.ip("route", "show"));
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("not before the restart time")
                    .isGreaterThan(Duration.ofMillis(4500));
            var peers = t.router().peers().get(5, TimeUnit.SECONDS);
            assertThat(peers).singleElement().satisfies(p -> {
                assertThat(p.accepted()).isZero();
                assertThat(p.stale()).isFalse();
            });
        }
    }
}
