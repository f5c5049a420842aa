package io.tabby.bgp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tabby.bgp.session.PeerSession;
import io.tabby.bgp.session.SessionConfig;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.BgpCodec;
import io.tabby.bgp.wire.BgpMessage;
import io.tabby.bgp.wire.BgpMessage.RouteRefresh;
import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.DecodeResult;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.wire.WireContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The part-1 routing layer driven through a real PeerSession over EmbeddedChannels. */
class RouteTableTest {
    /** An EmbeddedChannel with TCP-like addresses, since the advertiser needs our local address. */
    static final class Tcp extends EmbeddedChannel {
        @Override
        protected SocketAddress localAddress0() {
            return new InetSocketAddress("10.0.0.1", 179);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("10.0.0.2", 40000);
        }
    }

    final EmbeddedChannel clock = new EmbeddedChannel();
    final RouteTable table = new RouteTable(65001, List.of(new Advertiser.Route(Prefix.parse("10.244.1.0/26"),
            List.of(), null, null, null)));
    final List<Object> attempts = new ArrayList<>();
    final PeerSession peer = new PeerSession(SessionConfig.of(65001, Addresses.parse4("10.0.0.1"), 65002),
            new InetSocketAddress("10.0.0.2", 179), clock.eventLoop(), (p, a) -> {
                attempts.add(a);
                return () -> { };
            }, table);
    final Tcp wire = new Tcp();

    @AfterEach
    void tearDown() {
        wire.finishAndReleaseAll();
        clock.finishAndReleaseAll();
    }

    static void feed(EmbeddedChannel ch, BgpMessage m) {
        ByteBuf b = Unpooled.buffer();
        BgpCodec.encode(m, b, WireContext.FOUR_OCTET);
        ch.writeInbound(b);
    }

    static List<BgpMessage> sent(EmbeddedChannel ch) {
        List<BgpMessage> out = new ArrayList<>();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            while (b.isReadable()) {
                int len = b.getUnsignedShort(b.readerIndex() + 16);
                out.add(((DecodeResult.Success) BgpCodec.decode(b.readSlice(len), WireContext.FOUR_OCTET)).message());
            }
            b.release();
        }
        return out;
    }

    void establish() {
        peer.start();
        peer.connected(attempts.getFirst(), wire);
        feed(wire, new BgpMessage.Open(4, 65002, 90, Addresses.parse4("10.0.0.2"), List.of(new Capability.FourOctetAs(65002),
                new Capability.RouteRefresh(), new Capability.EnhancedRouteRefresh())));
        feed(wire, BgpMessage.Keepalive.INSTANCE);
        List<BgpMessage> initial = sent(wire);
        assertThat(initial).hasSize(4); // OPEN, KEEPALIVE, our route, End-of-RIB
        assertThat(((BgpMessage.Update) initial.get(2)).nlri()).containsExactly(Prefix.parse("10.244.1.0/26"));
        assertThat(((BgpMessage.Update) initial.get(3)).endOfRib()).contains(Family.IPV4_UNICAST);
    }

    static BgpMessage.Update announce(String... prefixes) {
        return new BgpMessage.Update(List.of(), List.of(PathAttribute.Origin.IGP,
                new PathAttribute.AsPath(List.of(PathAttribute.Segment.sequence(65002))),
                new PathAttribute.NextHop(Addresses.parse4("10.0.0.2"))), java.util.Arrays.stream(prefixes).map(Prefix::parse).toList());
    }

    @Test
    void answersRouteRefreshBracketedByBorrAndEorr() {
        establish();
        feed(wire, new RouteRefresh(Family.IPV4_UNICAST, RouteRefresh.NORMAL));
        List<BgpMessage> reply = sent(wire);
        assertThat(reply).hasSize(3);
        assertThat(reply.getFirst()).isEqualTo(new RouteRefresh(Family.IPV4_UNICAST, RouteRefresh.BEGIN));
        assertThat(((BgpMessage.Update) reply.get(1)).nlri()).containsExactly(Prefix.parse("10.244.1.0/26"));
        assertThat(reply.getLast()).isEqualTo(new RouteRefresh(Family.IPV4_UNICAST, RouteRefresh.END));
    }

    @Test
    void peersEnhancedRefreshPurgesWhatItDidNotReannounce() {
        establish();
        feed(wire, announce("10.1.0.0/16", "10.2.0.0/16"));
        assertThat(table.routes("10.0.0.2")).containsOnlyKeys(Prefix.parse("10.1.0.0/16"), Prefix.parse("10.2.0.0/16"));
        feed(wire, new RouteRefresh(Family.IPV4_UNICAST, RouteRefresh.BEGIN));
        feed(wire, announce("10.2.0.0/16"));
        assertThat(table.routes("10.0.0.2")).hasSize(2); // nothing goes before EoRR
        feed(wire, new RouteRefresh(Family.IPV4_UNICAST, RouteRefresh.END));
        assertThat(table.routes("10.0.0.2")).containsOnlyKeys(Prefix.parse("10.2.0.0/16"));
    }

    @Test
    void treatAsWithdrawRemovesAndSessionDownFlushes() {
        establish();
        feed(wire, announce("10.1.0.0/16"));
        // Same prefix again with a malformed ORIGIN: RFC 7606 treat-as-withdraw.
        ByteBuf bad = Unpooled.buffer();
        BgpCodec.encode(announce("10.1.0.0/16"), bad, WireContext.FOUR_OCTET);
        int origin = 19 + 2 + 2 + 3; // header, withdrawn length, attribute length, ORIGIN flags/type/len
        bad.setByte(origin, 7);
        wire.writeInbound(bad);
        assertThat(table.routes("10.0.0.2")).isEmpty();
        feed(wire, announce("10.3.0.0/16"));
        assertThat(table.routes("10.0.0.2")).hasSize(1);
        wire.close();
        assertThat(table.routes("10.0.0.2")).isEmpty();
    }
}
