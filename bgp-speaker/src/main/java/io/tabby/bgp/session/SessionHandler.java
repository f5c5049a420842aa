package io.tabby.bgp.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tabby.bgp.wire.DecodeResult;

/**
 * The last handler of a session's pipeline: turns decoded messages and channel closure into FSM
 * events for its {@link PeerSession}, on the peer's event loop. It owns no state beyond which
 * connection it belongs to; events from a connection the session has already let go are dropped
 * by the session.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {
    private final PeerSession peer;
    private final Object conn;

    SessionHandler(PeerSession peer, Object conn) {
        this.peer = peer;
        this.conn = conn;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DecodeResult r) {
            peer.onLoop(() -> peer.received(conn, ctx.channel(), r));
        } else {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        peer.onLoop(() -> peer.closed(conn, ctx.channel(), "connection closed by the peer"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        peer.onLoop(() -> peer.closed(conn, ctx.channel(), "I/O error: " + cause.getMessage()));
        ctx.close();
    }
}
