package io.tabby.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@NetnsTest
class AddrRouteIT {
    private static final RouteProtocol TABBY = new RouteProtocol(250);

    @Test
    void addressesV4AndV6WithScopeAndNodadAgreeWithIpAddr(Lab lab) {
        Netns n = lab.netns("n");
        try (NetNs ns = Inside.open(n); NetlinkHandle h = NetlinkHandle.open(ns)) {
            Link va = h.linkAddVeth(Veth.of("va", "vb"));
            h.linkSetUp("va");
            h.addrAdd(Addr.of(va.index(), "10.1.0.1/24"));
            h.addrAdd(Addr.of(va.index(), "169.254.7.7/32").scope(Scope.LINK).label("va"));
            h.addrAdd(Addr.of(va.index(), "fd00:1::1/64").withFlags(Addr.NODAD));

            JsonNode ip = Inside.ipJson(n, "addr", "show", "dev", "va").get(0).get("addr_info");
            List<String> ipView = new ArrayList<>();
            ip.forEach(a -> {
                if (!a.get("local").asText().startsWith("fe80")) {
                    ipView.add(a.get("local").asText() + "/" + a.get("prefixlen").asInt() + " " + a.get("scope").asText()
                            + (a.has("nodad") ? " nodad" : ""));
                }
            });
            List<String> ours = h.addrList(va.index(), Family.ALL).stream()
                    .filter(a -> !a.prefix().address().isLinkLocalAddress() || a.family() == Family.INET)
                    .map(a -> Inside.text(a.prefix().address()) + "/"
                            + a.prefix().length() + " " + a.scope().label() + ((a.flags() & Addr.NODAD) != 0 ? " nodad" : ""))
                    .toList();
            assertThat(ours).containsExactlyInAnyOrderElementsOf(ipView)
                    .contains("10.1.0.1/24 global", "169.254.7.7/32 link", "fd00:1::1/64 global nodad");

            h.addrDel(Addr.of(va.index(), "10.1.0.1/24"));
            assertThat(n.run("ip", "-4", "addr", "show", "dev", "va")).doesNotContain("10.1.0.1");
            assertThat(h.addrList(Family.INET)).extracting(a -> a.prefix().toString()).doesNotContain("10.1.0.1/24")
                    .contains("169.254.7.7/32", "127.0.0.1/8");
            h.addrDel(Addr.of(va.index(), "fd00:1::1/64"));
            assertThat(n.run("ip", "-6", "addr", "show", "dev", "va")).doesNotContain("fd00:1::1");
            assertThat(h.addrList(va.index(), Family.INET6)).extracting(a -> a.prefix().toString()).doesNotContain("fd00:1::1/64");
        }
    }

