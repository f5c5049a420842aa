package io.tabby.bgp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabby.bgp.policy.Action.Mode;
import io.tabby.bgp.policy.Term.Verdict;
import io.tabby.bgp.rib.Attrs;
import io.tabby.bgp.rib.Path;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.PathAttribute.Communities;
import io.tabby.bgp.wire.PathAttribute.LargeCommunities;
import io.tabby.bgp.wire.PathAttribute.LargeCommunities.Large;
import io.tabby.bgp.wire.Prefix;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyTest {
    private final Peer tor = Attrs.ebgp("10.99.0.1", "10.99.0.1", 65001);
    private final PolicyContext ctx = new PolicyContext(64512, Addresses.parse("10.99.0.11"));
    private final Path fromTor = new Path(Attrs.of().path(65001, 65100).communities(65001 << 16 | 7).set(), tor);

    private static Prefix p(String s) {
        return Prefix.parse(s);
    }

    @Test
    void prefixRangesHonourGeAndLe() {
        PrefixRange blocks = PrefixRange.parse("10.244.0.0/16 ge 26 le 32");
        assertThat(blocks.matches(p("10.244.1.0/26"))).isTrue();
        assertThat(blocks.matches(p("10.244.1.7/32"))).isTrue();
        assertThat(blocks.matches(p("10.244.0.0/24"))).isFalse();
        assertThat(blocks.matches(p("10.245.1.0/26"))).isFalse();
        assertThat(PrefixRange.parse("10.244.0.0/16").matches(p("10.244.0.0/16"))).isTrue();
        assertThat(PrefixRange.parse("10.244.0.0/16").matches(p("10.244.0.0/17"))).isFalse();
        assertThat(PrefixRange.parse("10.0.0.0/8+").matches(p("10.1.2.3/32"))).isTrue();
        assertThat(PrefixRange.parse("10.0.0.0/8 ge 24").matches(p("10.1.2.0/24"))).isTrue();
        assertThat(PrefixRange.parse("10.0.0.0/8 ge 24").matches(p("10.1.0.0/16"))).isFalse();
        assertThat(PrefixRange.parse("2001:db8::/32 le 64").matches(p("2001:db8:1::/48"))).isTrue();
        assertThat(PrefixRange.parse("10.0.0.0/8 le 32").matches(p("2001:db8:1::/48"))).isFalse();
        assertThatThrownBy(() -> PrefixRange.parse("10.0.0.0/16 le 8")).hasMessageContaining("ge <= le");
        assertThatThrownBy(() -> PrefixRange.parse("10.0.0.0/16 eq 8")).hasMessageContaining("expected ge or le");
    }

    @Test
    void firstMatchingTermDecidesAndActionsApply() {
        Policy pol = Policy.of("tor-in", Verdict.REJECT,
                Term.reject("no-defaults", Match.PrefixIn.of("0.0.0.0/0")),
                Term.accept("pods", List.of(Match.PrefixIn.of("10.244.0.0/16 ge 26 le 32")),
                        new Action.SetLocalPref(200), new Action.SetMed(5)));
        assertThat(pol.apply(p("0.0.0.0/0"), fromTor, ctx)).isEmpty();
        assertThat(pol.apply(p("192.168.0.0/24"), fromTor, ctx)).as("default reject").isEmpty();
        Path out = pol.apply(p("10.244.3.0/26"), fromTor, ctx).orElseThrow();
        assertThat(out.attrs().localPref()).isEqualTo(200);
        assertThat(out.attrs().med()).isEqualTo(5);
        assertThat(out.source()).isEqualTo(tor);
    }

    @Test
    void acceptAllReturnsTheSameObject() {
        assertThat(Policy.ACCEPT_ALL.apply(p("10.0.0.0/8"), fromTor, ctx)).containsSame(fromTor);
    }

    @Test
    void nextTermsChainChanges() {
        Policy pol = Policy.of("chain", Verdict.ACCEPT,
                new Term("tag", List.of(), List.of(new Action.SetCommunities(Mode.ADD, List.of(1, 2))), Verdict.NEXT),
                new Term("untag", List.of(new Match.Community(1)),
                        List.of(new Action.SetCommunities(Mode.REMOVE, List.of(65001 << 16 | 7, 1))), Verdict.NEXT));
        Path out = pol.apply(p("10.0.0.0/8"), fromTor, ctx).orElseThrow();
        assertThat(out.attrs().get(Communities.class).orElseThrow().values()).containsExactly(2);
    }

    @Test
    void communityActionsAddRemoveReplace() {
        var a = fromTor.attrs();
        assertThat(new Action.SetCommunities(Mode.REPLACE, List.of(9)).apply(a, ctx).get(Communities.class)
                .orElseThrow().values()).containsExactly(9);
        assertThat(new Action.SetCommunities(Mode.REMOVE, List.of(65001 << 16 | 7)).apply(a, ctx)
                .get(Communities.class)).as("empty attribute dropped").isEmpty();
        Large l = new Large(64512, 1, 2);
        var withLarge = new Action.SetLargeCommunities(Mode.ADD, List.of(l)).apply(a, ctx);
        assertThat(withLarge.get(LargeCommunities.class).orElseThrow().values()).containsExactly(l);
        assertThat(new Match.LargeCommunity(l).test(p("10.0.0.0/8"), fromTor.withAttrs(withLarge))).isTrue();
        assertThat(new Match.LargeCommunity(l).test(p("10.0.0.0/8"), fromTor)).isFalse();
        assertThat(Match.Community.of(65001, 7).test(p("10.0.0.0/8"), fromTor)).isTrue();
    }

    @Test
    void asPathMatches() {
        Prefix any = p("10.0.0.0/8");
        assertThat(Match.AsPathRegex.of("^65001 ").test(any, fromTor)).isTrue();
        assertThat(Match.AsPathRegex.of(" 65100$").test(any, fromTor)).isTrue();
        assertThat(Match.AsPathRegex.of("^$").test(any, fromTor)).isFalse();
        assertThat(new Match.AsPathContains(65100).test(any, fromTor)).isTrue();
        assertThat(new Match.OriginAs(65100).test(any, fromTor)).isTrue();
        assertThat(new Match.OriginAs(65001).test(any, fromTor)).isFalse();
        assertThat(new Match.NeighbourAs(65001).test(any, fromTor)).isTrue();
        assertThat(new Match.Not(new Match.NeighbourAs(65001)).test(any, fromTor)).isFalse();
    }

    @Test
    void prependAndNextHopActions() {
        var a = new Action.Prepend(0, 2).apply(fromTor.attrs(), ctx);
        assertThat(a.asPathString()).isEqualTo("64512 64512 65001 65100");
        assertThat(Action.SetNextHop.SELF.apply(a, ctx).nextHops()).containsExactly(Addresses.parse("10.99.0.11"));
        assertThat(new Action.SetNextHop(Addresses.parse("10.0.0.9")).apply(a, ctx).nextHops())
                .containsExactly(Addresses.parse("10.0.0.9"));
    }

    @Test
    void rfc8212DeniesEbgpWithoutPolicyButNotIbgp() {
        var e = PeerPolicies.forPeer(tor, Optional.empty(), Optional.empty());
        assertThat(e.importPolicy().apply(p("10.0.0.0/8"), fromTor, ctx)).isEmpty();
        assertThat(e.exportPolicy().apply(p("10.0.0.0/8"), fromTor, ctx)).isEmpty();
        var i = PeerPolicies.forPeer(Attrs.ibgp("10.99.0.12", "10.99.0.12"), Optional.empty(), Optional.empty());
        assertThat(i.importPolicy().apply(p("10.0.0.0/8"), fromTor, ctx)).isPresent();
        assertThat(PeerPolicies.allowAll().importPolicy().apply(p("10.0.0.0/8"), fromTor, ctx)).isPresent();
        var explicit = PeerPolicies.forPeer(tor, Optional.of(Policy.ACCEPT_ALL), Optional.empty());
        assertThat(explicit.importPolicy()).isEqualTo(Policy.ACCEPT_ALL);
        assertThat(explicit.exportPolicy()).isEqualTo(Policy.RFC8212_DENY);
    }

    @Test
    void maxPrefixWarnsThenCeasesWithRfc4486Data() {
        var mp = new MaxPrefix(100, 80, MaxPrefix.OnExceed.CEASE, Duration.ofSeconds(30));
        assertThat(mp.check(Family.IPV4_UNICAST, 10, 50)).isInstanceOf(MaxPrefix.Outcome.Within.class);
        assertThat(mp.check(Family.IPV4_UNICAST, 79, 80)).isInstanceOf(MaxPrefix.Outcome.Warn.class);
        assertThat(mp.check(Family.IPV4_UNICAST, 80, 81)).isInstanceOf(MaxPrefix.Outcome.Within.class);
        assertThat(mp.check(Family.IPV4_UNICAST, 100, 100)).isInstanceOf(MaxPrefix.Outcome.Within.class);
        var cease = (MaxPrefix.Outcome.Cease) mp.check(Family.IPV4_UNICAST, 100, 101);
        assertThat(cease.restartAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(cease.notification().code()).isEqualTo(6);
        assertThat(cease.notification().subcode()).isEqualTo(1);
        assertThat(cease.notification().data().hex()).isEqualTo("00010100000064");
        var warnOnly = new MaxPrefix(100, 0, MaxPrefix.OnExceed.WARN, Duration.ZERO);
        assertThat(warnOnly.check(Family.IPV4_UNICAST, 100, 150)).isInstanceOf(MaxPrefix.Outcome.Warn.class);
        assertThatThrownBy(() -> new MaxPrefix(0, 0, MaxPrefix.OnExceed.WARN, Duration.ZERO))
                .hasMessageContaining("limit");
    }
}
