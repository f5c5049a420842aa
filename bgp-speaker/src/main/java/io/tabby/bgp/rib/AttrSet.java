package io.tabby.bgp.rib;

import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.PathAttribute.AsPath;
import io.tabby.bgp.wire.PathAttribute.ClusterList;
import io.tabby.bgp.wire.PathAttribute.LocalPref;
import io.tabby.bgp.wire.PathAttribute.MpReach;
import io.tabby.bgp.wire.PathAttribute.MpUnreach;
import io.tabby.bgp.wire.PathAttribute.MultiExitDisc;
import io.tabby.bgp.wire.PathAttribute.NextHop;
import io.tabby.bgp.wire.PathAttribute.Origin;
import io.tabby.bgp.wire.PathAttribute.OriginatorId;
import io.tabby.bgp.wire.Prefix;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One immutable set of path attributes, shared (after {@link AttrInterner#intern}) by every
 * prefix that carries it: with 1M routes from a handful of peers there are a few thousand of
 * these, so what best path needs is decoded once here rather than once per route.
 *
 * <p>The set is kept address-family neutral: the attributes proper, sorted by type code, without
 * NEXT_HOP and MP_(UN)REACH_NLRI; the next hop(s) separately (one IPv4 or IPv6 address, or an
 * IPv6 global plus link-local). {@link #toWire} puts them back the way RFC 4271 / RFC 4760 want
 * them for a given family. Equality is by value; the hash is computed once.
 */
public final class AttrSet {
    /** RFC 4271 5.1.5: the conventional default degree of preference when LOCAL_PREF is absent. */
    public static final long DEFAULT_LOCAL_PREF = 100;

    public static final AttrSet EMPTY = new AttrSet(List.of(), List.of());

    private final List<PathAttribute> attributes;
    private final List<InetAddress> nextHops;
    private final int hash;
    // Decoded once for best path (RFC 4271 9.1.2.2); -1 where the attribute is absent.
    private final int origin;
    private final int asPathLength;
    private final long neighbourAs;
    private final long med;
    private final long localPref;
    private final long originatorId;
    private final int clusterListLength;

    private AttrSet(List<PathAttribute> sorted, List<InetAddress> nextHops) {
        this.attributes = sorted;
        this.nextHops = List.copyOf(nextHops);
        this.hash = 31 * sorted.hashCode() + this.nextHops.hashCode();
        int o = Origin.INCOMPLETE.value();
        int len = 0;
        long nas = -1;
        long m = -1;
        long lp = -1;
        long orig = -1;
        int cl = 0;
        for (PathAttribute a : sorted) {
            switch (a) {
                case Origin x -> o = x.value();
                case AsPath x -> {
                    len = x.pathLength();
                    nas = x.firstAs();
                }
                case MultiExitDisc x -> m = x.value();
                case LocalPref x -> lp = x.value();
                case OriginatorId x -> orig = Addresses.toLong(x.id());
                case ClusterList x -> cl = x.ids().size();
                default -> { }
            }
        }
        this.origin = o;
        this.asPathLength = len;
        this.neighbourAs = nas;
        this.med = m;
        this.localPref = lp;
        this.originatorId = orig;
        this.clusterListLength = cl;
    }

    /**
     * Builds a set from decoded UPDATE attributes: NEXT_HOP or MP_REACH_NLRI supply the next hop
     * (MP_REACH wins, RFC 4760 section 3), MP_UNREACH is dropped. Duplicates keep the last.
     */
    public static AttrSet of(List<PathAttribute> attrs) {
        List<InetAddress> nh = List.of();
        List<PathAttribute> rest = new ArrayList<>(attrs.size());
        boolean mp = false;
        for (PathAttribute a : attrs) {
            switch (a) {
                case NextHop n -> {
                    if (!mp) {
                        nh = List.of(n.address());
                    }
                }
                case MpReach r -> {
                    nh = r.nextHops();
                    mp = true;
                }
                case MpUnreach u -> { }
                default -> rest.add(a);
            }
        }
        return new AttrSet(sorted(rest), nh);
    }

    public static AttrSet of(List<PathAttribute> attrs, InetAddress nextHop) {
        return of(attrs).withNextHops(List.of(nextHop));
    }

    private static List<PathAttribute> sorted(List<PathAttribute> attrs) {
        var byCode = new java.util.TreeMap<Integer, PathAttribute>();
        for (PathAttribute a : attrs) {
            byCode.put(a.code(), a);
        }
        return List.copyOf(byCode.values());
    }

    // ---- accessors ---------------------------------------------------------------------------

    /** Attributes without NEXT_HOP and MP_*, sorted by type code. */
    public List<PathAttribute> attributes() {
        return attributes;
    }

    public List<InetAddress> nextHops() {
        return nextHops;
    }

    /** The first next hop (the global one for IPv6), if any. */
    public Optional<InetAddress> nextHop() {
        return nextHops.isEmpty() ? Optional.empty() : Optional.of(nextHops.getFirst());
    }

    public <A extends PathAttribute> Optional<A> get(Class<A> type) {
        for (PathAttribute a : attributes) {
            if (type.isInstance(a)) {
                return Optional.of(type.cast(a));
            }
        }
        return Optional.empty();
    }

    public AsPath asPath() {
        return get(AsPath.class).orElse(AsPath.EMPTY);
    }

    /** ORIGIN value (0 IGP, 1 EGP, 2 INCOMPLETE); INCOMPLETE when absent. */
    public int origin() {
        return origin;
    }

    public int asPathLength() {
        return asPathLength;
    }

    /** The neighbouring AS the route came through (leftmost AS of the path), or -1 for local routes. */
    public long neighbourAs() {
        return neighbourAs;
    }

    /** MULTI_EXIT_DISC, or -1 when absent. */
    public long med() {
        return med;
    }

    /** LOCAL_PREF, or -1 when absent. */
    public long localPref() {
        return localPref;
    }

    /** LOCAL_PREF, or the default 100 when absent (as BIRD and FRR assume). */
    public long effectiveLocalPref() {
        return localPref < 0 ? DEFAULT_LOCAL_PREF : localPref;
    }

    /** ORIGINATOR_ID as an unsigned 32-bit value, or -1. */
    public long originatorId() {
        return originatorId;
    }

    public int clusterListLength() {
        return clusterListLength;
    }

    // ---- derived sets ------------------------------------------------------------------------

    /** This set with {@code a} added or replacing the attribute of the same type code. */
    public AttrSet with(PathAttribute a) {
        if (a instanceof NextHop n) {
            return withNextHops(List.of(n.address()));
        }
        if (a instanceof MpReach || a instanceof MpUnreach) {
            throw new IllegalArgumentException("MP_REACH/MP_UNREACH are built by toWire, not stored: " + a);
        }
        List<PathAttribute> out = new ArrayList<>(attributes.size() + 1);
        boolean placed = false;
        for (PathAttribute x : attributes) {
            if (!placed && x.code() >= a.code()) {
                out.add(a);
                placed = true;
                if (x.code() == a.code()) {
                    continue;
                }
            }
            out.add(x);
        }
        if (!placed) {
            out.add(a);
        }
        return new AttrSet(List.copyOf(out), nextHops);
    }

    /** This set without the attribute of {@code code}; the same object when it has none. */
    public AttrSet without(int code) {
        if (attributes.stream().noneMatch(a -> a.code() == code)) {
            return this;
        }
        return new AttrSet(attributes.stream().filter(a -> a.code() != code).toList(), nextHops);
    }

    public AttrSet withNextHops(List<InetAddress> hops) {
        return hops.equals(nextHops) ? this : new AttrSet(attributes, hops);
    }

    /**
     * The attribute list of an UPDATE announcing {@code nlri} of {@code family} with this set:
     * classic NEXT_HOP for IPv4 unicast with an IPv4 next hop (RFC 4271), MP_REACH_NLRI
     * otherwise (RFC 4760; IPv4 NLRI with an IPv6 next hop is RFC 8950). Sorted by type code.
     */
    public List<PathAttribute> toWire(Family family, List<Prefix> nlri) {
        PathAttribute extra;
        if (family.equals(Family.IPV4_UNICAST) && nextHops.size() == 1 && nextHops.getFirst() instanceof Inet4Address a) {
            extra = new NextHop(a);
        } else {
            extra = new MpReach(family, nextHops, nlri);
        }
        List<PathAttribute> out = new ArrayList<>(attributes.size() + 1);
        out.addAll(attributes);
        out.add(extra);
        out.sort(Comparator.comparingInt(PathAttribute::code));
        return out;
    }

    /** True when {@link #toWire} puts the NLRI inside MP_REACH_NLRI rather than the UPDATE's NLRI field. */
    public boolean usesMpReach(Family family) {
        return !(family.equals(Family.IPV4_UNICAST) && nextHops.size() == 1 && nextHops.getFirst() instanceof Inet4Address);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof AttrSet s && s.hash == hash && s.attributes.equals(attributes)
                && s.nextHops.equals(nextHops);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        var sb = new StringBuilder("{");
        nextHop().ifPresent(n -> sb.append("nh=").append(n.getHostAddress()).append(' '));
        sb.append("path=").append(asPathString());
        sb.append(" origin=").append(switch (origin) { case 0 -> "i"; case 1 -> "e"; default -> "?"; });
        if (localPref >= 0) {
            sb.append(" lp=").append(localPref);
        }
        if (med >= 0) {
            sb.append(" med=").append(med);
        }
        return sb.append('}').toString();
    }

    /** AS_PATH as BIRD and FRR print it: sequences space separated, sets in braces. */
    public String asPathString() {
        var sb = new StringBuilder();
        for (PathAttribute.Segment s : asPath().segments()) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            String body = s.asns().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" "));
            sb.append(switch (s.type()) {
                case PathAttribute.Segment.AS_SET -> "{" + body + "}";
                case PathAttribute.Segment.AS_CONFED_SEQUENCE -> "(" + body + ")";
                case PathAttribute.Segment.AS_CONFED_SET -> "[" + body + "]";
                default -> body;
            });
        }
        return sb.toString();
    }
}
