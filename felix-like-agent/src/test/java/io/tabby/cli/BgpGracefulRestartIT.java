package io.tabby.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.testkit.Bird;
import io.tabby.testkit.Daemon;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * RFC 4724 with Tabby as the restarting speaker, as a real process: {@code tabby bgp run} (FIB on,
 * graceful restart on) in namespace spk, iBGP with BIRD 2 ({@code graceful restart on}) in rtr.
 * Tabby is killed with -9 and started again while BIRD keeps forwarding. Checked at every step
 * while it is down and while it comes back: our protocol-250 routes stay in spk's kernel and a ping
 * through the one to 10.244.2.0/26 is answered, BIRD keeps our block; afterwards the route BIRD
 * stopped announcing meanwhile is gone from our kernel, the block the new Tabby no longer
 * originates is gone from BIRD, and {@code ip monitor} shows that 10.244.2.0/26 was never touched.
 */
@NetnsTest
class BgpGracefulRestartIT {
    static final Duration UP = Duration.ofSeconds(40);
    static final String TWO = "10.244.2.0/26";
    static final String THREE = "10.244.3.0/26";
    static final String OURS = "10.244.1.0/26";
    static final String OURS_OLD = "10.244.9.0/26";

    static String birdConf(String... blocks) {
        return Bird.ibgpConfig("10.0.0.2", "10.0.0.1", 64512, "graceful restart on;", blocks);
    }

    static String tabbyConf(Path socket, String... originate) {
        StringBuilder o = new StringBuilder();
        for (String p : originate) {
            o.append("  - {prefix: ").append(p).append("}\n");
        }
        return """
                localAs: 64512
                routerId: 10.0.0.1
                apiSocket: %s
                fib: {enabled: true}
                gracefulRestart: {restartTime: 120, deferralTime: 60}
                peers:
                  - {address: 10.0.0.2, as: 64512, holdTime: 9, connectRetry: 1, allowAll: true}
                originate:
                %s""".formatted(socket, o);
    }

    @Test
    void tabbyKilledWithMinus9RestartsWhileBirdKeepsForwarding(Lab lab) throws IOException {
        Netns spk = lab.netns("spk");
        Netns rtr = lab.netns("rtr");
        lab.veth(spk, "eth0", rtr, "eth0");
        spk.ip("addr", "add", "10.0.0.1/24", "dev", "eth0");
        rtr.ip("addr", "add", "10.0.0.2/24", "dev", "eth0");
        rtr.ip("addr", "add", "10.244.2.1/32", "dev", "lo");
        rtr.ip("addr", "add", "10.244.3.1/32", "dev", "lo");
        Bird bird = Bird.start(lab, rtr, "bird", birdConf(TWO, THREE));

        Path cfg = lab.dir().resolve("tabby.yaml");
        Path socket = lab.dir().resolve("bgp.sock");
        Files.writeString(cfg, tabbyConf(socket, OURS, OURS_OLD));
        Daemon first = tabby(lab, spk, cfg, "tabby-1.log");
        Eventually.await("BIRD's blocks in our kernel, ours in BIRD", UP,
                () -> kernel(spk).contains(TWO) && kernel(spk).contains(THREE) && bird.hasRoute(OURS_OLD, "10.0.0.1"),
                () -> kernel(spk) + "\n" + bird.birdc("show", "protocols", "all", "tabby") + "\n"
                        + BgpRunIT.read(lab.dir().resolve("tabby-1.log")));
        keeps(spk, bird, THREE, OURS_OLD);

        first.kill();
        Eventually.await("BIRD noticed", UP, () -> !bird.established("tabby"));
        assertThat(bird.birdc("show", "protocols", "all", "tabby")).contains("Neighbor graceful restart active");
        Files.writeString(lab.dir().resolve("bird.conf"), birdConf(TWO)); // BIRD drops 10.244.3.0/26 meanwhile
        bird.birdc("configure");
        Daemon monitor = spk.spawn(lab.dir().resolve("monitor.log"), "ip", "monitor", "route");
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        do {
            keeps(spk, bird, THREE, OURS_OLD);
        } while (System.nanoTime() < until);

        Files.writeString(cfg, tabbyConf(socket, OURS));
        Path log = lab.dir().resolve("tabby-2.log");
        Daemon second = tabby(lab, spk, cfg, "tabby-2.log");
        long deadline = System.nanoTime() + UP.toNanos();
        while (kernel(spk).contains(THREE) || bird.hasRoute(OURS_OLD, "10.0.0.1")) {
            assertThat(System.nanoTime()).as("restart complete; BIRD:\n" + bird.birdc("show", "protocols", "all", "tabby")
                    + "\nkernel:\n" + kernel(spk) + "\nlog:\n" + BgpRunIT.read(log)).isLessThan(deadline);
            keeps(spk, bird, null, null);
        }
        keeps(spk, bird, null, null);
        Eventually.await("ip monitor caught up", Duration.ofSeconds(5),
                () -> BgpRunIT.read(lab.dir().resolve("monitor.log")).contains("Deleted " + THREE));
        monitor.stop(Duration.ofSeconds(1));
        assertThat(BgpRunIT.read(lab.dir().resolve("monitor.log"))).as("10.244.2.0/26 never withdrawn or replaced")
                .doesNotContain(TWO);
        assertThat(BgpRunIT.read(log)).contains("selection deferral released")
                .contains("graceful restart complete").contains("replaced=0 deleted=1 failed=0 full=true");
        assertThat(BgpRunIT.read(log).indexOf("selection deferral released"))
                .as("the one FIB sync came after the deferral, none before it")
                .isLessThan(BgpRunIT.read(log).indexOf("FIB applied"));
        second.stop(Duration.ofSeconds(10));
    }

    static Daemon tabby(Lab lab, Netns spk, Path cfg, String logName) {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of("target/tabby.jar").toAbsolutePath();
        assertThat(jar).exists();
        return spk.spawn(lab.dir().resolve(logName), java, "-jar", jar.toString(), "bgp", "run", "--config", cfg.toString());
    }

    static String kernel(Netns spk) {
        return spk.ip("route", "show", "proto", "250");
    }

    /**
     * What must hold at every instant: 10.244.2.0/26 in our kernel and a ping through it answered,
     * our block in BIRD; and, if named, the route BIRD dropped still in our kernel and our old
     * block still in BIRD (both stale, not swept yet).
     */
    static void keeps(Netns spk, Bird bird, String staleInKernel, String staleInBird) {
        String routes = kernel(spk);
        assertThat(routes).contains(TWO + " via 10.0.0.2 dev eth0");
        assertThat(spk.ping("10.244.2.1", Duration.ofSeconds(1))).as("ping through " + TWO).isTrue();
        assertThat(bird.hasRoute(OURS, "10.0.0.1")).as(OURS + " in BIRD").isTrue();
        if (staleInKernel != null) {
            assertThat(routes).contains(staleInKernel);
        }
        if (staleInBird != null) {
            assertThat(bird.hasRoute(staleInBird, "10.0.0.1")).as(staleInBird + " in BIRD").isTrue();
        }
    }
}
