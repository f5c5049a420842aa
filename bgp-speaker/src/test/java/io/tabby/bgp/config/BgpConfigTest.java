package io.tabby.bgp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabby.bgp.wire.Family;
import org.junit.jupiter.api.Test;

class BgpConfigTest {
    @Test
    void yamlWithEverything() {
        BgpConfig c = BgpConfig.parse("""
                localAs: 4200000001
                routerId: 10.0.0.1
                listen: {address: "::", port: 1179}
                peers:
                  - {address: 10.0.0.2, as: 65002, passive: true, holdTime: 0, password: pw, ttlSecurityHops: 1,
                     families: [ipv4-unicast, ipv6-unicast], extendedNextHop: true, addPath: both}
                dynamicPeers:
                  - {prefix: 10.0.0.0/24, as: 0}
                originate:
                  - {prefix: 10.244.1.0/26, communities: ["64512:100", no-export], med: 5}
                """, "t");
        assertThat(c.localAs()).isEqualTo(4200000001L);
        assertThat(c.listen().portOrDefault()).isEqualTo(1179);
        PeerConfig p = c.peers().getFirst();
        assertThat(p.passive()).isTrue();
        assertThat(p.options().holdTime()).isZero();
        assertThat(p.options().familySet()).containsExactlyInAnyOrder(Family.IPV4_UNICAST, Family.IPV6_UNICAST);
        assertThat(p.options().addPathMode()).isEqualTo(3);
        assertThat(Communities.parse("64512:100")).isEqualTo((64512 << 16) | 100);
        assertThat(Communities.format(Communities.parse("no-export"))).isEqualTo("65535:65281");
    }

    @Test
    void warmUpIsOffUnlessGivenAndItsLimitsAreChecked() {
        assertThat(BgpConfig.parse("localAs: 65001\nrouterId: 10.0.0.1\n", "f").warmUp()).isNull();
        BgpConfig.WarmUp w = BgpConfig.parse("localAs: 65001\nrouterId: 10.0.0.1\nwarmUp: {}\n", "f").warmUp();
        assertThat(w.routesOrDefault()).isEqualTo(100_000);
        assertThat(w.roundsOrDefault()).isEqualTo(3);
        assertThat(w.timeoutOrDefault()).isEqualTo(60);
        assertThatThrownBy(() -> BgpConfig.parse("localAs: 65001\nrouterId: 10.0.0.1\nwarmUp: {routes: 0}\n", "f"))
                .hasMessageContaining("warmUp.routes must be 1..4000000, got 0");
        assertThatThrownBy(() -> BgpConfig.parse("localAs: 65001\nrouterId: 10.0.0.1\nwarmUp: {rounds: 21}\n", "f"))
                .hasMessageContaining("warmUp.rounds must be 1..20, got 21");
        assertThatThrownBy(() -> BgpConfig.parse("localAs: 65001\nrouterId: 10.0.0.1\nwarmUp: {timeoutSeconds: 0}\n", "f"))
                .hasMessageContaining("warmUp.timeoutSeconds must be positive");
    }

    @Test
    void jsonWorksToo() {
        BgpConfig c = BgpConfig.parse("{\"localAs\": 65001, \"routerId\": \"10.0.0.1\"}", "t.json");
        assertThat(c.listen().portOrDefault()).isEqualTo(179);
        assertThat(c.peers()).isEmpty();
    }

    @Test
    void errorsNameWhatIsWrong() {
        assertThatThrownBy(() -> BgpConfig.parse("localAs: 65001\nrouterId: 10.0.0.1\nbogus: 1\n", "f.yaml"))
                .hasMessageContaining("f.yaml").hasMessageContaining("bogus");
        assertThatThrownBy(() -> BgpConfig.parse("localAs: 65001\n", "f")).hasMessageContaining("routerId");
        assertThatThrownBy(() -> BgpConfig.parse("localAs: 65001\nrouterId: 10.0.0.1\npeers: [{address: 10.0.0.2, as: 1, holdTime: 2}]\n", "f"))
                .hasMessageContaining("holdTime");
        assertThatThrownBy(() -> BgpConfig.parse("localAs: 65001\nrouterId: 10.0.0.1\noriginate: [{prefix: 10.0.0.0/40}]\n", "f"))
                .hasMessageContaining("40");
        assertThatThrownBy(() -> BgpConfig.parse("localAs: 65001\nrouterId: 10.0.0.1\npeers: [{address: x.example, as: 1}]\n", "f"))
                .hasMessageContaining("not an IP address literal");
        assertThatThrownBy(() -> BgpConfig.parse("localAs: 65001\nrouterId: 10.0.0.1\npeers: [{address: 10.0.0.2, as: 1, families: [l2vpn]}]\n", "f"))
                .hasMessageContaining("l2vpn");
    }
}
