package io.tabby.bgp.server;

import io.tabby.bgp.session.Negotiated;
import io.tabby.bgp.wire.BgpCodec;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.wire.WireContext;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure: the UPDATEs that announce our originated routes to one peer, packed under the
 * negotiated message size and grouped by identical attribute sets (as BIRD's buckets do), then
 * one End-of-RIB per family (RFC 4724 section 2).
 *
 * <p>Attributes: ORIGIN IGP; AS_PATH empty towards iBGP, our AS towards eBGP (RFC 4271 5.1.2);
 * LOCAL_PREF only towards iBGP (default 100); next hop self: our address on the session, the
 * route's configured next hop, or for IPv4 routes over an IPv6 session with RFC 8950 negotiated,
 * our IPv6 address in MP_REACH_NLRI. IPv4 over an IPv4 session uses the classic NLRI field.
 */
public final class Advertiser {
    private Advertiser() {}

    /** A route to originate. Null fields take the defaults above. */
    public record Route(Prefix prefix, List<Integer> communities, Long med, Long localPref, InetAddress nextHop) {
        public Route {
            communities = List.copyOf(communities);
        }
    }

    /** Why a route could not be sent to this peer; for the log. */
    public record Skipped(Prefix prefix, String why) {}

    public record Plan(List<Update> updates, List<Skipped> skipped) {}

    public static Plan initial(List<Route> routes, long localAs, Negotiated n, InetAddress local) {
        WireContext tx = n.tx();
        Map<List<PathAttribute>, List<Prefix>> classic = new LinkedHashMap<>();
        Map<List<PathAttribute>, Map<InetAddress, List<Prefix>>> mp = new LinkedHashMap<>();
        Map<List<PathAttribute>, Family> mpFamily = new LinkedHashMap<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Route r : routes) {
            Family f = r.prefix().family();
            if (!n.families().contains(f)) {
                skipped.add(new Skipped(r.prefix(), f + " not negotiated"));
                continue;
            }
            List<PathAttribute> attrs = attributes(r, localAs, n);
            Prefix p = tx.addPath(f) ? r.prefix().withPathId(1) : r.prefix();
            InetAddress nh = r.nextHop() != null ? r.nextHop() : local;
            if (f.equals(Family.IPV4_UNICAST) && nh instanceof Inet4Address v4) {
                List<PathAttribute> withNh = new ArrayList<>(attrs);
                withNh.add(new PathAttribute.NextHop(v4));
                classic.computeIfAbsent(List.copyOf(withNh), k -> new ArrayList<>()).add(p);
            } else if (f.equals(Family.IPV4_UNICAST) && nh instanceof Inet6Address && n.extendedNextHop().contains(f)) {
                mp.computeIfAbsent(attrs, k -> new LinkedHashMap<>()).computeIfAbsent(nh, k -> new ArrayList<>()).add(p);
                mpFamily.put(attrs, f);
            } else if (f.equals(Family.IPV6_UNICAST) && nh instanceof Inet6Address) {
                mp.computeIfAbsent(attrs, k -> new LinkedHashMap<>()).computeIfAbsent(nh, k -> new ArrayList<>()).add(p);
                mpFamily.put(attrs, f);
            } else {
                skipped.add(new Skipped(r.prefix(), "no usable next hop (" + nh.getHostAddress() + ") for " + f
                        + (f.equals(Family.IPV4_UNICAST) ? " without the extended next hop capability" : "")));
            }
        }
        List<Update> out = new ArrayList<>();
        int budget = tx.maxLength() - BgpCodec.HEADER_LENGTH - 4;
        classic.forEach((attrs, prefixes) -> {
            int room = budget - BgpCodec.attributesSize(attrs, tx);
            for (List<Prefix> chunk : pack(prefixes, room, tx)) {
                out.add(new Update(List.of(), attrs, chunk));
            }
        });
        mp.forEach((attrs, byNextHop) -> byNextHop.forEach((nh, prefixes) -> {
            Family f = mpFamily.get(attrs).equals(Family.IPV4_UNICAST) && nh instanceof Inet6Address
                    ? Family.IPV4_UNICAST : prefixes.getFirst().family();
            int room = budget - BgpCodec.attributesSize(attrs, tx) - (4 + 5 + nh.getAddress().length);
            for (List<Prefix> chunk : pack(prefixes, room, tx)) {
                List<PathAttribute> all = new ArrayList<>(attrs);
                all.add(new PathAttribute.MpReach(f, List.of(nh), chunk));
                out.add(new Update(List.of(), all, List.of()));
            }
        }));
        n.families().stream().sorted((a, b) -> a.afi() - b.afi()).forEach(f -> out.add(Update.endOfRib(f)));
        return new Plan(out, skipped);
    }

    static List<PathAttribute> attributes(Route r, long localAs, Negotiated n) {
        List<PathAttribute> a = new ArrayList<>();
        a.add(PathAttribute.Origin.IGP);
        a.add(n.internal() ? PathAttribute.AsPath.EMPTY
                : new PathAttribute.AsPath(List.of(PathAttribute.Segment.sequence(localAs))));
        if (r.med() != null) {
            a.add(new PathAttribute.MultiExitDisc(r.med()));
        }
        if (n.internal()) {
            a.add(new PathAttribute.LocalPref(r.localPref() == null ? 100 : r.localPref()));
        }
        if (!r.communities().isEmpty()) {
            a.add(new PathAttribute.Communities(r.communities()));
        }
        return List.copyOf(a);
    }

    private static List<List<Prefix>> pack(List<Prefix> prefixes, int room, WireContext tx) {
        List<List<Prefix>> chunks = new ArrayList<>();
        List<Prefix> cur = new ArrayList<>();
        int used = 0;
        for (Prefix p : prefixes) {
            int size = BgpCodec.prefixSize(p, tx);
            if (used + size > room && !cur.isEmpty()) {
                chunks.add(cur);
                cur = new ArrayList<>();
                used = 0;
            }
            cur.add(p);
            used += size;
        }
        if (!cur.isEmpty()) {
            chunks.add(cur);
        }
        return chunks;
    }

    /** The UPDATEs of a plan that carry {@code family}, without End-of-RIB markers (for route refresh). */
    public static List<Update> forFamily(List<Update> updates, Family family) {
        return updates.stream().filter(u -> u.endOfRib().isEmpty()).filter(u -> {
            var mp = u.attribute(PathAttribute.MpReach.class);
            return mp.map(m -> m.family().equals(family)).orElse(family.equals(Family.IPV4_UNICAST));
        }).toList();
    }
}
