package io.tabby.bgp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.policy.ExportRules.NextHopMode;
import io.tabby.bgp.policy.ExportRules.Target;
import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.rib.Attrs;
import io.tabby.bgp.rib.Path;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.PathAttribute.ClusterList;
import io.tabby.bgp.wire.PathAttribute.OriginatorId;
import io.tabby.bgp.wire.Prefix;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** iBGP/eBGP export rules and RFC 4456 reflection, and the import loop checks. We are AS 65000, 10.0.0.100. */
class RulesTest {
    private final Speaker me = new Speaker(65000, Addresses.parse4("10.0.0.100"), Addresses.parse4("10.0.0.100"), true);
    private final Prefix pfx = Prefix.parse("10.244.1.0/26");
    private final Peer ext = Attrs.ebgp("10.0.0.1", "1.1.1.1", 65001);
    private final Peer ext2 = Attrs.ebgp("10.0.0.2", "2.2.2.2", 65002);
    private final Peer ibgpA = Attrs.ibgp("10.0.0.3", "3.3.3.3");
    private final Peer ibgpB = Attrs.ibgp("10.0.0.4", "4.4.4.4");
    private final Peer clientA = Attrs.client("10.0.0.5", "5.5.5.5");
    private final Peer clientB = Attrs.client("10.0.0.6", "6.6.6.6");
    private final Peer local = Peer.local(Addresses.parse4("10.0.0.100"), 65000);

    private Target to(Peer p) {
        return new Target(p, Addresses.parse("10.0.0.100"), NextHopMode.AUTO);
    }

    private Optional<AttrSet> export(Path best, Target t) {
        return ExportRules.export(pfx, best, t, me, Policy.ACCEPT_ALL);
    }

    private Path from(Peer p, String nh) {
        Attrs a = Attrs.of().nh(nh);
        if (p.ebgp()) {
            a.path(p.as(), 7);
        } else {
            a.path(65009).lp(150).med(3);
        }
        return new Path(a.set(), p);
    }

    @Test
    void neverBackToTheSource() {
        assertThat(export(from(ext, "10.0.0.1"), to(ext))).isEmpty();
        assertThat(export(from(clientA, "10.0.0.5"), to(clientA))).isEmpty();
    }

    @Test
    void ebgpLearnedToIbgpKeepsNextHopAndAddsLocalPref() {
        AttrSet a = export(from(ext, "10.0.0.1"), to(ibgpA)).orElseThrow();
        assertThat(a.nextHops()).containsExactly(Addresses.parse("10.0.0.1"));
        assertThat(a.localPref()).isEqualTo(100);
        assertThat(a.asPathString()).isEqualTo("65001 7");
        AttrSet self = ExportRules.export(pfx, from(ext, "10.0.0.1"),
                new Target(ibgpA, Addresses.parse("10.0.0.100"), NextHopMode.SELF), me, Policy.ACCEPT_ALL).orElseThrow();
        assertThat(self.nextHops()).containsExactly(Addresses.parse("10.0.0.100"));
    }

    @Test
    void ibgpLearnedIsNotSentToOtherNonClients() {
        assertThat(export(from(ibgpA, "10.0.0.3"), to(ibgpB))).isEmpty();
    }

    @Test
    void nonClientRouteIsReflectedToClientsWithOriginatorAndClusterList() {
        AttrSet a = export(from(ibgpA, "10.0.0.3"), to(clientA)).orElseThrow();
        assertThat(a.get(OriginatorId.class)).contains(new OriginatorId(Addresses.parse4("3.3.3.3")));
        assertThat(a.get(ClusterList.class)).contains(new ClusterList(List.of(Addresses.parse4("10.0.0.100"))));
        assertThat(a.nextHops()).as("reflection keeps the next hop").containsExactly(Addresses.parse("10.0.0.3"));
        assertThat(a.localPref()).isEqualTo(150);
        assertThat(a.med()).isEqualTo(3);
    }

    @Test
    void clientRouteIsReflectedToEveryone() {
        Path fromClient = from(clientA, "10.0.0.5");
        assertThat(export(fromClient, to(ibgpA))).isPresent();
        assertThat(export(fromClient, to(clientB))).isPresent();
        Speaker noC2c = new Speaker(me.as(), me.routerId(), me.clusterId(), false);
        assertThat(ExportRules.export(pfx, fromClient, to(clientB), noC2c, Policy.ACCEPT_ALL)).isEmpty();
        assertThat(ExportRules.export(pfx, fromClient, to(ibgpA), noC2c, Policy.ACCEPT_ALL)).isPresent();
    }

    @Test
    void reflectionKeepsAnExistingOriginatorAndPrependsTheClusterId() {
        AttrSet in = Attrs.of().path(65009).originator("9.9.9.9").clusters("10.9.9.9").set();
        AttrSet a = export(new Path(in, ibgpA), to(clientA)).orElseThrow();
        assertThat(a.get(OriginatorId.class)).contains(new OriginatorId(Addresses.parse4("9.9.9.9")));
        assertThat(a.get(ClusterList.class).orElseThrow().ids())
                .containsExactly(Addresses.parse4("10.0.0.100"), Addresses.parse4("10.9.9.9"));
    }

