package dev.plexgate.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.CharsetUtil;
import io.netty.util.concurrent.PromiseCombiner;

/**
 * Writes the body after a head kept as bytes, piece by piece as the other side's decoder cut
 * it: as it is (Content-Length), in chunks, or not at all (a response to HEAD, a 204 or 304).
 * Part of an encoder, one per connection and side; a chunk's size line is the only buffer it
 * allocates, the data goes on as the slice it came as.
 */
public final class BodyWriter {

    /** How the body after a head goes out, until its last piece. */
    public enum Framing { NONE, EMPTY, AS_IS, CHUNKED }

    private static final int CRLF_SHORT = ('\r' << 8) | '\n';
    private static final ByteBuf CRLF = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeShort(CRLF_SHORT)).asReadOnly();
    /** The CRLF that ends a last piece of data, and the last (empty) chunk. */
    private static final ByteBuf CRLF_LAST_CHUNK = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(7).writeBytes(new byte[] {'\r', '\n', '0', '\r', '\n', '\r', '\n'})).asReadOnly();
    private static final ByteBuf LAST_CHUNK = CRLF_LAST_CHUNK.slice(2, 5);

    private Framing framing = Framing.NONE;

    /** The body of the head just written goes out this way. */
    public void start(Framing framing) {
        this.framing = framing;
    }

    /** A body is under way: the next {@link HttpContent} is this writer's. */
    public boolean active() {
        return framing != Framing.NONE;
    }

    public void write(ChannelHandlerContext ctx, HttpContent content, ChannelPromise promise) {
        boolean last = content instanceof LastHttpContent;
        ByteBuf data = content.content();
        int length = data.readableBytes();
        if (framing == Framing.EMPTY || (length == 0 && (framing == Framing.AS_IS || !last))) {
            content.release();
            ctx.write(Unpooled.EMPTY_BUFFER, promise);
        } else if (framing == Framing.AS_IS) {
            ctx.write(data, promise);
        } else if (length == 0) {
            content.release();
            ctx.write(LAST_CHUNK.duplicate(), promise);
        } else {
            ByteBuf sizeLine = ctx.alloc().ioBuffer(18);
            sizeLine.writeCharSequence(Integer.toHexString(length), CharsetUtil.US_ASCII);
            sizeLine.writeShort(CRLF_SHORT);
            ByteBuf end = (last ? CRLF_LAST_CHUNK : CRLF).duplicate();
            if (promise.isVoid()) {
                ctx.write(sizeLine, promise);
                ctx.write(data, promise);
                ctx.write(end, promise);
            } else {
                PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
                combiner.add(ctx.write(sizeLine));
                combiner.add(ctx.write(data));
                combiner.add(ctx.write(end));
                combiner.finish(promise);
            }
        }
        if (last) {
            framing = Framing.NONE;
        }
    }
}
