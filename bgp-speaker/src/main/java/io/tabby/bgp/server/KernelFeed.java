package io.tabby.bgp.server;

import io.netty.channel.EventLoop;
import io.tabby.bgp.fib.NextHopTable;
import io.tabby.bgp.fib.Redistributor;
import io.tabby.bgp.router.RibRouter;
import io.tabby.bgp.routing.Rib;
import io.tabby.netlink.Event;
import io.tabby.netlink.EventGroup;
import io.tabby.netlink.NetlinkHandle;
import io.tabby.netlink.RouteFilter;
import io.tabby.netlink.Subscription;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's routing table as an input of the RIB: route changes in the speaker's namespace
 * (netlink subscription, full dump at start and after lost events) keep the {@link NextHopTable}
 * current; shortly after a burst of changes, best paths are re-run ({@link Rib#reselect}) if a next
 * hop in use now resolves differently, and
 * the {@link Redistributor} re-reads what it selects. Everything but the event thread's filtering
 * runs on the RIB's loop; changes of our own route protocol (our FIB writes) never leave the
 * event thread.
 */
final class KernelFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KernelFeed.class);
    /** Kernel route events are coalesced for this long before best paths are re-run. */
    private static final long RESELECT_DELAY_MS = 100;

    private final NetlinkHandle netlink;
    private final EventLoop ribLoop;
    private final RibRouter router;
    private final Rib rib;
    private final NextHopTable nextHops; // null: next hops are not resolved
    private final Redistributor redistributor; // null: nothing redistributed
    private final int ourProtocol;
    private Subscription events;
    private boolean pending; // RIB loop only
    private boolean reselect; // RIB loop only: a next hop in use resolves differently since the last run

    KernelFeed(NetlinkHandle netlink, EventLoop ribLoop, RibRouter router, Rib rib, NextHopTable nextHops,
               Redistributor redistributor, int ourProtocol) {
        this.netlink = netlink;
        this.ribLoop = ribLoop;
        this.router = router;
        this.rib = rib;
        this.nextHops = nextHops;
        this.redistributor = redistributor;
        this.ourProtocol = ourProtocol;
    }

    /** Subscribes, then dumps: a change between the two is seen at least once. */
    KernelFeed start() {
        events = netlink.subscribe(Set.of(EventGroup.IPV4_ROUTE, EventGroup.IPV6_ROUTE), this::event);
        router.execute(this::resync);
        return this;
    }

    /** Netlink's event thread: hop onto the RIB loop with what matters. */
    private void event(Event e) {
        switch (e) {
            case Event.RouteEvent r when r.route().protocol().value() == ourProtocol -> {
                // our own FIB writes: they neither resolve next hops nor get redistributed
            }
            case Event.RouteEvent r -> router.execute(() -> {
                reselect |= nextHops != null && nextHops.apply(r.removed(), r.route());
                if (reselect || redistributor != null) {
                    schedule();
                }
            });
            case Event.Overflow o -> router.execute(this::resync);
            default -> { }
        }
    }

    /** Full read of the table (start, lost events). RIB loop. */
    private void resync() {
        if (nextHops != null) {
            nextHops.reset(netlink.routeList(RouteFilter.main()));
            reselect = true;
        }
        schedule();
    }

    /** Coalesces a burst of kernel changes into one reselect and one redistribution sync. */
    private void schedule() {
        if (pending) {
            return;
        }
        pending = true;
        ribLoop.schedule(() -> router.execute(() -> {
            pending = false;
            if (reselect) {
                reselect = false;
                int changed = rib.reselect();
                if (changed > 0) {
                    log.atInfo().addKeyValue("changed", changed).log("next-hop reachability changed best paths");
                }
            }
            if (redistributor != null) {
                redistributor.sync(rib);
            }
        }), RESELECT_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (events != null) {
            events.close();
        }
    }
}
