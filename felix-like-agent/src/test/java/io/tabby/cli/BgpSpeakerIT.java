package io.tabby.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tabby.bgp.api.ApiClient;
import io.tabby.bgp.api.PeerStatus;
import io.tabby.bgp.config.BgpConfig;
import io.tabby.bgp.routing.LookingGlass;
import io.tabby.bgp.server.BgpServer;
import io.tabby.testkit.Bird;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Fabric;
import io.tabby.testkit.Frr;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The speaker as {@code tabby bgp run} builds it ({@link BgpServer} from a YAML config, sockets and
 * netlink inside the node namespace) between BIRD and FRR, seen through the looking-glass API and
 * the {@code tabby bgp peers/routes} commands, and checked against what BIRD and FRR say: prefixes
 * both ways, policies, the best path and why, our routes in the kernel with our protocol,
 * redistribution of a kernel blackhole, next-hop reachability following the kernel, and max-prefix
 * with restart (Cease 6/1 seen by BIRD, session back after the delay).
 */
@NetnsTest
class BgpSpeakerIT {
    static final Duration UP = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    record Cli(int exit, String out, String err) {}

    static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine c = new CommandLine(new Tabby());
        c.setOut(new PrintWriter(out));
        c.setErr(new PrintWriter(err));
        int exit = c.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    static BgpServer speaker(Lab lab, Netns ns, String yaml) {
        String full = "netns: " + ns.path() + "\napiSocket: " + lab.dir().resolve("bgp.sock") + "\n" + yaml;
        return new BgpServer(BgpConfig.parse(full, "tabby.yaml")).start();
    }

