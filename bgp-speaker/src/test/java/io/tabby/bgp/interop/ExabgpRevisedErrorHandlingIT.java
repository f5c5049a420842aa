package io.tabby.bgp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.server.BgpServer;
import io.tabby.bgp.session.State;
import io.tabby.bgp.wire.Bytes;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.Prefix;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Lab;
import io.tabby.testkit.NetnsTest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * RFC 7606 on a live session: ExaBGP 4.2 (raw {@code attribute [ code flags value ]}) sends one
 * good route, one with a malformed COMMUNITIES attribute (3 octets) and one with an unknown
 * optional transitive attribute. We must treat the malformed one as withdrawn, keep the unknown
 * attribute, and keep the session up (no NOTIFICATION, no reset).
 */
@NetnsTest
class ExabgpRevisedErrorHandlingIT {
    @Test
    void malformedAttributeIsTreatAsWithdrawAndTheSessionSurvives(Lab lab) {
        Topology t = new Topology(lab);
        BgpServer s = t.speaker("""
                localAs: 65001
                routerId: 10.0.0.1
                peers:
                  - {address: 10.0.0.2, as: 65002, passive: true, holdTime: 9, allowAll: true}
                """);
        Path conf = t.write("exabgp.conf", """
                neighbor 10.0.0.1 {
                  router-id 10.0.0.2;
                  local-address 10.0.0.2;
                  local-as 65002;
                  peer-as 65001;
                  hold-time 9;
                  static {
                    route 10.50.0.0/16 next-hop 10.0.0.2;
                    route 10.51.0.0/16 next-hop 10.0.0.2 attribute [ 0x08 0xc0 0x010203 ];
                    route 10.52.0.0/16 next-hop 10.0.0.2 attribute [ 0x63 0xc0 0xdeadbeef ];
                  }
                }
                """);
        t.rtr.spawn(lab.dir().resolve("exabgp.log"), "env", "exabgp.daemon.user=root", "exabgp.log.destination=stdout",
                "exabgp.tcp.bind=", "exabgp.api.cli=false", "exabgp", conf.toString());
        try {
            Duration up = Duration.ofSeconds(30);
            Eventually.await("ExaBGP's good routes", up, () -> s.received(Topology.RTR4).containsKey(Prefix.parse("10.50.0.0/16"))
                    && s.received(Topology.RTR4).containsKey(Prefix.parse("10.52.0.0/16")),
                    () -> FrrInteropIT.read(lab.dir().resolve("exabgp.log")));
            var unknown = s.received(Topology.RTR4).get(Prefix.parse("10.52.0.0/16")).get(PathAttribute.Unknown.class);
            assertThat(unknown).contains(new PathAttribute.Unknown(PathAttribute.OPTIONAL | PathAttribute.TRANSITIVE, 0x63,
                    Bytes.ofHex("deadbeef")));
            // Longer than the 9 s hold time: the session was not reset, and the bad route never appeared.
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Eventually.await("10 s", Duration.ofSeconds(15), () -> System.nanoTime() > until);
            assertThat(s.state(Topology.RTR4)).isEqualTo(State.ESTABLISHED);
            assertThat(s.received(Topology.RTR4)).doesNotContainKey(Prefix.parse("10.51.0.0/16"));
            assertThat(FrrInteropIT.read(lab.dir().resolve("exabgp.log"))).doesNotContainIgnoringCase("notification");
        } finally {
            s.shutdown("bye");
        }
    }
}
