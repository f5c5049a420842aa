package io.tabby.cni.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpNetTest {
    @Test
    void subnets_offsets_and_containment() {
        IpNet pool = IpNet.parse("10.244.0.0/16");
        IpNet block = pool.subnet(26, 5);
        assertThat(block).hasToString("10.244.1.64/26");
        assertThat(block.addressAt(3)).isEqualTo(IpNet.parseAddress("10.244.1.67"));
        assertThat(block.offsetOf(IpNet.parseAddress("10.244.1.127"))).isEqualTo(63);
        assertThat(pool.contains(block)).isTrue();
        assertThat(block.contains(IpNet.parseAddress("10.244.1.128"))).isFalse();
        assertThat(pool.size().longValue()).isEqualTo(65536);
        assertThat(IpNet.parse("10.244.1.70/26").network()).hasToString("10.244.1.64/26");
        assertThat(block.dnsLabel()).isEqualTo("10-244-1-64-26");
    }

    @Test
    void ipv6_prints_compressed() {
        IpNet b = IpNet.parse("fd00:10:244::/64").subnet(122, 1);
        assertThat(b).hasToString("fd00:10:244::40/122");
        assertThat(IpNet.format(b.addressAt(1))).isEqualTo("fd00:10:244::41");
        assertThat(IpNet.parse("fe80::ecee:eeff:feee:eeee").prefix()).isEqualTo(128);
    }

    @Test
    void never_resolves_host_names() {
        assertThatThrownBy(() -> IpNet.parse("example.com/32")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpNet.parse("10.1.2/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpNet.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }
}
