package io.tabby.bgp.session;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.tabby.bgp.wire.As4;
import io.tabby.bgp.wire.BgpEncoder;
import io.tabby.bgp.wire.BgpFrameDecoder;
import io.tabby.bgp.wire.BgpMessage;
import io.tabby.bgp.wire.DecodeResult;
import io.tabby.bgp.wire.NotificationCode;
import io.tabby.bgp.wire.PathAttribute;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The imperative shell around {@link Fsm} for one neighbor. It owns, on one event loop, the FSM
 * state of up to two connections (an outgoing and an incoming one while a collision is being
 * resolved, RFC 4271 6.8, the way BIRD keeps {@code outgoing_conn}/{@code incoming_conn}),
 * their timers (scheduled on that loop) and their channels, and executes the FSM's actions.
 * Every public method may be called from any thread; work hops onto the loop.
 */
public final class PeerSession {
    private static final Logger log = LoggerFactory.getLogger(PeerSession.class);

    /** One TCP connection's FSM instance and the resources it holds. */
    static final class Conn {
        Session session = Session.INITIAL;
        Channel channel;
        boolean outgoing;
        Runnable pendingConnect;
        final Map<Timer, Armed> timers = new EnumMap<>(Timer.class);
    }

    /**
     * An armed timer: when it is due, and the task scheduled on the loop that will look at it.
     * The hold timer is restarted on every message received (RFC 4271 8.2.2), up to hundreds of
     * thousands of times a second in a table transfer; a restart to a later deadline only moves
     * {@code deadline}, and the task, when it runs early, schedules itself again for the rest,
     * instead of a cancellation (a removal from the loop's timer heap) and a new task per message.
     */
    static final class Armed {
        long deadline;
        long firesAt;
        ScheduledFuture<?> task;
    }

    private final String name;
    /** Replaced only to clear the Restart State bit once our graceful restart is over (written on the loop). */
    private volatile SessionConfig config;
    private final InetSocketAddress remote;
    private final EventLoop loop;
    private final Transport transport;
    private final SessionListener listener;
    private final List<Conn> conns = new ArrayList<>(2);
    /** Every channel handed to this peer that is not closed yet (read by shutdown from any thread). */
    private final java.util.Set<Channel> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Written on the loop, read by status calls from any thread. */
    private volatile Conn established;
    private volatile State published = State.IDLE;

    public PeerSession(SessionConfig config, InetSocketAddress remote, EventLoop loop, Transport transport,
            SessionListener listener) {
        this.config = config;
        this.remote = remote;
        this.loop = loop;
        this.transport = transport;
        this.listener = listener;
        this.name = remote.getAddress().getHostAddress();
    }

    public String name() {
        return name;
    }

