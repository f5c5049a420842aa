package io.tabby.bgp.session;

import io.tabby.bgp.wire.BgpMessage.Keepalive;
import io.tabby.bgp.wire.BgpMessage.Notification;
import io.tabby.bgp.wire.NotificationCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The BGP finite state machine of RFC 4271 section 8.2.2 as one pure function,
 * {@link #next(SessionConfig, Session, Event)}: no I/O, no clock, no channels. Timers and
 * connections are requested as {@link Action}s and come back as {@link Event}s.
 *
 * <p>Deliberate simplifications, each the behaviour BIRD and FRR show in practice:
 * <ul>
 *   <li>A failed outgoing connection (event 18 in Connect) goes to Active with ConnectRetry
 *       running, instead of Idle: the retry is the ConnectRetry timer's job.</li>
 *   <li>Every error path to Idle arms the IdleHold timer (automatic restart, RFC 4271 8.1.1
 *       DampPeerOscillations) with exponential backoff {@code idleHold * 2^(failures-1)}, capped;
 *       the failure count resets when a session reaches Established. A manual stop never
 *       restarts by itself.</li>
 *   <li>An incoming connection while Idle in backoff is accepted (treated as in Active).</li>
 * </ul>
 */
public final class Fsm {
    /** RFC 4271 8.2.2: the hold timer in OpenSent is "a large value"; 4 minutes is suggested. */
    public static final Duration OPEN_SENT_HOLD = Duration.ofMinutes(4);

    private Fsm() {}

    public static Transition next(SessionConfig c, Session s, Event e) {
        return switch (s.state()) {
            case IDLE -> idle(c, s, e);
            case CONNECT, ACTIVE -> connecting(c, s, e);
            case OPEN_SENT -> openSent(c, s, e);
            case OPEN_CONFIRM -> openConfirm(c, s, e);
            case ESTABLISHED -> established(c, s, e);
        };
    }

    private static Transition idle(SessionConfig c, Session s, Event e) {
        return switch (e) {
            case Event.Start st -> start(c, new Session(State.IDLE, 0, false, false, null), Reason.START);
            case Event.TimerExpired t when t.timer() == Timer.IDLE_HOLD && !s.adminDown() ->
                    start(c, s, Reason.IDLE_HOLD_EXPIRED);
            case Event.TcpConnected t when !s.adminDown() -> {
                Transition tr = connected(c, s.to(State.ACTIVE));
                List<Action> as = new ArrayList<>();
                as.add(new Action.StopTimer(Timer.IDLE_HOLD));
                as.addAll(tr.actions());
                yield new Transition(tr.next(), tr.reason(), "accepted while idle", as);
            }
            case Event.TcpConnected t -> new Transition(s, Reason.IGNORED, "administratively down",
                    List.of(new Action.Disconnect()));
            case Event.Stop st -> new Transition(new Session(State.IDLE, 0, true, false, null), Reason.ADMIN_STOP,
                    st.message(), List.of(new Action.StopTimer(Timer.IDLE_HOLD)));
            default -> ignore(s, e);
        };
    }

    private static Transition start(SessionConfig c, Session s, Reason why) {
        if (c.passive()) {
            return new Transition(s.to(State.ACTIVE), why, "passive: waiting for the peer",
                    List.of(new Action.StopTimer(Timer.IDLE_HOLD)));
        }
        return new Transition(s.to(State.CONNECT), why, "connecting", List.of(new Action.StopTimer(Timer.IDLE_HOLD),
                new Action.StartTimer(Timer.CONNECT_RETRY, c.connectRetry()), new Action.Connect()));
    }

    /** TCP is up in Connect/Active: send OPEN now, or arm DelayOpen. */
    private static Transition connected(SessionConfig c, Session s) {
        if (!c.delayOpen().isZero()) {
            return new Transition(s.delayOpen(true), Reason.TCP_CONNECTED, "delaying OPEN",
                    List.of(new Action.StopTimer(Timer.CONNECT_RETRY), new Action.StartTimer(Timer.DELAY_OPEN, c.delayOpen())));
        }
        return new Transition(s.to(State.OPEN_SENT), Reason.TCP_CONNECTED, "OPEN sent", List.of(
                new Action.StopTimer(Timer.CONNECT_RETRY), new Action.Send(Negotiation.localOpen(c)),
                new Action.StartTimer(Timer.HOLD, OPEN_SENT_HOLD)));
    }

    private static Transition connecting(SessionConfig c, Session s, Event e) {
        return switch (e) {
            case Event.Stop st -> stop(s, st, false);
            case Event.TimerExpired t when t.timer() == Timer.CONNECT_RETRY && !c.passive() ->
                    new Transition(s.to(State.CONNECT), Reason.CONNECT_RETRY_EXPIRED, "retrying", List.of(
                            new Action.Disconnect(), new Action.StartTimer(Timer.CONNECT_RETRY, c.connectRetry()),
                            new Action.Connect()));
            case Event.TcpConnected t -> connected(c, s);
            case Event.TimerExpired t when t.timer() == Timer.DELAY_OPEN && s.delayOpenRunning() ->
                    new Transition(s.delayOpen(false).to(State.OPEN_SENT), Reason.DELAY_OPEN_EXPIRED, "OPEN sent",
                            List.of(new Action.Send(Negotiation.localOpen(c)), new Action.StartTimer(Timer.HOLD, OPEN_SENT_HOLD)));
            case Event.OpenReceived o when s.delayOpenRunning() -> {
                // RFC 4271 8.2.2, event 20: the peer spoke first; answer with OPEN and proceed.
                Transition tr = acceptOpen(c, s.delayOpen(false), o);
                List<Action> as = new ArrayList<>();
                as.add(new Action.StopTimer(Timer.DELAY_OPEN));
                if (tr.next().state() == State.OPEN_CONFIRM) {
                    as.add(new Action.Send(Negotiation.localOpen(c)));
                }
                as.addAll(tr.actions());
                yield new Transition(tr.next(), tr.reason(), tr.detail(), as);
            }
            case Event.TcpFailed f -> {
                List<Action> as = new ArrayList<>(List.of(new Action.StopTimer(Timer.DELAY_OPEN), new Action.Disconnect()));
                if (!c.passive()) {
                    as.add(new Action.StartTimer(Timer.CONNECT_RETRY, c.connectRetry()));
                }
                yield new Transition(s.delayOpen(false).to(State.ACTIVE), Reason.TCP_FAILED, f.why(), as);
            }
            case Event.NotificationReceived n when s.delayOpenRunning() ->
                    fail(c, s, Reason.NOTIFICATION_RECEIVED, n.notification().toString(), null);
            case Event.DecodeFailed d when s.delayOpenRunning() ->
                    fail(c, s, Reason.DECODE_ERROR, d.failure().reason(), d.failure().notification());
            case Event.KeepaliveReceived k when s.delayOpenRunning() -> fsmError(c, s, NotificationCode.FSM_ERROR);
            case Event.UpdateReceived u when s.delayOpenRunning() -> fsmError(c, s, NotificationCode.FSM_ERROR);
            default -> ignore(s, e);
        };
    }

    /** Checks the peer's OPEN; on success answers with KEEPALIVE and arms the negotiated timers. */
    private static Transition acceptOpen(SessionConfig c, Session s, Event.OpenReceived o) {
        Negotiation.Outcome out = Negotiation.negotiate(c, o.open());
        if (out.negotiated() == null) {
            return fail(c, s, Reason.OPEN_REJECTED, out.reason(), out.error());
        }
        Negotiated n = out.negotiated();
        List<Action> as = new ArrayList<>(List.of(new Action.Negotiate(n), new Action.Send(Keepalive.INSTANCE)));
        if (n.holdTime() > 0) {
            as.add(new Action.StartTimer(Timer.KEEPALIVE, Duration.ofSeconds(n.keepaliveTime())));
            as.add(new Action.StartTimer(Timer.HOLD, Duration.ofSeconds(n.holdTime())));
        } else {
            as.add(new Action.StopTimer(Timer.HOLD));
        }
        return new Transition(s.to(State.OPEN_CONFIRM).negotiated(n), Reason.OPEN_RECEIVED,
                "peer AS " + n.peerAs() + " id " + n.peerId().getHostAddress() + " hold " + n.holdTime(), as);
    }

    private static Transition openSent(SessionConfig c, Session s, Event e) {
        return switch (e) {
            case Event.OpenReceived o -> acceptOpen(c, s, o);
            case Event.KeepaliveReceived k -> fsmError(c, s, NotificationCode.FSM_UNEXPECTED_MESSAGE_IN_OPENSENT);
            case Event.UpdateReceived u -> fsmError(c, s, NotificationCode.FSM_UNEXPECTED_MESSAGE_IN_OPENSENT);
            case Event.RouteRefreshReceived r -> fsmError(c, s, NotificationCode.FSM_UNEXPECTED_MESSAGE_IN_OPENSENT);
            case Event.TcpFailed f -> {
                // RFC 4271 8.2.2 OpenSent, event 18: back to Active with ConnectRetry running.
                List<Action> as = new ArrayList<>(List.of(new Action.Disconnect(), new Action.StopTimer(Timer.HOLD)));
                if (!c.passive()) {
                    as.add(new Action.StartTimer(Timer.CONNECT_RETRY, c.connectRetry()));
                }
                yield new Transition(s.to(State.ACTIVE), Reason.TCP_FAILED, f.why(), as);
            }
            default -> common(c, s, e);
        };
    }

    private static Transition openConfirm(SessionConfig c, Session s, Event e) {
        return switch (e) {
            case Event.KeepaliveReceived k -> {
                Negotiated n = s.negotiated();
                List<Action> as = new ArrayList<>();
                if (n.holdTime() > 0) {
                    as.add(new Action.StartTimer(Timer.HOLD, Duration.ofSeconds(n.holdTime())));
                }
                as.add(new Action.Up(n));
                yield new Transition(new Session(State.ESTABLISHED, 0, false, false, n), Reason.KEEPALIVE_RECEIVED,
                        "session established", as);
            }
            case Event.OpenReceived o -> fsmError(c, s, NotificationCode.FSM_UNEXPECTED_MESSAGE_IN_OPENCONFIRM);
            case Event.UpdateReceived u -> fsmError(c, s, NotificationCode.FSM_UNEXPECTED_MESSAGE_IN_OPENCONFIRM);
            case Event.RouteRefreshReceived r -> fsmError(c, s, NotificationCode.FSM_UNEXPECTED_MESSAGE_IN_OPENCONFIRM);
            default -> common(c, s, e);
        };
    }

    private static Transition established(SessionConfig c, Session s, Event e) {
        Negotiated n = s.negotiated();
        return switch (e) {
            case Event.KeepaliveReceived k -> new Transition(s, Reason.KEEPALIVE_RECEIVED, "", restartHold(n));
            case Event.UpdateReceived u -> {
                List<Action> as = new ArrayList<>(restartHold(n));
                as.add(new Action.Deliver(u.update(), u.notes(), u.treatAsWithdraw()));
                yield new Transition(s, Reason.UPDATE_RECEIVED, "", as);
            }
            case Event.RouteRefreshReceived r -> {
                List<Action> as = new ArrayList<>(restartHold(n));
                as.add(new Action.Refresh(r.refresh()));
                yield new Transition(s, Reason.ROUTE_REFRESH_RECEIVED, "", as);
            }
            case Event.OpenReceived o -> fsmError(c, s, NotificationCode.FSM_UNEXPECTED_MESSAGE_IN_ESTABLISHED);
            // RFC 4724 4.2: a new connection from a peer that negotiated graceful restart means it
            // restarted without our seeing the old connection go (host rebooted, no RST reached
            // us). Close the old one without NOTIFICATION, as a TCP failure would (its routes stay
            // stale), so the new connection can proceed. Without graceful restart the event is
            // ignored and the shell refuses the new connection (RFC 4271 6.8: an Established
            // session wins a collision); our hold timer ends the old one eventually.
            case Event.PeerReconnected r when n.gracefulRestart().isPresent() -> fail(c, s, Reason.PEER_RESTARTED,
                    "new connection from the peer: it restarted (RFC 4724 4.2)", null);
            default -> common(c, s, e);
        };
    }

    private static List<Action> restartHold(Negotiated n) {
        return n.holdTime() > 0 ? List.of(new Action.StartTimer(Timer.HOLD, Duration.ofSeconds(n.holdTime()))) : List.of();
    }

    /** Handling shared by OpenSent, OpenConfirm and Established. */
    private static Transition common(SessionConfig c, Session s, Event e) {
        return switch (e) {
            case Event.Stop st -> stop(s, st, s.state() == State.ESTABLISHED);
            case Event.TimerExpired t when t.timer() == Timer.HOLD ->
                    fail(c, s, Reason.HOLD_TIMER_EXPIRED, "no message from the peer within the hold time",
                            Notification.of(NotificationCode.HOLD_TIMER_EXPIRED));
            case Event.TimerExpired t when t.timer() == Timer.KEEPALIVE && s.state() != State.OPEN_SENT ->
                    new Transition(s, Reason.KEEPALIVE_SENT, "", List.of(new Action.Send(Keepalive.INSTANCE),
                            new Action.StartTimer(Timer.KEEPALIVE, Duration.ofSeconds(s.negotiated().keepaliveTime()))));
            case Event.TcpFailed f -> fail(c, s, Reason.TCP_FAILED, f.why(), null);
            case Event.NotificationReceived n -> fail(c, s, Reason.NOTIFICATION_RECEIVED, n.notification().toString(), null);
            case Event.DecodeFailed d -> fail(c, s, Reason.DECODE_ERROR, d.failure().code() + ": " + d.failure().reason(),
                    d.failure().notification());
            case Event.CollisionDump d -> fail(c, s, Reason.COLLISION, "lost collision resolution (RFC 4271 6.8)",
                    Notification.of(NotificationCode.CONNECTION_COLLISION_RESOLUTION));
            default -> ignore(s, e);
        };
    }

    private static Transition fsmError(SessionConfig c, Session s, NotificationCode code) {
        return fail(c, s, Reason.FSM_ERROR, "unexpected message in " + s.state(), Notification.of(code));
    }

    /** Any error: optionally notify, close, stop timers, and schedule an automatic restart with backoff. */
    private static Transition fail(SessionConfig c, Session s, Reason why, String detail, Notification send) {
        List<Action> as = new ArrayList<>();
        if (send != null) {
            as.add(new Action.Send(send));
        }
        as.add(new Action.Disconnect());
        stopAll(as);
        if (s.state() == State.ESTABLISHED) {
            as.add(new Action.Down(why, detail));
        }
        int failures = s.connectRetryCounter() + 1;
        as.add(new Action.StartTimer(Timer.IDLE_HOLD, backoff(c, failures)));
        return new Transition(new Session(State.IDLE, failures, false, false, null), why, detail, as);
    }

    /** {@code idleHold * 2^(failures-1)}, at most {@code maxIdleHold}. */
    static Duration backoff(SessionConfig c, int failures) {
        Duration d = c.idleHold().multipliedBy(1L << Math.min(failures - 1, 20));
        return d.compareTo(c.maxIdleHold()) > 0 ? c.maxIdleHold() : d;
    }

    private static Transition stop(Session s, Event.Stop stop, boolean established) {
        String message = stop.message();
        List<Action> as = new ArrayList<>();
        if (s.state() == State.OPEN_SENT || s.state() == State.OPEN_CONFIRM || established) {
            // RFC 4486 Cease/Administrative Shutdown with the RFC 9003 Shutdown Communication,
            // unless the caller gave the NOTIFICATION to close with.
            as.add(new Action.Send(stop.notification() != null ? stop.notification()
                    : Notification.shutdown(NotificationCode.ADMINISTRATIVE_SHUTDOWN, message)));
        }
        as.add(new Action.Disconnect());
        stopAll(as);
        if (established) {
            as.add(new Action.Down(Reason.ADMIN_STOP, "administrative shutdown"));
        }
        return new Transition(new Session(State.IDLE, 0, true, false, null), Reason.ADMIN_STOP,
                message == null ? "" : message, as);
    }

    private static void stopAll(List<Action> as) {
        for (Timer t : List.of(Timer.CONNECT_RETRY, Timer.HOLD, Timer.KEEPALIVE, Timer.DELAY_OPEN)) {
            as.add(new Action.StopTimer(t));
        }
    }

    private static Transition ignore(Session s, Event e) {
        return new Transition(s, Reason.IGNORED, e.getClass().getSimpleName() + " in " + s.state(), List.of());
    }
}
