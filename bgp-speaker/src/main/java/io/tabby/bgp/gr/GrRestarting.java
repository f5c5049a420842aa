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
 * <p>The kernel FIB waits longer than selection: also for the End-of-RIB of a peer that set the
 * Restart State bit (RFC 4724 excludes it from the selection wait so that two restarting speakers
 * do not wait for each other; it gets our routes and End-of-RIB at once, finishes its own restart
 * and then sends its table). Releasing the FIB before that would replace the previous process's
 * routes with whatever little has been learned so far: a flap GR exists to avoid. FRR sets the
 * bit in every OPEN for a while after bgpd starts, so this is the common case, not a corner.
 *
 * <p>Events in ({@link #start}, {@link #peerUp}, {@link #endOfRib}, {@link #deferralExpired}),
 * families whose selection may now run out.
 */
public final class GrRestarting {
    private final Map<Family, Set<InetAddress>> waiting = new LinkedHashMap<>();
    private final Map<Family, Set<InetAddress>> fibWaiting = new LinkedHashMap<>();
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
            fibWaiting.put(f, new HashSet<>(peers));
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
        boolean waitForIt = cap.isPresent() && !cap.get().restarted();
        for (Map.Entry<Family, Set<InetAddress>> e : waiting.entrySet()) {
            if (!waitForIt || !families.contains(e.getKey())) {
                e.getValue().remove(peer);
            }
        }
        for (Map.Entry<Family, Set<InetAddress>> e : fibWaiting.entrySet()) {
            if (cap.isEmpty() || !families.contains(e.getKey())) {
                e.getValue().remove(peer);
            }
        }
        return releaseEmpty();
    }

    public List<Family> endOfRib(InetAddress peer, Family family) {
        for (Map<Family, Set<InetAddress>> m : List.of(waiting, fibWaiting)) {
            Set<InetAddress> w = m.get(family);
            if (w != null) {
                w.remove(peer);
            }
        }
        return releaseEmpty();
    }

    /** The selection deferral timer fired: everything still deferred goes, the FIB too. */
    public List<Family> deferralExpired() {
        List<Family> out = new ArrayList<>(waiting.keySet());
        waiting.clear();
        fibWaiting.clear();
        return out;
    }

    /** True while the kernel FIB must stay as the previous process left it (selection deferred, or an End-of-RIB still due). */
    public boolean fibHeld() {
        return !waiting.isEmpty() || fibWaiting.values().stream().anyMatch(w -> !w.isEmpty());
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
