package io.tabby.bgp.rib;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tabby.bgp.wire.BgpCodec;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.DecodeResult;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.PathAttribute.MpReach;
import io.tabby.bgp.wire.PathAttribute.MpUnreach;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.wire.WireContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class UpdatePackerTest {
    private static final WireContext CTX = WireContext.FOUR_OCTET;

    /** Encodes each UPDATE (asserting it fits) and decodes it back. */
    private static List<Update> roundTrip(List<Update> updates, WireContext ctx) {
        List<Update> out = new ArrayList<>();
        for (Update u : updates) {
            ByteBuf buf = Unpooled.buffer();
            try {
                BgpCodec.encode(u, buf, ctx);
                assertThat(buf.readableBytes()).isLessThanOrEqualTo(ctx.maxLength());
                DecodeResult r = BgpCodec.decode(buf, ctx);
                assertThat(r).isInstanceOf(DecodeResult.Success.class);
                Update back = (Update) ((DecodeResult.Success) r).message();
                assertThat(back).isEqualTo(u);
                out.add(back);
            } finally {
                buf.release();
            }
        }
        return out;
    }

    private static int encodedSize(Update u, WireContext ctx) {
        ByteBuf buf = Unpooled.buffer();
        try {
            BgpCodec.encode(u, buf, ctx);
            return buf.readableBytes();
        } finally {
            buf.release();
        }
    }

    private static List<Prefix> slash32s(int n, int base) {
        List<Prefix> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int a = base + i;
            out.add(Prefix.parse("100." + (64 + (a >> 16 & 63)) + "." + (a >> 8 & 255) + "." + (a & 255) + "/32"));
        }
        return out;
    }

    @Test
    void fillsMessagesToTheLimitAndKeepsEveryPrefixOnce() {
        AttrSet attrs = Attrs.of().path(65001).nh("198.18.1.2").set();
        List<Prefix> prefixes = slash32s(3000, 0);
        List<Update> updates = UpdatePacker.pack(Family.IPV4_UNICAST, Map.of(attrs, prefixes), List.of(), CTX);
        // /32 = 5 octets; 4096 - 23 - attributes(~25) leaves room for ~800 per message (bgp.md 3.3).
        assertThat(updates).hasSize(4);
        assertThat(updates.getFirst().nlri().size()).isBetween(790, 815);
        List<Prefix> seen = new ArrayList<>();
        for (Update u : roundTrip(updates, CTX)) {
            assertThat(AttrSet.of(u.attributes())).isEqualTo(attrs);
            seen.addAll(u.nlri());
        }
        assertThat(seen).containsExactlyElementsOf(prefixes);
    }

    @Test
    void withdrawalsUseTheWithdrawnFieldForIpv4AndMpUnreachForIpv6() {
        List<Update> v4 = UpdatePacker.pack(Family.IPV4_UNICAST, Map.of(), slash32s(1000, 0), CTX);
        assertThat(v4).hasSize(2);
        assertThat(roundTrip(v4, CTX).stream().mapToInt(u -> u.withdrawn().size()).sum()).isEqualTo(1000);

        List<Prefix> six = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            six.add(Prefix.parse("2001:db8:" + Integer.toHexString(i) + "::/48"));
        }
        List<Update> v6 = UpdatePacker.pack(Family.IPV6_UNICAST, Map.of(), six, CTX);
        List<Prefix> seen = new ArrayList<>();
        for (Update u : roundTrip(v6, CTX)) {
            seen.addAll(u.attribute(MpUnreach.class).orElseThrow().withdrawn());
        }
        assertThat(seen).containsExactlyElementsOf(six);
    }

    @Test
    void ipv6AnnouncementsGoInMpReachWithTheNextHop() {
        AttrSet attrs = Attrs.of().path(65001).nh("2001:db8::1").set();
        List<Prefix> six = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            six.add(Prefix.parse("2001:db8:" + Integer.toHexString(i) + "::/48"));
        }
        List<Update> updates = roundTrip(UpdatePacker.pack(Family.IPV6_UNICAST, Map.of(attrs, six), List.of(), CTX), CTX);
        List<Prefix> seen = new ArrayList<>();
        for (Update u : updates) {
            MpReach r = u.attribute(MpReach.class).orElseThrow();
            assertThat(r.nextHops()).containsExactlyElementsOf(attrs.nextHops());
            assertThat(u.nlri()).isEmpty();
            seen.addAll(r.nlri());
        }
        assertThat(seen).containsExactlyElementsOf(six);
        assertThat(updates.size()).isEqualTo(2);
    }

    @Test
    void endOfRibIsRecognisedAsSuch() {
        assertThat(UpdatePacker.endOfRib(Family.IPV4_UNICAST).endOfRib()).contains(Family.IPV4_UNICAST);
        assertThat(UpdatePacker.endOfRib(Family.IPV6_UNICAST).endOfRib()).contains(Family.IPV6_UNICAST);
    }

    @Test
    void extendedMessagesCarryMore() {
        WireContext big = new WireContext(true, Set.of(), true);
        AttrSet attrs = Attrs.of().path(65001).nh("198.18.1.2").set();
        List<Update> updates = roundTrip(UpdatePacker.pack(Family.IPV4_UNICAST, Map.of(attrs, slash32s(20_000, 0)),
                List.of(), big), big);
        assertThat(updates).hasSize(2);
    }

    @Property(tries = 60)
    void neverExceedsTheLimitAndNeverLosesAPrefix(@ForAll @IntRange(min = 0, max = 3000) int announce,
                                                  @ForAll @IntRange(min = 0, max = 1500) int withdraw,
                                                  @ForAll @IntRange(min = 1, max = 6) int sets,
                                                  @ForAll boolean addPath, @ForAll boolean ipv6NextHop) {
        WireContext ctx = new WireContext(true, addPath ? Set.of(Family.IPV4_UNICAST) : Set.of(), false);
        Map<AttrSet, List<Prefix>> groups = new LinkedHashMap<>();
        List<Prefix> all = slash32s(announce, 0);
        for (int i = 0; i < all.size(); i++) {
            // Attribute sets of varied size: long AS paths and many communities.
            int s = i % sets;
            long[] path = new long[1 + s * 20];
            java.util.Arrays.fill(path, 65001 + s);
            int[] comms = new int[s * 30];
            java.util.Arrays.fill(comms, 0xfde80000 + s);
            Attrs b = Attrs.of().path(path).nh(ipv6NextHop ? "2001:db8::" + (s + 1) : "198.18.1." + (s + 2));
            if (comms.length > 0) {
                b.communities(comms);
            }
            Prefix p = addPath ? all.get(i).withPathId(i + 1) : all.get(i);
            groups.computeIfAbsent(b.set(), k -> new ArrayList<>()).add(p);
        }
        List<Prefix> gone = slash32s(withdraw, 100_000);
        if (addPath) {
            gone = gone.stream().map(p -> p.withPathId(7)).toList();
        }
        List<Update> updates = roundTrip(UpdatePacker.pack(Family.IPV4_UNICAST, groups, gone, ctx), ctx);
        Map<Prefix, AttrSet> announced = new HashMap<>();
        List<Prefix> withdrawn = new ArrayList<>();
        for (Update u : updates) {
            withdrawn.addAll(u.withdrawn());
            AttrSet a = AttrSet.of(u.attributes());
            List<Prefix> nlri = u.attribute(MpReach.class).map(MpReach::nlri).orElse(u.nlri());
            for (Prefix p : nlri) {
                assertThat(announced.put(p, a)).as("announced twice: %s", p).isNull();
            }
        }
        assertThat(withdrawn).containsExactlyElementsOf(gone);
        assertThat(announced).hasSize(announce);
        groups.forEach((a, ps) -> ps.forEach(p -> assertThat(announced.get(p)).isEqualTo(a)));
        // Packed: a message is followed by another of the same kind only when the next prefix did not fit.
        for (int i = 0; i + 1 < updates.size(); i++) {
            Update u = updates.get(i);
            Update next = updates.get(i + 1);
            boolean sameKind = u.withdrawn().isEmpty() == next.withdrawn().isEmpty()
                    && AttrSet.of(u.attributes()).equals(AttrSet.of(next.attributes()));
            if (sameKind) {
                List<Prefix> nextPrefixes = next.withdrawn().isEmpty()
                        ? next.attribute(MpReach.class).map(MpReach::nlri).orElse(next.nlri()) : next.withdrawn();
                assertThat(encodedSize(u, ctx) + BgpCodec.prefixSize(nextPrefixes.getFirst(), ctx))
                        .as("message %d could have taken the next prefix", i).isGreaterThan(ctx.maxLength() - 1);
            }
        }
    }
}
