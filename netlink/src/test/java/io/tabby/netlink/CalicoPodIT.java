package io.tabby.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the CNI plugin will do, through this API only: a Calico-style pod (cali veth with the
 * ee:ee:ee:ee:ee:ee host MAC, /32 address, 169.254.1.1 link-scope gateway, proxy ARP on the host
 * side, a /32 host route marked with our protocol) that then really carries traffic.
 */
@NetnsTest
class CalicoPodIT {
    private static final RouteProtocol TABBY = new RouteProtocol(250);

    @Test
    void podWiredThroughTheApiPingsTheNodeAndIsTornDownCleanly(Lab lab) {
        Netns node = lab.netns("node");
        Netns pod = lab.netns("pod");
        try (NetNs nodeNs = Inside.open(node); NetNs podNs = Inside.open(pod);
             NetlinkHandle host = NetlinkHandle.open(nodeNs); NetlinkHandle inPod = NetlinkHandle.open(podNs)) {
            // The node's own uplink and default route: proxy ARP answers only for targets it can route elsewhere.
            Link uplink = host.linkAddVeth(Veth.of("uplink0", "uplink1"));
            host.linkSetUp("uplink0");
            host.linkSetUp("uplink1");
            host.addrAdd(Addr.of(uplink.index(), "10.99.0.11/24"));
            host.routeAdd(Route.to("default").via("10.99.0.1").dev(uplink.index()).onlink());

            Link cali = host.linkAddVeth(Veth.of("cali12345678901", "eth0").peerIn(podNs).mtu(1450)
                    .hardwareAddr("ee:ee:ee:ee:ee:ee"));
            host.linkSetUp(cali.name());
            host.sysctlSet("net.ipv4.conf.cali12345678901.proxy_arp", "1");
            host.sysctlSet("net.ipv4.neigh.cali12345678901.proxy_delay", "0");
            host.sysctlSet("net.ipv4.ip_forward", "1");
            host.routeReplace(Route.to("10.244.1.2/32").dev(cali.index()).protocol(TABBY));

            Link eth0 = inPod.linkByName("eth0");
            inPod.linkSetUp("lo");
            inPod.linkSetUp("eth0");
            inPod.addrAdd(Addr.of(eth0.index(), "10.244.1.2/32"));
            inPod.routeAdd(Route.to("169.254.1.1/32").dev(eth0.index()).scope(Scope.LINK));
            inPod.routeAdd(Route.to("default").via("169.254.1.1").dev(eth0.index()));

            assertThat(pod.ping("10.99.0.11", Duration.ofSeconds(3))).as("pod reaches the node through proxy ARP").isTrue();
            assertThat(pod.run("ip", "neigh", "show", "169.254.1.1")).contains("ee:ee:ee:ee:ee:ee");
            assertThat(Inside.ipJson(pod, "route", "show", "default").get(0).get("gateway").asText()).isEqualTo("169.254.1.1");
            assertThat(host.routeList(RouteFilter.main().protocol(TABBY)))
                    .singleElement().satisfies(r -> assertThat(r.dst().toString()).isEqualTo("10.244.1.2/32"));

            // CNI DEL: sweep our routes by protocol, delete the host end (the pod end goes with it).
            for (Route r : host.routeList(RouteFilter.main().protocol(TABBY))) {
                host.routeDel(r);
            }
            host.linkDel(cali.name());
            assertThat(pod.exec("ip", "link", "show", "dev", "eth0").ok()).isFalse();
            assertThat(node.run("ip", "route", "show", "proto", "250")).isBlank();
            assertThat(host.findLink(cali.name())).isEmpty();
        }
    }
}
