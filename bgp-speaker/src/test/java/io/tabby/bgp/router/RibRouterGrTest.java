package io.tabby.bgp.router;

import static io.tabby.bgp.router.RibRouterTest.feed;
import static io.tabby.bgp.router.RibRouterTest.sent;
import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tabby.bgp.config.GracefulRestartConfig;
import io.tabby.bgp.fib.FakeKernelRoutes;
import io.tabby.bgp.fib.FibExporter;
import io.tabby.bgp.fib.KernelRoute;
import io.tabby.bgp.policy.ExportRules;
import io.tabby.bgp.policy.PeerPolicies;
import io.tabby.bgp.policy.Speaker;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.routing.Neighbour;
import io.tabby.bgp.routing.Rib;
import io.tabby.bgp.session.PeerSession;
import io.tabby.bgp.session.SessionConfig;
import io.tabby.bgp.session.State;
import io.tabby.bgp.session.Transport;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.BgpMessage;
import io.tabby.bgp.wire.BgpMessage.Open;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.Capability.GracefulRestart;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.NotificationCode;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.wire.WireContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 4724 end to end through {@link RibRouter} and a real {@link PeerSession}, on virtual time
 * (one EmbeddedChannel's loop runs the session, the RIB and the GR timers; fake kernel table).
 */
class RibRouterGrTest {
    static final Family V4 = Family.IPV4_UNICAST;
    static final WireContext CTX = WireContext.FOUR_OCTET;
    static final Prefix A = Prefix.parse("192.0.2.0/24");
    static final Prefix B = Prefix.parse("198.51.100.0/24");
    static final Prefix OURS = Prefix.parse("10.244.1.0/26");

    final EmbeddedChannel clock = new EmbeddedChannel();
    final List<Object> attempts = new ArrayList<>();
    final FakeKernelRoutes kernel = new FakeKernelRoutes();
    final GracefulRestartConfig grConf = new GracefulRestartConfig(true, 120, 30, 360);
    final List<EmbeddedChannel> wires = new ArrayList<>();
    RibRouter router;
    boolean rrClient; // the neighbour settings turn the session's peer into a route-reflector client
    long peerAs = 65002;
    Rib rib;
    PeerSession peer;

    RibRouterGrTest() {
        clock.freezeTime();
    }

    /** Builds the speaker as a process start would: restart detection first, then the OPEN's bits. */
    void start() {
        rib = new Rib(Speaker.of(65001, Addresses.parse4("10.0.0.1")), Set.of(V4), BestPath.Options.DEFAULT,
                new MetricRegistry());
        FibExporter fib = new FibExporter(kernel, 250, KernelRoute.TABLE_MAIN);
        boolean restarted = RibRouter.preserved(fib);
        router = new RibRouter(clock.eventLoop(), rib, fib, (p, local) -> Neighbour.of(
                rrClient ? new Peer(p.address(), p.routerId(), p.as(), p.kind(), true) : p, local, PeerPolicies.allowAll()),
                grConf, restarted, Set.of(Addresses.parse("10.0.0.2")));
        router.originate(OURS, ExportRules.originate(0, List.of()));
        Transport transport = (p, attempt) -> {
            attempts.add(attempt);
            return () -> { };
        };
        SessionConfig cfg = SessionConfig.of(65001, Addresses.parse4("10.0.0.1"), peerAs)
                .withGracefulRestart(grConf.capability(Set.of(V4), restarted, restarted));
        peer = new PeerSession(cfg, new InetSocketAddress("10.0.0.2", 179), clock.eventLoop(), transport, router);
        peer.start();
        settle();
    }

    @AfterEach
    void tearDown() {
        wires.forEach(EmbeddedChannel::finishAndReleaseAll);
        clock.finishAndReleaseAll();
    }

    void settle() {
        for (int i = 0; i < 5; i++) {
            clock.runPendingTasks();
        }
    }

    void advance(long seconds) {
        clock.advanceTimeBy(seconds, TimeUnit.SECONDS);
        settle();
    }

    static GracefulRestart peerCap(boolean restarted, boolean forwarding) {
        return new GracefulRestart(restarted, false, 120, List.of(new GracefulRestart.GrFamily(V4, forwarding)));
    }

    /** Completes the newest connection attempt; returns the wire and our OPEN on it. */
    EmbeddedChannel establish(GracefulRestart theirs) {
        EmbeddedChannel wire = RibRouterTest.tcp();
        wires.add(wire);
        peer.connected(attempts.getLast(), wire);
        return openOn(wire, theirs);
    }

    /** The OPEN/KEEPALIVE exchange on a connection the session has just taken. */
    EmbeddedChannel openOn(EmbeddedChannel wire, GracefulRestart theirs) {
        settle();
        List<BgpMessage> open = sent(wire, WireContext.INITIAL);
        assertThat(open).first().isInstanceOf(Open.class);
        ourOpens.add((Open) open.getFirst());
        List<Capability> caps = new ArrayList<>(List.of(new Capability.FourOctetAs(peerAs), new Capability.Multiprotocol(V4)));
        if (theirs != null) {
            caps.add(theirs);
        }
        feed(wire, new Open(4, (int) peerAs, 90, Addresses.parse4("10.0.0.2"), caps), WireContext.INITIAL);
        feed(wire, BgpMessage.Keepalive.INSTANCE, CTX);
        settle();
        assertThat(peer.state()).isEqualTo(State.ESTABLISHED);
        return wire;
    }

    final List<Open> ourOpens = new ArrayList<>();

    static Update announce(Prefix... ps) {
        var attrs = List.<PathAttribute>of(PathAttribute.Origin.IGP,
                new PathAttribute.AsPath(List.of(PathAttribute.Segment.sequence(65002))),
                new PathAttribute.NextHop(Addresses.parse4("10.0.0.2")));
        return new Update(List.of(), attrs, List.of(ps));
    }

    List<Prefix> kernelPrefixes() {
        return kernel.all().stream().map(KernelRoute::prefix).toList();
    }

    boolean stale(Prefix p) {
        return rib.locRib(V4).paths(p).stream().allMatch(x -> x.stale()) && !rib.locRib(V4).paths(p).isEmpty();
    }

    /** Helper with the peer's routes learned and its session reset without NOTIFICATION (kill -9). */
    EmbeddedChannel learnedThenReset() {
        start();
        EmbeddedChannel wire = establish(peerCap(false, false));
        feed(wire, announce(A, B), CTX);
        feed(wire, Update.endOfRib(V4), CTX);
        settle();
        assertThat(kernelPrefixes()).containsExactlyInAnyOrder(A, B);
        wire.close(); // TCP gone, no NOTIFICATION either way
        settle();
        return wire;
    }

    @Test
    void helperKeepsStaleRoutesInRibAndKernelAndSweepsWhatTheRestartedPeerDidNotReannounce() {
        learnedThenReset();
        assertThat(peer.state()).isNotEqualTo(State.ESTABLISHED);
        assertThat(kernelPrefixes()).as("kept in the kernel").containsExactlyInAnyOrder(A, B);
        assertThat(stale(A)).isTrue();
        assertThat(stale(B)).isTrue();
        int deletes = kernel.deletes;

        advance(1); // IdleHold, then a new connection
        EmbeddedChannel again = establish(peerCap(true, true));
        assertThat(stale(A)).as("F bit set: still kept, still stale until End-of-RIB").isTrue();
        feed(again, announce(A), CTX);
        settle();
        assertThat(stale(A)).as("re-announced: fresh").isFalse();
        assertThat(stale(B)).isTrue();
        assertThat(kernel.deletes).isEqualTo(deletes);

        feed(again, Update.endOfRib(V4), CTX);
        settle();
        assertThat(kernelPrefixes()).containsExactly(A);
        assertThat(rib.locRib(V4).paths(B)).isEmpty();
        var view = router.route(A);
        settle();
        assertThat(view.join().paths()).singleElement().satisfies(p -> assertThat(p.stale()).isFalse());
    }

    /** Routes learned over a session that stays Established: nothing reset it (the peer's host rebooted silently). */
    EmbeddedChannel learnedOnASessionThatStaysUp(GracefulRestart theirs) {
        start();
        EmbeddedChannel wire = establish(theirs);
        feed(wire, announce(A, B), CTX);
        feed(wire, Update.endOfRib(V4), CTX);
        settle();
        assertThat(kernelPrefixes()).containsExactlyInAnyOrder(A, B);
        return wire;
    }

    /** The peer's new incoming connection (it came back up and dialled us). */
    EmbeddedChannel incoming() {
        EmbeddedChannel wire = RibRouterTest.tcp();
        wires.add(wire);
        peer.accept(wire);
        settle();
        return wire;
    }

    @Test
    void aPeerReconnectingWhileItsSessionLooksEstablishedIsTreatedAsARestart() {
        EmbeddedChannel old = learnedOnASessionThatStaysUp(peerCap(false, true));
        int attemptsBefore = attempts.size();
        EmbeddedChannel again = incoming();

        assertThat(old.isOpen()).as("RFC 4724 4.2: the old connection is closed").isFalse();
        assertThat(sent(old, CTX)).as("without NOTIFICATION").noneMatch(m -> m instanceof BgpMessage.Notification);
        assertThat(kernelPrefixes()).as("kept in the kernel, no waiting for the 90 s hold time")
                .containsExactlyInAnyOrder(A, B);
        assertThat(stale(A)).isTrue();
        assertThat(stale(B)).isTrue();
        assertThat(attempts).as("no dialling of our own: the new connection is the session").hasSize(attemptsBefore);
        int deletes = kernel.deletes;

        openOn(again, peerCap(true, true)); // asserts Established on the new connection
        assertThat(stale(A)).as("F set: stale until End-of-RIB").isTrue();
        List<BgpMessage> out = sent(again, CTX);
        assertThat(out).as("our table and End-of-RIB on the new session").last().isEqualTo(Update.endOfRib(V4));
        feed(again, announce(A), CTX);
        settle();
        assertThat(stale(A)).isFalse();
        assertThat(stale(B)).isTrue();
        assertThat(kernel.deletes).isEqualTo(deletes);

        feed(again, Update.endOfRib(V4), CTX);
        settle();
        assertThat(kernelPrefixes()).as("End-of-RIB sweeps what was not announced again").containsExactly(A);
        assertThat(rib.locRib(V4).paths(B)).isEmpty();
        assertThat(peer.state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void aPeerReconnectingWithoutComingBackUpIsSweptAfterItsRestartTime() {
        learnedOnASessionThatStaysUp(peerCap(false, true));
        EmbeddedChannel again = incoming();
        again.close(); // the new connection dies before its OPEN
        settle();
        peer.stop(null);
        settle();
        advance(119);
        assertThat(kernelPrefixes()).containsExactlyInAnyOrder(A, B);
        advance(1);
        assertThat(kernelPrefixes()).as("the restart time ran out").isEmpty();
    }

    @Test
    void withoutGracefulRestartANewConnectionIsRefusedAndTheSessionKeepsItsRoutes() {
        EmbeddedChannel old = learnedOnASessionThatStaysUp(null);
        EmbeddedChannel again = incoming();
        assertThat(sent(again, WireContext.INITIAL)).containsExactly(
                BgpMessage.Notification.of(NotificationCode.CONNECTION_REJECTED));
        assertThat(again.isOpen()).isFalse();
        assertThat(old.isOpen()).isTrue();
        assertThat(peer.state()).isEqualTo(State.ESTABLISHED);
        assertThat(stale(A)).isFalse();
        assertThat(kernelPrefixes()).containsExactlyInAnyOrder(A, B);
        feed(old, announce(B), CTX); // the old session still works
        settle();
        assertThat(peer.state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void aReflectorClientsStaleRoutesSurviveItsReconnection() {
        rrClient = true;
        peerAs = 65001; // iBGP: only those can be clients
        learnedThenReset();
        advance(1);
        establish(peerCap(true, true));
        assertThat(stale(A)).as("the neighbour is updated in place, not removed with its paths").isTrue();
        assertThat(kernelPrefixes()).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void staleRoutesShowAsStaleInTheLookingGlass() {
        learnedThenReset();
        var view = router.route(A);
        var peers = router.peers();
        settle();
        assertThat(view.join().paths()).singleElement().satisfies(p -> assertThat(p.stale()).isTrue());
        assertThat(peers.join()).singleElement().satisfies(p -> {
            assertThat(p.up()).isFalse();
            assertThat(p.stale()).isTrue();
            assertThat(p.accepted()).as("stale paths still count as accepted").isEqualTo(2);
        });
    }

    @Test
    void helperSweepsEverythingWhenTheRestartTimeRunsOut() {
        learnedThenReset();
        peer.stop(null); // the peer never comes back: no reconnect either
        settle();
        advance(119);
        assertThat(kernelPrefixes()).containsExactlyInAnyOrder(A, B);
        advance(1);
        assertThat(kernelPrefixes()).isEmpty();
        assertThat(rib.locRib(V4).size()).as("only our own block").isEqualTo(1);
    }

    @Test
    void holdTimerExpiryCountsAsARestartToo() {
        start();
        EmbeddedChannel wire = establish(peerCap(false, true));
        feed(wire, announce(A), CTX);
        settle();
        advance(90); // the peer went silent: our NOTIFICATION goes out, but nobody is listening
        assertThat(peer.state()).isNotEqualTo(State.ESTABLISHED);
        assertThat(sent(wire, CTX)).last().isEqualTo(BgpMessage.Notification.of(NotificationCode.HOLD_TIMER_EXPIRED));
        assertThat(kernelPrefixes()).containsExactly(A);
        assertThat(stale(A)).isTrue();
    }

    @Test
    void reconnectWithoutForwardingStateFlushesAtOnce() {
        learnedThenReset();
        advance(1);
        establish(peerCap(true, false));
        assertThat(kernelPrefixes()).isEmpty();
    }

    @Test
    void aNotificationEndsTheSessionHard() {
        start();
        EmbeddedChannel wire = establish(peerCap(false, true));
        feed(wire, announce(A), CTX);
        settle();
        assertThat(kernelPrefixes()).containsExactly(A);
        feed(wire, BgpMessage.Notification.of(NotificationCode.ADMINISTRATIVE_SHUTDOWN), CTX);
        settle();
        assertThat(kernelPrefixes()).as("no RFC 8538: a NOTIFICATION is not a restart").isEmpty();
    }

    @Test
    void withoutTheCapabilityFromThePeerTheRoutesGoAtOnce() {
        start();
        EmbeddedChannel wire = establish(null);
        feed(wire, announce(A), CTX);
        settle();
        wire.close();
        settle();
        assertThat(kernelPrefixes()).isEmpty();
    }

    @Test
    void restartingSpeakerKeepsItsKernelRoutesUntilEndOfRibThenSyncsOnce() {
        // What the previous process left: A and B via the peer, both ours (protocol 250), plus
        // somebody else's route that must never be touched.
        kernel.add(new KernelRoute(A, List.of(Addresses.parse("10.0.0.2")), KernelRoute.Type.UNICAST, 250, 254));
        kernel.add(new KernelRoute(B, List.of(Addresses.parse("10.0.0.2")), KernelRoute.Type.UNICAST, 250, 254));
        Prefix other = Prefix.parse("203.0.113.0/24");
        kernel.add(new KernelRoute(other, List.of(Addresses.parse("10.0.0.3")), KernelRoute.Type.UNICAST, 4, 254));
        start();
        assertThat(router.restarting()).isTrue();

        EmbeddedChannel wire = establish(peerCap(false, true));
        GracefulRestart ours = ourOpens.getFirst().capability(GracefulRestart.class).orElseThrow();
        assertThat(ours.restarted()).as("R bit").isTrue();
        assertThat(ours.forwardingPreserved(V4)).as("F bit").isTrue();
        assertThat(sent(wire, CTX)).as("nothing advertised while deferring, not even End-of-RIB")
                .containsOnly(BgpMessage.Keepalive.INSTANCE);

        feed(wire, announce(A), CTX); // the peer no longer has B
        settle();
        assertThat(kernelPrefixes()).as("kernel untouched while deferring").containsExactlyInAnyOrder(A, B, other);
        assertThat(kernel.replaces + kernel.deletes).isZero();

        feed(wire, Update.endOfRib(V4), CTX);
        settle();
        assertThat(kernelPrefixes()).as("one sync: B gone, A kept").containsExactlyInAnyOrder(A, other);
        assertThat(kernel.replaces).as("A did not flap").isZero();
        assertThat(kernel.deletes).isEqualTo(1);
        List<BgpMessage> out = sent(wire, CTX);
        assertThat(out).as("our routes, then End-of-RIB").last().isEqualTo(Update.endOfRib(V4));
        assertThat(out).anySatisfy(m -> assertThat(((Update) m).nlri()).contains(OURS));
        assertThat(peer.config().gracefulRestart().restarted()).as("later OPENs clear R").isFalse();
        assertThat(router.restarting()).isFalse();
        assertThat(peer.config().gracefulRestart().forwardingPreserved(V4)).as("F stays: the FIB is still ours").isTrue();
    }

    @Test
    void aPeerRestartingTooGetsOurRoutesAtOnceButTheKernelWaitsForItsEndOfRib() {
        kernel.add(new KernelRoute(A, List.of(Addresses.parse("10.0.0.2")), KernelRoute.Type.UNICAST, 250, 254));
        kernel.add(new KernelRoute(B, List.of(Addresses.parse("10.0.0.2")), KernelRoute.Type.UNICAST, 250, 254));
        start();
        EmbeddedChannel wire = establish(peerCap(true, true)); // R set (FRR does so for a while after it starts)
        List<BgpMessage> out = sent(wire, CTX);
        assertThat(out).as("RFC 4724 4.1: no waiting for a restarting peer's End-of-RIB before advertising")
                .last().isEqualTo(Update.endOfRib(V4));
        assertThat(router.restarting()).isFalse();
        assertThat(kernelPrefixes()).as("but the kernel keeps the old routes").containsExactlyInAnyOrder(A, B);

        feed(wire, announce(A), CTX);
        settle();
        assertThat(kernel.replaces + kernel.deletes).isZero();
        feed(wire, Update.endOfRib(V4), CTX);
        settle();
        assertThat(kernelPrefixes()).containsExactly(A);
        assertThat(kernel.replaces).isZero();
    }

    @Test
    void restartingSpeakerGivesUpWaitingAfterTheDeferralTime() {
        kernel.add(new KernelRoute(B, List.of(Addresses.parse("10.0.0.2")), KernelRoute.Type.UNICAST, 250, 254));
        start();
        advance(29);
        assertThat(kernelPrefixes()).containsExactly(B);
        advance(1);
        assertThat(kernelPrefixes()).as("deferral over: the stale route is swept").isEmpty();
    }

    @Test
    void coldStartAdvertisesNeitherRestartNorForwardingState() {
        start();
        establish(peerCap(false, true));
        GracefulRestart ours = ourOpens.getFirst().capability(GracefulRestart.class).orElseThrow();
        assertThat(ours.restarted()).isFalse();
        assertThat(ours.forwardingPreserved(V4)).isFalse();
        assertThat(ours.restartTime()).isEqualTo(120);
    }
}
