package dev.plexgate.proxy.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the exchanges of one keep-alive connection in order. A request that arrives while the
 * previous response is still being written (pipelining) waits here, and reading pauses until it
 * can be served, so a pipelining client cannot make the origin buffer without bound.
 */
final class OriginConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(OriginConnectionHandler.class);

    private final TestOrigin origin;
    private final Queue<HttpObject> waiting = new ArrayDeque<>();
    private Exchange current;
    private boolean rejected;

    OriginConnectionHandler(TestOrigin origin) {
        this.origin = origin;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected || !(msg instanceof HttpObject message)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (message instanceof HttpRequest request) {
            origin.recordRequest(request, ctx.channel().remoteAddress());
        }
        if (current != null && current.requestComplete()) {
            waiting.add(message);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        handle(ctx, message);
    }

    private void handle(ChannelHandlerContext ctx, HttpObject message) {
        DecoderResult result = message.decoderResult();
        if (result.isFailure()) {
            ReferenceCountUtil.release(message);
            reject(ctx, result.cause());
            return;
        }
        if (message instanceof HttpRequest request) {
            current = new Exchange(ctx, request, origin, this::exchangeComplete);
            Endpoints.dispatch(current);
        }
        if (message instanceof HttpContent content) {
            if (current != null) {
                current.receive(content);
            } else {
                content.release();
            }
        }
    }

    private void exchangeComplete(Exchange exchange) {
        if (current != exchange) {
            return;
        }
        current = null;
        ChannelHandlerContext ctx = exchange.ctx();
        if (!exchange.keepAlive()) {
            releaseWaiting();
            ctx.close();
            return;
        }
        while (!waiting.isEmpty() && (current == null || !current.requestComplete())) {
            handle(ctx, waiting.poll());
        }
        if (waiting.isEmpty() && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** A malformed request ends the connection, as a strict server must (RFC 9112 §2.2). */
    private void reject(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("rejecting malformed request on {}", ctx.channel(), cause);
        rejected = true;
        releaseWaiting();
        if (current != null) {
            ctx.close(); // a response is already under way: no room for an error response
            return;
        }
        HttpResponseStatus status = cause instanceof TooLongHttpHeaderException
                ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Clients of a test origin hang up mid-body all the time; that is not worth a log line.
        log.debug("closing {} after {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    private void releaseWaiting() {
        HttpObject message;
        while ((message = waiting.poll()) != null) {
            ReferenceCountUtil.release(message);
        }
    }
}
