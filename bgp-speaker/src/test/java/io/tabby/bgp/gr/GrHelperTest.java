package io.tabby.bgp.gr;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.gr.GrHelper.Action;
import io.tabby.bgp.gr.GrHelper.Event;
import io.tabby.bgp.gr.GrHelper.Timer;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.Capability.GracefulRestart;
import io.tabby.bgp.wire.Capability.GracefulRestart.GrFamily;
import io.tabby.bgp.wire.Family;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GrHelperTest {
    final InetAddress peer = Addresses.parse("10.0.0.1");
    final GrHelper gr = new GrHelper(Duration.ofSeconds(360));
    static final Family V4 = Family.IPV4_UNICAST;
    static final Family V6 = Family.IPV6_UNICAST;

    static Optional<GracefulRestart> cap(int time, boolean fbit, Family... fams) {
        return Optional.of(new GracefulRestart(false, false, time,
                java.util.Arrays.stream(fams).map(f -> new GrFamily(f, fbit)).toList()));
    }

    @Test
    void withoutGrTheRoutesAreFlushed() {
        assertThat(gr.on(new Event.SessionLost(peer, Optional.empty()))).containsExactly(new Action.Flush(peer));
        assertThat(gr.on(new Event.SessionLost(peer, cap(0, true, V4)))).as("restart time 0")
                .containsExactly(new Action.Flush(peer));
    }

    @Test
    void keepsStaleUntilEndOfRibThenSweeps() {
        assertThat(gr.on(new Event.SessionLost(peer, cap(120, true, V4, V6)))).containsExactly(
                new Action.KeepStale(peer, Set.of(V4, V6)),
                new Action.Schedule(peer, Timer.RESTART, Duration.ofSeconds(120), 1));
        assertThat(gr.restarting(peer)).isTrue();
        List<Action> up = gr.on(new Event.SessionEstablished(peer, cap(120, true, V4, V6)));
        assertThat(up).containsExactly(new Action.Schedule(peer, Timer.STALE, Duration.ofSeconds(360), 2));
        assertThat(gr.on(new Event.TimerFired(peer, Timer.RESTART, 1))).as("old restart timer is void").isEmpty();
        assertThat(gr.on(new Event.EndOfRib(peer, V4))).containsExactly(new Action.Sweep(peer, Set.of(V4), "End-of-RIB"));
        assertThat(gr.restarting(peer)).isTrue();
        assertThat(gr.on(new Event.EndOfRib(peer, V6))).containsExactly(new Action.Sweep(peer, Set.of(V6), "End-of-RIB"));
        assertThat(gr.restarting(peer)).isFalse();
        assertThat(gr.on(new Event.TimerFired(peer, Timer.STALE, 2))).as("stale timer after completion").isEmpty();
    }

    @Test
    void restartTimerExpirySweepsEverything() {
        gr.on(new Event.SessionLost(peer, cap(120, true, V4)));
        List<Action> a = gr.on(new Event.TimerFired(peer, Timer.RESTART, 1));
        assertThat(a).singleElement().isInstanceOfSatisfying(Action.Sweep.class,
                s -> assertThat(s.families()).containsExactly(V4));
        assertThat(gr.restarting(peer)).isFalse();
    }

    @Test
    void familiesWithoutForwardingStateAreSweptAtReestablishment() {
        gr.on(new Event.SessionLost(peer, cap(120, true, V4, V6)));
        List<Action> a = gr.on(new Event.SessionEstablished(peer, Optional.of(new GracefulRestart(true, false, 120,
                List.of(new GrFamily(V4, true), new GrFamily(V6, false))))));
        assertThat(a.getFirst()).isInstanceOfSatisfying(Action.Sweep.class, s -> assertThat(s.families()).containsExactly(V6));
        assertThat(a.get(1)).isInstanceOf(Action.Schedule.class);
        // No GR capability at all in the new session: everything goes at once.
        GrHelper other = new GrHelper(Duration.ofSeconds(360));
        other.on(new Event.SessionLost(peer, cap(120, true, V4)));
        assertThat(other.on(new Event.SessionEstablished(peer, Optional.empty())))
                .singleElement().isInstanceOf(Action.Sweep.class);
        assertThat(other.restarting(peer)).isFalse();
    }

    @Test
    void staleTimerSweepsWhatEndOfRibDidNot() {
        gr.on(new Event.SessionLost(peer, cap(120, true, V4, V6)));
        gr.on(new Event.SessionEstablished(peer, cap(120, true, V4, V6)));
        gr.on(new Event.EndOfRib(peer, V4));
        assertThat(gr.on(new Event.TimerFired(peer, Timer.STALE, 2))).singleElement()
                .isInstanceOfSatisfying(Action.Sweep.class, s -> assertThat(s.families()).containsExactly(V6));
    }

    @Test
    void restartingSpeakerWaitsForEndOfRibFromGrPeersOnly() {
        InetAddress a = Addresses.parse("10.0.0.1");
        InetAddress b = Addresses.parse("10.0.0.2");
        InetAddress c = Addresses.parse("10.0.0.3");
        var r = new GrRestarting(Set.of(V4), Set.of(a, b, c), Duration.ofSeconds(360));
        assertThat(r.start()).isEmpty();
        assertThat(r.peerUp(a, Set.of(V4), cap(120, true, V4))).isEmpty();
        assertThat(r.peerUp(b, Set.of(V4), Optional.empty())).as("no GR: not waited for").isEmpty();
        assertThat(r.endOfRib(a, V4)).as("c is not up yet").isEmpty();
        assertThat(r.peerUp(c, Set.of(V4), Optional.of(new GracefulRestart(true, false, 120, List.of()))))
                .as("c restarts itself: not waited for").containsExactly(V4);
        assertThat(r.deferred()).isEmpty();
        var timeout = new GrRestarting(Set.of(V4, V6), Set.of(a), Duration.ofSeconds(5));
        assertThat(timeout.deferralExpired()).containsExactlyInAnyOrder(V4, V6);
        assertThat(new GrRestarting(Set.of(V4), Set.of(), Duration.ofSeconds(5)).start()).containsExactly(V4);
    }
}