    public SessionConfig config() {
        return config;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    public EventLoop loop() {
        return loop;
    }

    /** The most advanced state among this peer's connections (for status displays). */
    public State state() {
        return published;
    }

    /** The negotiated parameters of the established connection, or null. */
    public Negotiated negotiated() {
        return established == null ? null : established.session.negotiated();
    }

    /** The local address of the established connection, or null. */
    public InetSocketAddress localAddress() {
        return established == null || established.channel == null ? null : (InetSocketAddress) established.channel.localAddress();
    }

    /**
     * Stops (or resumes) reading from the established connection. TCP then pushes back on the
     * peer: its writes meet a full socket and queue. The JIT warm-up pauses its sink this way so
     * the hub's write path is compiled with that branch taken, as it is under a slow real peer.
     */
    public void pauseReading(boolean paused) {
        onLoop(() -> {
            if (established != null && established.channel != null) {
                established.channel.config().setAutoRead(!paused); // resuming also asks for a read
            }
        });
    }

    /**
     * True while the established connection holds more unsent output than Netty's high-water
     * mark, that is while the socket has refused some of what we wrote.
     */
    public boolean backlogged() {
        Conn c = established;
        Channel ch = c == null ? null : c.channel;
        return ch != null && !ch.isWritable();
    }

    void onLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    /**
     * Our own graceful restart is over (RFC 4724 4.1): OPENs sent from now on carry the graceful
     * restart capability without the Restart State bit. Sessions already up are not touched.
     */
    public void restartComplete() {
        onLoop(() -> {
            var gr = config.gracefulRestart();
            if (gr != null && gr.restarted()) {
                config = config.withGracefulRestart(gr.withRestarted(false));
            }
        });
    }

    /** ManualStart/AutomaticStart. */
    public void start() {
        onLoop(() -> {
            if (conns.isEmpty()) {
                conns.add(new Conn());
            }
            for (Conn c : List.copyOf(conns)) {
                fire(c, new Event.Start());
            }
        });
    }

    /** ManualStop: Cease/Administrative Shutdown with {@code message} (RFC 9003) on every connection. */
    public void stop(String message) {
        onLoop(() -> {
            for (Conn c : List.copyOf(conns)) {
                fire(c, new Event.Stop(message));
            }
        });
    }

    /**
     * ManualStop closing with {@code notification} instead of Administrative Shutdown (max-prefix:
     * Cease 6/1); {@code reason} is what our log and looking glass show.
     */
    public void stop(BgpMessage.Notification notification, String reason) {
        onLoop(() -> {
            for (Conn c : List.copyOf(conns)) {
                fire(c, new Event.Stop(reason, notification));
            }
        });
    }

    /** An incoming connection from this peer's address (the server matched it). */
    public void accept(Channel ch) {
        onLoop(() -> {
            Conn up = established;
            if (up != null) {
                // RFC 4724 4.2: with graceful restart negotiated the FSM closes the old connection
                // as a restart (routes kept stale) and the new one goes on below; without it the
                // event is ignored and the new connection is refused further down, as before.
                fire(up, new Event.PeerReconnected());
            }
            Conn waiting = null;
            for (Conn c : conns) {
                State s = c.session.state();
                if (c.channel == null && !c.session.adminDown()
                        && (s == State.IDLE || s == State.CONNECT || s == State.ACTIVE)) {
                    waiting = c;
                }
            }
            if (waiting == null && (conns.isEmpty() || conns.size() >= 2 || established != null
                    || conns.getFirst().session.adminDown())) {
                log.atInfo().addKeyValue("peer", name).addKeyValue("state", state())
                        .log("incoming connection rejected");
                install(ch, null);
                ch.writeAndFlush(BgpMessage.Notification.of(NotificationCode.CONNECTION_REJECTED))
                        .addListener(f -> closeGracefully(ch));
                return;
            }
            if (waiting == null) {
                waiting = new Conn(); // a second connection: collision candidate
                waiting.session = new Session(State.ACTIVE, 0, false, false, null);
                conns.add(waiting);
            }
            if (waiting.pendingConnect != null) {
                waiting.pendingConnect.run();
                waiting.pendingConnect = null;
            }
            waiting.outgoing = false;
            adopt(waiting, ch);
            fire(waiting, new Event.TcpConnected(false));
        });
    }

    /** The transport's outgoing connection for {@code attempt} completed. */
    public void connected(Object attempt, Channel ch) {
        onLoop(() -> {
            Conn c = (Conn) attempt;
            if (!conns.contains(c) || c.pendingConnect == null || c.channel != null) {
                ch.close(); // abandoned attempt
                return;
            }
            c.pendingConnect = null;
            c.outgoing = true;
            adopt(c, ch);
            fire(c, new Event.TcpConnected(true));
        });
    }

    public void connectFailed(Object attempt, String why) {
        onLoop(() -> {
            Conn c = (Conn) attempt;
            if (conns.contains(c) && c.pendingConnect != null) {
                c.pendingConnect = null;
                fire(c, new Event.TcpFailed(why));
            }
        });
    }

    /** Sends an UPDATE on the established connection (split for an OLD peer, RFC 6793 4.2.2). */
    public void send(BgpMessage.Update u) {
        send(List.of(u));
    }

    /**
     * Sends UPDATEs in order on the established connection with one flush at the end: a drained
     * slice of the Adj-RIB-Out leaves in as few socket writes as TCP allows, not one per message.
     */
    public void send(List<BgpMessage.Update> updates) {
        onLoop(() -> {
            if (established == null || established.channel == null || updates.isEmpty()) {
                return;
            }
            boolean four = established.session.negotiated().fourOctetAs();
            for (BgpMessage.Update u : updates) {
                established.channel.write(four ? u
                        : new BgpMessage.Update(u.withdrawn(), As4.split(u.attributes()), u.nlri()));
            }
            established.channel.flush();
        });
    }

    /** Sends any message (ROUTE-REFRESH, End-of-RIB) on the established connection. */
    public void sendRaw(BgpMessage m) {
        onLoop(() -> {
            if (established != null && established.channel != null) {
                established.channel.writeAndFlush(m);
            }
        });
    }

    private void adopt(Conn c, Channel ch) {
        c.channel = ch;
        install(ch, c);
        ch.config().setAutoRead(true);
    }

    private void install(Channel ch, Conn c) {
        if (open.add(ch)) {
            ch.closeFuture().addListener(f -> open.remove(ch));
        }
        if (ch.pipeline().get(BgpFrameDecoder.class) == null) {
            ch.pipeline().addLast("bgp-frame", new BgpFrameDecoder());
            ch.pipeline().addLast("bgp-encoder", new BgpEncoder());
        }
        if (c != null) {
            ch.pipeline().addLast("bgp-session", new SessionHandler(this, c));
        }
    }

    void received(Object conn, Channel ch, DecodeResult r) {
        Conn c = (Conn) conn;
        if (c.channel != ch) {
            return; // a connection we already let go
        }
        if (r instanceof DecodeResult.Success s && !s.notes().isEmpty()) {
            log.atWarn().addKeyValue("peer", name).addKeyValue("notes", s.notes())
                    .addKeyValue("treatAsWithdraw", s.treatAsWithdraw()).log("malformed UPDATE handled per RFC 7606");
        }
        fire(c, Event.of(r));
    }

    void closed(Object conn, Channel ch, String why) {
        Conn c = (Conn) conn;
        if (c.channel == ch) {
            fire(c, new Event.TcpFailed(why));
        }
    }

    private void fire(Conn c, Event e) {
        State from = c.session.state();
        Transition t = Fsm.next(config, c.session, e);
        c.session = t.next();
        State to = t.next().state();
        if (from != to) {
            log.atInfo().addKeyValue("peer", name).addKeyValue("from", from).addKeyValue("to", to)
                    .addKeyValue("reason", t.reason()).addKeyValue("detail", t.detail()).log("session transition");
            listener.transition(this, from, to, t.reason(), t.detail());
        }
        for (Action a : t.actions()) {
            execute(c, a);
        }
        if (to == State.IDLE && conns.size() > 1) {
            // The other connection carries on (collision loser, or a duplicate that failed).
            cancelTimers(c);
            conns.remove(c);
        }
        if (from != to && to == State.OPEN_CONFIRM) {
            resolveCollision(c);
        }
        published = conns.stream().map(x -> x.session.state()).max(Enum::compareTo).orElse(State.IDLE);
    }

    /** RFC 4271 6.8, checked when a connection learns the peer's BGP Identifier. */
    private void resolveCollision(Conn c) {
        for (Conn other : List.copyOf(conns)) {
            if (other == c || !conns.contains(c)) {
                continue;
            }
            State s = other.session.state();
            if (s == State.ESTABLISHED) {
                fire(c, new Event.CollisionDump());
            } else if (s == State.OPEN_SENT || s == State.OPEN_CONFIRM) {
                boolean closeOutgoing = Collision.closeOutgoing(config.routerId(), c.session.negotiated().peerId());
                Conn loser = c.outgoing == closeOutgoing ? c : other;
                log.atInfo().addKeyValue("peer", name).addKeyValue("closing", loser.outgoing ? "outgoing" : "incoming")
                        .log("connection collision");
                fire(loser, new Event.CollisionDump());
            }
        }
    }

    private void execute(Conn c, Action a) {
        switch (a) {
            case Action.Connect x -> c.pendingConnect = transport.connect(this, c);
            case Action.Disconnect x -> {
                if (c.pendingConnect != null) {
                    c.pendingConnect.run();
                    c.pendingConnect = null;
                }
                Channel ch = c.channel;
                c.channel = null;
                if (ch != null) {
                    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> closeGracefully(ch));
                }
            }
            case Action.Send s -> {
                if (c.channel != null) {
                    c.channel.writeAndFlush(s.message());
                }
            }
            case Action.StartTimer st -> schedule(c, st.timer(), st.after());
            case Action.StopTimer st -> {
                Armed armed = c.timers.remove(st.timer());
                if (armed != null) {
                    armed.task.cancel(false);
                }
            }
            case Action.Negotiate n -> {
                if (c.channel != null) {
                    c.channel.pipeline().get(BgpFrameDecoder.class).context(n.negotiated().rx());
                    c.channel.pipeline().get(BgpEncoder.class).context(n.negotiated().tx());
                }
            }
            case Action.Up u -> {
                established = c;
                listener.up(this, u.negotiated());
            }
            case Action.Down d -> {
                if (established == c) {
                    established = null;
                }
                listener.down(this, d.why(), d.detail());
            }
            case Action.Deliver d -> deliver(c, d);
            case Action.Refresh r -> listener.refresh(this, r.request());
        }
    }

