package io.tabby.bgp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabby.bgp.fib.KernelRoute;
import io.tabby.bgp.policy.ExportRules.NextHopMode;
import io.tabby.bgp.policy.MaxPrefix;
import io.tabby.bgp.policy.Policy;
import io.tabby.bgp.policy.PolicyContext;
import io.tabby.bgp.rib.AdjRibIn;
import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.rib.Path;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.Prefix;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Part 2's configuration: policies, per-peer routing settings, global routing options; errors name the field. */
class RoutingConfigTest {
    static final String HEAD = "localAs: 64512\nrouterId: 10.0.0.1\n";
    static final Peer EBGP = Peer.neighbour("10.0.0.2", "10.0.0.2", 65002, 64512, false);
    static final Peer IBGP = Peer.neighbour("10.0.0.3", "10.0.0.3", 64512, 64512, false);

    static BgpConfig parse(String yaml) {
        return BgpConfig.parse(HEAD + yaml, "bgp.yaml");
    }

    static Path path(String asPath, List<Integer> communities) {
        var attrs = new java.util.ArrayList<PathAttribute>(List.of(new PathAttribute.Origin(0),
                new PathAttribute.AsPath(List.of(PathAttribute.Segment.sequence(
                        java.util.Arrays.stream(asPath.split(" ")).mapToLong(Long::parseLong).toArray())))));
        if (!communities.isEmpty()) {
            attrs.add(new PathAttribute.Communities(communities));
        }
        return new Path(AttrSet.of(attrs, Addresses.parse("10.0.0.2")), EBGP);
    }

    @Test
    void everythingPart2AddsParsesIntoTheRoutingModel() {
        BgpConfig c = parse("""
                clusterId: 10.0.0.100
                maxPaths: 4
                alwaysCompareMed: true
                fib: {enabled: true, protocol: 251}
                redistribute: {types: [blackhole, unreachable], within: ["10.244.0.0/16+"], communities: ["64512:9"]}
                apiSocket: /tmp/x.sock
                policies:
                  from-tor:
                    terms:
                      - name: pods
                        match: {prefix: ["10.244.0.0/16 ge 24 le 32"], community: ["65002:100"], asPath: "^65002"}
                        set: {localPref: 200, addCommunities: ["64512:1"], prepend: 2}
                        then: accept
                    otherwise: reject
                peers:
                  - {address: 10.0.0.2, as: 65002, importPolicy: from-tor, nextHop: self,
                     maxPrefix: {limit: 100, action: restart, restartAfter: 5, warnPercent: 80}}
                  - {address: 10.0.0.3, as: 64512, routeReflectorClient: true, keepReceived: false}
                  - {address: 10.0.0.4, as: 65004, allowAll: true}
                """);
        assertThat(c.maxPaths()).isEqualTo(4);
        assertThat(c.fib().protocolOrDefault()).isEqualTo(251);
        assertThat(c.fib().tableOrDefault()).isEqualTo(KernelRoute.TABLE_MAIN);
        assertThat(c.redistribute().filter().types()).containsExactlyInAnyOrder(KernelRoute.Type.BLACKHOLE,
                KernelRoute.Type.UNREACHABLE);
        assertThat(c.redistribute().filter().within().getFirst().matches(Prefix.parse("10.244.3.0/26"))).isTrue();
        assertThat(c.apiSocketOrDefault()).isEqualTo("/tmp/x.sock");

        PeerOptions tor = c.peers().get(0).options();
        assertThat(tor.nextHopMode()).isEqualTo(NextHopMode.SELF);
        assertThat(tor.maxPrefixLimit()).contains(new MaxPrefix(100, 80, MaxPrefix.OnExceed.CEASE, Duration.ofSeconds(5)));
        assertThat(tor.retention()).isEqualTo(AdjRibIn.Retention.ALL);
        Policy imp = c.policiesFor(EBGP, tor).importPolicy();
        var ctx = new PolicyContext(64512, Addresses.parse("10.0.0.1"));
        int want = 65002 << 16 | 100;
        var accepted = imp.apply(Prefix.parse("10.244.1.0/26"), path("65002 65010", List.of(want)), ctx);
        assertThat(accepted).get().satisfies(p -> {
            assertThat(p.attrs().localPref()).isEqualTo(200);
            assertThat(p.attrs().asPathString()).isEqualTo("64512 64512 65002 65010");
            assertThat(p.attrs().get(PathAttribute.Communities.class).orElseThrow().values())
                    .containsExactly(want, 64512 << 16 | 1);
        });
        assertThat(imp.apply(Prefix.parse("10.244.1.0/26"), path("65002", List.of()), ctx)).as("no community").isEmpty();
        assertThat(imp.apply(Prefix.parse("10.245.0.0/24"), path("65002", List.of(want)), ctx)).as("outside").isEmpty();
        assertThat(c.policiesFor(EBGP, tor).exportPolicy()).as("RFC 8212 default for eBGP").isEqualTo(Policy.RFC8212_DENY);

        PeerOptions client = c.peers().get(1).options();
        assertThat(client.routeReflectorClient()).isTrue();
        assertThat(client.retention()).isEqualTo(AdjRibIn.Retention.NONE);
        assertThat(c.policiesFor(IBGP, client).importPolicy()).as("iBGP default").isEqualTo(Policy.ACCEPT_ALL);
        assertThat(c.policiesFor(EBGP, c.peers().get(2).options()).exportPolicy()).isEqualTo(Policy.ACCEPT_ALL);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        BgpConfig c = parse("peers: [{address: 10.0.0.2, as: 65002}]\n");
        assertThat(c.fib().enabled()).isFalse();
        assertThat(c.fib().protocolOrDefault()).isEqualTo(250);
        assertThat(c.apiSocketOrDefault()).isEqualTo("/run/tabby/bgp.sock");
        assertThat(c.resolveNextHopsInKernel()).isTrue();
        assertThat(c.peers().getFirst().options().nextHopMode()).isEqualTo(NextHopMode.AUTO);
        assertThat(c.peers().getFirst().options().maxPrefixLimit()).isEmpty();
        assertThat(c.policiesFor(EBGP, c.peers().getFirst().options()).importPolicy()).isEqualTo(Policy.RFC8212_DENY);
    }

