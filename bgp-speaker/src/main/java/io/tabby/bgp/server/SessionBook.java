package io.tabby.bgp.server;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.tabby.bgp.session.Reason;
import io.tabby.bgp.session.State;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the session layer tells about each neighbour that the RIB does not know: its FSM state and
 * since when, how many transitions, and the last error (a transition to Idle with its reason and
 * detail, which names the NOTIFICATION sent or received). Mirrored into Dropwizard metrics under
 * {@code bgp.session.<address>.state} (RFC 4273 bgpPeerState numbering: idle 1 .. established 6)
 * and {@code .transitions}. Written from the peers' event loops, read by the API: one small
 * record per peer, replaced whole.
 */
final class SessionBook {
    /** @param since millis of the last change into or out of Established */
    record Entry(State state, long since, long transitions, String lastError) {}

    private final MetricRegistry metrics;
    private final Clock clock;
    private final Map<InetAddress, Entry> entries = new ConcurrentHashMap<>();
    private final Map<InetAddress, Counter> transitions = new ConcurrentHashMap<>();

    SessionBook(MetricRegistry metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    void configured(InetAddress peer) {
        entries.computeIfAbsent(peer, a -> {
            register(a);
            return new Entry(State.IDLE, clock.millis(), 0, "");
        });
    }

    void transition(InetAddress peer, State from, State to, Reason reason, String detail) {
        configured(peer);
        transitions.get(peer).inc();
        entries.compute(peer, (a, e) -> {
            boolean upDown = (to == State.ESTABLISHED) != (e.state() == State.ESTABLISHED);
            String err = to == State.IDLE && reason != Reason.START && reason != Reason.IDLE_HOLD_EXPIRED
                    ? reason + (detail == null || detail.isEmpty() ? "" : ": " + detail) : e.lastError();
            return new Entry(to, upDown ? clock.millis() : e.since(), e.transitions() + 1, err);
        });
    }

    /** A dynamic peer left: its metrics go too. */
    void forget(InetAddress peer) {
        entries.remove(peer);
        transitions.remove(peer);
        metrics.removeMatching((name, m) -> name.startsWith(prefix(peer) + "."));
    }

    Map<InetAddress, Entry> snapshot() {
        return Map.copyOf(entries);
    }

    long uptimeSeconds(Entry e) {
        return Math.max(0, (clock.millis() - e.since()) / 1000);
    }

    private void register(InetAddress a) {
        String p = prefix(a);
        transitions.put(a, metrics.counter(MetricRegistry.name(p, "transitions")));
        metrics.gauge(MetricRegistry.name(p, "state"), () -> (Gauge<Integer>) () -> {
            Entry e = entries.get(a);
            return e == null ? 1 : e.state().ordinal() + 1;
        });
    }

    private static String prefix(InetAddress a) {
        return MetricRegistry.name("bgp", "session", a.getHostAddress());
    }
}
