package io.tabby.bgp.rib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.PathAttribute.MpReach;
import io.tabby.bgp.wire.Prefix;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AttrSetAndAdjRibTest {
    @Test
    void attrSetIsOrderIndependentAndDecodesWhatBestPathNeeds() {
        List<PathAttribute> a = List.of(new PathAttribute.LocalPref(200), PathAttribute.Origin.EGP,
                new PathAttribute.NextHop(Addresses.parse4("10.0.0.1")), new PathAttribute.MultiExitDisc(7),
                new PathAttribute.AsPath(List.of(PathAttribute.Segment.sequence(65001, 65002),
                        new PathAttribute.Segment(PathAttribute.Segment.AS_SET, List.of(1L, 2L)))));
        AttrSet x = AttrSet.of(a);
        AttrSet y = AttrSet.of(List.of(a.get(4), a.get(3), a.get(2), a.get(1), a.get(0)));
        assertThat(x).isEqualTo(y).hasSameHashCodeAs(y);
        assertThat(x.localPref()).isEqualTo(200);
        assertThat(x.med()).isEqualTo(7);
        assertThat(x.origin()).isEqualTo(1);
        assertThat(x.asPathLength()).isEqualTo(3); // a set counts one
        assertThat(x.neighbourAs()).isEqualTo(65001);
        assertThat(x.asPathString()).isEqualTo("65001 65002 {1 2}");
        assertThat(x.nextHops()).containsExactly(Addresses.parse("10.0.0.1"));
        assertThat(x.attributes()).extracting(PathAttribute::code).containsExactly(1, 2, 4, 5);
    }

    @Test
    void withAndWithoutReplaceByTypeCode() {
        AttrSet a = Attrs.of().lp(100).set();
        AttrSet b = a.with(new PathAttribute.LocalPref(300)).with(new PathAttribute.MultiExitDisc(1));
        assertThat(b.localPref()).isEqualTo(300);
        assertThat(b.attributes()).extracting(PathAttribute::code).containsExactly(1, 2, 4, 5);
        assertThat(b.without(4).med()).isEqualTo(-1);
        assertThat(a.without(99)).isSameAs(a);
        assertThat(a.withNextHops(a.nextHops())).isSameAs(a);
        assertThatThrownBy(() -> a.with(new PathAttribute.MpUnreach(Family.IPV6_UNICAST, List.of())))
                .hasMessageContaining("MP_REACH/MP_UNREACH");
    }

    @Test
    void toWireUsesNextHopForIpv4AndMpReachOtherwise() {
        AttrSet v4 = Attrs.of().nh("10.0.0.1").set();
        assertThat(v4.usesMpReach(Family.IPV4_UNICAST)).isFalse();
        assertThat(v4.toWire(Family.IPV4_UNICAST, List.of())).extracting(PathAttribute::code).containsExactly(1, 2, 3);
        AttrSet enh = Attrs.of().nh("2001:db8::1").set(); // RFC 8950: IPv4 NLRI, IPv6 next hop
        assertThat(enh.usesMpReach(Family.IPV4_UNICAST)).isTrue();
        List<Prefix> nlri = List.of(Prefix.parse("10.1.0.0/16"));
        MpReach r = (MpReach) enh.toWire(Family.IPV4_UNICAST, nlri).stream()
                .filter(x -> x instanceof MpReach).findFirst().orElseThrow();
        assertThat(r.family()).isEqualTo(Family.IPV4_UNICAST);
        assertThat(r.nlri()).isEqualTo(nlri);
        assertThat(AttrSet.of(enh.toWire(Family.IPV4_UNICAST, nlri))).isEqualTo(enh);
    }

    @Test
    void internerSharesEqualSets() {
        AttrInterner in = new AttrInterner();
        AttrSet a = in.intern(Attrs.of().path(1, 2).set());
        AttrSet b = in.intern(Attrs.of().path(1, 2).set());
        assertThat(b).isSameAs(a);
        assertThat(in.intern(Attrs.of().path(1, 3).set())).isNotSameAs(a);
    }

    @Test
    void adjRibInRetainsPerPathIdOrNothing() {
        Peer p = Attrs.ebgp("10.0.0.1", "1.1.1.1", 65001);
        AttrSet a = Attrs.of().set();
        AttrSet b = Attrs.of().med(5).set();
        AdjRibIn all = new AdjRibIn(p, AdjRibIn.Retention.ALL);
        Prefix x = Prefix.parse("10.0.0.0/24");
        all.put(x, 0, a);
        all.put(x, 0, b); // replaces
        all.put(x, 7, a); // ADD-PATH: a second path
        all.put(Prefix.parse("10.0.1.0/24"), 0, a);
        assertThat(all.size()).isEqualTo(3);
        Map<Prefix, AttrSet> seen = new HashMap<>();
        all.forEach(seen::put);
        assertThat(seen).containsEntry(x, b).containsEntry(x.withPathId(7), a).hasSize(3);
        all.remove(x, 0);
        all.remove(x, 7);
        all.remove(x, 9); // unknown: ignored
        assertThat(all.size()).isEqualTo(1);
        AdjRibIn none = new AdjRibIn(p, AdjRibIn.Retention.NONE);
        none.put(x, 0, a);
        assertThat(none.size()).isEqualTo(-1);
    }

    @Test
    void adjRibOutQueuesOnlyDifferences() {
        AdjRibOut out = new AdjRibOut(Attrs.ibgp("10.0.0.2", "2.2.2.2"), Family.IPV4_UNICAST);
        Prefix x = Prefix.parse("10.0.0.0/24");
        AttrSet a = Attrs.of().set();
        assertThat(out.offer(x, null, null)).as("withdraw of something never sent").isFalse();
        assertThat(out.offer(x, null, a)).isTrue();
        assertThat(out.size()).isEqualTo(1);
        assertThat(out.offer(x, a, Attrs.of().set())).as("equal attributes").isFalse();
        AdjRibOut.Batch b = out.drain();
        assertThat(b.announce()).containsOnlyKeys(a);
        assertThat(out.hasPending()).isFalse();
        out.recount(); // a full resend (ROUTE-REFRESH)
        assertThat(out.offer(x, null, a)).isTrue();
        assertThat(out.pendingCount()).isEqualTo(1);
        assertThat(out.size()).isEqualTo(1);
        out.drain();
        assertThat(out.offer(x, a, null)).isTrue();
        assertThat(out.drain().withdraw()).containsExactly(x);
        assertThat(out.size()).isZero();
    }

    @Test
    void whatIsDrainedBringsThePeerToWhatIsAdvertised() {
        // Random announcements (three attribute sets), withdrawals, re-announcements and partial
        // drains, each offered with what the peer should have had before it (the caller's export
        // of the old best path): applying the drained batches in order must leave the peer with
        // exactly the wanted table (a withdrawal of a prefix whose announcement was still queued
        // may reach it: redundant, and harmless), and the count must be its size.
        List<AttrSet> sets = List.of(Attrs.of().med(1).set(), Attrs.of().med(2).set(), Attrs.of().med(3).set());
        for (long seed = 0; seed < 20; seed++) {
            Random rnd = new Random(seed);
            AdjRibOut out = new AdjRibOut(Attrs.ibgp("10.0.0.2", "2.2.2.2"), Family.IPV4_UNICAST);
            Map<Prefix, AttrSet> peer = new HashMap<>();
            Map<Prefix, AttrSet> wanted = new HashMap<>();
            for (int op = 0; op < 3000; op++) {
                Prefix p = Prefix.v4(0x0a000000 + rnd.nextInt(300), 32, 0);
                int r = rnd.nextInt(10);
                if (r < 5) {
                    AttrSet a = sets.get(rnd.nextInt(3));
                    out.offer(p, wanted.put(p, a), a);
                } else if (r < 9) {
                    out.offer(p, wanted.remove(p), null);
                } else {
                    AdjRibOut.Batch b = out.drain(1 + rnd.nextInt(100));
                    b.announce().forEach((a, ps) -> ps.forEach(q -> peer.put(q, a)));
                    b.withdraw().forEach(peer::remove);
                }
            }
            AdjRibOut.Batch last = out.drain();
            last.announce().forEach((a, ps) -> ps.forEach(q -> peer.put(q, a)));
            last.withdraw().forEach(peer::remove);
            assertThat(out.hasPending()).isFalse();
            assertThat(peer).as("seed %d", seed).isEqualTo(wanted);
            assertThat(out.size()).as("seed %d", seed).isEqualTo(wanted.size());
        }
    }
}
