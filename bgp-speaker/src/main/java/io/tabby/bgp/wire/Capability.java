package io.tabby.bgp.wire;

import java.util.List;

/**
 * A BGP capability (RFC 5492) as carried in the OPEN's Capabilities optional parameter. Codes
 * are the IANA "Capability Codes"; a capability we do not know is kept as {@link Unknown} so it
 * can be logged and compared, never an error (RFC 5492 section 3).
 */
public sealed interface Capability {
    int code();

    /** RFC 4760 section 8: Multiprotocol Extensions, one per AFI/SAFI. */
    record Multiprotocol(Family family) implements Capability {
        public int code() {
            return 1;
        }
    }

    /** RFC 2918. */
    record RouteRefresh() implements Capability {
        public int code() {
            return 2;
        }
    }

    /** RFC 8950 section 3 (was 5549): which NLRI AFI/SAFI may carry a next hop of {@code nextHopAfi}. */
    record ExtendedNextHop(List<Tuple> tuples) implements Capability {
        public record Tuple(Family nlri, int nextHopAfi) {}

        public ExtendedNextHop {
            tuples = List.copyOf(tuples);
        }

        public int code() {
            return 5;
        }
    }

    /** RFC 8654: messages up to 65535 octets once both sides advertise it. */
    record ExtendedMessage() implements Capability {
        public int code() {
            return 6;
        }
    }

    /** RFC 4724 section 3: restart flags (R, N), restart time (12 bits) and per-family forwarding bit. */
    record GracefulRestart(boolean restarted, boolean notification, int restartTime, List<GrFamily> families)
            implements Capability {
        public record GrFamily(Family family, boolean forwardingPreserved) {}

        public GracefulRestart {
            families = List.copyOf(families);
            if (restartTime < 0 || restartTime > 0xfff) {
                throw new IllegalArgumentException("restart time is 12 bits: " + restartTime);
            }
        }

        public int code() {
            return 64;
        }

        /** The same capability with the Restart State bit set or cleared. */
        public GracefulRestart withRestarted(boolean r) {
            return new GracefulRestart(r, notification, restartTime, families);
        }

        /** Only the entries for {@code keep}, in order. */
        public GracefulRestart onlyFamilies(java.util.Collection<Family> keep) {
            return new GracefulRestart(restarted, notification, restartTime,
                    families.stream().filter(f -> keep.contains(f.family())).toList());
        }

        /** True if the entry for {@code f} is present with the Forwarding State bit set. */
        public boolean forwardingPreserved(Family f) {
            return families.stream().anyMatch(g -> g.family().equals(f) && g.forwardingPreserved());
        }
    }

    /** RFC 6793 section 3: the speaker's real AS number. */
    record FourOctetAs(long as) implements Capability {
        public int code() {
            return 65;
        }
    }

    /** RFC 7911 section 4: per family, 1 = receive, 2 = send, 3 = both. */
    record AddPath(List<Entry> entries) implements Capability {
        public static final int RECEIVE = 1;
        public static final int SEND = 2;
        public static final int BOTH = 3;

        public record Entry(Family family, int sendReceive) {}

        public AddPath {
            entries = List.copyOf(entries);
        }

        public int code() {
            return 69;
        }
    }

    /** RFC 7313. */
    record EnhancedRouteRefresh() implements Capability {
        public int code() {
            return 70;
        }
    }

    /** Anything else (FQDN 73, Cisco route refresh 128, BGP role 9, ...), kept verbatim. */
    record Unknown(int code, Bytes value) implements Capability {}
}
