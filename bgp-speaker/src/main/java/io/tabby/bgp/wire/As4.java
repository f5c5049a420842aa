package io.tabby.bgp.wire;

import io.tabby.bgp.wire.PathAttribute.Aggregator;
import io.tabby.bgp.wire.PathAttribute.As4Aggregator;
import io.tabby.bgp.wire.PathAttribute.As4Path;
import io.tabby.bgp.wire.PathAttribute.AsPath;
import io.tabby.bgp.wire.PathAttribute.Segment;
import java.util.ArrayList;
import java.util.List;

/**
 * The 2-octet / 4-octet AS interplay of RFC 6793, as pure functions over attribute lists. The
 * codec itself only writes and reads what is on the wire; the session applies {@link #merge}
 * on receipt and {@link #split} before sending, knowing whether the peer is a "NEW" speaker.
 */
public final class As4 {
    private As4() {}

    /**
     * What a NEW speaker keeps from a received attribute list. From a NEW peer, AS4_PATH and
     * AS4_AGGREGATOR are discarded (RFC 6793 4.1). From an OLD peer they are merged
     * (section 4.2.3): if AGGREGATOR carries a real AS, both AS4 attributes are ignored;
     * otherwise AS4_AGGREGATOR replaces it; AS4_PATH replaces the trailing part of AS_PATH when
     * it is not longer than AS_PATH.
     */
    public static List<PathAttribute> merge(List<PathAttribute> attrs, boolean peerFourOctet) {
        As4Path as4Path = null;
        As4Aggregator as4Agg = null;
        AsPath asPath = null;
        Aggregator agg = null;
        for (PathAttribute a : attrs) {
            switch (a) {
                case As4Path p -> as4Path = p;
                case As4Aggregator g -> as4Agg = g;
                case AsPath p -> asPath = p;
                case Aggregator g -> agg = g;
                default -> { }
            }
        }
        if (as4Path == null && as4Agg == null) {
            return attrs;
        }
        final boolean ignore = peerFourOctet || (agg != null && agg.as() != BgpMessage.Open.AS_TRANS);
        final As4Path p4 = as4Path;
        final As4Aggregator g4 = as4Agg;
        List<PathAttribute> out = new ArrayList<>(attrs.size());
        for (PathAttribute a : attrs) {
            switch (a) {
                case As4Path p -> { }
                case As4Aggregator g -> { }
                case Aggregator g when !ignore && g4 != null -> out.add(new Aggregator(g4.as(), g4.address()));
                case AsPath p when !ignore && p4 != null -> out.add(mergePath(p, p4));
                default -> out.add(a);
            }
        }
        return List.copyOf(out);
    }

    /** RFC 6793 4.2.3: leading (|AS_PATH| - |AS4_PATH|) ASNs of AS_PATH, then AS4_PATH. */
    static AsPath mergePath(AsPath asPath, As4Path as4Path) {
        // Confederation segments in AS4_PATH are not allowed (section 6) and are dropped.
        List<Segment> as4 = as4Path.segments().stream()
                .filter(s -> s.type() == Segment.AS_SEQUENCE || s.type() == Segment.AS_SET).toList();
        int n4 = new AsPath(as4).pathLength();
        int n2 = asPath.pathLength();
        if (n2 < n4) {
            return asPath; // AS4_PATH is ignored when longer than AS_PATH
        }
        int keep = n2 - n4;
        List<Segment> out = new ArrayList<>();
        for (Segment s : asPath.segments()) {
            if (keep == 0) {
                break;
            }
            if (s.type() == Segment.AS_SEQUENCE && s.asns().size() > keep) {
                out.add(new Segment(Segment.AS_SEQUENCE, s.asns().subList(0, keep)));
                keep = 0;
            } else {
                out.add(s);
                keep -= s.pathLength();
            }
        }
        // Join a trailing sequence with a leading AS4 sequence so the path reads as one.
        List<Segment> tail = new ArrayList<>(as4);
        if (!out.isEmpty() && !tail.isEmpty() && out.getLast().type() == Segment.AS_SEQUENCE
                && tail.getFirst().type() == Segment.AS_SEQUENCE
                && out.getLast().asns().size() + tail.getFirst().asns().size() <= 255) {
            List<Long> joined = new ArrayList<>(out.removeLast().asns());
            joined.addAll(tail.removeFirst().asns());
            out.add(new Segment(Segment.AS_SEQUENCE, joined));
        }
        out.addAll(tail);
        return new AsPath(out);
    }

    /**
     * What to send to an OLD peer (RFC 6793 4.2.2): AS_PATH and AGGREGATOR as they are (the
     * encoder writes AS_TRANS for non-mappable ASNs), plus AS4_PATH / AS4_AGGREGATOR carrying the
     * real numbers, only when some AS does not fit in two octets.
     */
    public static List<PathAttribute> split(List<PathAttribute> attrs) {
        List<PathAttribute> out = new ArrayList<>(attrs.size() + 2);
        for (PathAttribute a : attrs) {
            switch (a) {
                case As4Path p -> { }
                case As4Aggregator g -> { }
                case AsPath p -> {
                    out.add(p);
                    boolean big = p.segments().stream().flatMap(s -> s.asns().stream()).anyMatch(as -> as > 0xffff);
                    if (big) {
                        out.add(new As4Path(p.segments().stream()
                                .filter(s -> s.type() == Segment.AS_SEQUENCE || s.type() == Segment.AS_SET).toList()));
                    }
                }
                case Aggregator g when g.as() > 0xffff -> {
                    out.add(new Aggregator(BgpMessage.Open.AS_TRANS, g.address()));
                    out.add(new As4Aggregator(g.as(), g.address()));
                }
                default -> out.add(a);
            }
        }
        return List.copyOf(out);
    }
}
