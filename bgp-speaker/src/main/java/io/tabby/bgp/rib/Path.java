package io.tabby.bgp.rib;

/**
 * One path to a prefix: its (interned) attributes, the peer it came from, its ADD-PATH
 * identifier (RFC 7911; 0 without ADD-PATH) and flags. The prefix itself is not a field: a path
 * is always stored under its prefix in a {@link PrefixMap}, and leaving it out saves an object
 * per route at a million routes. {@link Route} pairs the two where both are needed.
 *
 * <p>A path is identified within its prefix by {@code (source, pathId)}: a new path with the
 * same identity replaces the old one (an implicit withdraw, RFC 4271 section 3.1).
 */
public record Path(AttrSet attrs, Peer source, int pathId, int flags) {
    /** RFC 4724 section 4.2: kept while the peer restarts, swept unless refreshed. */
    public static final int STALE = 1;

    public Path {
        if (attrs == null || source == null) {
            throw new IllegalArgumentException("a path needs attributes and a source peer");
        }
    }

    public Path(AttrSet attrs, Peer source) {
        this(attrs, source, 0, 0);
    }

    public boolean stale() {
        return (flags & STALE) != 0;
    }

    public Path withFlags(int f) {
        return f == flags ? this : new Path(attrs, source, pathId, f);
    }

    public Path withAttrs(AttrSet a) {
        return a == attrs ? this : new Path(a, source, pathId, flags);
    }

    /** Same source and path id: the later one replaces the earlier. */
    public boolean sameIdentity(Path o) {
        return o.source.equals(source) && o.pathId == pathId;
    }

    @Override
    public String toString() {
        return "Path[from " + source + (pathId != 0 ? " id " + Integer.toUnsignedString(pathId) : "")
                + (stale() ? " STALE " : " ") + attrs + "]";
    }
}
