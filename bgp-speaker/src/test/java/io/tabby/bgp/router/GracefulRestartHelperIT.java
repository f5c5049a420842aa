package io.tabby.bgp.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.session.State;
import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.Family;
import io.tabby.netlink.NetlinkHandle;
import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.Bird;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Tabby as graceful-restart helper (RFC 4724 4.2) for BIRD 2 killed with -9. Our speaker runs
 * in-process in namespace spk (sockets and netlink inside it); BIRD in rtr announces two blocks
 * whose first addresses live on rtr's loopback, so a ping from spk crosses a BGP-learned kernel
 * route and is answered by rtr's kernel whether BIRD runs or not.
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
        lab.veth(spk, "eth0", rtr, "eth0");
        spk.ip("addr", "add", "10.0.0.1/24", "dev", "eth0");
        rtr.ip("addr", "add", "10.0.0.2/24", "dev", "eth0");
        rtr.ip("addr", "add", "10.244.2.1/32", "dev", "lo");
        rtr.ip("addr", "add", "10.244.3.1/32", "dev", "lo");
        return new Netns[] {spk, rtr};
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

    /** Learns both blocks with GR negotiated, then kill -9 BIRD; returns once our session noticed. */
    static void learnThenKill(Netns spk, Bird bird, GrSpeaker t, int restartTime) throws Exception {
        assertThat(t.restarted).as("a fresh namespace has no routes of ours").isFalse();
        Eventually.await("BIRD's blocks in our kernel", UP, () -> kernel(spk).contains(TWO) && kernel(spk).contains(THREE),
                () -> spk.ip("route", "show") + "\n" + bird.birdc("show", "protocols", "all"));
        forwarding(spk, TWO, THREE);
        Capability.GracefulRestart theirs = t.session.negotiated().gracefulRestart().orElseThrow();
        assertThat(theirs.restartTime()).isEqualTo(restartTime);
        assertThat(theirs.families()).extracting(Capability.GracefulRestart.GrFamily::family)
                .containsExactly(Family.IPV4_UNICAST);
        assertThat(bird.birdc("show", "protocols", "all", "tabby")).contains("Graceful restart");

        bird.daemon().kill(); // TCP closed by the kernel, no NOTIFICATION
        Eventually.await("our session down", UP, () -> t.session.state() != State.ESTABLISHED);
    }

    @Test
    void birdKilledKeepsForwardingOnStaleRoutesAndItsEndOfRibSweepsWhatItNoLongerAnnounces(Lab lab) throws Exception {
        Netns[] nets = topology(lab);
        Netns spk = nets[0];
        Netns rtr = nets[1];
        Bird bird = Bird.start(lab, rtr, "bird", birdConf(120, TWO, THREE));
        GrSpeaker t = null;
        try (NetNs ns = Speakers.inside(spk); NetlinkHandle nl = NetlinkHandle.open(ns)) {
            t = new GrSpeaker(ns, nl, "10.244.1.0/26");
            learnThenKill(spk, bird, t, 120);

            // While BIRD is gone: both blocks stay in the kernel, marked stale in the RIB, and forward.
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            do {
                forwarding(spk, TWO, THREE);
                assertThat(t.path(TWO).stale()).isTrue();
                assertThat(t.path(THREE).stale()).isTrue();
            } while (System.nanoTime() < until);

            // BIRD comes back in recovery mode (R and F bits) and no longer has 10.244.3.0/26.
            Bird again = Bird.start(lab, rtr, "bird", birdConf(120, TWO), "-R");
            long deadline = System.nanoTime() + UP.toNanos();
            while (kernel(spk).contains(THREE) || t.path(TWO).stale()) {
                assertThat(System.nanoTime()).as("10.244.3.0/26 swept after BIRD's End-of-RIB; BIRD: "
                        + again.birdc("show", "protocols", "all", "tabby")).isLessThan(deadline);
                forwarding(spk, TWO); // never lost on the way
            }
            forwarding(spk, TWO);
            assertThat(kernel(spk)).doesNotContain(THREE);
            assertThat(t.path(TWO).stale()).isFalse();
            assertThat(t.session.negotiated().gracefulRestart().orElseThrow().restarted())
                    .as("BIRD restarted with -R: Restart State bit").isTrue();
            assertThat(t.session.negotiated().gracefulRestart().orElseThrow().forwardingPreserved(Family.IPV4_UNICAST))
                    .isTrue();
            Eventually.await("our block back in BIRD", UP,
                    () -> again.birdc("show", "route", "10.244.1.0/26").contains("10.0.0.1"));
        } finally {
            if (t != null) {
                t.stop();
            }
        }
    }

    @Test
    void birdThatDoesNotComeBackWithinItsRestartTimeIsSwept(Lab lab) throws Exception {
        Netns[] nets = topology(lab);
        Netns spk = nets[0];
        Bird bird = Bird.start(lab, nets[1], "bird", birdConf(5, TWO, THREE));
        GrSpeaker t = null;
        try (NetNs ns = Speakers.inside(spk); NetlinkHandle nl = NetlinkHandle.open(ns)) {
            t = new GrSpeaker(ns, nl, "10.244.1.0/26");
            learnThenKill(spk, bird, t, 5);
            long killed = System.nanoTime();
            while (System.nanoTime() - killed < Duration.ofSeconds(3).toNanos()) {
                forwarding(spk, TWO, THREE);
            }
            Eventually.await("stale routes swept after BIRD's 5 s restart time", Duration.ofSeconds(15),
                    () -> kernel(spk).isBlank(), () -> spk.ip("route", "show"));
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("not before the restart time")
                    .isGreaterThan(Duration.ofMillis(4500));
            var peers = t.router.peers().get(5, TimeUnit.SECONDS);
            assertThat(peers).singleElement().satisfies(p -> {
                assertThat(p.accepted()).isZero();
                assertThat(p.stale()).isFalse();
            });
        } finally {
            if (t != null) {
                t.stop();
            }
        }
    }
}
