package io.tabby.bgp.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tabby.bgp.policy.PeerPolicies;
import io.tabby.bgp.policy.Speaker;
import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.rib.Attrs;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LookingGlassTest {
    final Rib rib = new Rib(Speaker.of(65000, Addresses.parse4("10.0.0.100")), Set.of(Family.IPV4_UNICAST),
            BestPath.Options.DEFAULT.withMaxPaths(2), new MetricRegistry());
    final Peer a = Attrs.ebgp("10.0.0.1", "1.1.1.1", 65001);
    final Peer b = Attrs.ebgp("10.0.0.2", "2.2.2.2", 65001);
    final Peer c = Attrs.ebgp("10.0.0.3", "3.3.3.3", 65003);

    LookingGlassTest() {
        for (Peer p : List.of(a, b, c)) {
            rib.addNeighbour(Neighbour.of(p, Addresses.parse("10.0.0.100"), PeerPolicies.allowAll()));
            rib.sessionUp(p.address(), Set.of(Family.IPV4_UNICAST));
        }
        send(a, Attrs.of().path(65001).nh("10.0.0.1").communities(65001 << 16 | 7).set());
        send(b, Attrs.of().path(65001).nh("10.0.0.2").set());
        send(c, Attrs.of().path(65003, 9).nh("10.0.0.3").set());
    }

    void send(Peer p, AttrSet attrs) {
        rib.receive(p.address(), new Update(List.of(), attrs.toWire(Family.IPV4_UNICAST, List.of()),
                List.of(Prefix.parse("192.0.2.0/24"))), false);
    }

    @Test
    void routesShowEveryPathBestFirstWithWhy() {
        String text = LookingGlass.format(rib.route(Prefix.parse("192.0.2.0/24")));
        assertThat(text.lines().toList()).containsExactly(
                "192.0.2.0/24 (ipv4-unicast)",
                "  *>  via 10.0.0.1 from 10.0.0.1(AS65001) EBGP path [65001] IGP comm 65001:7  (lower router id / originator id)",
                "  *=  via 10.0.0.2 from 10.0.0.2(AS65001) EBGP path [65001] IGP  (shorter AS path)",
                "  *   via 10.0.0.3 from 10.0.0.3(AS65003) EBGP path [65003 9] IGP  (only candidate left)");
        assertThat(LookingGlass.format(rib.route(Prefix.parse("198.51.100.0/24")))).contains("no paths");
    }

    @Test
    void peersTableAndJson() throws Exception {
        String table = LookingGlass.format(rib.peers());
        assertThat(table.lines()).hasSize(4);
        assertThat(table.lines().skip(1).findFirst().orElseThrow()).startsWith("10.0.0.1").contains("EBGP", "up");
        // The records are the JSON API as they are: Jackson serialises them without annotations.
        JsonNode route = new ObjectMapper().valueToTree(rib.route(Prefix.parse("192.0.2.0/24")));
        assertThat(route.get("paths").get(0).get("best").asBoolean()).isTrue();
        assertThat(route.get("paths").get(0).get("reason").asText()).isEqualTo("ROUTER_ID");
        JsonNode peers = new ObjectMapper().valueToTree(rib.peers());
        assertThat(peers.get(2).get("accepted").asLong()).isEqualTo(1);
        assertThat(peers.get(2).get("advertised").asLong()).as("best path (from a) goes to c").isEqualTo(1);
    }
}
