package io.tabby.netlink.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Splits a datagram from a netlink socket into frames, and writes requests into a send buffer.
 * Pure functions over {@link ByteBuffer}s in host byte order: the socket code only moves bytes.
 *
 * <p>Several messages may share one datagram, each starting at a 4-byte boundary
 * (NLMSG_ALIGN). An NLMSG_ERROR body is {@code struct nlmsgerr}: a negative errno, then the header
 * of the request it answers (its payload too unless NETLINK_CAP_ACK trimmed it, which the kernel
 * signals with NLM_F_CAPPED), then extended-ACK TLVs when NLM_F_ACK_TLVS is set.
 */
public final class Frames {
    private Frames() {}

    /** Decodes every message from the buffer's position to its limit. */
    public static List<Frame> decode(ByteBuffer datagram) {
        ByteBuffer b = datagram.slice().order(datagram.order());
        List<Frame> out = new ArrayList<>();
        while (b.remaining() >= NlHeader.SIZE) {
            int start = b.position();
            NlHeader h = NlHeader.decode(b);
            if (h.length() < NlHeader.SIZE || h.length() > b.limit() - start) {
                throw new WireException("nlmsghdr length " + h.length() + " with " + (b.limit() - start) + " bytes left");
            }
            ByteBuffer body = b.slice(start + NlHeader.SIZE, h.length() - NlHeader.SIZE).order(b.order());
            out.add(decodeOne(h, body));
            b.position(Math.min(b.limit(), start + Attr.align(h.length())));
        }
        return out;
    }

    private static Frame decodeOne(NlHeader h, ByteBuffer body) {
        return switch (h.type()) {
            case Rt.NLMSG_ERROR -> decodeAck(h, body);
            case Rt.NLMSG_DONE -> decodeDone(h, body);
            default -> {
                if (!RtBody.known(h.type())) {
                    yield new Other(h);
                }
                RtBody rb = RtBody.decode(h.type(), body);
                yield new RtMessage(h.type(), h.flags(), h.seq(), h.pid(), rb, Attr.decodeAll(body));
            }
        };
    }

    private static Done decodeDone(NlHeader h, ByteBuffer body) {
        int errno = body.remaining() >= 4 ? -body.getInt() : 0;
        return new Done(h.seq(), h.flags(), errno, tlvs(h, body).message);
    }

    /** The extended-ACK TLVs that may follow an error (NLM_F_ACK_TLVS). */
    private record Tlvs(Optional<String> message, OptionalInt offset) {}

    private static Tlvs tlvs(NlHeader h, ByteBuffer body) {
        Optional<String> message = Optional.empty();
        OptionalInt offset = OptionalInt.empty();
        if ((h.flags() & Rt.NLM_F_ACK_TLVS) != 0 && body.hasRemaining()) {
            for (Attr a : Attr.decodeAll(body)) {
                if (a.kind() == Rt.NLMSGERR_ATTR_MSG) {
                    message = Optional.of(a.asString());
                } else if (a.kind() == Rt.NLMSGERR_ATTR_OFFS) {
                    offset = OptionalInt.of(a.asU32());
                }
            }
        }
        return new Tlvs(message, offset);
    }

    private static Ack decodeAck(NlHeader h, ByteBuffer body) {
        if (body.remaining() < 4 + NlHeader.SIZE) {
            throw new WireException("truncated nlmsgerr: " + body.remaining() + " bytes");
        }
        int errno = -body.getInt();
        int reqStart = body.position();
        NlHeader request = NlHeader.decode(body);
        // Without NLM_F_CAPPED the whole request is echoed back; skip it to reach the TLVs.
        if ((h.flags() & Rt.NLM_F_CAPPED) == 0) {
            int echoed = Attr.align(request.length());
            if (echoed < NlHeader.SIZE || reqStart + echoed > body.limit()) {
                echoed = NlHeader.SIZE;
            }
            body.position(reqStart + echoed);
        }
        Tlvs t = tlvs(h, body);
        return new Ack(h.seq(), h.flags(), errno, request, t.message, t.offset);
    }

    /** Encodes an ACK the way the kernel does with NETLINK_CAP_ACK; for tests and fakes. */
    public static void encodeAck(Ack ack, int pid, ByteBuffer b) {
        List<Attr> tlvs = new ArrayList<>();
        ack.message().ifPresent(m -> tlvs.add(Attr.string(Rt.NLMSGERR_ATTR_MSG, m)));
        ack.badAttrOffset().ifPresent(o -> tlvs.add(Attr.u32(Rt.NLMSGERR_ATTR_OFFS, o)));
        int flags = ack.flags() | Rt.NLM_F_CAPPED | (tlvs.isEmpty() ? 0 : Rt.NLM_F_ACK_TLVS);
        int len = NlHeader.SIZE + 4 + NlHeader.SIZE + Attr.sizeOf(tlvs);
        new NlHeader(len, Rt.NLMSG_ERROR, flags, ack.seq(), pid).encode(b);
        b.putInt(-ack.errno());
        ack.request().encode(b);
        Attr.encodeAll(tlvs, b);
    }

    /** Encodes NLMSG_DONE with its errno; for tests and fakes. */
    public static void encodeDone(Done done, int pid, ByteBuffer b) {
        List<Attr> tlvs = done.message().map(m -> List.of(Attr.string(Rt.NLMSGERR_ATTR_MSG, m))).orElse(List.of());
        int flags = done.flags() | (tlvs.isEmpty() ? 0 : Rt.NLM_F_ACK_TLVS);
        new NlHeader(NlHeader.SIZE + 4 + Attr.sizeOf(tlvs), Rt.NLMSG_DONE, flags, done.seq(), pid).encode(b);
        b.putInt(-done.errno());
        Attr.encodeAll(tlvs, b);
    }
}
