package io.tabby.bgp.router;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A three-speaker iBGP full mesh, Calico's default node-to-node mesh: Tabby (n1), BIRD 2 (n2) and
 * FRR 8 (n3) in AS 64512, each announcing its node's pod block with next-hop-self. Everyone ends
 * up with the two other blocks, each learned once, straight from its owner: Tabby does not pass
 * iBGP-learned routes on to iBGP peers (RFC 4271 9.2).
 */
@NetnsTest
class MeshIT {
    static final Duration UP = Duration.ofSeconds(40);

    @Test
    void threeSpeakerFullMeshWithBirdAndFrr(Lab lab) throws Exception {
        Fabric fabric = lab.fabric();
        Netns n1 = fabric.host("n1", "10.99.0.11/24");
        Netns n2 = fabric.host("n2", "10.99.0.12/24");
        Netns n3 = fabric.host("n3", "10.99.0.13/24");

        Bird bird = Bird.start(lab, n2, "bird", """
                router id 10.99.0.12;
                protocol device {}
                protocol static blocks { ipv4; route 10.244.2.0/26 blackhole; }
                template bgp mesh {
                  local 10.99.0.12 as 64512; direct; hold time 9; connect retry time 1;
                  ipv4 { import all; export where source = RTS_STATIC; next hop self; };
                }
                protocol bgp tabby from mesh { neighbor 10.99.0.11 as 64512; passive on; }
                protocol bgp frr from mesh { neighbor 10.99.0.13 as 64512; }
                """);
        Frr frr = Frr.startBgpd(lab, n3, "frr", """
                frr defaults datacenter
                hostname n3
                router bgp 64512
                 bgp router-id 10.99.0.13
                 no bgp network import-check
                 neighbor 10.99.0.11 remote-as 64512
                 neighbor 10.99.0.11 passive
                 neighbor 10.99.0.11 timers 3 9
                 neighbor 10.99.0.12 remote-as 64512
                 neighbor 10.99.0.12 timers 3 9
                 neighbor 10.99.0.12 timers connect 1
                 address-family ipv4 unicast
                  network 10.244.3.0/26
                  neighbor 10.99.0.11 next-hop-self
                  neighbor 10.99.0.12 next-hop-self
                 exit-address-family
                """);

        try (BgpServer s = Speakers.server(lab, n1, """
                localAs: 64512
                routerId: 10.99.0.11
                fib: {enabled: true}
                peers:
                  - {address: 10.99.0.12, as: 64512, holdTime: 9, connectRetry: 1, allowAll: true, nextHop: self}
                  - {address: 10.99.0.13, as: 64512, holdTime: 9, connectRetry: 1, allowAll: true, nextHop: self}
                originate: [{prefix: 10.244.1.0/26}]
                """)) {
            RibRouter router = s.router();
            Eventually.await("both blocks in Tabby's kernel", UP,
                    () -> n1.ip("route", "show", "proto", "250").contains("10.244.2.0/26")
                            && n1.ip("route", "show", "proto", "250").contains("10.244.3.0/26"),
                    () -> n1.ip("route", "show") + "\n" + bird.birdc("show", "protocols")
                            + "\n" + frr.vtysh("show bgp summary"));
            assertThat(n1.ip("route", "show", "proto", "250")).contains("10.244.2.0/26 via 10.99.0.12 dev eth0")
                    .contains("10.244.3.0/26 via 10.99.0.13 dev eth0");

            Eventually.await("Tabby's block in BIRD and FRR", UP,
                    () -> bird.birdc("show", "route", "10.244.1.0/26").contains("10.99.0.11")
                            && frr.vtysh("show bgp ipv4 unicast 10.244.1.0/26 json").contains("10.99.0.11"));
            Eventually.await("FRR's block in BIRD", UP,
                    () -> bird.birdc("show", "route", "10.244.3.0/26").contains("10.99.0.13"));
            // Each block learned once, from its owner: Tabby did not re-advertise iBGP routes.
            String atBird = bird.birdc("show", "route", "all", "10.244.3.0/26");
            assertThat(atBird).contains("[frr").doesNotContain("[tabby");
            String atFrr = frr.vtysh("show bgp ipv4 unicast 10.244.2.0/26 json").replaceAll("\\s", "");
            assertThat(atFrr).contains("\"peerId\":\"10.99.0.12\"").doesNotContain("\"peerId\":\"10.99.0.11\"");
            var peers = router.peers().get(5, TimeUnit.SECONDS);
            assertThat(peers).hasSize(2).allSatisfy(p -> {
                assertThat(p.accepted()).isEqualTo(1);
                assertThat(p.advertised()).as("only our own block goes out").isEqualTo(1);
            });
        }
    }
}
