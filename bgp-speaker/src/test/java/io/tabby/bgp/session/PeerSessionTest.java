package io.tabby.bgp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.BgpCodec;
import io.tabby.bgp.wire.BgpMessage;
import io.tabby.bgp.wire.BgpMessage.Open;
import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.DecodeResult;
import io.tabby.bgp.wire.NotificationCode;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.wire.WireContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Netty shell on virtual time: the peer's timers run on an EmbeddedChannel's event loop whose
 * clock is frozen and advanced by hand; connections are EmbeddedChannels standing in for TCP.
 */
class PeerSessionTest {
    final EmbeddedChannel clock = new EmbeddedChannel();
    final List<Object> attempts = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final List<BgpMessage.Update> updates = new ArrayList<>();
    PeerSession peer;

    final Transport transport = (p, attempt) -> {
        attempts.add(attempt);
        return () -> events.add("connect aborted");
    };

    final SessionListener listener = new SessionListener() {
        public void up(PeerSession p, Negotiated n) {
            events.add("up hold=" + n.holdTime());
        }

        public void down(PeerSession p, Reason why, String detail) {
            events.add("down " + why + ": " + detail);
        }

        public void update(PeerSession p, BgpMessage.Update u, List<String> notes, boolean taw) {
            updates.add(u);
        }

        public void refresh(PeerSession p, BgpMessage.RouteRefresh r) {
            events.add("refresh");
        }
    };

    @BeforeEach
    void setUp() {
        clock.freezeTime();
        peer = new PeerSession(FsmTest.CFG.withHoldTime(9), new InetSocketAddress("10.0.0.2", 179), clock.eventLoop(),
                transport, listener);
    }

    @AfterEach
    void tearDown() {
        clock.finishAndReleaseAll();
    }

    void advance(long seconds) {
        clock.advanceTimeBy(seconds, TimeUnit.SECONDS);
        clock.runScheduledPendingTasks();
    }

    static void feed(EmbeddedChannel ch, BgpMessage m, WireContext ctx) {
        ByteBuf b = Unpooled.buffer();
        BgpCodec.encode(m, b, ctx);
        ch.writeInbound(b);
        assertThat(b.refCnt()).isZero();
    }

