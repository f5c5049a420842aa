package io.tabby.netlink;

import io.tabby.netlink.ns.NetNs;
import io.tabby.netlink.sys.LibC;
import io.tabby.netlink.wire.Ack;
import io.tabby.netlink.wire.Done;
import io.tabby.netlink.wire.Frame;
import io.tabby.netlink.wire.Frames;
import io.tabby.netlink.wire.Rt;
import io.tabby.netlink.wire.RtMessage;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Regenerates {@code src/test/resources/captures}: raw datagrams the kernel sent for link, address,
 * route and neighbour dumps and for a refused request, in a lab namespace built with iproute2.
 * {@code KernelCaptureTest} decodes them without root. Not a test; run by hand as root:
 * <pre>
 * java -cp netlink/target/test-classes:netlink/target/classes:$(cat netlink/target/bench.classpath) \
 *     io.tabby.netlink.KernelCapture netlink/src/test/resources/captures
 * </pre>
 * (the classpath file is written by {@code bench/netlink-routes.sh}). Datagrams are hex, one per
 * line, in this machine's byte order (little-endian x86-64).
 */
final class KernelCapture {
    private KernelCapture() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        try (Lab lab = Lab.open()) {
            Netns n = lab.netns("cap");
            Netns other = lab.netns("other");
            n.ip("link", "add", "br0", "type", "bridge");
            n.ip("link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", other.name());
            n.ip("link", "add", "vc", "type", "veth", "peer", "name", "vd");
            n.ip("link", "set", "va", "master", "br0");
            for (String d : List.of("br0", "va", "vc", "vd")) {
                n.ip("link", "set", d, "up");
            }
            n.ip("addr", "add", "10.1.0.1/24", "dev", "vc");
            n.ip("addr", "add", "10.2.0.1", "peer", "10.2.0.2/32", "dev", "vd");
            n.ip("-6", "addr", "add", "fd00:1::1/64", "dev", "vc", "nodad");
            n.ip("route", "add", "10.244.1.2/32", "dev", "vc", "proto", "250");
            n.ip("route", "add", "10.244.3.0/26", "via", "192.0.2.1", "dev", "vc", "onlink", "proto", "250", "metric", "20");
            n.ip("route", "add", "blackhole", "10.244.9.0/24", "proto", "250");
            n.ip("route", "add", "10.60.0.0/24", "proto", "250", "nexthop", "via", "10.1.0.2", "dev", "vc", "weight", "1",
                    "nexthop", "via", "10.1.0.3", "dev", "vc", "weight", "3");
            n.ip("route", "add", "10.50.0.0/16", "via", "10.1.0.2", "table", "100");
            n.ip("-6", "route", "add", "fd00:244::/64", "dev", "vc", "proto", "250");
            n.ip("neigh", "add", "10.1.0.9", "lladdr", "02:00:00:00:00:09", "dev", "vc", "nud", "permanent");
            n.ip("neigh", "add", "fd00:1::9", "lladdr", "02:00:00:00:00:0a", "dev", "vc", "nud", "permanent");
            int vc = linkIndex(n, "vc");
            try (NetNs ns = NetNs.open(n.path())) {
                ns.run(() -> {
                    write(out.resolve("links.hex"), exchange(Messages.linkDump().withSeq(1)));
                    write(out.resolve("addrs.hex"), exchange(Messages.addrDump(Family.ALL, 0).withSeq(2)));
                    write(out.resolve("routes.hex"), exchange(Messages.routeDump(RouteFilter.all()).withSeq(3)));
                    write(out.resolve("neighs.hex"), exchange(Messages.neighDump(Family.ALL, 0, false).withSeq(4)));
                    RtMessage refused = Messages.route(Rt.RTM_NEWROUTE, Rt.NLM_F_CREATE | Rt.NLM_F_EXCL | Rt.NLM_F_ACK,
                            Route.to("10.7.0.0/16").via("192.0.2.9").dev(vc)).withSeq(5);
                    write(out.resolve("error.hex"), exchange(refused));
                });
            }
        }
    }

    private static int linkIndex(Netns n, String dev) {
        return Integer.parseInt(n.run("ip", "-o", "link", "show", "dev", dev).split(":")[0].strip());
    }

    /** One request on a fresh socket with extended ACKs on, every datagram up to DONE or the ACK. */
    private static List<byte[]> exchange(RtMessage request) {
        int fd = (int) LibC.check("socket", () -> LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE));
        try {
            byte[] one = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(1).array();
            LibC.setsockopt(fd, LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, one, 4);
            LibC.setsockopt(fd, LibC.SOL_NETLINK, LibC.NETLINK_CAP_ACK, one, 4);
            LibC.setsockopt(fd, LibC.SOL_NETLINK, LibC.NETLINK_GET_STRICT_CHK, one, 4);
            byte[] kernel = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putShort((short) LibC.AF_NETLINK).array();
            ByteBuffer tx = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
            request.encode(tx);
            tx.flip();
            LibC.sendto(fd, tx, tx.remaining(), 0, kernel, 12);
            ByteBuffer rx = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.nativeOrder());
            List<byte[]> datagrams = new ArrayList<>();
            while (true) {
                rx.clear();
                long n = LibC.recv(fd, rx, rx.capacity(), 0);
                rx.limit((int) n);
                byte[] copy = new byte[(int) n];
                rx.duplicate().get(copy);
                datagrams.add(copy);
                for (Frame f : Frames.decode(rx)) {
                    if (f instanceof Done || f instanceof Ack) {
                        return datagrams;
                    }
                }
            }
        } finally {
            LibC.close(fd);
        }
    }

    private static void write(Path file, List<byte[]> datagrams) {
        StringBuilder s = new StringBuilder();
        datagrams.forEach(d -> s.append(HexFormat.of().formatHex(d)).append('\n'));
        try {
            Files.writeString(file, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
