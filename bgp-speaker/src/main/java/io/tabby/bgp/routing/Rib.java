package io.tabby.bgp.routing;

import com.codahale.metrics.MetricRegistry;
import io.tabby.bgp.policy.ExportRules;
import io.tabby.bgp.policy.ImportRules;
import io.tabby.bgp.policy.MaxPrefix;
import io.tabby.bgp.policy.Policy;
import io.tabby.bgp.policy.PolicyContext;
import io.tabby.bgp.policy.Speaker;
import io.tabby.bgp.rib.AdjRibIn;
import io.tabby.bgp.rib.AdjRibOut;
import io.tabby.bgp.rib.AttrInterner;
import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.rib.Change;
import io.tabby.bgp.rib.LocRib;
import io.tabby.bgp.rib.Path;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.rib.UpdatePacker;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.PathAttribute.MpReach;
import io.tabby.bgp.wire.PathAttribute.MpUnreach;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.wire.WireContext;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speaker's routing core: neighbours' UPDATEs in, best paths chosen, UPDATEs for each
 * neighbour and FIB changes out. It wires the pure pieces together in BIRD's order
 * ({@code rte_update} → import filter → table → {@code rte_announce} → export filter per channel):
 *
 * <pre>
 *  receive(peer, UPDATE) ─> ImportRules ─> AdjRibIn ─> import Policy ─> LocRib ─> Change
 *                                                                                  ├─> listeners (FIB)
 *                                                                                  └─> per up peer: ExportRules+export Policy ─> AdjRibOut
 *  drain(peer, ctx) ─> UpdatePacker ─> UPDATEs (+ End-of-RIB after the initial table)
 * </pre>
 *
 * <p>Graceful restart hooks: {@link #sessionDown} can keep a peer's paths as stale,
 * {@link #sweepStale} drops those not refreshed, and {@link #deferSelection} holds back
 * advertisement and FIB changes of a family while we ourselves restart (RFC 4724 4.1), until
 * {@link #releaseSelection}. The timers and the decision when to call these live in
 * {@link io.tabby.bgp.gr}.
 *
 * <p>Single-threaded: every method must be called on the RIB's one thread (an event loop).
 */
public final class Rib {
    private static final Logger log = LoggerFactory.getLogger(Rib.class);
    private static final AttrSet REJECTED = AttrSet.EMPTY.with(new PathAttribute.Origin(99));
    private static final int EXPORT_CACHE_MAX = 65_536;
    /** Prefixes per family per {@link #drain} call: about 80 full UPDATEs of /32s. */
    public static final int DRAIN_SLICE = 65_536;

    /** Per-neighbour state. */
    private final class PeerState {
        Neighbour n;
        final AdjRibIn adjIn;
        final Map<Family, AdjRibOut> adjOut = new LinkedHashMap<>();
        final Set<Family> eorPending = new HashSet<>();
        final Map<Family, long[]> acceptedByFamily = new HashMap<>(); // one counter per family, no boxing per route
        PolicyContext ctx;
        final PeerCounters counters;
        final Map<ExportKey, AttrSet> exportCache = new HashMap<>();
        // The last two exports, by identity: a burst of routes shares attributes and source, and a
        // best-path change asks for the export of the old best (what the peer has) and the new one.
        AttrSet lastIn;
        Peer lastSource;
        AttrSet lastOut;
        AttrSet prevIn;
        Peer prevSource;
        AttrSet prevOut;
        boolean exportCacheable;
        boolean up;
        final Set<Family> staleFamilies = new HashSet<>(); // kept as stale after a graceful loss, until swept

        PeerState(Neighbour n) {
            this.n = n;
            this.adjIn = new AdjRibIn(n.peer(), n.retention());
            this.counters = new PeerCounters(metrics, n.peer().address().getHostAddress(), adjIn::size);
            this.ctx = new PolicyContext(me.as(), n.localAddress());
            this.exportCacheable = n.policies().exportPolicy().prefixIndependent();
        }
    }

    private record ExportKey(AttrSet attrs, Peer source) {}

    /** What one received UPDATE did: limit decisions for the session layer, and End-of-RIB if it was one. */
    public record Received(List<MaxPrefix.Outcome> limits, Optional<Family> endOfRib, int accepted, int rejected) {}

    private final Speaker me;
    private final Peer local;
    private final MetricRegistry metrics;
    private final AttrInterner interner = new AttrInterner();
    private final Map<Family, LocRib> locRibs = new LinkedHashMap<>();
    private final Map<InetAddress, PeerState> peers = new LinkedHashMap<>();
    private final Set<Family> deferred = new HashSet<>();
    private final List<Consumer<Change>> listeners = new ArrayList<>();
    /**
     * Per family not deferred, where its best-path changes go: the up peers with an Adj-RIB-Out
     * in it, in peer order. {@link #propagate} runs for every route, so it reads one array instead
     * of walking the peers and looking up each one's Adj-RIB-Out and the deferral; the arrays are
     * made again ({@link #refreshFanout}) whenever a session comes up or goes down or a family's
     * deferral starts or ends, and never changed in place.
     */
    private final Map<Family, Fanout> fanout = new HashMap<>();

    private record Fanout(PeerState[] peers, AdjRibOut[] outs) {}

    public Rib(Speaker me, Set<Family> families, BestPath.Options options, MetricRegistry metrics) {
        this.me = me;
        this.local = Peer.local(me.routerId(), me.as());
        this.metrics = metrics;
        BestPath bp = new BestPath(options);
        for (Family f : families) {
            locRibs.put(f, new LocRib(f, bp));
        }
        refreshFanout();
    }

    public Speaker speaker() {
        return me;
    }

    /** The peer our own originated routes come from. */
    public Peer localPeer() {
        return local;
    }

    /** The families this speaker keeps a Loc-RIB for. */
    public Set<Family> families() {
        return Set.copyOf(locRibs.keySet());
    }

    /** The neighbour registered at {@code address}, if any. */
    public Optional<Neighbour> neighbour(InetAddress address) {
        PeerState s = peers.get(address);
        return s == null ? Optional.empty() : Optional.of(s.n);
    }

    public LocRib locRib(Family f) {
        LocRib r = locRibs.get(f);
        if (r == null) {
            throw new IllegalArgumentException("family " + f + " is not enabled on this speaker");
        }
        return r;
    }

    /** Called with every best-path / ECMP change that is not deferred (the FIB listens here). */
    public void addListener(Consumer<Change> l) {
        listeners.add(l);
    }

    // ---- neighbours and sessions -------------------------------------------------------------

    public void addNeighbour(Neighbour n) {
        InetAddress a = n.peer().address();
        if (peers.containsKey(a)) {
            throw new IllegalArgumentException("neighbour " + a.getHostAddress() + " is already configured");
        }
        peers.put(a, new PeerState(n));
    }

    /**
     * New routing settings for a known neighbour whose identity ({@link Peer}) is unchanged,
     * keeping its paths: a session that came back (after a graceful restart its stale paths must
     * survive), maybe from another local address. Call it before {@link #sessionUp}, which sends
     * the whole table under the new settings (what the peer is sent is worked out from our best
     * paths and its export settings, so they must not change under an up session; policies change
     * through {@link #setPolicies}).
     */
    public void updateNeighbour(Neighbour n) {
        PeerState s = state(n.peer().address());
        if (!s.n.peer().equals(n.peer())) {
            throw new IllegalArgumentException("neighbour " + n.peer() + " is not " + s.n.peer() + ": remove and add it");
        }
        s.n = n;
        s.ctx = new PolicyContext(me.as(), n.localAddress());
        s.exportCacheable = n.policies().exportPolicy().prefixIndependent();
        forgetExports(s);
    }

    public void removeNeighbour(InetAddress address) {
        PeerState s = peers.get(address);
        if (s != null) {
            sessionDown(address);
            s.counters.unregister();
            peers.remove(address);
        }
    }

    /** The session is Established with these families: queue our whole table for it, then End-of-RIB. */
    public void sessionUp(InetAddress address, Set<Family> families) {
        PeerState s = state(address);
        s.up = true;
        s.adjOut.clear();
        forgetExports(s);
        for (Family f : families) {
            if (!locRibs.containsKey(f)) {
                continue;
            }
            AdjRibOut out = new AdjRibOut(s.n.peer(), f);
            s.adjOut.put(f, out);
            s.eorPending.add(f);
            if (!deferred.contains(f)) {
                locRibs.get(f).forEachBest((p, d) -> offer(s, out, p, null, d.best()));
            }
        }
        refreshFanout();
        log.atInfo().addKeyValue("peer", s.n.peer()).addKeyValue("families", families).log("session up, table queued");
    }

    /** The session is gone and its routes with it (no graceful restart). */
    public void sessionDown(InetAddress address) {
        PeerState s = state(address);
        closeOut(s);
        for (Family f : locRibs.keySet()) {
            dropPaths(s, f, p -> true);
        }
        s.adjIn.clear();
    }

    /**
     * The session is gone but the peer restarts gracefully (RFC 4724 4.2): its paths in
     * {@code keep} stay, marked stale; other families are dropped.
     */
    public void sessionDownGraceful(InetAddress address, Set<Family> keep) {
        PeerState s = state(address);
        closeOut(s);
        s.staleFamilies.addAll(keep);
        for (Map.Entry<Family, LocRib> e : locRibs.entrySet()) {
            if (keep.contains(e.getKey())) {
                Family f = e.getKey();
                e.getValue().rewritePeer(s.n.peer(), p -> !p.stale(), p -> p.withFlags(p.flags() | Path.STALE),
                        c -> propagate(f, c));
            } else {
                dropPaths(s, e.getKey(), p -> true);
            }
        }
    }

    /** Drops the paths of {@code address} in {@code family} still marked stale (End-of-RIB or timer). */
    public int sweepStale(InetAddress address, Family family) {
        PeerState s = state(address);
        int n = dropPaths(s, family, Path::stale);
        s.staleFamilies.remove(family);
        return n;
    }

    private void closeOut(PeerState s) {
        s.up = false;
        s.adjOut.clear();
        s.eorPending.clear();
        forgetExports(s);
        s.counters.advertised = 0;
        refreshFanout();
    }

    private int dropPaths(PeerState s, Family f, java.util.function.Predicate<Path> which) {
        LocRib rib = locRibs.get(f);
        if (rib == null) {
            return 0;
        }
        long before = rib.pathCount();
        rib.rewritePeer(s.n.peer(), which, p -> null, c -> propagate(f, c));
        long dropped = before - rib.pathCount();
        accepted(s, f)[0] -= dropped;
        s.counters.accepted -= dropped;
        return (int) dropped;
    }

    // ---- receiving ---------------------------------------------------------------------------

    /**
     * Applies one UPDATE from {@code address} (attributes already RFC 6793-merged by the session).
     * With {@code treatAsWithdraw} (RFC 7606) every announced prefix is withdrawn instead.
     */
    public Received receive(InetAddress address, Update u, boolean treatAsWithdraw) {
        PeerState s = state(address);
        Peer from = s.n.peer();
        s.counters.updatesIn.inc();
        Optional<Family> eor = u.endOfRib();
        if (eor.isPresent()) {
            return new Received(List.of(), eor, 0, 0);
        }
        withdrawAll(s, Family.IPV4_UNICAST, u.withdrawn());
        u.attribute(MpUnreach.class).ifPresent(m -> withdrawAll(s, m.family(), m.withdrawn()));
        Optional<MpReach> mp = u.attribute(MpReach.class);
        List<Prefix> nlri4 = u.nlri();
        int accepted = 0;
        int rejected = 0;
        if (treatAsWithdraw) {
            withdrawAll(s, Family.IPV4_UNICAST, nlri4);
            mp.ifPresent(m -> withdrawAll(s, m.family(), m.nlri()));
            return new Received(List.of(), Optional.empty(), 0, 0);
        }
        if (nlri4.isEmpty() && mp.isEmpty()) {
            return new Received(List.of(), Optional.empty(), 0, 0);
        }
        AttrSet raw = interner.intern(AttrSet.of(u.attributes()));
        ImportRules.Verdict v = ImportRules.check(raw, from, me, s.n.allowAsIn());
        AttrSet checked = v instanceof ImportRules.Verdict.Accept a ? interner.intern(a.attrs()) : null;
        String why = v instanceof ImportRules.Verdict.Reject r ? r.reason() : null;
        List<MaxPrefix.Outcome> limits = new ArrayList<>(0);
        for (int pass = 0; pass < 2; pass++) {
            Family f = pass == 0 ? Family.IPV4_UNICAST : mp.map(MpReach::family).orElse(null);
            List<Prefix> list = pass == 0 ? nlri4 : mp.map(MpReach::nlri).orElse(List.of());
            if (f == null || list.isEmpty()) {
                continue;
            }
            LocRib rib = locRibs.get(f);
            if (rib == null) {
                s.counters.lastRejection = "family " + f + " not enabled";
                rejected += list.size();
                continue;
            }
            long[] acc = accepted(s, f);
            long beforeCount = acc[0];
            s.counters.announcementsIn.inc(list.size());
            // One Path for every prefix of the UPDATE (paths are immutable and carry no prefix):
            // a route held by the Loc-RIB then costs its table slot and nothing more.
            Path shared = checked == null ? null : new Path(checked, from, 0, 0);
            for (Prefix p : list) {
                s.adjIn.put(p, p.pathId(), raw);
                Path path = shared == null || p.pathId() == 0 ? shared : new Path(checked, from, p.pathId(), 0);
                if (path != null && announce(s, f, rib, p, path, acc)) {
                    accepted++;
                } else {
                    rejected++;
                    if (checked == null) {
                        s.counters.lastRejection = p + ": " + why;
                    }
                    withdrawFromLocRib(s, f, rib, p, acc);
                }
            }
            long after = acc[0];
            s.n.maxPrefix().ifPresent(m -> {
                MaxPrefix.Outcome o = m.check(f, beforeCount, after);
                if (!(o instanceof MaxPrefix.Outcome.Within)) {
                    limits.add(o);
                    s.counters.lastRejection = o.toString();
                }
            });
        }
        s.counters.rejected.inc(rejected);
        return new Received(limits, Optional.empty(), accepted, rejected);
    }

    /**
     * Runs the import policy and stores the path; false when the policy rejected it. {@code acc} is
     * {@code accepted(s, f)}, looked up once per UPDATE rather than once per prefix.
     */
    private boolean announce(PeerState s, Family f, LocRib rib, Prefix p, Path path, long[] acc) {
        Prefix key = p.pathId() == 0 ? p : p.withPathId(0);
        AttrSet checked = path.attrs();
        Policy imp = s.n.policies().importPolicy();
        Optional<Path> out = imp.apply(key, path, s.ctx);
        if (out.isEmpty()) {
            s.counters.lastRejection = key + ": rejected by import policy " + imp.name();
            return false;
        }
        Path accepted = out.get();
        if (accepted.attrs() != checked) {
            accepted = accepted.withAttrs(interner.intern(accepted.attrs()));
        }
        long pathsBefore = rib.pathCount();
        Change c = rib.update(key, accepted);
        if (rib.pathCount() != pathsBefore) {
            s.counters.accepted++;
            acc[0]++;
        }
        if (c != null) {
            propagate(f, c);
        }
        return true;
    }

    private void withdrawAll(PeerState s, Family f, List<Prefix> prefixes) {
        if (prefixes.isEmpty()) {
            return;
        }
        s.counters.withdrawalsIn.inc(prefixes.size());
        LocRib rib = locRibs.get(f);
        long[] acc = accepted(s, f);
        // Last to first: a peer lists neighbouring prefixes in ascending order, and the tables keep
        // them in runs of ascending slots (PrefixMap). A removal walks on to the end of its cluster,
        // hashing each entry to see whether it must move back: first to last, each removal walks the
        // rest of the run again; last to first, the slot after the removed one is already empty.
        for (int i = prefixes.size() - 1; i >= 0; i--) {
            Prefix p = prefixes.get(i);
            s.adjIn.remove(p, p.pathId());
            if (rib != null) {
                withdrawFromLocRib(s, f, rib, p, acc);
            }
        }
    }

    private void withdrawFromLocRib(PeerState s, Family f, LocRib rib, Prefix p, long[] acc) {
        Prefix key = p.pathId() == 0 ? p : p.withPathId(0);
        long pathsBefore = rib.pathCount();
        Change c = rib.withdraw(key, s.n.peer(), p.pathId());
        if (rib.pathCount() != pathsBefore) {
            s.counters.accepted--;
            acc[0]--;
        }
        if (c != null) {
            propagate(f, c);
        }
    }

    /**
     * Replaces {@code address}'s policies. Our table is exported to it again: for every best path,
     * the export under the old policy (what the peer has) against the export under the new one,
     * and only the difference is queued. Then the import policy is re-applied from the Adj-RIB-In
     * (when retained; otherwise the caller should send a ROUTE-REFRESH), and what that changes
     * propagates as any change does.
     */
    public void setPolicies(InetAddress address, io.tabby.bgp.policy.PeerPolicies policies) {
        PeerState s = state(address);
        Neighbour old = s.n;
        s.n = new Neighbour(old.peer(), old.localAddress(), old.nextHop(), policies, old.maxPrefix(), old.allowAsIn(),
                old.retention());
        s.exportCacheable = policies.exportPolicy().prefixIndependent();
        forgetExports(s);
        if (s.up) {
            for (AdjRibOut out : s.adjOut.values()) {
                if (!deferred.contains(out.family())) {
                    locRibs.get(out.family()).forEachBest((p, d) -> {
                        queue(s, out, p, export(old, p, d.best()), exportAttrs(s, p, d.best()));
                    });
                }
            }
        }
        if (s.adjIn.retention() == AdjRibIn.Retention.ALL) {
            reimport(address);
        }
    }

    /**
     * Re-applies the import policy to everything retained in {@code address}'s Adj-RIB-In (soft
     * reconfiguration after a policy change). Needs {@link AdjRibIn.Retention#ALL}.
     */
    public void reimport(InetAddress address) {
        PeerState s = state(address);
        if (s.adjIn.retention() != AdjRibIn.Retention.ALL) {
            throw new IllegalStateException("neighbour " + address.getHostAddress()
                    + " keeps no Adj-RIB-In: ask it for a ROUTE-REFRESH instead");
        }
        List<Object[]> all = new ArrayList<>();
        s.adjIn.forEach((p, a) -> all.add(new Object[] {p, a}));
        for (Object[] e : all) {
            Prefix p = (Prefix) e[0];
            Family f = p.family();
            LocRib rib = locRibs.get(f);
            if (rib == null) {
                continue;
            }
            ImportRules.Verdict v = ImportRules.check((AttrSet) e[1], s.n.peer(), me, s.n.allowAsIn());
            long[] acc = accepted(s, f);
            if (!(v instanceof ImportRules.Verdict.Accept a)
                    || !announce(s, f, rib, p, new Path(interner.intern(a.attrs()), s.n.peer(), p.pathId(), 0), acc)) {
                withdrawFromLocRib(s, f, rib, p, acc);
            }
        }
    }

    // ---- our own routes ----------------------------------------------------------------------

    /** Originates {@code prefix} with {@code attrs} (redistribution; next hop filled in per neighbour). */
    public void originate(Prefix prefix, AttrSet attrs) {
        Family f = prefix.family();
        Change c = locRib(f).update(prefix, new Path(interner.intern(attrs), local));
        if (c != null) {
            propagate(f, c);
        }
    }

    public void withdrawOriginated(Prefix prefix) {
        Family f = prefix.family();
        Change c = locRib(f).withdraw(prefix, local, 0);
        if (c != null) {
            propagate(f, c);
        }
    }

    // ---- graceful restart, restarting side ---------------------------------------------------

    /** Holds back advertisements and FIB changes of {@code f} (RFC 4724 4.1 selection deferral). */
    public void deferSelection(Family f) {
        deferred.add(f);
        refreshFanout();
    }

    public boolean deferred(Family f) {
        return deferred.contains(f);
    }

    /** Ends the deferral: the full table goes to every up neighbour and to the listeners, then End-of-RIB. */
    public void releaseSelection(Family f) {
        if (!deferred.remove(f)) {
            return;
        }
        refreshFanout();
        LocRib rib = locRibs.get(f);
        if (rib == null) {
            return;
        }
        List<Change> all = new ArrayList<>();
        rib.forEachBest((p, d) -> all.add(new Change(p, null, d.best(), d.reason(), d.multipath())));
        propagate(f, all);
        log.atInfo().addKeyValue("family", f).addKeyValue("routes", all.size()).log("selection deferral released");
    }

    // ---- sending -----------------------------------------------------------------------------

    /**
     * The UPDATEs now due to {@code address}, packed for {@code ctx}, with End-of-RIB after the
     * initial table: at most {@link #DRAIN_SLICE} prefixes per family per call, so call again while
     * {@link #pendingPeers()} lists the peer (a mass change then never sits in memory as UPDATEs
     * all at once).
     */
    public List<Update> drain(InetAddress address, WireContext ctx) {
        PeerState s = state(address);
        List<Update> out = new ArrayList<>();
        for (AdjRibOut o : s.adjOut.values()) {
            if (o.hasPending()) {
                out.addAll(UpdatePacker.pack(o.drain(DRAIN_SLICE), ctx));
            }
            if (!o.hasPending() && s.eorPending.contains(o.family()) && !deferred.contains(o.family())) {
                out.add(UpdatePacker.endOfRib(o.family()));
                s.eorPending.remove(o.family());
            }
        }
        s.counters.updatesOut.inc(out.size());
        return out;
    }

    /** Neighbours with UPDATEs waiting. */
    public List<InetAddress> pendingPeers() {
        List<InetAddress> out = new ArrayList<>();
        peers.forEach((a, s) -> {
            boolean eor = s.eorPending.stream().anyMatch(f -> !deferred.contains(f));
            if (s.up && (eor || s.adjOut.values().stream().anyMatch(AdjRibOut::hasPending))) {
                out.add(a);
            }
        });
        return out;
    }

    /** ROUTE-REFRESH (RFC 2918): queue everything we export to {@code address} in {@code f} again. */
    public void refresh(InetAddress address, Family f) {
        PeerState s = state(address);
        AdjRibOut o = s.adjOut.get(f);
        if (o == null || deferred.contains(f)) {
            return; // deferred: the whole table goes out when selection is released
        }
        long before = o.size();
        o.recount();
        locRibs.get(f).forEachBest((p, d) -> o.offer(p, null, exportAttrs(s, p, d.best())));
        s.counters.advertised += o.size() - before;
    }

    // ---- propagation -------------------------------------------------------------------------

    private void propagate(Family f, List<Change> changes) {
        for (Change c : changes) {
            propagate(f, c);
        }
    }

    /** One change to the listeners (FIB) and to every up neighbour's Adj-RIB-Out (the per-route hot path). */
    private void propagate(Family f, Change c) {
        Fanout to = fanout.get(f);
        if (to == null) {
            return; // deferred
        }
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).accept(c);
        }
        PeerState[] ps = to.peers();
        AdjRibOut[] outs = to.outs();
        for (int i = 0; i < ps.length; i++) {
            offer(ps[i], outs[i], c.prefix(), c.oldBest(), c.newBest());
        }
    }

    private void refreshFanout() {
        fanout.clear();
        for (Family f : locRibs.keySet()) {
            if (deferred.contains(f)) {
                continue;
            }
            List<PeerState> ps = new ArrayList<>();
            List<AdjRibOut> outs = new ArrayList<>();
            for (PeerState s : peers.values()) {
                AdjRibOut out = s.up ? s.adjOut.get(f) : null;
                if (out != null) {
                    ps.add(s);
                    outs.add(out);
                }
            }
            fanout.put(f, new Fanout(ps.toArray(PeerState[]::new), outs.toArray(AdjRibOut[]::new)));
        }
    }

    /**
     * Queues for {@code s} what the change of {@code p}'s best path from {@code oldBest} to
     * {@code newBest} (either may be null) changes in what it has from us. No Adj-RIB-Out table
     * is kept: the peer has the export of the old best path, since every change of the export
     * itself (a new policy, a session coming up, ROUTE-REFRESH) sends it the whole table.
     */
    private void offer(PeerState s, AdjRibOut out, Prefix p, Path oldBest, Path newBest) {
        if (oldBest == newBest) {
            return; // only the ECMP set moved: nothing a peer is sent
        }
        AttrSet had = oldBest == null ? null : exportAttrs(s, p, oldBest);
        queue(s, out, p, had, newBest == null ? null : exportAttrs(s, p, newBest));
    }

    private static void queue(PeerState s, AdjRibOut out, Prefix p, AttrSet had, AttrSet attrs) {
        long before = out.size();
        out.offer(p, had, attrs);
        s.counters.advertised += out.size() - before;
    }

    private AttrSet exportAttrs(PeerState s, Prefix p, Path best) {
        ExportKey key = null;
        if (s.exportCacheable) {
            AttrSet in = best.attrs();
            Peer source = best.source();
            if (in == s.lastIn && source == s.lastSource) {
                return s.lastOut == REJECTED ? null : s.lastOut;
            }
            if (in == s.prevIn && source == s.prevSource) {
                return s.prevOut == REJECTED ? null : s.prevOut;
            }
            key = new ExportKey(in, source);
            AttrSet hit = s.exportCache.get(key);
            if (hit != null) {
                remember(s, in, source, hit);
                return hit == REJECTED ? null : hit;
            }
        }
        AttrSet a = export(s.n, p, best);
        if (key != null) {
            if (s.exportCache.size() >= EXPORT_CACHE_MAX) {
                s.exportCache.clear(); // the two remembered exports stay valid
            }
            s.exportCache.put(key, a == null ? REJECTED : a);
            remember(s, best.attrs(), best.source(), a == null ? REJECTED : a);
        }
        return a;
    }

    /** {@code best} as {@code n} is sent it (interned), or null if not; uncached. */
    private AttrSet export(Neighbour n, Prefix p, Path best) {
        return ExportRules.export(p, best, n.target(), me, n.policies().exportPolicy())
                .map(interner::intern).orElse(null);
    }

    private static void remember(PeerState s, AttrSet in, Peer source, AttrSet out) {
        s.prevIn = s.lastIn;
        s.prevSource = s.lastSource;
        s.prevOut = s.lastOut;
        s.lastIn = in;
        s.lastSource = source;
        s.lastOut = out;
    }

    /** The export cache and the remembered exports, dropped whenever the export itself may change. */
    private static void forgetExports(PeerState s) {
        s.exportCache.clear();
        s.lastIn = null;
        s.prevIn = null;
    }

    private static long[] accepted(PeerState s, Family f) {
        return s.acceptedByFamily.computeIfAbsent(f, k -> new long[1]);
    }

    private PeerState state(InetAddress address) {
        PeerState s = peers.get(address);
        if (s == null) {
            throw new IllegalArgumentException("no neighbour " + address.getHostAddress() + " is configured");
        }
        return s;
    }

    // ---- looking glass -----------------------------------------------------------------------

    /** Every path to {@code prefix}, best first, each with its decision step. */
    public LookingGlass.RouteView route(Prefix prefix) {
        return LookingGlass.route(locRib(prefix.family()), prefix);
    }

    /** The first {@code limit} prefixes of {@code f} with all their paths (for {@code tabby bgp routes} without a prefix). */
    public List<LookingGlass.RouteView> routes(Family f, int limit) {
        List<LookingGlass.RouteView> out = new ArrayList<>();
        locRib(f).forEach((p, paths) -> {
            if (out.size() < limit) {
                out.add(route(p));
            }
        });
        return out;
    }

    public List<LookingGlass.PeerView> peers() {
        // One pass over the Loc-RIBs for every peer's stale flag, and only while a graceful
        // restart is in progress: a looking-glass poll must not walk a million routes for nothing.
        Set<Peer> withStale = new HashSet<>();
        boolean anyGraceful = peers.values().stream().anyMatch(x -> !x.staleFamilies.isEmpty());
        for (LocRib r : anyGraceful ? locRibs.values() : List.<LocRib>of()) {
            r.forEach((pfx, paths) -> paths.forEach(x -> {
                if (x.stale()) {
                    withStale.add(x.source());
                }
            }));
        }
        List<LookingGlass.PeerView> out = new ArrayList<>();
        for (PeerState s : peers.values()) {
            Peer p = s.n.peer();
            out.add(new LookingGlass.PeerView(p.address().getHostAddress(), p.as(), p.kind().name(), p.rrClient(), s.up,
                    s.adjOut.keySet().stream().map(Family::toString).toList(), s.adjIn.size(), s.counters.accepted,
                    s.counters.advertised, s.counters.rejected.getCount(), s.counters.updatesIn.getCount(),
                    s.counters.updatesOut.getCount(), withStale.contains(p), s.counters.lastRejection));
        }
        return out;
    }

    /** What {@code address} sent us, before import policy (empty without Adj-RIB-In retention). */
    public Map<Prefix, AttrSet> received(InetAddress address) {
        Map<Prefix, AttrSet> out = new LinkedHashMap<>();
        state(address).adjIn.forEach(out::put);
        return out;
    }

    /**
     * Re-runs the decision for every prefix of every family not deferred, after next-hop
     * reachability or IGP cost changed (the kernel's routing table moved); changes propagate as usual.
     * Returns how many best paths changed.
     */
    public int reselect() {
        int n = 0;
        for (Map.Entry<Family, LocRib> e : locRibs.entrySet()) {
            List<Change> changes = e.getValue().reselectAll();
            n += changes.size();
            if (!changes.isEmpty()) {
                propagate(e.getKey(), changes);
            }
        }
        return n;
    }

    public boolean hasNeighbour(InetAddress address) {
        return peers.containsKey(address);
    }

    /** Counts for benchmarks and tests: prefixes and paths per family, distinct attribute sets. */
    public String stats() {
        var sb = new StringBuilder();
        locRibs.forEach((f, r) -> sb.append(f).append(": ").append(r.size()).append(" prefixes, ")
                .append(r.pathCount()).append(" paths; "));
        return sb.append(interner.size()).append(" attribute sets").toString();
    }
}
