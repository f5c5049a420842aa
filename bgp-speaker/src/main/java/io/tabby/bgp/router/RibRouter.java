package io.tabby.bgp.router;

import io.netty.channel.EventLoop;
import io.tabby.bgp.config.GracefulRestartConfig;
import io.tabby.bgp.fib.FibExporter;
import io.tabby.bgp.gr.GrDriver;
import io.tabby.bgp.gr.GrHelper;
import io.tabby.bgp.gr.GrRestarting;
import io.tabby.bgp.gr.Scheduler;
import io.tabby.bgp.policy.MaxPrefix;
import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.routing.LookingGlass;
import io.tabby.bgp.routing.Neighbour;
import io.tabby.bgp.routing.Rib;
import io.tabby.bgp.session.Negotiated;
import io.tabby.bgp.session.PeerSession;
import io.tabby.bgp.session.Reason;
import io.tabby.bgp.session.SessionListener;
import io.tabby.bgp.session.State;
import io.tabby.bgp.wire.BgpMessage;
import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.wire.WireContext;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Part 2's RIB behind part 1's {@link SessionListener}: the session callbacks (each on its peer's
 * event loop) hop onto the RIB's own single-thread loop, feed the {@link Rib}, and after each event
 * the UPDATEs now due are drained to the sessions and the FIB (if any) is applied.
 *
 * <pre>
 *  PeerSession (peer loops) ──up/down/update/refresh──> [RIB loop] Rib ──drain──> PeerSession.send
 *                                                                  └──Change──> FibExporter.apply ──> kernel
 * </pre>
 *
 * <p>A neighbour is (re)registered with the RIB when its session comes up, because its BGP
 * identifier is only known from its OPEN; {@code neighbours} turns the peer and our address on
 * the session into the neighbour's routing settings (policies, next hop, RR client).
 * Max-prefix: a warning is logged; a Cease sends the RFC 4486 NOTIFICATION, stops the session
 * and starts it again after the configured delay.
 *
 * <p>Graceful restart (RFC 4724) runs through a {@link GrDriver} on the RIB loop, its timers on
 * the same loop: a session lost without NOTIFICATION whose peer negotiated graceful restart keeps
 * the peer's routes as stale (in the RIB and the kernel) instead of withdrawing them; the peer's
 * End-of-RIB sweeps what it did not re-announce. After our own restart ({@code restarted}: our
 * kernel routes were still there at start) nothing is advertised until every graceful-restart peer
 * has sent End-of-RIB (peers restarting themselves excepted) or the deferral time ran out, and the
 * FIB is not synced until the restarting peers' End-of-RIB too; then one full sync removes only the
 * kernel routes no longer wanted, and the sessions' later OPENs clear the Restart State bit.
 */
public final class RibRouter implements SessionListener {
    private static final Logger log = LoggerFactory.getLogger(RibRouter.class);

    private final EventLoop loop;
    private final Rib rib;
    private final FibExporter fib;
    private final BiFunction<Peer, InetAddress, Neighbour> neighbours;
    private final Map<InetAddress, PeerSession> sessions = new HashMap<>(); // RIB loop only
    private final Map<InetAddress, WireContext> tx = new HashMap<>(); // RIB loop only
    private final Map<InetAddress, Optional<Capability.GracefulRestart>> peerGr = new HashMap<>(); // RIB loop only
    private final GrDriver gr;
    /** Every session that ever reported a transition (from the peers' loops): told when our restart is over. */
    private final Set<PeerSession> known = ConcurrentHashMap.newKeySet();
    private volatile boolean restarting;
    private volatile Consumer<Error> fatal = e -> {
        throw e;
    };

    /**
     * @param loop the RIB's thread; everything below runs on it
     * @param fib where best paths go (registered as the RIB's listener here), or null for a route server
     * @param neighbours routing settings for a peer whose session came up (peer, our address on it)
     */
    public RibRouter(EventLoop loop, Rib rib, FibExporter fib, BiFunction<Peer, InetAddress, Neighbour> neighbours) {
        this(loop, rib, fib, neighbours, GracefulRestartConfig.OFF, false, Set.of());
    }

