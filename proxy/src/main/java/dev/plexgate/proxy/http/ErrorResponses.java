package dev.plexgate.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The small HTML pages plexgate answers with itself (400, 502, 504, …). They never echo request
 * data back, so no secret from a URL or header can end up in one.
 */
final class ErrorResponses {

    private ErrorResponses() {
    }

    static FullHttpResponse page(ChannelHandlerContext ctx, int code, String explanation, boolean keepAlive) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(code);
        String html = "<!DOCTYPE html>\n<html><head><title>" + status + "</title></head>\n<body><h1>" + status
                + "</h1>\n<p>" + explanation + "</p>\n<hr><p>plexgate</p></body></html>\n";
        ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), html);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store, private");
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    /** Answers {@code code} and closes the connection once the page is written. */
    static ChannelFuture sendAndClose(ChannelHandlerContext ctx, int code, String explanation) {
        return ctx.writeAndFlush(page(ctx, code, explanation, false)).addListener(ChannelFutureListener.CLOSE);
    }
}
