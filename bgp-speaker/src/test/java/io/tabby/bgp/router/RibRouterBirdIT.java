package io.tabby.bgp.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.server.BgpServer;
import io.tabby.testkit.Bird;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Part 1's session and part 2's RIB and FIB together over real TCP: our speaker in namespace spk
 * (sockets and netlink opened inside it, the RIB on its own loop) in a Calico-style iBGP session
 * with BIRD 2 in namespace rtr. BIRD's pod blocks land in spk's kernel with our route protocol;
 * our block lands in BIRD; BIRD killed with -9 takes its routes out of our kernel.
 * The speaker is the one `tabby bgp run` builds (Speakers.server: BgpServer from YAML).
 */
@NetnsTest
class RibRouterBirdIT {
    static final Duration UP = Duration.ofSeconds(30);

    @Test
    void calicoStyleIbgpWithBirdProgramsTheKernelAndWithdrawsWhenBirdDies(Lab lab) throws Exception {
        Netns spk = lab.netns("spk");
        Netns rtr = lab.netns("rtr");
        lab.link(spk, "10.0.0.1/24", rtr, "10.0.0.2/24");
        Bird bird = Bird.start(lab, rtr, "bird", """
                router id 10.0.0.2;
                protocol device {}
                protocol static blocks { ipv4; route 10.244.2.0/26 blackhole; route 10.244.3.0/26 blackhole; }
                protocol bgp tabby {
                  local 10.0.0.2 as 64512; neighbor 10.0.0.1 as 64512; direct; passive on; hold time 9;
                  ipv4 { import all; export where source = RTS_STATIC; next hop self; };
                }
                """);

        try (BgpServer s = Speakers.server(lab, spk, """
                localAs: 64512
                routerId: 10.0.0.1
                fib: {enabled: true}
                peers:
                  - {address: 10.0.0.2, as: 64512, holdTime: 9, connectRetry: 1, allowAll: true, nextHop: self}
                originate: [{prefix: 10.244.1.0/26}]
                """)) {
            RibRouter router = s.router();
            Eventually.await("BIRD's blocks in our kernel", UP,
                    () -> spk.ip("route", "show", "proto", "250").contains("10.244.3.0/26"),
                    () -> spk.ip("route", "show") + "\n" + bird.birdc("show", "protocols", "all"));
            assertThat(spk.ip("route", "show", "proto", "250")).contains("10.244.2.0/26 via 10.0.0.2 dev eth0")
                    .contains("10.244.3.0/26 via 10.0.0.2 dev eth0");
            Eventually.await("our block in BIRD", UP,
                    () -> bird.birdc("show", "route", "10.244.1.0/26").contains("10.0.0.1"));
            assertThat(bird.birdc("show", "route", "all", "10.244.1.0/26"))
                    .contains("BGP.next_hop: 10.0.0.1").contains("BGP.local_pref: 100");
            var peers = router.peers().get(5, TimeUnit.SECONDS);
            assertThat(peers).singleElement().satisfies(p -> {
                assertThat(p.accepted()).isEqualTo(2);
                assertThat(p.advertised()).isEqualTo(1);
            });

            bird.daemon().kill(); // kill -9: TCP connection reset, no NOTIFICATION
            Eventually.await("BIRD's routes gone from our kernel", UP,
                    () -> spk.ip("route", "show", "proto", "250").isBlank(), () -> spk.ip("route", "show"));
        }
    }
}
