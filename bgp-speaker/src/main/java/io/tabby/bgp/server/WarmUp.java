package io.tabby.bgp.server;

import com.codahale.metrics.MetricRegistry;
import io.tabby.bgp.config.BgpConfig;
import io.tabby.bgp.policy.ExportRules;
import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.routing.LookingGlass;
import io.tabby.bgp.session.Negotiated;
import io.tabby.bgp.session.PeerSession;
import io.tabby.bgp.session.State;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.Prefix;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the JIT before the real sessions open. A fresh JVM meets its first large burst of
 * UPDATEs in the interpreter and spends about as much CPU compiling as routing (docs/benchmarks.md:
 * at 1M routes on one core, C1 and C2 take about half of a cold speaker's CPU, and the same burst
 * into the same process a second time takes 0.3-0.5 of the time). Temurin 25 caches classes and
 * method profiles ahead of time (JEPs 483, 515) but no compiled code, and an AOT cache with
 * profiles was measured not to help (C2 then compiles more, earlier), so the one way to have
 * compiled code at the first burst is to run the code before it.
 *
 * <p>The warm-up runs the real thing, not a model of it: four private {@link BgpServer}s on
 * loopback inside the speaker's namespace — a feeder (127.0.0.2) originating the routes, a hub
 * (127.0.0.1, the role our speaker plays) taking them over an eBGP session and passing them on,
 * a sink (127.0.0.3) receiving them, and a rival (127.0.0.4) offering the hub the same prefixes
 * over a longer AS_PATH — so the epoll transport, the codec, the FSM, the RIBs, best path, export
 * and UPDATE packing are all compiled with realistic profiles. A table round
 * announces {@code routes} /32s (half under one attribute set, which packs into full UPDATEs, half
 * under 64 sets that differ by MED, which makes many small ones), waits until the sink has them all,
 * withdraws them and waits until the sink has none; the sink stops reading at the start of each
 * phase until the hub's writes back up, as they do towards a slow real peer. Table rounds give the
 * per-route code its millions of calls but the per-message code only hundreds, and HotSpot
 * compiles a method at its top tier only after thousands of calls and only while its compile
 * queue is short; so each pass ends with a table round, an overlap round (the rival's routes, then
 * the feeder's better ones, the feeder's withdrawn, the rival's withdrawn: each prefix has two
 * paths, and every best path changes twice) and chatter rounds (1,000 routes, each
 * under an attribute set of its own: one UPDATE per route), each followed by a pause for the
 * compilers, until a chatter round costs the JIT under {@value #QUIET_COMPILE_MS} ms, and does
 * that again (up to {@value #MAX_TABLE_CHECKS} times) until the table and overlap rounds each cost
 * it under {@value #QUIET_TABLE_COMPILE_MS} ms. Each chatter phase ends with an End-of-RIB, which a
 * real session sends only at its start; each table and overlap round ends with a full collection
 * ({@link #compact}), so that the warm-up leaves no more of the heap touched than it needs. The
 * four speakers share nothing with ours but classes: their own RIBs, event loops and metrics;
 * nothing reaches the kernel's routing table.
 *
 * <p>Why the pushed-back writes and the End-of-RIBs: C2 compiles out a branch its profile has
 * never seen taken and leaves a trap there; the first time a real peer takes it, the whole
 * compiled method (for the write path, much of Netty's pipeline and our encoder inlined) is thrown
 * away and compiled again, during the burst. Measured with {@code -Xlog:deoptimization=debug}:
 * without them, the socket refusing a write and a session's End-of-RIB each trapped in the
 * first real burst after a warm-up (docs/benchmarks.md).
 *
 * <p>Best effort: any failure (no loopback in the namespace, a timeout) is logged and ends the
 * warm-up; the speaker then starts as it would have without one. Either way it ends by handing
 * the compilers' freed memory back to the kernel ({@link #trimNativeHeap}).
 */
final class WarmUp {
    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
    private static final String HUB = "127.0.0.1";
    private static final String FEEDER = "127.0.0.2";
    private static final String SINK = "127.0.0.3";
    private static final String RIVAL = "127.0.0.4";
    private static final long FEEDER_AS = 64601;
    private static final long HUB_AS = 64600;
    private static final long SINK_AS = 64602;
    private static final long RIVAL_AS = 64603;
    /** An AS the rival puts in its routes' AS_PATH, so that they lose to the feeder's on length. */
    private static final long RIVAL_UPSTREAM_AS = 64604;
    private static final int SHARED_SETS = 64;
    private static final int CHATTER_ROUTES = 1000;
    private static final int MAX_CHATTER_ROUNDS = 40;
    /** Chatter rounds stop, without failing, this long before the deadline. */
    private static final long CHATTER_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long QUIET_COMPILE_MS = 20;
    /** Table and overlap rounds that cost the JIT less than this end the warm-up (after the chatter rounds). */
    private static final long QUIET_TABLE_COMPILE_MS = 100;
    private static final int MAX_TABLE_CHECKS = 3;
    private static final long FINAL_QUIET_MS = 500;
    private static final long FINAL_SETTLE_MAX_MS = 5000;
    /** The longest a paused sink waits for the hub's writes to back up before it reads again. */
    private static final long PUSH_BACK_MAX_MS = 5000;
    /** How long after the hub has a whole phase from the feeder a paused sink still waits. */
    private static final long PUSH_BACK_GRACE_MS = 200;
    /**
     * The hub's socket send buffer (and high-water mark) and the sink's receive buffer: small
     * enough that a table round's UPDATEs (about 5 octets a route) overflow them when the sink
     * stops reading, and fixed, so the kernel does not grow the sink's window past that.
     */
    private static final int SMALL_BUFFER = 16 * 1024;

    /**
     * One round, its wall time and the JIT compilers' time within it (ms), and in how many of its
     * phases the hub's writes met a full socket.
     */
    record Round(Kind kind, long ms, long compileMs, int pushedBack) {}

    /** A table round, an overlap round (the table from two peers) or a chatter round. */
    enum Kind {
        TABLE, OVERLAP, CHATTER
    }

    /** The four speakers of a pass, and the sessions between them that a round works on. */
    private record Speakers(BgpServer hub, BgpServer feeder, BgpServer sink, BgpServer rival) {
        PeerSession feederToHub() {
            return feeder.peer(HUB);
        }

        PeerSession sinkToHub() {
            return sink.peer(HUB);
        }

        PeerSession hubToSink() {
            return hub.peer(SINK);
        }

        /** Prefixes the sink has been sent by the hub so far (announcements, not withdrawals). */
        long announcedToSink() {
            return sink.metrics().counter(MetricRegistry.name("bgp", "peer", HUB, "announcements", "in")).getCount();
        }

        String state() {
            return "hub " + views(hub) + ", feeder " + views(feeder) + ", sink " + views(sink) + ", rival " + views(rival)
                    + ", sink sent " + announcedToSink();
        }
    }

    /** What a finished warm-up did. */
    record Result(List<Round> rounds, long routesPerRound, Duration took, boolean complete, String failure,
            String nativeTrim) {
        Result {
            rounds = List.copyOf(rounds);
        }
    }

    private WarmUp() {}

    static Result run(BgpConfig.WarmUp settings, String netns) {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(settings.timeoutOrDefault());
        int n = settings.routesOrDefault();
        int rounds = settings.roundsOrDefault();
        List<Round> done = new ArrayList<>();
        try {
            Map<Prefix, AttrSet> routes = routes(n);
            Map<Prefix, AttrSet> chatter = chatter(CHATTER_ROUTES);
            // Two passes with fresh speakers: the first pass's sessions closing runs code (session
            // down, Cease, channel close) that the compiled routing code had never seen taken, and
            // the JIT throws that code away; the last round(s) compile it again with those paths
            // included, so closing the second pass costs no recompilation in our real first burst.
            int first = rounds == 1 ? 1 : rounds - 1;
            Map<Prefix, AttrSet> worse = worse(routes);
            pass(netns, routes, worse, first, chatter, deadline, done);
            if (rounds > first) {
                pass(netns, routes, worse, rounds - first, chatter, deadline, done);
            }
            // Longer than between rounds: the compile-time counter moves only when a compilation
            // ends, and one big C2 job can run for half a second; our sessions should not open
            // while it is still running.
            settle(deadline, FINAL_QUIET_MS, FINAL_SETTLE_MAX_MS);
            return result(settings, done, start, null);
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("rounds", done.size()).addKeyValue("error", String.valueOf(e.getMessage()))
                    .log("JIT warm-up stopped early; starting without it");
            return result(settings, done, start, String.valueOf(e.getMessage()));
        }
    }

    /**
     * Gives the C library's free memory back to the kernel, and returns the JVM's report of it
     * ({@code "Trim native heap: RSS+Swap: 233M->202M (-31024K)"}) or why it could not. The
     * compilations of a warm-up allocate and free compiler arenas, which glibc keeps for reuse
     * (the trim gave back 11-32 MiB in the 1M-route benchmark runs, docs/benchmarks.md); left there, they would sit under the process's peak
     * RSS for its whole life. HotSpot has a diagnostic command for this ({@code
     * System.trim_native_heap}, {@code malloc_trim} on glibc, since JDK 17); the platform MBean
     * server reaches it from inside.
     */
    static String trimNativeHeap() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
                    new Object[] {null}, new String[] {String[].class.getName()});
            return String.valueOf(out).strip();
        } catch (JMException | RuntimeException e) {
            return "not trimmed: " + e;
        }
    }

    /**
     * Four fresh speakers; {@code rounds} - 1 table rounds through them, then a paused table
     * round, an overlap round and chatter rounds until the JIT is quiet, repeated while the table
     * or the overlap round was not; then closed.
     */
    private static void pass(String netns, Map<Prefix, AttrSet> routes, Map<Prefix, AttrSet> worse, int rounds,
            Map<Prefix, AttrSet> chatter, long deadline, List<Round> done) {
        List<BgpServer> servers = new ArrayList<>(4);
        try {
            // The hub sends its two sources nothing (export policy "none"), as an eBGP session
            // without an export policy gets nothing (RFC 8212): the export's reject branch runs too.
            BgpServer hub = started(servers, new BgpServer(speaker(HUB_AS, HUB, netns, "{address: %s, port: 0}".formatted(HUB), """
                      - {address: %s, as: %d, passive: true, holdTime: 240, importPolicy: all, exportPolicy: none, keepReceived: false}
                      - {address: %s, as: %d, passive: true, holdTime: 240, importPolicy: all, exportPolicy: none, keepReceived: false}
                      - {address: %s, as: %d, passive: true, holdTime: 240, allowAll: true, keepReceived: false}
                    """.formatted(FEEDER, FEEDER_AS, RIVAL, RIVAL_AS, SINK, SINK_AS))).acceptedSendBuffer(SMALL_BUFFER));
            int port = hub.listenAddress().getPort();
            BgpServer feeder = started(servers, new BgpServer(speaker(FEEDER_AS, FEEDER, netns, "{port: -1}", client(port, FEEDER))));
            BgpServer sink = started(servers, new BgpServer(speaker(SINK_AS, SINK, netns, "{port: -1}", client(port, SINK)))
                    .connectedReceiveBuffer(SMALL_BUFFER));
            BgpServer rival = started(servers, new BgpServer(speaker(RIVAL_AS, RIVAL, netns, "{port: -1}", client(port, RIVAL))));
            Speakers sp = new Speakers(hub, feeder, sink, rival);
            await(deadline, "sessions to come up", sp::state, () -> hub.state(FEEDER) == State.ESTABLISHED
                    && hub.state(SINK) == State.ESTABLISHED && hub.state(RIVAL) == State.ESTABLISHED
                    && feeder.state(HUB) == State.ESTABLISHED && sink.state(HUB) == State.ESTABLISHED
                    && rival.state(HUB) == State.ESTABLISHED);
            for (int i = 0; i < rounds - 1; i++) {
                done.add(round(sp, routes, false, deadline, false));
            }
            // The last table round is followed by a pause for the compilers and by small rounds,
            // each paused too, until one leaves the JIT (nearly) nothing to do: the per-message
            // code is compiled at the top tier only after thousands of calls and only while the
            // compile queue is short. If the table round itself still kept the JIT busy, again.
            for (int attempt = 0; attempt < MAX_TABLE_CHECKS; attempt++) {
                Round table = round(sp, routes, false, deadline, true);
                done.add(table);
                Round overlap = overlapRound(sp, routes, worse, deadline);
                done.add(overlap);
                for (int i = 0; i < MAX_CHATTER_ROUNDS && deadline - System.nanoTime() > CHATTER_MARGIN_NANOS; i++) {
                    Round r = round(sp, chatter, true, deadline, true);
                    done.add(r);
                    if (r.compileMs() < QUIET_COMPILE_MS) {
                        break;
                    }
                }
                if (Math.max(table.compileMs(), overlap.compileMs()) < QUIET_TABLE_COMPILE_MS
                        || deadline - System.nanoTime() < CHATTER_MARGIN_NANOS) {
                    break;
                }
            }
        } finally {
            // Reverse order: the clients say goodbye before the hub's listener goes.
            for (int i = servers.size() - 1; i >= 0; i--) {
                servers.get(i).close();
            }
        }
    }

    /**
     * Announces {@code routes}, waits until the sink has them all, withdraws them, waits until it
     * has none; then compacts the heap after a table round and, with {@code settle}, waits for the
     * compilers to go quiet.
     */
    private static Round round(Speakers sp, Map<Prefix, AttrSet> routes, boolean chatter, long deadline, boolean settle) {
        var jit = ManagementFactory.getCompilationMXBean();
        long t0 = System.nanoTime();
        long c0 = jit.getTotalCompilationTime();
        int n = routes.size();
        int pushedBack = phase(sp, chatter, () -> sp.feeder().router().originate(routes), n, deadline);
        await(deadline, "the sink to have all " + n + " routes", sp::state, () -> accepted(sp.sink(), HUB) == n);
        pushedBack += phase(sp, chatter, () -> sp.feeder().router().withdrawOriginated(routes.keySet()), 0, deadline);
        await(deadline, "the sink to have no routes", sp::state, () -> accepted(sp.sink(), HUB) == 0);
        if (!chatter) {
            compact();
        }
        if (settle) {
            settle(deadline, 100, 1000); // give the compilers the quiet they need to move code up a tier
        }
        return new Round(chatter ? Kind.CHATTER : Kind.TABLE, (System.nanoTime() - t0) / 1_000_000,
                jit.getTotalCompilationTime() - c0, pushedBack);
    }

    /**
     * The table from two peers, as a prefix learned over two uplinks is: the rival announces
     * {@code worse} (the same prefixes with a longer AS_PATH), the feeder announces {@code routes}
     * (every best path changes), the feeder withdraws (every prefix falls back to the rival's path),
     * and the rival withdraws; each phase waits until the sink has been told of every change.
     * Without it the code that keeps two paths for a prefix, chooses between them and falls back
     * first runs in a real burst, and is compiled there (docs/benchmarks.md, "Overlap").
     */
    private static Round overlapRound(Speakers sp, Map<Prefix, AttrSet> routes, Map<Prefix, AttrSet> worse,
            long deadline) {
        var jit = ManagementFactory.getCompilationMXBean();
        long t0 = System.nanoTime();
        long c0 = jit.getTotalCompilationTime();
        int n = routes.size();
        long sent = sp.announcedToSink();
        sp.rival().router().originate(worse);
        awaitSent(sp, sent += n, "the rival's routes", deadline);
        sp.feeder().router().originate(routes);
        awaitSent(sp, sent += n, "the feeder's better routes", deadline);
        sp.feeder().router().withdrawOriginated(routes.keySet());
        awaitSent(sp, sent += n, "the fall back to the rival's routes", deadline);
        sp.rival().router().withdrawOriginated(worse.keySet());
        await(deadline, "the sink to have no routes", sp::state, () -> accepted(sp.sink(), HUB) == 0);
        compact();
        settle(deadline, 100, 1000);
        return new Round(Kind.OVERLAP, (System.nanoTime() - t0) / 1_000_000, jit.getTotalCompilationTime() - c0, 0);
    }

    private static void awaitSent(Speakers sp, long total, String what, long deadline) {
        await(deadline, "the sink to be sent " + what, sp::state, () -> sp.announcedToSink() >= total);
    }

    /**
     * Starts one phase of a round (the feeder's announcements or withdrawals, {@code feed}), after
     * which the hub will have {@code expected} routes from the feeder; 1 if the hub's writes backed
     * up in it. In a table round the sink stops reading until the hub's connection to it is
     * backlogged: a real monitor or route reflector client reads slower than we write a table, and
     * the branch where the socket refuses a write, never taken on an idle loopback, would
     * otherwise be compiled out and cost a deoptimisation and a recompilation of the whole write
     * path in our first real burst. A chatter phase ends with an End-of-RIB, which a real session
     * sends once at its start, for the same reason.
     */
    private static int phase(Speakers sp, boolean chatter, Runnable feed, long expected, long deadline) {
        if (chatter) {
            feed.run();
            endOfRib(sp.feederToHub());
            return 0;
        }
        sp.sinkToHub().pauseReading(true);
        feed.run();
        return pushBack(sp, expected, deadline) ? 1 : 0;
    }

    /**
     * Waits until the hub's connection to the paused sink is backlogged, then lets the sink read
     * again. A round too small to back it up ends the wait {@value #PUSH_BACK_GRACE_MS} ms after
     * the hub has taken in the whole phase from the feeder ({@code expected} routes).
     */
    private static boolean pushBack(Speakers sp, long expected, long deadline) {
        long until = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PUSH_BACK_MAX_MS));
        long graceEnd = Long.MAX_VALUE;
        try {
            for (int i = 0; System.nanoTime() < until && System.nanoTime() < graceEnd; i++) {
                if (sp.hubToSink().backlogged()) {
                    return true;
                }
                if (graceEnd == Long.MAX_VALUE && i % 10 == 0 && accepted(sp.hub(), FEEDER) == expected) {
                    graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PUSH_BACK_GRACE_MS);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            return false;
        } finally {
            sp.sinkToHub().pauseReading(false);
        }
    }

    /** An End-of-RIB for every family the session negotiated: harmless on a session long past its first. */
    private static void endOfRib(PeerSession s) {
        Negotiated n = s.negotiated();
        if (n != null) {
            n.families().stream().sorted(Family.ORDER).forEach(f -> s.sendRaw(Update.endOfRib(f)));
        }
    }

    /**
     * A full collection after each large round. The rounds' garbage is promoted into the old
     * generation until it is full, and every page it has touched stays in the process's RSS for
     * good (the heap is committed up front and never given back); compacting after each round
     * makes the next one reuse the same pages. Without it the overlap round took the old
     * generation to its end, and a 1M-route burst after the warm-up peaked about 20 MiB higher
     * (docs/benchmarks.md). It costs tens of milliseconds, with the warm-up's speakers nearly empty.
     */
    private static void compact() {
        System.gc();
    }

    /**
     * Waits (up to {@code maxMs}, within the deadline) until the compilers have finished nothing
     * for {@code quietMs}: what the last round queued is compiled before our sessions open, not
     * during their first burst.
     */
    private static void settle(long deadline, long quietMs, long maxMs) {
        var jit = ManagementFactory.getCompilationMXBean();
        long until = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs));
        long last = jit.getTotalCompilationTime();
        while (System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(quietMs));
            long now = jit.getTotalCompilationTime();
            if (now == last) {
                return;
            }
            last = now;
        }
    }

    private static Result result(BgpConfig.WarmUp settings, List<Round> done, long start, String failure) {
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String trim = trimNativeHeap();
        log.atInfo().addKeyValue("rounds", done).addKeyValue("routes", settings.routesOrDefault())
                .addKeyValue("ms", took.toMillis()).addKeyValue("nativeTrim", trim).log("JIT warm-up done");
        return new Result(done, settings.routesOrDefault(), took, failure == null, failure, trim);
    }

    private static BgpServer started(List<BgpServer> servers, BgpServer s) {
        servers.add(s); // closed in run()'s finally even if start() throws
        return s.start();
    }

    private static BgpConfig speaker(long as, String id, String netns, String listen, String peers) {
        return BgpConfig.parse("""
                localAs: %d
                routerId: %s
                %s
                listen: %s
                apiSocket: none
                nextHopResolution: none
                policies: {all: {otherwise: accept}, none: {otherwise: reject}}
                peers:
                %s""".formatted(as, id, netns == null ? "" : "netns: " + netns, listen, peers), "warm-up speaker " + id);
    }

    private static String client(int hubPort, String local) {
        return "  - {address: %s, port: %d, localAddress: %s, as: %d, holdTime: 240, connectRetry: 1, allowAll: true, keepReceived: false}\n"
                .formatted(HUB, hubPort, local, HUB_AS);
    }

    /**
     * {@code n} /32s from 100.64.0.0/10 (RFC 6598 shared space: never ours to route, and 4M long),
     * in address order: every other one under one plain attribute set, the rest spread over
     * {@value #SHARED_SETS} sets that differ by MED.
     */
    private static Map<Prefix, AttrSet> routes(int n) {
        List<AttrSet> sets = new ArrayList<>(1 + SHARED_SETS);
        sets.add(ExportRules.originate(0, List.of()));
        for (int m = 0; m < SHARED_SETS; m++) {
            sets.add(ExportRules.originate(0, List.of(new PathAttribute.MultiExitDisc(m))));
        }
        Map<Prefix, AttrSet> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(Prefix.v4(0x64400000 + i, 32, 0), sets.get((i & 1) == 0 ? 0 : 1 + (i >> 1) % SHARED_SETS));
        }
        return out;
    }

    /** {@code routes} with {@value #RIVAL_UPSTREAM_AS} in their AS_PATH: one AS longer once sent. */
    private static Map<Prefix, AttrSet> worse(Map<Prefix, AttrSet> routes) {
        Map<AttrSet, AttrSet> longer = new HashMap<>();
        Map<Prefix, AttrSet> out = new LinkedHashMap<>();
        routes.forEach((p, a) -> out.put(p, longer.computeIfAbsent(a, x -> x.with(x.asPath().prepend(RIVAL_UPSTREAM_AS)))));
        return out;
    }

    /**
     * {@code n} /32s from 100.127.0.0 each under an attribute set of its own (MED = its index): one
     * UPDATE per route, so the per-message paths (framing, session dispatch, the RIB's task per
     * UPDATE, packing, the channel write) run thousands of times, as often as the JIT wants before
     * it compiles them at its top tier, which a full table in 4 KB UPDATEs does not give them.
     */
    private static Map<Prefix, AttrSet> chatter(int n) {
        Map<Prefix, AttrSet> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(Prefix.v4(0x647f0000 + i, 32, 0), ExportRules.originate(0, List.of(new PathAttribute.MultiExitDisc(i))));
        }
        return out;
    }

    /** Routes {@code s} has accepted from {@code peer}. */
    private static long accepted(BgpServer s, String peer) {
        return s.router().peers().join().stream().filter(v -> v.address().equals(peer))
                .mapToLong(LookingGlass.PeerView::accepted).sum();
    }

    private static String views(BgpServer s) {
        return s.router().peers().join().stream()
                .map(v -> v.address() + (v.up() ? " up" : " down") + " accepted " + v.accepted() + " advertised " + v.advertised() + " rejected " + v.rejected() + " in " + v.updatesIn() + " last " + v.lastEvent())
                .toList().toString();
    }

    private static void await(long deadline, String what, Supplier<String> state,
            java.util.function.BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what + " (" + state.get() + ")");
            }
            // The speakers' loops do the work; this thread only checks on them now and then.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
