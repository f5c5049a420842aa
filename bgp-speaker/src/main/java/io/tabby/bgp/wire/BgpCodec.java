package io.tabby.bgp.wire;

import io.netty.buffer.ByteBuf;
import io.tabby.bgp.wire.BgpMessage.Keepalive;
import io.tabby.bgp.wire.BgpMessage.Notification;
import io.tabby.bgp.wire.BgpMessage.Open;
import io.tabby.bgp.wire.BgpMessage.RouteRefresh;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.DecodeResult.Failure;
import io.tabby.bgp.wire.DecodeResult.Success;
import java.util.ArrayList;
import java.util.List;

/**
 * Transport-free BGP-4 message codec: static functions between one framed message in a
 * {@link ByteBuf} and a {@link BgpMessage} value. Decoding never throws on bad input; it returns
 * a {@link DecodeResult} carrying the RFC 4271 section 6 NOTIFICATION or the RFC 7606 outcome.
 * The buffer is only read (never retained or released): the caller owns it.
 */
public final class BgpCodec {
    public static final int HEADER_LENGTH = 19;
    public static final int MARKER_LENGTH = 16;

    private BgpCodec() {}

    // ---- header -------------------------------------------------------------------------------

    /**
     * Checks the header at {@code buf}'s reader index (at least 19 readable octets) against RFC
     * 4271 section 6.1: marker all ones (1/1), length within 19..max and right for the type
     * (1/2, data = the length), known type (1/3, data = the type). Returns null when it is fine.
     */
    public static Failure checkHeader(ByteBuf buf, int maxLength) {
        int at = buf.readerIndex();
        for (int i = 0; i < MARKER_LENGTH; i++) {
            if (buf.getByte(at + i) != (byte) 0xff) {
                return new Failure(NotificationCode.CONNECTION_NOT_SYNCHRONIZED, Bytes.EMPTY, "marker is not all ones");
            }
        }
        int length = buf.getUnsignedShort(at + MARKER_LENGTH);
        int type = buf.getUnsignedByte(at + MARKER_LENGTH + 2);
        Bytes lengthData = Bytes.of((byte) (length >> 8), (byte) length);
        if (length < HEADER_LENGTH || length > maxLength) {
            return new Failure(NotificationCode.BAD_MESSAGE_LENGTH, lengthData,
                    "message length " + length + " outside 19.." + maxLength);
        }
        boolean lengthOk = switch (type) {
            case BgpMessage.TYPE_OPEN -> length >= 29;
            case BgpMessage.TYPE_UPDATE -> length >= 23;
            case BgpMessage.TYPE_NOTIFICATION -> length >= 21;
            case BgpMessage.TYPE_KEEPALIVE -> length == HEADER_LENGTH;
            case BgpMessage.TYPE_ROUTE_REFRESH -> length >= 23;
            default -> {
                yield true;
            }
        };
        if (type < BgpMessage.TYPE_OPEN || type > BgpMessage.TYPE_ROUTE_REFRESH) {
            return new Failure(NotificationCode.BAD_MESSAGE_TYPE, Bytes.of((byte) type), "unknown message type " + type);
        }
        if (!lengthOk) {
            return new Failure(NotificationCode.BAD_MESSAGE_LENGTH, lengthData,
                    "length " + length + " is wrong for message type " + type);
        }
        return null;
    }

    // ---- decode -------------------------------------------------------------------------------

    /** Decodes the one whole message (header included) readable in {@code msg}; reads it all. */
    public static DecodeResult decode(ByteBuf msg, WireContext ctx) {
        int readable = msg.readableBytes();
        if (readable < HEADER_LENGTH) {
            msg.skipBytes(readable);
            return new Failure(NotificationCode.BAD_MESSAGE_LENGTH, Bytes.of((byte) 0, (byte) readable),
                    "message of " + readable + " octets is shorter than a header");
        }
        Failure bad = checkHeader(msg, ctx.maxLength());
        if (bad != null) {
            msg.skipBytes(readable);
            return bad;
        }
        int length = msg.getUnsignedShort(msg.readerIndex() + MARKER_LENGTH);
        if (length != readable) {
            msg.skipBytes(readable);
            return new Failure(NotificationCode.BAD_MESSAGE_LENGTH, Bytes.of((byte) (length >> 8), (byte) length),
                    "length field " + length + " but " + readable + " octets framed");
        }
        int type = msg.getUnsignedByte(msg.readerIndex() + MARKER_LENGTH + 2);
        msg.skipBytes(HEADER_LENGTH);
        int end = msg.readerIndex() + length - HEADER_LENGTH;
        try {
            return switch (type) {
                case BgpMessage.TYPE_OPEN -> Success.clean(decodeOpen(msg, end));
                case BgpMessage.TYPE_UPDATE -> decodeUpdate(msg, end, ctx);
                case BgpMessage.TYPE_NOTIFICATION -> Success.clean(new Notification(msg.readUnsignedByte(),
                        msg.readUnsignedByte(), Bytes.read(msg, end - msg.readerIndex())));
                case BgpMessage.TYPE_KEEPALIVE -> Success.clean(Keepalive.INSTANCE);
                case BgpMessage.TYPE_ROUTE_REFRESH -> decodeRouteRefresh(msg, end, length);
                default -> throw new AssertionError("type checked by checkHeader: " + type);
            };
        } catch (Malformed m) {
            return new Failure(m.code, m.data, m.getMessage());
        } finally {
            msg.readerIndex(end);
        }
    }