    static List<PeerStatus> peers(Path sock) {
        try {
            return new ApiClient(sock).peers();
        } catch (ApiClient.ApiException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in\n" + text).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void birdAndFrrPeersSeenThroughTheApiTheCliAndTheKernel(Lab lab) throws Exception {
        Fabric fabric = lab.fabric();
        Netns spk = fabric.host("spk", "10.99.0.1/24");
        Netns b = fabric.host("bird", "10.99.0.2/24");
        Netns f = fabric.host("frr", "10.99.0.3/24");
        f.ip("addr", "add", "10.77.0.3/24", "dev", "eth0"); // FRR's third-party next hop lives here
        spk.ip("route", "add", "blackhole", "10.244.7.0/26"); // an IPAM block to redistribute
        Path sock = lab.dir().resolve("bgp.sock");

        Bird bird = Bird.start(lab, b, "bird", """
                router id 10.99.0.2;
                protocol device {}
                protocol static statics { ipv4; route 10.20.0.0/16 blackhole; route 10.50.0.0/16 blackhole;
                  route 10.60.0.0/16 blackhole; route 192.168.50.0/24 blackhole; }
                protocol bgp tabby {
                  local 10.99.0.2 as 65002; neighbor 10.99.0.1 as 64512; passive on; hold time 9;
                  ipv4 { import all; export filter { if net = 10.60.0.0/16 then bgp_path.prepend(65002);
                    if source = RTS_STATIC then accept; reject; }; };
                }
                """);
        Frr frr = Frr.startBgpd(lab, f, "frr", """
                frr defaults datacenter
                hostname frr
                ip prefix-list P60 seq 5 permit 10.60.0.0/16
                route-map OUT permit 10
                 match ip address prefix-list P60
                 set ip next-hop 10.77.0.3
                route-map OUT permit 20
                route-map IN permit 10
                router bgp 65003
                 bgp router-id 10.99.0.3
                 no bgp network import-check
                 neighbor 10.99.0.1 remote-as 64512
                 neighbor 10.99.0.1 passive
                 neighbor 10.99.0.1 timers 3 9
                 address-family ipv4 unicast
                  network 10.30.0.0/16
                  network 10.50.0.0/16 route-map PREPEND
                  network 10.60.0.0/16
                  neighbor 10.99.0.1 route-map IN in
                  neighbor 10.99.0.1 route-map OUT out
                 exit-address-family
                route-map PREPEND permit 10
                 set as-path prepend 65003 65003
                """);

        try (BgpServer s = speaker(lab, spk, """
                localAs: 64512
                routerId: 10.99.0.1
                fib: {enabled: true}
                redistribute: {types: [blackhole], within: ["10.244.0.0/16+"]}
                policies:
                  in: {terms: [{match: {prefix: ["10.0.0.0/8 le 24"]}, then: accept}], otherwise: reject}
                  out: {terms: [{match: {prefix: ["10.244.0.0/16 le 32"]}, set: {addCommunities: ["64512:7"]}, then: accept}],
                        otherwise: reject}
                peers:
                  - {address: 10.99.0.2, as: 65002, holdTime: 9, connectRetry: 1, importPolicy: in, exportPolicy: out}
                  - {address: 10.99.0.3, as: 65003, holdTime: 9, connectRetry: 1, importPolicy: in, exportPolicy: out}
                originate:
                  - {prefix: 10.244.1.0/26}
                """)) {
            Eventually.await("both sessions up and our blocks at FRR", UP,
                    () -> bird.established("tabby") && frr.established("10.99.0.1")
                            && frr.vtysh("show bgp ipv4 unicast 10.244.7.0/26 json").contains("10.99.0.1"),
                    () -> cli("bgp", "peers", "--api", sock.toString()).out());

            // The kernel: best paths with our protocol; the rejected prefix nowhere.
            Eventually.await("routes in our kernel", UP, () -> spk.ip("route", "show", "proto", "250").contains("10.30.0.0/16"),
                    () -> spk.ip("route", "show"));
            String kernel = spk.ip("route", "show", "proto", "250");
            assertThat(kernel).contains("10.20.0.0/16 via 10.99.0.2").contains("10.30.0.0/16 via 10.99.0.3")
                    .contains("10.50.0.0/16 via 10.99.0.2").doesNotContain("192.168.50.0");

            // Peers through the CLI, as a table and as JSON, against BIRD's and FRR's counts (once all
            // UPDATEs are in: FRR sends in several rounds).
            Eventually.await("prefix counts settled", UP, () -> {
                List<PeerStatus> now = peers(sock);
                return now.size() == 2 && now.get(0).accepted() == 3 && now.get(1).accepted() == 3
                        && now.get(0).advertised() == 2 && now.get(1).advertised() == 2;
            }, () -> cli("bgp", "peers", "--api", sock.toString()).out() + cli("bgp", "routes", "--api", sock.toString()).out()
                    + frr.vtysh("show bgp ipv4 unicast neighbors 10.99.0.1 advertised-routes"));
            Cli table = cli("bgp", "peers", "--api", sock.toString());
            assertThat(table.exit()).as(table.err()).isZero();
            assertThat(table.out()).contains("NEIGHBOUR").contains("10.99.0.2").contains("10.99.0.3").contains("ESTABLISHED");
            Cli json = cli("bgp", "peers", "-o", "json", "--api", sock.toString());
            List<PeerStatus> peers = JSON.readValue(json.out(), new TypeReference<>() {});
            PeerStatus atBird = peers.stream().filter(p -> p.address().equals("10.99.0.2")).findFirst().orElseThrow();
            PeerStatus atFrr = peers.stream().filter(p -> p.address().equals("10.99.0.3")).findFirst().orElseThrow();
            assertThat(atBird.state()).isEqualTo("ESTABLISHED");
            assertThat(atBird.as()).isEqualTo(65002);
            assertThat(atBird.families()).containsExactly("ipv4-unicast");
            String birdProto = bird.birdc("show", "protocols", "all", "tabby");
            assertThat(atBird.received()).as(birdProto).isEqualTo(number(birdProto, "Routes:\\s+\\d+ imported, (\\d+) exported"));
            assertThat(atBird.advertised()).as(birdProto).isEqualTo(number(birdProto, "Routes:\\s+(\\d+) imported"));
            assertThat(atBird.received()).isEqualTo(4);
            assertThat(atBird.accepted()).as("192.168.50.0/24 rejected by policy in").isEqualTo(3);
            assertThat(atBird.advertised()).as("10.244.1.0/26 and the redistributed 10.244.7.0/26").isEqualTo(2);
            JsonNode frrNeighbour = JSON.readTree(frr.vtysh("show bgp neighbor 10.99.0.1 json")).get("10.99.0.1")
                    .get("addressFamilyInfo").get("ipv4Unicast");
            assertThat(atFrr.received()).as(frrNeighbour.toString()).isEqualTo(frrNeighbour.get("sentPrefixCounter").asLong());
            assertThat(atFrr.advertised()).as(frrNeighbour.toString()).isEqualTo(frrNeighbour.get("acceptedPrefixCounter").asLong())
                    .isEqualTo(2);
            assertThat(atFrr.accepted()).as("10.30, 10.50 and 10.60 /16").isEqualTo(3);
            assertThat(atFrr.updatesIn()).isPositive();
            assertThat(atFrr.uptimeSeconds()).isNotNegative();

            // Our blocks at BIRD with the export policy's community.
            assertThat(bird.birdc("show", "route", "all", "10.244.7.0/26")).contains("BGP.community: (64512,7)")
                    .contains("BGP.as_path: 64512");

            // One prefix from both: every path, the best marked, and why.
            Cli routes = cli("bgp", "routes", "10.50.0.0/16", "--api", sock.toString());
            assertThat(routes.out()).contains("10.50.0.0/16").contains("*>").contains("via 10.99.0.2 from 10.99.0.2")
                    .contains("shorter AS path").contains("via 10.99.0.3");
            List<LookingGlass.RouteView> viewed = JSON.readValue(cli("bgp", "routes", "10.50.0.0/16", "-o", "json", "--api",
                    sock.toString()).out(), new TypeReference<>() {});
            assertThat(viewed.getFirst().paths()).hasSize(2);
            assertThat(viewed.getFirst().paths().getFirst()).satisfies(p -> {
                assertThat(p.best()).isTrue();
                assertThat(p.asPath()).isEqualTo("65002");
            });
            assertThat(viewed.getFirst().paths().get(1).asPath()).isEqualTo("65003 65003 65003");
            assertThat(cli("bgp", "routes", "--api", sock.toString()).out()).contains("10.20.0.0/16").contains("10.30.0.0/16");

            // Next-hop reachability from our kernel: FRR's 10.60/16 (next hop 10.77.0.3, shorter path) is not
            // a candidate until a route to 10.77.0.3 exists; then it wins; without it again BIRD's is back.
            Eventually.await("10.60.0.0/16 via BIRD while 10.77.0.3 is unreachable", UP,
                    () -> spk.ip("route", "show", "10.60.0.0/16").contains("via 10.99.0.2"), () -> spk.ip("route", "show"));
            assertThat(cli("bgp", "routes", "10.60.0.0/16", "--api", sock.toString()).out())
                    .contains("not eligible: next hop unreachable");
            spk.ip("addr", "add", "10.77.0.1/24", "dev", "eth0");
            Eventually.await("10.60.0.0/16 via FRR's next hop once it resolves", UP,
                    () -> spk.ip("route", "show", "10.60.0.0/16").contains("via 10.77.0.3"), () -> spk.ip("route", "show"));
            assertThat(new ApiClient(sock).routes("10.60.0.0/16").getFirst().paths().getFirst().nextHops())
                    .containsExactly("10.77.0.3");
            spk.ip("addr", "del", "10.77.0.1/24", "dev", "eth0");
            Eventually.await("10.60.0.0/16 back via BIRD when 10.77.0.3 is unreachable again", UP,
                    () -> spk.ip("route", "show", "10.60.0.0/16").contains("via 10.99.0.2"), () -> spk.ip("route", "show"));

            // Metrics per peer.
            JsonNode metrics = JSON.readTree(new ApiClient(sock).get("/metrics"));
            assertThat(metrics.get("gauges").get("bgp.session.10.99.0.2.state").get("value").asInt()).isEqualTo(6);
            assertThat(metrics.get("counters").get("bgp.session.10.99.0.3.transitions").get("count").asLong()).isGreaterThanOrEqualTo(4);
            assertThat(metrics.get("counters").get("bgp.peer.10.99.0.3.updates.in").get("count").asLong()).isPositive();
            assertThat(metrics.get("gauges").get("bgp.peer.10.99.0.2.prefixes.accepted").get("value").asLong()).isEqualTo(3);
        }
        Cli gone = cli("bgp", "peers", "--api", sock.toString());
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("is `tabby bgp run` running?");
    }

    @Test
    void maxPrefixRestartSendsCeaseAndComesBackAfterTheDelay(Lab lab) throws Exception {
        Netns spk = lab.netns("spk");
        Netns b = lab.netns("bird");
        lab.link(spk, "10.0.0.1/24", b, "10.0.0.2/24");
        Bird bird = Bird.start(lab, b, "bird", """
                router id 10.0.0.2;
                protocol device {}
                protocol static few { ipv4; route 10.1.0.0/16 blackhole; route 10.2.0.0/16 blackhole; }
                protocol static extra { ipv4; route 10.3.0.0/16 blackhole; }
                protocol bgp tabby {
                  local 10.0.0.2 as 65002; neighbor 10.0.0.1 as 64512; passive on; hold time 9;
                  ipv4 { import all; export where source = RTS_STATIC; };
                }
                """);
        try (BgpServer s = speaker(lab, spk, """
                localAs: 64512
                routerId: 10.0.0.1
                peers:
                  - {address: 10.0.0.2, as: 65002, holdTime: 9, connectRetry: 1, allowAll: true,
                     maxPrefix: {limit: 2, action: restart, restartAfter: 3}}
                """)) {
            Path sock = lab.dir().resolve("bgp.sock");
            Eventually.await("BIRD received our Cease 6/1 (maximum number of prefixes reached)", UP,
                    () -> bird.birdc("show", "protocols", "all", "tabby").contains("Maximum number of prefixes reached"),
                    () -> bird.birdc("show", "protocols", "all", "tabby"));
            bird.birdc("disable", "extra"); // now within the limit: after the delay the session must come back and stay
            Eventually.await("session back and staying up with 2 prefixes", UP, () -> {
                var p = peers(sock).getFirst();
                return p.state().equals("ESTABLISHED") && p.accepted() == 2 && bird.established("tabby");
            }, () -> cli("bgp", "peers", "--api", sock.toString()).out() + bird.birdc("show", "protocols", "all", "tabby"));
            PeerStatus p = new ApiClient(sock).peers().getFirst();
            assertThat(p.lastError()).contains("exceed the limit 2");
            assertThat(p.transitions()).isGreaterThanOrEqualTo(8); // up, down on Cease, up again
        }
    }
}
