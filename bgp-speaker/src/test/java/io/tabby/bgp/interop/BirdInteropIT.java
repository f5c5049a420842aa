package io.tabby.bgp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.server.BgpServer;
import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.session.State;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.PathAttribute.Segment;
import io.tabby.bgp.wire.Prefix;
import io.tabby.testkit.Bird;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Lab;
import io.tabby.testkit.NetnsTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our speaker (in-process, sockets in namespace spk) against BIRD 2.0.12 in namespace rtr. */
@NetnsTest
class BirdInteropIT {
    static final Duration UP = Duration.ofSeconds(20);

    /** BIRD in namespace rtr, logging everything to {@code bird.log} in the lab directory. */
    static Bird bird(Topology t, String conf) {
        return Bird.start(t.lab, t.rtr, "bird", "log \"" + t.lab.dir().resolve("bird.log") + "\" all;\n" + conf);
    }

    static final String TIMERS = "connect retry time 1; connect delay time 1; error wait time 1,3;";

    @Test
    void ebgpIpv4AndIpv6BothWaysWithAttributesHoldNegotiationAndShutdownMessage(Lab lab) {
        Topology t = new Topology(lab);
        Bird bird = bird(t, """
                router id 10.0.0.2;
                protocol device {}
                protocol static s4 { ipv4; route 10.20.0.0/16 blackhole; }
                protocol static s6 { ipv6; route 2001:db8:20::/48 blackhole; }
                protocol bgp tabby { local 10.0.0.2 as 65002; neighbor 10.0.0.1 as 65001; hold time 6; %s
                  ipv4 { import all; export where source = RTS_STATIC; }; }
                protocol bgp tabby6 { local fd00::2 as 65002; neighbor fd00::1 as 65001; hold time 6; %s
                  ipv6 { import all; export where source = RTS_STATIC; }; }
                """.formatted(TIMERS, TIMERS));
        BgpServer s = t.speaker("""
                localAs: 65001
                routerId: 10.0.0.1
                listen: {address: "::", port: 179}
                peers:
                  - {address: 10.0.0.2, as: 65002, holdTime: 9, connectRetry: 1, allowAll: true}
                  - {address: "fd00::2", as: 65002, holdTime: 9, connectRetry: 1, families: [ipv6-unicast], allowAll: true}
                originate:
                  - {prefix: 10.244.1.0/26, communities: ["65001:100"], med: 50}
                  - {prefix: "2001:db8:10::/48"}
                """);
        try {
            Eventually.await("BIRD sessions established", UP,
                    () -> bird.established("tabby") && bird.established("tabby6"), () -> bird.birdc("show", "protocols", "all"));
            Eventually.await("our side established", UP, () -> s.peers().stream().allMatch(p -> p.state() == io.tabby.bgp.session.State.ESTABLISHED));
            assertThat(s.state("10.0.0.2")).isEqualTo(State.ESTABLISHED);
            assertThat(s.peer("10.0.0.2").negotiated().holdTime()).as("min(9, 6)").isEqualTo(6);
            assertThat(s.peer("10.0.0.2").negotiated().keepaliveTime()).isEqualTo(2);

            // BIRD's routes in our table, with their attributes.
            Eventually.await("BIRD's IPv4 route", UP, () -> s.received(Topology.RTR4).containsKey(Prefix.parse("10.20.0.0/16")));
            AttrSet r4 = s.received(Topology.RTR4).get(Prefix.parse("10.20.0.0/16"));
            assertThat(r4.nextHop().orElseThrow()).isEqualTo(Addresses.parse(Topology.RTR4));
            assertThat(r4.get(PathAttribute.AsPath.class)).contains(new PathAttribute.AsPath(List.of(Segment.sequence(65002))));
            assertThat(r4.get(PathAttribute.Origin.class)).contains(PathAttribute.Origin.IGP);
            Eventually.await("BIRD's IPv6 route", UP, () -> s.received(Topology.RTR6).containsKey(Prefix.parse("2001:db8:20::/48")));
            assertThat(s.received(Topology.RTR6).get(Prefix.parse("2001:db8:20::/48")).nextHop().orElseThrow().getHostAddress())
                    .isIn("fd00:0:0:0:0:0:0:2", "fd00::2");

            // Our routes in BIRD's own view.
            Eventually.await("our IPv4 route in BIRD", UP, () -> bird.birdc("show", "route", "all", "10.244.1.0/26").contains("BGP.as_path"));
            String v4 = bird.birdc("show", "route", "all", "10.244.1.0/26");
            assertThat(v4).contains("BGP.origin: IGP").contains("BGP.as_path: 65001").contains("BGP.next_hop: 10.0.0.1")
                    .contains("BGP.med: 50").contains("BGP.community: (65001,100)");
            Eventually.await("our IPv6 route in BIRD", UP, () -> bird.birdc("show", "route", "all", "2001:db8:10::/48").contains("BGP.as_path"));
            assertThat(bird.birdc("show", "route", "all", "2001:db8:10::/48")).contains("BGP.as_path: 65001")
                    .contains("BGP.next_hop: fd00::1");
            assertThat(bird.birdc("show", "protocols", "all", "tabby")).contains("Hold timer:").contains("/6");
        } finally {
            s.shutdown("maintenance window 42");
        }
        Eventually.await("BIRD saw our Cease", UP, () -> bird.birdc("show", "protocols", "all", "tabby").contains("Administrative shutdown"),
                () -> bird.birdc("show", "protocols", "all", "tabby"));
        String after = bird.birdc("show", "protocols", "all", "tabby");
        assertThat(after).contains("Received: Administrative shutdown");
        assertThat(lab.dir().resolve("bird.log")).content().contains("maintenance window 42");
    }