    private void deliver(Conn c, Action.Deliver d) {
        Negotiated n = c.session.negotiated();
        List<PathAttribute> attrs = As4.merge(d.update().attributes(), n.fourOctetAs());
        List<String> notes = d.notes();
        if (!n.internal() && attrs.stream().anyMatch(a -> a instanceof PathAttribute.LocalPref)) {
            // RFC 4271 5.1.5 / RFC 7606 7.5: LOCAL_PREF from an external peer is ignored.
            attrs = attrs.stream().filter(a -> !(a instanceof PathAttribute.LocalPref)).toList();
        }
        listener.update(this, new BgpMessage.Update(d.update().withdrawn(), attrs, d.update().nlri()), notes,
                d.treatAsWithdraw());
    }

    private void schedule(Conn c, Timer t, Duration after) {
        // Millisecond resolution, as the timers have always had; the loop's ticker is virtual in tests.
        long deadline = loop.ticker().nanoTime() + TimeUnit.MILLISECONDS.toNanos(after.toMillis());
        Armed a = c.timers.get(t);
        if (a != null && a.firesAt <= deadline) {
            a.deadline = deadline; // its task runs first and waits for the rest
            return;
        }
        if (a != null) {
            a.task.cancel(false);
        } else {
            a = new Armed();
            c.timers.put(t, a);
        }
        a.deadline = deadline;
        arm(c, t, a);
    }

