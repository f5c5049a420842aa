package io.tabby.netlink;

import io.tabby.netlink.ns.NetNs;
import io.tabby.netlink.sys.Errno;
import io.tabby.netlink.sys.ErrnoException;
import io.tabby.netlink.wire.Frame;
import io.tabby.netlink.wire.Rt;
import io.tabby.netlink.wire.RtMessage;
import io.tabby.netlink.wire.WireException;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel change notifications from one namespace, decoded and handed to a consumer on a thread
 * this subscription owns. The socket is opened inside the namespace (on its worker thread) and
 * joined to the chosen multicast groups; {@link #close()} stops the thread within a receive
 * timeout and closes the socket.
 */
public final class Subscription implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Subscription.class);
    private static final int POLL_MS = 200;

    private final NetlinkSocket socket;
    private final Thread thread;
    private volatile boolean closed;

    Subscription(NetNs ns, Set<EventGroup> groups, Consumer<Event> consumer) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("subscribe to at least one event group");
        }
        int[] g = groups.stream().mapToInt(EventGroup::group).toArray();
        this.socket = ns.call(() -> NetlinkSocket.open(g, POLL_MS));
        this.thread = Thread.ofPlatform().daemon().name("netlink-events-" + ns.path().getFileName())
                .start(() -> loop(consumer));
    }

    private void loop(Consumer<Event> consumer) {
        while (!closed) {
            List<Frame> frames;
            try {
                frames = socket.receive(true);
            } catch (ErrnoException e) {
                if (e.code() == Errno.ENOBUFS.code()) {
                    deliver(consumer, new Event.Overflow());
                    continue;
                }
                if (!closed) {
                    log.atError().setCause(e).log("netlink event socket failed; subscription stops");
                }
                return;
            } catch (WireException e) {
                log.atWarn().setCause(e).log("undecodable event datagram skipped");
                continue;
            }
            for (Frame f : frames) {
                if (f instanceof RtMessage m) {
                    Event e;
                    try {
                        e = decode(m);
                    } catch (RuntimeException bad) {
                        log.atWarn().addKeyValue("type", Rt.typeName(m.type())).setCause(bad).log("undecodable event skipped");
                        continue;
                    }
                    if (e != null) {
                        deliver(consumer, e);
                    }
                }
            }
        }
    }

    /** A consumer that throws loses that one event, not the subscription. */
    private static void deliver(Consumer<Event> consumer, Event e) {
        try {
            consumer.accept(e);
        } catch (RuntimeException failure) {
            log.atError().addKeyValue("event", e).setCause(failure).log("event consumer failed");
        }
    }

    static Event decode(RtMessage m) {
        return switch (m.type()) {
            case Rt.RTM_NEWLINK, Rt.RTM_DELLINK -> new Event.LinkEvent(m.type() == Rt.RTM_DELLINK, Messages.link(m));
            case Rt.RTM_NEWADDR, Rt.RTM_DELADDR -> new Event.AddrEvent(m.type() == Rt.RTM_DELADDR, Messages.addr(m));
            case Rt.RTM_NEWROUTE, Rt.RTM_DELROUTE -> new Event.RouteEvent(m.type() == Rt.RTM_DELROUTE, Messages.route(m));
            case Rt.RTM_NEWNEIGH, Rt.RTM_DELNEIGH -> new Event.NeighEvent(m.type() == Rt.RTM_DELNEIGH, Messages.neigh(m));
            default -> null;
        };
    }

    /** Stops delivering events; returns once the delivery thread has ended. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        socket.close();
    }
}
