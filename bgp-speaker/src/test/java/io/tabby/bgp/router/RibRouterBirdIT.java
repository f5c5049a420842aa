package io.tabby.bgp.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.tabby.bgp.fib.FibExporter;
import io.tabby.bgp.fib.KernelRoute;
import io.tabby.bgp.fib.NetlinkKernelRoutes;
import io.tabby.bgp.policy.ExportRules;
import io.tabby.bgp.policy.PeerPolicies;
import io.tabby.bgp.policy.Speaker;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.routing.Neighbour;
import io.tabby.bgp.routing.Rib;
import io.tabby.bgp.session.PeerSession;
import io.tabby.bgp.session.SessionConfig;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import io.tabby.netlink.NetlinkHandle;
import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.Bird;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Part 1's session and part 2's RIB and FIB together over real TCP: our speaker in namespace spk
 * (sockets and netlink opened inside it, the RIB on its own loop) in a Calico-style iBGP session
 * with BIRD 2 in namespace rtr. BIRD's pod blocks land in spk's kernel with our route protocol;
 * our block lands in BIRD; BIRD killed with -9 takes its routes out of our kernel.
 * (BgpServer builds its own listener, so the session is wired by hand here; see docs/bgp-rib.md.)
 */
@NetnsTest
class RibRouterBirdIT {
    static final Duration UP = Duration.ofSeconds(30);

    @Test
    void calicoStyleIbgpWithBirdProgramsTheKernelAndWithdrawsWhenBirdDies(Lab lab) throws Exception {
        Netns spk = lab.netns("spk");
        Netns rtr = lab.netns("rtr");
        lab.veth(spk, "eth0", rtr, "eth0");
        spk.ip("addr", "add", "10.0.0.1/24", "dev", "eth0");
        rtr.ip("addr", "add", "10.0.0.2/24", "dev", "eth0");
        Bird bird = Bird.start(lab, rtr, "bird", """
                router id 10.0.0.2;
                protocol device {}
                protocol static blocks { ipv4; route 10.244.2.0/26 blackhole; route 10.244.3.0/26 blackhole; }
                protocol bgp tabby {
                  local 10.0.0.2 as 64512; neighbor 10.0.0.1 as 64512; direct; passive on; hold time 9;
                  ipv4 { import all; export where source = RTS_STATIC; next hop self; };
                }
                """);

        EventLoopGroup io = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        DefaultEventLoop ribLoop = new DefaultEventLoop();
        try (NetNs ns = Speakers.inside(spk); NetlinkHandle nl = NetlinkHandle.open(ns)) {
            Rib rib = new Rib(Speaker.of(64512, Addresses.parse4("10.0.0.1")), Set.of(Family.IPV4_UNICAST),
                    BestPath.Options.DEFAULT, new MetricRegistry());
            FibExporter fib = new FibExporter(new NetlinkKernelRoutes(nl), 250, KernelRoute.TABLE_MAIN);
            RibRouter router = new RibRouter(ribLoop, rib, fib, (p, local) -> Neighbour.of(p, local, PeerPolicies.allowAll())
                    .withNextHop(ExportRules.NextHopMode.SELF));
            router.originate(Prefix.parse("10.244.1.0/26"), ExportRules.originate(0, List.of()));

            SessionConfig cfg = SessionConfig.of(64512, Addresses.parse4("10.0.0.1"), 64512).withHoldTime(9);
            PeerSession session = Speakers.connect(ns, io, cfg, "10.0.0.2", router);

            Eventually.await("BIRD's blocks in our kernel", UP,
                    () -> spk.ip("route", "show", "proto", "250").contains("10.244.3.0/26"),
                    () -> spk.ip("route", "show") + "\n" + bird.birdc("show", "protocols", "all"));
            assertThat(spk.ip("route", "show", "proto", "250")).contains("10.244.2.0/26 via 10.0.0.2 dev eth0")
                    .contains("10.244.3.0/26 via 10.0.0.2 dev eth0");
            Eventually.await("our block in BIRD", UP,
                    () -> bird.birdc("show", "route", "10.244.1.0/26").contains("10.0.0.1"));
            assertThat(bird.birdc("show", "route", "all", "10.244.1.0/26"))
                    .contains("BGP.next_hop: 10.0.0.1").contains("BGP.local_pref: 100");
            var peers = router.peers().get(5, TimeUnit.SECONDS);
            assertThat(peers).singleElement().satisfies(p -> {
                assertThat(p.accepted()).isEqualTo(2);
                assertThat(p.advertised()).isEqualTo(1);
            });

            bird.daemon().kill(); // kill -9: TCP connection reset, no NOTIFICATION
            Eventually.await("BIRD's routes gone from our kernel", UP,
                    () -> spk.ip("route", "show", "proto", "250").isBlank(), () -> spk.ip("route", "show"));
            session.stop(null);
        } finally {
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            ribLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
