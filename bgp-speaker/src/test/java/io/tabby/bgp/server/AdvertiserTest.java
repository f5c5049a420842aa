package io.tabby.bgp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.session.Negotiated;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdvertiserTest {
    static Negotiated neg(boolean internal, Set<Family> families, Set<Family> enh) {
        return new Negotiated(internal ? 65001 : 65002, Addresses.parse4("10.0.0.2"), internal, 90, 30, true, families,
                Set.of(), Set.of(), false, true, false, enh);
    }

    static Advertiser.Route route(String p) {
        return new Advertiser.Route(Prefix.parse(p), List.of(), null, null, null);
    }

    @Test
    void ebgpPrependsOurAsAndUsesClassicNlriWithNextHopSelf() {
        var plan = Advertiser.initial(List.of(route("10.1.0.0/16"), route("2001:db8::/32")), 65001,
                neg(false, Set.of(Family.IPV4_UNICAST), Set.of()), Addresses.parse("10.0.0.1"));
        Update u = plan.updates().getFirst();
        assertThat(u.nlri()).containsExactly(Prefix.parse("10.1.0.0/16"));
        assertThat(u.attributes()).contains(new PathAttribute.AsPath(List.of(PathAttribute.Segment.sequence(65001))),
                new PathAttribute.NextHop(Addresses.parse4("10.0.0.1"))).noneMatch(a -> a instanceof PathAttribute.LocalPref);
        assertThat(plan.updates().getLast().endOfRib()).contains(Family.IPV4_UNICAST);
        assertThat(plan.skipped()).extracting(Advertiser.Skipped::prefix).containsExactly(Prefix.parse("2001:db8::/32"));
    }

    @Test
    void ibgpIpv4OverIpv6NeedsExtendedNextHop() {
        var with = Advertiser.initial(List.of(route("10.1.0.0/16")), 65001,
                neg(true, Set.of(Family.IPV4_UNICAST), Set.of(Family.IPV4_UNICAST)), Addresses.parse("fd00::1"));
        var mp = with.updates().getFirst().attribute(PathAttribute.MpReach.class).orElseThrow();
        assertThat(mp.family()).isEqualTo(Family.IPV4_UNICAST);
        assertThat(mp.nextHops()).containsExactly(Addresses.parse("fd00::1"));
        assertThat(with.updates().getFirst().attribute(PathAttribute.LocalPref.class)).contains(new PathAttribute.LocalPref(100));
        var without = Advertiser.initial(List.of(route("10.1.0.0/16")), 65001,
                neg(true, Set.of(Family.IPV4_UNICAST), Set.of()), Addresses.parse("fd00::1"));
        assertThat(without.skipped()).hasSize(1);
        assertThat(without.updates()).hasSize(1); // only the End-of-RIB
    }

    @Test
    void manyPrefixesArePackedUnder4096Octets() {
        List<Advertiser.Route> routes = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            routes.add(route("10." + (i >> 8) + "." + (i & 0xff) + ".0/24"));
        }
        var plan = Advertiser.initial(routes, 65001, neg(false, Set.of(Family.IPV4_UNICAST), Set.of()),
                Addresses.parse("10.0.0.1"));
        int total = plan.updates().stream().mapToInt(u -> u.nlri().size()).sum();
        assertThat(total).isEqualTo(3000);
        assertThat(plan.updates().size()).isBetween(4, 6); // ~4000 octets each, then End-of-RIB
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer();
        try {
            for (Update u : plan.updates()) {
                io.tabby.bgp.wire.BgpCodec.encode(u, b, io.tabby.bgp.wire.WireContext.FOUR_OCTET); // throws if > 4096
            }
        } finally {
            b.release();
        }
    }
}
