package io.tabby.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.testkit.Bird;
import io.tabby.testkit.Daemon;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Frr;
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
 * graceful restart on) in namespace spk, iBGP with a helper in rtr: BIRD 2 ({@code graceful restart
 * on}) or FRR 8 ({@code bgp graceful-restart}). Tabby is killed with -9 and started again while the
 * peer keeps forwarding. Checked at every step while it is down and while it comes back: our
 * protocol-250 routes stay in spk's kernel and a ping through the one to 10.244.2.0/26 is answered,
 * the peer keeps our block (marked stale); afterwards the route the peer stopped announcing
 * meanwhile is gone from our kernel, the block the new Tabby no longer originates is gone from the
 * peer, and {@code ip monitor} shows that 10.244.2.0/26 was never touched.
 */
@NetnsTest
class BgpGracefulRestartIT {
    static final Duration UP = Duration.ofSeconds(40);
    static final String TWO = "10.244.2.0/26";
    static final String THREE = "10.244.3.0/26";
    static final String OURS = "10.244.1.0/26";
    static final String OURS_OLD = "10.244.9.0/26";

    /** The helper in rtr, announcing TWO and THREE with next hop self. */
    interface Helper {
        /** It has {@code prefix} from us; with {@code stale}, marked stale (our restart under way). */
        boolean has(String prefix, boolean stale);

        boolean established();

        /** Stops announcing {@code prefix}. */
        void withdraw(String prefix);

        String explain();

        /** The peer's own record of the R and F bits in our OPEN after the restart, where it shows them (BIRD does). */
        default void sawRestartBits() {}
    }

    static final class BirdHelper implements Helper {
        final Lab lab;
        final Bird bird;

        BirdHelper(Lab lab, Netns rtr) {
            this.lab = lab;
            this.bird = Bird.start(lab, rtr, "bird", conf(TWO, THREE));
        }

        static String conf(String... blocks) {
            return Bird.ibgpConfig("10.0.0.2", "10.0.0.1", 64512, "graceful restart on;", blocks);
        }

        /** BIRD shows no per-route flag: its session reports the restart it is helping with. */
        public boolean has(String prefix, boolean stale) {
            return bird.hasRoute(prefix, "10.0.0.1")
                    && (!stale || bird.birdc("show", "protocols", "all", "tabby").contains("Neighbor graceful restart active"));
        }

        public boolean established() {
            return bird.established("tabby");
        }

        public void withdraw(String prefix) {
            try {
                Files.writeString(lab.dir().resolve("bird.conf"), conf(TWO));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertThat(prefix).isEqualTo(THREE);
            bird.birdc("configure");
        }

        public String explain() {
            return bird.birdc("show", "protocols", "all", "tabby");
        }

        @Override
        public void sawRestartBits() {
            assertThat(explain()).as("BIRD's view of our capabilities").contains("Restart recovery")
                    .contains("AF preserved:");
        }
    }

    static final class FrrHelper implements Helper {
        final Netns rtr;
        final Frr frr;

        FrrHelper(Lab lab, Netns rtr) {
            this.rtr = rtr;
            this.frr = Frr.startBgpd(lab, rtr, "frr", """
                    frr defaults datacenter
                    hostname rtr
                    router bgp 64512
                     bgp router-id 10.0.0.2
                     bgp graceful-restart
                     no bgp network import-check
                     neighbor 10.0.0.1 remote-as 64512
                     neighbor 10.0.0.1 passive
                     neighbor 10.0.0.1 timers 3 9
                     address-family ipv4 unicast
                      network 10.244.2.0/26
                      network 10.244.3.0/26
                      neighbor 10.0.0.1 next-hop-self
                     exit-address-family
                    """);
        }

        /** FRR marks each kept path {@code "stale":true}. */
        public boolean has(String prefix, boolean stale) {
            String json = frr.vtysh("show bgp ipv4 unicast " + prefix + " json").replaceAll("\\s", "");
            return json.contains("\"ip\":\"10.0.0.1\"") && (!stale || json.contains("\"stale\":true"));
        }

