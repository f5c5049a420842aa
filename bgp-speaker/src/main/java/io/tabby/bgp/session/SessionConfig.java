package io.tabby.bgp.session;

import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.Family;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.Set;

/**
 * Everything one session's FSM and OPEN depend on. {@code peerAs} 0 accepts any AS (dynamic
 * neighbors without a fixed AS). Timer defaults follow RFC 4271 section 10 except where a
 * shorter value is usual in data centres (configurable).
 *
 * @param holdTime proposed hold time in seconds; 0 disables hold and keepalive timers, else >= 3
 * @param connectRetry ConnectRetryTime
 * @param delayOpen DelayOpenTime, zero = off (RFC 4271 8.1.1 DelayOpen)
 * @param idleHold first automatic-restart delay after an error; doubled per consecutive failure
 * @param maxIdleHold the backoff ceiling
 * @param addPath RFC 7911 send/receive mode advertised for every family (0 = no ADD-PATH)
 * @param fourOctetAs advertise the 4-octet AS capability (off only to test OLD-speaker peers)
 * @param gracefulRestart the RFC 4724 capability we advertise (restart time, R bit, F bit per
 *     family), or null for none; families not in {@code families} are left out of the OPEN
 */
public record SessionConfig(
        long localAs,
        Inet4Address routerId,
        long peerAs,
        boolean passive,
        int holdTime,
        Duration connectRetry,
        Duration delayOpen,
        Duration idleHold,
        Duration maxIdleHold,
        Set<Family> families,
        int addPath,
        boolean extendedNextHop,
        boolean extendedMessage,
        boolean fourOctetAs,
        Capability.GracefulRestart gracefulRestart) {

    public SessionConfig {
        families = Set.copyOf(families);
        if (holdTime != 0 && holdTime < 3) {
            throw new IllegalArgumentException("hold time must be 0 or at least 3 seconds: " + holdTime);
        }
        if (holdTime > 0xffff || localAs <= 0 || localAs > 0xffffffffL) {
            throw new IllegalArgumentException("hold time or local AS out of range");
        }
    }

    /** Without graceful restart (the shape before RFC 4724 support; callers that do not use it). */
    public SessionConfig(long localAs, Inet4Address routerId, long peerAs, boolean passive, int holdTime,
            Duration connectRetry, Duration delayOpen, Duration idleHold, Duration maxIdleHold, Set<Family> families,
            int addPath, boolean extendedNextHop, boolean extendedMessage, boolean fourOctetAs) {
        this(localAs, routerId, peerAs, passive, holdTime, connectRetry, delayOpen, idleHold, maxIdleHold, families,
                addPath, extendedNextHop, extendedMessage, fourOctetAs, null);
    }

    /** Sensible defaults: active, hold 90, ConnectRetry 5 s, no DelayOpen, IPv4 unicast. */
    public static SessionConfig of(long localAs, Inet4Address routerId, long peerAs) {
        return new SessionConfig(localAs, routerId, peerAs, false, 90, Duration.ofSeconds(5), Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(60), Set.of(Family.IPV4_UNICAST), 0, false, false, true);
    }

    public SessionConfig withPassive(boolean p) {
        return new SessionConfig(localAs, routerId, peerAs, p, holdTime, connectRetry, delayOpen, idleHold, maxIdleHold,
                families, addPath, extendedNextHop, extendedMessage, fourOctetAs, gracefulRestart);
    }

    public SessionConfig withHoldTime(int h) {
        return new SessionConfig(localAs, routerId, peerAs, passive, h, connectRetry, delayOpen, idleHold, maxIdleHold,
                families, addPath, extendedNextHop, extendedMessage, fourOctetAs, gracefulRestart);
    }

    public SessionConfig withDelayOpen(Duration d) {
        return new SessionConfig(localAs, routerId, peerAs, passive, holdTime, connectRetry, d, idleHold, maxIdleHold,
                families, addPath, extendedNextHop, extendedMessage, fourOctetAs, gracefulRestart);
    }

    public SessionConfig withPeerAs(long as) {
        return new SessionConfig(localAs, routerId, as, passive, holdTime, connectRetry, delayOpen, idleHold, maxIdleHold,
                families, addPath, extendedNextHop, extendedMessage, fourOctetAs, gracefulRestart);
    }

    /** Advertise {@code cap} (RFC 4724) in the OPEN, or nothing with null. */
    public SessionConfig withGracefulRestart(Capability.GracefulRestart cap) {
        return new SessionConfig(localAs, routerId, peerAs, passive, holdTime, connectRetry, delayOpen, idleHold, maxIdleHold,
                families, addPath, extendedNextHop, extendedMessage, fourOctetAs, cap);
    }
}
