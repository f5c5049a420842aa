package io.tabby.bgp.rib;

import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What we advertise to one peer in one family (RFC 4271 section 3.2, Adj-RIB-Out), after export
 * rules and policy, plus what is still to be sent. {@link #offer} records the wanted state of a
 * prefix and queues it only when it differs from what the peer has or will have; {@link #drain}
 * groups the queue by attribute set for {@link UpdatePacker}, as BIRD's {@code bgp_bucket}s do.
 * A change and its undo before the next drain collapse into at most one redundant UPDATE.
 *
 * <p>The full table stays available for ROUTE-REFRESH (RFC 2918) via {@link #resendAll}.
 * Single-threaded.
 */
public final class AdjRibOut {
    private static final Object WITHDRAW = new Object();

    private final Peer peer;
    private final Family family;
    private final PrefixMap<AttrSet> advertised = new PrefixMap<>();
    private final PrefixMap<Object> pending = new PrefixMap<>();

    public AdjRibOut(Peer peer, Family family) {
        this.peer = peer;
        this.family = family;
    }

    public Peer peer() {
        return peer;
    }

    public Family family() {
        return family;
    }

    /** Wants {@code prefix} advertised with {@code attrs}, or withdrawn when null. True if queued. */
    public boolean offer(Prefix prefix, AttrSet attrs) {
        AttrSet had = attrs == null ? advertised.remove(prefix) : advertised.put(prefix, attrs);
        if (attrs == null ? had == null : attrs.equals(had)) {
            return false;
        }
        pending.put(prefix, attrs == null ? WITHDRAW : attrs);
        return true;
    }

    /** Prefixes advertised (or queued to be). */
    public int size() {
        return advertised.size();
    }

    public AttrSet advertised(Prefix prefix) {
        return advertised.get(prefix);
    }

    public boolean hasPending() {
        return !pending.isEmpty();
    }

    public int pendingCount() {
        return pending.size();
    }

    /** Queues the whole table again (ROUTE-REFRESH, or a session coming back up). */
    public void resendAll() {
        advertised.forEach(pending::put);
    }

    /** Forgets everything: the session went down and the peer dropped what we sent. */
    public void clear() {
        advertised.clear();
        pending.clear();
    }

    /** The queued work, grouped, and the queue emptied. */
    public Batch drain() {
        return drain(Integer.MAX_VALUE);
    }

    /**
     * Up to {@code max} prefixes of the queued work, grouped; the rest stays queued. Draining in
     * slices bounds the memory a mass change (a peer with a million routes going down) needs.
     */
    public Batch drain(int max) {
        Map<AttrSet, List<Prefix>> announce = new LinkedHashMap<>();
        List<Prefix> withdraw = new ArrayList<>();
        java.util.function.BiConsumer<Prefix, Object> sort = new java.util.function.BiConsumer<>() {
            // Queued prefixes come in runs with one (interned) attribute set: look the group up
            // once per run, not once per prefix.
            private Object lastAttrs;
            private List<Prefix> lastGroup;

            @Override
            public void accept(Prefix p, Object v) {
                if (v == WITHDRAW) {
                    withdraw.add(p);
                } else {
                    if (v != lastAttrs) {
                        lastAttrs = v;
                        lastGroup = announce.computeIfAbsent((AttrSet) v, k -> new ArrayList<>());
                    }
                    lastGroup.add(p);
                }
            }
        };
        if (max >= pending.size()) {
            pending.forEach(sort);
            pending.clear();
        } else {
            pending.removeSome(max, sort);
        }
        return new Batch(family, announce, withdraw);
    }

    /** Announcements grouped by attribute set, and withdrawals, for one family. */
    public record Batch(Family family, Map<AttrSet, List<Prefix>> announce, List<Prefix> withdraw) {
        public boolean isEmpty() {
            return announce.isEmpty() && withdraw.isEmpty();
        }
    }
}
