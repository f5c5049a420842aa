package io.tabby.bgp.gr;

import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.Family;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The restarting-speaker side of graceful restart, RFC 4724 section 4.1, as a pure state
 * machine. After a restart (our OPEN carries the Restart State bit), best-path results are not
 * advertised and the kernel FIB is not touched (so the forwarding state the previous process
 * left keeps forwarding) for a family until every peer we wait for has sent End-of-RIB for it,
 * or the selection deferral timer expires. We do not wait for peers that do not advertise
 * graceful restart, that set the Restart State bit themselves, or that do not carry the family.
 *
 * <p>Events in ({@link #start}, {@link #peerUp}, {@link #endOfRib}, {@link #deferralExpired}),
 * families whose selection may now run out.
 */
public final class GrRestarting {
    private final Map<Family, Set<InetAddress>> waiting = new LinkedHashMap<>();
    private final Duration deferral;

    /**
     * @param families the families deferred
     * @param peers every configured neighbour
     * @param deferral the selection deferral time (FRR {@code select-defer-time}, 360 s by default)
     */
    public GrRestarting(Set<Family> families, Set<InetAddress> peers, Duration deferral) {
        this.deferral = deferral;
        for (Family f : families) {
            waiting.put(f, new HashSet<>(peers));
        }
    }

    /** How long to wait at most; schedule {@link #deferralExpired} after it. */
    public Duration deferral() {
        return deferral;
    }

    /** Families still deferred. */
    public Set<Family> deferred() {
        return Set.copyOf(waiting.keySet());
    }

    /** Families that need no waiting at all (no peers configured). */
    public List<Family> start() {
        return releaseEmpty();
    }

    /** A session came up with these negotiated families and (maybe) a GR capability. */
    public List<Family> peerUp(InetAddress peer, Set<Family> families, Optional<Capability.GracefulRestart> cap) {
        boolean willSendEor = cap.isPresent() && !cap.get().restarted();
        for (Map.Entry<Family, Set<InetAddress>> e : waiting.entrySet()) {
            if (!willSendEor || !families.contains(e.getKey())) {
                e.getValue().remove(peer);
            }
        }
        return releaseEmpty();
    }

    public List<Family> endOfRib(InetAddress peer, Family family) {
        Set<InetAddress> w = waiting.get(family);
        if (w != null) {
            w.remove(peer);
        }
        return releaseEmpty();
    }

    /** The selection deferral timer fired: everything still deferred goes. */
    public List<Family> deferralExpired() {
        List<Family> out = new ArrayList<>(waiting.keySet());
        waiting.clear();
        return out;
    }

    private List<Family> releaseEmpty() {
        List<Family> out = new ArrayList<>();
        waiting.entrySet().removeIf(e -> {
            if (e.getValue().isEmpty()) {
                out.add(e.getKey());
                return true;
            }
            return false;
        });
        return out;
    }
}
