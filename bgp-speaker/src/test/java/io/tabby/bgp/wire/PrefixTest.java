package io.tabby.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link Prefix} keeps IPv4 addresses as an int and IPv6 ones as octets; every way of making one
 * (parsing, octets, an InetAddress, the packed int) must give the same value, and containment must
 * agree with the plain bit-by-bit definition.
 */
class PrefixTest {

    private static byte[] masked(byte[] octets, int length) {
        byte[] b = octets.clone();
        for (int bit = length; bit < b.length * 8; bit++) {
            b[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        return b;
    }

    @Property(tries = 300)
    void ipv4FromEveryConstructorIsTheSameValue(@ForAll int address, @ForAll @IntRange(max = 32) int length) throws Exception {
        byte[] octets = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        Prefix fromInt = Prefix.v4(address, length, 0);
        Prefix fromOctets = Prefix.of(octets.clone(), length, 0);
        Prefix fromAddress = new Prefix(InetAddress.getByAddress(masked(octets, length)), length);
        Prefix parsed = Prefix.parse(InetAddress.getByAddress(octets).getHostAddress() + "/" + length);

        assertThat(fromOctets).isEqualTo(fromInt).isEqualTo(fromAddress).isEqualTo(parsed);
        assertThat(fromOctets.hashCode()).isEqualTo(fromInt.hashCode()).isEqualTo(parsed.hashCode());
        assertThat(fromInt.address().getAddress()).isEqualTo(masked(octets, length));
        assertThat(fromInt.family()).isEqualTo(Family.IPV4_UNICAST);
        assertThat(fromInt.withPathId(7)).isNotEqualTo(fromInt).extracting(Prefix::pathId).isEqualTo(7);
    }

    @Property(tries = 300)
    void containmentAgreesWithTheBitwiseDefinition(@ForAll @Size(16) byte[] a, @ForAll @Size(16) byte[] b,
            @ForAll @IntRange(max = 128) int length, @ForAll boolean v4) throws Exception {
        int bytes = v4 ? 4 : 16;
        int len = v4 ? length % 33 : length;
        byte[] outer = java.util.Arrays.copyOf(a, bytes);
        byte[] inner = java.util.Arrays.copyOf(b, bytes);
        if (len > 0 && b[0] % 2 == 0) { // half the time, make the inner address really inside
            System.arraycopy(outer, 0, inner, 0, Math.min(bytes, len / 8));
        }
        Prefix p = Prefix.of(outer.clone(), len, 0);
        boolean expected = java.util.Arrays.equals(masked(outer, len), masked(inner, len));

        assertThat(p.contains(InetAddress.getByAddress(inner))).isEqualTo(expected);
        assertThat(p.contains(Prefix.of(inner.clone(), bytes * 8, 0))).isEqualTo(expected);
    }

    @Test
    void familiesNeverContainEachOtherAndBadLengthsAreNamed() throws Exception {
        assertThat(Prefix.parse("0.0.0.0/0").contains(Prefix.parse("::/0"))).isFalse();
        assertThat(Prefix.parse("::/0").contains(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThatThrownBy(() -> Prefix.parse("10.0.0.0/33")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Prefix.v4(0, -1, 0)).hasMessageContaining("prefix length -1 out of range");
        assertThat(Prefix.parse("2001:db8::1/32").toString()).isEqualTo("2001:db8:0:0:0:0:0:0/32");
    }

    @Test
    void nlriRoundTripsWithoutTouchingAnInetAddress() throws Exception {
        ByteBuf buf = Unpooled.buffer();
        try {
            Prefix p = Prefix.parse("100.64.12.0/22");
            NlriCodec.encode(p, buf, false);
            assertThat(buf.readableBytes()).isEqualTo(4);
            assertThat(NlriCodec.decode(buf, buf.writerIndex(), Family.IPV4_UNICAST, false, NotificationCode.INVALID_NETWORK_FIELD))
                    .containsExactly(p);
        } finally {
            buf.release();
        }
    }
}
