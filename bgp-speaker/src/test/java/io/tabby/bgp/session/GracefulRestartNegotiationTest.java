package io.tabby.bgp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.config.GracefulRestartConfig;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.BgpMessage.Open;
import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.Capability.GracefulRestart;
import io.tabby.bgp.wire.Capability.GracefulRestart.GrFamily;
import io.tabby.bgp.wire.Family;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 4724 section 3 in our OPEN and in {@link Negotiated}. */
class GracefulRestartNegotiationTest {
    static final Family V4 = Family.IPV4_UNICAST;
    static final Family V6 = Family.IPV6_UNICAST;
    final GracefulRestartConfig conf = new GracefulRestartConfig(null, 90, null, null);
    final SessionConfig base = new SessionConfig(65001, Addresses.parse4("10.0.0.1"), 65002, false, 90,
            java.time.Duration.ofSeconds(5), java.time.Duration.ZERO, java.time.Duration.ofSeconds(1),
            java.time.Duration.ofSeconds(60), Set.of(V4, V6), 0, false, false, true);

    static Open peerOpen(Capability... extra) {
        List<Capability> caps = new java.util.ArrayList<>(List.of(new Capability.FourOctetAs(65002),
                new Capability.Multiprotocol(V4)));
        caps.addAll(List.of(extra));
        return new Open(4, 65002, 90, Addresses.parse4("10.0.0.2"), caps);
    }

    @Test
    void coldStartAdvertisesRestartTimeWithoutRestartOrForwardingBits() {
        Open ours = Negotiation.localOpen(base.withGracefulRestart(conf.capability(base.families(), false, false)));
        assertThat(ours.capability(GracefulRestart.class)).contains(new GracefulRestart(false, false, 90,
                List.of(new GrFamily(V4, false), new GrFamily(V6, false))));
    }

    @Test
    void afterARestartWithRoutesPreservedTheRAndFBitsAreSet() {
        Open ours = Negotiation.localOpen(base.withGracefulRestart(conf.capability(Set.of(V4), true, true)));
        GracefulRestart g = ours.capability(GracefulRestart.class).orElseThrow();
        assertThat(g.restarted()).isTrue();
        assertThat(g.notification()).as("no RFC 8538").isFalse();
        assertThat(g.families()).containsExactly(new GrFamily(V4, true));
    }

    @Test
    void offMeansNoCapability() {
        assertThat(GracefulRestartConfig.OFF.capability(Set.of(V4), true, true)).isNull();
        assertThat(Negotiation.localOpen(base).capability(GracefulRestart.class)).isEmpty();
    }

    @Test
    void negotiatedCarriesThePeersCapabilityCutToTheNegotiatedFamilies() {
        var peerGr = new GracefulRestart(true, false, 120, List.of(new GrFamily(V4, true), new GrFamily(V6, false)));
        Negotiated n = Negotiation.negotiate(base.withGracefulRestart(conf.capability(base.families(), false, false)),
                peerOpen(peerGr)).negotiated();
        assertThat(n.families()).containsExactly(V4);
        assertThat(n.gracefulRestart()).contains(new GracefulRestart(true, false, 120, List.of(new GrFamily(V4, true))));
        assertThat(n.gracefulRestart().orElseThrow().forwardingPreserved(V4)).isTrue();
    }

    @Test
    void gracefulRestartNeedsBothSides() {
        var peerGr = new GracefulRestart(false, false, 120, List.of(new GrFamily(V4, true)));
        assertThat(Negotiation.negotiate(base, peerOpen(peerGr)).negotiated().gracefulRestart())
                .as("we did not advertise it").isEmpty();
        assertThat(Negotiation.negotiate(base.withGracefulRestart(conf.capability(Set.of(V4), false, false)), peerOpen())
                .negotiated().gracefulRestart()).as("the peer did not").isEmpty();
    }

    @Test
    void restartTimeIsTwelveBitsAndValidatedInTheConfig() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.tabby.bgp.config.BgpConfig.parse("""
                localAs: 64512
                routerId: 10.0.0.1
                gracefulRestart: {restartTime: 5000}
                """, "test.yaml")).hasMessageContaining("gracefulRestart.restartTime must be 1..4095");
        var c = io.tabby.bgp.config.BgpConfig.parse("""
                localAs: 64512
                routerId: 10.0.0.1
                gracefulRestart: {restartTime: 30, deferralTime: 60}
                """, "test.yaml").gracefulRestart();
        assertThat(c.on()).isTrue();
        assertThat(c.deferral()).hasSeconds(60);
        assertThat(io.tabby.bgp.config.BgpConfig.parse("localAs: 64512\nrouterId: 10.0.0.1\n", "t").gracefulRestart().on())
                .as("absent block: off").isFalse();
    }
}
