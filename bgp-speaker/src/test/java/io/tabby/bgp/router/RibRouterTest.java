package io.tabby.bgp.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tabby.bgp.fib.FibExporter;
import io.tabby.bgp.fib.KernelRoute;
import io.tabby.bgp.fib.KernelRoutes;
import io.tabby.bgp.policy.ExportRules;
import io.tabby.bgp.policy.MaxPrefix;
import io.tabby.bgp.policy.PeerPolicies;
import io.tabby.bgp.policy.Speaker;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.routing.Neighbour;
import io.tabby.bgp.routing.Rib;
import io.tabby.bgp.session.Negotiation;
import io.tabby.bgp.session.PeerSession;
import io.tabby.bgp.session.SessionConfig;
import io.tabby.bgp.session.State;
import io.tabby.bgp.session.Transport;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.BgpCodec;
import io.tabby.bgp.wire.BgpMessage;
import io.tabby.bgp.wire.BgpMessage.Open;
import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.DecodeResult;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.wire.WireContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The RIB behind a real part-1 {@link PeerSession}, on virtual time: one EmbeddedChannel's event
 * loop runs the session and the RIB; another EmbeddedChannel stands in for the TCP connection.
 */
class RibRouterTest {
    final EmbeddedChannel clock = new EmbeddedChannel();
    final List<Object> attempts = new ArrayList<>();
    final Map<Prefix, KernelRoute> kernelTable = new LinkedHashMap<>();
    final KernelRoutes kernel = new KernelRoutes() {
        public List<KernelRoute> list(int table, int protocol) {
            return List.copyOf(kernelTable.values());
        }

        public void replace(KernelRoute r) {
            kernelTable.put(r.prefix(), r);
        }

        public void delete(KernelRoute r) {
            kernelTable.remove(r.prefix());
        }
    };
    final Rib rib = new Rib(Speaker.of(65001, Addresses.parse4("10.0.0.1")), Set.of(Family.IPV4_UNICAST),
            BestPath.Options.DEFAULT, new MetricRegistry());
    final RibRouter router;
    final PeerSession peer;
    MaxPrefix limit; // set by a test before the session comes up

    RibRouterTest() {
        clock.freezeTime();
        router = new RibRouter(clock.eventLoop(), rib, new FibExporter(kernel, 250, KernelRoute.TABLE_MAIN),
                (p, local) -> limit == null ? Neighbour.of(p, local, PeerPolicies.allowAll())
                        : Neighbour.of(p, local, PeerPolicies.allowAll()).withMaxPrefix(limit));
        Transport transport = (p, attempt) -> {
            attempts.add(attempt);
            return () -> { };
        };
        SessionConfig cfg = SessionConfig.of(65001, Addresses.parse4("10.0.0.1"), 65002);
        peer = new PeerSession(cfg, new InetSocketAddress("10.0.0.2", 179), clock.eventLoop(), transport, router);
    }

    @AfterEach
    void tearDown() {
        clock.finishAndReleaseAll();
    }

    @Test
    void anErrorInARibTaskGoesToTheFatalHandlerAndAnExceptionDoesNot() {
        List<Error> fatal = new ArrayList<>();
        router.onFatalError(fatal::add);
        router.execute(() -> {
            throw new IllegalStateException("a bug in one task: logged, the RIB goes on");
        });
        StackOverflowError overflow = new StackOverflowError("half-way through an UPDATE");
        router.execute(() -> {
            throw overflow;
        });
        clock.runPendingTasks();
        assertThat(fatal).containsExactly(overflow);
    }

    /** A TCP stand-in whose local address is an IP socket address, as the RIB needs for next-hop-self. */
    static EmbeddedChannel tcp() {
        return new EmbeddedChannel() {
            @Override
            protected SocketAddress localAddress0() {
                return new InetSocketAddress("10.0.0.1", 40000);
            }
        };
    }

    static void feed(EmbeddedChannel ch, BgpMessage m, WireContext ctx) {
        ByteBuf b = Unpooled.buffer();
        BgpCodec.encode(m, b, ctx);
        ch.writeInbound(b);
    }

