package io.tabby.bgp.rib;

import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is still to be sent to one peer in one family (RFC 4271 section 3.2, Adj-RIB-Out), after
 * export rules and policy, and how many prefixes the peer has from us. The table itself is not
 * kept, as in BIRD without {@code export table}: what the peer has of a prefix is the export of
 * the prefix's previous best path, which the caller works out from the Loc-RIB's {@link Change}
 * and hands to {@link #offer} with the new export. A million routes then cost this peer nothing
 * but the queue. {@link #drain} groups the queue by attribute set for {@link UpdatePacker}, as
 * BIRD's {@code bgp_bucket}s do. A change and its undo before the next drain collapse into at most
 * one redundant UPDATE.
 *
 * <p>Single-threaded.
 */
public final class AdjRibOut {
    private static final Object WITHDRAW = new Object();

    private final Peer peer;
    private final Family family;
    private final PrefixMap<Object> pending = new PrefixMap<>();
    private long advertised;

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

    /**
     * The peer has {@code had} for {@code prefix} (null: nothing) and should have {@code attrs}
     * (null: nothing); queues the change if they differ. True if queued.
     */
    public boolean offer(Prefix prefix, AttrSet had, AttrSet attrs) {
        if (attrs == null ? had == null : attrs.equals(had)) {
            return false;
        }
        if (had == null) {
            advertised++;
        } else if (attrs == null) {
            advertised--;
        }
        pending.put(prefix, attrs == null ? WITHDRAW : attrs);
        return true;
    }

    /**
     * Starts a full resend (ROUTE-REFRESH): the caller then offers every exported prefix as new
     * ({@code had} null), which queues it again and counts it again. What is still queued stays.
     */
    public void recount() {
        advertised = 0;
    }

    /** Prefixes the peer has from us, or will have once the queue is sent. */
    public long size() {
        return advertised;
    }

    public boolean hasPending() {
        return !pending.isEmpty();
    }

    public int pendingCount() {
        return pending.size();
    }

    /** Forgets everything: the session went down and the peer dropped what we sent. */
    public void clear() {
        advertised = 0;
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
