package io.tabby.bgp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.config.GracefulRestartConfig;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.BgpMessage;
import io.tabby.bgp.wire.BgpMessage.Keepalive;
import io.tabby.bgp.wire.BgpMessage.Notification;
import io.tabby.bgp.wire.BgpMessage.Open;
import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.NotificationCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure FSM, step by step against RFC 4271 section 8.2.2. */
class FsmTest {
    static final SessionConfig CFG = SessionConfig.of(65001, Addresses.parse4("10.0.0.1"), 65002);

    static Open peerOpen(int hold, Capability... caps) {
        return new Open(4, 65002, hold, Addresses.parse4("10.0.0.2"), List.of(caps));
    }

    static Transition step(SessionConfig c, Session s, Event e) {
        return Fsm.next(c, s, e);
    }

    /** Drives a fresh session through start, connect, OPEN and KEEPALIVE. */
    static Session established(SessionConfig c, int peerHold) {
        Session s = step(c, Session.INITIAL, new Event.Start()).next();
        s = step(c, s, new Event.TcpConnected(true)).next();
        s = step(c, s, new Event.OpenReceived(peerOpen(peerHold, new Capability.FourOctetAs(65002)))).next();
        Transition t = step(c, s, new Event.KeepaliveReceived());
        assertThat(t.next().state()).isEqualTo(State.ESTABLISHED);
        return t.next();
    }

    @Test
    void activePeerConnectsAndArmsConnectRetry() {
        Transition t = step(CFG, Session.INITIAL, new Event.Start());
        assertThat(t.next().state()).isEqualTo(State.CONNECT);
        assertThat(t.actions()).contains(new Action.Connect(), new Action.StartTimer(Timer.CONNECT_RETRY, Duration.ofSeconds(5)));
    }

    @Test
    void passivePeerOnlyWaits() {
        Transition t = step(CFG.withPassive(true), Session.INITIAL, new Event.Start());
        assertThat(t.next().state()).isEqualTo(State.ACTIVE);
        assertThat(t.actions()).noneMatch(a -> a instanceof Action.Connect || a instanceof Action.StartTimer);
        // ConnectRetry never makes a passive peer dial.
        assertThat(step(CFG.withPassive(true), t.next(), new Event.TimerExpired(Timer.CONNECT_RETRY)).actions()).isEmpty();
    }

    @Test
    void connectRetryExpiryRedialsAndFailedConnectGoesActive() {
        Session s = step(CFG, Session.INITIAL, new Event.Start()).next();
        Transition retry = step(CFG, s, new Event.TimerExpired(Timer.CONNECT_RETRY));
        assertThat(retry.next().state()).isEqualTo(State.CONNECT);
        assertThat(retry.actions()).containsSubsequence(new Action.Disconnect(), new Action.Connect());
        Transition failed = step(CFG, s, new Event.TcpFailed("refused"));
        assertThat(failed.next().state()).isEqualTo(State.ACTIVE);
        assertThat(failed.actions()).contains(new Action.StartTimer(Timer.CONNECT_RETRY, Duration.ofSeconds(5)));
        assertThat(step(CFG, failed.next(), new Event.TimerExpired(Timer.CONNECT_RETRY)).next().state()).isEqualTo(State.CONNECT);
    }

    @Test
    void connectionSendsOpenWithLargeHoldTimer() {
        Session s = step(CFG, Session.INITIAL, new Event.Start()).next();
        Transition t = step(CFG, s, new Event.TcpConnected(true));
        assertThat(t.next().state()).isEqualTo(State.OPEN_SENT);
        assertThat(t.actions()).contains(new Action.Send(Negotiation.localOpen(CFG)),
                new Action.StartTimer(Timer.HOLD, Duration.ofMinutes(4)), new Action.StopTimer(Timer.CONNECT_RETRY));
    }

