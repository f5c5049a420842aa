package io.tabby.bgp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link BgpMessage} values with {@link BgpCodec#encode}. One per channel because the
 * {@link WireContext} (4-octet AS, ADD-PATH send families, extended messages) is per session.
 */
public final class BgpEncoder extends MessageToByteEncoder<BgpMessage> {
    private WireContext context = WireContext.INITIAL;

    public BgpEncoder() {
        super(BgpMessage.class);
    }

    public void context(WireContext ctx) {
        this.context = ctx;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, BgpMessage msg, ByteBuf out) {
        BgpCodec.encode(msg, out, context);
    }
}
