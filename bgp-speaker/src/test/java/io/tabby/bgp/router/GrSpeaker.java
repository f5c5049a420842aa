package io.tabby.bgp.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.tabby.bgp.config.GracefulRestartConfig;
import io.tabby.bgp.fib.FibExporter;
import io.tabby.bgp.fib.KernelRoute;
import io.tabby.bgp.fib.NetlinkKernelRoutes;
import io.tabby.bgp.policy.ExportRules;
import io.tabby.bgp.policy.PeerPolicies;
import io.tabby.bgp.policy.Speaker;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.routing.LookingGlass;
import io.tabby.bgp.routing.Neighbour;
import io.tabby.bgp.routing.Rib;
import io.tabby.bgp.session.PeerSession;
import io.tabby.bgp.session.SessionConfig;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import io.tabby.netlink.NetlinkHandle;
import io.tabby.netlink.ns.NetNs;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One in-process speaker instance for the graceful-restart namespace tests: AS 64512, router id
 * and address 10.0.0.1, graceful restart on (restart time 120 s), its own I/O and RIB loops, its
 * sockets and netlink inside the lab namespace, one iBGP session to 10.0.0.2. Whether it restarts
 * is decided as a real start does: routes of protocol 250 already in the namespace's kernel.
 * {@link #crash()} ends it the way kill -9 ends a process: sockets closed by the kernel, no
 * NOTIFICATION, kernel routes left behind.
 */
final class GrSpeaker {
    static final GracefulRestartConfig GR = new GracefulRestartConfig(true, 120, 60, 60);

    final RibRouter router;
    final PeerSession session;
    final boolean restarted;
    private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final DefaultEventLoop ribLoop = new DefaultEventLoop();

    GrSpeaker(NetNs ns, NetlinkHandle nl, String... originate) {
        Rib rib = new Rib(Speaker.of(64512, Addresses.parse4("10.0.0.1")), Set.of(Family.IPV4_UNICAST),
                BestPath.Options.DEFAULT, new MetricRegistry());
        FibExporter fib = new FibExporter(new NetlinkKernelRoutes(nl), 250, KernelRoute.TABLE_MAIN);
        restarted = RibRouter.preserved(fib);
        router = new RibRouter(ribLoop, rib, fib, (p, local) -> Neighbour.of(p, local, PeerPolicies.allowAll())
                .withNextHop(ExportRules.NextHopMode.SELF), GR, restarted, Set.of(Addresses.parse("10.0.0.2")));
        for (String p : originate) {
            router.originate(Prefix.parse(p), ExportRules.originate(0, List.of()));
        }
        SessionConfig cfg = SessionConfig.of(64512, Addresses.parse4("10.0.0.1"), 64512).withHoldTime(9)
                .withGracefulRestart(GR.capability(Set.of(Family.IPV4_UNICAST), restarted, restarted));
        session = Speakers.connect(ns, io, cfg, "10.0.0.2", router);
    }

    /** The single path to {@code prefix} in the Loc-RIB (with its stale flag). */
    LookingGlass.PathView path(String prefix) throws Exception {
        var paths = router.route(Prefix.parse(prefix)).get(5, TimeUnit.SECONDS).paths();
        assertThat(paths).as(prefix + " in the RIB").hasSize(1);
        return paths.getFirst();
    }

    /** Gone without a word: event loops stopped, sockets closed (FIN, no NOTIFICATION), kernel routes kept. */
    void crash() {
        ribLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        io.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Normal end of a test: Cease to the peer, loops stopped. */
    void stop() {
        session.stop(null);
        crash();
    }
}
