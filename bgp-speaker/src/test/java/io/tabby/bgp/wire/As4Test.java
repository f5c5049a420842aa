package io.tabby.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.wire.PathAttribute.Aggregator;
import io.tabby.bgp.wire.PathAttribute.As4Aggregator;
import io.tabby.bgp.wire.PathAttribute.As4Path;
import io.tabby.bgp.wire.PathAttribute.AsPath;
import io.tabby.bgp.wire.PathAttribute.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6793 section 4.2.3 reconstruction and 4.2.2 splitting. */
class As4Test {
    static final long T = BgpMessage.Open.AS_TRANS;

    @Test
    void oldPeerPathIsMergedWithAs4Path() {
        // The OLD speaker 65002 prepended itself to a path that crossed 4200000001 and 65001.
        var attrs = List.<PathAttribute>of(PathAttribute.Origin.IGP,
                new AsPath(List.of(Segment.sequence(65002, T, 65001))),
                new As4Path(List.of(Segment.sequence(4200000001L, 65001))));
        var merged = As4.merge(attrs, false);
        assertThat(merged).containsExactly(PathAttribute.Origin.IGP,
                new AsPath(List.of(Segment.sequence(65002, 4200000001L, 65001))));
    }

    @Test
    void longerAs4PathIsIgnored() {
        var asPath = new AsPath(List.of(Segment.sequence(65002)));
        var merged = As4.merge(List.of(asPath, new As4Path(List.of(Segment.sequence(1, 2, 3)))), false);
        assertThat(merged).containsExactly(asPath);
    }

    @Test
    void aggregatorWithRealAsMeansAs4AttributesAreIgnored() {
        var addr = Addresses.parse4("192.0.2.1");
        var asPath = new AsPath(List.of(Segment.sequence(65002, T)));
        var merged = As4.merge(List.of(asPath, new Aggregator(65002, addr), new As4Path(List.of(Segment.sequence(7))),
                new As4Aggregator(4200000001L, addr)), false);
        assertThat(merged).containsExactly(asPath, new Aggregator(65002, addr));
        var replaced = As4.merge(List.of(asPath, new Aggregator(T, addr), new As4Aggregator(4200000001L, addr)), false);
        assertThat(replaced).containsExactly(asPath, new Aggregator(4200000001L, addr));
    }

    @Test
    void newPeerAs4AttributesAreDiscarded() {
        var asPath = new AsPath(List.of(Segment.sequence(4200000001L)));
        assertThat(As4.merge(List.of(asPath, new As4Path(List.of(Segment.sequence(1)))), true)).containsExactly(asPath);
    }

    @Test
    void splitAddsAs4AttributesOnlyWhenNeeded() {
        var addr = Addresses.parse4("192.0.2.1");
        var small = new AsPath(List.of(Segment.sequence(65001, 65002)));
        assertThat(As4.split(List.of(small))).containsExactly(small);
        var big = new AsPath(List.of(Segment.sequence(4200000001L, 65001),
                new Segment(Segment.AS_CONFED_SEQUENCE, List.of(64512L))));
        assertThat(As4.split(List.of(big, new Aggregator(4200000001L, addr)))).containsExactly(big,
                new As4Path(List.of(Segment.sequence(4200000001L, 65001))),
                new Aggregator(T, addr), new As4Aggregator(4200000001L, addr));
    }

    @Test
    void splitThenEncodeForOldPeerThenMergeRestoresThePath() {
        var addr = Addresses.parse4("192.0.2.1");
        var original = List.<PathAttribute>of(PathAttribute.Origin.IGP,
                new AsPath(List.of(Segment.sequence(4200000001L, 65001, 4200000002L))),
                new PathAttribute.NextHop(addr), new Aggregator(4200000003L, addr));
        var sent = new BgpMessage.Update(List.of(), As4.split(original), List.of(Prefix.parse("10.0.0.0/8")));
        var received = (BgpMessage.Update) RoundTripTest.roundTripLossy(sent, WireContext.INITIAL);
        assertThat(As4.merge(received.attributes(), false)).containsExactlyElementsOf(original);
    }
}