    @Test
    void routesWithProtocolScopeOnlinkTableTypeAndMetricAgreeWithIpRoute(Lab lab) {
        Netns n = lab.netns("n");
        try (NetNs ns = Inside.open(n); NetlinkHandle h = NetlinkHandle.open(ns)) {
            Link va = h.linkAddVeth(Veth.of("va", "vb"));
            h.linkSetUp("va");
            h.linkSetUp("vb");
            h.addrAdd(Addr.of(va.index(), "10.1.0.1/24"));
            int dev = va.index();

            h.routeAdd(Route.to("10.244.1.2/32").dev(dev).protocol(TABBY));
            h.routeAdd(Route.to("10.244.2.0/26").via("10.1.0.2").dev(dev).protocol(TABBY).metric(20));
            h.routeAdd(Route.to("10.244.3.0/26").via("192.0.2.1").dev(dev).onlink().protocol(TABBY));
            h.routeAdd(Route.to("10.244.9.0/24").type(RouteType.BLACKHOLE).protocol(TABBY));
            h.routeAdd(Route.to("10.244.8.0/24").type(RouteType.UNREACHABLE));
            h.routeAdd(Route.to("10.50.0.0/16").via("10.1.0.2").dev(dev).table(100).protocol(TABBY));
            h.routeAdd(Route.to("fd00:244::/64").dev(dev).protocol(TABBY));
            h.addrAdd(Addr.of(dev, "fd00:1::1/64").withFlags(Addr.NODAD));
            h.routeAdd(Route.to("fd00:245::/64").via("fd00:1::2").dev(dev).protocol(TABBY).metric(100));

            assertThat(ipRoutes(n, "-4", "route", "show", "proto", "250"))
                    .containsExactlyInAnyOrderElementsOf(view(h, h.routeList(RouteFilter.main().family(Family.INET).protocol(TABBY))))
                    .containsExactlyInAnyOrder(
                            "unicast 10.244.1.2 - dev va scope link metric 0",
                            "unicast 10.244.2.0/26 via 10.1.0.2 dev va scope global metric 20",
                            "unicast 10.244.3.0/26 via 192.0.2.1 dev va scope global metric 0 onlink",
                            "blackhole 10.244.9.0/24 - dev - scope global metric 0");
            assertThat(ipRoutes(n, "-4", "route", "show", "table", "100"))
                    .containsExactlyElementsOf(view(h, h.routeList(RouteFilter.all().table(100))));
            assertThat(h.routeList(RouteFilter.main().type(RouteType.UNREACHABLE)))
                    .singleElement().satisfies(r -> assertThat(r.protocol()).isEqualTo(RouteProtocol.BOOT));
            assertThat(ipRoutes(n, "-6", "route", "show", "proto", "250"))
                    .containsExactlyElementsOf(view(h, h.routeList(RouteFilter.main().family(Family.INET6).protocol(TABBY))));
            assertThat(h.routeList(RouteFilter.all().table(4242))).isEmpty();

            // replace changes the gateway in place; delete removes exactly that route
            h.routeReplace(Route.to("10.244.2.0/26").via("10.1.0.3").dev(dev).protocol(TABBY).metric(20));
            assertThat(n.run("ip", "route", "show", "10.244.2.0/26")).contains("via 10.1.0.3").doesNotContain("10.1.0.2");
            h.routeDel(Route.to("10.244.2.0/26").via("10.1.0.3").dev(dev).metric(20));
            h.routeDel(Route.to("10.244.9.0/24").type(RouteType.BLACKHOLE));
            h.routeDel(Route.to("10.50.0.0/16").table(100));
            h.routeDel(Route.to("fd00:245::/64").via("fd00:1::2").dev(dev));
            assertThat(n.run("ip", "-6", "route", "show")).doesNotContain("fd00:245::");
            assertThat(n.run("ip", "route", "show", "table", "all")).doesNotContain("10.244.2.0", "10.244.9.0", "10.50.0.0");
            assertThat(view(h, h.routeList(RouteFilter.all().protocol(TABBY)))).containsExactlyInAnyOrderElementsOf(
                    ipRoutes(n, "route", "show", "table", "all", "proto", "250"));
        }
    }

    /** Routes as "type dst via gw dev d scope s metric m [onlink]", from ip -json. */
    private static List<String> ipRoutes(Netns n, String... args) {
        List<String> out = new ArrayList<>();
        Inside.ipJson(n, args).forEach(r -> {
            String type = r.has("type") ? r.get("type").asText() : "unicast";
            out.add(type + " " + r.get("dst").asText() + " " + (r.has("gateway") ? "via " + r.get("gateway").asText() : "-")
                    + " dev " + (r.has("dev") ? r.get("dev").asText() : "-")
                    + " scope " + (r.has("scope") ? r.get("scope").asText() : "global")
                    + " metric " + (r.has("metric") ? r.get("metric").asInt() : 0)
                    + (String.valueOf(r.get("flags")).contains("onlink") ? " onlink" : ""));
        });
        return out;
    }

    private static List<String> view(NetlinkHandle h, List<Route> routes) {
        List<String> out = new ArrayList<>();
        for (Route r : routes) {
            String host = Inside.text(r.dst().address());
            String dst = r.dst().isDefault() ? "default"
                    : (r.dst().length() == 32 || r.dst().length() == 128) ? host : host + "/" + r.dst().length();
            out.add(r.type().label() + " " + dst
                    + " " + r.gateway().map(g -> "via " + Inside.text(g)).orElse("-")
                    + " dev " + (r.linkIndex() == 0 ? "-" : h.linkByIndex(r.linkIndex()).name())
                    + " scope " + r.scope().orElseThrow().label() + " metric " + r.metric() + (r.isOnlink() ? " onlink" : ""));
        }
        return out;
    }
}
