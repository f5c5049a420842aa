package io.tabby.netlink.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code struct rtnexthop} inside RTA_MULTIPATH, with its own attributes (RTA_GATEWAY).
 * {@code hops} is the weight minus one, as the kernel stores it.
 *
 * <pre>
 * +---------------+-----------+----------+-------------------+------------------+
 * | rtnh_len (u16)| flags (u8)| hops (u8)| ifindex (i32)     | attrs ...        |
 * +---------------+-----------+----------+-------------------+------------------+
 * </pre>
 * {@code rtnh_len} covers the 8-byte header and the attributes.
 */
public record RtNextHop(int flags, int hops, int index, List<Attr> attrs) {
    public static final int HEADER = 8;

    public RtNextHop {
        attrs = List.copyOf(attrs);
    }

    /** The payload of an RTA_MULTIPATH attribute holding these next hops. */
    public static Attr multipath(List<RtNextHop> hops) {
        int size = 0;
        for (RtNextHop h : hops) {
            size += HEADER + Attr.sizeOf(h.attrs);
        }
        ByteBuffer b = Attr.order(ByteBuffer.allocate(size));
        for (RtNextHop h : hops) {
            b.putShort((short) (HEADER + Attr.sizeOf(h.attrs)));
            b.put((byte) h.flags);
            b.put((byte) h.hops);
            b.putInt(h.index);
            Attr.encodeAll(h.attrs, b);
        }
        return new Attr(Rt.RTA_MULTIPATH, b.array());
    }

    /** Decodes the next hops of an RTA_MULTIPATH attribute. */
    public static List<RtNextHop> decodeMultipath(Attr a) {
        ByteBuffer b = Attr.order(ByteBuffer.wrap(a.value()));
        List<RtNextHop> out = new ArrayList<>();
        while (b.remaining() >= HEADER) {
            int start = b.position();
            int len = b.getShort() & 0xffff;
            if (len < HEADER || start + len > b.limit()) {
                throw new WireException("rtnexthop has bad length " + len + " with " + (b.limit() - start) + " bytes left");
            }
            int flags = b.get() & 0xff;
            int hops = b.get() & 0xff;
            int index = b.getInt();
            ByteBuffer attrs = b.slice(b.position(), len - HEADER).order(b.order());
            out.add(new RtNextHop(flags, hops, index, Attr.decodeAll(attrs)));
            b.position(Math.min(b.limit(), start + Attr.align(len)));
        }
        if (b.hasRemaining()) {
            throw new WireException(b.remaining() + " trailing bytes in RTA_MULTIPATH");
        }
        return out;
    }
}