    @Test
    void fourOctetSpeakerWithOldTwoOctetPeer(Lab lab) {
        Topology t = new Topology(lab);
        // BIRD as an OLD speaker (no 4-octet capability) that prepends a 4-octet AS on export: it must
        // send AS_TRANS in AS_PATH plus AS4_PATH, which we merge (RFC 6793 4.2.3). (BIRD with
        // "enable as4 off" cannot be configured with a 4-octet neighbor AS, so our AS is 2-octet
        // here; our AS4_PATH splitting towards OLD peers is covered by As4Test.)
        Bird bird = bird(t, """
                router id 10.0.0.2;
                protocol device {}
                protocol static s4 { ipv4; route 10.21.0.0/16 blackhole; }
                protocol bgp tabby { local 10.0.0.2 as 65002; neighbor 10.0.0.1 as 65001; enable as4 off; %s
                  ipv4 { import all; export filter { bgp_path.prepend(4200000099); accept; }; }; }
                """.formatted(TIMERS));
        BgpServer s = t.speaker("""
                localAs: 65001
                routerId: 10.0.0.1
                peers:
                  - {address: 10.0.0.2, as: 65002, holdTime: 9, connectRetry: 1, allowAll: true}
                originate:
                  - {prefix: 10.244.2.0/26}
                """);
        try {
            Eventually.await("BIRD session established", UP, () -> bird.established("tabby"), () -> bird.birdc("show", "protocols", "all"));
            Eventually.await("our side established", UP, () -> s.peers().stream().allMatch(p -> p.state() == io.tabby.bgp.session.State.ESTABLISHED));
            assertThat(s.peer("10.0.0.2").negotiated().fourOctetAs()).isFalse();
            Eventually.await("BIRD's route", UP, () -> s.received(Topology.RTR4).containsKey(Prefix.parse("10.21.0.0/16")));
            assertThat(s.received(Topology.RTR4).get(Prefix.parse("10.21.0.0/16")).get(PathAttribute.AsPath.class).orElseThrow()
                    .segments().stream().flatMap(g -> g.asns().stream()).toList()).containsExactly(65002L, 4200000099L);
            Eventually.await("our route in BIRD", UP, () -> bird.birdc("show", "route", "all", "10.244.2.0/26").contains("BGP.as_path"));
            String v4 = bird.birdc("show", "route", "all", "10.244.2.0/26");
            assertThat(v4).contains("BGP.as_path: 65001").doesNotContain("as4_path");
        } finally {
            s.shutdown("bye");
        }
    }

