package io.tabby.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tabby.bgp.wire.BgpMessage.Keepalive;
import io.tabby.bgp.wire.BgpMessage.Notification;
import io.tabby.bgp.wire.BgpMessage.Open;
import io.tabby.bgp.wire.BgpMessage.RouteRefresh;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.PathAttribute.Segment;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** decode(encode(m)) == m for every message type, every capability and every path attribute. */
class RoundTripTest {
    static final WireContext AS2 = WireContext.INITIAL;
    static final WireContext AS4 = WireContext.FOUR_OCTET;

    static BgpMessage roundTrip(BgpMessage m, WireContext ctx) {
        ByteBuf buf = Unpooled.buffer();
        try {
            BgpCodec.encode(m, buf, ctx);
            DecodeResult r = BgpCodec.decode(buf, ctx);
            assertThat(r).isInstanceOf(DecodeResult.Success.class);
            var s = (DecodeResult.Success) r;
            assertThat(s.notes()).isEmpty();
            assertThat(s.treatAsWithdraw()).isFalse();
            assertThat(buf.readableBytes()).isZero();
            return s.message();
        } finally {
            assertThat(buf.release()).isTrue();
        }
    }

    static Open open(List<Capability> caps) {
        return new Open(4, 65001, 90, Addresses.parse4("10.0.0.1"), caps);
    }

    static Stream<Capability> capabilities() {
        return Stream.of(
                new Capability.Multiprotocol(Family.IPV4_UNICAST),
                new Capability.Multiprotocol(Family.IPV6_UNICAST),
                new Capability.RouteRefresh(),
                new Capability.EnhancedRouteRefresh(),
                new Capability.FourOctetAs(4200000001L),
                new Capability.GracefulRestart(true, true, 120, List.of(
                        new Capability.GracefulRestart.GrFamily(Family.IPV4_UNICAST, true),
                        new Capability.GracefulRestart.GrFamily(Family.IPV6_UNICAST, false))),
                new Capability.ExtendedNextHop(List.of(new Capability.ExtendedNextHop.Tuple(Family.IPV4_UNICAST, 2))),
                new Capability.AddPath(List.of(new Capability.AddPath.Entry(Family.IPV4_UNICAST, 3),
                        new Capability.AddPath.Entry(Family.IPV6_UNICAST, 1))),
                new Capability.ExtendedMessage(),
                new Capability.Unknown(73, Bytes.ofHex("04686f7374 00")));
    }

    @ParameterizedTest
    @MethodSource("capabilities")
    void everyCapabilityRoundTrips(Capability c) {
        Open o = open(List.of(c));
        assertThat(roundTrip(o, AS2)).isEqualTo(o);
    }

    @Test
    void openWithAllCapabilitiesAndWithNone() {
        Open all = open(capabilities().toList());
        assertThat(roundTrip(all, AS2)).isEqualTo(all);
        Open none = open(List.of());
        assertThat(roundTrip(none, AS2)).isEqualTo(none);
        assertThat(none.asNumber()).isEqualTo(65001);
        assertThat(all.asNumber()).isEqualTo(4200000001L);
    }

