package io.tabby.bgp.routing;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.util.List;

/**
 * Per-neighbour counters kept by the RIB, mirrored into Dropwizard metrics under
 * {@code bgp.peer.<address>.*} (UPDATEs in and out, prefixes by direction). Session state and
 * transitions belong to the session layer and are not counted here. Owned by the RIB thread;
 * the gauges read plain fields, which is fine for monitoring.
 */
final class PeerCounters {
    final Counter updatesIn;
    final Counter updatesOut;
    final Counter announcementsIn;
    final Counter withdrawalsIn;
    final Counter rejected;
    long accepted;
    long advertised;
    String lastRejection = "";
    private final MetricRegistry registry;
    private final String prefix;

    PeerCounters(MetricRegistry registry, String peer, java.util.function.LongSupplier received) {
        this.registry = registry;
        this.prefix = MetricRegistry.name("bgp", "peer", peer);
        updatesIn = registry.counter(MetricRegistry.name(prefix, "updates", "in"));
        updatesOut = registry.counter(MetricRegistry.name(prefix, "updates", "out"));
        announcementsIn = registry.counter(MetricRegistry.name(prefix, "announcements", "in"));
        withdrawalsIn = registry.counter(MetricRegistry.name(prefix, "withdrawals", "in"));
        rejected = registry.counter(MetricRegistry.name(prefix, "prefixes", "rejected"));
        registry.gauge(MetricRegistry.name(prefix, "prefixes", "accepted"), () -> (Gauge<Long>) () -> accepted);
        registry.gauge(MetricRegistry.name(prefix, "prefixes", "advertised"), () -> (Gauge<Long>) () -> advertised);
        registry.gauge(MetricRegistry.name(prefix, "prefixes", "received"), () -> (Gauge<Long>) received::getAsLong);
    }

    /** Removes this neighbour's metrics (neighbour deconfigured). */
    void unregister() {
        for (String n : List.copyOf(registry.getNames())) {
            if (n.startsWith(prefix + ".")) {
                registry.remove(n);
            }
        }
    }
}
