package io.tabby.bgp.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.server.BgpServer;
import io.tabby.testkit.Bird;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Frr;
import io.tabby.testkit.Fabric;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reflector topology the other way round: BIRD 2 (n2) reflects for two clients, Tabby (n1) and
 * FRR 8 (n3), all in AS 64512. Tabby accepts FRR's block as reflected by BIRD (ORIGINATOR_ID and
 * CLUSTER_LIST present, next hop FRR's own) and installs it; FRR gets Tabby's block the same way.
 */
@NetnsTest
class BirdReflectorIT {
    static final Duration UP = Duration.ofSeconds(40);

    @Test
    void birdReflectsBetweenTabbyAndFrr(Lab lab) throws Exception {
        Fabric fabric = lab.fabric();
        Netns n1 = fabric.host("n1", "10.99.0.11/24");
        Netns n2 = fabric.host("n2", "10.99.0.12/24");
        Netns n3 = fabric.host("n3", "10.99.0.13/24");

        Bird bird = Bird.start(lab, n2, "bird", """
                router id 10.99.0.12;
                protocol device {}
                template bgp clients {
                  local 10.99.0.12 as 64512; direct; hold time 9; passive on; rr client; rr cluster id 1.1.1.1;
                  ipv4 { import all; export all; };
                }
                protocol bgp tabby from clients { neighbor 10.99.0.11 as 64512; }
                protocol bgp frr from clients { neighbor 10.99.0.13 as 64512; }
                """);
        Frr frr = Frr.startBgpd(lab, n3, "frr", """
                frr defaults datacenter
                hostname n3
                router bgp 64512
                 bgp router-id 10.99.0.13
                 no bgp network import-check
                 neighbor 10.99.0.12 remote-as 64512
                 neighbor 10.99.0.12 timers 3 9
                 neighbor 10.99.0.12 timers connect 1
                 address-family ipv4 unicast
                  network 10.244.3.0/26
                  neighbor 10.99.0.12 next-hop-self
                 exit-address-family
                """);

        try (BgpServer s = Speakers.server(lab, n1, """
                localAs: 64512
                routerId: 10.99.0.11
                fib: {enabled: true}
                peers:
                  - {address: 10.99.0.12, as: 64512, holdTime: 9, connectRetry: 1, allowAll: true, nextHop: self}
                originate: [{prefix: 10.244.1.0/26}]
                """)) {
            RibRouter router = s.router();
            Eventually.await("FRR's block, reflected by BIRD, in Tabby's kernel", UP,
                    () -> n1.ip("route", "show", "proto", "250").contains("10.244.3.0/26"),
                    () -> n1.ip("route", "show") + "\n" + bird.birdc("show", "protocols", "all"));
            assertThat(n1.ip("route", "show", "proto", "250").strip()).isEqualTo("10.244.3.0/26 via 10.99.0.13 dev eth0");
            var reflected = router.route(Prefix.parse("10.244.3.0/26"));
            var best = reflected.get(5, TimeUnit.SECONDS).paths().getFirst();
            assertThat(best.best()).isTrue();
            assertThat(best.peer()).startsWith("10.99.0.12");
            var attrs = router.query(r -> r.locRib(Family.IPV4_UNICAST).decision(Prefix.parse("10.244.3.0/26")).best().attrs())
                    .get(5, TimeUnit.SECONDS);
            assertThat(attrs.originatorId()).isEqualTo(Addresses.toLong(Addresses.parse4("10.99.0.13")));
            assertThat(attrs.get(io.tabby.bgp.wire.PathAttribute.ClusterList.class).orElseThrow().ids())
                    .containsExactly(Addresses.parse4("1.1.1.1"));
            Eventually.await("Tabby's block in FRR via BIRD", UP,
                    () -> frr.vtysh("show bgp ipv4 unicast 10.244.1.0/26 json").contains("originatorId"));
            String atFrr = frr.vtysh("show bgp ipv4 unicast 10.244.1.0/26 json").replaceAll("\\s", "");
            assertThat(atFrr).contains("\"originatorId\":\"10.99.0.11\"").contains("\"ip\":\"10.99.0.11\"")
                    .contains("\"clusterList\":{\"list\":[\"1.1.1.1\"]}");
        }
    }
}
