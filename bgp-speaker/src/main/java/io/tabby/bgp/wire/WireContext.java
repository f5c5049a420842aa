package io.tabby.bgp.wire;

import java.util.Set;

/**
 * Per-session, per-direction facts the byte layout depends on: whether both sides negotiated
 * 4-octet AS numbers (RFC 6793), the families whose NLRI carry ADD-PATH identifiers in this
 * direction (RFC 7911), and the maximum message length (4096, or 65535 with RFC 8654). Before
 * the OPEN exchange completes, {@link #INITIAL} applies.
 */
public record WireContext(boolean fourOctetAs, Set<Family> addPath, boolean extendedMessage) {
    public static final int MAX_LENGTH = 4096;
    public static final int MAX_EXTENDED_LENGTH = 65535;

    /** Before negotiation: 2-octet ASNs, no ADD-PATH, 4096-octet messages. */
    public static final WireContext INITIAL = new WireContext(false, Set.of(), false);
    /** The common modern case, for tests and tools. */
    public static final WireContext FOUR_OCTET = new WireContext(true, Set.of(), false);

    public WireContext {
        addPath = Set.copyOf(addPath);
    }

    public int maxLength() {
        return extendedMessage ? MAX_EXTENDED_LENGTH : MAX_LENGTH;
    }

    public boolean addPath(Family f) {
        return addPath.contains(f);
    }
}
