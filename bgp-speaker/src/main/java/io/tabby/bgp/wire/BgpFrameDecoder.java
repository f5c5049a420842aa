package io.tabby.bgp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Frames the TCP byte stream into BGP messages and decodes each one, emitting
 * {@link DecodeResult} values (never ByteBufs) downstream. Header checks happen before waiting
 * for the body, so a bad marker or length is reported at once (RFC 4271 6.1). After a
 * {@link DecodeResult.Failure} the decoder discards all further input: the session is being
 * torn down and nothing after a framing error can be trusted.
 *
 * <p>The {@link WireContext} is swapped by the session handler once the OPEN exchange settles
 * it; Netty delivers each decoded message before decoding the next, so the change applies from
 * the very next message.
 */
public final class BgpFrameDecoder extends ByteToMessageDecoder {
    private WireContext context = WireContext.INITIAL;
    private boolean failed;

    public void context(WireContext ctx) {
        this.context = ctx;
    }

    public WireContext context() {
        return context;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < BgpCodec.HEADER_LENGTH) {
            return;
        }
        DecodeResult.Failure bad = BgpCodec.checkHeader(in, context.maxLength());
        if (bad != null) {
            failed = true;
            in.skipBytes(in.readableBytes());
            out.add(bad);
            return;
        }
        int length = in.getUnsignedShort(in.readerIndex() + BgpCodec.MARKER_LENGTH);
        if (in.readableBytes() < length) {
            return;
        }
        DecodeResult r = BgpCodec.decode(in.readSlice(length), context);
        if (r instanceof DecodeResult.Failure) {
            failed = true;
        }
        out.add(r);
    }
}
