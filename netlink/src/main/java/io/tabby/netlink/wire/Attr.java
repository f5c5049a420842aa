package io.tabby.netlink.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One route attribute ({@code struct rtattr} / {@code struct nlattr}): a type and its payload.
 * The payload is copied in and out so that the record is immutable, and equality compares the
 * bytes, so {@code decode(encode(x)).equals(x)} is a meaningful test.
 *
 * <pre>
 *  0               16              32
 * +---------------+---------------+---------------------------+
 * | nla_len (u16) | nla_type (u16)| payload ... padded to 4   |
 * +---------------+---------------+---------------------------+
 * </pre>
 * {@code nla_len} counts the 4-byte header and the payload, not the padding.
 */
public record Attr(int type, byte[] value) {
    public static final int HEADER = 4;

    public Attr {
        if (type < 0 || type > 0xffff) {
            throw new IllegalArgumentException("attribute type out of range: " + type);
        }
        if (value.length > 0xffff - HEADER) {
            throw new IllegalArgumentException("attribute " + type + " too long: " + value.length + " bytes");
        }
        value = value.clone();
    }

    /** The payload, copied. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The type without the NLA_F_NESTED and NLA_F_NET_BYTEORDER bits. */
    public int kind() {
        return type & Rt.NLA_TYPE_MASK;
    }

    public int length() {
        return value.length;
    }

    public static Attr u8(int type, int v) {
        return new Attr(type, new byte[] {(byte) v});
    }

    public static Attr u16(int type, int v) {
        return new Attr(type, order(ByteBuffer.allocate(2)).putShort((short) v).array());
    }

    public static Attr u32(int type, int v) {
        return new Attr(type, order(ByteBuffer.allocate(4)).putInt(v).array());
    }

    /** A NUL-terminated string, as the kernel expects for names (IFLA_IFNAME, IFA_LABEL). */
    public static Attr string(int type, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new Attr(type, Arrays.copyOf(b, b.length + 1));
    }

    public static Attr address(int type, InetAddress a) {
        return new Attr(type, a.getAddress());
    }

    /** A nested attribute: the children encoded back to back form the payload. NLA_F_NESTED is not set. */
    public static Attr nested(int type, List<Attr> children) {
        ByteBuffer b = order(ByteBuffer.allocate(sizeOf(children)));
        encodeAll(children, b);
        return new Attr(type, b.array());
    }

    public int asU8() {
        need(1);
        return value[0] & 0xff;
    }

    public int asU16() {
        need(2);
        return order(ByteBuffer.wrap(value)).getShort() & 0xffff;
    }

    public int asU32() {
        need(4);
        return order(ByteBuffer.wrap(value)).getInt();
    }

    /** A string up to its first NUL (or the whole payload when there is none). */
    public String asString() {
        int end = 0;
        while (end < value.length && value[end] != 0) {
            end++;
        }
        return new String(value, 0, end, StandardCharsets.UTF_8);
    }

    public InetAddress asAddress() {
        if (value.length != 4 && value.length != 16) {
            throw new WireException("attribute " + kind() + " is not an IP address: " + value.length + " bytes");
        }
        try {
            return InetAddress.getByAddress(value);
        } catch (UnknownHostException e) {
            throw new WireException("attribute " + kind() + ": " + e.getMessage());
        }
    }

    /** Lower-case colon-separated hex, as {@code ip link} prints link-layer addresses. */
    public String asHex() {
        return HexFormat.ofDelimiter(":").formatHex(value);
    }

    public List<Attr> asNested() {
        return decodeAll(order(ByteBuffer.wrap(value)));
    }

    private void need(int n) {
        if (value.length < n) {
            throw new WireException("attribute " + kind() + " has " + value.length + " bytes, needs " + n);
        }
    }

    /** Bytes this attribute takes on the wire, padding included. */
    public int encodedSize() {
        return align(HEADER + value.length);
    }

    public void encode(ByteBuffer b) {
        b.putShort((short) (HEADER + value.length));
        b.putShort((short) type);
        b.put(value);
        pad(b, align(value.length) - value.length);
    }

    public static int sizeOf(List<Attr> attrs) {
        int n = 0;
        for (Attr a : attrs) {
            n += a.encodedSize();
        }
        return n;
    }

    public static void encodeAll(List<Attr> attrs, ByteBuffer b) {
        for (Attr a : attrs) {
            a.encode(b);
        }
    }

    /** Decodes attributes from the buffer's position to its limit. */
    public static List<Attr> decodeAll(ByteBuffer b) {
        List<Attr> out = new ArrayList<>();
        while (b.remaining() >= HEADER) {
            int start = b.position();
            int len = b.getShort() & 0xffff;
            int type = b.getShort() & 0xffff;
            if (len < HEADER || start + len > b.limit()) {
                throw new WireException("attribute type " + (type & Rt.NLA_TYPE_MASK) + " has bad length " + len
                        + " with " + (b.limit() - start) + " bytes left");
            }
            byte[] v = new byte[len - HEADER];
            b.get(v);
            out.add(new Attr(type, v));
            b.position(Math.min(b.limit(), start + align(len)));
        }
        if (b.hasRemaining()) {
            throw new WireException(b.remaining() + " trailing bytes after attributes");
        }
        return out;
    }

    /** The first attribute of a kind, ignoring the nested/byte-order bits. */
    public static Optional<Attr> find(List<Attr> attrs, int kind) {
        for (Attr a : attrs) {
            if (a.kind() == kind) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public static int align(int n) {
        return (n + 3) & ~3;
    }

    static void pad(ByteBuffer b, int n) {
        for (int i = 0; i < n; i++) {
            b.put((byte) 0);
        }
    }

    /** Netlink is host byte order; every buffer we touch is set to it. */
    public static ByteBuffer order(ByteBuffer b) {
        return b.order(ByteOrder.nativeOrder());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attr a && a.type == type && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Attr[" + kind() + ((type & Rt.NLA_F_NESTED) != 0 ? ",nested" : "") + "="
                + HexFormat.of().formatHex(value) + "]";
    }
}