    private static DecodeResult decodeRouteRefresh(ByteBuf b, int end, int length) {
        if (length != 23) {
            // RFC 7313 section 5: the whole message goes back as the data.
            b.readerIndex(end - length);
            return new Failure(NotificationCode.INVALID_MESSAGE_LENGTH, Bytes.read(b, length),
                    "ROUTE-REFRESH of " + length + " octets");
        }
        int afi = b.readUnsignedShort();
        int subtype = b.readUnsignedByte();
        return Success.clean(new RouteRefresh(new Family(afi, b.readUnsignedByte()), subtype));
    }

    /** RFC 4271 4.2 and 6.2; RFC 9072 extended optional parameters length. */
    static Open decodeOpen(ByteBuf b, int end) throws Malformed {
        int version = b.readUnsignedByte();
        if (version != 4) {
            throw Malformed.reset(NotificationCode.UNSUPPORTED_VERSION_NUMBER, Bytes.of((byte) 0, (byte) 4),
                    "BGP version " + version);
        }
        int myAs = b.readUnsignedShort();
        int hold = b.readUnsignedShort();
        if (hold == 1 || hold == 2) {
            throw Malformed.reset(NotificationCode.UNACCEPTABLE_HOLD_TIME, Bytes.EMPTY, "hold time " + hold);
        }
        var bgpId = Addresses.ipv4(b.readInt());
        if (Addresses.toLong(bgpId) == 0 || bgpId.isMulticastAddress()) {
            throw Malformed.reset(NotificationCode.BAD_BGP_IDENTIFIER, Bytes.EMPTY,
                    "BGP identifier " + bgpId.getHostAddress());
        }
        int optLen = b.readUnsignedByte();
        boolean extended = false;
        if (optLen == 255 && end - b.readerIndex() >= 3 && b.getUnsignedByte(b.readerIndex()) == 255) {
            b.skipBytes(1); // RFC 9072: non-extended type 255 announces a two-octet length
            optLen = b.readUnsignedShort();
            extended = true;
        }
        if (optLen != end - b.readerIndex()) {
            throw Malformed.reset(NotificationCode.OPEN_MESSAGE_ERROR, Bytes.EMPTY,
                    "optional parameters length " + optLen + " but " + (end - b.readerIndex()) + " octets follow");
        }
        List<Capability> caps = new ArrayList<>();
        while (b.readerIndex() < end) {
            int hdr = extended ? 3 : 2;
            if (end - b.readerIndex() < hdr) {
                throw Malformed.reset(NotificationCode.OPEN_MESSAGE_ERROR, Bytes.EMPTY, "truncated optional parameter");
            }
            int type = b.readUnsignedByte();
            int len = extended ? b.readUnsignedShort() : b.readUnsignedByte();
            if (end - b.readerIndex() < len) {
                throw Malformed.reset(NotificationCode.OPEN_MESSAGE_ERROR, Bytes.EMPTY,
                        "optional parameter " + type + " of " + len + " octets overruns the OPEN");
            }
            if (type != 2) {
                // RFC 4271 6.2 (type 1, authentication, is deprecated by RFC 5492 too).
                throw Malformed.reset(NotificationCode.UNSUPPORTED_OPTIONAL_PARAMETER, Bytes.EMPTY,
                        "optional parameter type " + type);
            }
            CapabilityCodec.decode(b, b.readerIndex() + len, caps);
        }
        return new Open(version, myAs, hold, bgpId, caps);
    }