    @Test
    void toEbgpPrependsSetsNextHopAndStripsInternalAttributes() {
        Path reflected = new Path(Attrs.of().path(65009).lp(150).med(3).originator("9.9.9.9").clusters("10.9.9.9")
                .nh("10.0.0.3").set(), ibgpA);
        AttrSet a = export(reflected, to(ext)).orElseThrow();
        assertThat(a.asPathString()).isEqualTo("65000 65009");
        assertThat(a.nextHops()).containsExactly(Addresses.parse("10.0.0.100"));
        assertThat(a.localPref()).isEqualTo(-1);
        assertThat(a.med()).isEqualTo(-1);
        assertThat(a.originatorId()).isEqualTo(-1);
        assertThat(a.clusterListLength()).isZero();
        // eBGP to eBGP: same rules; KEEP leaves the next hop.
        AttrSet kept = ExportRules.export(pfx, from(ext, "10.0.0.1"),
                new Target(ext2, Addresses.parse("10.0.0.100"), NextHopMode.KEEP), me, Policy.ACCEPT_ALL).orElseThrow();
        assertThat(kept.nextHops()).containsExactly(Addresses.parse("10.0.0.1"));
        assertThat(kept.asPathString()).isEqualTo("65000 65001 7");
    }

    @Test
    void exportPolicyCanSetMedAndNextHopTowardsEbgp() {
        Policy pol = Policy.of("out", Term.Verdict.ACCEPT, Term.accept("med", List.of(), new Action.SetMed(42),
                new Action.SetNextHop(Addresses.parse("10.0.0.77"))));
        AttrSet a = ExportRules.export(pfx, from(ibgpA, "10.0.0.3"), to(ext), me, pol).orElseThrow();
        assertThat(a.med()).isEqualTo(42);
        assertThat(a.nextHops()).containsExactly(Addresses.parse("10.0.0.77"));
        assertThat(ExportRules.export(pfx, from(ibgpA, "10.0.0.3"), to(ext), me, Policy.RFC8212_DENY)).isEmpty();
    }

    @Test
    void ownRoutesGetOurAddressAndLocalPref() {
        Path own = new Path(ExportRules.originate(0, List.of()), local);
        AttrSet toIbgp = export(own, to(ibgpA)).orElseThrow();
        assertThat(toIbgp.nextHops()).containsExactly(Addresses.parse("10.0.0.100"));
        assertThat(toIbgp.localPref()).isEqualTo(100);
        assertThat(toIbgp.asPathString()).isEmpty();
        AttrSet toEbgp = export(own, to(ext)).orElseThrow();
        assertThat(toEbgp.asPathString()).isEqualTo("65000");
        assertThat(toEbgp.nextHops()).containsExactly(Addresses.parse("10.0.0.100"));
    }

    @Test
    void ownRoutesWithAConfiguredNextHopKeepIt() {
        Path own = new Path(ExportRules.originate(0, List.of()).withNextHops(List.of(Addresses.parse("10.0.0.9"))), local);
        assertThat(export(own, to(ibgpA)).orElseThrow().nextHops()).containsExactly(Addresses.parse("10.0.0.9"));
        assertThat(export(own, to(ext)).orElseThrow().nextHops()).containsExactly(Addresses.parse("10.0.0.9"));
    }

    @Test
    void importRejectsLoopsAndStripsExternalLocalPref() {
        AttrSet loop = Attrs.of().path(65001, 65000, 7).set();
        assertThat(ImportRules.check(loop, ext, me, 0)).isInstanceOf(ImportRules.Verdict.Reject.class);
        assertThat(ImportRules.check(loop, ext, me, 1)).isInstanceOf(ImportRules.Verdict.Accept.class);
        assertThat(ImportRules.check(Attrs.of().path(65002).set(), ext, me, 0))
                .as("first AS must be the neighbour's").isInstanceOf(ImportRules.Verdict.Reject.class);
        var ok = (ImportRules.Verdict.Accept) ImportRules.check(Attrs.of().path(65001).lp(999).set(), ext, me, 0);
        assertThat(ok.attrs().localPref()).isEqualTo(-1);
        var internal = (ImportRules.Verdict.Accept) ImportRules.check(Attrs.of().lp(999).set(), ibgpA, me, 0);
        assertThat(internal.attrs().localPref()).isEqualTo(999);
        assertThat(ImportRules.check(Attrs.of().originator("10.0.0.100").set(), clientA, me, 0))
                .isInstanceOf(ImportRules.Verdict.Reject.class);
        assertThat(ImportRules.check(Attrs.of().originator("5.5.5.5").clusters("10.1.1.1", "10.0.0.100").set(),
                clientA, me, 0)).isInstanceOf(ImportRules.Verdict.Reject.class);
        assertThat(ImportRules.check(Attrs.of().originator("5.5.5.5").clusters("10.1.1.1").set(), clientA, me, 0))
                .isInstanceOf(ImportRules.Verdict.Accept.class);
    }
}
