package io.tabby.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.netlink.wire.Ack;
import io.tabby.netlink.wire.Done;
import io.tabby.netlink.wire.Frame;
import io.tabby.netlink.wire.Frames;
import io.tabby.netlink.wire.Rt;
import io.tabby.netlink.wire.RtMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Real kernel answers (captured by {@link KernelCapture} from kernel 6.18 in a namespace built
 * with iproute2) decode to the values iproute2 put there. Runs without root. The captures are
 * little-endian, as is every machine this builds on.
 */
class KernelCaptureTest {

    private static List<Frame> frames(String name) throws IOException {
        assertThat(ByteOrder.nativeOrder()).as("captures are little-endian").isEqualTo(ByteOrder.LITTLE_ENDIAN);
        try (InputStream in = KernelCaptureTest.class.getResourceAsStream("/captures/" + name)) {
            List<Frame> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank()) {
                    out.addAll(Frames.decode(ByteBuffer.wrap(HexFormat.of().parseHex(line.strip())).order(ByteOrder.LITTLE_ENDIAN)));
                }
            }
            return out;
        }
    }

    private static <T> List<T> values(List<Frame> frames, Function<RtMessage, T> decode) {
        assertThat(frames.getLast()).isInstanceOfSatisfying(Done.class, d -> assertThat(d.errno()).isZero());
        return frames.stream().filter(RtMessage.class::isInstance).map(RtMessage.class::cast).map(decode).toList();
    }

    @Test
    void linkDump() throws IOException {
        Map<String, Link> links = values(frames("links.hex"), Messages::link).stream()
                .collect(Collectors.toMap(Link::name, l -> l));
        assertThat(links).containsOnlyKeys("lo", "br0", "va", "vc", "vd");
        assertThat(links.get("lo").flagNames()).contains("LOOPBACK", "UP");
        assertThat(links.get("br0").kind()).isEqualTo("bridge");
        Link va = links.get("va");
        assertThat(va.kind()).isEqualTo("veth");
        assertThat(va.masterIndex()).isEqualTo(links.get("br0").index());
        assertThat(va.linkNetnsId()).as("peer lives in another namespace").isPresent();
        assertThat(links.get("vc").parentIndex()).isEqualTo(links.get("vd").index());
        assertThat(links.get("vc").linkNetnsId()).isEmpty();
        assertThat(links.get("vc").operState()).isEqualTo(OperState.UP);
        assertThat(links.get("vc").mtu()).isEqualTo(1500);
        assertThat(links.get("vc").hardwareAddr()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    }

    @Test
    void addressDump() throws IOException {
        List<String> addrs = values(frames("addrs.hex"), Messages::addr).stream()
                .map(a -> a.prefix() + " " + a.scope() + a.peer().map(p -> " peer " + IpPrefix.text(p)).orElse("")
                        + ((a.flags() & Addr.NODAD) != 0 ? " nodad" : ""))
                .toList();
        assertThat(addrs).contains("127.0.0.1/8 host", "10.1.0.1/24 global", "10.2.0.1/32 global peer 10.2.0.2",
                "fd00:1::1/64 global nodad", "::1/128 host");
    }

    @Test
    void routeDumpOfAllTables() throws IOException {
        List<Route> routes = values(frames("routes.hex"), Messages::route);
        Route ecmp = routes.stream().filter(r -> r.dst().toString().equals("10.60.0.0/24")).findFirst().orElseThrow();
        assertThat(ecmp.multipath()).extracting(h -> IpPrefix.text(h.gateway().orElseThrow()) + " w" + h.weight())
                .containsExactly("10.1.0.2 w1", "10.1.0.3 w3");
        assertThat(routes).filteredOn(r -> r.protocol().value() == 250).extracting(r -> r.type().label() + " " + r.dst()
                        + (r.isOnlink() ? " onlink" : "") + " metric " + r.metric())
                .contains("unicast 10.244.1.2/32 metric 0", "unicast 10.244.3.0/26 onlink metric 20",
                        "blackhole 10.244.9.0/24 metric 0", "unicast fd00:244::/64 metric 1024");
        assertThat(routes).anySatisfy(r -> {
            assertThat(r.table()).isEqualTo(100);
            assertThat(r.dst().toString()).isEqualTo("10.50.0.0/16");
        });
        assertThat(routes).anySatisfy(r -> {
            assertThat(r.table()).isEqualTo(Route.TABLE_LOCAL);
            assertThat(r.type()).isEqualTo(RouteType.LOCAL);
        });
        assertThat(RouteFilter.main().protocol(new RouteProtocol(250)).family(Family.INET6).matches(routes.stream()
                .filter(r -> r.dst().toString().equals("fd00:244::/64")).findFirst().orElseThrow())).isTrue();
    }

    @Test
    void neighbourDump() throws IOException {
        assertThat(values(frames("neighs.hex"), Messages::neigh)).extracting(n -> IpPrefix.text(n.ip()) + " "
                        + n.hardwareAddr().orElse("-") + ((n.state() & Neigh.NUD_PERMANENT) != 0 ? " permanent" : ""))
                .contains("10.1.0.9 02:00:00:00:00:09 permanent", "fd00:1::9 02:00:00:00:00:0a permanent");
    }

    @Test
    void refusedRequestCarriesErrnoAndExtendedAck() throws IOException {
        List<Frame> frames = frames("error.hex");
        assertThat(frames).singleElement().isInstanceOfSatisfying(Ack.class, a -> {
            assertThat(a.errno()).isEqualTo(101);
            assertThat(a.seq()).isEqualTo(5);
            assertThat(a.request().type()).isEqualTo(Rt.RTM_NEWROUTE);
            assertThat(a.flags() & Rt.NLM_F_CAPPED).isNotZero();
            assertThat(a.message()).hasValueSatisfying(m -> assertThat(m).containsIgnoringCase("gateway"));
        });
    }
}