    /** RFC 4271 4.3 and 6.3 with the RFC 7606 revisions. */
    static DecodeResult decodeUpdate(ByteBuf b, int end, WireContext ctx) throws Malformed {
        int withdrawnLen = b.readUnsignedShort();
        if (withdrawnLen + 2 > end - b.readerIndex()) {
            throw Malformed.reset(NotificationCode.MALFORMED_ATTRIBUTE_LIST, Bytes.EMPTY,
                    "withdrawn routes length " + withdrawnLen + " overruns the UPDATE");
        }
        List<Prefix> withdrawn = NlriCodec.decode(b, b.readerIndex() + withdrawnLen, Family.IPV4_UNICAST,
                ctx.addPath(Family.IPV4_UNICAST), NotificationCode.INVALID_NETWORK_FIELD);
        int attrLen = b.readUnsignedShort();
        if (attrLen > end - b.readerIndex()) {
            throw Malformed.reset(NotificationCode.MALFORMED_ATTRIBUTE_LIST, Bytes.EMPTY,
                    "total path attribute length " + attrLen + " overruns the UPDATE");
        }
        int attrEnd = b.readerIndex() + attrLen;
        List<PathAttribute> attrs = new ArrayList<>();
        List<String> notes = new ArrayList<>(0);
        boolean withdraw = false;
        long seen0 = 0;
        long seen1 = 0;
        long seen2 = 0;
        long seen3 = 0;
        while (b.readerIndex() < attrEnd) {
            int start = b.readerIndex();
            int left = attrEnd - start;
            int flags = left >= 1 ? b.readUnsignedByte() : 0;
            boolean ext = (flags & PathAttribute.EXTENDED_LENGTH) != 0;
            if (left < (ext ? 4 : 3)) {
                // RFC 7606 section 4: the attribute header does not fit: treat-as-withdraw.
                notes.add("attribute header truncated at offset " + (start - attrEnd + attrLen));
                withdraw = true;
                b.readerIndex(attrEnd);
                break;
            }
            int code = b.readUnsignedByte();
            int len = ext ? b.readUnsignedShort() : b.readUnsignedByte();
            if (len > attrEnd - b.readerIndex()) {
                notes.add("attribute " + code + " length " + len + " overruns the attribute field");
                withdraw = true;
                b.readerIndex(attrEnd);
                break;
            }
            int valueEnd = b.readerIndex() + len;
            AttributeCodec row = AttributeCodec.of(code);
            if (row == null) {
                if ((flags & PathAttribute.OPTIONAL) == 0) {
                    b.readerIndex(start);
                    throw Malformed.reset(NotificationCode.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE,
                            Bytes.read(b, valueEnd - start), "unrecognized well-known attribute " + code);
                }
                if ((flags & PathAttribute.TRANSITIVE) != 0) {
                    attrs.add(new PathAttribute.Unknown(flags & ~PathAttribute.EXTENDED_LENGTH, code, Bytes.read(b, len)));
                } else {
                    notes.add("unknown optional non-transitive attribute " + code + " dropped");
                    b.readerIndex(valueEnd);
                }
                continue;
            }
            // Duplicate detection over 256 codes in four longs (RFC 7606 3.g).
            long bit = 1L << (code & 63);
            long seen = switch (code >> 6) {
                case 0 -> seen0;
                case 1 -> seen1;
                case 2 -> seen2;
                default -> seen3;
            };
            if ((seen & bit) != 0) {
                if (row.duplicateResets()) {
                    throw Malformed.reset(NotificationCode.MALFORMED_ATTRIBUTE_LIST, Bytes.EMPTY, "duplicate " + row);
                }
                notes.add("duplicate " + row + " discarded");
                b.readerIndex(valueEnd);
                continue;
            }
            switch (code >> 6) {
                case 0 -> seen0 |= bit;
                case 1 -> seen1 |= bit;
                case 2 -> seen2 |= bit;
                default -> seen3 |= bit;
            }
            ErrorHandling verdict;
            String reason;
            NotificationCode error = row.error;
            if ((flags & (PathAttribute.OPTIONAL | PathAttribute.TRANSITIVE)) != row.flags) {
                verdict = row.handling; // RFC 7606 3.c: wrong flags = malformed
                reason = row + " flags 0x" + Integer.toHexString(flags);
                error = NotificationCode.ATTRIBUTE_FLAGS_ERROR;
            } else {
                try {
                    PathAttribute a = row.decode(b, len, ctx);
                    if (b.readerIndex() != valueEnd) {
                        throw row.malformed(row + ": value length " + len + " does not match its content");
                    }
                    attrs.add(a);
                    continue;
                } catch (Malformed m) {
                    verdict = m.handling == null ? row.handling : m.handling;
                    reason = m.getMessage();
                    error = m.code;
                }
            }
            b.readerIndex(valueEnd);
            switch (verdict) {
                case ATTRIBUTE_DISCARD -> notes.add(reason + ": attribute discarded");
                case TREAT_AS_WITHDRAW -> {
                    notes.add(reason + ": treat-as-withdraw");
                    withdraw = true;
                }
                case SESSION_RESET -> {
                    b.readerIndex(start);
                    throw Malformed.reset(error, Bytes.read(b, valueEnd - start), reason);
                }
            }
        }
        List<Prefix> nlri = NlriCodec.decode(b, end, Family.IPV4_UNICAST, ctx.addPath(Family.IPV4_UNICAST),
                NotificationCode.INVALID_NETWORK_FIELD);
        Update u = new Update(withdrawn, attrs, nlri);
        boolean announces = !nlri.isEmpty() || u.attribute(PathAttribute.MpReach.class).isPresent();
        if (announces) {
            // RFC 7606 3.d: a missing well-known mandatory attribute is treat-as-withdraw.
            String missing = missingMandatory(u);
            if (missing != null) {
                notes.add("missing well-known attribute " + missing + ": treat-as-withdraw");
                withdraw = true;
            }
        }
        return new Success(u, notes, withdraw);
    }