    /**
     * @param gr graceful restart settings (helper stale time; deferral time when {@code restarted})
     * @param restarted we restarted with our forwarding state preserved (see {@link #preserved}):
     *     defer selection and the FIB sync (RFC 4724 4.1); ignored when {@code gr} is off
     * @param peers every configured neighbour, the ones whose End-of-RIB a restart waits for
     */
    public RibRouter(EventLoop loop, Rib rib, FibExporter fib, BiFunction<Peer, InetAddress, Neighbour> neighbours,
            GracefulRestartConfig gr, boolean restarted, Set<InetAddress> peers) {
        this.loop = loop;
        this.rib = rib;
        this.fib = fib;
        this.neighbours = neighbours;
        if (fib != null) {
            rib.addListener(fib::onChange);
        }
        GrRestarting grRestarting = gr.on() && restarted ? new GrRestarting(rib.families(), peers, gr.deferral()) : null;
        Scheduler timers = (after, task) -> loop.schedule(() -> execute(task), after.toNanos(), TimeUnit.NANOSECONDS);
        this.restarting = grRestarting != null;
        this.gr = new GrDriver(rib, new GrHelper(gr.stale()), grRestarting, timers, this::released);
        execute(this.gr::start); // first task on the loop: nothing reaches the FIB or a peer before the deferral
    }

    /**
     * Whether we restart with our forwarding state preserved: routes of our protocol are still in
     * the kernel (the FIB outlived the process). Call before building the sessions: it decides the
     * Restart State and Forwarding State bits of our OPENs.
     */
    public static boolean preserved(FibExporter fib) {
        return fib != null && fib.kernelRouteCount() > 0;
    }

    /**
     * True while our own graceful restart still holds back selection: OPENs of sessions created
     * now carry the Restart State and Forwarding State bits. Readable from any thread.
     */
    public boolean restarting() {
        return restarting;
    }

    private void released(Family f) {
        if (!gr.deferring() && restarting) {
            restarting = false;
            log.atInfo().addKeyValue("family", f).addKeyValue("fibHeld", gr.holdingFib())
                    .log("graceful restart complete: selection released, Restart State bit cleared");
            known.forEach(PeerSession::restartComplete);
        }
    }

    /**
     * What to do when a RIB task throws an {@link Error} (out of memory, stack overflow): the task
     * stopped part-way, so the RIB may hold half of an UPDATE and must not go on advertising. The
     * default rethrows it to the event loop, which logs it and runs the next task; {@code tabby bgp
     * run} ends the process instead (graceful restart keeps the peers forwarding until it is back).
     */
    public RibRouter onFatalError(Consumer<Error> handler) {
        this.fatal = handler;
        return this;
    }

    /** Runs {@code r} on the RIB loop (the one way anybody touches the RIB). */
    public void execute(Runnable r) {
        if (loop.isShuttingDown()) {
            return; // the speaker is stopping: sessions going down no longer matter to the RIB
        }
        loop.execute(() -> {
            try {
                r.run();
                flush();
            } catch (RuntimeException e) {
                log.atError().setCause(e).log("RIB task failed");
            } catch (Error e) {
                log.atError().setCause(e).log("RIB task failed with an Error: the RIB may be inconsistent");
                fatal.accept(e);
            }
        });
    }

    /** Asks the RIB loop for a value (looking glass, tests). */
    public <T> CompletableFuture<T> query(java.util.function.Function<Rib, T> q) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(q.apply(rib));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    public void originate(Prefix prefix, AttrSet attrs) {
        execute(() -> rib.originate(prefix, attrs));
    }

    /** Originates every route of {@code routes} in one RIB task: one flush to the peers for the lot. */
    public void originate(Map<Prefix, AttrSet> routes) {
        execute(() -> routes.forEach(rib::originate));
    }

    /** Stops originating {@code prefixes}, in one RIB task. */
    public void withdrawOriginated(java.util.Collection<Prefix> prefixes) {
        execute(() -> prefixes.forEach(rib::withdrawOriginated));
    }

    public CompletableFuture<List<LookingGlass.PeerView>> peers() {
        return query(Rib::peers);
    }

    public CompletableFuture<LookingGlass.RouteView> route(Prefix p) {
        return query(r -> r.route(p));
    }

