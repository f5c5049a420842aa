package io.tabby.bgp.rib;

import io.tabby.bgp.rib.BestPath.Decision;
import io.tabby.bgp.rib.BestPath.Reason;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The Loc-RIB of one address family (RFC 4271 section 3.2): every accepted path to every prefix,
 * and for each prefix the best path and ECMP set chosen by {@link BestPath}. Each mutation returns
 * the {@link Change} it caused, or null when the best path and the multipath set stayed as they
 * were, so the caller (FIB, Adj-RIBs-Out, looking glass) sees exactly the differences.
 *
 * <p>Storage is sized for a million routes: per prefix, the value in a {@link PrefixMap} is the
 * {@link Path} itself when it is the only one and eligible (the common case: one path, no extra
 * object), else a {@link Dest} holding all paths with the multipath set first and the best at 0.
 * A {@code Dest} is immutable and holds no prefix, so prefixes with the same paths can share one:
 * the Rib gives every prefix of an UPDATE the same {@link Path} object, so when a second peer
 * announces a table the first already sent, runs of prefixes meet the same two paths and end in
 * equal {@code Dest}s. {@link #store} reuses the last one it made when the next is equal
 * (compared by identity), which makes a prefix with two paths cost its table slot and nothing
 * more, as a prefix with one does, instead of 48 bytes (a Dest and its array) that the collector
 * copies into the old generation.
 *
 * <p>Single-threaded: owned by the RIB's event loop.
 */
public final class LocRib {
    /** Two or more paths, or one ineligible path: paths[0..multi) is the ECMP set, best first. */
    private static final class Dest {
        final Path[] paths;
        final int multi;
        final Reason reason;

        Dest(Path[] paths, int multi, Reason reason) {
            this.paths = paths;
            this.multi = multi;
            this.reason = reason;
        }
    }

    private final Family family;
    private final BestPath bestPath;
    private final PrefixMap<Object> table = new PrefixMap<>();
    private long pathCount;
    /** The last {@link Dest} stored, which the next prefix with the same paths shares. */
    private Dest lastDest;

    public LocRib(Family family, BestPath bestPath) {
        this.family = family;
        this.bestPath = bestPath;
    }

    public Family family() {
        return family;
    }

    public BestPath bestPath() {
        return bestPath;
    }

    /** Prefixes with at least one path. */
    public int size() {
        return table.size();
    }

    public long pathCount() {
        return pathCount;
    }

    /** Adds {@code path}, replacing the path from the same source with the same path id. */
    public Change update(Prefix prefix, Path path) {
        Object v = table.get(prefix);
        if (v == null) {
            pathCount++;
            if (bestPath.reachable(path)) { // the common case, a new prefix: no decision to make
                table.put(prefix, path);
                return new Change(prefix, null, path, Reason.ONLY_PATH, List.of(path));
            }
            return store(prefix, null, new Path[] {path});
        }
        Path[] old = paths(v);
        Path[] next = null;
        for (int i = 0; i < old.length; i++) {
            if (old[i].sameIdentity(path)) {
                if (old[i].equals(path)) {
                    return null; // same attributes, same flags: nothing to do
                }
                next = old.clone();
                next[i] = path;
                break;
            }
        }
        if (next == null) {
            next = Arrays.copyOf(old, old.length + 1);
            next[old.length] = path;
            pathCount++;
        }
        return store(prefix, v, next);
    }

    /** Removes the path from {@code source} with {@code pathId}; null when there was none or nothing changed. */
    public Change withdraw(Prefix prefix, Peer source, int pathId) {
        Object v = table.get(prefix);
        if (v == null) {
            return null;
        }
        if (v instanceof Path only) { // the common case, the prefix's one path: no array, no decision
            if (!only.source().equals(source) || only.pathId() != pathId) {
                return null;
            }
            pathCount--;
            table.remove(prefix);
            return new Change(prefix, only, null, Reason.NONE, List.of());
        }
        Path[] old = paths(v);
        for (int i = 0; i < old.length; i++) {
            if (old[i].source().equals(source) && old[i].pathId() == pathId) {
                pathCount--;
                Path[] next = new Path[old.length - 1];
                System.arraycopy(old, 0, next, 0, i);
                System.arraycopy(old, i + 1, next, i, old.length - i - 1);
                return store(prefix, v, next);
            }
        }
        return null;
    }

    /**
     * Rewrites or drops every path of {@code source} matching {@code which}: {@code f} returns the
     * replacement, or null to remove. Used for session loss (remove all), graceful restart (mark
     * stale, sweep stale) and soft reconfiguration. Each change goes to {@code sink} as it
     * happens, so a peer with a million routes never needs a million changes in memory at once.
     */
    public void rewritePeer(Peer source, Predicate<Path> which, UnaryOperator<Path> f, java.util.function.Consumer<Change> sink) {
        PrefixMap.Keys keys = table.keys();
        for (int i = 0; i < keys.size(); i++) {
            Prefix prefix = keys.get(i);
            Object v = table.get(prefix);
            if (v == null) {
                continue;
            }
            Path[] old = paths(v);
            Path[] next = null;
            int n = 0;
            for (int j = 0; j < old.length; j++) {
                Path p = old[j];
                Path q = p.source().equals(source) && which.test(p) ? f.apply(p) : p;
                if (q != p && next == null) {
                    next = new Path[old.length];
                    System.arraycopy(old, 0, next, 0, j);
                    n = j;
                }
                if (next != null && q != null) {
                    next[n++] = q;
                }
            }
            if (next != null) {
                pathCount -= old.length - n;
                Change c = store(prefix, v, Arrays.copyOf(next, n));
                if (c != null) {
                    sink.accept(c);
                }
            }
        }
    }

    /** {@link #rewritePeer(Peer, Predicate, UnaryOperator, java.util.function.Consumer)} collecting the changes. */
    public List<Change> rewritePeer(Peer source, Predicate<Path> which, UnaryOperator<Path> f) {
        List<Change> changes = new ArrayList<>();
        rewritePeer(source, which, f, changes::add);
        return changes;
    }

    /** Re-runs best path everywhere, e.g. after next-hop reachability changed. */
    public List<Change> reselectAll() {
        List<Change> changes = new ArrayList<>();
        List<Object[]> all = new ArrayList<>();
        table.forEach((prefix, v) -> all.add(new Object[] {prefix, v}));
        for (Object[] e : all) {
            Change c = store((Prefix) e[0], e[1], paths(e[1]).clone());
            if (c != null) {
                changes.add(c);
            }
        }
        return changes;
    }

    /** All paths to {@code prefix}, best first (then the rest of the ECMP set, then the others). */
    public List<Path> paths(Prefix prefix) {
        Object v = table.get(prefix);
        return v == null ? List.of() : List.of(paths(v));
    }

    /** The current decision for {@code prefix}. */
    public Decision decision(Prefix prefix) {
        Object v = table.get(prefix);
        return v == null ? Decision.NONE : decisionOf(v);
    }

    /** Visits every prefix that has a best path, with its decision. */
    public void forEachBest(BiConsumer<Prefix, Decision> action) {
        table.forEach((p, v) -> {
            Decision d = decisionOf(v);
            if (d.best() != null) {
                action.accept(p, d);
            }
        });
    }

    /** Visits every prefix with all its paths (best first). */
    public void forEach(BiConsumer<Prefix, List<Path>> action) {
        table.forEach((p, v) -> action.accept(p, List.of(paths(v))));
    }

    // ---- internals ---------------------------------------------------------------------------

    private static Path[] paths(Object v) {
        return v instanceof Path p ? new Path[] {p} : ((Dest) v).paths;
    }

    private static Decision decisionOf(Object v) {
        if (v instanceof Path p) {
            return new Decision(p, Reason.ONLY_PATH, List.of(p));
        }
        Dest d = (Dest) v;
        return d.multi == 0 ? Decision.NONE
                : new Decision(d.paths[0], d.reason, Arrays.asList(d.paths).subList(0, d.multi));
    }

    /** A Dest with these contents: the last one made if it has the same paths, else a new one. */
    private Dest dest(Path[] paths, int multi, Reason reason) {
        Dest last = lastDest;
        if (last != null && last.multi == multi && last.reason == reason && last.paths.length == paths.length) {
            int i = 0;
            while (i < paths.length && last.paths[i] == paths[i]) {
                i++;
            }
            if (i == paths.length) {
                return last;
            }
        }
        return lastDest = new Dest(paths, multi, reason);
    }

    /** The stored entry for {@code prefix} (a Path or a Dest), for tests of the layout. */
    Object entry(Prefix prefix) {
        return table.get(prefix);
    }

    /** Decides over {@code next}, stores it, and reports the difference from {@code old}. */
    private Change store(Prefix prefix, Object old, Path[] next) {
        Path oldBest;
        Path[] oldMulti;
        if (old == null) {
            oldBest = null;
            oldMulti = new Path[0];
        } else if (old instanceof Path p) {
            oldBest = p;
            oldMulti = null; // == {p}
        } else {
            Dest d = (Dest) old;
            oldBest = d.multi == 0 ? null : d.paths[0];
            oldMulti = Arrays.copyOf(d.paths, d.multi);
        }
        if (next.length == 0) {
            table.remove(prefix);
            return oldBest == null ? null : new Change(prefix, oldBest, null, Reason.NONE, List.of());
        }
        Decision d = next.length == 1 ? bestPath.select(List.of(next[0])) : bestPath.select(Arrays.asList(next));
        if (d.best() != null && next.length == 1) {
            table.put(prefix, next[0]);
        } else {
            // Order: the ECMP set (best first), then the others in their previous order.
            Path[] ordered = new Path[next.length];
            int n = 0;
            for (Path p : d.multipath()) {
                ordered[n++] = p;
            }
            for (Path p : next) {
                if (!d.multipath().contains(p)) {
                    ordered[n++] = p;
                }
            }
            table.put(prefix, dest(ordered, d.multipath().size(), d.reason()));
        }
        boolean sameMulti = oldMulti == null
                ? d.multipath().size() == 1 && d.multipath().getFirst() == oldBest
                : d.multipath().equals(Arrays.asList(oldMulti));
        if (d.best() == oldBest && sameMulti) {
            return null;
        }
        return new Change(prefix, oldBest, d.best(), d.reason(), d.multipath());
    }
}
