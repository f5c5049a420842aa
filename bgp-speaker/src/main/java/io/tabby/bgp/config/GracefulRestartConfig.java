package io.tabby.bgp.config;

import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.Family;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code gracefulRestart} block (RFC 4724). Absent: graceful restart is off (no capability
 * advertised, a lost session's routes are flushed at once). Present: on, each field defaulted.
 *
 * <pre>
 * gracefulRestart:
 *   enabled: true        # default true when the block is present
 *   restartTime: 120     # seconds we ask peers to keep our routes while we restart (Calico/BIRD: 120); 1..4095
 *   deferralTime: 360    # after our own restart: longest wait for the peers' End-of-RIB before
 *                        # best-path selection, advertisement and the kernel sync (FRR select-defer-time)
 *   staleTime: 360       # as helper: longest wait for a reconnected peer's End-of-RIB (FRR stalepath-time)
 * </pre>
 */
public record GracefulRestartConfig(Boolean enabled, Integer restartTime, Integer deferralTime, Integer staleTime) {
    public static final GracefulRestartConfig OFF = new GracefulRestartConfig(false, null, null, null);

    public boolean on() {
        return enabled == null || enabled;
    }

    public int restartTimeOrDefault() {
        return restartTime == null ? 120 : restartTime;
    }

    public Duration deferral() {
        return Duration.ofSeconds(deferralTime == null ? 360 : deferralTime);
    }

    public Duration stale() {
        return Duration.ofSeconds(staleTime == null ? 360 : staleTime);
    }

    void validate() {
        if (restartTime != null && (restartTime < 1 || restartTime > 0xfff)) {
            throw new IllegalArgumentException("gracefulRestart.restartTime must be 1..4095 seconds (12 bits), got "
                    + restartTime);
        }
        if (deferralTime != null && deferralTime < 1) {
            throw new IllegalArgumentException("gracefulRestart.deferralTime must be at least 1 second, got " + deferralTime);
        }
        if (staleTime != null && staleTime < 1) {
            throw new IllegalArgumentException("gracefulRestart.staleTime must be at least 1 second, got " + staleTime);
        }
    }

    /**
     * The capability for our OPENs, or null when off (see {@code docs/bgp.md}, "Graceful restart").
     * {@code restarting}: our restart is still in progress (Restart State bit). {@code preserved}:
     * this process started with its kernel routes still in place, so every family's Forwarding
     * State bit is set; after a cold start it is clear (nothing we forward was preserved, so a
     * peer must not keep forwarding to us on our old routes). No Notification bit: RFC 8538 is not
     * implemented, so a NOTIFICATION always ends a session hard.
     */
    public Capability.GracefulRestart capability(Set<Family> families, boolean restarting, boolean preserved) {
        if (!on()) {
            return null;
        }
        return new Capability.GracefulRestart(restarting, false, restartTimeOrDefault(), families.stream()
                .sorted(Family.ORDER)
                .map(f -> new Capability.GracefulRestart.GrFamily(f, preserved)).toList());
    }
}
