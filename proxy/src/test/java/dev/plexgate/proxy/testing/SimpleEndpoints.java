package dev.plexgate.proxy.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Endpoints whose response is known as soon as the request head is. */
final class SimpleEndpoints {

    static final String IDENTITY_XML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<MediaContainer size=\"0\" claimed=\"1\" machineIdentifier=\"test-machine-id\""
            + " version=\"1.40.0.0000-test\"></MediaContainer>";

    /** The length /reset announces and never delivers. */
    static final int RESET_ANNOUNCED_LENGTH = 1_000_000;

    private SimpleEndpoints() {
    }

    static void identity(Exchange exchange) {
        HttpResponse head = exchange.newHead(HttpResponseStatus.OK, "application/xml");
        // Plex lets /identity be cached; the proxy's cache bypass must be seen replacing this.
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=3600");
        exchange.respond(head, IDENTITY_XML.getBytes(StandardCharsets.UTF_8));
    }

    static void status(Exchange exchange, int code) {
        if (code < 200 || code > 599) {
            exchange.respondText(HttpResponseStatus.BAD_REQUEST, "status must be 200-599\n");
            return;
        }
        HttpResponseStatus status = HttpResponseStatus.valueOf(code);
        if (code == 204 || code == 304) {
            // These never carry a body, nor (204) a Content-Length.
            exchange.respondWithoutBody(exchange.newHead(status, null));
            return;
        }
        exchange.respondText(status, "status " + code + "\n");
    }

    static void bigHeaders(Exchange exchange) {
        int count = (int) Math.max(0, Math.min(exchange.longParam("n", 10), 100_000));
        int valueLength = (int) Math.max(1, Math.min(exchange.longParam("value_length", 16), 65_536));
        HttpResponse head = exchange.newHead(HttpResponseStatus.OK, "text/plain; charset=utf-8");
        String value = "v".repeat(valueLength);
        for (int i = 0; i < count; i++) {
            head.headers().add("X-Big-Header-" + i, value);
        }
        exchange.respond(head, "ok\n".getBytes(StandardCharsets.US_ASCII));
    }

    static void echoHeaders(Exchange exchange) {
        Map<String, List<String>> headers = RequestFacts.headersByName(exchange.request().headers());
        StringBuilder json = new StringBuilder("{");
        Json.member(json, "_method", exchange.request().method().name());
        Json.member(json.append(','), "_uri", exchange.request().uri());
        Json.member(json.append(','), "_version", exchange.request().protocolVersion().text());
        Json.member(json.append(','), "_peer", RequestFacts.peer(exchange.ctx().channel().remoteAddress()));
        headers.forEach((name, values) -> Json.member(json.append(','), name, values));
        json.append('}');
        exchange.respond(exchange.newHead(HttpResponseStatus.OK, "application/json"),
                json.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes a response Plex would never send, straight to the socket under the origin's HTTP
     * codec, and leaves the connection open: the proxy must notice the breakage, not a close.
     * {@code kind=lengths}: two different Content-Lengths. {@code kind=chunk}: a valid chunked head
     * and first chunk, then a chunk size that is not hexadecimal.
     */
    static void broken(Exchange exchange) {
        String kind = exchange.param("kind");
        String raw;
        if ("lengths".equals(kind)) {
            raw = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\nok";
        } else if ("chunk".equals(kind)) {
            raw = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\nzz\r\n";
        } else {
            exchange.respondText(HttpResponseStatus.BAD_REQUEST, "kind must be lengths or chunk\n");
            return;
        }
        ChannelHandlerContext codec = exchange.ctx().pipeline().context(TestOrigin.HTTP_CODEC);
        codec.writeAndFlush(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII));
    }

    /**
     * Announces a body it never finishes, then resets the connection: SO_LINGER 0 makes close send
     * an RST instead of a FIN, which is how a crashing origin looks to the proxy.
     */
    static void reset(Exchange exchange) {
        int sent = (int) Math.max(0, Math.min(exchange.longParam("after", 0), RESET_ANNOUNCED_LENGTH - 1));
        HttpResponse head = exchange.newHead(HttpResponseStatus.OK, "application/octet-stream");
        HttpUtil.setContentLength(head, RESET_ANNOUNCED_LENGTH);
        ChannelHandlerContext ctx = exchange.ctx();
        ctx.write(head);
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(GeneratedContent.bytes(0, sent))))
                .addListener(written -> {
                    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                    ctx.channel().close();
                });
    }
}