    @Test
    void holdTimeIsTheMinimumAndKeepaliveAThird() {
        Session s = step(CFG, Session.INITIAL, new Event.Start()).next();
        s = step(CFG, s, new Event.TcpConnected(true)).next();
        Transition t = step(CFG, s, new Event.OpenReceived(peerOpen(30)));
        assertThat(t.next().state()).isEqualTo(State.OPEN_CONFIRM);
        assertThat(t.next().negotiated().holdTime()).isEqualTo(30);
        assertThat(t.actions()).containsSubsequence(new Action.Send(Keepalive.INSTANCE),
                new Action.StartTimer(Timer.KEEPALIVE, Duration.ofSeconds(10)),
                new Action.StartTimer(Timer.HOLD, Duration.ofSeconds(30)));
        Transition up = step(CFG, t.next(), new Event.KeepaliveReceived());
        assertThat(up.next().state()).isEqualTo(State.ESTABLISHED);
        assertThat(up.actions()).contains(new Action.Up(t.next().negotiated()));
    }

    @Test
    void holdTimeZeroMeansNoKeepalivesAndNoHoldTimer() {
        Session s = step(CFG, Session.INITIAL, new Event.Start()).next();
        s = step(CFG, s, new Event.TcpConnected(true)).next();
        Transition t = step(CFG, s, new Event.OpenReceived(peerOpen(0)));
        assertThat(t.next().negotiated().holdTime()).isZero();
        assertThat(t.actions()).contains(new Action.StopTimer(Timer.HOLD))
                .noneMatch(a -> a instanceof Action.StartTimer);
        Transition up = step(CFG, t.next(), new Event.KeepaliveReceived());
        assertThat(up.actions()).noneMatch(a -> a instanceof Action.StartTimer);
    }

    @Test
    void wrongPeerAsIsRejectedWithBadPeerAsAndBacksOff() {
        Session s = step(CFG, Session.INITIAL, new Event.Start()).next();
        s = step(CFG, s, new Event.TcpConnected(true)).next();
        Transition t = step(CFG, s, new Event.OpenReceived(new Open(4, 65009, 90, Addresses.parse4("10.0.0.2"), List.of())));
        assertThat(t.next().state()).isEqualTo(State.IDLE);
        assertThat(t.reason()).isEqualTo(Reason.OPEN_REJECTED);
        assertThat(t.actions()).first().isEqualTo(new Action.Send(Notification.of(NotificationCode.BAD_PEER_AS)));
        assertThat(t.actions()).contains(new Action.Disconnect(), new Action.StartTimer(Timer.IDLE_HOLD, Duration.ofSeconds(1)));
        Transition restart = step(CFG, t.next(), new Event.TimerExpired(Timer.IDLE_HOLD));
        assertThat(restart.next().state()).isEqualTo(State.CONNECT);
        assertThat(restart.next().connectRetryCounter()).isEqualTo(1);
    }