    @Test
    void openBeyond255OctetsOfParametersUsesRfc9072() {
        List<Capability> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(new Capability.Unknown(200, Bytes.ofHex("0102030405")));
        }
        Open big = open(many);
        ByteBuf buf = Unpooled.buffer();
        BgpCodec.encode(big, buf, AS2);
        assertThat((int) buf.getUnsignedByte(19 + 9)).isEqualTo(255);
        assertThat((int) buf.getUnsignedByte(19 + 10)).isEqualTo(255);
        buf.release();
        assertThat(roundTrip(big, AS2)).isEqualTo(big);
    }

    static Stream<PathAttribute> attributes() {
        var a = Addresses.parse4("192.0.2.1");
        return Stream.of(
                PathAttribute.Origin.IGP, PathAttribute.Origin.EGP, PathAttribute.Origin.INCOMPLETE,
                new PathAttribute.AsPath(List.of(Segment.sequence(65001, 65002),
                        new Segment(Segment.AS_SET, List.of(1L, 2L)),
                        new Segment(Segment.AS_CONFED_SEQUENCE, List.of(64512L)),
                        new Segment(Segment.AS_CONFED_SET, List.of(64513L, 64514L)))),
                PathAttribute.AsPath.EMPTY,
                new PathAttribute.NextHop(a),
                new PathAttribute.MultiExitDisc(4294967295L),
                new PathAttribute.LocalPref(100),
                new PathAttribute.AtomicAggregate(),
                new PathAttribute.Aggregator(65010, a),
                new PathAttribute.Communities(List.of(0xfde90064, 0xffffff01)),
                new PathAttribute.OriginatorId(a),
                new PathAttribute.ClusterList(List.of(a, Addresses.parse4("192.0.2.2"))),
                new PathAttribute.MpReach(Family.IPV6_UNICAST,
                        List.of(Addresses.parse("2001:db8::1"), Addresses.parse("fe80::1")),
                        List.of(Prefix.parse("2001:db8:1::/48"), Prefix.parse("::/0"))),
                new PathAttribute.MpReach(Family.IPV4_UNICAST, List.of(Addresses.parse("2001:db8::1")),
                        List.of(Prefix.parse("10.1.0.0/16"))),
                new PathAttribute.MpUnreach(Family.IPV6_UNICAST, List.of(Prefix.parse("2001:db8:2::/64"))),
                // IPv4-mapped IPv6 next hop and prefix stay IPv6 (the JDK would make them Inet4Address).
                new PathAttribute.MpReach(Family.IPV6_UNICAST,
                        List.of(Addresses.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 0, 0, 1})),
                        List.of(Prefix.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 0, 0, 0, 0}, 96, 0))),
                new PathAttribute.ExtendedCommunities(List.of(0x0002fde900000064L)),
                new PathAttribute.As4Path(List.of(Segment.sequence(4200000001L, 65001))),
                new PathAttribute.As4Aggregator(4200000001L, a),
                new PathAttribute.LargeCommunities(List.of(new PathAttribute.LargeCommunities.Large(4200000001L, 1, 2))),
                new PathAttribute.Unknown(PathAttribute.OPTIONAL | PathAttribute.TRANSITIVE | PathAttribute.PARTIAL,
                        99, Bytes.ofHex("deadbeef")));
    }

    @ParameterizedTest
    @MethodSource("attributes")
    void everyAttributeRoundTripsAlone(PathAttribute a) {
        // MP_REACH announces, so the mandatory ORIGIN and AS_PATH come along (RFC 7606 3.d).
        List<PathAttribute> attrs = a instanceof PathAttribute.MpReach
                ? List.of(PathAttribute.Origin.IGP, PathAttribute.AsPath.EMPTY, a) : List.of(a);
        Update u = new Update(List.of(), attrs, List.of());
        assertThat(roundTrip(u, AS4)).isEqualTo(u);
    }

    @Test
    void updateWithEverythingIn2And4OctetContexts() {
        List<PathAttribute> attrs = attributes().toList();
        Update u = new Update(List.of(Prefix.parse("10.9.0.0/16")),
                List.of(PathAttribute.Origin.IGP, new PathAttribute.AsPath(List.of(Segment.sequence(65001, 65002))),
                        new PathAttribute.NextHop(Addresses.parse4("10.0.0.1")), new PathAttribute.MultiExitDisc(5)),
                List.of(Prefix.parse("10.1.0.0/16"), Prefix.parse("10.2.3.4/32"), Prefix.parse("0.0.0.0/0")));
        assertThat(roundTrip(u, AS2)).isEqualTo(u);
        assertThat(roundTrip(u, AS4)).isEqualTo(u);
        // One attribute per type (a repeated MP_REACH would rightly reset the session), IPv6 MP_REACH.
        var firstOfEach = new java.util.LinkedHashMap<Class<?>, PathAttribute>();
        attrs.stream().filter(x -> x != PathAttribute.AsPath.EMPTY)
                .filter(x -> !(x instanceof PathAttribute.MpReach m) || m.family().equals(Family.IPV6_UNICAST))
                .forEach(x -> firstOfEach.putIfAbsent(x.getClass(), x));
        Update all = new Update(List.of(), List.copyOf(firstOfEach.values()), List.of());
        assertThat(roundTrip(all, AS4)).isEqualTo(all);
    }

    @Test
    void addPathIdentifiersTravelWhenNegotiated() {
        var ctx = new WireContext(true, Set.of(Family.IPV4_UNICAST, Family.IPV6_UNICAST), false);
        Update u = new Update(List.of(Prefix.parse("10.9.0.0/16").withPathId(7)),
                List.of(PathAttribute.Origin.IGP, PathAttribute.AsPath.EMPTY,
                        new PathAttribute.NextHop(Addresses.parse4("10.0.0.1")),
                        new PathAttribute.MpReach(Family.IPV6_UNICAST, List.of(Addresses.parse("2001:db8::1")),
                                List.of(Prefix.parse("2001:db8::/32").withPathId(-1)))),
                List.of(Prefix.parse("10.1.0.0/16").withPathId(1), Prefix.parse("10.1.0.0/16").withPathId(2)));
        assertThat(roundTrip(u, ctx)).isEqualTo(u);
    }

    @Test
    void longAttributesUseExtendedLengthAndLargeMessagesNeedRfc8654() {
        List<Prefix> many = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            many.add(Prefix.parse("10." + (i >> 8) + "." + (i & 0xff) + ".0/24"));
        }
        var ext = new WireContext(true, Set.of(), true);
        Update u = new Update(List.of(), List.of(PathAttribute.Origin.IGP, PathAttribute.AsPath.EMPTY,
                new PathAttribute.MpReach(Family.IPV4_UNICAST, List.of(Addresses.parse("10.0.0.1")), many)), List.of());
        assertThat(roundTrip(u, ext)).isEqualTo(u);
        ByteBuf buf = Unpooled.buffer();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> BgpCodec.encode(u, buf, AS4))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4096");
            assertThat(buf.writerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void fourOctetAsnsBecomeAsTransInTwoOctetContext() {
        Update u = new Update(List.of(), List.of(new PathAttribute.AsPath(List.of(Segment.sequence(4200000001L, 65001))),
                new PathAttribute.Aggregator(4200000001L, Addresses.parse4("192.0.2.1"))), List.of());
        Update back = (Update) roundTripLossy(u, AS2);
        assertThat(back.attribute(PathAttribute.AsPath.class).orElseThrow().segments().getFirst().asns())
                .containsExactly(23456L, 65001L);
        assertThat(back.attribute(PathAttribute.Aggregator.class).orElseThrow().as()).isEqualTo(23456L);
    }

    static BgpMessage roundTripLossy(BgpMessage m, WireContext ctx) {
        ByteBuf buf = Unpooled.buffer();
        try {
            BgpCodec.encode(m, buf, ctx);
            return ((DecodeResult.Success) BgpCodec.decode(buf, ctx)).message();
        } finally {
            buf.release();
        }
    }

    @Test
    void otherMessages() {
        for (BgpMessage m : List.of(Keepalive.INSTANCE,
                Notification.of(NotificationCode.HOLD_TIMER_EXPIRED),
                Notification.shutdown(NotificationCode.ADMINISTRATIVE_SHUTDOWN, "maintenance until 10:00"),
                new Notification(9, 9, Bytes.ofHex("0102")),
                new RouteRefresh(Family.IPV4_UNICAST, RouteRefresh.NORMAL),
                new RouteRefresh(Family.IPV6_UNICAST, RouteRefresh.BEGIN),
                new RouteRefresh(Family.IPV6_UNICAST, RouteRefresh.END),
                Update.endOfRib(Family.IPV4_UNICAST), Update.endOfRib(Family.IPV6_UNICAST))) {
            assertThat(roundTrip(m, AS4)).isEqualTo(m);
        }
        assertThat(Update.endOfRib(Family.IPV6_UNICAST).endOfRib()).contains(Family.IPV6_UNICAST);
        assertThat(Update.endOfRib(Family.IPV4_UNICAST).endOfRib()).contains(Family.IPV4_UNICAST);
    }

    @Test
    void shutdownCommunicationIsUtf8WithLengthAndTruncatesOnCharacterBoundary() {
        Notification n = Notification.shutdown(NotificationCode.ADMINISTRATIVE_SHUTDOWN, "Wartung \u00fcber Nacht");
        assertThat(n.shutdownMessage()).contains("Wartung \u00fcber Nacht");
        assertThat(n.toString()).contains("6/2 ADMINISTRATIVE_SHUTDOWN").contains("Wartung");
        String longText = "\u00e9".repeat(200); // 400 octets of UTF-8
        Notification t = Notification.shutdown(NotificationCode.ADMINISTRATIVE_RESET, longText);
        assertThat(t.data().get(0)).isEqualTo(254);
        assertThat(t.shutdownMessage()).contains("\u00e9".repeat(127));
        assertThat(new Notification(6, 2, Bytes.ofHex("05c3")).shutdownMessage()).isEmpty();
    }

    @Test
    void prefixesAreCanonical() throws Exception {
        assertThat(Prefix.parse("10.1.2.3/8")).isEqualTo(new Prefix(InetAddress.getByName("10.0.0.0"), 8));
        assertThat(Prefix.parse("10.0.0.0/8").contains(Addresses.parse("10.200.0.1"))).isTrue();
        assertThat(Prefix.parse("10.0.0.0/8").contains(Addresses.parse("11.0.0.1"))).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Prefix.parse("10.0.0.0/33"))
                .hasMessageContaining("33");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Addresses.parse("example.com"))
                .hasMessageContaining("not an IP address literal");
    }

    @Test
    void everyIpv4LengthIsItsLeadingOctetsAndBack() throws Malformed {
        // The encoder writes an IPv4 prefix's octets in one write and the decoder reads them in
        // one read, by octet count: each length from /0 to /32 must come out as RFC 4271 4.3 has it.
        int address = 0xC0A8FF81; // 192.168.255.129: every octet non-zero, the last one odd
        List<Prefix> all = new ArrayList<>();
        ByteBuf expected = Unpooled.buffer();
        for (int len = 0; len <= 32; len++) {
            all.add(Prefix.v4(address, len, 0));
            expected.writeByte(len);
            for (int i = 0; i < (len + 7) / 8; i++) {
                int keep = Math.min(8, len - 8 * i); // bits of this octet inside the prefix
                expected.writeByte((address >>> (24 - 8 * i)) & (0xff << (8 - keep)) & 0xff);
            }
        }
        ByteBuf out = Unpooled.buffer();
        NlriCodec.encode(all, out, false);
        assertThat(ByteBufUtil.getBytes(out)).isEqualTo(ByteBufUtil.getBytes(expected));
        assertThat(NlriCodec.decode(out, out.writerIndex(), Family.IPV4_UNICAST, false,
                NotificationCode.INVALID_NETWORK_FIELD)).isEqualTo(all);
    }
}