    static List<BgpMessage> sent(EmbeddedChannel ch, WireContext ctx) {
        List<BgpMessage> out = new ArrayList<>();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            while (b.isReadable()) {
                int len = b.getUnsignedShort(b.readerIndex() + 16);
                out.add(((DecodeResult.Success) BgpCodec.decode(b.readSlice(len), ctx)).message());
            }
            b.release();
        }
        return out;
    }

    void settle() {
        for (int i = 0; i < 5; i++) {
            clock.runPendingTasks();
        }
    }

    EmbeddedChannel establish() {
        peer.start();
        settle();
        EmbeddedChannel wire = tcp();
        peer.connected(attempts.getFirst(), wire);
        settle();
        sent(wire, WireContext.INITIAL);
        feed(wire, new Open(4, 65002, 90, Addresses.parse4("10.0.0.2"), List.of(new Capability.FourOctetAs(65002),
                new Capability.Multiprotocol(Family.IPV4_UNICAST))), WireContext.INITIAL);
        feed(wire, BgpMessage.Keepalive.INSTANCE, WireContext.FOUR_OCTET);
        settle();
        assertThat(peer.state()).isEqualTo(State.ESTABLISHED);
        return wire;
    }

    /** The peer announces 192.0.2.0/24 and 198.51.100.0/24 from AS 65002. */
    static void announceTwo(EmbeddedChannel wire) {
        var attrs = List.<PathAttribute>of(PathAttribute.Origin.IGP,
                new PathAttribute.AsPath(List.of(PathAttribute.Segment.sequence(65002))),
                new PathAttribute.NextHop(Addresses.parse4("10.0.0.2")));
        feed(wire, new BgpMessage.Update(List.of(), attrs, List.of(Prefix.parse("192.0.2.0/24"),
                Prefix.parse("198.51.100.0/24"))), WireContext.FOUR_OCTET);
    }

    @Test
    void routesFromTheSessionReachTheKernelAndOursReachThePeer() {
        EmbeddedChannel wire = establish();
        List<BgpMessage> first = sent(wire, WireContext.FOUR_OCTET);
        assertThat(first).as("KEEPALIVE, then End-of-RIB of our (empty) table")
                .contains(BgpMessage.Update.endOfRib(Family.IPV4_UNICAST));

        announceTwo(wire);
        settle();
        assertThat(kernelTable).containsOnlyKeys(Prefix.parse("192.0.2.0/24"), Prefix.parse("198.51.100.0/24"));
        assertThat(kernelTable.get(Prefix.parse("192.0.2.0/24")).gateways()).containsExactly(Addresses.parse("10.0.0.2"));

        router.originate(Prefix.parse("10.244.1.0/26"), ExportRules.originate(0, List.of()));
        settle();
        List<BgpMessage> out = sent(wire, WireContext.FOUR_OCTET);
        assertThat(out).singleElement().isInstanceOfSatisfying(BgpMessage.Update.class, u -> {
            assertThat(u.nlri()).containsExactly(Prefix.parse("10.244.1.0/26"));
            assertThat(u.attribute(PathAttribute.NextHop.class).orElseThrow().address())
                    .isEqualTo(Addresses.parse4("10.0.0.1"));
            assertThat(u.attribute(PathAttribute.AsPath.class).orElseThrow().firstAs()).isEqualTo(65001);
        });

        var view = router.peers();
        settle();
        assertThat(view.join()).singleElement().satisfies(p -> {
            assertThat(p.accepted()).isEqualTo(2);
            assertThat(p.advertised()).isEqualTo(1);
        });

        wire.close(); // the TCP connection drops
        settle();
        assertThat(kernelTable).as("routes withdrawn with the session").isEmpty();
        assertThat(rib.locRib(Family.IPV4_UNICAST).size()).isEqualTo(1); // only our own block
        assertThat(Negotiation.localOpen(peer.config()).holdTime()).isPositive();
    }

    @Test
    void maxPrefixRestartSendsCeaseFirstClosesAndReconnectsAfterTheDelay() {
        limit = new MaxPrefix(1, 0, MaxPrefix.OnExceed.CEASE, java.time.Duration.ofSeconds(5));
        EmbeddedChannel wire = establish();
        sent(wire, WireContext.FOUR_OCTET);
        announceTwo(wire);
        settle();
        List<BgpMessage> out = sent(wire, WireContext.FOUR_OCTET);
        assertThat(out).as("one NOTIFICATION, Cease 6/1 with AFI 1, SAFI 1, limit 1")
                .filteredOn(m -> m instanceof BgpMessage.Notification).singleElement()
                .isEqualTo(BgpMessage.Notification.of(io.tabby.bgp.wire.NotificationCode.MAXIMUM_NUMBER_OF_PREFIXES_REACHED,
                        io.tabby.bgp.wire.Bytes.of(new byte[] {0, 1, 1, 0, 0, 0, 1})));
        assertThat(wire.isOpen()).isFalse();
        assertThat(peer.state()).isEqualTo(State.IDLE);
        assertThat(kernelTable).as("its routes went with the session").isEmpty();
        int before = attempts.size();
        clock.advanceTimeBy(4, java.util.concurrent.TimeUnit.SECONDS);
        settle();
        assertThat(attempts).as("still waiting").hasSize(before);
        clock.advanceTimeBy(1, java.util.concurrent.TimeUnit.SECONDS);
        settle();
        assertThat(attempts).as("connecting again after restartAfter").hasSize(before + 1);
    }
}