    @Test
    void ibgpMd5OverIpv6WithIpv4RoutesOnIpv6NextHop(Lab lab) {
        Topology t = new Topology(lab);
        Bird bird = bird(t, """
                router id 10.0.0.2;
                protocol device {}
                protocol static s4 { ipv4; route 10.22.0.0/16 blackhole; }
                protocol bgp tabby { local fd00::2 as 65001; neighbor fd00::1 as 65001; direct; password "s3cret"; %s
                  ipv4 { import all; export where source = RTS_STATIC; extended next hop on; }; }
                """.formatted(TIMERS));
        BgpServer s = t.speaker("""
                localAs: 65001
                routerId: 10.0.0.1
                listen: {address: "::"}
                peers:
                  - {address: "fd00::2", as: 65001, holdTime: 9, connectRetry: 1, password: s3cret, extendedNextHop: true, allowAll: true}
                originate:
                  - {prefix: 10.244.3.0/26, localPref: 300}
                """);
        try {
            Eventually.await("BIRD session established", UP, () -> bird.established("tabby"), () -> bird.birdc("show", "protocols", "all"));
            Eventually.await("our side established", UP, () -> s.peers().stream().allMatch(p -> p.state() == io.tabby.bgp.session.State.ESTABLISHED));
            assertThat(s.peer("fd00::2").negotiated().internal()).isTrue();
            assertThat(s.peer("fd00::2").negotiated().extendedNextHop()).containsExactly(io.tabby.bgp.wire.Family.IPV4_UNICAST);
            Eventually.await("BIRD's IPv4 route on an IPv6 next hop", UP,
                    () -> s.received(Topology.RTR6).containsKey(Prefix.parse("10.22.0.0/16")));
            AttrSet r = s.received(Topology.RTR6).get(Prefix.parse("10.22.0.0/16"));
            assertThat(r.nextHop().orElseThrow()).isEqualTo(Addresses.parse(Topology.RTR6));
            assertThat(r.get(PathAttribute.LocalPref.class)).contains(new PathAttribute.LocalPref(100));
            assertThat(r.get(PathAttribute.AsPath.class)).contains(PathAttribute.AsPath.EMPTY);
            Eventually.await("our route in BIRD", UP, () -> bird.birdc("show", "route", "all", "10.244.3.0/26").contains("BGP.next_hop"),
                    () -> bird.birdc("show", "route", "all"));
            assertThat(bird.birdc("show", "route", "all", "10.244.3.0/26")).contains("BGP.next_hop: fd00::1")
                    .contains("BGP.local_pref: 300").contains("BGP.as_path: \n").doesNotContain("unreachable");
        } finally {
            s.shutdown("bye");
        }
    }

    @Test
    void calicoStyleIbgpWithAddPathAndExtendedMessages(Lab lab) {
        Topology t = new Topology(lab);
        // Calico's BIRD template runs iBGP with "add paths on"; BIRD announces two static routes here.
        Bird bird = bird(t, """
                router id 10.0.0.2;
                protocol device {}
                protocol static s4 { ipv4; route 10.23.0.0/16 blackhole; route 10.24.0.0/26 blackhole; }
                protocol bgp tabby { local 10.0.0.2 as 64512; neighbor 10.0.0.1 as 64512; direct; %s
                  enable extended messages on;
                  ipv4 { import all; export where source = RTS_STATIC; add paths on; next hop self; }; }
                """.formatted(TIMERS));
        BgpServer s = t.speaker("""
                localAs: 64512
                routerId: 10.0.0.1
                peers:
                  - {address: 10.0.0.2, as: 64512, holdTime: 9, connectRetry: 1, addPath: both, extendedMessage: true, allowAll: true}
                originate:
                  - {prefix: 10.244.6.0/26}
                """);
        try {
            Eventually.await("BIRD session established", UP, () -> bird.established("tabby"), () -> bird.birdc("show", "protocols", "all"));
            Eventually.await("our side established", UP, () -> s.peers().stream().allMatch(p -> p.state() == io.tabby.bgp.session.State.ESTABLISHED));
            var n = s.peer("10.0.0.2").negotiated();
            assertThat(n.addPathRx()).containsExactly(io.tabby.bgp.wire.Family.IPV4_UNICAST);
            assertThat(n.addPathTx()).containsExactly(io.tabby.bgp.wire.Family.IPV4_UNICAST);
            assertThat(n.extendedMessage()).isTrue();
            // Received NLRI carry BIRD's path identifiers.
            Eventually.await("BIRD's routes with path ids", UP, () -> s.received(Topology.RTR4).size() == 2,
                    () -> s.received(Topology.RTR4).toString());
            assertThat(s.received(Topology.RTR4).keySet()).allMatch(p -> p.pathId() != 0)
                    .extracting(p -> p.withPathId(0)).containsExactlyInAnyOrder(Prefix.parse("10.23.0.0/16"), Prefix.parse("10.24.0.0/26"));
            // Ours, sent with a path identifier, is understood by BIRD.
            Eventually.await("our route in BIRD", UP, () -> bird.birdc("show", "route", "all", "10.244.6.0/26").contains("BGP.next_hop"),
                    () -> bird.birdc("show", "route", "all"));
            assertThat(bird.birdc("show", "route", "all", "10.244.6.0/26")).contains("BGP.next_hop: 10.0.0.1")
                    .contains("BGP.local_pref: 100");
        } finally {
            s.shutdown("bye");
        }
    }
}
