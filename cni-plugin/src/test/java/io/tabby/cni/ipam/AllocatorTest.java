package io.tabby.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.cni.types.IpNet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllocatorTest {
    static final IpPool POOL = new IpPool("default", IpNet.parse("10.244.0.0/24"), 26, "all()", false, true);

    static AssignRequest req(String handle, String node) {
        return new AssignRequest(handle, true, node, Map.of(), "ns", "pod-" + handle, List.of(), null, 1000);
    }

    /** Applies plans to a list like a perfect store would; the tests read the resulting state. */
    static InetAddress apply(List<Block> blocks, Allocator.Plan plan) {
        return switch (plan) {
            case Allocator.Claim c -> {
                blocks.add(c.block());
                yield c.address();
            }
            case Allocator.Update u -> {
                blocks.set(blocks.indexOf(u.before()), u.after());
                yield u.address();
            }
            case Allocator.Existing e -> e.address();
            case Allocator.Refused r -> throw new AssertionError("refused: " + r.reason());
        };
    }

    @Test
    void first_address_claims_a_block_for_the_node_then_fills_it() {
        List<Block> blocks = new ArrayList<>();
        Allocator.Plan p = Allocator.plan(req("h1", "n1"), List.of(POOL), IpamConfig.DEFAULT, blocks);
        assertThat(p).isInstanceOf(Allocator.Claim.class);
        InetAddress a1 = apply(blocks, p);
        InetAddress a2 = apply(blocks, Allocator.plan(req("h2", "n1"), List.of(POOL), IpamConfig.DEFAULT, blocks));
        assertThat(blocks).hasSize(1);
        assertThat(blocks.getFirst().affinity()).isEqualTo("n1");
        assertThat(blocks.getFirst().cidr().contains(a1)).isTrue();
        assertThat(a2).isNotEqualTo(a1);
        assertThat(blocks.getFirst().cidr().contains(a2)).isTrue();
    }

    @Test
    void the_same_handle_gets_the_same_address() {
        List<Block> blocks = new ArrayList<>();
        InetAddress a = apply(blocks, Allocator.plan(req("h1", "n1"), List.of(POOL), IpamConfig.DEFAULT, blocks));
        Allocator.Plan again = Allocator.plan(req("h1", "n1"), List.of(POOL), IpamConfig.DEFAULT, blocks);
        assertThat(again).isEqualTo(new Allocator.Existing(blocks.getFirst(), a));
    }

    @Test
    void nodes_claim_separate_blocks_and_borrow_only_when_the_pool_is_fully_claimed() {
        List<Block> blocks = new ArrayList<>();
        // 4 blocks of 64 in the /24: four nodes claim one each, then n1 fills its own.
        for (String n : List.of("n1", "n2", "n3", "n4")) {
            apply(blocks, Allocator.plan(req("first-" + n, n), List.of(POOL), IpamConfig.DEFAULT, blocks));
        }
        assertThat(blocks).extracting(Block::affinity).containsExactlyInAnyOrder("n1", "n2", "n3", "n4");
        for (int i = 0; i < 63; i++) {
            Allocator.Plan p = Allocator.plan(req("h" + i, "n1"), List.of(POOL), IpamConfig.DEFAULT, blocks);
            assertThat(p).isInstanceOfSatisfying(Allocator.Update.class, u -> assertThat(u.borrowed()).isFalse());
            apply(blocks, p);
        }
        Allocator.Plan borrow = Allocator.plan(req("more", "n1"), List.of(POOL), IpamConfig.DEFAULT, blocks);
        assertThat(borrow).isInstanceOfSatisfying(Allocator.Update.class, u -> {
            assertThat(u.borrowed()).isTrue();
            assertThat(u.before().affinity()).isNotEqualTo("n1");
        });
        Allocator.Plan strict = Allocator.plan(req("more", "n1"), List.of(POOL), new IpamConfig(true, 20), blocks);
        assertThat(strict).isInstanceOfSatisfying(Allocator.Refused.class,
                r -> assertThat(r.reason()).contains("strict affinity"));
    }

    @Test
    void block_cap_stops_claims_but_not_borrowing_once_pools_are_claimed() {
        List<Block> blocks = new ArrayList<>();
        IpamConfig cap1 = new IpamConfig(true, 1);
        IpPool tiny = new IpPool("tiny", IpNet.parse("10.0.0.0/29"), 30, "all()", false, false);
        apply(blocks, Allocator.plan(req("a", "n1"), List.of(tiny), cap1, blocks));
        for (int i = 0; i < 3; i++) {
            apply(blocks, Allocator.plan(req("b" + i, "n1"), List.of(tiny), cap1, blocks));
        }
        Allocator.Plan p = Allocator.plan(req("c", "n1"), List.of(tiny), cap1, blocks);
        assertThat(p).isInstanceOfSatisfying(Allocator.Refused.class, r -> assertThat(r.reason()).contains("limit of 1 blocks"));
    }

    @Test
    void disabled_pools_and_unmatched_node_selectors_give_nothing() {
        IpPool off = new IpPool("off", IpNet.parse("10.1.0.0/24"), 26, "all()", true, false);
        IpPool rack = new IpPool("rack", IpNet.parse("10.2.0.0/24"), 26, "rack == 'r1' && has(zone)", false, false);
        List<Block> blocks = new ArrayList<>();
        assertThat(Allocator.plan(req("h", "n1"), List.of(off, rack), IpamConfig.DEFAULT, blocks))
                .isInstanceOf(Allocator.Refused.class);
        AssignRequest onRack = new AssignRequest("h", true, "n1", Map.of("rack", "r1", "zone", "z"), "ns", "p", List.of(), null, 0);
        InetAddress a = apply(blocks, Allocator.plan(onRack, List.of(off, rack), IpamConfig.DEFAULT, blocks));
        assertThat(rack.cidr().contains(a)).isTrue();
    }

    @Test
    void pool_annotation_and_specific_address() {
        IpPool other = new IpPool("other", IpNet.parse("10.9.0.0/24"), 26, "all()", false, false);
        List<Block> blocks = new ArrayList<>();
        AssignRequest wantsOther = new AssignRequest("h", true, "n1", Map.of(), "ns", "p", List.of("10.9.0.0/24"), null, 0);
        assertThat(other.cidr().contains(apply(blocks, Allocator.plan(wantsOther, List.of(POOL, other), IpamConfig.DEFAULT, blocks)))).isTrue();

        InetAddress want = IpNet.parseAddress("10.244.0.77");
        AssignRequest specific = new AssignRequest("s", true, "n2", Map.of(), "ns", "p2", List.of(), want, 0);
        assertThat(apply(blocks, Allocator.plan(specific, List.of(POOL, other), IpamConfig.DEFAULT, blocks))).isEqualTo(want);
        AssignRequest clash = new AssignRequest("t", true, "n3", Map.of(), "ns", "p3", List.of(), want, 0);
        assertThat(Allocator.plan(clash, List.of(POOL, other), IpamConfig.DEFAULT, blocks))
                .isInstanceOfSatisfying(Allocator.Refused.class, r -> assertThat(r.reason()).contains("already in use by s"));
        AssignRequest outside = new AssignRequest("u", true, "n3", Map.of(), "ns", "p3", List.of(), IpNet.parseAddress("192.168.0.1"), 0);
        assertThat(Allocator.plan(outside, List.of(POOL), IpamConfig.DEFAULT, blocks)).isInstanceOf(Allocator.Refused.class);
    }

    @Test
    void freed_ordinals_are_reused_last() {
        Block b = Block.empty(IpNet.parse("10.0.0.0/30"), "n1");
        Allocation a = new Allocation("h", "n1", "ns", "p", 0);
        b = b.allocate(0, a).releaseHandle("h");
        assertThat(b.unallocated()).containsExactly(1, 2, 3, 0);
        assertThat(b.releaseHandle("nobody")).isSameAs(b);
    }

    @Test
    void ipv6_uses_122_blocks() {
        IpPool v6 = new IpPool("v6", IpNet.parse("fd00:10:244::/64"), 122, "all()", false, false);
        List<Block> blocks = new ArrayList<>();
        AssignRequest r = new AssignRequest("h", false, "n1", Map.of(), "ns", "p", List.of(), null, 0);
        InetAddress a = apply(blocks, Allocator.plan(r, List.of(POOL, v6), IpamConfig.DEFAULT, blocks));
        assertThat(a.getAddress()).hasSize(16);
        assertThat(blocks.getFirst().size()).isEqualTo(64);
    }
}