    static List<BgpMessage> sent(EmbeddedChannel ch, WireContext ctx) {
        List<BgpMessage> out = new ArrayList<>();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            while (b.isReadable()) {
                int len = b.getUnsignedShort(b.readerIndex() + 16);
                out.add(((DecodeResult.Success) BgpCodec.decode(b.readSlice(len), ctx)).message());
            }
            b.release();
        }
        return out;
    }

    static Open peerOpen(int hold) {
        return new Open(4, 65002, hold, Addresses.parse4("10.0.0.2"), List.of(new Capability.FourOctetAs(65002)));
    }

    EmbeddedChannel establish() {
        peer.start();
        assertThat(attempts).hasSize(1);
        EmbeddedChannel wire = new EmbeddedChannel();
        peer.connected(attempts.getFirst(), wire);
        assertThat(sent(wire, WireContext.INITIAL)).containsExactly(Negotiation.localOpen(peer.config()));
        feed(wire, peerOpen(30), WireContext.INITIAL);
        assertThat(sent(wire, WireContext.FOUR_OCTET)).containsExactly(BgpMessage.Keepalive.INSTANCE);
        feed(wire, BgpMessage.Keepalive.INSTANCE, WireContext.FOUR_OCTET);
        assertThat(peer.state()).isEqualTo(State.ESTABLISHED);
        assertThat(events).contains("up hold=9");
        return wire;
    }

    @Test
    void keepalivesEveryThirdOfHoldAndHoldExpiryResetsWithBackoff() {
        EmbeddedChannel wire = establish();
        advance(3);
        assertThat(sent(wire, WireContext.FOUR_OCTET)).containsExactly(BgpMessage.Keepalive.INSTANCE);
        advance(3);
        feed(wire, BgpMessage.Keepalive.INSTANCE, WireContext.FOUR_OCTET); // the peer is alive at t=6
        advance(3);
        advance(3);
        assertThat(peer.state()).isEqualTo(State.ESTABLISHED);
        assertThat(sent(wire, WireContext.FOUR_OCTET)).hasSize(3).containsOnly(BgpMessage.Keepalive.INSTANCE);
        advance(3); // t=15 = 6 + 9: hold expires
        assertThat(peer.state()).isEqualTo(State.IDLE);
        assertThat(sent(wire, WireContext.FOUR_OCTET)).last()
                .isEqualTo(BgpMessage.Notification.of(NotificationCode.HOLD_TIMER_EXPIRED));
        assertThat(wire.isOpen()).isFalse();
        assertThat(events).anyMatch(e -> e.startsWith("down HOLD_TIMER_EXPIRED"));
        assertThat(attempts).hasSize(1);
        advance(1); // IdleHold 1 s, then reconnect
        assertThat(peer.state()).isEqualTo(State.CONNECT);
        assertThat(attempts).hasSize(2);
        wire.finishAndReleaseAll();
    }

    /**
     * A restart to a later deadline only moves the deadline (the task already scheduled waits for
     * the rest): however often the peer's messages restart the hold timer, it expires exactly the
     * hold time after the last one, not at a deadline an earlier restart left behind.
     */
    @Test
    void holdTimerRestartedByEveryMessageExpiresHoldTimeAfterTheLast() {
        EmbeddedChannel wire = establish(); // t=0, hold 9 s
        for (int t = 1; t <= 20; t++) {
            advance(1);
            feed(wire, BgpMessage.Keepalive.INSTANCE, WireContext.FOUR_OCTET);
        }
        clock.advanceTimeBy(8_999, TimeUnit.MILLISECONDS); // t=28.999: last message at t=20
        clock.runScheduledPendingTasks();
        assertThat(peer.state()).isEqualTo(State.ESTABLISHED);
        assertThat(peer.armedTimers()).contains(Timer.HOLD);
        clock.advanceTimeBy(1, TimeUnit.MILLISECONDS); // t=29 = 20 + 9
        clock.runScheduledPendingTasks();
        assertThat(peer.state()).isEqualTo(State.IDLE);
        assertThat(events).anyMatch(e -> e.startsWith("down HOLD_TIMER_EXPIRED"));
        wire.finishAndReleaseAll();
    }

    @Test
    void connectRetryRedialsOnVirtualTime() {
        peer.start();
        advance(4);
        assertThat(attempts).hasSize(1);
        advance(1);
        assertThat(attempts).hasSize(2);
        assertThat(events).contains("connect aborted");
    }

    @Test
    void updatesAreDeliveredMergedAndStopSendsShutdownCommunication() {
        EmbeddedChannel wire = establish();
        var u = new BgpMessage.Update(List.of(), List.of(PathAttribute.Origin.IGP,
                new PathAttribute.AsPath(List.of(PathAttribute.Segment.sequence(65002))),
                new PathAttribute.NextHop(Addresses.parse4("10.0.0.2")), new PathAttribute.LocalPref(200)),
                List.of(Prefix.parse("10.2.0.0/16")));
        feed(wire, u, WireContext.FOUR_OCTET);
        // eBGP: LOCAL_PREF is ignored (RFC 7606 7.5).
        assertThat(updates).containsExactly(new BgpMessage.Update(List.of(), u.attributes().subList(0, 3), u.nlri()));
        peer.stop("planned maintenance");
        assertThat(sent(wire, WireContext.FOUR_OCTET)).containsExactly(
                BgpMessage.Notification.shutdown(NotificationCode.ADMINISTRATIVE_SHUTDOWN, "planned maintenance"));
        assertThat(wire.isOpen()).isFalse();
        assertThat(peer.state()).isEqualTo(State.IDLE);
        advance(120);
        assertThat(attempts).hasSize(1); // no automatic restart after a manual stop
        wire.finishAndReleaseAll();
    }

    @Test
    void malformedMessageGetsItsNotification() {
        EmbeddedChannel wire = establish();
        ByteBuf bad = Unpooled.buffer();
        bad.writeLong(-1).writeLong(-1).writeShort(19).writeByte(7);
        wire.writeInbound(bad);
        assertThat(sent(wire, WireContext.FOUR_OCTET)).containsExactly(
                new BgpMessage.Notification(1, 3, io.tabby.bgp.wire.Bytes.of((byte) 7)));
        assertThat(peer.state()).isEqualTo(State.IDLE);
        assertThat(bad.refCnt()).isZero();
        wire.finishAndReleaseAll();
    }

    @Test
    void collisionKeepsTheConnectionOfTheHigherIdentifier() {
        // Our id 10.0.0.1 < peer 10.0.0.2: the connection we initiated must be closed (RFC 4271 6.8).
        peer.start();
        EmbeddedChannel out = new EmbeddedChannel();
        peer.connected(attempts.getFirst(), out);
        EmbeddedChannel in = new EmbeddedChannel();
        peer.accept(in);
        assertThat(sent(out, WireContext.INITIAL)).hasSize(1);
        assertThat(sent(in, WireContext.INITIAL)).hasSize(1);
        // The first OPEN reveals the peer's identifier; the outgoing connection loses at once.
        feed(in, peerOpen(30), WireContext.INITIAL);
        assertThat(sent(out, WireContext.FOUR_OCTET)).last()
                .isEqualTo(BgpMessage.Notification.of(NotificationCode.CONNECTION_COLLISION_RESOLUTION));
        assertThat(out.isOpen()).isFalse();
        feed(in, BgpMessage.Keepalive.INSTANCE, WireContext.FOUR_OCTET);
        assertThat(peer.state()).isEqualTo(State.ESTABLISHED);
        assertThat(in.isOpen()).isTrue();
        // A third connection while established is refused.
        EmbeddedChannel third = new EmbeddedChannel();
        peer.accept(third);
        assertThat(sent(third, WireContext.INITIAL)).containsExactly(BgpMessage.Notification.of(NotificationCode.CONNECTION_REJECTED));
        assertThat(third.isOpen()).isFalse();
        in.finishAndReleaseAll();
        out.finishAndReleaseAll();
    }
}
