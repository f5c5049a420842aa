package io.tabby.bgp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.tabby.bgp.session.Reason;
import io.tabby.bgp.session.State;
import io.tabby.bgp.wire.Addresses;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What the looking glass and the metrics say about a session, on a clock we move. */
class SessionBookTest {
    final InetAddress peer = Addresses.parse("10.0.0.2");
    final MetricRegistry metrics = new MetricRegistry();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final SessionBook book = new SessionBook(metrics, new Clock() {
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId z) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    });

    int stateGauge() {
        return (Integer) metrics.getGauges().get("bgp.session.10.0.0.2.state").getValue();
    }

    @Test
    void upTimeCountsFromEstablishedAndTheLastErrorNamesTheReason() {
        book.configured(peer);
        assertThat(stateGauge()).isEqualTo(1);
        book.transition(peer, State.IDLE, State.CONNECT, Reason.START, "connecting");
        book.transition(peer, State.CONNECT, State.OPEN_SENT, Reason.TCP_CONNECTED, "OPEN sent");
        book.transition(peer, State.OPEN_SENT, State.OPEN_CONFIRM, Reason.OPEN_RECEIVED, "peer AS 65002");
        now = now.plusSeconds(1);
        book.transition(peer, State.OPEN_CONFIRM, State.ESTABLISHED, Reason.KEEPALIVE_RECEIVED, "session established");
        assertThat(stateGauge()).isEqualTo(6);
        now = now.plus(Duration.ofMinutes(2));
        SessionBook.Entry e = book.snapshot().get(peer);
        assertThat(book.uptimeSeconds(e)).isEqualTo(120);
        assertThat(e.lastError()).isEmpty();

        book.transition(peer, State.ESTABLISHED, State.IDLE, Reason.NOTIFICATION_RECEIVED, "Cease/Maximum Number of Prefixes Reached");
        now = now.plusSeconds(5);
        e = book.snapshot().get(peer);
        assertThat(e.lastError()).isEqualTo("NOTIFICATION_RECEIVED: Cease/Maximum Number of Prefixes Reached");
        assertThat(book.uptimeSeconds(e)).as("time since it went down").isEqualTo(5);
        assertThat(e.transitions()).isEqualTo(5);
        assertThat(metrics.getCounters().get("bgp.session.10.0.0.2.transitions").getCount()).isEqualTo(5);
        assertThat(stateGauge()).isEqualTo(1);

        // Restarting does not erase why it went down.
        book.transition(peer, State.IDLE, State.CONNECT, Reason.START, "connecting");
        assertThat(book.snapshot().get(peer).lastError()).startsWith("NOTIFICATION_RECEIVED");
    }

    @Test
    void aForgottenDynamicPeerTakesItsMetricsAlong() {
        book.transition(peer, State.IDLE, State.ACTIVE, Reason.START, "waiting");
        assertThat(metrics.getNames()).contains("bgp.session.10.0.0.2.state", "bgp.session.10.0.0.2.transitions");
        book.forget(peer);
        assertThat(metrics.getNames()).isEmpty();
        assertThat(book.snapshot()).isEmpty();
    }
}
