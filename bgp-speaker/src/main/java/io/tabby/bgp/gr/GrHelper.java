package io.tabby.bgp.gr;

import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.Family;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The receiving-speaker ("helper") side of graceful restart, RFC 4724 section 4.2, as a pure
 * state machine: events in, actions out, no clocks or threads. {@link GrDriver} runs the actions
 * against the RIB and schedules the timers.
 *
 * <pre>
 *  NORMAL ──session lost, peer had GR with restart time > 0──> WAITING (paths kept, STALE; restart timer)
 *  WAITING ──restart timer──> sweep all stale ─> NORMAL
 *  WAITING ──re-established──> families gone from the new GR capability or without F bit: sweep now;
 *                              the rest ─> RECOVERING (stale-path timer)
 *  RECOVERING ──End-of-RIB for F──> sweep F's remaining stale paths; all done ─> NORMAL
 *  RECOVERING ──stale-path timer──> sweep everything still stale ─> NORMAL
 *  any ──session lost without usable GR──> flush
 * </pre>
 *
 * Timers carry a generation number; a timer from an earlier phase is ignored, so nothing ever
 * needs cancelling.
 */
public final class GrHelper {
    public enum Timer { RESTART, STALE }

    public sealed interface Event {
        /** The session went down; {@code peerCap} is the GR capability from the peer's last OPEN. */
        record SessionLost(InetAddress peer, Optional<Capability.GracefulRestart> peerCap) implements Event {}

        /** The session is Established again with this OPEN capability. */
        record SessionEstablished(InetAddress peer, Optional<Capability.GracefulRestart> peerCap) implements Event {}

        record EndOfRib(InetAddress peer, Family family) implements Event {}

        record TimerFired(InetAddress peer, Timer timer, long generation) implements Event {}
    }

    public sealed interface Action {
        /** Keep the peer's paths of these families, marked stale; drop the rest. */
        record KeepStale(InetAddress peer, Set<Family> families) implements Action {}

        /** Drop all of the peer's paths now (no usable graceful restart). */
        record Flush(InetAddress peer) implements Action {}

        /** Drop the peer's paths of these families that are still stale. */
        record Sweep(InetAddress peer, Set<Family> families, String why) implements Action {}

        /** Deliver {@code TimerFired(peer, timer, generation)} after {@code after}. */
        record Schedule(InetAddress peer, Timer timer, Duration after, long generation) implements Action {}
    }

    private enum Phase { NORMAL, WAITING, RECOVERING }

    private record State(Phase phase, Set<Family> stale, long generation) {}

    private final Duration staleTime;
    private final Map<InetAddress, State> peers = new HashMap<>();

    /** @param staleTime how long after re-establishment stale paths may wait for End-of-RIB (FRR stalepath-time, 360 s) */
    public GrHelper(Duration staleTime) {
        this.staleTime = staleTime;
    }

    public boolean restarting(InetAddress peer) {
        return state(peer).phase != Phase.NORMAL;
    }

    public List<Action> on(Event e) {
        List<Action> out = new ArrayList<>(2);
        switch (e) {
            case Event.SessionLost l -> {
                State s = state(l.peer());
                var cap = l.peerCap().filter(c -> c.restartTime() > 0 && !c.families().isEmpty());
                if (cap.isEmpty()) {
                    if (s.phase == Phase.NORMAL) {
                        out.add(new Action.Flush(l.peer()));
                    } else {
                        out.add(new Action.Sweep(l.peer(), s.stale, "session lost again without graceful restart"));
                        out.add(new Action.Flush(l.peer()));
                    }
                    peers.put(l.peer(), new State(Phase.NORMAL, Set.of(), s.generation + 1));
                    break;
                }
                Set<Family> fams = new LinkedHashSet<>();
                cap.get().families().forEach(f -> fams.add(f.family()));
                long gen = s.generation + 1;
                out.add(new Action.KeepStale(l.peer(), Set.copyOf(fams)));
                out.add(new Action.Schedule(l.peer(), Timer.RESTART, Duration.ofSeconds(cap.get().restartTime()), gen));
                peers.put(l.peer(), new State(Phase.WAITING, Set.copyOf(fams), gen));
            }
            case Event.SessionEstablished up -> {
                State s = state(up.peer());
                if (s.phase == Phase.NORMAL) {
                    break;
                }
                Set<Family> keep = new LinkedHashSet<>();
                Set<Family> drop = new LinkedHashSet<>();
                for (Family f : s.stale) {
                    boolean preserved = up.peerCap().map(c -> c.families().stream()
                            .anyMatch(g -> g.family().equals(f) && g.forwardingPreserved())).orElse(false);
                    (preserved ? keep : drop).add(f);
                }
                if (!drop.isEmpty()) {
                    out.add(new Action.Sweep(up.peer(), Set.copyOf(drop),
                            "family missing from the new GR capability or forwarding state not preserved"));
                }
                long gen = s.generation + 1;
                if (keep.isEmpty()) {
                    peers.put(up.peer(), new State(Phase.NORMAL, Set.of(), gen));
                } else {
                    out.add(new Action.Schedule(up.peer(), Timer.STALE, staleTime, gen));
                    peers.put(up.peer(), new State(Phase.RECOVERING, Set.copyOf(keep), gen));
                }
            }
            case Event.EndOfRib eor -> {
                State s = state(eor.peer());
                if (s.phase != Phase.RECOVERING || !s.stale.contains(eor.family())) {
                    break;
                }
                out.add(new Action.Sweep(eor.peer(), Set.of(eor.family()), "End-of-RIB"));
                Set<Family> rest = new LinkedHashSet<>(s.stale);
                rest.remove(eor.family());
                peers.put(eor.peer(), rest.isEmpty() ? new State(Phase.NORMAL, Set.of(), s.generation + 1)
                        : new State(Phase.RECOVERING, Set.copyOf(rest), s.generation));
            }
            case Event.TimerFired t -> {
                State s = state(t.peer());
                if (t.generation() != s.generation) {
                    break; // a timer of a phase that already ended
                }
                boolean due = t.timer() == Timer.RESTART ? s.phase == Phase.WAITING : s.phase == Phase.RECOVERING;
                if (due) {
                    out.add(new Action.Sweep(t.peer(), s.stale, t.timer() == Timer.RESTART
                            ? "restart time expired before the session came back" : "stale-path time expired before End-of-RIB"));
                    peers.put(t.peer(), new State(Phase.NORMAL, Set.of(), s.generation + 1));
                }
            }
        }
        return out;
    }

    private State state(InetAddress peer) {
        return peers.getOrDefault(peer, new State(Phase.NORMAL, Set.of(), 0));
    }
}
