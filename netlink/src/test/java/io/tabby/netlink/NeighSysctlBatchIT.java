package io.tabby.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabby.netlink.ns.NetNs;
import io.tabby.netlink.sys.Errno;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@NetnsTest
class NeighSysctlBatchIT {
    private static final RouteProtocol TABBY = new RouteProtocol(250);

    @Test
    void permanentNeighboursAgreeWithIpNeigh(Lab lab) {
        Netns n = lab.netns("n");
        try (NetNs ns = Inside.open(n); NetlinkHandle h = NetlinkHandle.open(ns)) {
            Link va = h.linkAddVeth(Veth.of("va", "vb"));
            h.linkSetUp("va");
            h.neighAdd(Neigh.permanent(va.index(), "10.1.0.9", "02:00:00:00:00:09"));
            h.neighAdd(Neigh.permanent(va.index(), "fd00::9", "02:00:00:00:00:0a"));
            assertThatThrownBy(() -> h.neighAdd(Neigh.permanent(va.index(), "10.1.0.9", "02:00:00:00:00:01")))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.EEXIST);
                        assertThat(e.getMessage()).startsWith("RTM_NEWNEIGH 10.1.0.9 lladdr 02:00:00:00:00:01 dev va");
                    });
            h.neighReplace(Neigh.permanent(va.index(), "10.1.0.9", "02:00:00:00:00:19"));

            List<String> ip = new ArrayList<>();
            Inside.ipJson(n, "neigh", "show", "dev", "va").forEach(j -> ip.add(j.get("dst").asText() + " "
                    + j.get("lladdr").asText() + " " + j.get("state").get(0).asText()));
            List<String> ours = h.neighList(va.index(), Family.ALL).stream()
                    .map(x -> Inside.text(x.ip()) + " " + x.hardwareAddr().orElse("-") + " "
                            + ((x.state() & Neigh.NUD_PERMANENT) != 0 ? "PERMANENT" : "other")).toList();
            assertThat(ours).containsExactlyInAnyOrderElementsOf(ip)
                    .containsExactlyInAnyOrder("10.1.0.9 02:00:00:00:00:19 PERMANENT", "fd00::9 02:00:00:00:00:0a PERMANENT");

            h.neighDel(Neigh.permanent(va.index(), "10.1.0.9", "02:00:00:00:00:19"));
            assertThat(n.run("ip", "neigh", "show", "dev", "va")).doesNotContain("10.1.0.9").contains("fd00::9");

            // Proxy entries (proxy_ndp for IPv6 pods) live in their own table.
            h.neighAdd(Neigh.proxy(va.index(), "fd00::44"));
            h.neighAdd(Neigh.proxy(va.index(), "10.1.0.44"));
            List<String> ipProxies = new ArrayList<>();
            Inside.ipJson(n, "neigh", "show", "proxy", "dev", "va").forEach(j -> ipProxies.add(j.get("dst").asText()));
            assertThat(h.neighProxyList(va.index(), Family.ALL)).allMatch(Neigh::isProxy)
                    .extracting(x -> Inside.text(x.ip())).containsExactlyInAnyOrderElementsOf(ipProxies)
                    .containsExactlyInAnyOrder("fd00::44", "10.1.0.44");
            assertThat(h.neighList(va.index(), Family.ALL)).noneMatch(Neigh::isProxy);
            h.neighDel(Neigh.proxy(va.index(), "fd00::44"));
            assertThat(n.run("ip", "neigh", "show", "proxy", "dev", "va")).doesNotContain("fd00::44").contains("10.1.0.44");
        }
    }

    @Test
    void sysctlsAreReadAndWrittenInsideTheNamespace(Lab lab) throws Exception {
        Netns n = lab.netns("n");
        String ownForwarding = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
        try (NetNs ns = Inside.open(n); NetlinkHandle h = NetlinkHandle.open(ns)) {
            h.linkAddVeth(Veth.of("cali1234", "peer0"));
            assertThat(h.sysctlGet("net.ipv4.ip_forward")).isEqualTo("0");
            h.sysctlSet("net.ipv4.ip_forward", "1");
            h.sysctlSet("net.ipv4.conf.cali1234.proxy_arp", "1");
            h.sysctlSet("net/ipv4/neigh/cali1234/proxy_delay", "0");
            assertThat(n.run("sysctl", "-n", "net.ipv4.ip_forward").strip()).isEqualTo("1");
            assertThat(n.run("sysctl", "-n", "net.ipv4.conf.cali1234.proxy_arp").strip()).isEqualTo("1");
            assertThat(n.run("sysctl", "-n", "net.ipv4.neigh.cali1234.proxy_delay").strip()).isEqualTo("0");
            assertThat(h.sysctlGet("net.ipv4.conf.cali1234.proxy_arp")).isEqualTo("1");
            assertThatThrownBy(() -> h.sysctlGet("net.ipv4.conf.nosuch0.proxy_arp"))
                    .hasMessageContaining("net.ipv4.conf.nosuch0.proxy_arp");
        }
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_forward")).strip())
                .as("our own namespace is untouched").isEqualTo(ownForwarding);
    }

    @Test
    void batchGivesEachChangeItsOwnOutcome(Lab lab) {
        Netns n = lab.netns("n");
        try (NetNs ns = Inside.open(n); NetlinkHandle h = NetlinkHandle.open(ns)) {
            Link va = h.linkAddVeth(Veth.of("va", "vb"));
            h.linkSetUp("va");
            h.routeAdd(Route.to("10.200.0.5/32").dev(va.index()).protocol(TABBY));
            List<Change> changes = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                changes.add(Change.routeAdd(Route.to("10.200." + (i / 256) + "." + (i % 256) + "/32").dev(va.index()).protocol(TABBY)));
            }
            changes.add(Change.routeDel(Route.to("10.201.0.0/24").dev(va.index())));
            changes.add(Change.neighAdd(Neigh.permanent(va.index(), "10.200.9.9", "02:00:00:00:00:09")));
            List<Outcome> out = h.batch(changes);

            assertThat(out).hasSize(changes.size());
            assertThat(out.get(5).ok()).isFalse();
            assertThat(out.get(5).error().orElseThrow().errno()).isEqualTo(Errno.EEXIST);
            assertThat(out.get(5).error().orElseThrow().getMessage()).startsWith("RTM_NEWROUTE 10.200.0.5/32 dev va");
            assertThat(out.get(1000).error().orElseThrow().errno()).isEqualTo(Errno.ESRCH);
            assertThat(out.stream().filter(Outcome::ok).count()).isEqualTo(changes.size() - 2);
            assertThat(out).extracting(Outcome::change).containsExactlyElementsOf(changes);

            JsonNode routes = Inside.ipJson(n, "route", "show", "proto", "250");
            assertThat(routes).hasSize(1000);
            assertThat(h.routeList(RouteFilter.main().protocol(TABBY))).hasSize(1000);
            assertThat(n.run("ip", "neigh", "show", "10.200.9.9")).contains("PERMANENT");

            List<Change> dels = h.routeList(RouteFilter.main().protocol(TABBY)).stream().map(Change::routeDel).toList();
            assertThat(h.batch(dels)).allMatch(Outcome::ok);
            assertThat(Inside.ipJson(n, "route", "show", "proto", "250")).isEmpty();
        }
    }

    @Test
    void multipathRoutesAgreeWithIpRoute(Lab lab) {
        Netns n = lab.netns("n");
        try (NetNs ns = Inside.open(n); NetlinkHandle h = NetlinkHandle.open(ns)) {
            Link a = h.linkAddVeth(Veth.of("ua", "ub"));
            Link c = h.linkAddVeth(Veth.of("uc", "ud"));
            for (String d : List.of("ua", "ub", "uc", "ud")) {
                h.linkSetUp(d);
            }
            h.addrAdd(Addr.of(a.index(), "10.1.0.1/24"));
            h.addrAdd(Addr.of(c.index(), "10.2.0.1/24"));
            Route ecmp = Route.to("10.60.0.0/24").protocol(TABBY).nextHops(List.of(
                    NextHop.via("10.1.0.2", a.index()), NextHop.via("10.2.0.2", c.index()).weight(3)));
            h.routeAdd(ecmp);

            JsonNode ip = Inside.ipJson(n, "route", "show", "10.60.0.0/24").get(0);
            List<String> ipHops = new ArrayList<>();
            ip.get("nexthops").forEach(x -> ipHops.add(x.get("gateway").asText() + " " + x.get("dev").asText() + " " + x.get("weight").asInt()));
            Route got = h.routeList(RouteFilter.main().protocol(TABBY)).get(0);
            assertThat(got.multipath()).extracting(x -> Inside.text(x.gateway().orElseThrow()) + " "
                    + h.linkByIndex(x.linkIndex()).name() + " " + x.weight())
                    .containsExactlyElementsOf(ipHops).containsExactly("10.1.0.2 ua 1", "10.2.0.2 uc 3");
            assertThat(got.dst()).isEqualTo(ecmp.dst());

            h.routeReplace(ecmp.nextHops(List.of(NextHop.via("10.1.0.2", a.index()))));
            assertThat(n.run("ip", "route", "show", "10.60.0.0/24")).contains("via 10.1.0.2 dev ua").doesNotContain("nexthop");
            h.routeDel(Route.to("10.60.0.0/24"));
            assertThat(n.run("ip", "route", "show", "10.60.0.0/24")).isBlank();
        }
    }
}
