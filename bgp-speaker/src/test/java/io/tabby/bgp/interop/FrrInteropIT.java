package io.tabby.bgp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.server.BgpServer;
import io.tabby.bgp.session.State;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.PathAttribute.Segment;
import io.tabby.bgp.wire.Prefix;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Frr;
import io.tabby.testkit.Lab;
import io.tabby.testkit.NetnsTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our speaker against FRR 8.4 bgpd, run without zebra ({@code -Z}, as bgperf2 does) as user frr
 * in namespace rtr; routes are checked in FRR's own JSON view through vtysh.
 */
@NetnsTest
class FrrInteropIT {
    static final Duration UP = Duration.ofSeconds(25);

    /** FRR's bgpd (no zebra) in namespace rtr. */
    static Frr frr(Topology t, String conf) {
        return Frr.startBgpd(t.lab, t.rtr, "frr", conf);
    }

    @Test
    void ebgpIpv4AndIpv6WithMd5AttributesBothWaysAndShutdownMessage(Lab lab) {
        Topology t = new Topology(lab);
        Frr frr = frr(t, """
                frr defaults datacenter
                hostname rtr
                router bgp 65002
                 bgp router-id 10.0.0.2
                 no bgp ebgp-requires-policy
                 no bgp network import-check
                 neighbor 10.0.0.1 remote-as 65001
                 neighbor 10.0.0.1 password s3cret
                 neighbor 10.0.0.1 timers 3 9
                 neighbor 10.0.0.1 timers connect 1
                 neighbor fd00::1 remote-as 65001
                 neighbor fd00::1 timers 3 9
                 neighbor fd00::1 timers connect 1
                 address-family ipv4 unicast
                  network 10.30.0.0/16 route-map TAG
                  no neighbor fd00::1 activate
                 exit-address-family
                 address-family ipv6 unicast
                  network 2001:db8:30::/48
                  neighbor fd00::1 activate
                 exit-address-family
                route-map TAG permit 10
                 set community 65002:30
                 set large-community 65002:1:2
                """);
        BgpServer s = t.speaker("""
                localAs: 65001
                routerId: 10.0.0.1
                listen: {address: "::"}
                peers:
                  - {address: 10.0.0.2, as: 65002, holdTime: 30, connectRetry: 1, password: s3cret, allowAll: true}
                  - {address: "fd00::2", as: 65002, holdTime: 30, connectRetry: 1, families: [ipv6-unicast], allowAll: true}
                originate:
                  - {prefix: 10.244.1.0/26, communities: ["65001:100"], med: 50}
                  - {prefix: "2001:db8:10::/48"}
                """);
        try {
            Eventually.await("FRR sessions established", UP, () -> frr.established("10.0.0.1") && frr.established("fd00::1"),
                    () -> frr.vtysh("show bgp summary"));
            Eventually.await("our side established", UP, () -> s.peers().stream().allMatch(p -> p.state() == io.tabby.bgp.session.State.ESTABLISHED));
            assertThat(s.peer("10.0.0.2").negotiated().holdTime()).as("min(30, 9)").isEqualTo(9);

            Eventually.await("FRR's IPv4 route", UP, () -> s.received(Topology.RTR4).containsKey(Prefix.parse("10.30.0.0/16")));
            var r = s.received(Topology.RTR4).get(Prefix.parse("10.30.0.0/16"));
            assertThat(r.nextHop().orElseThrow()).isEqualTo(Addresses.parse(Topology.RTR4));
            assertThat(r.get(PathAttribute.AsPath.class)).contains(new PathAttribute.AsPath(List.of(Segment.sequence(65002))));
            assertThat(r.get(PathAttribute.Communities.class)).contains(new PathAttribute.Communities(List.of((65002 << 16) | 30)));
            assertThat(r.get(PathAttribute.LargeCommunities.class)).contains(new PathAttribute.LargeCommunities(
                    List.of(new PathAttribute.LargeCommunities.Large(65002, 1, 2))));
            Eventually.await("FRR's IPv6 route", UP, () -> s.received(Topology.RTR6).containsKey(Prefix.parse("2001:db8:30::/48")));

            Eventually.await("our IPv4 route in FRR", UP, () -> frr.vtysh("show bgp ipv4 unicast 10.244.1.0/26 json").contains("aspath"));
            String v4 = frr.vtysh("show bgp ipv4 unicast 10.244.1.0/26 json");
            assertThat(v4).contains("\"string\":\"65001\"").contains("\"origin\":\"IGP\"").contains("\"metric\":50")
                    .contains("\"string\":\"65001:100\"").contains("\"ip\":\"10.0.0.1\"").contains("\"valid\":true");
            Eventually.await("our IPv6 route in FRR", UP, () -> frr.vtysh("show bgp ipv6 unicast 2001:db8:10::/48 json").contains("aspath"));
            assertThat(frr.vtysh("show bgp ipv6 unicast 2001:db8:10::/48 json")).contains("\"ip\":\"fd00::1\"");
        } finally {
            s.shutdown("frr maintenance 7");
        }
        Eventually.await("FRR saw our Cease", UP,
                () -> frr.vtysh("show bgp neighbor 10.0.0.1 json").contains("Administrative Shutdown"),
                () -> frr.vtysh("show bgp neighbor 10.0.0.1 json"));
        Eventually.await("FRR logged the shutdown communication", UP,
                () -> read(frr.dir().resolve("bgpd.log")).contains("frr maintenance 7"), () -> read(frr.dir().resolve("bgpd.log")));
    }