    private static String missingMandatory(Update u) {
        if (u.attribute(PathAttribute.Origin.class).isEmpty()) {
            return "ORIGIN";
        }
        if (u.attribute(PathAttribute.AsPath.class).isEmpty()) {
            return "AS_PATH";
        }
        if (!u.nlri().isEmpty() && u.attribute(PathAttribute.NextHop.class).isEmpty()) {
            return "NEXT_HOP";
        }
        return null;
    }

    // ---- encode -------------------------------------------------------------------------------

    /**
     * Appends {@code m} (header included) to {@code out}. Building UPDATEs that fit is the
     * caller's job; one that does not fit {@code ctx.maxLength()} is a programming error.
     */
    public static void encode(BgpMessage m, ByteBuf out, WireContext ctx) {
        int start = out.writerIndex();
        out.writeLong(-1L).writeLong(-1L).writeShort(0).writeByte(m.type());
        switch (m) {
            case Open o -> encodeOpen(o, out);
            case Update u -> encodeUpdate(u, out, ctx);
            case Notification n -> {
                out.writeByte(n.code()).writeByte(n.subcode());
                n.data().writeTo(out);
            }
            case Keepalive k -> { }
            case RouteRefresh r -> out.writeShort(r.family().afi()).writeByte(r.subtype()).writeByte(r.family().safi());
        }
        int length = out.writerIndex() - start;
        if (length > ctx.maxLength()) {
            out.writerIndex(start);
            throw new IllegalArgumentException(m.getClass().getSimpleName() + " of " + length
                    + " octets exceeds the " + ctx.maxLength() + "-octet limit");
        }
        out.setShort(start + MARKER_LENGTH, length);
    }

    private static void encodeOpen(Open o, ByteBuf out) {
        out.writeByte(o.version()).writeShort(o.myAs()).writeShort(o.holdTime()).writeBytes(o.bgpId().getAddress());
        int lenAt = out.writerIndex();
        out.writeByte(0).writeByte(2).writeByte(0); // opt len, param type 2 (capabilities), param len
        for (Capability c : o.capabilities()) {
            CapabilityCodec.encode(c, out);
        }
        int capLen = out.writerIndex() - lenAt - 3;
        if (o.capabilities().isEmpty()) {
            out.writerIndex(lenAt + 1); // no parameters at all
        } else if (capLen <= 253) {
            out.setByte(lenAt, capLen + 2).setByte(lenAt + 2, capLen);
        } else {
            // RFC 9072: opt len 255, type 255, two-octet length; parameters with two-octet lengths.
            byte[] caps = new byte[capLen];
            out.getBytes(lenAt + 3, caps);
            out.writerIndex(lenAt);
            out.writeByte(255).writeByte(255).writeShort(capLen + 3).writeByte(2).writeShort(capLen).writeBytes(caps);
        }
    }

    private static void encodeUpdate(Update u, ByteBuf out, WireContext ctx) {
        boolean addPath4 = ctx.addPath(Family.IPV4_UNICAST);
        int at = out.writerIndex();
        out.writeShort(0);
        NlriCodec.encode(u.withdrawn(), out, addPath4);
        out.setShort(at, out.writerIndex() - at - 2);
        at = out.writerIndex();
        out.writeShort(0);
        for (PathAttribute a : u.attributes()) {
            AttributeCodec.write(a, out, ctx);
        }
        out.setShort(at, out.writerIndex() - at - 2);
        NlriCodec.encode(u.nlri(), out, addPath4);
    }

    /** Octets a prefix takes in an UPDATE under {@code ctx}; for packing UPDATEs under the limit. */
    public static int prefixSize(Prefix p, WireContext ctx) {
        return NlriCodec.size(p, ctx.addPath(p.family()));
    }

    /** Octets the attributes take (without NLRI), for packing UPDATEs under the limit. */
    public static int attributesSize(List<PathAttribute> attrs, WireContext ctx) {
        var buf = io.netty.buffer.Unpooled.buffer();
        try {
            for (PathAttribute a : attrs) {
                AttributeCodec.write(a, buf, ctx);
            }
            return buf.readableBytes();
        } finally {
            buf.release();
        }
    }
}
