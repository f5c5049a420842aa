package io.tabby.bgp.server;

import io.tabby.bgp.session.Negotiated;
import io.tabby.bgp.session.PeerSession;
import io.tabby.bgp.session.Reason;
import io.tabby.bgp.session.SessionListener;
import io.tabby.bgp.wire.BgpMessage;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.Prefix;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Part 1's routing layer: the routes each peer announced (an Adj-RIB-In per peer, no best path
 * yet) and the originated routes sent to each peer when its session comes up or asks for a
 * refresh. Written only on the peers' event loops; read by anyone (concurrent maps), so tests
 * and the CLI can look at it. Part 2's RIB replaces this class behind {@link SessionListener}.
 */
public final class RouteTable implements SessionListener {
    private static final Logger log = LoggerFactory.getLogger(RouteTable.class);

    /** One received route: the attributes as received (RFC 6793-merged) and the next hop. */
    public record Route(Prefix prefix, List<PathAttribute> attributes, InetAddress nextHop) {
        public <A extends PathAttribute> java.util.Optional<A> attribute(Class<A> type) {
            return attributes.stream().filter(type::isInstance).map(type::cast).findFirst();
        }
    }

    private final long localAs;
    private final List<Advertiser.Route> originate;
    private final Map<String, Map<Prefix, Route>> received = new ConcurrentHashMap<>();
    /** Routes marked stale by a peer's BoRR, purged at its EoRR unless re-announced (RFC 7313 section 4). */
    private final Map<String, java.util.Set<Prefix>> stale = new ConcurrentHashMap<>();

    public RouteTable(long localAs, List<Advertiser.Route> originate) {
        this.localAs = localAs;
        this.originate = List.copyOf(originate);
    }

    /** A copy of what {@code peer} (its address) currently announces to us. */
    public Map<Prefix, Route> routes(String peer) {
        return Map.copyOf(received.getOrDefault(peer, Map.of()));
    }

    @Override
    public void up(PeerSession peer, Negotiated n) {
        received.put(peer.name(), new ConcurrentHashMap<>());
        advertise(peer, n);
    }

    private void advertise(PeerSession peer, Negotiated n) {
        Advertiser.Plan plan = plan(peer, n);
        for (Advertiser.Skipped s : plan.skipped()) {
            log.atWarn().addKeyValue("peer", peer.name()).addKeyValue("prefix", s.prefix()).addKeyValue("why", s.why())
                    .log("route not advertised");
        }
        plan.updates().forEach(peer::send);
        log.atInfo().addKeyValue("peer", peer.name()).addKeyValue("updates", plan.updates().size())
                .addKeyValue("families", n.families()).log("advertised originated routes");
    }

    private Advertiser.Plan plan(PeerSession peer, Negotiated n) {
        return Advertiser.initial(originate, localAs, n, peer.localAddress().getAddress());
    }

    @Override
    public void down(PeerSession peer, Reason why, String detail) {
        stale.remove(peer.name());
        Map<Prefix, Route> gone = received.remove(peer.name());
        log.atInfo().addKeyValue("peer", peer.name()).addKeyValue("routes", gone == null ? 0 : gone.size())
                .addKeyValue("reason", why).addKeyValue("detail", detail).log("routes from peer flushed");
    }

    @Override
    public void update(PeerSession peer, BgpMessage.Update u, List<String> notes, boolean treatAsWithdraw) {
        Map<Prefix, Route> table = received.computeIfAbsent(peer.name(), k -> new ConcurrentHashMap<>());
        java.util.Set<Prefix> marked = stale.get(peer.name());
        if (marked != null) {
            u.nlri().forEach(marked::remove);
            u.attribute(PathAttribute.MpReach.class).ifPresent(m -> m.nlri().forEach(marked::remove));
        }
        u.withdrawn().forEach(table::remove);
        u.attribute(PathAttribute.MpUnreach.class).ifPresent(m -> m.withdrawn().forEach(table::remove));
        var mp = u.attribute(PathAttribute.MpReach.class);
        if (treatAsWithdraw) {
            u.nlri().forEach(table::remove);
            mp.ifPresent(m -> m.nlri().forEach(table::remove));
            return;
        }
        List<PathAttribute> attrs = u.attributes().stream()
                .filter(a -> !(a instanceof PathAttribute.MpReach) && !(a instanceof PathAttribute.MpUnreach)).toList();
        var nh = u.attribute(PathAttribute.NextHop.class);
        for (Prefix p : u.nlri()) {
            table.put(p, new Route(p, attrs, nh.map(PathAttribute.NextHop::address).orElse(null)));
        }
        mp.ifPresent(m -> m.nlri().forEach(p -> table.put(p, new Route(p, attrs, m.nextHops().getFirst()))));
    }

    @Override
    public void refresh(PeerSession peer, BgpMessage.RouteRefresh request) {
        Negotiated n = peer.negotiated();
        if (n == null) {
            return;
        }
        switch (request.subtype()) {
            case BgpMessage.RouteRefresh.NORMAL -> resend(peer, n, request.family());
            case BgpMessage.RouteRefresh.BEGIN -> {
                // RFC 7313 section 4: everything of this family is stale until re-announced.
                java.util.Set<Prefix> marked = ConcurrentHashMap.newKeySet();
                routes(peer.name()).keySet().stream().filter(p -> p.family().equals(request.family())).forEach(marked::add);
                stale.put(peer.name(), marked);
            }
            case BgpMessage.RouteRefresh.END -> {
                java.util.Set<Prefix> marked = stale.remove(peer.name());
                Map<Prefix, Route> table = received.get(peer.name());
                if (marked != null && table != null) {
                    marked.forEach(table::remove);
                    log.atInfo().addKeyValue("peer", peer.name()).addKeyValue("purged", marked.size())
                            .log("enhanced route refresh complete");
                }
            }
            default -> log.atWarn().addKeyValue("peer", peer.name()).addKeyValue("subtype", request.subtype())
                    .log("ROUTE-REFRESH with unknown subtype ignored (RFC 7313 section 5)");
        }
    }

    /** Re-sends one family's routes; bracketed by BoRR/EoRR when RFC 7313 was negotiated. */
    private void resend(PeerSession peer, Negotiated n, io.tabby.bgp.wire.Family family) {
        if (!n.families().contains(family)) {
            return;
        }
        if (n.enhancedRouteRefresh()) {
            peer.sendRaw(new BgpMessage.RouteRefresh(family, BgpMessage.RouteRefresh.BEGIN));
        }
        for (BgpMessage.Update u : Advertiser.forFamily(plan(peer, n).updates(), family)) {
            peer.send(u);
        }
        if (n.enhancedRouteRefresh()) {
            peer.sendRaw(new BgpMessage.RouteRefresh(family, BgpMessage.RouteRefresh.END));
        }
        log.atInfo().addKeyValue("peer", peer.name()).addKeyValue("family", family)
                .addKeyValue("enhanced", n.enhancedRouteRefresh()).log("route refresh answered");
    }
}