        public boolean established() {
            return frr.established("10.0.0.1");
        }

        public void withdraw(String prefix) {
            rtr.run("vtysh", "--vty_socket", frr.dir().toString(), "-c", "configure terminal", "-c", "router bgp 64512",
                    "-c", "address-family ipv4 unicast", "-c", "no network " + prefix);
        }

        public String explain() {
            return frr.vtysh("show bgp neighbors 10.0.0.1") + frr.vtysh("show bgp ipv4 unicast");
        }
    }

    @Test
    void tabbyKilledWithMinus9RestartsWhileBirdKeepsForwarding(Lab lab) throws IOException {
        Netns[] nets = topology(lab);
        restart(lab, nets[0], new BirdHelper(lab, nets[1]));
    }

    @Test
    void tabbyKilledWithMinus9RestartsWhileFrrKeepsForwarding(Lab lab) throws IOException {
        Netns[] nets = topology(lab);
        restart(lab, nets[0], new FrrHelper(lab, nets[1]));
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

    static void restart(Lab lab, Netns spk, Helper peer) throws IOException {
        Path cfg = lab.dir().resolve("tabby.yaml");
        Path socket = lab.dir().resolve("bgp.sock");
        Files.writeString(cfg, tabbyConf(socket, OURS, OURS_OLD));
        Daemon first = tabby(lab, spk, cfg, "tabby-1.log");
        Eventually.await("the peer's blocks in our kernel, ours in the peer", UP,
                () -> kernel(spk).contains(TWO) && kernel(spk).contains(THREE) && peer.has(OURS_OLD, false),
                () -> kernel(spk) + "\n" + peer.explain() + "\n" + BgpRunIT.read(lab.dir().resolve("tabby-1.log")));
        keeps(spk, peer, false, THREE, OURS_OLD);

        first.kill();
        Eventually.await("the peer noticed", UP, () -> !peer.established());
        Eventually.await("the peer keeps our routes as stale", UP, () -> peer.has(OURS, true) && peer.has(OURS_OLD, true),
                peer::explain);
        peer.withdraw(THREE); // meanwhile the peer stops announcing 10.244.3.0/26
        Daemon monitor = spk.spawn(lab.dir().resolve("monitor.log"), "ip", "monitor", "route");
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        do {
            keeps(spk, peer, true, THREE, OURS_OLD);
        } while (System.nanoTime() < until);

        Files.writeString(cfg, tabbyConf(socket, OURS));
        Path log = lab.dir().resolve("tabby-2.log");
        Daemon second = tabby(lab, spk, cfg, "tabby-2.log");
        long deadline = System.nanoTime() + UP.toNanos();
        while (kernel(spk).contains(THREE) || peer.has(OURS_OLD, false) || peer.has(OURS, true)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("restart not complete after " + UP + "; peer:\n" + peer.explain()
                        + "\nkernel:\n" + kernel(spk) + "\nlog:\n" + BgpRunIT.read(log));
            }
            keeps(spk, peer, false, null, null);
        }
        keeps(spk, peer, false, null, null);
        peer.sawRestartBits();
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
     * our block in the peer (stale while we are down); and, if named, the route the peer dropped
     * still in our kernel and our old block still in the peer (both stale, not swept yet).
     */
    static void keeps(Netns spk, Helper peer, boolean down, String staleInKernel, String staleInPeer) {
        String routes = kernel(spk);
        assertThat(routes).contains(TWO + " via 10.0.0.2 dev eth0");
        assertThat(spk.ping("10.244.2.1", Duration.ofSeconds(1))).as("ping through " + TWO).isTrue();
        assertThat(peer.has(OURS, down)).as(OURS + " in the peer" + (down ? ", stale" : "")).isTrue();
        if (staleInKernel != null) {
            assertThat(routes).contains(staleInKernel);
        }
        if (staleInPeer != null) {
            assertThat(peer.has(staleInPeer, down)).as(staleInPeer + " in the peer").isTrue();
        }
    }
}
