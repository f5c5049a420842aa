package io.tabby.bgp.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * UPDATE path attributes (RFC 4271 section 5 and the RFCs named on each record) as values. The
 * type codes, flags and byte layouts are one table, {@link AttributeCodec}.
 */
public sealed interface PathAttribute {
    int OPTIONAL = 0x80;
    int TRANSITIVE = 0x40;
    int PARTIAL = 0x20;
    int EXTENDED_LENGTH = 0x10;

    int code();

    /** RFC 4271 5.1.1: 0 IGP, 1 EGP, 2 INCOMPLETE. */
    record Origin(int value) implements PathAttribute {
        public static final Origin IGP = new Origin(0);
        public static final Origin EGP = new Origin(1);
        public static final Origin INCOMPLETE = new Origin(2);

        public int code() {
            return 1;
        }
    }

    /** One AS_PATH / AS4_PATH segment; types from RFC 4271 4.3 and RFC 5065 section 3. */
    record Segment(int type, List<Long> asns) {
        public static final int AS_SET = 1;
        public static final int AS_SEQUENCE = 2;
        public static final int AS_CONFED_SEQUENCE = 3;
        public static final int AS_CONFED_SET = 4;

        public Segment {
            asns = List.copyOf(asns);
        }

        public static Segment sequence(long... asns) {
            return new Segment(AS_SEQUENCE, java.util.Arrays.stream(asns).boxed().toList());
        }

        /** Path length contribution for best path (RFC 4271 9.1.2.2 a): a set counts 1, confed 0. */
        public int pathLength() {
            return switch (type) {
                case AS_SEQUENCE -> asns.size();
                case AS_SET -> 1;
                default -> 0;
            };
        }
    }

    /** RFC 4271 5.1.2; encoded with 2- or 4-octet ASNs as negotiated (RFC 6793). */
    record AsPath(List<Segment> segments) implements PathAttribute {
        public static final AsPath EMPTY = new AsPath(List.of());

        public AsPath {
            segments = List.copyOf(segments);
        }

        public int code() {
            return 2;
        }

        public int pathLength() {
            return segments.stream().mapToInt(Segment::pathLength).sum();
        }

        /** The leftmost AS of the first AS_SEQUENCE, or -1. */
        public long firstAs() {
            return !segments.isEmpty() && segments.getFirst().type() == Segment.AS_SEQUENCE
                    && !segments.getFirst().asns().isEmpty() ? segments.getFirst().asns().getFirst() : -1;
        }

        /** A new path with {@code as} prepended, as an eBGP speaker does when advertising (RFC 4271 5.1.2). */
        public AsPath prepend(long as) {
            var out = new java.util.ArrayList<Segment>();
            if (!segments.isEmpty() && segments.getFirst().type() == Segment.AS_SEQUENCE
                    && segments.getFirst().asns().size() < 255) {
                var asns = new java.util.ArrayList<Long>();
                asns.add(as);
                asns.addAll(segments.getFirst().asns());
                out.add(new Segment(Segment.AS_SEQUENCE, asns));
                out.addAll(segments.subList(1, segments.size()));
            } else {
                out.add(Segment.sequence(as));
                out.addAll(segments);
            }
            return new AsPath(out);
        }

        public boolean contains(long as) {
            return segments.stream().anyMatch(s -> s.asns().contains(as));
        }
    }

    /** RFC 4271 5.1.3. */
    record NextHop(Inet4Address address) implements PathAttribute {
        public int code() {
            return 3;
        }
    }

    /** RFC 4271 5.1.4. */
    record MultiExitDisc(long value) implements PathAttribute {
        public int code() {
            return 4;
        }
    }

    /** RFC 4271 5.1.5 (iBGP only). */
    record LocalPref(long value) implements PathAttribute {
        public int code() {
            return 5;
        }
    }

    /** RFC 4271 5.1.6. */
    record AtomicAggregate() implements PathAttribute {
        public int code() {
            return 6;
        }
    }

    /** RFC 4271 5.1.7; the AS is 2 or 4 octets on the wire as negotiated. */
    record Aggregator(long as, Inet4Address address) implements PathAttribute {
        public int code() {
            return 7;
        }
    }

    /** RFC 1997: each community is a 32-bit value (AS:value). */
    record Communities(List<Integer> values) implements PathAttribute {
        public Communities {
            values = List.copyOf(values);
        }

        public int code() {
            return 8;
        }
    }

    /** RFC 4456 section 8. */
    record OriginatorId(Inet4Address id) implements PathAttribute {
        public int code() {
            return 9;
        }
    }

    /** RFC 4456 section 8. */
    record ClusterList(List<Inet4Address> ids) implements PathAttribute {
        public ClusterList {
            ids = List.copyOf(ids);
        }

        public int code() {
            return 10;
        }
    }

    /**
     * RFC 4760 section 3. {@code nextHops} holds one address, or an IPv6 global plus link-local
     * (next hop length 32). IPv4 NLRI may carry IPv6 next hops under RFC 8950.
     */
    record MpReach(Family family, List<InetAddress> nextHops, List<Prefix> nlri) implements PathAttribute {
        public MpReach {
            nextHops = List.copyOf(nextHops);
            nlri = List.copyOf(nlri);
        }

        public int code() {
            return 14;
        }
    }

    /** RFC 4760 section 4. */
    record MpUnreach(Family family, List<Prefix> withdrawn) implements PathAttribute {
        public MpUnreach {
            withdrawn = List.copyOf(withdrawn);
        }

        public int code() {
            return 15;
        }
    }

    /** RFC 4360: each extended community is 8 octets, kept as a long. */
    record ExtendedCommunities(List<Long> values) implements PathAttribute {
        public ExtendedCommunities {
            values = List.copyOf(values);
        }

        public int code() {
            return 16;
        }
    }

    /** RFC 6793 section 3: the 4-octet path beside a 2-octet AS_PATH. */
    record As4Path(List<Segment> segments) implements PathAttribute {
        public As4Path {
            segments = List.copyOf(segments);
        }

        public int code() {
            return 17;
        }
    }

    /** RFC 6793 section 3. */
    record As4Aggregator(long as, Inet4Address address) implements PathAttribute {
        public int code() {
            return 18;
        }
    }

    /** RFC 8092: (global administrator, local data 1, local data 2), each 32 bits unsigned. */
    record LargeCommunities(List<Large> values) implements PathAttribute {
        public record Large(long global, long local1, long local2) {}

        public LargeCommunities {
            values = List.copyOf(values);
        }

        public int code() {
            return 32;
        }
    }

    /**
     * An attribute we do not understand. Optional transitive ones are kept and passed on with the
     * Partial bit set (RFC 4271 5 and 9.1.3); optional non-transitive ones are dropped by the
     * decoder and never appear here.
     */
    record Unknown(int flags, int code, Bytes value) implements PathAttribute {
        /** The same attribute as it must be re-advertised: Partial set (RFC 4271 section 5). */
        public Unknown passedOn() {
            return new Unknown(flags | PARTIAL, code, value);
        }
    }
}
