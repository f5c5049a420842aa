package io.tabby.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void minusSplitsIntoDisjointPrefixes() {
        List<Cidr> parts = Cidr.parse("10.0.0.0/24").minus(List.of(Cidr.parse("10.0.0.5/32"), Cidr.parse("10.0.0.128/25")));
        assertThat(parts).extracting(Cidr::toString).containsExactly(
                "10.0.0.0/30", "10.0.0.4/32", "10.0.0.6/31", "10.0.0.8/29", "10.0.0.16/28", "10.0.0.32/27", "10.0.0.64/26");
    }

    @Test
    void containsAndIpv6() {
        Cidr v6 = Cidr.parse("2001:db8::/32");
        assertThat(v6.contains(Cidr.Address.parse("2001:db8::1"))).isTrue();
        assertThat(v6.contains(Cidr.Address.parse("10.0.0.1"))).isFalse();
        assertThat(Cidr.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length out of range");
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).hasMessageContaining("invalid IP address");
        assertThatThrownBy(() -> new Peer.IpBlock(Cidr.parse("10.0.0.0/8"), List.of(Cidr.parse("10.0.0.0/8"))))
                .hasMessageContaining("not strictly inside");
    }
}
