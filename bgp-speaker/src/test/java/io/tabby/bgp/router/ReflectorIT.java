package io.tabby.bgp.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.wire.Family;
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
 * Tabby as route reflector (RFC 4456) for BIRD 2 and FRR 8 clients on one L2 fabric, all iBGP in
 * AS 64512 as in a Calico RR deployment: each client's block reaches the other client with
 * ORIGINATOR_ID and CLUSTER_LIST set and the next hop unchanged, and an anycast prefix both
 * clients announce is one ECMP route with two next hops in the reflector's kernel.
 */
@NetnsTest
class ReflectorIT {
    static final Duration UP = Duration.ofSeconds(40);

    @Test
    void reflectsBetweenBirdAndFrrClientsAndInstallsEcmp(Lab lab) throws Exception {
        Fabric fabric = lab.fabric();
        Netns rr = fabric.host("rr", "10.99.0.1/24");
        Netns b = fabric.host("bird", "10.99.0.12/24");
        Netns f = fabric.host("frr", "10.99.0.13/24");

        Bird bird = Bird.start(lab, b, "bird", """
                router id 10.99.0.12;
                protocol device {}
                protocol static blocks { ipv4; route 10.244.2.0/26 blackhole; route 10.96.0.0/12 blackhole; }
                protocol bgp reflector {
                  local 10.99.0.12 as 64512; neighbor 10.99.0.1 as 64512; direct; passive on; hold time 9;
                  ipv4 { import all; export where source = RTS_STATIC; next hop self; };
                }
                """);
        Frr frr = Frr.startBgpd(lab, f, "frr", """
                frr defaults datacenter
                hostname frr
                router bgp 64512
                 bgp router-id 10.99.0.13
                 no bgp network import-check
                 neighbor 10.99.0.1 remote-as 64512
                 neighbor 10.99.0.1 passive
                 neighbor 10.99.0.1 timers 3 9
                 address-family ipv4 unicast
                  network 10.244.3.0/26
                  network 10.96.0.0/12
                 exit-address-family
                """);

        try (BgpServer s = Speakers.server(lab, rr, """
                localAs: 64512
                routerId: 10.99.0.1
                maxPaths: 4
                fib: {enabled: true}
                peers:
                  - {address: 10.99.0.12, as: 64512, holdTime: 9, connectRetry: 1, allowAll: true, routeReflectorClient: true}
                  - {address: 10.99.0.13, as: 64512, holdTime: 9, connectRetry: 1, allowAll: true, routeReflectorClient: true}
                """)) {
            RibRouter router = s.router();
            Eventually.await("ECMP route in the reflector's kernel", UP,
                    () -> rr.ip("route", "show", "10.96.0.0/12").contains("nexthop"),
                    () -> rr.ip("route", "show") + "\n" + bird.birdc("show", "protocols")
                            + "\n" + frr.vtysh("show bgp summary"));
            assertThat(rr.ip("route", "show", "10.96.0.0/12")).contains("nexthop via 10.99.0.12 dev eth0")
                    .contains("nexthop via 10.99.0.13 dev eth0");
            assertThat(rr.ip("route", "show", "proto", "250")).contains("10.244.2.0/26 via 10.99.0.12 dev eth0")
                    .contains("10.244.3.0/26 via 10.99.0.13 dev eth0");

            Eventually.await("FRR's block reflected to BIRD", UP, () -> bird.birdc("show", "route", "all", "10.244.3.0/26").contains("BGP.cluster_list"));
            assertThat(bird.birdc("show", "route", "all", "10.244.3.0/26"))
                    .contains("BGP.next_hop: 10.99.0.13").contains("BGP.originator_id: 10.99.0.13")
                    .contains("BGP.cluster_list: 10.99.0.1");
            Eventually.await("BIRD's block reflected to FRR", UP, () -> frr.vtysh("show bgp ipv4 unicast 10.244.2.0/26 json").contains("originatorId"));
            String atFrr = frr.vtysh("show bgp ipv4 unicast 10.244.2.0/26 json");
            assertThat(atFrr.replaceAll("\\s", "")).contains("\"originatorId\":\"10.99.0.12\"")
                    .contains("\"clusterList\":{\"list\":[\"10.99.0.1\"]}").contains("\"ip\":\"10.99.0.12\"");

            var peers = router.peers().get(5, TimeUnit.SECONDS);
            assertThat(peers).hasSize(2).allSatisfy(p -> {
                assertThat(p.rrClient()).isTrue();
                assertThat(p.accepted()).isEqualTo(2);
            });
        }
    }
}
