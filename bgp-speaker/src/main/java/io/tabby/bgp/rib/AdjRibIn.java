package io.tabby.bgp.rib;

import io.tabby.bgp.wire.Prefix;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What one peer sent us, before import policy (RFC 4271 section 3.2, Adj-RIB-In), kept only when
 * asked: with {@link Retention#ALL} an import policy change can be re-applied without asking the
 * peer (FRR's {@code soft-reconfiguration inbound}, BIRD's {@code import table}); with
 * {@link Retention#NONE}, the BIRD default and what the bgperf comparison assumes, nothing is
 * stored and a policy change needs a ROUTE-REFRESH (RFC 2918) instead. Either way the count of
 * prefixes currently received is kept exactly with ALL, and is unknown (-1) with NONE.
 *
 * <p>ADD-PATH: a prefix may carry several path ids; the value is an {@link AttrSet} for path id 0
 * (the usual case, no extra object) or a small map by path id.
 */
public final class AdjRibIn {
    public enum Retention { NONE, ALL }

    private final Peer peer;
    private final Retention retention;
    private final PrefixMap<Object> table = new PrefixMap<>();
    private long paths;

    public AdjRibIn(Peer peer, Retention retention) {
        this.peer = peer;
        this.retention = retention;
    }

    public Peer peer() {
        return peer;
    }

    public Retention retention() {
        return retention;
    }

    /** Records an announcement (a no-op without retention). */
    @SuppressWarnings("unchecked")
    public void put(Prefix prefix, int pathId, AttrSet attrs) {
        if (retention == Retention.NONE) {
            return;
        }
        Object v = table.get(prefix);
        if (pathId == 0 && (v == null || v instanceof AttrSet)) {
            if (table.put(prefix, attrs) == null) {
                paths++;
            }
            return;
        }
        Map<Integer, AttrSet> byId;
        if (v instanceof Map<?, ?> m) {
            byId = (Map<Integer, AttrSet>) m;
        } else {
            byId = new HashMap<>(4);
            if (v != null) {
                byId.put(0, (AttrSet) v);
            }
            table.put(prefix, byId);
        }
        if (byId.put(pathId, attrs) == null) {
            paths++;
        }
    }

    /** Records a withdrawal. */
    public void remove(Prefix prefix, int pathId) {
        if (retention == Retention.NONE) {
            return;
        }
        Object v = table.get(prefix);
        if (v instanceof AttrSet && pathId == 0) {
            table.remove(prefix);
            paths--;
        } else if (v instanceof Map<?, ?> m && m.remove(pathId) != null) {
            paths--;
            if (m.isEmpty()) {
                table.remove(prefix);
            }
        }
    }

    /** Forgets everything (session gone and nothing to keep). */
    public void clear() {
        table.clear();
        paths = 0;
    }

    /** Paths currently received, or -1 when not retained. */
    public long size() {
        return retention == Retention.NONE ? -1 : paths;
    }

    /** Visits every retained (prefix with its path id, attributes). */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<Prefix, AttrSet> action) {
        table.forEach((p, v) -> {
            if (v instanceof AttrSet a) {
                action.accept(p, a);
            } else {
                ((Map<Integer, AttrSet>) v).forEach((id, a) -> action.accept(p.withPathId(id), a));
            }
        });
    }
}