    @Test
    void ibgpFourOctetAsWithHoldTimeZero(Lab lab) {
        Topology t = new Topology(lab);
        Frr frr = frr(t, """
                frr defaults datacenter
                hostname rtr
                router bgp 4200000001
                 bgp router-id 10.0.0.2
                 no bgp network import-check
                 neighbor 10.0.0.1 remote-as 4200000001
                 neighbor 10.0.0.1 timers 0 0
                 neighbor 10.0.0.1 timers connect 1
                 address-family ipv4 unicast
                  network 10.31.0.0/16
                 exit-address-family
                """);
        BgpServer s = t.speaker("""
                localAs: 4200000001
                routerId: 10.0.0.1
                peers:
                  - {address: 10.0.0.2, as: 4200000001, holdTime: 9, connectRetry: 1, allowAll: true}
                originate:
                  - {prefix: 10.244.4.0/26, localPref: 250}
                """);
        try {
            Eventually.await("FRR session established", UP, () -> frr.established("10.0.0.1"), () -> frr.vtysh("show bgp summary"));
            Eventually.await("our side established", UP, () -> s.peers().stream().allMatch(p -> p.state() == io.tabby.bgp.session.State.ESTABLISHED));
            var n = s.peer("10.0.0.2").negotiated();
            assertThat(n.holdTime()).as("hold time 0 wins (RFC 4271 4.2)").isZero();
            assertThat(n.internal()).isTrue();
            assertThat(n.fourOctetAs()).isTrue();
            Eventually.await("FRR's route", UP, () -> s.received(Topology.RTR4).containsKey(Prefix.parse("10.31.0.0/16")));
            assertThat(s.received(Topology.RTR4).get(Prefix.parse("10.31.0.0/16")).get(PathAttribute.LocalPref.class))
                    .contains(new PathAttribute.LocalPref(100));
            Eventually.await("our route in FRR", UP, () -> frr.vtysh("show bgp ipv4 unicast 10.244.4.0/26 json").contains("locPrf"));
            assertThat(frr.vtysh("show bgp ipv4 unicast 10.244.4.0/26 json")).contains("\"locPrf\":250");
            // With hold time 0 nobody sends KEEPALIVEs and nothing expires: still up after longer than 9 s would allow.
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Eventually.await("10 s of quiet", Duration.ofSeconds(15), () -> System.nanoTime() > until);
            assertThat(s.state("10.0.0.2")).isEqualTo(State.ESTABLISHED);
            assertThat(frr.established("10.0.0.1")).isTrue();
        } finally {
            s.shutdown("bye");
        }
    }

    @Test
    void gtsmBothSides(Lab lab) {
        Topology t = new Topology(lab);
        // FRR's ttl-security sets IP_MINTTL 255 on its socket: our segments must arrive with TTL 255,
        // so the session only comes up if we really send with TTL 255 (RFC 5082).
        Frr frr = frr(t, """
                frr defaults datacenter
                hostname rtr
                router bgp 65002
                 bgp router-id 10.0.0.2
                 no bgp network import-check
                 neighbor 10.0.0.1 remote-as 65001
                 neighbor 10.0.0.1 ttl-security hops 1
                 neighbor 10.0.0.1 timers connect 1
                 address-family ipv4 unicast
                  network 10.32.0.0/16
                 exit-address-family
                """);
        BgpServer s = t.speaker("""
                localAs: 65001
                routerId: 10.0.0.1
                peers:
                  - {address: 10.0.0.2, as: 65002, connectRetry: 1, ttlSecurityHops: 1, allowAll: true}
                """);
        try {
            Eventually.await("FRR session established under GTSM", UP, () -> frr.established("10.0.0.1"),
                    () -> frr.vtysh("show bgp neighbor 10.0.0.1"));
            Eventually.await("our side established", UP, () -> s.peers().stream().allMatch(p -> p.state() == io.tabby.bgp.session.State.ESTABLISHED));
            Eventually.await("FRR's route", UP, () -> s.received(Topology.RTR4).containsKey(Prefix.parse("10.32.0.0/16")));
        } finally {
            s.shutdown("bye");
        }
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
