package io.tabby.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Netty framing: partial reads, several messages per read, failure then discard, no leaks. */
class FrameDecoderTest {
    static ByteBuf encoded(WireContext ctx, BgpMessage... ms) {
        ByteBuf b = Unpooled.buffer();
        for (BgpMessage m : ms) {
            BgpCodec.encode(m, b, ctx);
        }
        return b;
    }

    @Test
    void framesAcrossArbitrarySplitsAndReleasesInput() {
        var open = RoundTripTest.open(List.of(new Capability.FourOctetAs(65001)));
        ByteBuf all = encoded(WireContext.INITIAL, open, BgpMessage.Keepalive.INSTANCE, BgpMessage.Keepalive.INSTANCE);
        EmbeddedChannel ch = new EmbeddedChannel(new BgpFrameDecoder());
        List<ByteBuf> pieces = List.of(all.retainedSlice(0, 5), all.retainedSlice(5, 30), all.retainedSlice(35, all.readableBytes() - 35));
        for (ByteBuf p : pieces) {
            ch.writeInbound(p);
        }
        assertThat(ch.<Object>readInbound()).isEqualTo(DecodeResult.Success.clean(open));
        assertThat(ch.<Object>readInbound()).isEqualTo(DecodeResult.Success.clean(BgpMessage.Keepalive.INSTANCE));
        assertThat(ch.<Object>readInbound()).isEqualTo(DecodeResult.Success.clean(BgpMessage.Keepalive.INSTANCE));
        assertThat(ch.finish()).isFalse();
        // Each slice held one reference on the parent; the decoder released them all.
        assertThat(all.refCnt()).isEqualTo(1);
        assertThat(all.release()).isTrue();
    }

    @Test
    void badHeaderIsReportedAtOnceAndLaterBytesAreDiscarded() {
        EmbeddedChannel ch = new EmbeddedChannel(new BgpFrameDecoder());
        ByteBuf bad = Unpooled.buffer();
        bad.writeLong(-1).writeLong(-1).writeShort(9000).writeByte(2);
        ch.writeInbound(bad);
        DecodeResult r = ch.readInbound();
        assertThat(r).isInstanceOf(DecodeResult.Failure.class);
        assertThat(((DecodeResult.Failure) r).code()).isEqualTo(NotificationCode.BAD_MESSAGE_LENGTH);
        ByteBuf more = encoded(WireContext.INITIAL, BgpMessage.Keepalive.INSTANCE);
        ch.writeInbound(more);
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(bad.refCnt()).isZero();
        assertThat(more.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void extendedMessagesAreAcceptedOnlyOnceNegotiated() {
        var decoder = new BgpFrameDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        var big = new BgpMessage.Notification(6, 0, Bytes.of(new byte[5000]));
        var ext = new WireContext(true, java.util.Set.of(), true);
        decoder.context(ext);
        ch.writeInbound(encoded(ext, big));
        assertThat(ch.<Object>readInbound()).isEqualTo(DecodeResult.Success.clean(big));
        EmbeddedChannel plain = new EmbeddedChannel(new BgpFrameDecoder());
        plain.writeInbound(encoded(ext, big));
        assertThat(((DecodeResult.Failure) plain.readInbound()).code()).isEqualTo(NotificationCode.BAD_MESSAGE_LENGTH);
        assertThat(ch.finish()).isFalse();
        assertThat(plain.finish()).isFalse();
    }
}
