package io.tabby.bgp.wire;

import static io.tabby.bgp.wire.ErrorHandling.ATTRIBUTE_DISCARD;
import static io.tabby.bgp.wire.ErrorHandling.SESSION_RESET;
import static io.tabby.bgp.wire.ErrorHandling.TREAT_AS_WITHDRAW;
import static io.tabby.bgp.wire.PathAttribute.OPTIONAL;
import static io.tabby.bgp.wire.PathAttribute.TRANSITIVE;

import io.netty.buffer.ByteBuf;
import io.tabby.bgp.wire.PathAttribute.Segment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The path attribute table, after BIRD's {@code bgp_attr_table}: one row per attribute type with
 * its code, the Optional/Transitive flags it must carry, its RFC 7606 error handling, and its
 * value decoder and encoder. Adding an attribute is adding a row (and a record in
 * {@link PathAttribute}).
 *
 * <p>Row contract: {@code decode} reads exactly {@code length} octets of value from the buffer
 * (the caller checks the reader index afterwards) and throws {@link Malformed} with a
 * {@code null} handling to mean "this row's handling", or an explicit level to override it.
 * {@code encode} writes the value only; the caller writes flags, code and length.
 */
enum AttributeCodec {
    // RFC 7606 7.1: a malformed ORIGIN is treat-as-withdraw.
    ORIGIN(1, TRANSITIVE, TREAT_AS_WITHDRAW, NotificationCode.INVALID_ORIGIN_ATTRIBUTE) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            exactly(len, 1);
            int v = b.readUnsignedByte();
            if (v > 2) {
                throw malformed("undefined ORIGIN value " + v);
            }
            return new PathAttribute.Origin(v);
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {
            out.writeByte(((PathAttribute.Origin) a).value());
        }
    },
    // RFC 7606 7.2.
    AS_PATH(2, TRANSITIVE, TREAT_AS_WITHDRAW, NotificationCode.MALFORMED_AS_PATH) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            return new PathAttribute.AsPath(segments(b, len, ctx.fourOctetAs() ? 4 : 2, "AS_PATH"));
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {
            writeSegments(((PathAttribute.AsPath) a).segments(), out, ctx.fourOctetAs() ? 4 : 2);
        }
    },
    // RFC 7606 7.3; RFC 4271 6.3 for the semantic checks.
    NEXT_HOP(3, TRANSITIVE, TREAT_AS_WITHDRAW, NotificationCode.INVALID_NEXT_HOP_ATTRIBUTE) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            exactly(len, 4);
            Inet4Address a = Addresses.ipv4(b.readInt());
            if (a.isAnyLocalAddress() || a.isMulticastAddress() || Addresses.toLong(a) == 0xffffffffL) {
                throw malformed("NEXT_HOP " + a.getHostAddress() + " is not a unicast address");
            }
            return new PathAttribute.NextHop(a);
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {
            out.writeBytes(((PathAttribute.NextHop) a).address().getAddress());
        }
    },
    // RFC 7606 7.4.
    MULTI_EXIT_DISC(4, OPTIONAL, TREAT_AS_WITHDRAW, NotificationCode.ATTRIBUTE_LENGTH_ERROR) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            exactly(len, 4);
            return new PathAttribute.MultiExitDisc(b.readUnsignedInt());
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {
            out.writeInt((int) ((PathAttribute.MultiExitDisc) a).value());
        }
    },
    // RFC 7606 7.5 (the eBGP "discard" case is the session's: the codec does not know the peer type).
    LOCAL_PREF(5, TRANSITIVE, TREAT_AS_WITHDRAW, NotificationCode.ATTRIBUTE_LENGTH_ERROR) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            exactly(len, 4);
            return new PathAttribute.LocalPref(b.readUnsignedInt());
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {
            out.writeInt((int) ((PathAttribute.LocalPref) a).value());
        }
    },
    // RFC 7606 7.6.
    ATOMIC_AGGREGATE(6, TRANSITIVE, ATTRIBUTE_DISCARD, NotificationCode.ATTRIBUTE_LENGTH_ERROR) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            exactly(len, 0);
            return new PathAttribute.AtomicAggregate();
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {}
    },
    // RFC 7606 7.7; length 6 or 8 by the negotiated AS size.
    AGGREGATOR(7, OPTIONAL | TRANSITIVE, ATTRIBUTE_DISCARD, NotificationCode.ATTRIBUTE_LENGTH_ERROR) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            int asSize = ctx.fourOctetAs() ? 4 : 2;
            exactly(len, asSize + 4);
            long as = asSize == 4 ? b.readUnsignedInt() : b.readUnsignedShort();
            return new PathAttribute.Aggregator(as, Addresses.ipv4(b.readInt()));
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {
            var g = (PathAttribute.Aggregator) a;
            writeAs(out, g.as(), ctx.fourOctetAs() ? 4 : 2);
            out.writeBytes(g.address().getAddress());
        }
    },
    // RFC 7606 7.8.
    COMMUNITIES(8, OPTIONAL | TRANSITIVE, TREAT_AS_WITHDRAW, NotificationCode.OPTIONAL_ATTRIBUTE_ERROR) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            multipleOf(len, 4);
            List<Integer> v = new ArrayList<>(len / 4);
            for (int i = 0; i < len; i += 4) {
                v.add(b.readInt());
            }
            return new PathAttribute.Communities(v);
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {
            for (int c : ((PathAttribute.Communities) a).values()) {
                out.writeInt(c);
            }
        }
    },
    // RFC 7606 7.9.
    ORIGINATOR_ID(9, OPTIONAL, TREAT_AS_WITHDRAW, NotificationCode.OPTIONAL_ATTRIBUTE_ERROR) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            exactly(len, 4);
            return new PathAttribute.OriginatorId(Addresses.ipv4(b.readInt()));
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {
            out.writeBytes(((PathAttribute.OriginatorId) a).id().getAddress());
        }
    },
    // RFC 7606 7.10.
    CLUSTER_LIST(10, OPTIONAL, TREAT_AS_WITHDRAW, NotificationCode.OPTIONAL_ATTRIBUTE_ERROR) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            multipleOf(len, 4);
            List<Inet4Address> ids = new ArrayList<>(len / 4);
            for (int i = 0; i < len; i += 4) {
                ids.add(Addresses.ipv4(b.readInt()));
            }
            return new PathAttribute.ClusterList(ids);
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {
            for (Inet4Address id : ((PathAttribute.ClusterList) a).ids()) {
                out.writeBytes(id.getAddress());
            }
        }
    },
    // RFC 7606 7.11: NLRI that cannot be parsed leave no way to withdraw: session reset.
    MP_REACH_NLRI(14, OPTIONAL, TREAT_AS_WITHDRAW, NotificationCode.OPTIONAL_ATTRIBUTE_ERROR) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            int end = b.readerIndex() + len;
            if (len < 5) {
                throw reset(error, "MP_REACH_NLRI of " + len + " octets");
            }
            Family f = new Family(b.readUnsignedShort(), b.readUnsignedByte());
            int nhLen = b.readUnsignedByte();
            if (nhLen + 1 > end - b.readerIndex()) {
                throw reset(error, "MP_REACH_NLRI next hop length " + nhLen + " overruns the attribute");
            }
            List<InetAddress> nextHops = new ArrayList<>(2);
            boolean nhOk = nhLen == 4 || nhLen == 16 || nhLen == 32;
            if (nhOk) {
                for (int i = 0; i < nhLen; i += nhLen == 4 ? 4 : 16) {
                    byte[] a = new byte[nhLen == 4 ? 4 : 16];
                    b.readBytes(a);
                    nextHops.add(Addresses.of(a));
                }
            } else {
                b.skipBytes(nhLen);
            }
            b.skipBytes(1); // reserved (RFC 4760 3: ignored on receipt)
            if (!f.decodable()) {
                b.readerIndex(end);
                throw new Malformed(error, Bytes.EMPTY, ATTRIBUTE_DISCARD, "MP_REACH_NLRI for unsupported " + f);
            }
            List<Prefix> nlri = NlriCodec.decode(b, end, f, ctx.addPath(f), error);
            if (!nhOk || (nhLen == 4 && f.afi() != Family.AFI_IPV4)) {
                // RFC 7606 7.11: an inconsistent next hop length is treat-as-withdraw (the NLRI parsed).
                throw new Malformed(error, Bytes.EMPTY, TREAT_AS_WITHDRAW,
                        "MP_REACH_NLRI next hop length " + nhLen + " for " + f);
            }
            return new PathAttribute.MpReach(f, nextHops, nlri);
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {
            var m = (PathAttribute.MpReach) a;
            out.writeShort(m.family().afi()).writeByte(m.family().safi());
            int nhLen = 0;
            for (InetAddress nh : m.nextHops()) {
                nhLen += nh.getAddress().length;
            }
            out.writeByte(nhLen);
            for (InetAddress nh : m.nextHops()) {
                out.writeBytes(nh.getAddress());
            }
            out.writeByte(0);
            NlriCodec.encode(m.nlri(), out, ctx.addPath(m.family()));
        }
    },
    MP_UNREACH_NLRI(15, OPTIONAL, TREAT_AS_WITHDRAW, NotificationCode.OPTIONAL_ATTRIBUTE_ERROR) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            int end = b.readerIndex() + len;
            if (len < 3) {
                throw reset(error, "MP_UNREACH_NLRI of " + len + " octets");
            }
            Family f = new Family(b.readUnsignedShort(), b.readUnsignedByte());
            if (!f.decodable()) {
                b.readerIndex(end);
                throw new Malformed(error, Bytes.EMPTY, ATTRIBUTE_DISCARD, "MP_UNREACH_NLRI for unsupported " + f);
            }
            return new PathAttribute.MpUnreach(f, NlriCodec.decode(b, end, f, ctx.addPath(f), error));
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {
            var m = (PathAttribute.MpUnreach) a;
            out.writeShort(m.family().afi()).writeByte(m.family().safi());
            NlriCodec.encode(m.withdrawn(), out, ctx.addPath(m.family()));
        }
    },
    // RFC 7606 7.14.
    EXTENDED_COMMUNITIES(16, OPTIONAL | TRANSITIVE, TREAT_AS_WITHDRAW, NotificationCode.OPTIONAL_ATTRIBUTE_ERROR) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            multipleOf(len, 8);
            List<Long> v = new ArrayList<>(len / 8);
            for (int i = 0; i < len; i += 8) {
                v.add(b.readLong());
            }
            return new PathAttribute.ExtendedCommunities(v);
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {
            for (long c : ((PathAttribute.ExtendedCommunities) a).values()) {
                out.writeLong(c);
            }
        }
    },
    // RFC 6793 section 6 and RFC 7606 7.x: a bad AS4_PATH is discarded, AS_PATH stands alone.
    AS4_PATH(17, OPTIONAL | TRANSITIVE, ATTRIBUTE_DISCARD, NotificationCode.OPTIONAL_ATTRIBUTE_ERROR) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            return new PathAttribute.As4Path(segments(b, len, 4, "AS4_PATH"));
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {
            writeSegments(((PathAttribute.As4Path) a).segments(), out, 4);
        }
    },
    AS4_AGGREGATOR(18, OPTIONAL | TRANSITIVE, ATTRIBUTE_DISCARD, NotificationCode.OPTIONAL_ATTRIBUTE_ERROR) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            exactly(len, 8);
            return new PathAttribute.As4Aggregator(b.readUnsignedInt(), Addresses.ipv4(b.readInt()));
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {
            var g = (PathAttribute.As4Aggregator) a;
            out.writeInt((int) g.as());
            out.writeBytes(g.address().getAddress());
        }
    },
    // RFC 8092 section 6: length not a multiple of 12 is treat-as-withdraw.
    LARGE_COMMUNITIES(32, OPTIONAL | TRANSITIVE, TREAT_AS_WITHDRAW, NotificationCode.OPTIONAL_ATTRIBUTE_ERROR) {
        PathAttribute decode(ByteBuf b, int len, WireContext ctx) throws Malformed {
            if (len == 0) {
                throw malformed("LARGE_COMMUNITIES of 0 octets");
            }
            multipleOf(len, 12);
            List<PathAttribute.LargeCommunities.Large> v = new ArrayList<>(len / 12);
            for (int i = 0; i < len; i += 12) {
                v.add(new PathAttribute.LargeCommunities.Large(b.readUnsignedInt(), b.readUnsignedInt(),
                        b.readUnsignedInt()));
            }
            return new PathAttribute.LargeCommunities(v);
        }

        void encode(PathAttribute a, ByteBuf out, WireContext ctx) {
            for (var l : ((PathAttribute.LargeCommunities) a).values()) {
                out.writeInt((int) l.global()).writeInt((int) l.local1()).writeInt((int) l.local2());
            }
        }
    };

    final int code;
    /** The Optional and Transitive bits this attribute must carry (RFC 4271 5, 6.3). */
    final int flags;
    /** RFC 7606's verdict for a malformed instance (and for wrong flags, 7606 3.c). */
    final ErrorHandling handling;
    /** The NOTIFICATION subcode if the handling is (or escalates to) a session reset. */
    final NotificationCode error;

    private static final AttributeCodec[] BY_CODE = new AttributeCodec[256];

    static {
        for (AttributeCodec c : values()) {
            BY_CODE[c.code] = c;
        }
    }

    AttributeCodec(int code, int flags, ErrorHandling handling, NotificationCode error) {
        this.code = code;
        this.flags = flags;
        this.handling = handling;
        this.error = error;
    }

    abstract PathAttribute decode(ByteBuf value, int length, WireContext ctx) throws Malformed;

    abstract void encode(PathAttribute a, ByteBuf out, WireContext ctx);

    static AttributeCodec of(int code) {
        return BY_CODE[code & 0xff];
    }

    /** True for the attributes RFC 7606 3(g) says must not repeat without resetting the session. */
    boolean duplicateResets() {
        return this == MP_REACH_NLRI || this == MP_UNREACH_NLRI;
    }

    /**
     * Writes one whole attribute: flags, type, length (one octet, or two with Extended Length
     * when the value exceeds 255 octets), value.
     */
    static void write(PathAttribute a, ByteBuf out, WireContext ctx) {
        int flags;
        int start = out.writerIndex();
        if (a instanceof PathAttribute.Unknown u) {
            flags = u.flags() & ~PathAttribute.EXTENDED_LENGTH;
            out.writeByte(flags | PathAttribute.EXTENDED_LENGTH).writeByte(u.code()).writeShort(0);
            u.value().writeTo(out);
        } else {
            AttributeCodec row = of(a.code());
            flags = row.flags;
            out.writeByte(flags | PathAttribute.EXTENDED_LENGTH).writeByte(row.code).writeShort(0);
            row.encode(a, out, ctx);
        }
        int len = out.writerIndex() - start - 4;
        if (len > 0xffff) {
            throw new IllegalArgumentException("attribute " + a.code() + " value of " + len + " octets");
        }
        if (len > 255) {
            out.setShort(start + 2, len);
            return;
        }
        // Short value: drop the second length octet by sliding the value left one place (at most 255 octets).
        out.setByte(start, flags);
        out.setByte(start + 2, len);
        for (int i = 0; i < len; i++) {
            out.setByte(start + 3 + i, out.getByte(start + 4 + i));
        }
        out.writerIndex(out.writerIndex() - 1);
    }

    // ---- helpers used by the rows ------------------------------------------------------------

    Malformed malformed(String reason) {
        return new Malformed(error, Bytes.EMPTY, null, reason);
    }

    static Malformed reset(NotificationCode c, String reason) {
        return Malformed.reset(c, Bytes.EMPTY, reason);
    }

    void exactly(int len, int want) throws Malformed {
        if (len != want) {
            throw malformed(name() + " length " + len + ", must be " + want);
        }
    }

    void multipleOf(int len, int unit) throws Malformed {
        if (len == 0 || len % unit != 0) {
            throw malformed(name() + " length " + len + ", must be a non-zero multiple of " + unit);
        }
    }

    List<Segment> segments(ByteBuf b, int len, int asSize, String what) throws Malformed {
        int end = b.readerIndex() + len;
        List<Segment> out = new ArrayList<>(2);
        while (b.readerIndex() < end) {
            if (end - b.readerIndex() < 2) {
                throw malformed(what + ": truncated segment header");
            }
            int type = b.readUnsignedByte();
            int count = b.readUnsignedByte();
            if (type < Segment.AS_SET || type > Segment.AS_CONFED_SET) {
                throw malformed(what + ": segment type " + type);
            }
            if (count == 0) {
                throw malformed(what + ": empty segment"); // RFC 7606 7.2
            }
            if (end - b.readerIndex() < count * asSize) {
                throw malformed(what + ": segment of " + count + " ASNs overruns the attribute");
            }
            List<Long> asns = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                asns.add(asSize == 4 ? b.readUnsignedInt() : (long) b.readUnsignedShort());
            }
            out.add(new Segment(type, asns));
        }
        return out;
    }

    /** Segments longer than 255 ASNs are split, as RFC 4271 4.3 requires. */
    static void writeSegments(List<Segment> segments, ByteBuf out, int asSize) {
        for (Segment s : segments) {
            List<Long> asns = s.asns();
            for (int from = 0; from < asns.size(); from += 255) {
                int to = Math.min(asns.size(), from + 255);
                out.writeByte(s.type()).writeByte(to - from);
                for (int i = from; i < to; i++) {
                    writeAs(out, asns.get(i), asSize);
                }
            }
        }
    }

    /** A 4-octet AS written into a 2-octet field becomes AS_TRANS (RFC 6793 section 4.2.2). */
    static void writeAs(ByteBuf out, long as, int asSize) {
        if (asSize == 4) {
            out.writeInt((int) as);
        } else {
            out.writeShort(as > 0xffff ? BgpMessage.Open.AS_TRANS : (int) as);
        }
    }
}