    @Test
    void errorsNameTheField() {
        assertThatThrownBy(() -> parse("peers: [{address: 10.0.0.2, as: 1, importPolicy: nope}]\n"))
                .hasMessageContaining("peer 10.0.0.2").hasMessageContaining("importPolicy").hasMessageContaining("nope");
        assertThatThrownBy(() -> parse("policies: {p: {terms: [{match: {prefix: [\"10.0.0.0/8 le 40\"]}}]}}\n"))
                .hasMessageContaining("policies.p.terms[0].match.prefix");
        assertThatThrownBy(() -> parse("policies: {p: {terms: [{then: maybe}]}}\n"))
                .hasMessageContaining("policies.p.terms[0].then");
        assertThatThrownBy(() -> parse("policies: {p: {otherwise: next}}\n")).hasMessageContaining("policies.p.otherwise");
        assertThatThrownBy(() -> parse("policies: {p: {terms: [{match: {asPath: \"(\"}}]}}\n"))
                .hasMessageContaining("policies.p.terms[0].match.asPath");
        assertThatThrownBy(() -> parse("policies: {p: {terms: [{set: {addCommunities: [\"x\"]}}]}}\n"))
                .hasMessageContaining("policies.p.terms[0].set.addCommunities");
        assertThatThrownBy(() -> parse("peers: [{address: 10.0.0.2, as: 1, maxPrefix: {limit: 5, action: explode}}]\n"))
                .hasMessageContaining("peer 10.0.0.2.maxPrefix.action");
        assertThatThrownBy(() -> parse("peers: [{address: 10.0.0.2, as: 1, maxPrefix: {action: warn}}]\n"))
                .hasMessageContaining("maxPrefix.limit is required");
        assertThatThrownBy(() -> parse("peers: [{address: 10.0.0.2, as: 1, nextHop: there}]\n"))
                .hasMessageContaining("peer 10.0.0.2.nextHop");
        assertThatThrownBy(() -> parse("peers: [{address: 10.0.0.2, as: 1, allowAll: true, exportPolicy: p}]\npolicies: {p: {}}\n"))
                .hasMessageContaining("allowAll");
        assertThatThrownBy(() -> parse("maxPaths: 0\n")).hasMessageContaining("maxPaths");
        assertThatThrownBy(() -> parse("fib: {enabled: true, protocol: 2}\n")).hasMessageContaining("fib.protocol");
        assertThatThrownBy(() -> parse("clusterId: x\n")).hasMessageContaining("clusterId");
        assertThatThrownBy(() -> parse("redistribute: {types: [static]}\n")).hasMessageContaining("redistribute.types");
        assertThatThrownBy(() -> parse("nextHopResolution: igp\n")).hasMessageContaining("nextHopResolution");
    }
}