    @Test
    void consecutiveFailuresDoubleTheIdleHoldUpToTheCap() {
        assertThat(Fsm.backoff(CFG, 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Fsm.backoff(CFG, 2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Fsm.backoff(CFG, 4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(Fsm.backoff(CFG, 30)).isEqualTo(Duration.ofSeconds(60));
        Session s = new Session(State.OPEN_SENT, 3, false, false, null);
        Transition t = step(CFG, s, new Event.TimerExpired(Timer.HOLD));
        assertThat(t.actions()).contains(new Action.Send(Notification.of(NotificationCode.HOLD_TIMER_EXPIRED)),
                new Action.StartTimer(Timer.IDLE_HOLD, Duration.ofSeconds(8)));
    }

    @Test
    void establishedSessionKeepsAliveDeliversAndResetsOnHoldExpiry() {
        Session s = established(CFG, 9);
        Transition ka = step(CFG, s, new Event.TimerExpired(Timer.KEEPALIVE));
        assertThat(ka.actions()).containsExactly(new Action.Send(Keepalive.INSTANCE),
                new Action.StartTimer(Timer.KEEPALIVE, Duration.ofSeconds(3)));
        var u = BgpMessage.Update.endOfRib(Family.IPV4_UNICAST);
        Transition upd = step(CFG, s, new Event.UpdateReceived(u, List.of(), false));
        assertThat(upd.actions()).containsExactly(new Action.StartTimer(Timer.HOLD, Duration.ofSeconds(9)),
                new Action.Deliver(u, List.of(), false));
        Transition hold = step(CFG, s, new Event.TimerExpired(Timer.HOLD));
        assertThat(hold.next().state()).isEqualTo(State.IDLE);
        assertThat(hold.actions()).containsSubsequence(new Action.Send(Notification.of(NotificationCode.HOLD_TIMER_EXPIRED)),
                new Action.Disconnect()).anyMatch(a -> a instanceof Action.Down);
    }

    @Test
    void adminStopSendsCeaseWithShutdownCommunicationAndStaysDown() {
        Session s = established(CFG, 90);
        Transition t = step(CFG, s, new Event.Stop("maintenance"));
        assertThat(t.next().state()).isEqualTo(State.IDLE);
        assertThat(t.next().adminDown()).isTrue();
        assertThat(t.actions()).first().isEqualTo(new Action.Send(
                Notification.shutdown(NotificationCode.ADMINISTRATIVE_SHUTDOWN, "maintenance")));
        assertThat(t.actions()).noneMatch(a -> a instanceof Action.StartTimer);
        assertThat(step(CFG, t.next(), new Event.TimerExpired(Timer.IDLE_HOLD)).next().state()).isEqualTo(State.IDLE);
        assertThat(step(CFG, t.next(), new Event.TcpConnected(false)).actions()).containsExactly(new Action.Disconnect());
    }

    @Test
    void stopWithANotificationClosesWithThatOneOnly() {
        Notification cease = Notification.of(NotificationCode.MAXIMUM_NUMBER_OF_PREFIXES_REACHED,
                io.tabby.bgp.wire.Bytes.of(new byte[] {0, 1, 1, 0, 0, 0, 5}));
        Transition t = step(CFG, established(CFG, 90), new Event.Stop("max-prefix: 6 > 5", cease));
        assertThat(t.next().state()).isEqualTo(State.IDLE);
        assertThat(t.detail()).isEqualTo("max-prefix: 6 > 5");
        assertThat(t.actions()).filteredOn(a -> a instanceof Action.Send).containsExactly(new Action.Send(cease));
        assertThat(t.actions()).contains(new Action.Disconnect());
    }

    @Test
    void delayOpenWaitsThenSendsOrAnswersThePeersOpen() {
        SessionConfig c = CFG.withDelayOpen(Duration.ofSeconds(2));
        Session s = step(c, Session.INITIAL, new Event.Start()).next();
        Transition t = step(c, s, new Event.TcpConnected(true));
        assertThat(t.next().state()).isEqualTo(State.CONNECT);
        assertThat(t.next().delayOpenRunning()).isTrue();
        assertThat(t.actions()).contains(new Action.StartTimer(Timer.DELAY_OPEN, Duration.ofSeconds(2)))
                .noneMatch(a -> a instanceof Action.Send);
        Transition expire = step(c, t.next(), new Event.TimerExpired(Timer.DELAY_OPEN));
        assertThat(expire.next().state()).isEqualTo(State.OPEN_SENT);
        assertThat(expire.actions()).contains(new Action.Send(Negotiation.localOpen(c)));
        Transition early = step(c, t.next(), new Event.OpenReceived(peerOpen(90)));
        assertThat(early.next().state()).isEqualTo(State.OPEN_CONFIRM);
        assertThat(early.actions()).containsSubsequence(new Action.StopTimer(Timer.DELAY_OPEN),
                new Action.Send(Negotiation.localOpen(c)), new Action.Send(Keepalive.INSTANCE));
    }

    @Test
    void unexpectedMessagesAreFsmErrorsWithTheStateSubcode() {
        Session s = step(CFG, Session.INITIAL, new Event.Start()).next();
        s = step(CFG, s, new Event.TcpConnected(true)).next();
        assertThat(step(CFG, s, new Event.KeepaliveReceived()).actions()).first()
                .isEqualTo(new Action.Send(Notification.of(NotificationCode.FSM_UNEXPECTED_MESSAGE_IN_OPENSENT)));
        Session est = established(CFG, 90);
        assertThat(step(CFG, est, new Event.OpenReceived(peerOpen(90))).actions()).first()
                .isEqualTo(new Action.Send(Notification.of(NotificationCode.FSM_UNEXPECTED_MESSAGE_IN_ESTABLISHED)));
    }

    @Test
    void collisionDumpSendsCeaseCollision() {
        Session s = step(CFG, Session.INITIAL, new Event.Start()).next();
        s = step(CFG, s, new Event.TcpConnected(true)).next();
        Transition t = step(CFG, s, new Event.CollisionDump());
        assertThat(t.actions()).first().isEqualTo(new Action.Send(Notification.of(NotificationCode.CONNECTION_COLLISION_RESOLUTION)));
        assertThat(Collision.closeOutgoing(Addresses.parse4("10.0.0.1"), Addresses.parse4("10.0.0.2"))).isTrue();
        assertThat(Collision.closeOutgoing(Addresses.parse4("200.0.0.1"), Addresses.parse4("10.0.0.2"))).isFalse();
    }

    @Test
    void negotiationOfCapabilities() {
        var c = new SessionConfig(4200000001L, Addresses.parse4("10.0.0.1"), 65002, false, 90, Duration.ofSeconds(5),
                Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(60),
                Set.of(Family.IPV4_UNICAST, Family.IPV6_UNICAST), Capability.AddPath.BOTH, true, true, true);
        Open local = Negotiation.localOpen(c);
        assertThat(local.myAs()).isEqualTo(Open.AS_TRANS);
        assertThat(local.asNumber()).isEqualTo(4200000001L);
        var n = Negotiation.negotiate(c, peerOpen(60, new Capability.Multiprotocol(Family.IPV4_UNICAST),
                new Capability.FourOctetAs(65002),
                new Capability.AddPath(List.of(new Capability.AddPath.Entry(Family.IPV4_UNICAST, Capability.AddPath.SEND))),
                new Capability.ExtendedNextHop(List.of(new Capability.ExtendedNextHop.Tuple(Family.IPV4_UNICAST, 2))),
                new Capability.ExtendedMessage())).negotiated();
        assertThat(n.families()).containsExactly(Family.IPV4_UNICAST);
        assertThat(n.addPathRx()).containsExactly(Family.IPV4_UNICAST);
        assertThat(n.addPathTx()).isEmpty();
        assertThat(n.extendedNextHop()).containsExactly(Family.IPV4_UNICAST);
        assertThat(n.fourOctetAs()).isTrue();
        assertThat(n.extendedMessage()).isTrue();
        assertThat(n.internal()).isFalse();
        assertThat(n.rx().maxLength()).isEqualTo(65535);
        // An OLD peer (no capabilities at all): IPv4 unicast only, 2-octet ASNs.
        var old = Negotiation.negotiate(c, peerOpen(60)).negotiated();
        assertThat(old.families()).containsExactly(Family.IPV4_UNICAST);
        assertThat(old.fourOctetAs()).isFalse();
        // AS_TRANS without the capability is not a real AS.
        var bad = Negotiation.negotiate(c.withPeerAs(0), new Open(4, Open.AS_TRANS, 90, Addresses.parse4("10.0.0.2"), List.of()));
        assertThat(bad.error()).isEqualTo(Notification.of(NotificationCode.BAD_PEER_AS));
        // iBGP peer with our own router id.
        var same = Negotiation.negotiate(CFG.withPeerAs(65001), new Open(4, 65001, 90, Addresses.parse4("10.0.0.1"), List.of()));
        assertThat(same.error()).isEqualTo(Notification.of(NotificationCode.BAD_BGP_IDENTIFIER));
    }

    /** Established with graceful restart negotiated when {@code peerGr}, without it otherwise. */
    static Session establishedWithGr(SessionConfig c, boolean peerGr) {
        Session s = step(c, Session.INITIAL, new Event.Start()).next();
        s = step(c, s, new Event.TcpConnected(true)).next();
        List<Capability> caps = new ArrayList<>(List.of(new Capability.FourOctetAs(65002),
                new Capability.Multiprotocol(Family.IPV4_UNICAST)));
        if (peerGr) {
            caps.add(new Capability.GracefulRestart(false, false, 120,
                    List.of(new Capability.GracefulRestart.GrFamily(Family.IPV4_UNICAST, true))));
        }
        s = step(c, s, new Event.OpenReceived(new Open(4, 65002, 90, Addresses.parse4("10.0.0.2"), caps))).next();
        s = step(c, s, new Event.KeepaliveReceived()).next();
        assertThat(s.state()).isEqualTo(State.ESTABLISHED);
        return s;
    }

    static final SessionConfig GR = CFG.withGracefulRestart(
            new GracefulRestartConfig(true, 120, null, null)
                    .capability(Set.of(Family.IPV4_UNICAST), false, false));

    @Test
    void aNewConnectionFromAGracefulRestartPeerEndsTheEstablishedOneAsARestart() {
        Session s = establishedWithGr(GR, true);
        Transition t = step(GR, s, new Event.PeerReconnected());
        assertThat(t.next().state()).isEqualTo(State.IDLE);
        assertThat(t.reason()).isEqualTo(Reason.PEER_RESTARTED);
        assertThat(t.actions()).as("RFC 4724 4.2: closed like a TCP failure, no NOTIFICATION")
                .noneMatch(a -> a instanceof Action.Send)
                .contains(new Action.Disconnect(), new Action.Down(Reason.PEER_RESTARTED,
                        "new connection from the peer: it restarted (RFC 4724 4.2)"));
        assertThat(t.next().adminDown()).isFalse();
        // The shell then hands the new connection to this (idle) FSM: it is accepted at once.
        Transition accepted = step(GR, t.next(), new Event.TcpConnected(false));
        assertThat(accepted.next().state()).isEqualTo(State.OPEN_SENT);
        assertThat(accepted.actions()).contains(new Action.StopTimer(Timer.IDLE_HOLD));
    }

    @Test
    void withoutGracefulRestartOnBothSidesANewConnectionLeavesTheSessionAlone() {
        // Only the peer has the capability, only we have it, neither has it.
        for (var c : List.of(CFG, GR)) {
            for (boolean peerGr : c == GR ? List.of(false) : List.of(true, false)) {
                Session s = establishedWithGr(c, peerGr);
                Transition t = step(c, s, new Event.PeerReconnected());
                assertThat(t.next()).isEqualTo(s);
                assertThat(t.reason()).isEqualTo(Reason.IGNORED);
                assertThat(t.actions()).isEmpty();
            }
        }
        // Before Established it is no restart either: RFC 4271 6.8 collision handling applies.
        Session openConfirm = step(GR, step(GR, step(GR, Session.INITIAL, new Event.Start()).next(),
                new Event.TcpConnected(true)).next(), new Event.OpenReceived(peerOpen(90, new Capability.FourOctetAs(65002)))).next();
        assertThat(openConfirm.state()).isEqualTo(State.OPEN_CONFIRM);
        assertThat(step(GR, openConfirm, new Event.PeerReconnected()).actions()).isEmpty();
    }
}