    private void arm(Conn c, Timer t, Armed a) {
        a.firesAt = a.deadline;
        a.task = loop.schedule(() -> due(c, t, a), a.deadline - loop.ticker().nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void due(Conn c, Timer t, Armed a) {
        if (c.timers.get(t) != a) {
            return; // stopped, or stopped and started again since
        }
        if (a.deadline - loop.ticker().nanoTime() > 0) {
            arm(c, t, a); // restarted since this task was scheduled
            return;
        }
        c.timers.remove(t);
        fire(c, new Event.TimerExpired(t));
    }

    /**
     * Closes after the last write has left: half-close first (FIN) and let the peer close, so a
     * NOTIFICATION is not lost to the RST that closing a socket with unread input would send;
     * the channel is closed for good after {@link #CLOSE_GRACE} at the latest. Input arriving
     * meanwhile is decoded and dropped (the connection is no longer the session's).
     */
    private static void closeGracefully(Channel ch) {
        if (ch instanceof io.netty.channel.socket.DuplexChannel d && ch.isActive() && !d.isOutputShutdown()) {
            d.shutdownOutput();
            ch.eventLoop().schedule(() -> ch.close(), CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            ch.close();
        }
    }

    static final Duration CLOSE_GRACE = Duration.ofSeconds(3);

    /** True while any connection of this peer is still open (including ones being closed). */
    public boolean hasOpenConnections() {
        return !open.isEmpty();
    }

    private void cancelTimers(Conn c) {
        c.timers.values().forEach(a -> a.task.cancel(false));
        c.timers.clear();
    }

    /** Timers currently armed on any connection (for tests and status). */
    public List<Timer> armedTimers() {
        return conns.stream().flatMap(c -> c.timers.keySet().stream()).toList();
    }

    @Override
    public String toString() {
        return "peer " + name + " " + state();
    }
}
