package dev.plexgate.proxy.http;

import dev.plexgate.proxy.policy.BlockResponse;
import dev.plexgate.proxy.policy.Decision;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * The answer to a blocked request: the rule's configured content, or a small page naming the
 * rule and the {@code Cf-Ray} id — what a friend reads out when asking why they were blocked, and
 * what {@code plexgate events} shows next to it.
 */
final class BlockPages {

    static final AsciiString CF_RAY = AsciiString.cached("cf-ray");

    private BlockPages() {
    }

    /**
     * @param ray the request's ray id from cloudflared, or null
     */
    static FullHttpResponse page(ChannelHandlerContext ctx, Decision decision, String ray, boolean keepAlive) {
        BlockResponse block = decision.response();
        HttpResponseStatus status = HttpResponseStatus.valueOf(block.status());
        String body;
        String contentType;
        if (block.content() != null) {
            body = block.content();
            contentType = block.contentType();
        } else {
            body = "<!DOCTYPE html>\n<html><head><title>" + status + "</title></head>\n<body><h1>" + status
                    + "</h1>\n<p>This request was blocked by the rule <b>" + escape(decision.rule()) + "</b>.</p>\n"
                    + (ray == null ? "" : "<p>Ray ID: <code>" + escape(ray) + "</code></p>\n")
                    + "<hr><p>plexgate</p></body></html>\n";
            contentType = "text/html; charset=utf-8";
        }
        ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store, private");
        if (decision.retryAfterSeconds() > 0) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, decision.retryAfterSeconds());
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