    @Override
    public void up(PeerSession session, Negotiated n) {
        InetAddress addr = session.remote().getAddress();
        InetAddress local = session.localAddress().getAddress();
        execute(() -> {
            Peer peer = Peer.neighbour(addr.getHostAddress(), n.peerId().getHostAddress(), n.peerAs(),
                    rib.speaker().as(), false);
            Neighbour nb = neighbours.apply(peer, local);
            if (rib.neighbour(addr).map(old -> old.peer().equals(nb.peer())).orElse(false)) {
                rib.updateNeighbour(nb); // same speaker: its paths (stale after a graceful restart) stay
            } else {
                if (rib.hasNeighbour(addr)) {
                    rib.removeNeighbour(addr); // identifier or AS changed: its (stale) paths go too
                }
                rib.addNeighbour(nb);
            }
            sessions.put(addr, session);
            tx.put(addr, n.tx());
            peerGr.put(addr, n.gracefulRestart());
            gr.sessionUp(addr, n.families(), n.gracefulRestart());
        });
    }

    @Override
    public void down(PeerSession session, Reason why, String detail) {
        InetAddress addr = session.remote().getAddress();
        execute(() -> {
            if (sessions.remove(addr) != null) {
                tx.remove(addr);
                Optional<Capability.GracefulRestart> cap = peerGr.remove(addr);
                // RFC 4724 4.2: only a loss without NOTIFICATION is a restart (no RFC 8538 N bit).
                boolean graceful = why == Reason.TCP_FAILED || why == Reason.HOLD_TIMER_EXPIRED
                        || why == Reason.PEER_RESTARTED;
                log.atInfo().addKeyValue("peer", addr.getHostAddress()).addKeyValue("reason", why)
                        .addKeyValue("detail", detail).addKeyValue("gracefulRestart", graceful && cap.isPresent())
                        .log("session down");
                gr.sessionDown(addr, graceful ? cap : Optional.empty());
            }
        });
    }

    @Override
    public void transition(PeerSession session, State from, State to, Reason why, String detail) {
        known.add(session);
    }

    @Override
    public void update(PeerSession session, BgpMessage.Update u, List<String> notes, boolean treatAsWithdraw) {
        InetAddress addr = session.remote().getAddress();
        execute(() -> {
            if (!sessions.containsKey(addr)) {
                return; // raced with down
            }
            Rib.Received r = rib.receive(addr, u, treatAsWithdraw);
            r.endOfRib().ifPresent(f -> gr.endOfRib(addr, f));
            for (MaxPrefix.Outcome o : r.limits()) {
                switch (o) {
                    case MaxPrefix.Outcome.Warn w -> log.atWarn().addKeyValue("peer", addr.getHostAddress())
                            .log(w.message());
                    case MaxPrefix.Outcome.Cease c -> {
                        log.atWarn().addKeyValue("peer", addr.getHostAddress()).addKeyValue("restartAfter", c.restartAfter())
                                .log(c.message());
                        session.stop(c.notification(), "max-prefix: " + c.message());
                        if (!c.restartAfter().isZero()) {
                            loop.schedule(session::start, c.restartAfter().toMillis(), TimeUnit.MILLISECONDS);
                        }
                    }
                    case MaxPrefix.Outcome.Within ok -> { }
                }
            }
        });
    }

    @Override
    public void refresh(PeerSession session, BgpMessage.RouteRefresh request) {
        InetAddress addr = session.remote().getAddress();
        execute(() -> {
            if (sessions.containsKey(addr)) {
                rib.refresh(addr, request.family());
            }
        });
    }

    /**
     * Sends what is due (one slice per peer, then again as a new task while more is queued, so
     * the sessions' loops get to write in between) and brings the kernel up to date. RIB loop only.
     */
    private void flush() {
        boolean more = false;
        for (InetAddress a : rib.pendingPeers()) {
            PeerSession s = sessions.get(a);
            WireContext ctx = tx.get(a);
            if (s != null && ctx != null) {
                s.send(rib.drain(a, ctx));
                more |= rib.pendingPeers().contains(a);
            }
        }
        if (fib != null && !gr.holdingFib()) {
            fib.apply(); // until our restart is over the kernel keeps what the last run left
        }
        if (more && !loop.isShuttingDown()) {
            loop.execute(this::flush);
        }
    }
}
