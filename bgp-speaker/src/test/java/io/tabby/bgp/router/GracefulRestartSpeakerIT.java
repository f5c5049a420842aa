package io.tabby.bgp.router;

import static io.tabby.bgp.router.GracefulRestartHelperIT.THREE;
import static io.tabby.bgp.router.GracefulRestartHelperIT.TWO;
import static io.tabby.bgp.router.GracefulRestartHelperIT.UP;
import static io.tabby.bgp.router.GracefulRestartHelperIT.birdConf;
import static io.tabby.bgp.router.GracefulRestartHelperIT.forwarding;
import static io.tabby.bgp.router.GracefulRestartHelperIT.kernel;
import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.session.State;
import io.tabby.bgp.wire.Family;
import io.tabby.netlink.NetlinkHandle;
import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.Bird;
import io.tabby.testkit.CommandFailedException;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Tabby as the restarting speaker (RFC 4724 4.1) with BIRD 2 as helper. The speaker crashes the
 * way kill -9 ends it (sockets closed by the kernel, no NOTIFICATION, kernel routes left behind)
 * and a new instance starts in the same namespace, in the same JVM: a separate-process version
 * needs {@code tabby bgp run} on the RIB. Checked continuously while it is down and while it comes
 * back: our kernel keeps BIRD's routes and forwards through them, BIRD keeps ours (stale), nothing
 * is withdrawn and re-added; after the End-of-RIBs both sides drop only what is no longer announced.
 */
@NetnsTest
class GracefulRestartSpeakerIT {
    static final String OURS = "10.244.1.0/26";
    static final String OURS_OLD = "10.244.9.0/26";

    @Test
    void tabbyCrashesAndRestartsWhileBirdKeepsForwarding(Lab lab) throws Exception {
        Netns[] nets = GracefulRestartHelperIT.topology(lab);
        Netns spk = nets[0];
        Bird bird = Bird.start(lab, nets[1], "bird", birdConf(120, TWO, THREE));
        GrSpeaker first = null;
        GrSpeaker second = null;
        try (NetNs ns = Speakers.inside(spk); NetlinkHandle nl = NetlinkHandle.open(ns)) {
            first = new GrSpeaker(ns, nl, OURS, OURS_OLD);
            assertThat(first.restarted).isFalse();
            Eventually.await("BIRD's blocks in our kernel and ours in BIRD", UP,
                    () -> kernel(spk).contains(TWO) && kernel(spk).contains(THREE) && inBird(bird, OURS_OLD),
                    () -> kernel(spk) + "\n" + bird.birdc("show", "protocols", "all", "tabby"));
            forwarding(spk, TWO, THREE);

            first.crash();
            Eventually.await("BIRD saw the session go", UP, () -> !bird.established("tabby"));
            assertThat(bird.birdc("show", "protocols", "all", "tabby")).contains("Neighbor graceful restart active");
            // While we are down: BIRD keeps our routes, our kernel keeps BIRD's and forwards.
            // BIRD meanwhile stops announcing 10.244.3.0/26 (reconfigured).
            Files.writeString(lab.dir().resolve("bird.conf"), birdConf(120, TWO));
            bird.birdc("configure");
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            do {
                bothSidesKeep(spk, bird, THREE, OURS_OLD);
            } while (System.nanoTime() < until);

            second = new GrSpeaker(ns, nl, OURS);
            assertThat(second.restarted).as("our protocol-250 routes were still in the kernel").isTrue();
            long deadline = System.nanoTime() + UP.toNanos();
            while (second.router.restarting() || kernel(spk).contains(THREE) || inBird(bird, OURS_OLD)) {
                assertThat(System.nanoTime()).as("restart complete; BIRD: "
                        + bird.birdc("show", "protocols", "all", "tabby") + "\nkernel: " + kernel(spk)).isLessThan(deadline);
                bothSidesKeep(spk, bird, null, null);
            }
            bothSidesKeep(spk, bird, null, null);
            assertThat(second.session.state()).isEqualTo(State.ESTABLISHED);
            assertThat(kernel(spk)).as("the block BIRD no longer has was swept by the one FIB sync").doesNotContain(THREE);
            assertThat(inBird(bird, OURS_OLD)).as("BIRD swept our stale route at our End-of-RIB").isFalse();
            assertThat(second.path(TWO).stale()).isFalse();
            assertThat(second.session.negotiated().gracefulRestart().orElseThrow().forwardingPreserved(Family.IPV4_UNICAST))
                    .as("BIRD did not restart: no Forwarding State bit from it").isFalse();
            assertThat(second.session.config().gracefulRestart().restarted())
                    .as("the next OPEN would not claim a restart any more").isFalse();
        } finally {
            if (first != null) {
                first.crash();
            }
            if (second != null) {
                second.stop();
            }
        }
    }

    /** True when BIRD has a route to {@code prefix} from us (birdc exits 1 with "Network not found"). */
    static boolean inBird(Bird bird, String prefix) {
        try {
            return bird.birdc("show", "route", prefix).contains("10.0.0.1");
        } catch (CommandFailedException e) {
            return false;
        }
    }

    /**
     * What must hold at every instant of the restart: 10.244.2.0/26 in our kernel and forwarding,
     * our block in BIRD; and, if named, the route BIRD dropped still in our kernel and our old
     * block still in BIRD (both stale, not yet swept).
     */
    static void bothSidesKeep(Netns spk, Bird bird, String staleInKernel, String staleInBird) {
        forwarding(spk, TWO);
        assertThat(inBird(bird, OURS)).as(OURS + " in BIRD").isTrue();
        if (staleInKernel != null) {
            assertThat(kernel(spk)).contains(staleInKernel);
        }
        if (staleInBird != null) {
            assertThat(inBird(bird, staleInBird)).as(staleInBird + " in BIRD").isTrue();
        }
    }
}
