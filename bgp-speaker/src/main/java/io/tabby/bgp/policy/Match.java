package io.tabby.bgp.policy;

import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.rib.Path;
import io.tabby.bgp.wire.PathAttribute.Communities;
import io.tabby.bgp.wire.PathAttribute.LargeCommunities;
import io.tabby.bgp.wire.PathAttribute.LargeCommunities.Large;
import io.tabby.bgp.wire.Prefix;
import java.util.List;
import java.util.regex.Pattern;

/** A condition of a policy {@link Term}. All conditions of a term must hold. */
public sealed interface Match {
    boolean test(Prefix prefix, Path path);

    /** Any range of the list matches. */
    record PrefixIn(List<PrefixRange> ranges) implements Match {
        public PrefixIn {
            ranges = List.copyOf(ranges);
        }

        public static PrefixIn of(String... ranges) {
            return new PrefixIn(java.util.Arrays.stream(ranges).map(PrefixRange::parse).toList());
        }

        public boolean test(Prefix prefix, Path path) {
            for (PrefixRange r : ranges) {
                if (r.matches(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Carries the RFC 1997 community {@code asn:value}. */
    record Community(int value) implements Match {
        public static Community of(int asn, int value) {
            return new Community(asn << 16 | (value & 0xffff));
        }

        public boolean test(Prefix prefix, Path path) {
            return path.attrs().get(Communities.class).map(c -> c.values().contains(value)).orElse(false);
        }
    }

    /** Carries the RFC 8092 large community. */
    record LargeCommunity(Large value) implements Match {
        public boolean test(Prefix prefix, Path path) {
            return path.attrs().get(LargeCommunities.class).map(c -> c.values().contains(value)).orElse(false);
        }
    }

    /**
     * The AS path, written as {@link AttrSet#asPathString()} prints it ("65001 65002 {7 8}"),
     * matches the regular expression somewhere ({@code find}). Anchor with ^ and $ as needed:
     * {@code ^65001 } (learned from 65001), {@code  64512$} (originated by 64512), {@code ^$} (ours).
     */
    record AsPathRegex(Pattern regex) implements Match {
        public static AsPathRegex of(String regex) {
            return new AsPathRegex(Pattern.compile(regex));
        }

        public boolean test(Prefix prefix, Path path) {
            return regex.matcher(path.attrs().asPathString()).find();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AsPathRegex r && r.regex.pattern().equals(regex.pattern());
        }

        @Override
        public int hashCode() {
            return regex.pattern().hashCode();
        }
    }

    /** The AS path contains {@code as} anywhere. */
    record AsPathContains(long as) implements Match {
        public boolean test(Prefix prefix, Path path) {
            return path.attrs().asPath().contains(as);
        }
    }

    /** The route was originated by {@code as} (last AS of the path). */
    record OriginAs(long as) implements Match {
        public boolean test(Prefix prefix, Path path) {
            var segs = path.attrs().asPath().segments();
            if (segs.isEmpty()) {
                return false;
            }
            var last = segs.getLast().asns();
            return !last.isEmpty() && last.getLast() == as;
        }
    }

    /** The route came through neighbouring AS {@code as} (first AS of the path). */
    record NeighbourAs(long as) implements Match {
        public boolean test(Prefix prefix, Path path) {
            return path.attrs().neighbourAs() == as;
        }
    }

    /** The negation of another condition. */
    record Not(Match inner) implements Match {
        public boolean test(Prefix prefix, Path path) {
            return !inner.test(prefix, path);
        }
    }
}
