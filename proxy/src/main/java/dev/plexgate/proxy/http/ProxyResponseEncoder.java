package dev.plexgate.proxy.http;

import dev.plexgate.proxy.HeaderBlockEncoder;
import dev.plexgate.proxy.upstream.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.CharsetUtil;
import io.netty.util.concurrent.PromiseCombiner;
import java.util.Queue;

/**
 * Writes responses to the client. Plex's arrive as {@link ResponseHead}s, already edited by
 * {@link ForwardingHeaders}: the head's bytes go out as they are, and the body pieces after it
 * as they are or in chunks, as the head says. plexgate's own pages are Netty responses and go
 * through Netty's encoder, with header lines written by a {@link HeaderBlockEncoder}.
 *
 * <p>Both paths know which responses answer a HEAD request: those carry no body even when they
 * say {@code Transfer-Encoding: chunked}, so no terminating chunk may be written.
 */
final class ProxyResponseEncoder extends HttpResponseEncoder {

    private static final int CRLF_SHORT = ('\r' << 8) | '\n';
    private static final ByteBuf CRLF = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeShort(CRLF_SHORT)).asReadOnly();
    /** The CRLF that ends a last piece of data, and the last (empty) chunk. */
    private static final ByteBuf CRLF_LAST_CHUNK = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(7).writeBytes(new byte[] {'\r', '\n', '0', '\r', '\n', '\r', '\n'})).asReadOnly();
    private static final ByteBuf LAST_CHUNK = CRLF_LAST_CHUNK.slice(2, 5);

    /** How the body after a {@link ResponseHead} goes out, until its last piece. */
    private enum Body { NONE, EMPTY, AS_IS, CHUNKED }

    private final Queue<HttpMethod> methods;
    private final HeaderBlockEncoder headerLines = new HeaderBlockEncoder();
    private Body body = Body.NONE;

    ProxyResponseEncoder(Queue<HttpMethod> methods) {
        this.methods = methods;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ResponseHead head) {
            writeHead(ctx, head, promise);
        } else if (body != Body.NONE && msg instanceof HttpContent content) {
            writeBody(ctx, content, promise);
        } else {
            super.write(ctx, msg, promise);
        }
    }

    private void writeHead(ChannelHandlerContext ctx, ResponseHead head, ChannelPromise promise) {
        int status = head.status();
        if (status < 200) {
            body = Body.EMPTY; // an interim response, or the 101 before a websocket
        } else if (HttpMethod.HEAD.equals(methods.poll()) || status == 204 || status == 304) {
            body = Body.EMPTY;
        } else {
            body = head.bodyInChunks() ? Body.CHUNKED : Body.AS_IS;
        }
        byte[] bytes = head.encode();
        ctx.write(ctx.alloc().ioBuffer(bytes.length).writeBytes(bytes), promise);
    }

    private void writeBody(ChannelHandlerContext ctx, HttpContent content, ChannelPromise promise) {
        boolean last = content instanceof LastHttpContent;
        ByteBuf data = content.content();
        int length = data.readableBytes();
        if (body == Body.EMPTY || (length == 0 && (body == Body.AS_IS || !last))) {
            content.release();
            ctx.write(Unpooled.EMPTY_BUFFER, promise);
        } else if (body == Body.AS_IS) {
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
            body = Body.NONE;
        }
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse response) {
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            return super.isContentAlwaysEmpty(response);
        }
        HttpMethod method = methods.poll();
        return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(response);
    }

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
        headerLines.encode(headers, buf);
    }
}
