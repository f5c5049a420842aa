package io.tabby.bgp.rib;

import java.lang.ref.WeakReference;
import java.util.WeakHashMap;

/**
 * Makes equal attribute sets one object, so a million prefixes announced with the same
 * attributes cost one {@link AttrSet} between them (BIRD does the same with its {@code rta}
 * cache, {@code nest/rt-attr.c}). Entries are weak: a set no route refers to any more is
 * collected with no reference counting in the RIB.
 *
 * <p>Single-threaded, like everything the RIB owns: call it from the RIB's event loop only.
 */
public final class AttrInterner {
    private final WeakHashMap<AttrSet, WeakReference<AttrSet>> sets = new WeakHashMap<>();

    /** The canonical instance equal to {@code s} (which becomes canonical if it is the first). */
    public AttrSet intern(AttrSet s) {
        WeakReference<AttrSet> ref = sets.get(s);
        AttrSet known = ref == null ? null : ref.get();
        if (known != null) {
            return known;
        }
        sets.put(s, new WeakReference<>(s));
        return s;
    }

    /** Distinct sets still referenced (approximate until the next GC clears dead ones). */
    public int size() {
        return sets.size();
    }
}
