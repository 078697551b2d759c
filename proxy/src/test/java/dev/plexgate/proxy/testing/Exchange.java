package dev.plexgate.proxy.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.stream.ChunkedInput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * One request and its response on a connection. Endpoints answer through it; the connection learns
 * from it when both the request body and the response are complete, so the next pipelined request
 * is only started then.
 */
final class Exchange {

    /** Receives the request body piece by piece; the default one drops it. */
    interface BodyListener {
        BodyListener DISCARD = new BodyListener() {
        };

        default void onContent(ByteBuf content) {
        }

        default void onEnd() {
        }
    }

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final QueryStringDecoder target;
    private final TestOrigin origin;
    private final Consumer<Exchange> onComplete;
    private boolean keepAlive;
    private BodyListener bodyListener = BodyListener.DISCARD;
    private boolean requestComplete;
    private boolean responseComplete;
    private boolean completed;

    Exchange(ChannelHandlerContext ctx, HttpRequest request, TestOrigin origin, Consumer<Exchange> onComplete) {
        this.ctx = ctx;
        this.request = request;
        this.target = new QueryStringDecoder(request.uri());
        this.origin = origin;
        this.onComplete = onComplete;
        this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    HttpRequest request() {
        return request;
    }

    TestOrigin origin() {
        return origin;
    }

    String path() {
        return target.path();
    }

    boolean isHead() {
        return HttpMethod.HEAD.equals(request.method());
    }

    boolean keepAlive() {
        return keepAlive;
    }

    boolean requestComplete() {
        return requestComplete;
    }

    /** The query parameter's first value, or null. */
    String param(String name) {
        List<String> values = target.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    long longParam(String name, long defaultValue) {
        List<String> values = target.parameters().get(name);
        if (values == null || values.isEmpty()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(values.get(0));
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }

    void listenToBody(BodyListener listener) {
        this.bodyListener = listener;
    }

    /** Called by the connection for each piece of this request's body; takes ownership of it. */
    void receive(HttpContent content) {
        try {
            bodyListener.onContent(content.content());
        } finally {
            content.release();
        }
        if (content instanceof LastHttpContent) {
            requestComplete = true;
            bodyListener.onEnd();
            completeIfDone();
        }
    }

    HttpResponse newHead(HttpResponseStatus status, String contentType) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        if (contentType != null) {
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        markConnection(head);
        return head;
    }

    /** Says in the head whether the connection outlives this response, as the request's version expects. */
    private void markConnection(HttpResponse head) {
        if (!keepAlive) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else {
            head.headers().remove(HttpHeaderNames.CONNECTION);
        }
    }

    void respondText(HttpResponseStatus status, String text) {
        respond(newHead(status, "text/plain; charset=utf-8"), text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a complete response with a Content-Length; a HEAD request gets the same head without the body. */
    void respond(HttpResponse head, byte[] body) {
        ByteBuf content = isHead() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        DefaultFullHttpResponse full = new DefaultFullHttpResponse(
                head.protocolVersion(), head.status(), content, head.headers(),
                EmptyHttpHeaders.INSTANCE);
        HttpUtil.setContentLength(full, body.length);
        finishWith(ctx.writeAndFlush(full));
    }

    /** Sends {@code head} as the whole response, its headers untouched (HEAD answers, 204, 304). */
    void respondWithoutBody(HttpResponse head) {
        finishWith(ctx.writeAndFlush(new DefaultFullHttpResponse(head.protocolVersion(), head.status(),
                Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE)));
    }

    /** Sends a head whose body is read from {@code body} only while the channel is writable. */
    void respondStreaming(HttpResponse head, ChunkedInput<ByteBuf> body) {
        HttpUtil.setContentLength(head, body.length());
        if (isHead()) {
            respondWithoutBody(head);
            return;
        }
        ctx.write(head);
        finishWith(ctx.writeAndFlush(new HttpChunkedInput(body)));
    }

    /**
     * Starts a response whose length is unknown: chunked for HTTP/1.1, delimited by closing the
     * connection for HTTP/1.0 which has no chunked coding.
     */
    ChannelFuture startOpenEndedResponse(HttpResponse head) {
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            keepAlive = false;
            markConnection(head);
        } else {
            HttpUtil.setTransferEncodingChunked(head, true);
        }
        return ctx.writeAndFlush(head);
    }

    /** Marks the response complete once {@code lastWrite} succeeds; a failed write means the peer is gone. */
    void finishWith(ChannelFuture lastWrite) {
        lastWrite.addListener(written -> {
            if (!written.isSuccess()) {
                ctx.close();
                return;
            }
            responseComplete = true;
            completeIfDone();
        });
    }

    private void completeIfDone() {
        if (requestComplete && responseComplete && !completed) {
            completed = true;
            onComplete.accept(this);
        }
    }
}
