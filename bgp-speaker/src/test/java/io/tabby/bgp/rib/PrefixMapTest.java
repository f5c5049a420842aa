package io.tabby.bgp.rib;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.wire.Prefix;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrefixMapTest {
    @Test
    void behavesLikeAHashMapUnderRandomOperations() {
        Random r = new Random(42);
        PrefixMap<Integer> m = new PrefixMap<>();
        Map<Prefix, Integer> ref = new HashMap<>();
        Prefix[] recent = new Prefix[2];
        for (int i = 0; i < 300_000; i++) {
            // A small key space so puts, replaces and removes collide a lot, and deletion shifts
            // chains; two times in three one of the last two prefixes again, as the RIB reads an
            // entry and then writes it, sometimes with another change between (the map remembers
            // where its last lookup hit or missed, and must notice when that no longer holds).
            int pick = r.nextInt(3);
            Prefix p = pick < 2 ? recent[pick] : null;
            if (p == null) {
                int len = 20 + r.nextInt(13);
                String addr = "10." + r.nextInt(4) + "." + r.nextInt(64) + "." + r.nextInt(4) * 64;
                p = Prefix.parse(addr + "/" + len);
            }
            if (p != recent[0]) {
                recent[1] = recent[0];
                recent[0] = p;
            }
            int op = r.nextInt(4);
            if (op < 2) {
                assertThat(m.put(p, i)).isEqualTo(ref.put(p, i));
            } else if (op == 2) {
                assertThat(m.remove(p)).isEqualTo(ref.remove(p));
            } else {
                assertThat(m.get(p)).isEqualTo(ref.get(p));
            }
            if (i % 20_000 == 0) {
                Map<Prefix, Integer> seen = new HashMap<>();
                m.forEach(seen::put);
                assertThat(seen).isEqualTo(ref);
            }
        }
        assertThat(m.size()).isEqualTo(ref.size());
        ref.forEach((q, v) -> assertThat(m.get(q)).isEqualTo(v));
    }

    @Test
    void runsOfNeighbouringPrefixesSurviveGrowthAndDeletionShifts() {
        // Home slots keep runs of neighbouring prefixes together (a table arriving in prefix
        // order): consecutive /32s and /24s, grown through many resizes, then deleted in a
        // pattern that makes backward-shift deletion move entries across runs.
        PrefixMap<Integer> m = new PrefixMap<>();
        Map<Prefix, Integer> ref = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            Prefix host = Prefix.parse("100.64." + (i >> 8) + "." + (i & 255) + "/32");
            Prefix net = Prefix.parse("10." + (i >> 8) + "." + (i & 255) + ".0/24");
            assertThat(m.put(host, i)).isEqualTo(ref.put(host, i));
            assertThat(m.put(net, -i)).isEqualTo(ref.put(net, -i));
        }
        for (int i = 0; i < 20_000; i += 3) {
            Prefix host = Prefix.parse("100.64." + (i >> 8) + "." + (i & 255) + "/32");
            assertThat(m.remove(host)).isEqualTo(ref.remove(host));
        }
        assertThat(m.size()).isEqualTo(ref.size());
        ref.forEach((p, v) -> assertThat(m.get(p)).isEqualTo(v));
        Map<Prefix, Integer> seen = new HashMap<>();
        m.forEach(seen::put);
        assertThat(seen).isEqualTo(ref);
    }

    @Test
    void replaceAllRemovesAndRewrites() {
        PrefixMap<Integer> m = new PrefixMap<>();
        for (int i = 0; i < 1000; i++) {
            m.put(Prefix.parse("100.64." + (i / 256) + "." + (i % 256) + "/32"), i);
        }
        m.put(Prefix.parse("2001:db8::/32"), 7);
        m.replaceAll((p, v) -> v % 2 == 0 ? null : v * 10);
        assertThat(m.size()).isEqualTo(501);
        assertThat(m.get(Prefix.parse("100.64.0.1/32"))).isEqualTo(10);
        assertThat(m.get(Prefix.parse("100.64.0.2/32"))).isNull();
        assertThat(m.get(Prefix.parse("2001:db8::/32"))).isEqualTo(70);
    }

    @Test
    void clearEmptiesSmallAndLargeTables() {
        for (int n : new int[] {100, 100_000}) {
            PrefixMap<Integer> m = new PrefixMap<>();
            for (int i = 0; i < n; i++) {
                m.put(Prefix.parse("100." + (64 + (i >> 16)) + "." + (i >> 8 & 255) + "." + (i & 255) + "/32"), i);
            }
            m.put(Prefix.parse("2001:db8::/32"), 1);
            m.clear();
            assertThat(m.size()).isZero();
            assertThat(m.get(Prefix.parse("100.64.0.1/32"))).isNull();
            m.put(Prefix.parse("100.64.0.1/32"), 5);
            assertThat(m.get(Prefix.parse("100.64.0.1/32"))).isEqualTo(5);
        }
    }

    @Test
    void keysSnapshotAndRemoveSomeWalkTheWholeTableInSlices() {
        PrefixMap<Integer> m = new PrefixMap<>();
        Map<Prefix, Integer> ref = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            Prefix p = Prefix.parse("100.64." + (i >> 8) + "." + (i & 255) + "/32");
            m.put(p, i);
            ref.put(p, i);
        }
        m.put(Prefix.parse("2001:db8::/32"), -1);
        ref.put(Prefix.parse("2001:db8::/32"), -1);
        PrefixMap.Keys keys = m.keys();
        assertThat(keys.size()).isEqualTo(5001);
        java.util.Set<Prefix> seen = new java.util.HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            seen.add(keys.get(i));
        }
        assertThat(seen).isEqualTo(ref.keySet());
        Map<Prefix, Integer> removed = new HashMap<>();
        int slices = 0;
        while (!m.isEmpty()) {
            assertThat(m.removeSome(1000, removed::put)).isLessThanOrEqualTo(1000);
            slices++;
            // What is left is still found where the removals shifted it.
            for (Map.Entry<Prefix, Integer> e : ref.entrySet()) {
                assertThat(m.get(e.getKey())).isEqualTo(removed.containsKey(e.getKey()) ? null : e.getValue());
            }
            assertThat(m.size()).isEqualTo(ref.size() - removed.size());
        }
        assertThat(slices).isEqualTo(6);
        assertThat(removed).isEqualTo(ref);
    }

    @Test
    void pathIdIsNotPartOfTheKeyAndZeroSlashZeroIsAKey() {
        PrefixMap<String> m = new PrefixMap<>();
        m.put(Prefix.parse("0.0.0.0/0"), "default");
        m.put(Prefix.parse("10.0.0.0/8").withPathId(5), "ten");
        assertThat(m.get(Prefix.parse("0.0.0.0/0"))).isEqualTo("default");
        assertThat(m.get(Prefix.parse("10.0.0.0/8"))).isEqualTo("ten");
        assertThat(m.get(Prefix.parse("10.0.0.0/9"))).isNull();
        assertThat(PrefixMap.unpack(PrefixMap.pack(Prefix.parse("255.255.255.255/32"))))
                .isEqualTo(Prefix.parse("255.255.255.255/32"));
    }
}
