package io.tabby.bgp.rib;

import io.tabby.bgp.wire.Prefix;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A map from prefix to value, compact for IPv4: an IPv4 prefix is packed into one {@code long}
 * ({@code address << 6 | length}) in an open-addressing table of parallel arrays, so an entry costs
 * a slot in a {@code long[]} and an {@code Object[]} (about 24 bytes at the load we keep) instead
 * of a HashMap node, a {@link Prefix} and an {@code InetAddress}. IPv6 prefixes, far fewer in a
 * Calico-shaped network, use a plain HashMap. ADD-PATH identifiers are not part of the key (see
 * {@link Path#pathId()}): keys are stored with path id 0.
 *
 * <p>Single-threaded.
 */
public final class PrefixMap<V> {
    private static final int MIN_CAPACITY = 16;

    private long[] keys = new long[MIN_CAPACITY]; // 0 = empty slot; otherwise packed prefix + 1
    private Object[] values = new Object[MIN_CAPACITY];
    private int size4;
    /**
     * Where the last lookup found its key: the RIB reads a prefix's entry and then writes it back
     * (the Loc-RIB on every update and withdrawal), and the write then needs no second walk. Only a
     * hint: a key is in exactly one slot, so {@link #at} trusts it only if that slot still holds
     * the key, whatever moved or grew since.
     */
    private int lastSlot;
    /**
     * Where the last lookup that missed stopped (the empty slot a put of that key would take), and
     * the number of keys added and removed so far then: a new prefix is looked up and then put, and
     * while no key has come or gone since, the put can go straight to that slot.
     */
    private long missKey;
    private int missSlot;
    private long missAt;
    private long keyChanges;
    private final Map<Prefix, V> other = new HashMap<>();

    public int size() {
        return size4 + other.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    @SuppressWarnings("unchecked")
    public V get(Prefix p) {
        if (p.isV4()) {
            int slot = find(pack(p));
            return slot < 0 ? null : (V) values[slot];
        }
        return other.get(canonical(p));
    }

    /** Sets the value for {@code p}; returns the previous one or null. A null value removes. */
    @SuppressWarnings("unchecked")
    public V put(Prefix p, V value) {
        if (value == null) {
            return remove(p);
        }
        if (!p.isV4()) {
            return other.put(canonical(p), value);
        }
        long k = pack(p);
        if (at(k)) {
            V old = (V) values[lastSlot];
            values[lastSlot] = value;
            return old;
        }
        if (k == missKey && missAt == keyChanges) {
            add(missSlot, k, value);
            return null;
        }
        int mask = keys.length - 1;
        for (int i = mix(k) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == k) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
            if (keys[i] == 0) {
                add(i, k, value);
                return null;
            }
        }
    }

    /** Puts new key {@code k} in empty slot {@code i}, the first empty one on its probe path. */
    private void add(int i, long k, V value) {
        keys[i] = k;
        values[i] = value;
        keyChanges++;
        if (++size4 * 4L > keys.length * 3L) { // load factor at most 0.75
            grow();
        }
    }

    @SuppressWarnings("unchecked")
    public V remove(Prefix p) {
        if (!p.isV4()) {
            return other.remove(canonical(p));
        }
        int slot = find(pack(p));
        if (slot < 0) {
            return null;
        }
        V old = (V) values[slot];
        deleteSlot(slot);
        return old;
    }

    /**
     * Removes everything. A table of up to 64k slots keeps its capacity (it is about to be
     * refilled, e.g. an Adj-RIB-Out queue between drains); a bigger one is given back.
     */
    public void clear() {
        if (keys.length > 65_536) {
            keys = new long[MIN_CAPACITY];
            values = new Object[MIN_CAPACITY];
        } else {
            Arrays.fill(keys, 0L);
            Arrays.fill(values, null);
        }
        size4 = 0;
        keyChanges++;
        other.clear();
    }

    /** Visits every entry; the {@link Prefix} objects are made on the fly for IPv4. */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<Prefix, V> action) {
        long[] ks = keys;
        Object[] vs = values;
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] != 0) {
                action.accept(unpack(ks[i]), (V) vs[i]);
            }
        }
        other.forEach(action);
    }

    /**
     * A snapshot of the keys (IPv4 packed into a {@code long[]}), for walking a big table while
     * changing it without holding a million {@link Prefix} objects at once.
     */
    public Keys keys() {
        long[] v4 = new long[size4];
        int n = 0;
        for (long k : keys) {
            if (k != 0) {
                v4[n++] = k;
            }
        }
        return new Keys(v4, java.util.List.copyOf(other.keySet()));
    }

    /** See {@link #keys()}; {@link #get(int)} makes each prefix on demand. */
    public static final class Keys {
        private final long[] v4;
        private final java.util.List<Prefix> other;

        Keys(long[] v4, java.util.List<Prefix> other) {
            this.v4 = v4;
            this.other = other;
        }

        public int size() {
            return v4.length + other.size();
        }

        public Prefix get(int i) {
            return i < v4.length ? unpack(v4[i]) : other.get(i - v4.length);
        }
    }

    /**
     * Removes up to {@code max} entries, handing each to {@code sink} in table order; returns how
     * many. The entries taken are removed last slot first: a removal walks on to the end of its
     * cluster, hashing each entry to see whether it must move back, so removing a run from its
     * first entry walks the rest of the run once per entry (a 1M-route burst drains its queue in
     * slices, and spent most of the drain in those walks).
     */
    @SuppressWarnings("unchecked")
    public int removeSome(int max, BiConsumer<Prefix, V> sink) {
        long[] taken = new long[Math.min(max, size4)];
        Object[] takenValues = new Object[taken.length];
        int n = 0;
        for (int i = 0; i < keys.length && n < taken.length; i++) {
            if (keys[i] != 0) {
                taken[n] = keys[i];
                takenValues[n++] = values[i];
            }
        }
        for (int j = n - 1; j >= 0; j--) {
            deleteSlot(find(taken[j]));
        }
        for (int j = 0; j < n; j++) {
            sink.accept(unpack(taken[j]), (V) takenValues[j]);
        }
        var it = other.entrySet().iterator();
        while (n < max && it.hasNext()) {
            var e = it.next();
            it.remove();
            sink.accept(e.getKey(), e.getValue());
            n++;
        }
        return n;
    }

    /** Visits every value without making prefixes. */
    @SuppressWarnings("unchecked")
    public void forEachValue(Consumer<V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                action.accept((V) values[i]);
            }
        }
        other.values().forEach(action);
    }

    /**
     * Replaces each value by {@code f(prefix, value)}, removing entries mapped to null. The
     * function must not modify this map. Prefixes are made only if {@code f} asks via the supplier.
     */
    @SuppressWarnings("unchecked")
    public void replaceAll(BiFunctionOnEntry<V> f) {
        // Collect IPv4 removals first: backward-shift deletion moves entries during the walk.
        long[] removed = new long[8];
        int nRemoved = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                long k = keys[i];
                V next = f.apply(() -> unpack(k), (V) values[i]);
                if (next == null) {
                    if (nRemoved == removed.length) {
                        removed = Arrays.copyOf(removed, nRemoved * 2);
                    }
                    removed[nRemoved++] = k;
                } else {
                    values[i] = next;
                }
            }
        }
        for (int j = 0; j < nRemoved; j++) {
            int slot = find(removed[j]);
            if (slot >= 0) {
                deleteSlot(slot);
            }
        }
        var it = other.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            V next = f.apply(e::getKey, e.getValue());
            if (next == null) {
                it.remove();
            } else {
                e.setValue(next);
            }
        }
    }

    /** The function of {@link #replaceAll}: the prefix is produced lazily. */
    @FunctionalInterface
    public interface BiFunctionOnEntry<V> {
        V apply(java.util.function.Supplier<Prefix> prefix, V value);
    }

    // ---- open addressing ---------------------------------------------------------------------

    private int find(long k) {
        if (at(k)) {
            return lastSlot;
        }
        int mask = keys.length - 1;
        for (int i = mix(k) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == k) {
                lastSlot = i;
                return i;
            }
            if (keys[i] == 0) {
                missKey = k;
                missSlot = i;
                missAt = keyChanges;
                return -1;
            }
        }
    }

    /** Whether the last lookup's slot holds {@code k}. */
    private boolean at(long k) {
        return lastSlot < keys.length && keys[lastSlot] == k;
    }

    /** Backward-shift deletion (Knuth 6.4 algorithm R): no tombstones, probes stay short. */
    private void deleteSlot(int slot) {
        int mask = keys.length - 1;
        int hole = slot;
        for (int i = (slot + 1) & mask; keys[i] != 0; i = (i + 1) & mask) {
            int home = mix(keys[i]) & mask;
            // Move entry i into the hole if its home is not cyclically in (hole, i].
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hole = i;
            }
        }
        keys[hole] = 0;
        values[hole] = null;
        size4--;
        keyChanges++;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            long k = oldKeys[j];
            if (k != 0) {
                int i = mix(k) & mask;
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                values[i] = oldValues[j];
            }
        }
    }

    /**
     * The home slot of a packed key. Neighbouring prefixes of one length (the prefix bits read as a
     * number differ by one: 100.64.0.1/32 and 100.64.0.2/32, or 10.0.1.0/24 and 10.0.2.0/24) get
     * neighbouring slots in runs of {@link #RUN}, and the runs are scattered by a multiplicative
     * hash. Peers send their tables in prefix order, so a run shares cache lines in all three
     * tables a route touches (Loc-RIB, Adj-RIB-Out, its queue) instead of missing once per table.
     */
    private static int mix(long k) {
        long v = k - 1;
        int len = (int) (v & 63);
        long network = len == 0 ? 0 : (v >>> 6) >>> (32 - len); // the prefix bits
        long h = ((network >>> RUN_BITS) << 6 | len) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) << RUN_BITS | (int) (network & (RUN - 1));
    }

    private static final int RUN_BITS = 3;
    private static final int RUN = 1 << RUN_BITS;

    static long pack(Prefix p) {
        long a = p.v4Bits() & 0xffffffffL;
        return ((a << 6) | p.length()) + 1;
    }

    static Prefix unpack(long k) {
        long v = k - 1;
        return Prefix.v4((int) (v >>> 6), (int) (v & 63), 0);
    }

    private static Prefix canonical(Prefix p) {
        return p.pathId() == 0 ? p : p.withPathId(0);
    }
}
