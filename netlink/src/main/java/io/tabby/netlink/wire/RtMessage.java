package io.tabby.netlink.wire;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * An rtnetlink message: header fields, the family's fixed body and the attributes. The length
 * field of {@code nlmsghdr} is computed on encode, so it is not a component.
 */
public record RtMessage(int type, int flags, int seq, int pid, RtBody body, List<Attr> attrs) implements Frame {
    public RtMessage {
        attrs = List.copyOf(attrs);
    }

    /** A request from us (pid 0 lets the kernel fill in our port). */
    public static RtMessage request(int type, int flags, RtBody body, List<Attr> attrs) {
        return new RtMessage(type, flags | Rt.NLM_F_REQUEST, 0, 0, body, attrs);
    }

    public RtMessage withSeq(int newSeq) {
        return new RtMessage(type, flags, newSeq, pid, body, attrs);
    }

    /** Bytes on the wire, padding included. */
    public int encodedSize() {
        return NlHeader.SIZE + body.size() + Attr.sizeOf(attrs);
    }

    public void encode(ByteBuffer b) {
        new NlHeader(encodedSize(), type, flags, seq, pid).encode(b);
        body.encode(b);
        Attr.encodeAll(attrs, b);
    }
}
