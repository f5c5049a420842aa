package io.tabby.bgp.wire;

import io.netty.buffer.ByteBuf;
import io.tabby.bgp.wire.Capability.AddPath;
import io.tabby.bgp.wire.Capability.ExtendedNextHop;
import io.tabby.bgp.wire.Capability.GracefulRestart;
import java.util.ArrayList;
import java.util.List;

/**
 * Capability TLVs (RFC 5492 section 4: code, length, value). A known capability with a value of
 * the wrong shape is an OPEN error; an unknown code is kept verbatim.
 */
final class CapabilityCodec {
    private CapabilityCodec() {}

    /** Reads capability TLVs until {@code end}. */
    static void decode(ByteBuf b, int end, List<Capability> out) throws Malformed {
        while (b.readerIndex() < end) {
            if (end - b.readerIndex() < 2) {
                throw openError("truncated capability header");
            }
            int code = b.readUnsignedByte();
            int len = b.readUnsignedByte();
            if (end - b.readerIndex() < len) {
                throw openError("capability " + code + " of " + len + " octets overruns its parameter");
            }
            int valueEnd = b.readerIndex() + len;
            out.add(decodeOne(code, len, b));
            if (b.readerIndex() != valueEnd) {
                throw openError("capability " + code + ": length " + len + " does not match its content");
            }
        }
    }

    private static Capability decodeOne(int code, int len, ByteBuf b) throws Malformed {
        switch (code) {
            case 1 -> {
                need(code, len, len == 4);
                int afi = b.readUnsignedShort();
                b.skipBytes(1);
                return new Capability.Multiprotocol(new Family(afi, b.readUnsignedByte()));
            }
            case 2 -> {
                need(code, len, len == 0);
                return new Capability.RouteRefresh();
            }
            case 5 -> {
                need(code, len, len % 6 == 0);
                List<ExtendedNextHop.Tuple> t = new ArrayList<>();
                for (int i = 0; i < len; i += 6) {
                    int afi = b.readUnsignedShort();
                    int safi = b.readUnsignedShort();
                    t.add(new ExtendedNextHop.Tuple(new Family(afi, safi), b.readUnsignedShort()));
                }
                return new ExtendedNextHop(t);
            }
            case 6 -> {
                need(code, len, len == 0);
                return new Capability.ExtendedMessage();
            }
            case 64 -> {
                need(code, len, len >= 2 && (len - 2) % 4 == 0);
                int head = b.readUnsignedShort();
                List<GracefulRestart.GrFamily> fs = new ArrayList<>();
                for (int i = 2; i < len; i += 4) {
                    int afi = b.readUnsignedShort();
                    int safi = b.readUnsignedByte();
                    fs.add(new GracefulRestart.GrFamily(new Family(afi, safi), (b.readUnsignedByte() & 0x80) != 0));
                }
                return new GracefulRestart((head & 0x8000) != 0, (head & 0x4000) != 0, head & 0xfff, fs);
            }
            case 65 -> {
                need(code, len, len == 4);
                return new Capability.FourOctetAs(b.readUnsignedInt());
            }
            case 69 -> {
                need(code, len, len % 4 == 0);
                List<AddPath.Entry> es = new ArrayList<>();
                for (int i = 0; i < len; i += 4) {
                    int afi = b.readUnsignedShort();
                    int safi = b.readUnsignedByte();
                    es.add(new AddPath.Entry(new Family(afi, safi), b.readUnsignedByte()));
                }
                return new AddPath(es);
            }
            case 70 -> {
                need(code, len, len == 0);
                return new Capability.EnhancedRouteRefresh();
            }
            default -> {
                return new Capability.Unknown(code, Bytes.read(b, len));
            }
        }
    }

    static void encode(Capability c, ByteBuf out) {
        out.writeByte(c.code());
        int lenAt = out.writerIndex();
        out.writeByte(0);
        switch (c) {
            case Capability.Multiprotocol m -> out.writeShort(m.family().afi()).writeByte(0).writeByte(m.family().safi());
            case Capability.RouteRefresh r -> { }
            case ExtendedNextHop e -> e.tuples().forEach(t ->
                    out.writeShort(t.nlri().afi()).writeShort(t.nlri().safi()).writeShort(t.nextHopAfi()));
            case Capability.ExtendedMessage e -> { }
            case GracefulRestart g -> {
                out.writeShort((g.restarted() ? 0x8000 : 0) | (g.notification() ? 0x4000 : 0) | g.restartTime());
                g.families().forEach(f -> out.writeShort(f.family().afi()).writeByte(f.family().safi())
                        .writeByte(f.forwardingPreserved() ? 0x80 : 0));
            }
            case Capability.FourOctetAs f -> out.writeInt((int) f.as());
            case AddPath a -> a.entries().forEach(e ->
                    out.writeShort(e.family().afi()).writeByte(e.family().safi()).writeByte(e.sendReceive()));
            case Capability.EnhancedRouteRefresh e -> { }
            case Capability.Unknown u -> u.value().writeTo(out);
        }
        int len = out.writerIndex() - lenAt - 1;
        if (len > 255) {
            throw new IllegalArgumentException("capability " + c.code() + " value of " + len + " octets");
        }
        out.setByte(lenAt, len);
    }

    private static void need(int code, int len, boolean ok) throws Malformed {
        if (!ok) {
            throw openError("capability " + code + " has a malformed value of " + len + " octets");
        }
    }

    private static Malformed openError(String reason) {
        return Malformed.reset(NotificationCode.OPEN_MESSAGE_ERROR, Bytes.EMPTY, reason);
    }
}
