package io.tabby.bgp.wire;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Prefix lists as they appear in the UPDATE's withdrawn and NLRI fields and inside
 * MP_(UN)REACH_NLRI: {@code [path id (4, ADD-PATH only)] length (1) prefix (ceil(length/8))}
 * (RFC 4271 4.3, RFC 4760 5, RFC 7911 3).
 */
final class NlriCodec {
    private NlriCodec() {}

    /** Reads prefixes until {@code end} (an absolute reader index); any overrun is {@code onError}. */
    static List<Prefix> decode(ByteBuf buf, int end, Family family, boolean addPath, NotificationCode onError)
            throws Malformed {
        int addrLen = family.addressLength();
        int maxBits = addrLen * 8;
        List<Prefix> out = new ArrayList<>();
        while (buf.readerIndex() < end) {
            int pathId = 0;
            if (addPath) {
                if (end - buf.readerIndex() < 5) {
                    throw Malformed.reset(onError, Bytes.EMPTY, family + " NLRI: truncated ADD-PATH entry");
                }
                pathId = buf.readInt();
            }
            int bits = buf.readUnsignedByte();
            if (bits > maxBits) {
                throw Malformed.reset(onError, Bytes.EMPTY, family + " NLRI: prefix length " + bits + " > " + maxBits);
            }
            int octets = (bits + 7) / 8;
            if (end - buf.readerIndex() < octets) {
                throw Malformed.reset(onError, Bytes.EMPTY, family + " NLRI: /" + bits + " needs " + octets
                        + " octets, " + (end - buf.readerIndex()) + " left");
            }
            if (addrLen == 4) {
                // Straight into an int, in one read: no octet array and no InetAddress per prefix.
                int v = switch (octets) {
                    case 0 -> 0;
                    case 1 -> buf.readUnsignedByte() << 24;
                    case 2 -> buf.readUnsignedShort() << 16;
                    case 3 -> buf.readUnsignedMedium() << 8;
                    default -> buf.readInt();
                };
                out.add(Prefix.v4(v, bits, pathId));
            } else {
                byte[] addr = new byte[addrLen];
                buf.readBytes(addr, 0, octets);
                out.add(Prefix.of(addr, bits, pathId));
            }
        }
        return out;
    }

    static void encode(List<Prefix> prefixes, ByteBuf out, boolean addPath) {
        for (Prefix p : prefixes) {
            encode(p, out, addPath);
        }
    }

    static void encode(Prefix p, ByteBuf out, boolean addPath) {
        if (addPath) {
            out.writeInt(p.pathId());
        }
        out.writeByte(p.length());
        p.writeOctets(out, (p.length() + 7) / 8);
    }

    /** Octets {@code p} takes on the wire. */
    static int size(Prefix p, boolean addPath) {
        return (addPath ? 4 : 0) + 1 + (p.length() + 7) / 8;
    }
}
