package io.tabby.netlink.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class FramesTest {

    private static ByteBuffer buffer() {
        return ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
    }

    private static Frame roundTrip(RtMessage m) {
        ByteBuffer b = buffer();
        m.encode(b);
        assertThat(b.position()).isEqualTo(m.encodedSize()).isEqualTo(Attr.align(m.encodedSize()));
        b.flip();
        List<Frame> frames = Frames.decode(b);
        assertThat(frames).hasSize(1);
        return frames.get(0);
    }

    @Test
    void everyBodyRoundTrips() throws Exception {
        List<RtMessage> messages = List.of(
                new RtMessage(Rt.RTM_NEWLINK, Rt.NLM_F_REQUEST | Rt.NLM_F_CREATE | Rt.NLM_F_EXCL, 7, 0,
                        new IfInfoMsg(Rt.AF_UNSPEC, 1, 42, Rt.IFF_UP, Rt.IFF_UP),
                        List.of(Attr.string(Rt.IFLA_IFNAME, "cali12345678901"), Attr.u32(Rt.IFLA_MTU, 1450),
                                new Attr(Rt.IFLA_ADDRESS, HexFormat.ofDelimiter(":").parseHex("ee:ee:ee:ee:ee:ee")),
                                Attr.u8(Rt.IFLA_OPERSTATE, 6))),
                new RtMessage(Rt.RTM_DELADDR, Rt.NLM_F_REQUEST, 8, 99, new IfAddrMsg(Rt.AF_INET6, 64, 0x02, 0, 3),
                        List.of(Attr.address(Rt.IFA_LOCAL, InetAddress.getByName("fd00::1")), Attr.u32(Rt.IFA_FLAGS, 0x202))),
                new RtMessage(Rt.RTM_NEWROUTE, Rt.NLM_F_REQUEST | Rt.NLM_F_REPLACE | Rt.NLM_F_CREATE, 9, 0,
                        new RtMsg(Rt.AF_INET, 26, 0, 0, 254, 250, 253, 1, Rt.RTNH_F_ONLINK),
                        List.of(Attr.address(Rt.RTA_DST, InetAddress.getByName("10.244.1.0")), Attr.u32(Rt.RTA_OIF, 5),
                                Attr.u32(Rt.RTA_TABLE, 1000), Attr.u32(Rt.RTA_PRIORITY, 20))),
                new RtMessage(Rt.RTM_NEWNEIGH, Rt.NLM_F_REQUEST, 10, 0, new NdMsg(Rt.AF_INET, 4, 0x80, 0x08, 1),
                        List.of(Attr.address(Rt.NDA_DST, InetAddress.getByName("169.254.1.1")),
                                new Attr(Rt.NDA_LLADDR, new byte[] {2, 0, 0, 0, 0, 1}))),
                new RtMessage(Rt.RTM_GETLINK, Rt.NLM_F_REQUEST | Rt.NLM_F_DUMP, 11, 0, new IfInfoMsg(0, 0, 0, 0, 0), List.of()));
        for (RtMessage m : messages) {
            assertThat(roundTrip(m)).isEqualTo(m);
        }
    }

    @Test
    void headerLayoutIsTheKernels() {
        RtMessage m = new RtMessage(Rt.RTM_GETROUTE, Rt.NLM_F_REQUEST | Rt.NLM_F_DUMP, 0x01020304, 0,
                new RtMsg(Rt.AF_INET, 0, 0, 0, 254, 0, 0, 0, 0), List.of());
        ByteBuffer b = buffer();
        m.encode(b);
        ByteBuffer r = ByteBuffer.wrap(b.array(), 0, b.position()).order(ByteOrder.nativeOrder());
        assertThat(r.getInt(0)).isEqualTo(28);
        assertThat(r.getShort(4)).isEqualTo((short) 26);
        assertThat(r.getShort(6)).isEqualTo((short) 0x301);
        assertThat(r.getInt(8)).isEqualTo(0x01020304);
        assertThat(b.array()[16]).isEqualTo((byte) 2);
        assertThat(b.array()[20] & 0xff).isEqualTo(254);
    }

    @Test
    void nestedAttributesAndPaddingRoundTrip() {
        Attr linkinfo = Attr.nested(Rt.IFLA_LINKINFO, List.of(Attr.string(Rt.IFLA_INFO_KIND, "veth"),
                Attr.nested(Rt.IFLA_INFO_DATA, List.of(new Attr(Rt.VETH_INFO_PEER, new byte[] {1, 2, 3})))));
        assertThat(linkinfo.asNested()).hasSize(2);
        assertThat(Attr.find(linkinfo.asNested(), Rt.IFLA_INFO_KIND).orElseThrow().asString()).isEqualTo("veth");
        Attr data = Attr.find(linkinfo.asNested(), Rt.IFLA_INFO_DATA).orElseThrow();
        assertThat(data.asNested()).containsExactly(new Attr(Rt.VETH_INFO_PEER, new byte[] {1, 2, 3}));
        // "veth\0" is 5 bytes: 9 with the header, padded to 12
        assertThat(Attr.string(Rt.IFLA_INFO_KIND, "veth").encodedSize()).isEqualTo(12);
        Attr flagged = new Attr(Rt.IFLA_LINKINFO | Rt.NLA_F_NESTED, linkinfo.value());
        assertThat(flagged.kind()).isEqualTo(Rt.IFLA_LINKINFO);
        assertThat(flagged.asNested()).isEqualTo(linkinfo.asNested());
    }

    @Test
    void scalarAttributesRoundTrip() throws Exception {
        assertThat(Attr.u8(1, 200).asU8()).isEqualTo(200);
        assertThat(Attr.u16(1, 65000).asU16()).isEqualTo(65000);
        assertThat(Attr.u32(1, -2).asU32()).isEqualTo(-2);
        assertThat(Attr.string(3, "eth0").asString()).isEqualTo("eth0");
        assertThat(Attr.address(1, InetAddress.getByName("fd00::9")).asAddress()).isEqualTo(InetAddress.getByName("fd00::9"));
        assertThat(new Attr(1, new byte[] {(byte) 0xee, 0, 1}).asHex()).isEqualTo("ee:00:01");
        assertThatThrownBy(() -> Attr.u8(1, 1).asU32()).isInstanceOf(WireException.class);
        assertThatThrownBy(() -> new Attr(1, new byte[3]).asAddress()).isInstanceOf(WireException.class);
    }

    @Test
    void multipathNextHopsRoundTrip() throws Exception {
        List<RtNextHop> hops = List.of(
                new RtNextHop(0, 0, 3, List.of(Attr.address(Rt.RTA_GATEWAY, InetAddress.getByName("10.0.0.1")))),
                new RtNextHop(Rt.RTNH_F_ONLINK, 4, 4, List.of(Attr.address(Rt.RTA_GATEWAY, InetAddress.getByName("10.0.1.1")))),
                new RtNextHop(0, 0, 5, List.of()));
        Attr mp = RtNextHop.multipath(hops);
        assertThat(mp.kind()).isEqualTo(Rt.RTA_MULTIPATH);
        assertThat(mp.length()).isEqualTo(16 + 16 + 8);
        assertThat(RtNextHop.decodeMultipath(mp)).isEqualTo(hops);
        RtMessage m = new RtMessage(Rt.RTM_NEWROUTE, Rt.NLM_F_REQUEST, 1, 0,
                new RtMsg(Rt.AF_INET, 24, 0, 0, 254, 3, 0, 1, 0),
                List.of(Attr.address(Rt.RTA_DST, InetAddress.getByName("10.9.0.0")), mp));
        assertThat(roundTrip(m)).isEqualTo(m);
    }

    @Test
    void ackAndErrorWithExtendedAckRoundTrip() {
        NlHeader request = new NlHeader(60, Rt.RTM_NEWROUTE, Rt.NLM_F_REQUEST | Rt.NLM_F_ACK, 77, 0);
        Ack ok = new Ack(77, Rt.NLM_F_CAPPED, 0, request, Optional.empty(), OptionalInt.empty());
        Ack err = new Ack(78, Rt.NLM_F_CAPPED | Rt.NLM_F_ACK_TLVS, 17, request,
                Optional.of("Nexthop has invalid gateway"), OptionalInt.of(36));
        ByteBuffer b = buffer();
        Frames.encodeAck(ok, 123, b);
        Frames.encodeAck(err, 123, b);
        Frames.encodeDone(new Done(79, Rt.NLM_F_MULTI, 0), 123, b);
        Frames.encodeDone(new Done(80, Rt.NLM_F_MULTI | Rt.NLM_F_DUMP_INTR, 5), 123, b);
        Frames.encodeDone(new Done(81, Rt.NLM_F_MULTI | Rt.NLM_F_ACK_TLVS, 22, Optional.of("Invalid values in header")), 123, b);
        b.flip();
        List<Frame> frames = Frames.decode(b);
        assertThat(frames).containsExactly(ok, err, new Done(79, Rt.NLM_F_MULTI, 0),
                new Done(80, Rt.NLM_F_MULTI | Rt.NLM_F_DUMP_INTR, 5),
                new Done(81, Rt.NLM_F_MULTI | Rt.NLM_F_ACK_TLVS, 22, Optional.of("Invalid values in header")));
        assertThat(((Done) frames.get(3)).interrupted()).isTrue();
        assertThat(ok.ok()).isTrue();
        assertThat(err.ok()).isFalse();
    }

    @Test
    void uncappedErrorEchoingTheRequestStillFindsTheTlvs() {
        // Without NETLINK_CAP_ACK the kernel copies the whole request after the errno.
        RtMessage req = new RtMessage(Rt.RTM_NEWLINK, Rt.NLM_F_REQUEST | Rt.NLM_F_ACK, 5, 0,
                new IfInfoMsg(0, 0, 0, 0, 0), List.of(Attr.string(Rt.IFLA_IFNAME, "x")));
        List<Attr> tlvs = List.of(Attr.string(Rt.NLMSGERR_ATTR_MSG, "bad"), Attr.u32(Rt.NLMSGERR_ATTR_OFFS, 32));
        ByteBuffer b = buffer();
        int len = NlHeader.SIZE + 4 + req.encodedSize() + Attr.sizeOf(tlvs);
        new NlHeader(len, Rt.NLMSG_ERROR, Rt.NLM_F_ACK_TLVS, 5, 1).encode(b);
        b.putInt(-22);
        req.encode(b);
        Attr.encodeAll(tlvs, b);
        b.flip();
        Ack a = (Ack) Frames.decode(b).get(0);
        assertThat(a.errno()).isEqualTo(22);
        assertThat(a.request().type()).isEqualTo(Rt.RTM_NEWLINK);
        assertThat(a.message()).hasValue("bad");
        assertThat(a.badAttrOffset()).hasValue(32);
    }

    @Test
    void unknownTypesAreKeptAsOther() {
        ByteBuffer b = buffer();
        new NlHeader(20, Rt.NLMSG_NOOP, 0, 3, 0).encode(b);
        b.putInt(0);
        b.flip();
        assertThat(Frames.decode(b)).containsExactly(new Other(new NlHeader(20, Rt.NLMSG_NOOP, 0, 3, 0)));
    }

    @Test
    void malformedInputRaisesWireExceptionOnly() {
        ByteBuffer b = buffer();
        new NlHeader(400, Rt.RTM_NEWLINK, 0, 1, 0).encode(b);
        b.flip();
        assertThatThrownBy(() -> Frames.decode(b)).isInstanceOf(WireException.class).hasMessageContaining("length 400");

        ByteBuffer shortBody = buffer();
        new NlHeader(20, Rt.RTM_NEWROUTE, 0, 1, 0).encode(shortBody);
        shortBody.putInt(0);
        shortBody.flip();
        assertThatThrownBy(() -> Frames.decode(shortBody)).isInstanceOf(WireException.class).hasMessageContaining("truncated");

        ByteBuffer badAttr = buffer();
        new NlHeader(16 + 16 + 4, Rt.RTM_NEWLINK, 0, 1, 0).encode(badAttr);
        new IfInfoMsg(0, 0, 1, 0, 0).encode(badAttr);
        badAttr.putShort((short) 40).putShort((short) 3);
        badAttr.flip();
        assertThatThrownBy(() -> Frames.decode(badAttr)).isInstanceOf(WireException.class).hasMessageContaining("bad length 40");

        assertThatThrownBy(() -> RtNextHop.decodeMultipath(new Attr(Rt.RTA_MULTIPATH, new byte[] {(byte) 200, 0, 0, 0, 0, 0, 0, 0})))
                .isInstanceOf(WireException.class);
    }

    @Test
    void randomBytesNeverThrowAnythingButWireException() {
        java.util.Random rnd = new java.util.Random(3549);
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[rnd.nextInt(96)];
            rnd.nextBytes(junk);
            ByteBuffer b = ByteBuffer.wrap(junk).order(ByteOrder.nativeOrder());
            if (junk.length >= 4) {
                // a plausible length makes the decoder go further than the header
                b.putInt(0, junk.length);
                if (junk.length >= 6) {
                    b.putShort(4, (short) (16 + rnd.nextInt(16)));
                }
            }
            try {
                Frames.decode(b);
                decoded++;
            } catch (WireException expected) {
                rejected++;
            }
        }
        assertThat(decoded).as("some junk parses").isPositive();
        assertThat(rejected).as("some junk is rejected").isPositive();
    }
}
