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
class LinkIT {

    @Test
    void vethWithPeerInAnotherNamespaceMatchesIpLink(Lab lab) {
        Netns host = lab.netns("host");
        Netns pod = lab.netns("pod");
        try (NetNs hostNs = Inside.open(host); NetNs podNs = Inside.open(pod); NetlinkHandle h = NetlinkHandle.open(hostNs)) {
            Link cali = h.linkAddVeth(Veth.of("cali12345678901", "eth0").peerIn(podNs).mtu(1450)
                    .hardwareAddr("ee:ee:ee:ee:ee:ee").peerHardwareAddr("02:00:00:00:00:01"));

            JsonNode ip = Inside.ipJson(host, "-d", "link", "show", "dev", "cali12345678901").get(0);
            assertThat(cali.index()).isEqualTo(ip.get("ifindex").asInt());
            assertThat(cali.name()).isEqualTo("cali12345678901");
            assertThat(cali.kind()).isEqualTo("veth").isEqualTo(ip.at("/linkinfo/info_kind").asText());
            assertThat(cali.mtu()).isEqualTo(1450).isEqualTo(ip.get("mtu").asInt());
            assertThat(cali.hardwareAddr()).isEqualTo("ee:ee:ee:ee:ee:ee").isEqualTo(ip.get("address").asText());
            assertThat(cali.linkNetnsId()).hasValue(ip.get("link_netnsid").asInt());
            assertThat(cali.isUp()).isFalse();
            assertThat(cali.operState().name()).isEqualTo(ip.get("operstate").asText());

            // The peer was created straight in the pod namespace; its IFLA_LINK is our index.
            JsonNode peer = Inside.ipJson(pod, "link", "show", "dev", "eth0").get(0);
            assertThat(peer.get("address").asText()).isEqualTo("02:00:00:00:00:01");
            assertThat(peer.get("mtu").asInt()).isEqualTo(1450);
            assertThat(cali.parentIndex()).isEqualTo(peer.get("ifindex").asInt());
            assertThat(host.exec("ip", "link", "show", "dev", "eth0").ok()).isFalse();

            try (NetlinkHandle ph = NetlinkHandle.open(podNs)) {
                Link eth0 = ph.linkByName("eth0");
                assertThat(eth0.parentIndex()).isEqualTo(cali.index());
                assertThat(eth0.hardwareAddr()).isEqualTo("02:00:00:00:00:01");
            }
        }
    }

    @Test
    void upDownMtuMacRenameAndListAgreeWithIp(Lab lab) {
        Netns host = lab.netns("host");
        try (NetNs ns = Inside.open(host); NetlinkHandle h = NetlinkHandle.open(ns)) {
            h.linkAddVeth(Veth.of("va", "vb"));
            h.linkSetUp("va");
            h.linkSetUp("vb");
            h.linkSetMtu("va", 1400);
            h.linkSetHardwareAddr("va", "02:aa:bb:cc:dd:ee");

            JsonNode va = Inside.ipJson(host, "link", "show", "dev", "va").get(0);
            assertThat(va.get("mtu").asInt()).isEqualTo(1400);
            assertThat(va.get("address").asText()).isEqualTo("02:aa:bb:cc:dd:ee");
            List<String> flags = new ArrayList<>();
            va.get("flags").forEach(f -> flags.add(f.asText()));
            Link link = h.linkByName("va");
            assertThat(link.flagNames()).containsExactlyInAnyOrderElementsOf(flags);
            assertThat(link.isUp()).isTrue();
            assertThat(h.linkByIndex(link.index())).isEqualTo(link);

            // Every link ip lists, with the same index, name and MTU.
            JsonNode all = Inside.ipJson(host, "link", "show");
            List<String> ipView = new ArrayList<>();
            all.forEach(l -> ipView.add(l.get("ifindex").asInt() + " " + l.get("ifname").asText() + " " + l.get("mtu").asInt()));
            assertThat(h.linkList()).extracting(l -> l.index() + " " + l.name() + " " + l.mtu())
                    .containsExactlyInAnyOrderElementsOf(ipView);

            h.linkSetDown("va");
            assertThat(Inside.ipJson(host, "link", "show", "dev", "va").get(0).get("flags").toString()).doesNotContain("\"UP\"");
            h.linkSetName("va", "renamed0");
            assertThat(host.exec("ip", "link", "show", "dev", "renamed0").ok()).isTrue();
            assertThat(h.findLink("va")).isEmpty();
            assertThat(h.findLink("renamed0")).map(Link::index).hasValue(link.index());

            h.linkDel("renamed0");
            assertThat(host.exec("ip", "link", "show", "dev", "renamed0").ok()).isFalse();
            assertThat(host.exec("ip", "link", "show", "dev", "vb").ok()).as("the peer goes with it").isFalse();
        }
    }

    @Test
    void linkMovesToAnotherNamespace(Lab lab) {
        Netns a = lab.netns("a");
        Netns b = lab.netns("b");
        try (NetNs nsA = Inside.open(a); NetNs nsB = Inside.open(b); NetlinkHandle h = NetlinkHandle.open(nsA)) {
            h.linkAddVeth(Veth.of("mv0", "mv1"));
            h.linkSetNetns("mv1", nsB);
            assertThat(a.exec("ip", "link", "show", "dev", "mv1").ok()).isFalse();
            JsonNode moved = Inside.ipJson(b, "link", "show", "dev", "mv1").get(0);
            assertThat(moved.get("ifname").asText()).isEqualTo("mv1");
            assertThat(h.linkByName("mv0").linkNetnsId()).isPresent();
        }
    }
}
