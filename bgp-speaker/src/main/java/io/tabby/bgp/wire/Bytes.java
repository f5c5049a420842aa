package io.tabby.bgp.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable run of octets with value equality: what records use instead of {@code byte[]}
 * (records compare arrays by reference) and instead of {@code ByteBuf} (which must not escape the
 * codec). Shown as hex.
 */
public final class Bytes {
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] octets;

    private Bytes(byte[] octets) {
        this.octets = octets;
    }

    /** Copies {@code octets}; later changes to the array do not show. */
    public static Bytes of(byte... octets) {
        return octets.length == 0 ? EMPTY : new Bytes(octets.clone());
    }

    public static Bytes ofHex(String hex) {
        return of(HexFormat.of().parseHex(hex.replaceAll("\\s+", "")));
    }

    /** Reads {@code length} octets from {@code buf}, advancing its reader index. */
    public static Bytes read(ByteBuf buf, int length) {
        if (length == 0) {
            return EMPTY;
        }
        byte[] b = new byte[length];
        buf.readBytes(b);
        return new Bytes(b);
    }

    public static Bytes ofUtf8(String s) {
        return of(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public int length() {
        return octets.length;
    }

    public int get(int i) {
        return octets[i] & 0xff;
    }

    public void writeTo(ByteBuf out) {
        out.writeBytes(octets);
    }

    public byte[] toArray() {
        return octets.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(octets);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(octets, b.octets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(octets);
    }

    @Override
    public String toString() {
        return hex();
    }
}
