package io.tabby.bgp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.server.BgpServer;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.PathAttribute.Segment;
import io.tabby.bgp.wire.Prefix;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Lab;
import io.tabby.testkit.NetnsTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our speaker against GoBGP 3.10 in namespace rtr. GoBGP dials us and we accept it as a dynamic
 * neighbor from a configured range (we never dial); GoBGP's routes are injected with its CLI and
 * ours are read back from {@code gobgp global rib -j}.
 */
@NetnsTest
class GobgpInteropIT {
    static final Duration UP = Duration.ofSeconds(25);

    record Gobgp(Topology t) {
        String cli(String... args) {
            String[] argv = new String[args.length + 5];
            argv[0] = "gobgp";
            argv[1] = "-u";
            argv[2] = "127.0.0.1";
            argv[3] = "-p";
            argv[4] = "50151";
            System.arraycopy(args, 0, argv, 5, args.length);
            return t.rtr.run(argv);
        }

        boolean established(String neighbor) {
            return t.rtr.exec("gobgp", "-u", "127.0.0.1", "-p", "50151", "neighbor", neighbor).stdout()
                    .toLowerCase(java.util.Locale.ROOT).contains("bgp state = established");
        }
    }

    static Gobgp gobgp(Topology t, String toml) {
        Path conf = t.write("gobgpd.toml", toml);
        t.rtr.spawn(t.lab.dir().resolve("gobgpd.log"), "gobgpd", "-f", conf.toString(), "-t", "toml",
                "--api-hosts=127.0.0.1:50151", "--pprof-disable", "-l", "info");
        Gobgp g = new Gobgp(t);
        Eventually.await("gobgpd API", Duration.ofSeconds(10), () -> t.rtr.exec("gobgp", "-u", "127.0.0.1", "-p", "50151",
                "global").ok());
        return g;
    }

    @Test
    void ebgpFourOctetPeerDialsOurDynamicRangeIpv4AndIpv6(Lab lab) {
        Topology t = new Topology(lab);
        Gobgp g = gobgp(t, """
                [global.config]
                  as = 4200000002
                  router-id = "10.0.0.2"
                [[neighbors]]
                  [neighbors.config]
                    neighbor-address = "10.0.0.1"
                    peer-as = 65001
                  [neighbors.timers.config]
                    connect-retry = 1
                    hold-time = 9
                    keepalive-interval = 3
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "ipv4-unicast"
                [[neighbors]]
                  [neighbors.config]
                    neighbor-address = "fd00::1"
                    peer-as = 65001
                  [neighbors.timers.config]
                    connect-retry = 1
                    hold-time = 9
                    keepalive-interval = 3
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "ipv6-unicast"
                """);
        g.cli("global", "rib", "add", "10.40.0.0/16", "community", "4200:7", "med", "20", "-a", "ipv4");
        g.cli("global", "rib", "add", "2001:db8:40::/48", "-a", "ipv6");
        BgpServer s = t.speaker("""
                localAs: 65001
                routerId: 10.0.0.1
                listen: {address: "::"}
                dynamicPeers:
                  - {prefix: 10.0.0.0/24, as: 4200000002, options: {holdTime: 30, allowAll: true}}
                  - {prefix: "fd00::/64", as: 4200000002, options: {holdTime: 30, families: [ipv6-unicast], allowAll: true}}
                originate:
                  - {prefix: 10.244.5.0/26, communities: ["65001:5"]}
                  - {prefix: "2001:db8:50::/48"}
                """);
        try {
            Eventually.await("GoBGP sessions established", UP, () -> g.established("10.0.0.1") && g.established("fd00::1"),
                    () -> g.cli("neighbor"));
            Eventually.await("our side established", UP, () -> s.peers().stream().allMatch(p -> p.state() == io.tabby.bgp.session.State.ESTABLISHED));
            assertThat(s.peer("10.0.0.2").negotiated().fourOctetAs()).isTrue();
            assertThat(s.peer("10.0.0.2").negotiated().holdTime()).isEqualTo(9);

            Eventually.await("GoBGP's IPv4 route", UP, () -> s.received(Topology.RTR4).containsKey(Prefix.parse("10.40.0.0/16")));
            var r = s.received(Topology.RTR4).get(Prefix.parse("10.40.0.0/16"));
            assertThat(r.get(PathAttribute.AsPath.class)).contains(new PathAttribute.AsPath(List.of(Segment.sequence(4200000002L))));
            assertThat(r.get(PathAttribute.MultiExitDisc.class)).contains(new PathAttribute.MultiExitDisc(20));
            assertThat(r.get(PathAttribute.Communities.class)).contains(new PathAttribute.Communities(List.of((4200 << 16) | 7)));
            assertThat(r.nextHop().orElseThrow()).isEqualTo(Addresses.parse(Topology.RTR4));
            Eventually.await("GoBGP's IPv6 route", UP, () -> s.received(Topology.RTR6).containsKey(Prefix.parse("2001:db8:40::/48")));

            Eventually.await("our routes in GoBGP", UP, () -> g.cli("global", "rib", "-j", "-a", "ipv4").contains("10.244.5.0/26")
                    && g.cli("global", "rib", "-j", "-a", "ipv6").contains("2001:db8:50::/48"), () -> g.cli("global", "rib"));
            String v4 = g.cli("global", "rib", "-j", "-a", "ipv4");
            assertThat(v4).contains("\"asns\":[65001]").contains("\"nexthop\":\"10.0.0.1\"").contains("\"communities\":[" + Integer.toUnsignedString((65001 << 16) | 5) + "]");
            assertThat(g.cli("global", "rib", "-j", "-a", "ipv6")).contains("fd00::1");
        } finally {
            s.shutdown("gobgp maintenance");
        }
        Eventually.await("GoBGP saw the session go down", UP, () -> {
            var r = t.rtr.exec("gobgp", "-u", "127.0.0.1", "-p", "50151", "neighbor", "10.0.0.1");
            return r.ok() && !r.stdout().toLowerCase(java.util.Locale.ROOT).contains("bgp state = established");
        });
        Eventually.await("GoBGP logged our shutdown communication", UP,
                () -> FrrInteropIT.read(lab.dir().resolve("gobgpd.log")).contains("gobgp maintenance"),
                () -> FrrInteropIT.read(lab.dir().resolve("gobgpd.log")));
    }
}
