package io.tabby.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.cni.types.IpNet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditTest {
    static final IpPool POOL = new IpPool("p", IpNet.parse("10.244.0.0/24"), 26, "all()", false, false);

    @Test
    void usage_per_node_counts_borrowed_addresses() {
        Block own = Block.empty(IpNet.parse("10.244.0.0/26"), "n1").allocate(0, new Allocation("h1", "n1", "ns", "a", 0))
                .allocate(1, new Allocation("h2", "n2", "ns", "b", 0));
        assertThat(Audit.usage(List.of(own))).containsExactly(new Audit.NodeUse("n1", 1, 64, 2, 1));
    }

    @Test
    void finds_leaks_overlaps_orphans_duplicates_and_bad_accounting() {
        Block a = Block.empty(IpNet.parse("10.244.0.0/26"), "n1")
                .allocate(0, new Allocation("net.x", "n1", "ns", "gone", 0))
                .allocate(1, new Allocation("net.y", "n1", "ns", "alive", 0))
                .allocate(2, new Allocation("net.y", "n1", "ns", "alive", 0));
        Block overlapping = Block.empty(IpNet.parse("10.244.0.0/27"), "n2");
        Block orphan = Block.empty(IpNet.parse("10.9.0.0/26"), "n3");
        Block broken = new Block(IpNet.parse("10.244.0.64/26"), "n4", Map.of(), List.of(1, 1));
        List<Audit.Problem> ps = Audit.check(List.of(POOL), List.of(a, overlapping, orphan, broken), al -> al.pod().equals("gone"));
        assertThat(ps).extracting(Audit.Problem::kind)
                .containsExactlyInAnyOrder("leak", "overlap", "orphan-block", "bad-accounting", "multiple");
        assertThat(Audit.check(List.of(POOL), List.of(Block.empty(IpNet.parse("10.244.0.0/26"), "n1")), al -> true)).isEmpty();
    }
}
