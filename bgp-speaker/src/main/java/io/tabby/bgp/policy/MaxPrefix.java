package io.tabby.bgp.policy;

import io.tabby.bgp.wire.BgpMessage.Notification;
import io.tabby.bgp.wire.Bytes;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.NotificationCode;
import java.time.Duration;

/**
 * A limit on the prefixes one neighbour may have accepted in one family (BIRD's {@code import
 * limit}, FRR's {@code maximum-prefix}). {@link #check} is pure: it tells the session layer what
 * to do when the count moves from {@code before} to {@code after}; the session layer does it
 * (log, or send the NOTIFICATION, close, and reconnect after {@code restartAfter}).
 *
 * @param limit the most prefixes allowed
 * @param warnPercent a warning when the count first reaches this share of the limit (0 = none)
 * @param onExceed what crossing the limit does
 * @param restartAfter with {@link OnExceed#CEASE}: when to re-establish; zero means stay down
 */
public record MaxPrefix(long limit, int warnPercent, OnExceed onExceed, Duration restartAfter) {
    public enum OnExceed { WARN, CEASE }

    public MaxPrefix {
        if (limit < 1 || limit > 0xffffffffL) {
            throw new IllegalArgumentException("max-prefix limit must be 1..4294967295, was " + limit);
        }
        if (warnPercent < 0 || warnPercent > 100) {
            throw new IllegalArgumentException("max-prefix warning percent must be 0..100, was " + warnPercent);
        }
        if (restartAfter.isNegative()) {
            throw new IllegalArgumentException("max-prefix restart delay is negative: " + restartAfter);
        }
    }

    /** What to do, decided purely from the counts. */
    public sealed interface Outcome {
        /** Nothing to do. */
        record Within() implements Outcome {}

        /** Log: the count reached the warning threshold or (with WARN) the limit. */
        record Warn(long count, long limit, String message) implements Outcome {}

        /** Send {@code notification} (Cease 6/1), close, and reconnect after {@code restartAfter} unless zero. */
        record Cease(Notification notification, Duration restartAfter, String message) implements Outcome {}
    }

    private static final Outcome.Within WITHIN = new Outcome.Within();

    public Outcome check(Family family, long before, long after) {
        if (after > limit && before <= limit) {
            String msg = family + " prefixes " + after + " exceed the limit " + limit;
            return onExceed == OnExceed.CEASE
                    ? new Outcome.Cease(ceaseNotification(family), restartAfter, msg)
                    : new Outcome.Warn(after, limit, msg);
        }
        long threshold = warnPercent == 0 ? Long.MAX_VALUE : Math.max(1, limit * warnPercent / 100);
        if (after >= threshold && before < threshold && after <= limit) {
            return new Outcome.Warn(after, limit, family + " prefixes " + after + " reached " + warnPercent
                    + "% of the limit " + limit);
        }
        return WITHIN;
    }

    /** RFC 4486 section 4: Cease 6/1 with AFI (2), SAFI (1) and the upper bound (4 octets). */
    public Notification ceaseNotification(Family family) {
        byte[] d = {
            (byte) (family.afi() >> 8), (byte) family.afi(), (byte) family.safi(),
            (byte) (limit >>> 24), (byte) (limit >>> 16), (byte) (limit >>> 8), (byte) limit,
        };
        return Notification.of(NotificationCode.MAXIMUM_NUMBER_OF_PREFIXES_REACHED, Bytes.of(d));
    }
}
